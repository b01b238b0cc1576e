# The parts of MicroPython's `micropython` module the firmware uses. Under
# CPython the host puts tools/cpython (a stand-in `micropython` module) on
# sys.path; without it this fallback keeps the firmware importable anywhere.
try:
    from micropython import const
except ImportError:
    def const(x):
        return x
