"""The `micropython` module for CPython (host tests and `mote run
--runtime cpython`): const() and the heap lock are no-ops; kbd_intr(-1)
defers Ctrl-C until kbd_intr(3), as MicroPython does, so a KeyboardInterrupt
can never cut a garbage collection in half."""
import signal

_pending = []


def const(x):
    return x


def heap_lock():
    return 0


def heap_unlock():
    return 0


def _defer(signum, frame):
    _pending.append(signum)


def kbd_intr(c):
    try:
        if c < 0:
            signal.signal(signal.SIGINT, _defer)
        else:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:          # not the main thread: nothing to defer
        return
    if c >= 0 and _pending:
        del _pending[:]
        raise KeyboardInterrupt
