# The REPL: what a person at a serial console or a terminal uses, and the
# board's start (boot, main.py's). Embedding code needs only mote.Interp,
# and running a program file (`mote.py run FILE`) only command.py, so this
# module is loaded on demand.
import sys
from arena import LispError, UNSPEC, EOF, RK_VALUES, NOLINK, MAXSIZE
from reader import read, Incomplete
from printer import to_text
from command import out_of_memory, flush


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
             + len(sy.names) + 3 * len(sy.ulen) + 2 * len(sy.index)
             + (2 * len(sy.boff) if sy.boff else 0)
             + (len(sy.bindex) if sy.bindex.__class__ is bytearray else 0)
             + 2 * len(c.ms) + len(c.smarks)
             + 2 * len(k.names) + len(k.slot) + 5 * len(k.lbase))
    return {'bytes_total': total, 'bytes_free': 2 * free, 'pairs_free': pairs,
            'arena_words': h.n, 'stack_words': len(it.S),
            'symbols_used': sy.used, 'symbols_max': len(sy.ulen), 'gc_runs': c.runs}


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
            it.busy = 0                 # (Python may call Lisp while it waits)
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
        it.busy = 1                     # (a Python callback waits: see interop.py)
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


def show(it, v, out):
    # The REPL's echo: nothing for an unspecified value, each of several
    # values on a line of its own.
    h = it.heap
    if h.record_kind(v) == RK_VALUES:
        for k in range(h.box_size(v) - 1):
            out(to_text(it, h.W[(v >> 1) + 2 + k], True) + '\n')
    elif v != UNSPEC:
        out(to_text(it, v, True) + '\n')
