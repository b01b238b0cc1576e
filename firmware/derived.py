# The compiler's derived forms: named let, do, define-macro and quasiquote,
# each rewritten into core forms (its result is compiled in turn). Less
# common than the core forms, so imported on the first one met: a board
# keeps this bytecode only if the program uses them. c: the Compiler.
from arena import NIL, UNSPEC, SYM0, CHAR0, PRIM0, T_VECTOR
from compiler import (kw, T_EXPR, KW_QUOTE, KW_QUASIQUOTE, KW_LAMBDA, KW_LETREC, KW_LET,
                      KW_IF, KW_BEGIN, KW_UNQUOTE, KW_UNQUOTE_SPLICING, KW_QQ, KW_DOLOOP,
                      KW_DO, KW_DEFINE_MACRO)
from evaluator import P_CONS
from compat import const

# builtins the rewritten forms call (their places in builtin_names'
# tables; host_tests check the numbers)
P_LIST = const(24)
P_APPEND = const(26)
P_LIST_TO_VECTOR = const(106)
P_DEFINE_MACRO = const(145)


def rewrite(c, k, p, x, rest, n):
    # The form x (keyword k, its n parts from rest on) in cell p, rewritten
    # in place and its compiling queued: (let name ...), do, define-macro,
    # quasiquote, and #qq (the depth of a nested quasiquote).
    h = c.h
    if k == KW_LET:
        named_let(c, p, x, rest)
    elif k == KW_DO:
        do(c, p, x, rest, n)
    elif k == KW_DEFINE_MACRO:
        define_macro(c, p, x, rest, n)
    elif k == KW_QUASIQUOTE:
        quasi(c, p, 1, h.car(rest))
    else:
        quasi(c, p, (h.car(rest) >> 2) - 8192, h.car(h.cdr(rest)))


def define_macro(c, p, x, rest, n):
    # (define-macro (name . params) body...) =>
    #   (%define-macro 'name (lambda params body...))
    it = c.it
    h = c.h
    t = h.car(rest) if n >= 3 else NIL
    if not c.is_pair(t):
        raise c.err('define-macro', x)
    it.push(PRIM0 + (P_DEFINE_MACRO << 2))
    it.push(kw(KW_QUOTE))
    it.push(h.car(t))
    it.push(c.make(2))
    it.push(kw(KW_LAMBDA))
    it.push(h.cdr(t))
    it.push(c.make(2, h.cdr(rest)))
    h.W[p >> 1] = c.make(3)
    c.blank(x, 2)
    c.task(T_EXPR, p)


def named_let(c, p, x, rest):
    # (let name ((v i) ...) body...) =>
    #   ((letrec ((name (lambda (v ...) body...))) name) i ...)
    it = c.it
    h = c.h
    name = h.car(rest)
    bs = h.car(h.cdr(rest))
    body = h.cdr(h.cdr(rest))
    n = 0
    lst = bs
    while lst != NIL:
        if not c.is_pair(lst) or not c.is_pair(h.car(lst)):
            raise c.err('let', x)
        it.push(h.car(h.car(lst)))
        n += 1
        lst = h.cdr(lst)
    vs = c.make(n)
    it.push(kw(KW_LAMBDA))
    it.push(vs)
    lam = c.make(2, body)
    it.push(name)
    it.push(lam)
    it.push(c.make(2))
    binding = c.make(1)
    it.push(kw(KW_LETREC))
    it.push(binding)
    it.push(name)
    it.push(c.make(3))
    lst = bs
    while lst != NIL:
        b = h.cdr(h.car(lst))
        it.push(h.car(b) if b != NIL else UNSPEC)
        lst = h.cdr(lst)
    h.W[p >> 1] = c.make(n + 1)
    c.blank(x, 3)
    c.task(T_EXPR, p)


def do(c, p, x, rest, n):
    # (do ((v init step) ...) (test res ...) body ...) =>
    #   (let #do ((v init) ...) (if test (begin res ...)
    #                               (begin body ... (#do step ...))))
    it = c.it
    h = c.h
    if n < 3 or not c.is_pair(h.car(h.cdr(rest))):
        raise c.err('do', x)
    bs = h.car(rest)
    tc = h.car(h.cdr(rest))
    it.push(kw(KW_LET))
    it.push(kw(KW_DOLOOP))
    it.push(bs)
    it.push(kw(KW_IF))
    it.push(h.car(tc))
    it.push(kw(KW_BEGIN))
    it.push(c.make(1, h.cdr(tc)))
    it.push(kw(KW_BEGIN))
    m = 1
    lst = h.cdr(h.cdr(rest))
    while lst != NIL:
        it.push(h.car(lst))
        m += 1
        lst = h.cdr(lst)
    it.push(kw(KW_DOLOOP))
    k = 1
    lst = bs
    while lst != NIL:
        b = h.car(lst)
        if not c.is_pair(b) or c.length(b) < 2:
            raise c.err('do', x)
        s = h.cdr(h.cdr(b))
        it.push(h.car(s) if s != NIL else h.car(b))
        k += 1
        lst = h.cdr(lst)
    it.push(c.make(k))
    it.push(c.make(m + 1))
    it.push(c.make(4))
    h.W[p >> 1] = c.make(4)
    c.task(T_EXPR, p)


def quasi(c, p, d, t):
    # One level of quasiquote expansion; the pieces are (#qq d x) forms
    # that the task loop expands in turn.
    it = c.it
    h = c.h
    W = h.W
    if h.box_type(t) == T_VECTOR:
        # #(a ,b ,@c): (list->vector (#qq 1 (a ,b ,@c))) if an element is
        # a list (an unquote may be in it), else a constant
        n = h.box_size(t)
        for k in range(n):
            if c.is_pair(W[(t >> 1) + 1 + k]):
                it.push(PRIM0 + (P_LIST_TO_VECTOR << 2))
                for j in range(n):
                    it.push(W[(t >> 1) + 1 + j])
                qq_push(c, d, c.make(n))
                W[p >> 1] = c.make(2)
                c.task(T_EXPR, p)
                return
    if not c.is_pair(t):
        if t & 3 == 3 and (SYM0 <= t < CHAR0 or t == NIL) or h.box_type(t) == T_VECTOR:
            it.push(kw(KW_QUOTE))
            it.push(t)
            t = c.make(2)
        W[p >> 1] = t
        c.task(T_EXPR, p)
        return
    hd = h.car(t)
    k = c.keyword(hd) if hd & 3 == 3 else -1
    if (k == KW_UNQUOTE or k == KW_QUASIQUOTE) and c.length(t) == 2:
        arg = h.car(h.cdr(t))
        if k == KW_UNQUOTE and d == 1:
            W[p >> 1] = arg
            c.task(T_EXPR, p)
            return
        # (list 'unquote (#qq d-1 arg)), likewise for nested quasiquote
        it.push(PRIM0 + (P_LIST << 2))
        it.push(kw(KW_QUOTE))
        it.push(hd)
        it.push(c.make(2))
        qq_push(c, d - 1 if k == KW_UNQUOTE else d + 1, arg)
        W[p >> 1] = c.make(3)
    else:
        if c.is_pair(hd) and d == 1 and c.keyword(h.car(hd)) == KW_UNQUOTE_SPLICING:
            it.push(PRIM0 + (P_APPEND << 2))
            it.push(h.car(h.cdr(hd)))
        else:
            it.push(PRIM0 + (P_CONS << 2))
            qq_push(c, d, hd)
        qq_push(c, d, h.cdr(t))
        W[p >> 1] = c.make(3)
    c.task(T_EXPR, p)


def qq_push(c, d, t):
    it = c.it
    it.push(kw(KW_QQ))
    it.push(((d + 8192) << 2) | 1)
    it.push(t)
    it.push(c.make(3))
