# Mote's second tier, at run time: global procedures that translator.py
# turned into MicroPython functions, run for the builtin %pycode
# (python_tier.py). A translated function works on the same words
# as the machine: its frame is a run of slots on S (arguments first), so
# the collector sees every value it holds, and it allocates nothing on the
# MicroPython heap:
#
#   def f(fp, d):       fp: first slot of the frame on S; d: twice the
#       ...             compiled frames below this one on the Python
#                       stack, plus one when the machine called it
#
# The closure keeps its Lisp body for the machine: its body becomes
# ((%pycode K orig)), where K is the function's place in Tier.funcs and
# orig a copy of the closure with the original body. The machine calls
# %pycode like any builtin; it runs the function or, when the Python stack
# is already as deep as the board allows (Tier.limit), tail-calls orig, so
# depth beyond that is the machine's, on S, as before.
#
# Calls from a function: to itself in tail position, a jump; to a compiled
# procedure, a Python call (one frame deeper); to a builtin, through
# Tier.call; in tail position of a function the machine called, back to
# the machine (Tier.tail). Anything else (a builtin that calls back, such
# as call/cc) runs the machine nested; a continuation that escapes out of
# such a nested run unwinds the Python frames above it with Throw
# (control.p_escape raises it), caught where the machine called %pycode.
from compat import const
from arena import LispError, NIL, FALSE, UNSPEC, TAILCALL, ESCAPE, PRIM0, T_CLOSURE, T_FRAME
from builtin_table import function, base_of
from evaluator import run

LOCAL0 = const(0x2003)      # the first word past the primitives
K_TOP_RAW = const(1)
RAW_RET = const(5)          # the machine's K_RET record (evaluator.py)


class Throw(Exception):
    # a continuation escaped below the nested run that compiled code started
    pass


class Tier:
    def __init__(self, it):
        prof = it.board
        self.it = it
        self.S = it.S
        self.limit = prof.get('tier_frames', 8)
        self.size = prof.get('tier_procedures', 16)
        self.funcs = []         # [function, closure, orig, nargs, d, tier] (a lambda's:
                                # [function, its maker, orig, nargs, d, tier, its
                                # closures' info, their body], orig in no environment)
        self.later = []         # closures waiting for a callee to be compiled
        self.depth = 0          # compiled frames below the innermost nested run
        self.d1 = 3             # d of the functions Tier.enter calls: 2 * depth + 3
        self.top = -1           # that nested run's K_TOP record on S
        # the translated functions' globals
        h = it.heap
        self.W = h.W
        self.C = h.C
        self.ns = {'S': it.S, 'G': it.G, 'W': h.W, 'C': h.C, 'it': it, 'cons': h.cons,
                   'call': self.call, 'tail': self.tail, 'lam': self.lam, 'frame': self.frame,
                   'LispError': LispError}
        self.pcode = PRIM0 + (base_of('python_tier') << 2)      # %pycode

    # (The functions that run at every call keep to a few locals each:
    # MicroPython puts a bigger frame on its heap, at every call.)
    def enter(self, a):
        # %pycode K orig at S[a], S[a + 1], in the body of a closure whose
        # frame the machine has just built below a: run K's function on a
        # copy of the arguments above a.
        S = self.S
        n = (S[a] >> 2) - 8192
        if n < 0 or n >= len(self.funcs):
            return self.fallback(a)     # (a saved image's: not translated here)
        e = self.funcs[n]
        if e is None or e[2] != S[a + 1] or self.depth >= self.limit:
            return self.fallback(a)
        a += 2
        n = e[3]
        S[a - 1] = S[a - 7 - n]             # the closure called (its environment)
        while n:
            n -= 1
            S[a + n] = S[a - 6 - e[3] + n]     # (the closure's slots: its arguments)
        e[4] = self.d1
        return go(e, a)

    def caught(self):
        if self.it.sp <= self.top:
            raise Throw()       # the mark is below the machine that called us too
        return ESCAPE

    def fallback(self, a):
        # The Lisp body instead (the function's slot was given to another
        # procedure, or the Python stack is as deep as allowed): a tail
        # call of orig on the closure's arguments, orig being a copy of the
        # closure as it was (a lambda's: of the lambda, without its
        # environment: then a closure of it in the called one's).
        it = self.it
        S = self.S
        orig = S[a + 1]
        h = it.heap
        W = h.W
        if S[a] & 3 != 1 or orig & 1 or h.code(orig >> 1) != 3 or \
                W[orig >> 1] >> 11 != T_CLOSURE or S[a - 2] != RAW_RET or \
                a - 5 - ((W[(orig >> 1) + 1] >> 2) & 63) < 0:
            raise LispError("%pycode: not the body of a compiled procedure")
        info = W[(orig >> 1) + 1] >> 2
        fp = a - 4 - (info & 63)        # (the closure's slots: its arguments)
        c = S[fp - 1]                   # the closure called
        if not c & 1 and h.code(c >> 1) == 3 and W[c >> 1] >> 11 == T_CLOSURE and \
                W[(c >> 1) + 3] != W[(orig >> 1) + 3]:
            c = h.alloc_box(T_CLOSURE, 4, NIL)
            for i in range(1, 5):
                W[c + i] = W[(orig >> 1) + i]
            W[c + 3] = W[(S[fp - 1] >> 1) + 3]
            orig = c << 1
        S[a - 1] = orig
        for i in range(info & 63):
            S[a + i] = S[fp + i]
        it.tbase = a - 1
        it.sp = a + (info & 63)
        return TAILCALL

    def call(self, top, n, d):
        # The call of S[top + 1] on the n arguments at S[top + 2...], from
        # compiled code (d as in the functions).
        op = self.S[top + 1]
        if op & 3 == 3 and PRIM0 < op < LOCAL0:
            op = self.prim(top, n, op)
            if op != TAILCALL:
                return op
            return self.nested(top, self.it.tbase, d)
        return self.proc(top, n, d, op)

    def prim(self, top, n, op):
        # a builtin other than apply (the machine's own)
        it = self.it
        it.S[top] = K_TOP_RAW
        it.sp = top + 2 + n
        it.fp = top + 2
        op = (op - PRIM0) >> 2
        lo = it.arity[op]
        if n < lo & 7 or (n > lo >> 3 and lo < 248):
            self.wrong(op, n)
        lo = function(it, op)(it, top + 2, n, op)
        if lo == ESCAPE:
            raise Throw()       # (unwinds the compiled frames)
        return lo

    def wrong(self, pid, n):
        raise LispError('%s: wrong number of arguments: %d' % (self.it.prim_name(pid), n))

    def proc(self, top, n, d, op):
        # a procedure: a compiled one directly, anything else by the machine
        if not op & 1 and d < 2 * self.limit:
            e = self.find_entry(op)
            if e is not None and e[3] == n:
                return e[0](top + 2, (d | 1) + 1)
        self.S[top] = K_TOP_RAW
        self.it.sp = top + 2 + n
        return self.nested(top, top + 1, d)

    def tail(self, fp, top, n):
        # A call in tail position of a function the machine called: hand
        # it to the machine (which replaces the function's activation)
        S = self.S
        fp -= 3                 # %pycode's own place (enter)
        self.it.tbase = fp
        self.it.sp = fp + n + 1
        n += top + 2
        top += 1
        while top < n:
            S[fp] = S[top]
            fp += 1
            top += 1
        return TAILCALL

    def find_entry(self, op):
        # The entry of the compiled closure op, or None. (It runs at every
        # call through a variable: car and cdr inline, C[x >> 3] >> (x & 6)
        # being x's cdr code; the body's form was made by cons, of pairs.)
        W = self.W
        if op & 1 or (self.C[op >> 3] >> (op & 6)) & 3 != 3 or W[op >> 1] >> 11 != T_CLOSURE:
            return None
        op = W[(op >> 1) + 2]               # the body
        if op & 1 or (self.C[op >> 3] >> (op & 6)) & 3 == 3:
            return None
        op = W[op >> 1]                     # its first form
        if op & 1 or (self.C[op >> 3] >> (op & 6)) & 3 or W[op >> 1] != self.pcode:
            return None
        op = W[(op >> 1) + 1]               # (K orig)
        if op & 1 or (self.C[op >> 3] >> (op & 6)) & 3:
            return None
        e = (W[op >> 1] >> 2) - 8192
        if not 0 <= e < len(self.funcs) or self.funcs[e] is None:
            return None
        e = self.funcs[e]
        return e if e[2] == W[W[(op >> 1) + 1] >> 1] else None

    def nested(self, top, base, d):
        # Run the machine on the call S[base:it.sp] above the K_TOP at top.
        it = self.it
        R = it.heap.R
        fp = it.fp
        env = R[0]
        dep = self.depth
        old = self.top
        self.depth = d >> 1
        self.d1 = (d | 1) + 2
        self.top = top
        it.fp = base + 1
        it.env = NIL
        try:
            v = run(it, NIL, base)
        finally:
            self.depth = dep
            self.d1 = 2 * dep + 3
            self.top = old
        it.fp = fp
        it.env = R[0] = env     # (R[0]: the machine's env register)
        return v

    def lam(self, e, env):
        # A closure of e, a translated lambda, in env (rooted on S)
        i = self.it.heap.alloc_box(T_CLOSURE, 4, NIL)
        self.W[i + 1] = e[6]
        self.W[i + 2] = e[7]
        self.W[i + 3] = env
        self.W[i + 4] = FALSE
        return i << 1

    def frame(self, parent, at, n):
        # A FRAME [parent][S[at]...S[at + n - 1]]: variables a translated
        # procedure keeps on S, for a closure it makes (parent rooted)
        i = self.it.heap.alloc_box(T_FRAME, n + 1, UNSPEC)
        self.W[i + 1] = parent
        while n:
            n -= 1
            self.W[i + 2 + n] = self.S[at + n]
        return i << 1

    def defined(self, clo):
        # clo was just defined as a global: translate it if it can be, with
        # the translator loaded only meanwhile (and not for the library's
        # definitions, nor a procedure with a rest list).
        it = self.it
        if it.loading or not self.size or it.heap.W[(clo >> 1) + 1] & 0x100:
            return
        import sys
        try:
            import translator
            translator.define(self, clo)
        except Exception:
            pass        # (no room for the translator: the machine runs clo)
        finally:
            sys.modules.pop('translator', None)


def go(e, a):
    # Tier.enter's call (a function of its own: with a try and more than
    # two locals, MicroPython would put its frame on the heap)
    try:
        return e[0](a, e[4])
    except Throw:
        return e[5].caught()
