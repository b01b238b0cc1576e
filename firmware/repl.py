# The REPL and the command line (`mote.py run FILE`, `mote.py repl`): what a
# person at a serial console or a terminal uses. Embedding code needs only
# mote.Interp, so this module is loaded on demand.
import sys
from arena import LispError, UNSPEC, EOF, RK_VALUES, NOLINK, MAXSIZE
from symbols import NUSER
from reader import read, Incomplete
from printer import to_text


def stats(it):
    # Interp.stats(): the arena's free words and pairs, and the bytes of
    # every table Interp made (arena, cdr codes, registers, stack, globals,
    # symbol store and indexes, mark stack, compiler scope).
    h = it.heap
    free = h.n - h.top          # untouched words: free, not yet threaded
    pairs = free >> 1
    for r in (h.free, h.free2):
        while r != NOLINK:
            t = (h.W[r] & MAXSIZE) + 1
            free += t
            pairs += t >> 1
            r = h.W[r + 1]
    sy = it.symbols
    c = it.collector
    k = it.compiler
    total = (2 * h.n + len(h.C) + 2 * len(h.R) + 2 * len(it.S) + 2 * len(it.G)
             + len(sy.names) + 3 * NUSER + 2 * len(sy.index)
             + (2 * len(sy.boff) if sy.boff else 0)
             + (len(sy.bindex) if sy.bindex.__class__ is bytearray else 0)
             + 2 * len(c.ms) + len(c.smarks)
             + 2 * len(k.names) + len(k.slot) + len(k.level) + 5 * len(k.lbase))
    return {'bytes_total': total, 'bytes_free': 2 * free, 'pairs_free': pairs,
            'arena_words': h.n, 'stack_words': len(it.S),
            'symbols_used': sy.used, 'symbols_max': NUSER, 'gc_runs': c.runs}


def run_file(it, f, size=1024):
    # Evaluate every form of the open file f, read a window of whole lines
    # at a time: the heap holds the longest form, not the whole program.
    buf = bytearray(size)
    n = 0                   # bytes in buf
    pos = 0                 # where the next form starts
    eof = False
    v = UNSPEC
    while True:
        view = None
        if not eof:
            if pos:             # keep what is not read yet, at the start
                buf[0:n - pos] = memoryview(buf)[pos:n]     # (no copy made)
                n -= pos
                pos = 0
            if n == len(buf):   # a form longer than the window
                buf = buf + bytearray(len(buf))
            k = f.readinto(memoryview(buf)[n:])
            if k:
                n += k
            else:
                eof = True
        # whole lines only: an atom cut at the window's end would read as
        # another (123 as 12)
        view = memoryview(buf)[:n if eof else buf.rfind(b'\n', 0, n) + 1]
        try:
            form = read(it, view, pos)
        except Incomplete:
            if eof:
                raise
            continue
        if form == EOF:
            if eof:
                return v
            pos = len(view)
            continue
        v = it.eval_read(view, pos, form)
        pos = it.rpos


def board_interp(board=None, **opts):
    # Mote for the board it boots on: its profile is board.json beside the
    # firmware (a copy of boards/NAME.json) or frozen into it, else unix.
    import mote
    try:
        return mote.Interp(board or 'board', **opts)
    except LispError:
        if board:
            raise
        sys.stdout.write('Mote: no board.json, using the unix profile\n')
        return mote.Interp('unix', **opts)


def boot():
    # What main.py runs: Mote with the board's profile, and image.py (the
    # saved session, its autorun, safe mode) only when there is an image
    # to load: a board without one starts sooner and keeps the heap.
    import os
    it = board_interp()
    p = it.board.get('image') or 'mote.img'
    for name in (p, p + '.bak'):
        try:
            os.stat(name)
        except OSError:
            continue
        from image import boot
        it = boot(it=it)
        del sys.modules['image']
        break
    return it


def repl(it, quiet=False, inp=None):
    # Read forms until they balance, evaluate, print; errors and Ctrl-C
    # return to the prompt with every definition kept.
    inp = inp or sys.stdin
    out = sys.stdout.write
    if not quiet:
        out('Mote Scheme on ' + it.board.get('name', '?') + '. (exit) or Ctrl-D to leave.\n')
        out = it.out = LineTracker(out)
    buf = b''
    cr = False
    while True:
        try:                    # a Ctrl-C may land anywhere in here
            if not quiet:
                if not out.fresh:       # a prompt starts a line (as uLisp's,
                    out('\n')           # Racket's): consoles find it there
                out(('%d> ' % it.stats()['pairs_free']) if not buf else '  ')
                out.fresh = True
                flush(sys.stdout)
            if getattr(it, 'hw_state', None):
                import hardware         # timer and pin thunks run while it waits
                hardware.idle(it, inp)
            line = read_line(inp, cr)
            if line is None and not (quiet or buf):
                import rawrepl          # mpremote, ampy, Thonny: a raw REPL
                rawrepl.serve(inp)
                del sys.modules['rawrepl']
                out.fresh = True
        except KeyboardInterrupt:
            out('\n')
            buf = b''
            continue
        except MemoryError:     # (the heap the raw REPL's Python code left)
            out('Error: ' + out_of_memory(it) + '\n')
            buf = b''
            continue
        if line is None:
            continue
        if not line:
            return
        cr = line[-1] == 13
        buf += line
        try:
            pos = 0
            while True:
                form = read(it, buf, pos)
                if form == EOF:
                    break
                v = it.eval_read(buf, pos, form)
                pos = it.rpos
                show(it, v, out)
                buf = buf[pos:]
                pos = 0
            buf = b''
        except Incomplete:
            continue
        except LispError as e:
            buf = b''
            out('Error: ' + str(e) + '\n')
            it.recover()
        except KeyboardInterrupt:
            buf = b''
            out('\nInterrupted\n')
            it.recover()
        except MemoryError:
            buf = b''
            out('Error: ' + out_of_memory(it) + '\n')
        except SystemExit:
            return


def read_line(inp, cr):
    # A line of input as bytes ending in its b'\n' (b'' at the end of
    # input), read a byte at a time: a serial terminal's Enter is b'\r', a
    # Ctrl-D that starts a line ends the input, and a Ctrl-A that starts
    # one (None) is how mpremote, ampy and Thonny ask for a raw REPL.
    # cr: the last line ended in b'\r' (so a b'\n' next is the same Enter).
    rd = getattr(inp, 'buffer', inp).read
    line = b''
    while True:
        c = rd(1)
        if not c:
            return line
        if isinstance(c, str):
            c = c.encode()
        if c == b'\n':
            if cr and not line:
                cr = False
                continue
            return line + c
        if c == b'\r':
            return line + c
        if not line.strip():
            if c == b'\x01':
                return None
            if c == b'\x04':
                return b''
        line += c


class LineTracker:
    # The REPL's it.out: writes, and notes whether output ends a line.
    def __init__(self, write):
        self.write = write
        self.fresh = True

    def __call__(self, s):
        if s:
            self.fresh = s.endswith('\n')
            self.write(s)


def out_of_memory(it):
    # MicroPython's heap (not the arena) ran out: free what can be freed
    # and carry on with every definition kept.
    import builtin_table
    builtin_table.unload(it, None)
    it.recover()
    return 'out of memory (MicroPython heap; the arena still has room)'


def show(it, v, out):
    # The REPL's echo: nothing for an unspecified value, each of several
    # values on a line of its own.
    h = it.heap
    if h.record_kind(v) == RK_VALUES:
        for k in range(h.box_size(v) - 1):
            out(to_text(it, h.W[(v >> 1) + 2 + k], True) + '\n')
    elif v != UNSPEC:
        out(to_text(it, v, True) + '\n')


def flush(stream):
    try:
        stream.flush()
    except AttributeError:
        pass


def main(argv, Interp=None):
    if Interp is None:
        from mote import Interp
    args = argv[1:]
    board = 'unix'
    opts = {}
    quiet = False
    rest = []
    k = 0
    while k < len(args):
        a = args[k]
        if a == '--board' and k + 1 < len(args):
            board = args[k + 1]
            k += 1
        elif a == '--stress':
            opts['stress'] = opts.get('stress') or 1
        elif a == '--every' and k + 1 < len(args):
            opts['stress'] = int(args[k + 1])        # collect every Nth allocation
            k += 1
        elif a == '--arena' and k + 1 < len(args):
            opts['arena_words'] = int(args[k + 1])
            k += 1
        elif a == '--quiet':
            quiet = True
        else:
            rest.append(a)
        k += 1
    if not rest or rest[0] not in ('run', 'repl') or (rest[0] == 'run' and len(rest) < 2):
        sys.stderr.write('usage: mote.py run FILE | repl [--board B] [--stress [--every N]] [--arena WORDS] [--quiet]\n')
        return 2
    try:
        it = Interp(board, **opts)
    except LispError as e:
        sys.stderr.write('mote: ' + str(e) + '\n')
        return 2
    if rest[0] == 'repl':
        repl(it, quiet)
        return 0
    try:
        f = open(rest[1], 'rb')
    except OSError:
        sys.stderr.write('mote: cannot open ' + rest[1] + '\n')
        return 2
    try:
        run_file(it, f)
    except LispError as e:
        flush(sys.stdout)
        sys.stderr.write('Error: ' + str(e) + '\n')
        return 1
    except SystemExit as e:
        flush(sys.stdout)
        return e.args[0] if e.args else 0
    except KeyboardInterrupt:
        flush(sys.stdout)
        sys.stderr.write('Interrupted\n')
        return 130
    except MemoryError:
        flush(sys.stdout)
        sys.stderr.write('Error: ' + out_of_memory(it) + '\n')
        return 1
    finally:
        f.close()
    flush(sys.stdout)
    return 0
