# Mote: the interpreter object, its embedding API and the REPL.
#   it = Interp(board='unix'); it.eval_string('(+ 1 2)')  ->  '3'
# Also a script: `mote.py run FILE [--board B] [--stress [--every N]]`,
#                `mote.py repl [--board B] [--quiet]`.
import gc
import sys
from array import array
from arena import (Heap, LispError, NIL, UNSPEC, UNBOUND, EOF, SYM0, PRIM0,
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


def library_names():
    # The names the library defines (its ';;; name ...' chunk headers), and
    # which of them are macros (the compiler loads those when it meets one).
    names = []
    macros = []
    p = library_path()
    if p:
        with open(p) as f:
            for line in f:
                if line.startswith(';;; '):
                    names.extend(line.split()[1:])
                elif line.startswith('(define-macro ('):
                    macros.append(line[15:].split()[0].rstrip(')'))
    return ' '.join(names), macros


def library_chunk(name):
    # Source of the library chunk that defines `name`, or None.
    p = library_path()
    if not p:
        return None
    out = None
    with open(p) as f:
        for line in f:
            if line.startswith(';;; '):
                if out is not None:
                    break
                if name in line.split()[1:]:
                    out = []
            elif out is not None:
                out.append(line)
    return None if out is None else ''.join(out).encode()


def load_board(name):
    # Board profile (boards/NAME.json); sizes fall back to DEFAULTS.
    import json
    import os
    d = here()
    dirs = [os.getenv('MOTE_BOARDS_DIR') or '', d + '/../boards', d + '/boards',
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
        self.heap = Heap(prof['arena_words'])
        n = prof['stack_words']
        self.S = array('H', bytes(2 * n))
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
        # built-in names: keywords, builtins, library procedures; the
        # names live only in the symbol table's blob
        names = []
        arity = bytearray()
        for entry in builtin_table.TABLE.split():
            name, ar = entry.split(':')
            lo = ar.split('-')[0]
            hi = ar[len(lo) + 1:] if '-' in ar else lo
            names.append(name)
            arity.append(int(lo))
            arity.append(int(hi) if hi else 255)
        self.arity = bytes(arity)
        self.prims = builtin_table.functions()
        self.prim_base = NKW
        lib, macros = library_names()
        blob = (KEYWORDS + ' ' + ' '.join(names) + ' ' + lib).encode()
        self.prim_list = names.index('list')
        self.prim_append = names.index('append')
        self.prim_cons = names.index('cons')
        nprims = len(names)
        names = None
        self.symbols = Symbols(blob, prof['symbol_bytes'])
        self.lib_first = NUSER + NKW + nprims     # first library name's ID
        self.lib_macros = bytearray(self.symbols.nbuiltin + NUSER - self.lib_first)
        for m in macros:
            b = m.encode()
            self.lib_macros[self.symbols.intern(b, 0, len(b)) - self.lib_first] = 1
        macros = lib = None
        self.G = array('H', [UNBOUND] * (NUSER + self.symbols.nbuiltin))
        for k in range(nprims):
            self.G[NUSER + NKW + k] = PRIM0 + (k << 2)
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
        src = library_chunk(nm) if i >= self.lib_first else None
        if src is None:
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

    def call(self, f, x, y):
        # Call the procedure f with arguments x and y from Python (used at
        # compile time, to expand macros); returns its value.
        base = self.sp
        floor = self.enter()
        fp = self.fp
        env = self.env
        try:
            self.push(1)                    # K_TOP
            self.push(f)
            self.push(x)
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
    import repl
    sys.exit(repl.main(sys.argv))
