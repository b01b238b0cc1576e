"""A simulated `machine` for the host: MicroPython's Pin, ADC, PWM, I2C, SPI,
UART and Timer on a board made of Python data, so that firmware/hardware.py
runs unchanged under CPython and under the MicroPython unix port (whose own
`machine` has no Pin). `mote run` and `mote repl` put tools/sim on the path
(PYTHONPATH for CPython, MICROPYPATH for the unix port, where this file
shadows the built-in `machine` and tools/sim/time.py the built-in `time`).

Clock (simclock.py): MOTE_SIM=fast gives virtual time, which starts at 0 and
moves only when the program sleeps: a sleep returns at once with the clock
moved, delivering timer ticks and scripted pin edges in order on the way
(the tests use it: deterministic, no wall clock). Without it the sim runs
in real time: the clock is the real one, sleeps really sleep, and due events
are delivered whenever the clock is read or slept on (and by machine.idle()).
Under CPython this module adds ticks_ms, ticks_us, ticks_diff, ticks_add,
sleep_ms and sleep_us to the `time` module (CPython's own names are left).

Timer callbacks and pin interrupts go through micropython.schedule, as soft
IRQs do on a board.

The board: pins, LED, ADC pins and the buses come from the board profile
(MOTE_SIM_BOARD, else the interpreter's --board argument, else `unix`; read
from MOTE_BOARDS_DIR or the repository's boards/), with Pico-like defaults:
GPIO 0..29, LED on 25, ADC on 26..28. Pin("LED") is the LED pin.

Devices: I2C has a TMP102-like temperature sensor at 0x48 (72): register 0
the temperature (12 bits, 0.0625 C per step, left-justified, MSB first;
23.5 C reads b'\\x17\\x80'), 1 the configuration (0x60A0 at reset), 2 and 3
the T_low/T_high limits (0x4B00, 0x5000); a read or write to another
address raises OSError(5) (EIO), as on a board. SPI is a loopback (MISO
reads what MOSI sent). UART is a loopback too, after any scripted input.

Scripted inputs: MOTE_SIM_SCRIPT names a JSON file (or call script(dict)):
    {"pins": {"3": {"toggle": 100, "level": 0},         flips every 100 ms
              "4": {"edges": [[50, 1], [80, 0]]},       (time ms, level)
              "5": {"level": 1}},                       held at 1
     "adc": {"26": [1000, 2000, 3000]},    read_u16 values in turn (the last repeats)
     "temp": 23.5,                         the sensor's temperature, C
     "uart": "hello\\n",                    bytes waiting to be read
     "interrupt_at": [250]}                Ctrl-C (KeyboardInterrupt) at these ms

Log: LOG holds (ms, what, id, value) for every pin write ("pin", pin, 0/1),
mode change ("mode", pin, "out" / "in" / "in+up" / "in+down"), PWM change
("freq", pin, hz), ("duty", pin, duty_u16), SPI and UART traffic ("spi", id,
hex) ("uart", id, hex) and I2C writes ("i2c", addr, hex). ms counts from the
simulator's start (in fast mode it is also what millis returns). With
MOTE_SIM_LOG=FILE each entry is also appended to FILE as a line
"ms what id value" (MOTE_SIM_LOG=/dev/stderr shows them as they happen).
"""
import os
import sys

import micropython
import simclock

MICROPYTHON = simclock.MICROPYTHON
EIO = 5
DEFAULTS = {'pins': [0, 29], 'led': 25, 'adc': [26, 27, 28], 'pwm': True,
            'i2c': {'id': 0, 'scl': 5, 'sda': 4, 'freq': 100000},
            'spi': {'id': 0, 'sck': 18, 'mosi': 19, 'miso': 16},
            'uart': {'id': 1, 'tx': 8, 'rx': 9, 'baudrate': 115200}}
LOG = []
LOG_MAX = 20000


def _board_name():
    b = simclock.getenv('MOTE_SIM_BOARD')
    if b:
        return b
    a = getattr(sys, 'argv', ())      # (the WebAssembly port's sys has none)
    for k in range(len(a) - 1):
        if a[k] == '--board':
            return a[k + 1]
    return 'unix'


def _load_profile():
    import json
    here = __file__.rsplit('/', 1)[0] if '/' in __file__ else '.'
    prof = {}
    # boards/NAME.json on the host; on a virtual board (mote vboard), whose
    # `/` is its flash, the profile flashed there as board.json
    for path in (simclock.getenv('MOTE_BOARDS_DIR') + '/' + _board_name() + '.json',
                 here + '/../../boards/' + _board_name() + '.json', '/board.json'):
        try:
            with open(path) as f:
                prof = json.load(f)
            break
        except (OSError, ValueError):
            pass
    for k in DEFAULTS:
        if k not in prof:
            prof[k] = DEFAULTS[k]
    return prof


PROFILE = _load_profile()
_LOGFILE = [None, simclock.getenv('MOTE_SIM_LOG')]


def log(what, ident, value):
    e = (simclock.NOW[0] // 1000 if simclock.FAST else
         (simclock._real_us() - simclock._START) // 1000, what, ident, value)
    LOG.append(e)
    if len(LOG) > LOG_MAX:
        del LOG[:LOG_MAX // 2]
    if _LOGFILE[1]:
        if _LOGFILE[0] is None:
            _LOGFILE[0] = open(_LOGFILE[1], 'a')
        _LOGFILE[0].write('%d %s %s %s\n' % e)
        _LOGFILE[0].flush()


def _hex(b):
    return ''.join(['%02x' % x for x in b])


# -- pins ------------------------------------------------------------------------------
def _pin_id(p):
    if isinstance(p, Pin):
        return p.id
    if p == 'LED':
        p = PROFILE['led']
    r = PROFILE['pins']
    if not isinstance(p, int) or not r[0] <= p <= r[1]:
        raise ValueError('invalid pin')
    return p


class _PinState:
    # One GPIO: mode, pull, the level it drives, an interrupt handler, and
    # (scripted) the level the outside world puts on it.
    def __init__(self, ident):
        self.id = ident
        self.mode = Pin.IN
        self.pull = None
        self.latch = 0
        self.handler = None
        self.trigger = 0
        self.level0 = None      # scripted: the level before any edge
        self.toggle = 0         # scripted: flips every toggle us
        self.edges = None       # scripted: [(us, level), ...]
        self.due = None         # next scripted edge, while an irq is set

    def scripted(self):
        return self.level0 is not None

    def level_at(self, t):
        if self.toggle:
            return self.level0 ^ ((t // self.toggle) & 1)
        lv = self.level0
        for when, l in self.edges or ():
            if when <= t:
                lv = l
        return lv

    def next_edge(self, t):
        if self.toggle:
            return (t // self.toggle + 1) * self.toggle
        for when, l in self.edges or ():
            if when > t:
                return when
        return None

    def level(self):
        if self.scripted():
            simclock.catch_up()
            return self.level_at(simclock.NOW[0])
        if self.mode in (Pin.OUT, Pin.OPEN_DRAIN):
            return self.latch
        return 1 if self.pull == Pin.PULL_UP else 0

    def rearm(self):
        self.due = None
        if self.handler is not None and self.scripted():
            self.due = self.next_edge(simclock.NOW[0])

    def edge(self, old, new):
        if old != new and self.handler is not None and \
                self.trigger & (Pin.IRQ_RISING if new else Pin.IRQ_FALLING):
            micropython.schedule(self.handler, Pin(self.id))

    def fire(self):
        t = self.due
        self.edge(self.level_at(t - 1), self.level_at(t))
        self.due = self.next_edge(t)


PINS = {}


def _pin(ident):
    s = PINS.get(ident)
    if s is None:
        s = PINS[ident] = _PinState(ident)
        simclock.SOURCES.append(s)
    return s


MODE_NAMES = {0: 'in', 1: 'out', 2: 'od', 3: 'alt'}


class Pin:
    IN = 0
    OUT = 1
    OPEN_DRAIN = 2
    ALT = 3
    PULL_UP = 1
    PULL_DOWN = 2
    IRQ_FALLING = 4
    IRQ_RISING = 8

    def __init__(self, id, mode=-1, pull=-1, value=None, **kw):
        self.id = _pin_id(id)
        self._s = _pin(self.id)
        if mode != -1 or pull != -1 or value is not None:
            self.init(mode, pull, value)

    def init(self, mode=-1, pull=-1, value=None, **kw):
        s = self._s
        old = (s.mode, s.pull)
        if value is not None:
            self.value(value)
        if mode != -1:
            if mode not in MODE_NAMES:
                raise ValueError('invalid pin mode')
            s.mode = mode
        if pull != -1:
            if pull not in (None, 0, Pin.PULL_UP, Pin.PULL_DOWN):
                raise ValueError('invalid pull')
            s.pull = pull or None
        if (s.mode, s.pull) != old:
            log('mode', self.id, MODE_NAMES[s.mode] +
                ('+up' if s.pull == Pin.PULL_UP else '+down' if s.pull == Pin.PULL_DOWN else ''))

    def value(self, v=None):
        s = self._s
        if v is None:
            return s.level()
        old = s.level()
        s.latch = 1 if v else 0
        log('pin', self.id, s.latch)
        s.edge(old, s.level())
        return None

    def __call__(self, v=None):
        return self.value(v)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def high(self):
        self.value(1)

    def low(self):
        self.value(0)

    def toggle(self):
        self.value(1 - self._s.latch)

    def mode(self, m=None):
        if m is None:
            return self._s.mode
        self.init(m)

    def pull(self, p=-1):
        if p == -1:
            return self._s.pull
        self.init(pull=p)

    def irq(self, handler=None, trigger=IRQ_FALLING | IRQ_RISING, hard=False):
        s = self._s
        s.handler = handler
        s.trigger = trigger
        simclock.catch_up()
        s.rearm()
        return None

    def __repr__(self):
        return 'Pin(%d)' % self.id


# -- ADC and PWM -----------------------------------------------------------------------
ADC_VALUES = {}             # pin -> [values, next index]


class ADC:
    def __init__(self, pin, **kw):
        adc = PROFILE['adc']
        if not isinstance(pin, Pin) and isinstance(pin, int) and 0 <= pin < len(adc):
            pin = adc[pin]          # a channel number
        p = _pin_id(pin)
        if p not in adc:
            raise ValueError("Pin doesn't have ADC capabilities")
        self.id = p

    def read_u16(self):
        v = ADC_VALUES.get(self.id)
        if not v or not v[0]:
            return 0
        x = v[0][v[1]]
        if v[1] < len(v[0]) - 1:
            v[1] += 1
        return x

    def read_uv(self):
        return self.read_u16() * 3300000 // 65535


PWMS = {}                   # pin -> [freq, duty_u16]


class PWM:
    def __init__(self, pin, freq=None, duty_u16=None, **kw):
        if not PROFILE.get('pwm', True):
            raise ValueError('no PWM on this board')
        self.id = _pin_id(pin)
        if self.id not in PWMS:
            PWMS[self.id] = [0, 0]
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)

    def freq(self, f=None):
        if f is None:
            return PWMS[self.id][0]
        if f < 8:
            raise ValueError('freq too small')
        if f > 62500000:
            raise ValueError('freq too large')
        PWMS[self.id][0] = int(f)
        log('freq', self.id, int(f))

    def duty_u16(self, d=None):
        if d is None:
            return PWMS[self.id][1]
        if not 0 <= d <= 65535:
            raise ValueError('duty_u16 must be 0..65535')
        PWMS[self.id][1] = int(d)
        log('duty', self.id, int(d))

    def deinit(self):
        if PWMS[self.id][1]:
            PWMS[self.id][1] = 0
            log('duty', self.id, 0)


# -- buses -----------------------------------------------------------------------------
class TMP102:
    # Temperature sensor: a pointer register picks one of four 16-bit registers.
    def __init__(self, temp=23.5):
        self.temp = temp
        self.ptr = 0
        self.regs = [0, 0x60A0, 0x4B00, 0x5000]

    def word(self):
        if self.ptr == 0:
            return (int(round(self.temp / 0.0625)) & 0xFFF) << 4
        return self.regs[self.ptr]

    def write(self, b):
        if len(b):
            self.ptr = b[0] & 3
        if len(b) >= 3 and self.ptr:
            self.regs[self.ptr] = (b[1] << 8) | b[2]

    def read(self, n):
        w = self.word()
        return bytes([(w >> 8) & 255 if k % 2 == 0 else w & 255 for k in range(n)])


I2C_DEVICES = {0x48: TMP102()}


def _bus_id(cls, i, n):
    if not isinstance(i, int) or not 0 <= i < n:
        raise ValueError('%s(%s) doesn\'t exist' % (cls, i))
    return i


class I2C:
    def __init__(self, id=0, scl=None, sda=None, freq=400000, timeout=50000):
        self.id = _bus_id('I2C', id, 2)

    def scan(self):
        return sorted(I2C_DEVICES)

    def _dev(self, addr):
        d = I2C_DEVICES.get(addr)
        if d is None:
            raise OSError(EIO)
        return d

    def readfrom(self, addr, n, stop=True):
        return self._dev(addr).read(n)

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self._dev(addr).read(len(buf))

    def writeto(self, addr, buf, stop=True):
        d = self._dev(addr)
        log('i2c', addr, _hex(buf))
        d.write(bytes(buf))
        return len(buf)

    def readfrom_mem(self, addr, reg, n, addrsize=8):
        d = self._dev(addr)
        d.write(bytes([reg]))
        return d.read(n)

    def readfrom_mem_into(self, addr, reg, buf, addrsize=8):
        buf[:] = self.readfrom_mem(addr, reg, len(buf))

    def writeto_mem(self, addr, reg, buf, addrsize=8):
        self.writeto(addr, bytes([reg]) + bytes(buf))


class SPI:
    MSB = 0
    LSB = 1

    def __init__(self, id=0, baudrate=1000000, polarity=0, phase=0, bits=8,
                 firstbit=0, sck=None, mosi=None, miso=None):
        self.id = _bus_id('SPI', id, 2)

    def write_readinto(self, wbuf, rbuf):
        log('spi', self.id, _hex(wbuf))
        rbuf[:] = bytes(wbuf)           # loopback: MISO wired to MOSI

    def write(self, buf):
        log('spi', self.id, _hex(buf))

    def read(self, n, write=0):
        return bytes([write] * n)

    def readinto(self, buf, write=0):
        buf[:] = bytes([write] * len(buf))


UART_RX = [b'']             # bytes waiting to be read


class UART:
    def __init__(self, id=0, baudrate=115200, bits=8, parity=None, stop=1,
                 tx=None, rx=None, timeout=0, **kw):
        self.id = _bus_id('UART', id, 2)

    def write(self, buf):
        b = bytes(buf)
        log('uart', self.id, _hex(b))
        UART_RX[0] += b                 # loopback: RX wired to TX
        return len(b)

    def any(self):
        return len(UART_RX[0])

    def read(self, n=-1):
        b = UART_RX[0]
        if not b:
            return None
        if n is None or n < 0:
            n = len(b)
        UART_RX[0] = b[n:]
        return b[:n]

    def readline(self):
        i = UART_RX[0].find(b'\n')
        return self.read(-1 if i < 0 else i + 1)


# -- timers ----------------------------------------------------------------------------
class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, mode=1, period=-1, freq=-1, callback=None, tick_hz=1000,
                 hard=False):
        self.due = None
        self.callback = None
        if callback is not None or period != -1 or freq != -1:
            self.init(mode=mode, period=period, freq=freq, callback=callback, tick_hz=tick_hz)

    def init(self, mode=1, period=-1, freq=-1, callback=None, tick_hz=1000, hard=False):
        if freq > 0:
            us = 1000000 // freq
        else:
            us = period * 1000000 // tick_hz
        if us <= 0:
            raise ValueError('period too small')
        self.period = us
        self.mode = mode
        self.callback = callback
        simclock.catch_up()
        self.due = simclock.NOW[0] + us
        if self not in simclock.SOURCES:
            simclock.SOURCES.append(self)

    def deinit(self):
        self.due = None
        if self in simclock.SOURCES:
            simclock.SOURCES.remove(self)

    def fire(self):
        if self.mode == Timer.PERIODIC:
            self.due += self.period
            if self.due <= simclock.NOW[0]:
                # real time, the clock read late: drop the ticks missed
                self.due = simclock.NOW[0] + self.period
        else:
            self.deinit()
        if self.callback is not None:
            micropython.schedule(self.callback, self)


# -- the rest of the module ------------------------------------------------------------
def idle():
    simclock.catch_up()


def lightsleep(ms=0):
    simclock.sleep_ms(ms)


def freq(f=None):
    return 125000000


def unique_id():
    return b'MOTESIM1'


def disable_irq():
    return 0


def enable_irq(state=0):
    pass


def reset():
    raise SystemExit(0)


# -- the simulator's own controls ------------------------------------------------------
def script(d):
    # Scripted inputs, as in MOTE_SIM_SCRIPT (see the module docstring).
    for k, spec in (d.get('pins') or {}).items():
        s = _pin(_pin_id(int(k)))
        s.level0 = 1 if spec.get('level') else 0
        s.toggle = int(spec.get('toggle', 0)) * 1000
        s.edges = [(int(t * 1000), 1 if l else 0) for t, l in spec.get('edges') or ()]
        s.rearm()
    for k, vals in (d.get('adc') or {}).items():
        ADC_VALUES[int(k)] = [list(vals), 0]
    if 'temp' in d:
        I2C_DEVICES[0x48].temp = d['temp']
    if d.get('uart'):
        u = d['uart']
        UART_RX[0] += u.encode() if isinstance(u, str) else bytes(u)
    at = d.get('interrupt_at')
    if at is not None:
        for t in (at if isinstance(at, list) else [at]):
            simclock.INTERRUPTS.append(int(t * 1000))
        simclock.INTERRUPTS.sort()


def _install():
    if not MICROPYTHON:
        import time
        for n in ('ticks_ms', 'ticks_us', 'ticks_cpu', 'ticks_diff', 'ticks_add',
                  'sleep_ms', 'sleep_us'):
            setattr(time, n, getattr(simclock, n))
    p = simclock.getenv('MOTE_SIM_SCRIPT')
    if p:
        import json
        with open(p) as f:
            script(json.load(f))


_install()
