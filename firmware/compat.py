# The parts of MicroPython's `micropython` module the firmware uses. Under
# CPython the host puts tools/cpython (a stand-in `micropython` module) on
# sys.path; without it these no-ops keep the firmware importable anywhere.
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
