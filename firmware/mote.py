# Mote: the interpreter object, its embedding API and the REPL.
#   it = Interp(board='unix'); it.eval_string('(+ 1 2)')  ->  '3'
# Also a script: `mote.py run FILE [--board B] [--stress [--every N]]`,
#                `mote.py repl [--board B] [--quiet]`.
import gc
import sys
try:
    # Collect often while the bytecode loads: otherwise its garbage spreads
    # over the whole heap and what stays live is left scattered, so that a
    # board with enough free bytes has no run long enough for the arena.
    gc.threshold(4096)
except AttributeError:
    pass
from arena import (Heap, words, LispError, NIL, UNSPEC, UNBOUND, EOF, SYM0, PRIM0,
                   T_FRAME, MAXSIZE, NOLINK, RK_ERROR)
from symbols import Symbols, NUSER
from collector import Collector
from reader import read
from printer import to_text
from compiler import Compiler, KEYWORDS, KW_QUOTE, KW_QUASIQUOTE, KW_UNQUOTE, \
    KW_UNQUOTE_SPLICING, NKW
from evaluator import run
import primitives
import builtin_table

DEFAULTS = {'arena_words': 8192, 'stack_words': 8192, 'symbol_bytes': 2048,
            'heap': 131072}


def here():
    return __file__.rsplit('/', 1)[0] if '/' in __file__ else '.'


def library_path():
    # library.scm: built-ins written in Mote, loaded a chunk at a time on
    # first use (so a board holds in RAM only the ones a program uses).
    for d in (here(), '/lib', '.'):
        try:
            open(d + '/library.scm').close()
            return d + '/library.scm'
        except OSError:
            pass
    return None


def library_rows(p):
    # The chunk headers of the library at path p (';;; name ...' lines: the
    # names it defines) and the names of its macros, marked by a line
    # starting '(define-macro (': the compiler loads those when it meets one.
    rows = []
    macros = []
    if p:
        with open(p) as f:
            for line in f:
                if line.startswith(';;; '):
                    rows.append(line[4:])
                elif line.startswith('(define-macro ('):
                    macros.append(line[15:].split()[0].rstrip(')'))
    return rows, macros


def library_names():
    rows, macros = library_rows(library_path())
    return ' '.join([r.strip() for r in rows]), macros


def name_blob(rows, blob, arity):
    # The built-in names of rows (strings of space-separated names, with
    # ':arity' after a builtin's) written into blob one space apart, and
    # builtins' arities as (lo, hi) byte pairs into arity: no Python string
    # per name (342 of them would cost 20 KB of a board's heap). With blob
    # None only measures. Returns (bytes used, number of names with arity).
    pos = -1
    nar = 0
    for row in rows:
        rb = row.encode()
        n = len(rb)
        i = 0
        while i < n:
            c = rb[i]
            if c <= 32:
                i += 1
                continue
            pos += 1                    # the space before this name
            if blob is not None and pos:
                blob[pos - 1] = 32
            while i < n and rb[i] > 32 and rb[i] != 58:     # up to ':'
                if blob is not None:
                    blob[pos] = rb[i]
                pos += 1
                i += 1
            if i < n and rb[i] == 58:
                lo = hi = 0
                i += 1
                while i < n and 48 <= rb[i] <= 57:
                    lo = lo * 10 + rb[i] - 48
                    i += 1
                if i < n and rb[i] == 45:                   # '-'
                    i += 1
                    if i < n and 48 <= rb[i] <= 57:
                        while i < n and 48 <= rb[i] <= 57:
                            hi = hi * 10 + rb[i] - 48
                            i += 1
                    else:
                        hi = 255
                else:
                    hi = lo
                if arity is not None:
                    arity[2 * nar] = lo
                    arity[2 * nar + 1] = hi
                nar += 1
    return pos, nar


def library_chunk(p, name):
    # Source of the chunk of the library at path p that defines `name`, or
    # None. Found by byte offsets, then read in one piece: gathering its
    # lines would take three times its size of a board's heap for a moment.
    if not p:
        return None
    key = name.encode()
    start = end = -1
    pos = 0
    with open(p, 'rb') as f:
        for line in f:
            pos += len(line)
            if line.startswith(b';;; '):
                if start >= 0:
                    end = pos - len(line)
                    break
                if key in line.split():
                    start = pos
        if start < 0:
            return None
        if end < 0:
            end = pos
        f.seek(start)
        return f.read(end - start)


def load_board(name):
    # Board profile (boards/NAME.json); sizes fall back to DEFAULTS.
    import json
    import os
    d = here()
    env = getattr(os, 'getenv', None)     # the unix port's; boards have none
    dirs = [(env and env('MOTE_BOARDS_DIR')) or '', d + '/../boards', d + '/boards',
            d, '/boards', '/lib/boards']
    for d in dirs:
        if not d:
            continue
        try:
            with open(d + '/' + name + '.json') as f:
                prof = json.load(f)
            break
        except OSError:
            pass
    else:
        if name != 'unix':
            raise LispError('unknown board: ' + name)
        prof = {'name': 'unix'}
    for k in DEFAULTS:
        if k not in prof:
            prof[k] = DEFAULTS[k]
    return prof


class Interp:
    def __init__(self, board='unix', **sizes):
        prof = load_board(board)
        for k in sizes:
            prof[k] = sizes[k]
        self.board = prof
        # built-in names first (keywords, builtins, library procedures;
        # the names live only in the symbol table's blob), so that their
        # temporaries are gone before the big arrays are allocated
        rows = [KEYWORDS] + builtin_table.rows()
        self.library = library_path()       # library.scm, found once
        lib, macros = library_rows(self.library)
        rows.extend(lib)
        lib = None
        size, nprims = name_blob(rows, None, None)
        blob = bytearray(size)
        arity = bytearray(2 * nprims)
        name_blob(rows, blob, arity)
        rows = None
        self.arity = bytes(arity)
        self.prim_base = NKW
        arity = None
        gc.collect()
        self.prims = builtin_table.functions()
        self.symbols = Symbols(blob, prof['symbol_bytes'])
        blob = None
        sy = self.symbols
        self.prim_list = sy.intern(b'list', 0, 4) - NUSER - NKW
        self.prim_append = sy.intern(b'append', 0, 6) - NUSER - NKW
        self.prim_cons = sy.intern(b'cons', 0, 4) - NUSER - NKW
        self.lib_first = NUSER + NKW + nprims     # first library name's ID
        self.lib_macros = bytearray(self.symbols.nbuiltin + NUSER - self.lib_first)
        for m in macros:
            b = m.encode()
            self.lib_macros[self.symbols.intern(b, 0, len(b)) - self.lib_first] = 1
        macros = None
        self.G = words(NUSER + self.symbols.nbuiltin, UNBOUND)
        for k in range(nprims):
            self.G[NUSER + NKW + k] = PRIM0 + (k << 2)
        gc.collect()
        self.heap = Heap(prof['arena_words'])
        n = prof['stack_words']
        self.S = words(n)
        self.sp = 0
        self.fp = 0
        self.env = NIL
        self.stack_limit = n - 64
        self.rpos = 0
        self.last_info = 0
        self.tbase = 0          # a builtin's TAILCALL: where the call starts
        self.gensyms = 0
        self.depth = 0          # nesting of eval (autoload, macro expansion)
        self.loading = []       # library names whose chunks are loading
        self.floor = 0          # continuations may not escape below this
        self.temp_macros = []   # let-syntax macros of the form being run
        self.sym_quote = self.kw(KW_QUOTE)
        self.sym_quasiquote = self.kw(KW_QUASIQUOTE)
        self.sym_unquote = self.kw(KW_UNQUOTE)
        self.sym_unquote_splicing = self.kw(KW_UNQUOTE_SPLICING)
        self.sym_define_macro = self.symbol(b'%define-macro', 0, 13)
        self.collector = Collector(self)
        self.heap.collector = self.collector.collect
        self.symbols.on_full = self.collector.collect
        self.compiler = Compiler(self)
        self.out = sys.stdout.write
        self.heap.stress = int(prof.get('stress') or 0)
        self.compact = prof['heap'] < 262144
        builtin_table.compacting(self.compact)
        gc.collect()        # start with the start-up garbage gone

    def kw(self, k):
        return SYM0 + ((NUSER + k) << 2)

    # -- helpers used across modules ----------------------------------------------
    def push(self, v):
        if self.sp >= self.stack_limit:
            raise LispError('stack overflow')
        self.S[self.sp] = v
        self.sp += 1

    def show(self, v):
        # Short printed form of a value for error messages.
        sp = self.sp
        try:
            t = to_text(self, v, True)
        except LispError:
            t = '...'
        self.sp = sp
        return t if len(t) <= 72 else t[:69] + '...'

    def symbol(self, buf, start, end):
        return SYM0 + (self.symbols.intern(buf, start, end) << 2)

    def proc_name(self, v):
        # A closure's name for messages: its define'd name, or its text.
        w = self.heap.W[(v >> 1) + 4]
        if w & 3 == 3 and SYM0 <= w < 0x8003:
            return self.symbols.name((w - SYM0) >> 2)
        return self.show(v)

    def prim_name(self, pid):
        return self.symbols.name(NUSER + NKW + pid)

    def global_value(self, text):
        # Value of the global named text (loading it from the library).
        b = text.encode()
        s = self.symbol(b, 0, len(b))
        v = self.G[(s - SYM0) >> 2]
        return v if v != UNBOUND else self.autoload(s)

    def autoload(self, sym):
        # The evaluator found sym unbound: if the library defines it, load
        # that chunk (nested evaluation: the caller's env register is kept
        # on the stack meanwhile) and return its value.
        i = (sym - SYM0) >> 2
        nm = self.symbols.name(i)
        src = library_chunk(self.library, nm) if i >= self.lib_first else None
        if src is None:
            if nm[0] == ':' and len(nm) > 1:
                return sym      # a keyword (uLisp's :output): itself
            raise LispError('unbound variable: ' + nm)
        base = self.sp
        floor = self.enter()
        self.loading.append(sym)
        try:
            self.run_bytes(src)
        finally:
            self.loading.pop()
            self.leave(base, floor)
        v = self.G[i]
        if v == UNBOUND:
            raise LispError('library.scm: its chunk does not define ' + nm)
        return v

    def call(self, f, x=NIL, y=NIL, n=2):
        # Call the procedure f with n (0..2) arguments x and y from Python
        # (to expand macros, to run a timer's thunk); returns its value.
        base = self.sp
        floor = self.enter()
        fp = self.fp
        env = self.env
        try:
            self.push(1)                    # K_TOP
            self.push(f)
            if n > 0:
                self.push(x)
            if n > 1:
                self.push(y)
            self.fp = base + 5
            self.env = NIL
            return run(self, NIL, base + 5)
        finally:
            self.leave(base, floor)
            self.fp = fp
            self.env = env

    def enter(self):
        # A nested evaluation (macro expansion, library load) keeps the
        # caller's registers on S (env and x as roots, handlers, winders),
        # starts with no handlers or dynamic-wind entries, and no
        # continuation may escape below it: the Python frames in between
        # would be skipped. Returns the old floor for leave.
        R = self.heap.R
        base = self.sp
        for r in (0, 1, 10, 11):
            self.push(R[r])
        R[10] = R[11] = NIL
        floor = self.floor
        self.floor = base
        return floor

    def leave(self, base, floor):
        # Undo enter(), whose stack base was `base`.
        R = self.heap.R
        S = self.S
        R[0] = S[base]
        R[1] = S[base + 1]
        R[10] = S[base + 2]
        R[11] = S[base + 3]
        self.sp = base
        self.floor = floor

    def compile(self, cell):
        # Compile the form in cell's car; a compile started while another
        # is running (eval from a macro) gets a compiler of its own.
        c = self.compiler
        if c.busy:
            c = Compiler(self)
        return c.compile(cell)

    def raise_error(self, e):
        # The evaluator caught e with an exception handler installed: set up
        # the call (raise <error object>) at the top of the stack.
        h = self.heap
        f = self.global_value('raise')
        base = self.sp
        self.push(f)
        b = str(e).encode()
        self.push(h.make_string(b, 0, len(b)))
        obj = h.alloc_record(RK_ERROR, 2, NIL)
        h.W[(obj >> 1) + 2] = self.S[base + 1]
        self.S[base + 1] = obj
        self.tbase = base

    def apply_object(self, base, n):
        import control
        return control.apply_object(self, base, n)

    def memv(self, v, lst):
        h = self.heap
        while lst != NIL and h.is_pair(lst):
            if primitives.eqv(self, v, h.car(lst)):
                return True
            lst = h.cdr(lst)
        return False

    # -- embedding API --------------------------------------------------------------
    def read(self, text, pos=0):
        # Read one form into the arena. It stays valid until the next read.
        buf = text.encode() if isinstance(text, str) else text
        v = read(self, buf, pos)
        self.heap.R[3] = v
        return v

    def eval(self, form):
        base = self.sp
        self.depth += 1
        try:
            R = self.heap.R
            if form == R[8] and not form & 1:
                # evaluated before: the form was compiled in place, reuse it
                cell = R[9]
                info = self.last_info
                self.push(cell)
            else:
                self.push(form)
                cell = self.heap.cons(form, NIL)
                self.S[base] = cell
                info = self.compile(cell)
                R[8] = form
                R[9] = cell
                self.last_info = info
            nslots = info >> 8
            if info & 128:
                fr = self.heap.alloc_box(T_FRAME, 1 + nslots, UNSPEC)
                self.heap.W[fr + 1] = NIL
                self.env = fr << 1
                self.push(self.env)
            else:
                self.env = NIL
                for k in range(nslots):
                    self.push(UNSPEC)
            self.fp = base + 1
            self.push(1)                       # K_TOP
            v = run(self, self.heap.W[cell >> 1])
            self.heap.R[4] = v
            return v
        finally:
            self.sp = base
            self.env = NIL
            R = self.heap.R
            R[0] = R[1] = NIL
            self.depth -= 1
            if not self.depth:
                # a top-level form is over: so is its dynamic state (an
                # error may have left handlers or winders installed), and
                # so are let-syntax's macros (their symbols can be reclaimed)
                R[10] = R[11] = R[12] = NIL
                while self.temp_macros:
                    self.G[(self.temp_macros.pop() - SYM0) >> 2] = UNBOUND

    def run_bytes(self, buf, each=None):
        # Evaluate every form in buf; returns the last value.
        pos = 0
        v = UNSPEC
        while True:
            form = read(self, buf, pos)
            pos = self.rpos
            if form == EOF:
                return v
            self.heap.R[3] = form
            v = self.eval(form)
            if each:
                each(v)

    def run_string(self, text):
        return self.run_bytes(text.encode())

    def eval_string(self, text):
        v = self.run_string(text)
        return '' if v == UNSPEC else to_text(self, v, True)

    def repr(self, v):
        return to_text(self, v, True)

    def stats(self):
        h = self.heap
        free = 0
        pairs = 0
        for r in (h.free, h.free2):
            while r != NOLINK:
                t = (h.W[r] & MAXSIZE) + 1
                free += t
                pairs += t >> 1
                r = h.W[r + 1]
        total = (2 * h.n + len(h.C) + 2 * len(h.R) + 2 * len(self.S) + 2 * len(self.G)
                 + self.symbols.bytes_total() + self.collector.bytes_total()
                 + self.compiler.bytes_total())
        return {'bytes_total': total, 'bytes_free': 2 * free, 'pairs_free': pairs,
                'arena_words': h.n, 'stack_words': len(self.S),
                'symbols_used': self.symbols.used, 'symbols_max': NUSER,
                'gc_runs': self.collector.runs}

    def recover(self):
        # After an error or Ctrl-C: empty the stack and rebuild the free
        # list, so an allocation cut short leaves nothing behind.
        self.sp = 0
        self.env = NIL
        for k in range(len(self.heap.R)):
            self.heap.R[k] = NIL
        self.collector.collect()

    def repl(self, quiet=False, inp=None):
        # The read-eval-print loop lives in repl.py, loaded only when used.
        import repl
        repl.repl(self, quiet, inp)


if __name__ == '__main__':
    # Interp is handed over: repl.py importing `mote` would load this
    # module's bytecode a second time
    import repl
    sys.exit(repl.main(sys.argv, Interp))
