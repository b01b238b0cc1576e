# The command line: `mote.py run FILE` (how the host tools run a program
# on a board too) and `mote.py repl` (repl.py, loaded only for it). A
# program file is read a window of whole lines at a time.
import sys
from arena import LispError, UNSPEC, EOF
from reader import read, Incomplete


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
        import repl
        repl.repl(it, quiet)
        return 0
    try:
        f = open(rest[1], 'rb')
    except OSError:
        sys.stderr.write('mote: cannot open ' + rest[1] + '\n')
        return 2
    try:
        if f.read(1) == b'\x00':       # `mote compile` made it: load runs it
            it.eval_string('(load "%s")' % rest[1].replace('\\', '\\\\').replace('"', '\\"'))
        else:
            f.seek(0)
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


def run_file(it, f, size=1024):
    # Evaluate every form of the open file f, read a window of whole lines
    # at a time: the heap holds the longest form, not the whole program.
    buf = bytearray(size)
    it.busy = 1             # (Python's callbacks wait for a safe point: interop.py)
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


def out_of_memory(it):
    # MicroPython's heap (not the arena) ran out: free what can be freed
    # and carry on with every definition kept.
    import builtin_table
    builtin_table.unload(it, None)
    it.recover()
    return 'out of memory (MicroPython heap; the arena still has room)'


def flush(stream):
    try:
        stream.flush()
    except AttributeError:
        pass
