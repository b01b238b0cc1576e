# The compiler pass: run once over each top-level form before it is
# evaluated. It rewrites the form in place so that the evaluator never looks
# anything up by name except globals:
#   * special-form heads become special-form immediates (R_* in evaluator.py);
#   * local variables become lexical addresses (stack slot, or heap frame
#     depth + slot), decided once per lambda;
#   * derived forms (named let, do, quasiquote, (define (f ...) ...)) are
#     rewritten into core forms.
# Work is driven by a task stack on S ([argument][task] pairs), never by
# Python recursion, so deeply nested code is fine.
from compat import const
from symbols import NUSER
from arena import (LispError, NIL, UNBOUND, SYM0, SF0, PRIM0, CHAR0,
                   OTHER, RK_MACRO, words)
from evaluator import (R_QUOTE, R_IF, R_DEFINE, R_SET, R_LAMBDA, R_BEGIN,
                       R_LET, R_COND, R_CASE, R_AND, R_OR, R_WHEN, R_UNLESS,
                       W_ELSE, W_ARROW)

# Keywords are the first built-in names, in this order (symbol 256 + k).
KEYWORDS = ('quote quasiquote lambda define set! if begin let let* letrec '
            'letrec* cond case and or when unless do else => unquote '
            'unquote-splicing #qq #do define-macro')
KW_QUOTE = const(0)
KW_QUASIQUOTE = const(1)
KW_LAMBDA = const(2)
KW_DEFINE = const(3)
KW_SET = const(4)
KW_IF = const(5)
KW_BEGIN = const(6)
KW_LET = const(7)
KW_LETSTAR = const(8)
KW_LETREC = const(9)
KW_LETRECSTAR = const(10)
KW_COND = const(11)
KW_CASE = const(12)
KW_AND = const(13)
KW_OR = const(14)
KW_WHEN = const(15)
KW_UNLESS = const(16)
KW_DO = const(17)
KW_ELSE = const(18)
KW_ARROW = const(19)
KW_UNQUOTE = const(20)
KW_UNQUOTE_SPLICING = const(21)
KW_QQ = const(22)
KW_DOLOOP = const(23)
KW_DEFINE_MACRO = const(24)
NKW = const(25)
NOT_FORMS = (KW_ELSE, KW_ARROW, KW_UNQUOTE, KW_UNQUOTE_SPLICING, KW_DOLOOP)
MAX_EXPANSIONS = const(20000)


class NeedChunk(Exception):
    # args[0]: the symbol of a library macro to load before compiling again
    pass

KW0 = const(0x4403)       # symbol word of keyword 0 (symbol 256)

T_EXPR = const(0)         # arg: list whose car is an expression
T_BIND = const(1)         # arg: list whose car is a variable to bind
T_BODY = const(2)         # arg: a body (list of forms)
T_POP = const(3)          # arg: raw scope height to return to
T_ENDLEVEL = const(4)     # arg: list whose car is a lambda's info word

SIMPLE_FORMS = {KW_IF: R_IF, KW_BEGIN: R_BEGIN, KW_AND: R_AND, KW_OR: R_OR,
                KW_WHEN: R_WHEN, KW_UNLESS: R_UNLESS}
MAXLEVEL = const(32)


def kw(k):
    return KW0 + (k << 2)


def sf(r):
    return SF0 + (r << 2)


class Compiler:
    def __init__(self, it):
        self.it = it
        self.h = it.heap
        # the variables in scope (their symbol words and slots): 64 to 256,
        # by the arena's size (the corpus needs at most 40)
        n = min(256, max(64, it.heap.n >> 6))
        self.names = words(n)
        self.slot = bytearray(n)
        self.nscope = 0
        # per level: scope height (a level's names are the scope from
        # there to the next level's height)
        self.lbase = bytearray(MAXLEVEL)
        self.lslots = bytearray(MAXLEVEL)
        self.lheap = bytearray(MAXLEVEL)
        self.lreq = bytearray(MAXLEVEL)
        self.lrest = bytearray(MAXLEVEL)
        self.nlevel = 0
        self.busy = False
        self.retry = False          # a use of an unloaded library macro raises NeedChunk
        self.expansions = 0

    # -- helpers ---------------------------------------------------------------
    def err(self, what, x):
        # what: the form's name, or its keyword's number
        if what.__class__ is int:
            what = self.it.symbols.name(NUSER + what)
        return LispError(what + ': bad syntax: ' + self.it.show(x))

    def is_pair(self, v):
        return not v & 1 and self.h.code(v >> 1) != OTHER

    def task(self, t, arg):
        it = self.it
        if it.sp + 2 > it.stack_limit:
            raise LispError('stack overflow')
        it.S[it.sp] = arg
        it.S[it.sp + 1] = (t << 2) | 1
        it.sp += 2

    def each(self, t, lst, what, form):
        # One task per element of a proper list, run first to last (a
        # macro defined by one form must be known when the next compiles).
        h = self.h
        mark = self.it.sp
        while lst != NIL:
            if not self.is_pair(lst):
                raise self.err(what, form)
            self.task(t, lst)
            lst = h.cdr(lst)
        self.reverse_tasks(mark)

    def reverse_tasks(self, mark):
        # Tasks pushed in execution order are popped last-first: flip them.
        S = self.it.S
        a = mark
        b = self.it.sp - 2
        while a < b:
            for k in (0, 1):
                t = S[a + k]
                S[a + k] = S[b + k]
                S[b + k] = t
            a += 2
            b -= 2

    def make(self, n, tail=NIL):
        # A compact list of the top n words of S (popped), ending in tail.
        it = self.it
        if n == 0:
            return tail
        v = self.h.alloc_list(it.sp - n, n, tail, it.S)
        it.sp -= n          # only now: the words are roots until copied
        return v

    def blank(self, x, n):
        # The first n words of a rewritten form are dead, but its body (a
        # tail of the same compact list) lives on: drop their references so
        # the symbols in them can be reclaimed.
        h = self.h
        while n:
            h.W[x >> 1] = NIL
            x = h.cdr(x)
            n -= 1

    def length(self, lst):
        n = 0
        while self.is_pair(lst):
            n += 1
            lst = self.h.cdr(lst)
        return n if lst == NIL else -1

    # -- scopes ------------------------------------------------------------------
    def open_level(self, heap):
        k = self.nlevel
        if k >= MAXLEVEL:
            raise LispError('lambda: nested too deeply')
        self.lbase[k] = self.nscope
        self.lslots[k] = 0
        self.lheap[k] = heap
        self.lreq[k] = 0
        self.lrest[k] = 0
        self.nlevel = k + 1

    def bind(self, name):
        if name & 3 != 3 or not SYM0 <= name < CHAR0:
            raise LispError('not a variable name: ' + self.it.show(name))
        lv = self.nlevel - 1
        s = self.lslots[lv]
        if s >= 63:
            raise LispError('too many local variables in one procedure (limit 63)')
        if self.nscope >= len(self.slot):
            raise LispError('too many variables in scope (%d on this board)' % len(self.slot))
        self.lslots[lv] = s + 1
        k = self.nscope
        self.names[k] = name
        self.slot[k] = s
        self.nscope = k + 1
        return self.address(lv, s)

    def address(self, lv, s):
        cur = self.nlevel - 1
        if lv == cur and not self.lheap[cur]:
            return 0x2003 + (s << 2)
        top = cur if self.lheap[cur] else cur - 1
        d = top - lv
        if d > 15:
            raise LispError('variable too many closures away (limit 15)')
        return 0x3003 + (((d << 6) | s) << 2)

    def lookup(self, name):
        # Lexical address of a local variable, or -1 for a global. An alias
        # (a let-syntax template's free name that the use site binds again:
        # a macro [name][height]) is that name bound below the height, in
        # the scope where the macro was defined: looked for only when the
        # name is not a local, so an ordinary lookup pays nothing for it.
        k = self.nscope - 1
        h = self.h
        while True:
            lv = self.nlevel - 1
            while k >= 0:
                while k < self.lbase[lv]:
                    lv -= 1
                if self.names[k] == name:
                    return self.address(lv, self.slot[k])
                k -= 1
            g = self.it.G[(name - SYM0) >> 2]
            if h.record_kind(g) != RK_MACRO or h.box_size(g) != 3:
                return -1
            name = h.W[(g >> 1) + 2]
            if name & 3 != 3 or not SYM0 <= name < CHAR0:
                return -1           # (a let-syntax macro's: [transformer][old value])
            k = (h.W[(g >> 1) + 3] >> 2) - 8193

    def keyword(self, v):
        # Keyword number of a symbol word not shadowed locally, else -1.
        # A keyword's alias (%%if: syntax-rules' hygiene, where a local
        # variable shadows if) is a macro whose transformer is the keyword.
        if v & 3 != 3 or not SYM0 <= v < CHAR0:
            return -1
        k = v
        if not KW0 <= k < KW0 + (NKW << 2):
            k = self.it.G[(v - SYM0) >> 2]
            if self.h.record_kind(k) != RK_MACRO:
                return -1
            k = self.h.W[(k >> 1) + 2]
            if k & 3 != 3 or not KW0 <= k < KW0 + (NKW << 2):
                return -1
        if self.lookup(v) >= 0:
            return -1
        return (k - KW0) >> 2

    def makes_closures(self, body):
        # Conservative: does this code create procedures? (lambda, named
        # let, do, (define (f ...)), quasiquote is fine). Walks with S.
        it = self.it
        h = self.h
        mark = it.sp
        it.push(body)
        found = False
        while it.sp > mark and not found:
            it.sp -= 1
            v = it.S[it.sp]
            while self.is_pair(v):
                a = h.car(v)
                if self.is_pair(a):
                    hd = h.car(a)
                    k = (hd - KW0) >> 2 if hd & 3 == 3 and hd >= KW0 else -1
                    if k == KW_LAMBDA or k == KW_DO:
                        found = True
                    elif k == KW_LET or k == KW_DEFINE:
                        r = h.cdr(a)
                        if self.is_pair(r):
                            t = h.car(r)
                            if (k == KW_LET and t & 3 == 3 and SYM0 <= t < CHAR0) or \
                                    (k == KW_DEFINE and self.is_pair(t)):
                                found = True
                    elif (k < 0 or k >= NKW) and hd & 3 == 3 and SYM0 <= hd < CHAR0 \
                            and self.global_macro(hd):
                        found = True        # a macro may expand into a lambda
                    if k != KW_QUOTE:           # (a literal may be circular)
                        it.push(a)
                v = h.cdr(v)
        it.sp = mark
        return found

    # -- driver -------------------------------------------------------------------
    def compile(self, cell):
        # Compile the form in the car of `cell` (rewriting it in place) as a
        # top-level body. Returns the info word of its frame.
        self.busy = True
        try:
            return self._compile(cell)
        finally:
            self.busy = False

    def _compile(self, cell):
        it = self.it
        self.nscope = 0
        self.nlevel = 0
        self.expansions = 0
        self.open_level(1 if self.makes_closures(cell) else 0)
        mark = it.sp
        self.task(T_EXPR, cell)
        S = it.S
        while it.sp > mark:
            it.sp -= 2
            arg = S[it.sp]
            t = S[it.sp + 1] >> 2
            if t == T_EXPR:
                self.expr(arg)
            elif t == T_BIND:
                self.h.W[arg >> 1] = self.bind(self.h.car(arg))
            elif t == T_BODY:
                self.body(arg)
            elif t == T_POP:
                self.nscope = arg >> 2
            else:
                self.end_level(arg)
        return self.info(0)

    def info(self, lv):
        return (self.lreq[lv] | (self.lrest[lv] << 6) | (self.lheap[lv] << 7)
                | (self.lslots[lv] << 8))

    def end_level(self, pos):
        lv = self.nlevel - 1
        self.h.W[pos >> 1] = (self.info(lv) << 2) | 1
        self.nscope = self.lbase[lv]
        self.nlevel = lv

    def body(self, body):
        # Bind a body's internal defines first (so they can call each other),
        # then compile its forms. Macro uses are expanded here, in place, so
        # that defines they produce are seen; begin forms are spliced (the
        # rest of each enclosing list waits on S).
        h = self.h
        it = self.it
        mark = it.sp
        lst = body
        while True:
            if lst == NIL:
                if it.sp == mark:
                    break
                it.sp -= 1
                lst = it.S[it.sp]
                continue
            if not self.is_pair(lst):
                raise self.err('body', body)
            e = h.car(lst)
            if self.is_pair(e):
                hd = h.car(e)
                k = self.keyword(hd)
                if k == KW_DEFINE and self.is_pair(h.cdr(e)):
                    name = h.car(h.cdr(e))
                    if self.is_pair(name):
                        name = h.car(name)
                    self.bind(name)
                elif k == KW_BEGIN:
                    it.push(h.cdr(lst))
                    lst = h.cdr(e)
                    continue
                elif k < 0 and hd & 3 == 3 and SYM0 <= hd < CHAR0 and \
                        self.lookup(hd) < 0 and self.global_macro(hd):
                    self.expand(lst, e, self.global_macro(hd))
                    continue            # look at the expansion
            lst = h.cdr(lst)
        self.each(T_EXPR, body, 'body', body)

    def expr(self, p):
        h = self.h
        W = h.W
        x = W[p >> 1]
        if x & 1:
            if x & 3 == 3 and SYM0 <= x < CHAR0:
                a = self.lookup(x)
                if a >= 0:
                    W[p >> 1] = a
            return
        if not self.is_pair(x):
            return
        hd = W[x >> 1]
        if hd & 3 == 3 and SF0 <= hd < PRIM0:
            return                      # compiled already
        k = self.keyword(hd)
        if k < 0 and hd & 3 == 3 and SYM0 <= hd < CHAR0 and self.macro_use(p, x, hd):
            return
        if k < 0 or k in NOT_FORMS:
            self.each(T_EXPR, x, 'call', x)
            return
        rest = h.cdr(x)
        n = self.length(x)
        if n < 0:
            raise self.err(self.it.show(hd), x)
        if k in SIMPLE_FORMS:
            if k == KW_IF and not 3 <= n <= 4 or (k == KW_WHEN or k == KW_UNLESS) and n < 2:
                raise self.err(self.it.show(hd), x)
            W[x >> 1] = sf(SIMPLE_FORMS[k])
            self.each(T_EXPR, rest, 'form', x)
        elif k == KW_QUOTE:
            if n != 2:
                raise self.err(KW_QUOTE, x)
            W[x >> 1] = sf(R_QUOTE)
        elif k == KW_LAMBDA:
            if n < 3:
                raise self.err(KW_LAMBDA, x)
            self.lambda_(rest, x)
        elif k == KW_DEFINE:
            self.define(p, x, rest, n)
        elif k == KW_SET:
            if n != 3:
                raise self.err(KW_SET, x)
            t = h.car(rest)
            if t & 3 != 3 or not SYM0 <= t < CHAR0:
                raise self.err(KW_SET, x)
            a = self.lookup(t)
            if a >= 0:
                W[rest >> 1] = a
            W[x >> 1] = sf(R_SET)
            self.task(T_EXPR, h.cdr(rest))
        elif k == KW_LET and n >= 3 and SYM0 <= h.car(rest) < CHAR0 and h.car(rest) & 3 == 3:
            import derived
            derived.rewrite(self, KW_LET, p, x, rest, n)
        elif KW_LET <= k <= KW_LETRECSTAR:
            if n < 3:
                raise self.err(KW_LET, x)
            self.let(k, x, rest)
        elif k == KW_COND or k == KW_CASE:
            self.clauses(k, x, rest)
        else:   # do, define-macro, quasiquote and #qq: derived.py's
            if k == KW_QUASIQUOTE and n != 2:
                raise self.err(k, x)
            import derived
            derived.rewrite(self, k, p, x, rest, n)

    # -- macros ---------------------------------------------------------------------
    def global_macro(self, hd):
        # The macro the global symbol hd names (loading it from the library
        # if need be), or 0. A compile that can be started again from the
        # form's text (self.retry) asks its caller to load the chunk instead:
        # loading nested in the compiler would nest Python frames, chunk
        # within chunk, and a board's C stack has room for only a few.
        it = self.it
        i = (hd - SYM0) >> 2
        g = it.G[i]
        if g == UNBOUND and i >= it.lib_first and it.lib_macros[i - it.lib_first] \
                and hd not in it.loading:
            if self.retry:
                raise NeedChunk(hd)
            g = it.autoload(hd)
        return g if self.h.record_kind(g) == RK_MACRO else 0

    def macro_use(self, p, x, hd):
        # If hd names a macro here, replace the form by its expansion, to be
        # compiled in turn.
        if self.lookup(hd) >= 0:
            return False
        g = self.global_macro(hd)
        if not g:
            return False
        self.expand(p, x, g)
        self.task(T_EXPR, p)
        return True

    def expand(self, p, x, g):
        # Replace the form x (the car of p) by its expansion by macro g.
        it = self.it
        self.expansions += 1
        if self.expansions > MAX_EXPANSIONS:
            raise LispError('macro expansion does not end: ' + it.show(x))
        it.push(g)
        v = it.call(it.global_value('%expand'), g, x)
        it.sp -= 1
        self.h.W[p >> 1] = v

    # -- special forms -------------------------------------------------------------
    def lambda_(self, rest, x):
        h = self.h
        body = h.cdr(rest)
        self.open_level(1 if self.makes_closures(body) else 0)
        lv = self.nlevel - 1
        ps = h.car(rest)
        while self.is_pair(ps):
            self.bind(h.car(ps))
            self.lreq[lv] += 1
            ps = h.cdr(ps)
        if ps != NIL:
            self.bind(ps)
            self.lrest[lv] = 1
        h.W[x >> 1] = sf(R_LAMBDA)
        h.W[rest >> 1] = 1
        self.task(T_ENDLEVEL, rest)
        self.task(T_BODY, body)

    def define(self, p, x, rest, n):
        h = self.h
        W = h.W
        if n < 2:
            raise self.err(KW_DEFINE, x)
        t = h.car(rest)
        if self.is_pair(t):
            # (define (f . params) body...) => (define f (lambda params body...))
            if n < 3:
                raise self.err(KW_DEFINE, x)
            it = self.it
            it.push(kw(KW_LAMBDA))
            it.push(h.cdr(t))
            lam = self.make(2, h.cdr(rest))
            it.push(lam)
            it.push(kw(KW_DEFINE))
            it.push(h.car(t))
            it.push(lam)
            new = self.make(3)
            it.sp -= 1
            W[p >> 1] = new
            self.blank(x, 2)
            self.task(T_EXPR, p)
            return
        if n > 3 or t & 3 != 3 or not SYM0 <= t < CHAR0:
            raise self.err(KW_DEFINE, x)
        a = self.lookup(t)
        if a >= 0:
            W[x >> 1] = sf(R_SET)
            W[rest >> 1] = a
        elif self.nlevel == 1:
            W[x >> 1] = sf(R_DEFINE)
        else:
            raise LispError('define: only allowed at the start of a body: ' + self.it.show(x))
        if n == 3:
            self.task(T_EXPR, h.cdr(rest))

    def let(self, k, x, rest):
        # let, let*, letrec, letrec*: one R_LET; they differ only in the
        # order names are bound relative to compiling the inits.
        it = self.it
        h = self.h
        bs = h.car(rest)
        self.task(T_POP, (self.nscope << 2) | 1)
        self.task(T_BODY, h.cdr(rest))
        mark = it.sp
        lst = bs
        while lst != NIL:
            if not self.is_pair(lst):
                raise self.err(KW_LET, x)
            b = h.car(lst)
            m = self.length(b)
            if not 1 <= m <= 2 or h.car(b) & 3 != 3:
                raise self.err(KW_LET, x)
            if k == KW_LETSTAR:
                if m == 2:
                    self.task(T_EXPR, h.cdr(b))
                self.task(T_BIND, b)
            elif k == KW_LET and m == 2:
                self.task(T_EXPR, h.cdr(b))
            lst = h.cdr(lst)
        if k != KW_LETSTAR:
            lst = bs
            while lst != NIL:
                b = h.car(lst)
                self.task(T_BIND, b)
                lst = h.cdr(lst)
        if k >= KW_LETREC:
            lst = bs
            while lst != NIL:
                b = h.car(lst)
                if h.cdr(b) != NIL:
                    self.task(T_EXPR, h.cdr(b))
                lst = h.cdr(lst)
        self.reverse_tasks(mark)
        h.W[x >> 1] = sf(R_LET)

    def clauses(self, k, x, rest):
        h = self.h
        W = h.W
        if k == KW_CASE:
            if rest == NIL:
                raise self.err(KW_CASE, x)
            self.task(T_EXPR, rest)
            rest = h.cdr(rest)
        lst = rest
        while lst != NIL:
            cl = h.car(lst)
            if not self.is_pair(lst) or not self.is_pair(cl) or self.length(cl) < 0:
                raise self.err(k, x)
            lst = h.cdr(lst)
        W[x >> 1] = sf(R_CASE if k == KW_CASE else R_COND)
        lst = rest
        while lst != NIL:
            cl = h.car(lst)
            if self.keyword(h.car(cl)) == KW_ELSE:
                W[cl >> 1] = W_ELSE
            elif k == KW_COND:
                self.task(T_EXPR, cl)
            body = h.cdr(cl)
            if body != NIL and self.keyword(h.car(body)) == KW_ARROW:
                W[body >> 1] = W_ARROW
                body = h.cdr(body)
            self.each(T_EXPR, body, KW_COND, x)
            lst = h.cdr(lst)

