"""The `micropython` module for CPython (host tests and `mote run
--runtime cpython`): const() is the identity and the heap lock does nothing,
so firmware code that uses them runs unchanged. schedule() queues a function
as MicroPython's does; as nothing runs "between bytecodes" here, the queue
is run at once, first in first out, unless a scheduled function is running
already (scheduled functions never nest, as on a board)."""

_QUEUE = []
_RUNNING = [False]
SCHEDULER_DEPTH = 8


def const(x):
    return x


def heap_lock():
    return 0


def heap_unlock():
    return 0


def schedule(func, arg):
    if len(_QUEUE) >= SCHEDULER_DEPTH:
        raise RuntimeError("schedule queue full")
    _QUEUE.append((func, arg))
    if _RUNNING[0]:
        return
    _RUNNING[0] = True
    try:
        while _QUEUE:
            f, a = _QUEUE.pop(0)
            f(a)
    finally:
        _RUNNING[0] = False
