# Argument checks and list helpers shared by the built-in procedures
# (primitives.py, arith.py, text.py, ...), and the two that hand a builtin's
# call on to a Lisp procedure. A builtin gets its arguments in S[a:a+n] and
# its own number `op`, which errors use to name it.
from arena import (LispError, NIL, TRUE, FALSE, CHAR0, OTHER, T_STRING, T_INT, T_CHAR,
                   T_VECTOR, TAILCALL)


def arg_int(it, v, who):
    if v & 3 == 1:
        return (v >> 2) - 8192
    if not v & 1:
        h = it.heap
        i = v >> 1
        if (h.C[i >> 2] >> ((i & 3) << 1)) & 3 == OTHER and h.W[i] >> 11 == T_INT:
            return h.int_value(v)
    raise LispError(name(it, who) + ': not an integer: ' + it.show(v))

def arg_index(it, v, who, n):
    if v & 3 != 1 or not 0 <= (v >> 2) - 8192 < n:
        raise LispError(name(it, who) + ': index out of range: ' + it.show(v))
    return (v >> 2) - 8192

def arg_pair(it, v, who):
    if v & 1 or it.heap.code(v >> 1) == OTHER:
        raise LispError(name(it, who) + ': not a pair: ' + it.show(v))
    return v

def arg_type(it, v, t, who, what):
    if it.heap.box_type(v) != t:
        raise LispError(name(it, who) + ': not a ' + what + ': ' + it.show(v))
    return v

def arg_char(it, v, who):
    # code point of a char: an immediate, or a T_CHAR box above U+1FFF
    if v & 3 == 3 and v >= CHAR0:
        return (v - CHAR0) >> 2
    if it.heap.box_type(v) != T_CHAR:
        raise LispError(name(it, who) + ': not a char: ' + it.show(v))
    return it.heap.int_value(v)

def arg_string(it, v, who):
    return arg_type(it, v, T_STRING, who, 'string')

def arg_vector(it, v, who):
    return arg_type(it, v, T_VECTOR, who, 'vector')

def name(it, who):
    # who: a builtin's number or a name
    return who if isinstance(who, str) else it.prim_name(who)

def truth(b):
    return TRUE if b else FALSE

def build_list(it, a, n, tail):
    # A fresh list of S[a:a+n] ending in tail (S keeps everything alive).
    h = it.heap
    it.push(tail)
    k = a + n - 1
    while k >= a:
        it.S[it.sp - 1] = h.cons(it.S[k], it.S[it.sp - 1])
        k -= 1
    it.sp -= 1
    return it.S[it.sp]

def list_length(it, v, who):
    # Length of a proper list; error for improper or circular ones.
    n = count(it.heap, v)
    if n < 0:
        raise LispError(name(it, who) + (': circular list' if n == -2 else
                                         ': not a proper list: ' + it.show(v)))
    return n

def count(h, v):
    # The length of the list v, -1 if improper, -2 if longer than the arena
    # (circular). Few locals, the cdr inline, C[v >> 3] >> (v & 6) being v's
    # cdr code: it runs for every element given to length, reverse, apply ...
    n = 0
    while v != NIL:
        k = 3 if v & 1 else (h.C[v >> 3] >> (v & 6)) & 3
        if k == OTHER:
            return -1
        v = h.W[(v >> 1) + 1] if k == 0 else v + 2 if k == 1 else NIL
        n += 1
        if n > h.n:
            return -2
    return n

def spread(it, v, who):
    # Push the elements of the proper list v onto S; returns how many.
    m = list_length(it, v, who)
    while v != NIL:
        it.push(it.heap.car(v))
        v = it.heap.cdr(v)
    return m


def tail_call(it, base, sp):
    # Hand the call S[base:sp] to the evaluator.
    if sp > it.stack_limit:
        raise LispError('stack overflow')
    it.tbase = base
    it.sp = sp
    return TAILCALL


def call_library(it, a, n, fname, extra=()):
    # Hand this builtin's call to the library procedure fname: its
    # arguments S[a:a+n], then the words in extra. The procedure is found
    # first: loading its chunk uses the stack above S[a+n].
    f = it.global_value(fname)
    S = it.S
    S[a - 1] = f
    for k in range(len(extra)):
        S[a + n + k] = extra[k]
    return tail_call(it, a - 1, a + n + len(extra))
