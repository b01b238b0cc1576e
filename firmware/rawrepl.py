# MicroPython's raw REPL, served by Mote's REPL: main.py owns the serial
# line, so the Ctrl-A with which mpremote, ampy, rshell and Thonny ask for a
# board's raw REPL reaches Mote, not MicroPython. Loaded when a line starts
# with Ctrl-A; speaks the protocol of shared/runtime/pyexec.c (v1.28):
#   >                       prompt; input up to Ctrl-D is Python source
#   Ctrl-D, source given    'OK', stdout, '\x04', the exception if any, '\x04'
#   Ctrl-D, nothing given   soft reset: 'OK\r\n', fresh globals, new prompt
#   Ctrl-E 'A' Ctrl-A       raw-paste mode, with the reader's flow control
#   Ctrl-C                  clears the input;  Ctrl-A  starts over
#   Ctrl-B                  back to Mote's REPL (MicroPython's friendly REPL)
import sys, gc
try:
    import termios          # the unix port (a virtual board)
except ImportError:
    termios = None

BANNER = b'raw REPL; CTRL-B to exit\r\n'
WINDOW = 64         # raw-paste flow control: bytes the host may send ahead


def reading(on, saved=[]):
    # While input is read, a Ctrl-C must come as a byte in its place among
    # the others (it clears the input), as MicroPython's own raw REPL reads
    # it: on a board the interrupt character goes off; on the unix port the
    # terminal's signal keys (a Ctrl-C there is a signal, which could land
    # after bytes sent later). The code being run can be interrupted.
    try:
        if termios is None or not hasattr(termios, 'setraw'):
            from micropython import kbd_intr
            kbd_intr(-1 if on else 3)
        elif on:
            saved.append(termios.tcgetattr(0))
            termios.setraw(0)
        elif saved:
            termios.tcsetattr(0, termios.TCSANOW, saved.pop())
    except Exception:       # not a terminal, or no such call: nothing to do
        pass


def read_byte(rd):
    # The next byte, or -1 at the end of input. A KeyboardInterrupt that
    # still comes (a Ctrl-C sent before reading began) is dropped.
    c = None
    while c is None:
        try:
            c = rd(1)
        except KeyboardInterrupt:
            pass
    return c[0] if c else -1


def serve(inp):
    # Returns at Ctrl-B, or at the end of input. A Ctrl-C anywhere in here
    # is ignored (see read_byte): the protocol must not lose its place.
    rd = getattr(inp, 'buffer', inp).read
    # the input so far, the Python globals, the modules a soft reset keeps
    st = [bytearray(), {'__name__': '__main__'}, set(sys.modules)]
    reading(True)
    try:
        w(BANNER + b'>')
        while True:
            try:
                if step(rd, st):
                    return
            except KeyboardInterrupt:
                pass
    finally:
        reading(False)


def step(rd, st):
    # Take one byte of input and act on it; True to leave.
    c = read_byte(rd)
    line = st[0]
    if c < 0:
        return True
    if c == 1:
        if len(line) == 2 and line[0] == 5:
            st[0] = bytearray()
            if line[1] == 65:                   # b'A': raw paste
                paste(rd, st[1])
            else:
                w(b'R\x00')
            w(b'>')
        else:
            st[0] = bytearray()
            w(BANNER + b'>')
    elif c == 2:
        w(b'\r\n')
        return True
    elif c == 3:
        st[0] = bytearray()
    elif c == 4:
        st[0] = bytearray()
        w(b'OK')
        if not line:
            # A soft reset: the Python session starts over (Mote's Lisp
            # session is kept: it is not Python's to reset).
            w(b'\r\nMPY: soft reboot\r\n')
            st[1] = {'__name__': '__main__'}
            for m in list(sys.modules):
                if m not in st[2]:
                    del sys.modules[m]
            gc.collect()
            w(BANNER)
        else:
            run(bytes(line), st[1])
        w(b'>')
    else:
        line.append(c)
    flush()
    return False


def paste(rd, g):
    # Raw-paste: the window size, then a Ctrl-A each time another window's
    # worth of input may come; Ctrl-D ends the source, Ctrl-C cancels it.
    w(b'R\x01' + bytes((WINDOW, 0, 1)))
    flush()
    src = bytearray()
    left = WINDOW
    while True:
        c = read_byte(rd)
        if c in (-1, 3, 4):
            w(b'\x04')
            break
        src.append(c)
        left -= 1
        if left == 0:
            w(b'\x01')
            flush()
            left = WINDOW
    if c == 3:
        w(b'\x04')
        report(KeyboardInterrupt())
        w(b'\x04')
    else:
        run(bytes(src), g)


def run(src, g):
    # Compile and run src in g: stdout, '\x04', the exception, '\x04'.
    reading(False)
    try:
        code = compile(src.decode(), '<stdin>', 'exec')
        src = None
        exec(code, g)
        w(b'\x04')
    except BaseException as e:
        w(b'\x04')
        report(e)
    reading(True)
    w(b'\x04')


def report(e):
    pe = getattr(sys, 'print_exception', None)
    if pe:
        pe(e)
    else:                           # CPython (host tests)
        sys.stdout.write('%s: %s\n' % (type(e).__name__, e))


def w(b):
    # Protocol bytes go out as they are (a board's text stdout would turn
    # \n into \r\n); what the code prints goes through the text stdout,
    # as in MicroPython's own raw REPL.
    o = getattr(sys.stdout, 'buffer', None)
    if o is None:
        sys.stdout.write(b.decode())
    else:
        flush()
        o.write(b)


def flush():
    f = getattr(sys.stdout, 'flush', None)
    if f:
        f()
