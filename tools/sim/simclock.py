# The simulated board's clock (tools/sim; see machine.py for the whole
# simulator). Runs on CPython and on the MicroPython unix port.
#
# Time is kept as an unbounded count of microseconds, NOW[0]. Two modes,
# chosen by the environment variable MOTE_SIM:
#   MOTE_SIM=fast   virtual time: it starts at 0 and moves only when the
#                   program sleeps; a sleep returns at once, having moved the
#                   clock (deterministic: the tests use it).
#   otherwise       real time: the clock is the real one and sleeps really
#                   sleep (a person at `make sim`).
# Either way the simulated devices are event sources (timer ticks, scripted
# pin edges); a sleep delivers their events in time order at their own
# times, and in real time a read of the clock delivers the events that have
# come due (so does machine.idle()). A scripted Ctrl-C (interrupt_at) is an
# event that raises KeyboardInterrupt.
#
# The functions have MicroPython's `time` names and wrapping (ticks_ms and
# ticks_us wrap at 2**30). On the unix port tools/sim/time.py puts them in
# place of the built-in `time`; under CPython machine.py adds them to the
# `time` module (which cannot be shadowed there).
import os

try:
    import utime as _rt         # MicroPython: the built-in time module
    MICROPYTHON = True
except ImportError:
    import time as _rt
    MICROPYTHON = False

MASK = 0x3FFFFFFF
HALF = 0x20000000


def getenv(name):
    # An environment variable, or '' (the WebAssembly port's os has none).
    g = getattr(os, 'getenv', None)
    return (g and g(name)) or ''


FAST = getenv('MOTE_SIM').lower() == 'fast'
NOW = [0]                   # microseconds since the simulator started
SOURCES = []                # event sources: objects with .due (us or None) and .fire()
INTERRUPTS = []             # scripted Ctrl-C times (us), ascending


def _real_us():
    return _rt.time_ns() // 1000


_START = _real_us()


def catch_up():
    # Real time: move NOW to the real clock, delivering the events due.
    if not FAST:
        advance_to(_real_us() - _START)


def now_ms():
    return NOW[0] // 1000


def next_due():
    t = INTERRUPTS[0] if INTERRUPTS else None
    for s in SOURCES:
        d = s.due
        if d is not None and (t is None or d < t):
            t = d
    return t


def fire_due():
    # Deliver every event due at or before NOW.
    if INTERRUPTS and INTERRUPTS[0] <= NOW[0]:
        INTERRUPTS.pop(0)
        raise KeyboardInterrupt()
    k = 0
    while k < len(SOURCES):
        s = SOURCES[k]
        if s.due is not None and s.due <= NOW[0]:
            s.fire()
            k = 0               # firing may have added or moved events
        else:
            k += 1


def _wait_until(t):
    # Move NOW to t (really waiting in real time).
    if not FAST:
        d = t - (_real_us() - _START)
        if d > 0:
            if MICROPYTHON:
                _rt.sleep_us(d)
            else:
                _rt.sleep(d / 1000000)
    if t > NOW[0]:
        NOW[0] = t


def advance_to(t):
    # Move the clock to t, delivering the events before it in time order.
    while True:
        e = next_due()
        if e is None or e > t:
            break
        _wait_until(e)
        fire_due()
    _wait_until(t)
    fire_due()


# -- MicroPython's time functions ---------------------------------------------
def ticks_us():
    catch_up()
    if FAST:
        return NOW[0] & MASK
    return _rt.ticks_us() if MICROPYTHON else int(_rt.time() * 1000000) & MASK


def ticks_ms():
    catch_up()
    if FAST:
        return (NOW[0] // 1000) & MASK
    # the host's own wrapping clock, as firmware/system.py reads it
    return _rt.ticks_ms() if MICROPYTHON else int(_rt.time() * 1000) & MASK


def ticks_cpu():
    return ticks_us()


def ticks_diff(a, b):
    return ((a - b + HALF) & MASK) - HALF


def ticks_add(t, d):
    return (t + d) & MASK


def sleep_us(n):
    if FAST:
        advance_to(NOW[0] + max(0, int(n)))
    else:
        catch_up()
        advance_to(NOW[0] + max(0, int(n)))


def sleep_ms(n):
    sleep_us(int(n) * 1000)


def sleep(s):
    sleep_us(int(s * 1000000))
