# The simulator's `time` for the MicroPython unix port: with tools/sim on
# MICROPYPATH this file stands in for the built-in `time` (CPython never
# loads it: its `time` is built in, and machine.py adds the clock functions
# to it instead). The clock functions are simclock's (virtual time with
# MOTE_SIM=fast, else the real clock that delivers the simulated devices'
# events); everything else is the built-in module's.
from utime import *         # noqa: F401,F403  time, localtime, mktime, gmtime, time_ns ...
from simclock import (ticks_ms, ticks_us, ticks_cpu, ticks_diff,   # noqa: F401
                      ticks_add, sleep, sleep_ms, sleep_us)
