# CPython stand-ins for the parts of MicroPython's `micropython` module that
# the firmware uses, so the same files run under pytest.
try:
    from micropython import const, heap_lock, heap_unlock, kbd_intr
except ImportError:
    def const(x):
        return x

    def heap_lock():
        return 0

    def heap_unlock():
        return 0

    def kbd_intr(c):
        pass
