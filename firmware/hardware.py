# Hardware builtins with uLisp's names (pinmode, digitalwrite, digitalread,
# analogread, analogwrite, note, millis, micros), sleep-ms, board-led, the
# I2C / SPI / UART buses of the board profile, and Lisp thunks run on timer
# ticks (every-ms) and pin edges (on-pin-change). Pins, the LED, the ADC
# pins and the buses come from the board profile (profile()): "pins" [lo, hi],
# "led", "adc" [...], "pwm", "i2c" / "spi" / "uart" {id, pins, speed}.
#
# A timer tick or pin edge comes as a soft IRQ, between any two bytecodes
# (maybe inside the evaluator), so its handler only marks its slot pending
# in a preallocated bytearray. The thunks run at safe points: in the waits
# of sleep-ms and for-millis, and while the REPL waits for input (repl.py
# calls idle). There are NSLOTS slots; the thunks are kept in the Lisp
# vector %hw-slots (a global, so the collector keeps them) and the rest of
# the state on the interpreter (it.hw_state), where it outlives an unload
# of this module.
import time
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, SYM0, CHAR0, PRIM0,
                   T_STRING, T_BYTES, T_VECTOR, T_CLOSURE)
from args import arg_int, name, truth, build_list
from builtin_table import base_of
try:
    import machine
except ImportError:
    machine = None

BASE = base_of('hardware')       # number of its first builtin
NSLOTS = 8
SLICE = 10                       # ms: the longest sleep between checks
ZERO = 32769                     # the fixnum 0
MODES = ('input', 'output', 'input-pullup', 'input-pulldown')
LEVELS = ('low', 'high')
EDGES = ('rising', 'falling', 'both')
SCALE = (4186, 4435, 4699, 4978, 5274, 5588, 5920, 6272, 6645, 7040, 7459, 7902)
BUS_PINS = ('scl', 'sda', 'sck', 'mosi', 'miso', 'tx', 'rx')
BUS_OPTS = ('freq', 'baudrate', 'polarity', 'phase')
CACHE = {}                       # ADC / PWM objects by pin*4+kind, buses by name
NOTE = [-1]                      # the pin of the last note


def fail(it, op, what):
    raise LispError(name(it, op) + ': ' + what)


def mach(it, op):
    if machine is None or not hasattr(machine, 'Pin'):
        fail(it, op, 'no machine.Pin here (a board, or the simulator in tools/sim)')
    return machine


def sym_name(it, v):
    # The name of the symbol v less a leading colon (uLisp's keywords), or ''.
    if v & 3 == 3 and SYM0 <= v < CHAR0:
        nm = it.symbols.name((v - SYM0) >> 2)
        return nm[1:] if nm[:1] == ':' else nm
    return ''


def profile(it, key):
    # A hardware key of the board profile ('pins', 'led', 'adc', 'pwm',
    # 'i2c', 'spi', 'uart'), read from it on first use: Interp keeps only
    # what start-up and the REPL need (startup.HARDWARE_KEYS).
    hw = getattr(it, 'hw_profile', None)
    if hw is None:
        from mote import load_board
        hw = it.hw_profile = load_board(it.board['source'])
    return hw.get(key)


def choice(it, v, op, names, what):
    nm = sym_name(it, v)
    if nm in names:
        return names.index(nm)
    fail(it, op, 'bad ' + what + ': ' + it.show(v) + ' (use :' + ' :'.join(names) + ')')


def pin_no(it, v, op):
    p = arg_int(it, v, op)
    r = profile(it, 'pins')
    if r and not r[0] <= p <= r[1]:
        fail(it, op, 'no such pin: ' + str(p))
    return p


def pin(it, op, p, mode=-1, pull=-1):
    m = mach(it, op)
    try:
        if mode < 0:
            return m.Pin(p)
        return m.Pin(p, mode) if pull == -1 else m.Pin(p, mode, pull)
    except (ValueError, TypeError, OSError):
        fail(it, op, 'no such pin: ' + str(p))


def gpio(it, op, v):
    # The Pin of pin number v, made (and checked) on its first use only:
    # no try here, so the frame stays on MicroPython's C stack and
    # digitalwrite and digitalread allocate nothing.
    p = pin_no(it, v, op)
    o = CACHE.get(p << 2)
    if o is None:
        o = CACHE[p << 2] = pin(it, op, p)
    return o


def level(it, v, op):
    # #f and () are low, #t high, integers high unless 0 (uLisp), :low :high
    if v == FALSE or v == NIL:
        return 0
    if v == TRUE or v & 3 == 1:
        return 0 if v == ZERO else 1
    return choice(it, v, op, LEVELS, 'level')


def count(it, v, op):
    n = arg_int(it, v, op)
    if not 0 <= n <= 4092:
        fail(it, op, 'bad length: ' + str(n))
    return n


def data(it, v, op):
    # The bytes of a bytevector or string argument.
    t = it.heap.box_type(v)
    if t != T_BYTES and t != T_STRING:
        fail(it, op, 'not a bytevector or string: ' + it.show(v))
    return it.heap.string_bytes(v)


def bytevector(it, b):
    b = b or b''
    return it.heap.make_string(b, 0, len(b), T_BYTES)


def pwm(it, op, p):
    w = CACHE.get(p * 4 + 2)
    if w is None:
        if profile(it, 'pwm') is False:
            fail(it, op, 'this board has no PWM')
        m = mach(it, op)
        try:
            w = m.PWM(m.Pin(p))
            w.freq(1000)
        except (ValueError, TypeError, OSError):
            fail(it, op, 'pin ' + str(p) + ' has no PWM')
        CACHE[p * 4 + 2] = w
    return w


def set_freq(it, op, w, f):
    try:
        w.freq(f)
    except (ValueError, OSError):
        fail(it, op, 'bad frequency: ' + str(f))


def bus(it, op, kind):
    b = CACHE.get(kind)
    if b is None:
        c = profile(it, kind)
        if not c:
            fail(it, op, 'no ' + kind + ' bus in the board profile')
        m = mach(it, op)
        kw = {}
        try:
            for k in BUS_PINS + BUS_OPTS:
                if k in c:
                    kw[k] = m.Pin(c[k]) if k in BUS_PINS else c[k]
            b = (m.I2C if kind == 'i2c' else m.SPI if kind == 'spi' else m.UART)(
                c.get('id', 0), **kw)
        except (ValueError, TypeError, OSError) as e:
            fail(it, op, 'cannot open the ' + kind + ' bus: ' + str(e))
        CACHE[kind] = b
    return b


# -- pins --------------------------------------------------------------------------------
def p_write(it, a, n, op):
    # digitalwrite
    gpio(it, op, it.S[a]).value(level(it, it.S[a + 1], op))
    return UNSPEC


def p_read(it, a, n, op):
    # digitalread: #t or #f, as uLisp's t and nil
    return truth(gpio(it, op, it.S[a]).value())


def p_pin(it, a, n, op):
    # pinmode board-led
    S = it.S
    P = mach(it, op).Pin
    if op - BASE == 7:
        led = profile(it, 'led')
        if led is None:
            fail(it, op, 'no "led" in the board profile')
        pin(it, op, led, P.OUT).value(level(it, S[a], op))
        return UNSPEC
    p = pin_no(it, S[a], op)
    v = S[a + 1]
    if v == TRUE or v == FALSE or v == NIL:
        md = 1 if v == TRUE else 0
    elif v & 3 == 1 and (v >> 2) - 8192 in (0, 1, 2, 4):
        md = (v >> 2) - 8192                # uLisp's numbers
        md = 3 if md == 4 else md
    else:
        md = choice(it, v, op, MODES, 'mode')
    w = CACHE.pop(p * 4 + 2, None)          # the pin stops being a PWM output
    if w is not None:
        w.deinit()
    pin(it, op, p, P.OUT if md == 1 else P.IN, (None, None, P.PULL_UP, P.PULL_DOWN)[md])
    return UNSPEC


# -- ADC, PWM, tones -------------------------------------------------------------------
def p_analog(it, a, n, op):
    # analogread analogwrite analogwrite-frequency note
    k = op - BASE - 3
    S = it.S
    if k == 3:
        return note(it, a, n, op)
    p = pin_no(it, S[a], op)
    if k == 0:
        adc = profile(it, 'adc')
        if adc is not None and p not in adc:
            fail(it, op, 'pin ' + str(p) + ' has no ADC')
        c = CACHE.get(p * 4 + 1)
        m = mach(it, op)
        try:
            if c is None:
                c = CACHE[p * 4 + 1] = m.ADC(m.Pin(p))
            return it.heap.make_int(c.read_u16())
        except (ValueError, TypeError, OSError):
            fail(it, op, 'pin ' + str(p) + ' has no ADC')
    x = arg_int(it, S[a + 1], op)
    w = pwm(it, op, p)
    if k == 2:
        set_freq(it, op, w, x)
    elif not 0 <= x <= 255:
        fail(it, op, 'duty not in 0..255: ' + str(x))
    else:
        w.duty_u16(x * 257)
    return UNSPEC


def note(it, a, n, op):
    # (note) stops; (note pin) middle C; (note pin hz), 0 stops;
    # (note pin note octave) as uLisp: note 0..11 is C..B
    S = it.S
    if n == 0:
        p = NOTE[0]
        if p < 0:
            return UNSPEC
        f = 0
    else:
        p = pin_no(it, S[a], op)
        if n == 1:
            f = SCALE[0] >> 4
        elif n == 2:
            f = arg_int(it, S[a + 1], op)
            if f < 0:
                fail(it, op, 'bad frequency: ' + str(f))
        else:
            nt = arg_int(it, S[a + 1], op)
            o = arg_int(it, S[a + 2], op) + nt // 12
            if nt < 0 or not 0 <= o <= 8:
                fail(it, op, 'octave out of range: ' + str(o))
            f = SCALE[nt % 12] >> (8 - o)
    w = pwm(it, op, p)
    if f:
        set_freq(it, op, w, f)
        w.duty_u16(32768)
    else:
        w.duty_u16(0)
    NOTE[0] = p
    return UNSPEC


# -- clocks and waits --------------------------------------------------------------------
def p_ticks(it, a, n, op):
    # millis micros (they wrap at 2**30)
    mach(it, op)
    return it.heap.make_int(time.ticks_ms() if op - BASE == 8 else time.ticks_us())


def p_clock(it, a, n, op):
    # sleep-ms %wait-since
    mach(it, op)
    S = it.S
    if op - BASE == 10:
        wait(it, time.ticks_ms(), arg_int(it, S[a], op))
        return UNSPEC
    return it.heap.make_int(wait(it, arg_int(it, S[a], op), arg_int(it, S[a + 1], op)))


def wait(it, t0, ms):
    # Wait until ms milliseconds after t0 (a ticks_ms value) in short sleeps
    # (Ctrl-C stays prompt), running the callbacks that come due; returns
    # the milliseconds since t0.
    while True:
        service(it)
        d = time.ticks_diff(time.ticks_ms(), t0)
        if d >= ms:
            return d
        d = ms - d
        time.sleep_ms(d if d < SLICE else SLICE)


# -- buses ---------------------------------------------------------------------------------
def p_bus(it, a, n, op):
    # i2c-scan i2c-read i2c-write i2c-read-reg spi-transfer uart-write uart-read
    k = op - BASE - 12
    S = it.S
    if k == 0:
        try:
            found = bus(it, op, 'i2c').scan()
        except OSError:
            found = ()
        base = it.sp
        for x in found:
            it.push(it.heap.make_int(x))
        r = build_list(it, base, it.sp - base, NIL)
        it.sp = base
        return r
    if k < 4:
        b = bus(it, op, 'i2c')
        addr = arg_int(it, S[a], op)
        if not 0 <= addr < 128:
            fail(it, op, 'bad address: ' + str(addr))
        try:
            if k == 1:
                return bytevector(it, b.readfrom(addr, count(it, S[a + 1], op)))
            if k == 2:
                b.writeto(addr, data(it, S[a + 1], op))
                return UNSPEC
            reg = arg_int(it, S[a + 1], op)
            if not 0 <= reg <= 255:
                fail(it, op, 'bad register: ' + str(reg))
            return bytevector(it, b.readfrom_mem(addr, reg, count(it, S[a + 2], op)))
        except OSError as e:
            e = e.args[0] if e.args else 0
            fail(it, op, ('no device at address 0x%02x' % addr) if e in (5, 19, 110)
                 else 'bus error ' + str(e) + ' at address 0x%02x' % addr)
    b = bus(it, op, 'spi' if k == 4 else 'uart')
    try:
        if k == 4:
            d = data(it, S[a], op)
            r = bytearray(len(d))
            cs = pin(it, op, pin_no(it, S[a + 1], op), machine.Pin.OUT) if n > 1 else None
            if cs:
                cs.value(0)
            try:
                b.write_readinto(d, r)
            finally:
                if cs:
                    cs.value(1)
            return bytevector(it, r)
        if k == 5:
            b.write(data(it, S[a], op))
            return UNSPEC
        return bytevector(it, b.read(count(it, S[a], op)) if n else b.read())
    except OSError as e:
        fail(it, op, 'bus error ' + str(e.args[0] if e.args else 0))


# -- timer and pin callbacks ---------------------------------------------------------------
def state(it):
    # [pending, kind (0 free, 1 timer, 2 pin), Timer or Pin, pin numbers,
    #  busy, G index of %hw-slots]
    st = getattr(it, 'hw_state', None)
    if st is None:
        st = it.hw_state = [bytearray(NSLOTS), bytearray(NSLOTS), [None] * NSLOTS,
                            bytearray(NSLOTS), 0, -1]
    return st


def mark(pending, k):
    # The IRQ side: note that slot k is due (no allocation, no Lisp).
    def h(x):
        pending[k] = 1
    return h


def slots(it, st):
    # The vector of thunks (loaded from the library on first use).
    if st[5] < 0:
        it.global_value('%hw-slots')
        st[5] = (it.symbol(b'%hw-slots', 0, 9) - SYM0) >> 2
    v = it.G[st[5]]
    if it.heap.box_type(v) != T_VECTOR or it.heap.box_size(v) < NSLOTS:
        raise LispError('%hw-slots: not a vector of ' + str(NSLOTS))
    return (v >> 1) + 1


def stop(it, st, k):
    o = st[2][k]
    if o is not None:
        try:
            if st[1][k] == 1:
                o.deinit()
            else:
                o.irq(handler=None)
        except (ValueError, TypeError, OSError):
            pass
    st[0][k] = st[1][k] = 0
    st[2][k] = None
    if st[5] >= 0:
        it.heap.W[slots(it, st) + k] = FALSE


def p_callback(it, a, n, op):
    # every-ms on-pin-change stop-timers
    k = op - BASE - 19
    S = it.S
    st = state(it)
    if k == 2:
        if n:
            j = arg_int(it, S[a], op)
            if not 0 <= j < NSLOTS:
                fail(it, op, 'no such timer: ' + str(j))
            stop(it, st, j)
        else:
            for j in range(NSLOTS):
                stop(it, st, j)
        return UNSPEC
    f = S[a + n - 1]
    if not (f & 3 == 3 and PRIM0 <= f < 0x2003) and it.heap.box_type(f) != T_CLOSURE:
        fail(it, op, 'not a procedure: ' + it.show(f))
    m = mach(it, op)
    w = slots(it, st)
    p = -1
    if k == 1:
        p = pin_no(it, S[a], op)
        e = choice(it, S[a + 1], op, EDGES, 'edge')
    else:
        ms = arg_int(it, S[a], op)
        if ms <= 0:
            fail(it, op, 'bad period: ' + str(ms))
    j = 0
    while j < NSLOTS and not (st[1][j] == 2 and st[3][j] == p):
        j += 1                          # the pin's own slot, if it has one
    if j == NSLOTS:
        j = 0
        while j < NSLOTS and st[1][j]:
            j += 1
    if j == NSLOTS:
        fail(it, op, 'all ' + str(NSLOTS) + ' slots in use (see stop-timers)')
    stop(it, st, j)
    try:
        if k == 0:
            o = m.Timer(-1)
            o.init(period=ms, mode=m.Timer.PERIODIC, callback=mark(st[0], j))
        else:
            P = m.Pin
            o = pin(it, op, p)
            o.irq(handler=mark(st[0], j),
                  trigger=(P.IRQ_RISING, P.IRQ_FALLING, P.IRQ_RISING | P.IRQ_FALLING)[e])
            st[3][j] = p
    except (ValueError, TypeError, OSError) as x:
        fail(it, op, str(x))
    it.heap.W[w + j] = S[a + n - 1]
    st[1][j] = k + 1
    st[2][j] = o
    return it.heap.make_int(j)


def service(it, top=False):
    # Run the thunks whose slots are pending (not from inside a thunk); a
    # small frame, for the common case of nothing to do.
    st = getattr(it, 'hw_state', None)
    if st is not None and not st[4] and any(st[0]):
        run_pending(it, st, top)
    if getattr(it, 'py_queue', None):
        import interop              # Lisp procedures Python called meanwhile
        interop.run_pending(it)


def run_pending(it, st, top):
    # An error is reported and the rest go on; Ctrl-C in a thunk stops them all.
    for k in range(NSLOTS):
        kind = st[1][k]
        if st[0][k] and kind:
            st[0][k] = 0
            st[4] = 1
            try:
                it.call(it.heap.W[slots(it, st) + k], n=0)
            except LispError as e:
                it.out('Error in ' + it.prim_name(BASE + 18 + kind) + ': ' + str(e) + '\n')
                if top:
                    it.recover()
            except KeyboardInterrupt:
                for j in range(NSLOTS):
                    stop(it, st, j)
                raise
            finally:
                st[4] = 0


def idle(it, inp):
    # The REPL waits for a line: while timers or pin handlers are set and
    # the input is a terminal (or a board's console), run their thunks
    # meanwhile. Piped input (isatty false) is read as before. First the
    # Lisp procedures Python called while the last form ran (interop.py).
    service(it, True)
    st = getattr(it, 'hw_state', None)
    if st is None or not any(st[1]):
        return
    t = getattr(inp, 'isatty', None)
    if t is not None and not t():
        return
    import select
    p = select.poll()
    try:
        p.register(inp, select.POLLIN)
    except (TypeError, ValueError, OSError, AttributeError):
        return
    try:
        while any(st[1]) and not p.poll(SLICE):
            machine.idle()              # (a simulated board delivers its events)
            service(it, True)
    except KeyboardInterrupt:
        it.recover()
        raise


FUNCS = (p_pin, p_write, p_read, p_analog, p_analog, p_analog, p_analog, p_pin,
         p_ticks, p_ticks, p_clock, p_clock,
         p_bus, p_bus, p_bus, p_bus, p_bus, p_bus, p_bus,
         p_callback, p_callback, p_callback)
