# The list and vector builtins beyond the core. Procedures that take a
# procedure argument (filter, fold, sort, vector-map, ...) are in
# library.scm; a builtin given one (delete with a predicate) hands the call
# to the library through the evaluator. Hash tables are hash_tables.py.
from compat import const
from arena import decode, LispError, NIL, FALSE, UNSPEC, OTHER, CAR, T_VECTOR, MAXSIZE
from args import (arg_string, arg_int, arg_index, arg_pair, arg_vector, name, list_length,
                  call_library)
from builtin_table import base_of
import primitives

BASE = base_of('data')  # number of its first builtin
# places of family heads among its rows (builtin_table.py; test_data.py
# checks them)
P_LIST_COPY = const(1)
P_LAST_PAIR = const(5)
P_FIRST = const(7)
P_VCOPY = const(20)


def p_arg_error(it, a, n, op):
    # (%arg-error who what value): the library's argument errors
    S = it.S
    raise LispError(it.show(S[a]) + ': ' + decode(it.heap.string_bytes(arg_string(it, S[a + 1], op)))
                    + ': ' + it.show(S[a + 2]))


# -- lists -----------------------------------------------------------------------
def snoc(it, top, tail, x):
    # Add x at the end of the list being built in S[top] (tail: its last
    # pair, NIL while empty); returns the new last pair.
    c = it.heap.cons(x, NIL)
    if tail == NIL:
        it.S[top] = c
    else:
        it.heap.W[(tail >> 1) + 1] = c
    return c


def copy_list(it, v, k, deep, who):
    # A fresh copy of the first k pairs of v (all if k < 0), built front to
    # back; the copy ends in () after k pairs, else in v's own tail. With
    # deep, each element (a pair) is copied too (alist-copy). v must be
    # reachable from S.
    h = it.heap
    W = h.W
    it.push(NIL)
    top = it.sp - 1
    tail = NIL
    m = 0
    while m != k and not v & 1 and h.code(v >> 1) != OTHER:
        x = W[v >> 1]
        if deep:
            arg_pair(it, x, who)
            x = h.cons(W[x >> 1], h.cdr(x))
        tail = snoc(it, top, tail, x)
        v = h.cdr(v)
        m += 1
        if m > h.n:
            raise LispError(name(it, who) + ': circular list')
    if m != k and k > 0:
        raise LispError(name(it, who) + ': list too short: ' + it.show(it.S[top]))
    it.sp -= 1
    if tail == NIL:
        return v if k < 0 else NIL
    if k < 0:
        W[(tail >> 1) + 1] = v
    return it.S[top]


def p_list_copy(it, a, n, op):
    # list-copy alist-copy take list-head
    k = op - BASE - P_LIST_COPY
    v = it.S[a]
    if k == 1:
        list_length(it, v, op)
    m = -1 if k < 2 else count_arg(it, a, op)
    return copy_list(it, v, m, k == 1, op)


def p_last(it, a, n, op):
    # last-pair last
    v = arg_pair(it, it.S[a], op)
    n = it.heap.cdr(v)
    a = 0
    while not n & 1 and it.heap.code(n >> 1) != OTHER:
        v = n
        n = it.heap.cdr(v)
        a += 1
        if a > it.heap.n:
            raise LispError(name(it, op) + ': circular list')
    return v if op - BASE == P_LAST_PAIR else it.heap.W[v >> 1]


def too_short(it, a, who):
    raise LispError(name(it, who) + ': list too short: ' + it.show(it.S[a]))


def count_arg(it, a, who):
    # S[a+1] as a count (an integer >= 0)
    n = arg_int(it, it.S[a + 1], who)
    if n < 0:
        raise LispError(name(it, who) + ': bad count: ' + it.show(it.S[a + 1]))
    return n


def nth_tail(it, a, k, who):
    # the list after k pairs of S[a]
    v = it.S[a]
    while k > 0:
        if v & 1 or it.heap.code(v >> 1) == OTHER:
            too_short(it, a, who)
        v = it.heap.cdr(v)
        k -= 1
    return v


def p_nth(it, a, n, op):
    # first second third fourth fifth (list); drop (list k);
    # list-set! (list k obj)
    k = op - BASE - P_FIRST
    if k > 4:
        k = count_arg(it, a, op)
        if op - BASE - P_FIRST == 5:
            return nth_tail(it, a, k, op)
    v = nth_tail(it, a, k, op)
    if v & 1 or it.heap.code(v >> 1) == OTHER:
        if op - BASE - P_FIRST == 6:
            raise LispError(name(it, op) + ': index out of range: ' + str(k))
        too_short(it, a, op)
    if op - BASE - P_FIRST < 5:
        return it.heap.W[v >> 1]
    it.heap.W[v >> 1] = it.S[a + 2]
    return UNSPEC


def p_delete_item(it, a, n, op):
    # (delete x list [=]) delete! (no list is changed)
    if n == 3:
        return call_library(it, a, n, '%delete-by')
    S = it.S
    h = it.heap
    W = h.W
    list_length(it, S[a + 1], op)
    it.push(NIL)
    top = it.sp - 1
    tail = NIL
    v = S[a + 1]
    while v != NIL:
        x = W[v >> 1]
        if not primitives.equal(it, S[a], x):
            tail = snoc(it, top, tail, x)
        v = h.cdr(v)
    it.sp -= 1
    return S[top]


def p_delete_dups(it, a, n, op):
    # (delete-duplicates list [=]): the first of equal? elements stays
    if n == 2:
        return call_library(it, a, n, '%delete-dups-by')
    S = it.S
    h = it.heap
    W = h.W
    list_length(it, S[a], op)
    it.push(NIL)
    top = it.sp - 1
    tail = NIL
    v = S[a]
    while v != NIL:
        x = W[v >> 1]
        r = S[top]
        while r != NIL and not primitives.equal(it, W[r >> 1], x):
            r = W[(r >> 1) + 1]
        if r == NIL:
            tail = snoc(it, top, tail, x)
        v = h.cdr(v)
    it.sp -= 1
    return S[top]


def p_iota(it, a, n, op):
    # (iota count [start [step]])
    S = it.S
    h = it.heap
    m = arg_int(it, S[a], op)
    if m < 0:
        raise LispError(name(it, op) + ': bad count: ' + it.show(S[a]))
    s = arg_int(it, S[a + 1], op) if n > 1 else 0
    d = arg_int(it, S[a + 2], op) if n > 2 else 1
    it.push(NIL)
    while m > 0:
        m -= 1
        S[it.sp - 1] = h.cons(h.make_int(s + m * d), S[it.sp - 1])
    it.sp -= 1
    return S[it.sp]


def mutable_end(it, v):
    # The last pair of the non-empty proper list v if set-cdr! works on
    # it (an ordinary pair, not the end of a literal list), else NIL.
    h = it.heap
    while True:
        d = h.cdr(v)
        if d == NIL:
            return v if h.code(v >> 1) == CAR else NIL
        v = d


def p_append_bang(it, a, n, op):
    # (append! list ... obj): links the lists' last pairs (copying a list
    # that ends in a literal)
    S = it.S
    if n == 0:
        return NIL
    k = a + n - 2
    while k >= a:
        v = S[k]
        if list_length(it, v, op):
            e = mutable_end(it, v)
            if e == NIL:
                v = copy_list(it, v, -1, False, op)
                S[k] = v
                e = mutable_end(it, v)
            it.heap.W[(e >> 1) + 1] = S[a + n - 1]
            S[a + n - 1] = v
        k -= 1
    return S[a + n - 1]


def p_reverse_bang(it, a, n, op):
    # (reverse! list): in place if every pair is an ordinary one
    h = it.heap
    W = h.W
    v = it.S[a]
    list_length(it, v, op)
    c = v
    while c != NIL:
        if h.code(c >> 1) != CAR:
            return primitives.p_reverse(it, a, n, op)
        c = W[(c >> 1) + 1]
    r = NIL
    while v != NIL:
        d = W[(v >> 1) + 1]
        W[(v >> 1) + 1] = r
        r = v
        v = d
    return r


# -- vectors ---------------------------------------------------------------------
def vector_to_list(it, v, s, e):
    # A list of the elements s..e-1 of vector v (v must be on S).
    h = it.heap
    it.push(NIL)
    while e > s:
        e -= 1
        it.S[it.sp - 1] = h.cons(h.W[(v >> 1) + 1 + e], it.S[it.sp - 1])
    it.sp -= 1
    return it.S[it.sp]


def p_subvector(it, a, n, op):
    # vector-copy (v [start [end]]) subvector (v start end) vector-head
    # (v end) vector-tail (v start) subvector->list (v start end)
    k = op - BASE - P_VCOPY
    S = it.S
    h = it.heap
    v = arg_vector(it, S[a], op)
    size = h.box_size(v)
    s = 0
    e = size
    if k == 2:
        e = arg_index(it, S[a + 1], op, size + 1)
    elif n > 1:
        s = arg_index(it, S[a + 1], op, size + 1)
        if n > 2:
            e = arg_index(it, S[a + 2], op, size + 1)
    if s > e:
        raise LispError(name(it, op) + ': start ' + str(s) + ' is after end ' + str(e))
    if k == 4:
        return vector_to_list(it, v, s, e)
    r = h.alloc_box(T_VECTOR, e - s, NIL)
    W = h.W
    i = (v >> 1) + 1
    for j in range(e - s):
        W[r + 1 + j] = W[i + s + j]
    return r << 1


def vector_range(it, a, n, op, k):
    # start and end (S[a+k], S[a+k+1], each optional) within vector S[a],
    # as start * 4096 + end
    size = it.heap.box_size(arg_vector(it, it.S[a], op))
    s = arg_index(it, it.S[a + k], op, size + 1) if n > k else 0
    e = arg_index(it, it.S[a + k + 1], op, size + 1) if n > k + 1 else size
    if s > e:
        raise LispError(name(it, op) + ': start ' + str(s) + ' is after end ' + str(e))
    return s * 4096 + e


def p_vector_to_list(it, a, n, op):
    # (vector->list v [start [end]]) (for the core row, as vector->list:1-3)
    e = vector_range(it, a, n, op, 1)
    return vector_to_list(it, it.S[a], e >> 12, e & 4095)


def p_vector_fill(it, a, n, op):
    # (vector-fill! v x [start [end]]) (for the core row, as vector-fill!:2-4)
    e = vector_range(it, a, n, op, 2)
    W = it.heap.W
    for k in range((it.S[a] >> 1) + 1 + (e >> 12), (it.S[a] >> 1) + 1 + (e & 4095)):
        W[k] = it.S[a + 1]
    return UNSPEC


def p_vector_grow(it, a, n, op):
    # (vector-grow v k): a new vector of k elements, v's first
    S = it.S
    h = it.heap
    v = arg_vector(it, S[a], op)
    size = h.box_size(v)
    m = arg_int(it, S[a + 1], op)
    if m < size or m > MAXSIZE:
        raise LispError(name(it, op) + ': bad new size: ' + it.show(S[a + 1]))
    r = h.alloc_box(T_VECTOR, m, FALSE)
    W = h.W
    for j in range(size):
        W[r + 1 + j] = W[(v >> 1) + 1 + j]
    return r << 1


def p_vector_copy_bang(it, a, n, op):
    # (vector-copy! to at from [start [end]]); overlapping ranges work
    S = it.S
    h = it.heap
    to = arg_vector(it, S[a], op)
    tsize = h.box_size(to)
    at = arg_index(it, S[a + 1], op, tsize + 1)
    fr = arg_vector(it, S[a + 2], op)
    size = h.box_size(fr)
    s = arg_index(it, S[a + 3], op, size + 1) if n > 3 else 0
    e = arg_index(it, S[a + 4], op, size + 1) if n > 4 else size
    if s > e:
        raise LispError(name(it, op) + ': start ' + str(s) + ' is after end ' + str(e))
    if e - s > tsize - at:
        raise LispError(name(it, op) + ': ' + str(e - s) + ' elements do not fit at '
                        + str(at) + ' in a vector of ' + str(tsize))
    W = h.W
    d = (to >> 1) + 1 + at - s
    i = (fr >> 1) + 1
    if d + s > i + s:
        j = e - 1
        while j >= s:
            W[d + j] = W[i + j]
            j -= 1
    else:
        for j in range(s, e):
            W[d + j] = W[i + j]
    return UNSPEC


def p_vector_append(it, a, n, op):
    S = it.S
    h = it.heap
    m = 0
    for k in range(a, a + n):
        m += h.box_size(arg_vector(it, S[k], op))
    if m > MAXSIZE:
        raise LispError(name(it, op) + ': too long: ' + str(m) + ' elements (limit '
                        + str(MAXSIZE) + ')')
    r = h.alloc_box(T_VECTOR, m, NIL)
    W = h.W
    j = r + 1
    for k in range(a, a + n):
        v = S[k] >> 1
        for i in range(v + 1, v + 1 + (W[v] & MAXSIZE)):
            W[j] = W[i]
            j += 1
    return r << 1


# the functions of this module's rows in builtin_table.py, in their order
FUNCS = (p_arg_error,
         p_list_copy, p_list_copy, p_list_copy, p_list_copy, p_last, p_last,
         p_nth, p_nth, p_nth, p_nth, p_nth, p_nth, p_nth,
         p_delete_item, p_delete_item, p_delete_dups, p_iota, p_append_bang,
         p_reverse_bang, p_subvector, p_subvector, p_subvector, p_subvector,
         p_subvector, p_vector_grow, p_vector_copy_bang, p_vector_append)

# the functions of the core rows (primitives.FUNCS) that name this module,
# in their order: put in place when one of them is first called
CORE = (p_vector_to_list, p_vector_fill)
