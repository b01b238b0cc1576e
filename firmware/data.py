# Hash tables and the list and vector builtins beyond the core. Procedures
# that take a procedure argument (filter, fold, sort, hash-table-walk,
# vector-map, ...) are in library.scm; a builtin given one (delete with a
# predicate) hands the call to the library through the evaluator.
#
# A hash table is a RECORD of kind RK_TABLE with three fields:
#   [equivalence][count][buckets]
# equivalence is a fixnum (0 eq?, 1 eqv?, 2 equal?, 3 string=?), count a
# fixnum, buckets a vector of chains: lists of (key . value) entries. The
# table doubles its buckets (rehashing the chain cells in place) when the
# count passes twice their number, up to MAXSIZE buckets. Objects never
# move, so eq? hashes the word itself.
from compat import const
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, PRIM0, OTHER, CAR,
                   T_STRING, T_INT, T_VECTOR, T_FLOAT, T_BYTES, RK_TABLE, MAXSIZE)
from args import (arg_int, arg_index, arg_pair, arg_vector, name, truth,
                  list_length, build_list)
from control import tail_call
import primitives

BASE = 0                # number of this module's first builtin (builtin_table.py)
NB0 = const(8)          # buckets of a new table
HASH_NODES = const(32)  # parts of a pair/vector key that equal? hashing visits
FIX0 = const(32769)     # the fixnum 0


# -- hashing ---------------------------------------------------------------------
def content_hash(h, v, t):
    # Hash of a box's contents: a string's or bytevector's bytes, the limbs
    # of a bignum, the words of a float.
    W = h.W
    i = v >> 1
    acc = t
    if t == T_STRING or t == T_BYTES:
        m = W[i + 1]
        e = i + 2 + (m >> 1)
        for k in range(i + 1, e):
            acc = (acc * 31 + W[k]) & 0xFFFFFF
        if m & 1:
            acc = (acc * 31 + (W[e] & 0xFF)) & 0xFFFFFF
        return acc
    for k in range(i + 1, i + 1 + (W[i] & MAXSIZE)):
        acc = (acc * 31 + W[k]) & 0xFFFFFF
    return acc


def atom_hash(h, v, kind):
    # Hash of v as a whole: the word, or the contents where eqv?/equal?
    # compare them (for kind 1 numbers only).
    if v & 1:
        return v
    t = h.box_type(v)
    if t == T_INT or t == T_FLOAT or (kind > 1 and (t == T_STRING or t == T_BYTES)):
        return content_hash(h, v, t)
    return v


def equal_hash(it, v):
    # equal? hash: walks pairs and vectors (a pending stack on S) visiting
    # at most HASH_NODES parts, so equal structures hash alike and circular
    # ones end.
    h = it.heap
    S = it.S
    W = h.W
    base = it.sp
    it.push(v)
    acc = 0
    budget = HASH_NODES
    while it.sp > base and budget:
        it.sp -= 1
        v = S[it.sp]
        budget -= 1
        if h.is_pair(v):
            acc = (acc * 31 + 7) & 0xFFFFFF
            it.push(h.cdr(v))
            it.push(W[v >> 1])
        elif h.box_type(v) == T_VECTOR:
            m = W[v >> 1] & MAXSIZE
            acc = (acc * 31 + 11 + m) & 0xFFFFFF
            if m > budget:
                m = budget
            k = (v >> 1) + m
            while k > v >> 1:
                it.push(W[k])
                k -= 1
        else:
            acc = (acc * 31 + atom_hash(h, v, 2)) & 0xFFFFFF
    it.sp = base
    return acc


def key_hash(it, v, kind, who):
    if kind == 0:
        return v
    h = it.heap
    if kind == 3:
        if h.box_type(v) != T_STRING:
            raise LispError(name(it, who) + ': not a string: ' + it.show(v))
        return content_hash(h, v, T_STRING)
    if kind == 2 and (h.is_pair(v) or h.box_type(v) == T_VECTOR):
        return equal_hash(it, v)
    return atom_hash(h, v, kind)


def mix(x, nb):
    # Bucket of hash x among nb: spreads words that differ in a few bits
    # (consecutive fixnums, symbols, neighbouring pairs) over the buckets.
    x = (x ^ (x >> 16)) & 0xFFFF
    x = ((x >> 2) * 2533 + x) & 0xFFFF
    return (x ^ (x >> 9)) % nb


def str_eq(h, x, y):
    # string=? on two strings, without making Python objects
    if h.box_type(x) != T_STRING or h.box_type(y) != T_STRING:
        return False
    W = h.W
    i = x >> 1
    j = y >> 1
    m = W[i + 1]
    if W[j + 1] != m:
        return False
    for k in range(2, 2 + (m >> 1)):
        if W[i + k] != W[j + k]:
            return False
    k = 2 + (m >> 1)
    return not m & 1 or (W[i + k] ^ W[j + k]) & 0xFF == 0


def same_key(it, x, y, kind):
    if x == y:
        return True
    if kind == 0:
        return False
    if kind == 1:
        return primitives.eqv(it, x, y)
    if kind == 2:
        return primitives.equal(it, x, y)
    return str_eq(it.heap, x, y)


# -- tables ----------------------------------------------------------------------
def arg_table(it, v, who):
    if it.heap.record_kind(v) != RK_TABLE:
        raise LispError(name(it, who) + ': not a hash table: ' + it.show(v))
    return v


def new_table(it, kind, nb):
    h = it.heap
    t = h.alloc_record(RK_TABLE, 3, NIL)
    it.push(t)
    vec = h.alloc_box(T_VECTOR, nb, NIL)
    it.sp -= 1
    i = (t >> 1) + 2
    h.W[i] = ((kind + 8192) << 2) | 1
    h.W[i + 1] = FIX0
    h.W[i + 2] = vec << 1
    return t


def slot_of(it, t, key, who):
    # W index of the bucket that holds key's chain
    W = it.heap.W
    i = (t >> 1) + 2
    vec = W[i + 2] >> 1
    return vec + 1 + mix(key_hash(it, key, (W[i] >> 2) - 8192, who), W[vec] & MAXSIZE)


def find(it, t, slot, key):
    # key's entry in the chain at W[slot], or NIL
    W = it.heap.W
    kind = (W[(t >> 1) + 2] >> 2) - 8192
    c = W[slot]
    while c != NIL:
        e = W[c >> 1]
        if same_key(it, key, W[e >> 1], kind):
            return e
        c = W[(c >> 1) + 1]
    return NIL


def lookup(it, t, key, who):
    return find(it, t, slot_of(it, t, key, who), key)


def put(it, t, key, val, who, replace):
    # Set key's value (or only add it if missing and not replace). t, key
    # and val must be reachable from S.
    h = it.heap
    W = h.W
    slot = slot_of(it, t, key, who)
    e = find(it, t, slot, key)
    if e != NIL:
        if replace:
            W[(e >> 1) + 1] = val
        return
    e = h.cons(key, val)
    W[slot] = h.cons(e, W[slot])        # (cons roots its arguments)
    i = (t >> 1) + 3
    W[i] += 4                           # count + 1
    nb = W[W[i + 1] >> 1] & MAXSIZE
    if (W[i] >> 2) - 8192 > 2 * nb and nb < MAXSIZE:
        grow(it, t, 2 * nb if 2 * nb < MAXSIZE else MAXSIZE)


def grow(it, t, nn):
    # Rehash into nn buckets, moving the chain cells (no allocation after
    # the new vector's).
    h = it.heap
    W = h.W
    i = (t >> 1) + 2
    kind = (W[i] >> 2) - 8192
    new = h.alloc_box(T_VECTOR, nn, NIL)
    old = W[i + 2] >> 1
    for b in range(old + 1, old + 1 + (W[old] & MAXSIZE)):
        c = W[b]
        while c != NIL:
            nxt = W[(c >> 1) + 1]
            s = new + 1 + mix(key_hash(it, W[W[c >> 1] >> 1], kind, 0), nn)
            W[(c >> 1) + 1] = W[s]
            W[s] = c
            c = nxt
    W[i + 2] = new << 1


def equivalence(it, v, who):
    # kind of an equivalence procedure given to make-hash-table
    k = (v - PRIM0) >> 2
    if v & 3 == 3 and PRIM0 <= v < 0x2003:
        if primitives.P_EQ <= k <= primitives.P_EQ + 2:
            return k - primitives.P_EQ
        if k == primitives.P_STRING_EQ:
            return 3
    raise LispError(name(it, who) + ': unsupported equivalence (use eq?, eqv?, equal? or '
                    'string=?): ' + it.show(v))


def size_hint(it, v, who):
    # buckets for a table expected to hold v entries
    m = arg_int(it, v, who)
    nb = NB0
    while nb * 2 < m and nb < 1024:
        nb *= 2
    return nb


def p_make_table(it, a, n, op):
    # make-hash-table [equivalence [hash]] (either may be a size instead);
    # make-eq-hash-table make-eqv-hash-table make-equal-hash-table
    # make-string-hash-table make-strong-eqv-hash-table
    # make-strong-eq-hash-table [size]
    k = op - BASE - P_MAKE
    kind = (2, 0, 1, 2, 3, 1, 0)[k]
    nb = NB0
    for j in range(a, a + n):
        v = it.S[j]
        if k or v & 3 == 1:
            nb = size_hint(it, v, op)
        elif j == a:
            kind = equivalence(it, v, op)
        elif not primitives.is_procedure(it, v):
            raise LispError(name(it, op) + ': not a hash function: ' + it.show(v))
    return new_table(it, kind, nb)


def p_alist_to_table(it, a, n, op):
    # (alist->hash-table alist [equivalence [hash]]): the first association
    # of a key wins
    S = it.S
    h = it.heap
    kind = equivalence(it, S[a + 1], op) if n > 1 else 2
    list_length(it, S[a], op)
    t = new_table(it, kind, NB0)
    it.push(t)
    lst = S[a]
    while lst != NIL:
        e = arg_pair(it, h.car(lst), op)
        put(it, t, h.car(e), h.cdr(e), op, False)
        lst = h.cdr(lst)
    it.sp -= 1
    return t


def p_tablep(it, a, n, op):
    return truth(it.heap.record_kind(it.S[a]) == RK_TABLE)


def p_ref(it, a, n, op):
    # hash-table-ref (t key [fail [success]]) hash-table-ref/default
    # hash-table/get (t key default) hash-table-contains?
    # hash-table-exists? (t key)
    S = it.S
    k = op - BASE - P_REF
    e = lookup(it, arg_table(it, S[a], op), S[a + 1], op)
    if k > 2:
        return truth(e != NIL)
    if e != NIL:
        v = it.heap.W[(e >> 1) + 1]
        if n == 4:
            S[a - 1] = S[a + 3]
            S[a] = v
            return tail_call(it, a - 1, a + 1)
        return v
    if k:
        return S[a + 2]
    if n > 2:
        S[a - 1] = S[a + 2]
        return tail_call(it, a - 1, a)
    raise LispError(name(it, op) + ': key not found: ' + it.show(S[a + 1]))


def p_set(it, a, n, op):
    # hash-table-set! hash-table/put!
    S = it.S
    put(it, arg_table(it, S[a], op), S[a + 1], S[a + 2], op, True)
    return UNSPEC


def p_delete(it, a, n, op):
    # hash-table-delete! hash-table/remove!
    S = it.S
    t = arg_table(it, S[a], op)
    key = S[a + 1]
    W = it.heap.W
    kind = (W[(t >> 1) + 2] >> 2) - 8192
    slot = slot_of(it, t, key, op)
    prev = NIL
    c = W[slot]
    while c != NIL:
        nxt = W[(c >> 1) + 1]
        if same_key(it, key, W[W[c >> 1] >> 1], kind):
            if prev == NIL:
                W[slot] = nxt
            else:
                W[(prev >> 1) + 1] = nxt
            W[(t >> 1) + 3] -= 4
            break
        prev = c
        c = nxt
    return UNSPEC


def p_count(it, a, n, op):
    # hash-table-count hash-table-size
    return it.heap.W[(arg_table(it, it.S[a], op) >> 1) + 3]


def p_contents(it, a, n, op):
    # hash-table-keys hash-table-values hash-table->alist
    k = op - BASE - P_KEYS
    h = it.heap
    W = h.W
    vec = W[(arg_table(it, it.S[a], op) >> 1) + 4] >> 1
    it.push(NIL)
    top = it.sp - 1
    for b in range(vec + 1, vec + 1 + (W[vec] & MAXSIZE)):
        c = W[b]
        while c != NIL:
            e = W[c >> 1]
            if k == 2:
                x = h.cons(W[e >> 1], W[(e >> 1) + 1])
            else:
                x = W[(e >> 1) + k]
            it.S[top] = h.cons(x, it.S[top])
            c = W[(c >> 1) + 1]
    it.sp -= 1
    return it.S[top]


def p_clear(it, a, n, op):
    t = arg_table(it, it.S[a], op)
    vec = it.heap.alloc_box(T_VECTOR, NB0, NIL)
    W = it.heap.W
    W[(t >> 1) + 3] = FIX0
    W[(t >> 1) + 4] = vec << 1
    return UNSPEC


def p_copy(it, a, n, op):
    # (hash-table-copy t [mutable?]): same buckets, fresh entries
    h = it.heap
    W = h.W
    t = arg_table(it, it.S[a], op)
    i = (t >> 1) + 2
    old = W[i + 2] >> 1
    nb = W[old] & MAXSIZE
    new = new_table(it, (W[i] >> 2) - 8192, nb)
    it.push(new)
    vec = W[(new >> 1) + 4] >> 1
    for b in range(1, nb + 1):
        c = W[old + b]
        while c != NIL:
            e = W[c >> 1]
            x = h.cons(W[e >> 1], W[(e >> 1) + 1])
            W[vec + b] = h.cons(x, W[vec + b])
            c = W[(c >> 1) + 1]
    W[(new >> 1) + 3] = W[i + 1]
    it.sp -= 1
    return new


def p_buckets(it, a, n, op):
    # (%hash-table-buckets t): the bucket vector, for the library's walks
    return it.heap.W[(arg_table(it, it.S[a], op) >> 1) + 4]


def p_hash(it, a, n, op):
    # (hash obj [bound]) equal?-hash; (string-hash s [bound])
    S = it.S
    x = key_hash(it, S[a], 2 if op - BASE == P_HASH else 3, op)
    x = (x ^ (x >> 13)) & 0x1FFF
    if n > 1:
        m = arg_int(it, S[a + 1], op)
        if m <= 0:
            raise LispError(name(it, op) + ': bound must be positive: ' + it.show(S[a + 1]))
        if m < 0x2000:
            x %= m
    return ((x + 8192) << 2) | 1


def p_arg_error(it, a, n, op):
    # (%arg-error who what value): the library's argument errors
    S = it.S
    raise LispError(it.show(S[a]) + ': ' + it.heap.string_bytes(S[a + 1]).decode()
                    + ': ' + it.show(S[a + 2]))


# -- lists -----------------------------------------------------------------------
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
        c = h.cons(x, NIL)
        if tail == NIL:
            it.S[top] = c
        else:
            W[(tail >> 1) + 1] = c
        tail = c
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
    m = -1 if k < 2 else arg_int(it, it.S[a + 1], op)
    if k >= 2 and m < 0:
        raise LispError(name(it, op) + ': bad count: ' + it.show(it.S[a + 1]))
    return copy_list(it, v, m, k == 1, op)


def p_last(it, a, n, op):
    # last-pair last
    h = it.heap
    v = arg_pair(it, it.S[a], op)
    m = 0
    while True:
        d = h.cdr(v)
        if d & 1 or h.code(d >> 1) == OTHER:
            break
        v = d
        m += 1
        if m > h.n:
            raise LispError(name(it, op) + ': circular list')
    return v if op - BASE == P_LAST_PAIR else h.car(v)


def nth_tail(it, v, k, who):
    # the list after k pairs of v
    h = it.heap
    start = v
    while k > 0:
        if v & 1 or h.code(v >> 1) == OTHER:
            raise LispError(name(it, who) + ': list too short: ' + it.show(start))
        v = h.cdr(v)
        k -= 1
    return v


def p_nth(it, a, n, op):
    # first second third fourth fifth drop list-set!
    k = op - BASE - P_FIRST
    h = it.heap
    v = it.S[a]
    if k < 5:
        v = nth_tail(it, v, k, op)
        if v & 1 or h.code(v >> 1) == OTHER:
            raise LispError(name(it, op) + ': list too short: ' + it.show(it.S[a]))
        return h.car(v)
    m = arg_int(it, it.S[a + 1], op)
    if m < 0:
        raise LispError(name(it, op) + ': bad count: ' + it.show(it.S[a + 1]))
    v = nth_tail(it, v, m, op)
    if k == 5:
        return v
    if v & 1 or h.code(v >> 1) == OTHER:
        raise LispError(name(it, op) + ': index out of range: ' + it.show(it.S[a + 1]))
    h.W[v >> 1] = it.S[a + 2]
    return UNSPEC


def call_library(it, a, n, lib):
    # Hand this builtin's call, same arguments, to the library procedure lib.
    f = it.global_value(lib)        # first: loading its chunk uses S
    it.S[a - 1] = f
    return tail_call(it, a - 1, a + n)


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
            c = h.cons(x, NIL)
            if tail == NIL:
                S[top] = c
            else:
                W[(tail >> 1) + 1] = c
            tail = c
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
            c = h.cons(x, NIL)
            if tail == NIL:
                S[top] = c
            else:
                W[(tail >> 1) + 1] = c
            tail = c
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
                base = it.sp
                for j in range(list_length(it, v, op)):
                    it.push(it.heap.car(v))
                    v = it.heap.cdr(v)
                S[a + n - 1] = build_list(it, base, it.sp - base, S[a + n - 1])
                it.sp = base
            else:
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
    if s > e or e - s > tsize - at:
        raise LispError(name(it, op) + ': bad range: ' + str(s) + ' to ' + str(e)
                        + ' into ' + str(at))
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
    r = h.alloc_box(T_VECTOR, m, NIL)
    W = h.W
    j = r + 1
    for k in range(a, a + n):
        v = S[k] >> 1
        for i in range(v + 1, v + 1 + (W[v] & MAXSIZE)):
            W[j] = W[i]
            j += 1
    return r << 1


TABLE = ('make-hash-table:0-2 make-eq-hash-table:0-1 make-eqv-hash-table:0-1 '
         'make-equal-hash-table:0-1 make-string-hash-table:0-1 '
         'make-strong-eqv-hash-table:0-1 make-strong-eq-hash-table:0-1 '
         'alist->hash-table:1-3 hash-table?:1 hash-table-ref:2-4 '
         'hash-table-ref/default:3 hash-table/get:3 hash-table-contains?:2 '
         'hash-table-exists?:2 hash-table-set!:3 hash-table/put!:3 '
         'hash-table-delete!:2 hash-table/remove!:2 hash-table-count:1 '
         'hash-table-size:1 hash-table-keys:1 hash-table-values:1 '
         'hash-table->alist:1 hash-table-clear!:1 hash-table-copy:1-2 '
         '%hash-table-buckets:1 hash:1-2 string-hash:1-2 %arg-error:3 '
         'list-copy:1 alist-copy:1 take:2 list-head:2 last-pair:1 last:1 '
         'first:1 second:1 third:1 fourth:1 fifth:1 drop:2 list-set!:3 '
         'delete:2-3 delete!:2-3 delete-duplicates:1-2 iota:1-3 append!:0- '
         'reverse!:1 vector-copy:1-3 subvector:3 vector-head:2 vector-tail:2 '
         'subvector->list:3 vector-grow:2 vector-copy!:3-5 vector-append:0-')

FUNCS = (p_make_table, p_make_table, p_make_table, p_make_table, p_make_table,
         p_make_table, p_make_table, p_alist_to_table, p_tablep, p_ref, p_ref,
         p_ref, p_ref, p_ref, p_set, p_set, p_delete, p_delete, p_count,
         p_count, p_contents, p_contents, p_contents, p_clear, p_copy,
         p_buckets, p_hash, p_hash, p_arg_error,
         p_list_copy, p_list_copy, p_list_copy, p_list_copy, p_last, p_last,
         p_nth, p_nth, p_nth, p_nth, p_nth, p_nth, p_nth,
         p_delete_item, p_delete_item, p_delete_dups, p_iota, p_append_bang,
         p_reverse_bang, p_subvector, p_subvector, p_subvector, p_subvector,
         p_subvector, p_vector_grow, p_vector_copy_bang, p_vector_append)

# places of family heads within TABLE (test_data.py checks them)
P_MAKE = const(0)
P_REF = const(9)
P_KEYS = const(20)
P_HASH = const(26)
P_LIST_COPY = const(29)
P_LAST_PAIR = const(33)
P_FIRST = const(35)
P_VCOPY = const(48)
