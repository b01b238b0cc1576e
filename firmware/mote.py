# Mote: the interpreter object, its embedding API and the REPL.
#   it = Interp(board='unix'); it.eval_string('(+ 1 2)')  ->  '3'
# Also a script: `mote.py run FILE [--board B] [--stress [--every N]]`,
#                `mote.py repl [--board B] [--quiet]`.
import gc
import sys
from array import array
try:
    # Collect often while the bytecode loads: otherwise its garbage spreads
    # over the whole heap and what stays live is left scattered, so that a
    # board with enough free bytes has no run long enough for the arena.
    gc.threshold(4096)
except AttributeError:
    pass
from arena import (LispError, NIL, UNSPEC, UNBOUND, EOF, SYM0,
                   T_FRAME, RK_ERROR, const)
from symbols import NUSER
from reader import read
from printer import to_text
from compiler import Compiler, NeedChunk, NKW
from evaluator import run
import primitives

# Registers (heap.R: words the collector treats as roots), as in WORDS.md
_R_ENV = const(0)         # the running procedure's env
_R_X = const(1)           # the form being run
_R_READ = const(3)        # the form just read (Interp.read)
_R_VALUE = const(4)       # the last value eval returned
_R_FORM = const(8)        # the last top-level form evaluated ...
_R_CELL = const(9)        # ... and the cell holding its compiled code
_R_HANDLERS = const(10)   # exception handlers
_R_WINDERS = const(11)    # dynamic-wind entries
_R_OUTPUT = const(12)     # current output port


def load_board(name):
    # The profile of board `name` (startup.py, dropped again after).
    import startup
    try:
        return startup.load_board(name)
    finally:
        sys.modules.pop('startup', None)


def too_deep(e):
    # MicroPython's C stack ran out (macros expanded inside macro
    # expansions, each a nested evaluation): an error of the form being
    # run, which leaves the session as it was.
    if 'maximum recursion' not in str(e):
        raise e
    return LispError('nested too deeply for this board (macro expansion '
                     'or library loading inside another): ' + str(e))


class Interp:
    def __init__(self, board='unix', **sizes):
        # (startup.py: its bytecode is needed only now)
        import startup
        try:
            startup.setup(self, board, sizes)
        finally:
            sys.modules.pop('startup', None)

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
        # The evaluator or the compiler found sym unbound: a keyword (uLisp's
        # :output) is itself; a library name's chunk is loaded and its value
        # returned (autoload.py: RAM only until the outermost load is over).
        i = (sym - SYM0) >> 2
        if i < self.lib_first:
            nm = self.symbols.name(i)
            if nm[0] == ':' and len(nm) > 1:
                return sym
            raise LispError('unbound variable: ' + nm)
        import autoload
        try:
            return autoload.load(self, sym)
        except RuntimeError as e:
            if self.depth:
                raise               # (eval's to report)
            raise too_deep(e)
        finally:
            if not self.loading:
                sys.modules.pop('autoload', None)

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
        for r in (_R_ENV, _R_X, _R_HANDLERS, _R_WINDERS):
            self.push(R[r])
        R[_R_HANDLERS] = R[_R_WINDERS] = NIL
        floor = self.floor
        self.floor = base
        return floor

    def leave(self, base, floor):
        # Undo enter(), whose stack base was `base`.
        R = self.heap.R
        S = self.S
        R[_R_ENV] = S[base]
        R[_R_X] = S[base + 1]
        R[_R_HANDLERS] = S[base + 2]
        R[_R_WINDERS] = S[base + 3]
        self.sp = base
        self.floor = floor

    def compile(self, cell, retry=False):
        # Compile the form in cell's car; a compile started while another
        # is running (eval from a macro) gets a compiler of its own. retry:
        # the caller can read the form again (see Compiler.global_macro).
        c = self.compiler
        if c.busy:
            c = Compiler(self)
        c.retry = retry
        return c.compile(cell)

    def raise_error(self, e):
        # The evaluator caught e with an exception handler installed: set up
        # the call (raise <error object>) at the top of the stack.
        h = self.heap
        f = self.global_value('raise')
        base = self.sp
        self.push(f)
        b = str(e).encode()     # (a MemoryError's: memory allocation failed ...)
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
        self.heap.R[_R_READ] = v
        return v

    def eval(self, form, retry=False):
        base = self.sp
        self.depth += 1
        try:
            R = self.heap.R
            if form == R[_R_FORM] and not form & 1:
                # evaluated before: the form was compiled in place, reuse it
                cell = R[_R_CELL]
                info = self.last_info
                self.push(cell)
            else:
                self.push(form)
                cell = self.heap.cons(form, NIL)
                self.S[base] = cell
                info = self.compile(cell, retry)
                R[_R_FORM] = form
                R[_R_CELL] = cell
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
            self.heap.R[_R_VALUE] = v
            return v
        except RuntimeError as e:
            if self.depth > 1:
                raise
            raise too_deep(e)
        finally:
            self.sp = base
            self.env = NIL
            R = self.heap.R
            R[_R_ENV] = R[_R_X] = NIL
            self.depth -= 1
            if not self.depth:
                # a top-level form is over: so is its dynamic state (an
                # error may have left handlers or winders installed), and
                # so are let-syntax's macros (their symbols can be reclaimed)
                R[_R_HANDLERS] = R[_R_WINDERS] = R[_R_OUTPUT] = NIL
                tm = self.temp_macros
                while tm:
                    v = tm.pop()
                    self.G[(tm.pop() - SYM0) >> 2] = v

    def run_bytes(self, buf, each=None):
        # Evaluate every form in buf; returns the last value.
        pos = 0
        v = UNSPEC
        while True:
            form = read(self, buf, pos)
            if form == EOF:
                return v
            v = self.eval_read(buf, pos, form)
            pos = self.rpos
            if each:
                each(v)

    def eval_read(self, buf, pos, form):
        # Evaluate form, just read from buf at pos (self.rpos: after it,
        # also on return). A form that uses a library macro not loaded yet
        # is read again once its chunk is in: compiling rewrote it in place.
        end = self.rpos
        while True:
            self.heap.R[_R_READ] = form
            try:
                v = self.eval(form, True)
                break
            except NeedChunk as e:
                self.autoload(e.args[0])
                form = read(self, buf, pos)
        self.rpos = end
        return v

    def run_string(self, text):
        return self.run_bytes(text.encode())

    def eval_string(self, text):
        v = self.run_string(text)
        return '' if v == UNSPEC else to_text(self, v, True)

    def repr(self, v):
        return to_text(self, v, True)

    def stats(self):
        # Memory figures (repl.py computes them: the prompt shows one).
        import repl
        return repl.stats(self)

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
    # Interp is handed over: command.py importing `mote` would load this
    # module's bytecode a second time
    import command
    sys.exit(command.main(sys.argv, Interp))
