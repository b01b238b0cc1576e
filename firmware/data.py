# Hash tables and the list and vector builtins beyond the core. Procedures
# that take a procedure argument (filter, fold, sort, hash-table-walk,
# vector-map, ...) are in library.scm; a builtin given one (delete with a
# predicate) hands the call to the library through the evaluator.
#
# A hash table is a RECORD of kind RK_TABLE with three fields:
#   [equivalence][count][buckets]
# equivalence is a fixnum (0 eq?, 1 eqv?, 2 equal?, 3 string=?), count a
# fixnum, buckets a vector of chains: lists of (key . value) entries. The
# table doubles its buckets (relinking the chain cells) when the count
# passes twice their number, up to MAXSIZE buckets. Objects never move, so
# eq? hashes the word itself.
#
# The functions a lookup or an update runs keep their locals plus operand
# stack within 11 slots: MicroPython puts a bigger frame on its heap, and
# table operations allocate nothing there (test_data.py checks).
from compat import const
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, PRIM0, OTHER, CAR,
                   T_STRING, T_INT, T_VECTOR, T_FLOAT, T_BYTES, RK_TABLE, MAXSIZE)
from args import (arg_int, arg_index, arg_pair, arg_vector, name, truth,
                  list_length, tail_call, call_library)
from builtin_table import base_of
import primitives

BASE = base_of('data')  # number of its first builtin
# places of family heads among its rows (builtin_table.py; test_data.py
# checks them)
P_MAKE = const(0)
P_REF = const(9)
P_KEYS = const(20)
P_HASH = const(26)
P_LIST_COPY = const(29)
P_LAST_PAIR = const(33)
P_FIRST = const(35)
P_VCOPY = const(48)
NB0 = const(8)          # buckets of a new table
HASH_NODES = const(32)  # parts of a pair/vector key that equal? hashing visits
FIX0 = const(32769)     # the fixnum 0


def not_a(it, who, what, v):
    raise LispError(name(it, who) + ': not a ' + what + ': ' + it.show(v))


# -- hashing ---------------------------------------------------------------------
def content_hash(W, i, t):
    # Hash of the contents of the box at word i, of type t: a string's or
    # bytevector's bytes, a bignum's limbs, a float's words.
    if t == T_STRING or t == T_BYTES:
        m = W[i + 1]
        acc = m + (W[i + 2 + (m >> 1)] & 0xFF if m & 1 else 0)
        m = i + 2 + (m >> 1)
    else:
        acc = t
        m = i + 1 + (W[i] & MAXSIZE)
    for k in range(i + 1, m):
        acc = (acc * 31 + W[k]) & 0xFFFFFF
    return acc


def atom_hash(h, v):
    # equal? hash of a value that is not a pair or vector
    if v & 1:
        return v
    t = h.box_type(v)
    if t == T_INT or t == T_FLOAT or t == T_STRING or t == T_BYTES:
        return content_hash(h.W, v >> 1, t)
    return v


def hash_part(it, v, budget):
    # One node's share of equal_hash; pushes its parts (at most budget).
    if it.heap.is_pair(v):
        it.push(it.heap.cdr(v))
        it.push(it.heap.car(v))
        return 7
    if it.heap.box_type(v) != T_VECTOR:
        return atom_hash(it.heap, v)
    m = it.heap.box_size(v)
    k = m if m < budget else budget
    while k:
        it.push(it.heap.W[(v >> 1) + k])
        k -= 1
    return 11 + m


def equal_hash(it, v):
    # equal? hash of a pair or vector: visits at most HASH_NODES parts, in
    # order, with a pending stack on S, so equal structures hash alike and
    # circular ones end.
    base = it.sp
    it.push(v)
    acc = 0
    budget = HASH_NODES
    while it.sp > base and budget:
        it.sp -= 1
        budget -= 1
        acc = (acc * 31 + hash_part(it, it.S[it.sp], budget)) & 0xFFFFFF
    it.sp = base
    return acc


def key_hash(it, v, kind, who):
    # 15-bit hash of key v for equivalence kind: the word (an object's
    # identity: objects never move) or, where eqv?/equal?/string=? look
    # inside, the contents
    if kind == 0 or v & 1 and kind != 3:
        return v >> 1
    return box_hash(it, v, kind, who)


def box_hash(it, v, kind, who):
    t = it.heap.box_type(v)
    if kind == 3 and t != T_STRING:
        not_a(it, who, 'string', v)
    if t == T_INT or t == T_FLOAT or (kind > 1 and (t == T_STRING or t == T_BYTES)):
        t = content_hash(it.heap.W, v >> 1, t)
    elif kind == 2 and (t == T_VECTOR or it.heap.is_pair(v)):
        t = equal_hash(it, v)
    else:
        return v >> 1
    return (t ^ (t >> 15)) & 0x7FFF


def mix(k, nb):
    # Bucket of hash k among nb (Fibonacci hashing: k times about 2**16
    # over the golden ratio, halved as words of one kind step by 2; the
    # top bits pick the bucket), so consecutive fixnums, symbols and
    # neighbouring pairs spread evenly. Stays a small int on MicroPython.
    return (((k * 20251) & 0xFFFF) * nb) >> 16


def str_eq(W, i, j):
    # string=? on the strings at words i and j
    m = W[i + 1]
    if W[j + 1] != m:
        return False
    j -= i
    for k in range(i + 2, i + 2 + (m >> 1)):
        if W[k] != W[k + j]:
            return False
    i += 2 + (m >> 1)
    return not m & 1 or (W[i] ^ W[i + j]) & 0xFF == 0


def words_eq(W, i, j):
    # the boxes at words i and j have the same header and payload (bignums
    # and floats are stored one way only, so this is eqv? on them)
    m = W[i]
    if W[j] != m:
        return False
    j -= i
    for k in range(i + 1, i + 1 + (m & MAXSIZE)):
        if W[k] != W[k + j]:
            return False
    return True


def same_key(it, x, y, kind):
    # Are x and y, different words, the same key for kind 1, 2 or 3?
    if x & 1 or y & 1:
        return False                    # an immediate is only itself
    t = it.heap.box_type(x)
    if t == T_INT or t == T_FLOAT:
        return it.heap.box_type(y) == t and words_eq(it.heap.W, x >> 1, y >> 1)
    if kind == 1:
        return primitives.eqv(it, x, y)
    if t == T_STRING:
        return it.heap.box_type(y) == T_STRING and str_eq(it.heap.W, x >> 1, y >> 1)
    return kind == 2 and primitives.equal(it, x, y)


# -- tables ----------------------------------------------------------------------
def arg_table(it, v, who):
    if it.heap.record_kind(v) != RK_TABLE:
        not_a(it, who, 'hash table', v)
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
    # W index of the bucket that holds key's chain in table t
    W = it.heap.W
    k = W[(t >> 1) + 2]
    k = key_hash(it, key, (k >> 2) - 8192, who)
    t = W[(t >> 1) + 4] >> 1
    return t + 1 + mix(k, W[t] & MAXSIZE)


def find(it, t, c, key):
    # The cell of chain c whose entry has key (for table t), or NIL.
    W = it.heap.W
    t = (W[(t >> 1) + 2] >> 2) - 8192
    while c != NIL:
        x = W[W[c >> 1] >> 1]
        if x == key or t and same_key(it, key, x, t):
            return c
        c = W[(c >> 1) + 1]
    return NIL


def lookup(it, a, who):
    # The chain cell of key S[a+1] in table S[a], or NIL.
    t = arg_table(it, it.S[a], who)
    key = it.S[a + 1]
    s = slot_of(it, t, key, who)
    return find(it, t, it.heap.W[s], key)


def set_existing(it, t, s, a):
    # If the chain at W[s] has key S[a], set its value to S[a+1].
    s = find(it, t, it.heap.W[s], it.S[a])
    if s == NIL:
        return False
    W = it.heap.W
    s = W[s >> 1] >> 1
    W[s + 1] = it.S[a + 1]
    return True


def add(it, t, s, a):
    # A new entry (S[a] . S[a+1]) at the head of the chain at W[s].
    c = it.S[a]
    c = it.heap.cons(c, it.S[a + 1])
    c = it.heap.cons(c, it.heap.W[s])     # (cons keeps its arguments alive)
    it.heap.W[s] = c
    count_up(it, t)


def count_up(it, t):
    # count + 1; grow the buckets past two entries each
    W = it.heap.W
    i = (t >> 1) + 3
    W[i] += 4
    n = W[W[i + 1] >> 1] & MAXSIZE
    if (W[i] >> 2) - 8192 > 2 * n and n < MAXSIZE:
        grow(it, t, 2 * n if 2 * n < MAXSIZE else MAXSIZE)


def put(it, t, a, who):
    # Set key S[a]'s value to S[a+1] in table t (t reachable from S).
    s = slot_of(it, t, it.S[a], who)
    if not set_existing(it, t, s, a):
        add(it, t, s, a)


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


def unlink(it, t, s, key):
    # Remove key's entry from the chain at W[s] of table t.
    W = it.heap.W
    c = find(it, t, W[s], key)
    if c == NIL:
        return
    W[(t >> 1) + 3] -= 4
    if W[s] == c:
        W[s] = W[(c >> 1) + 1]
        return
    t = W[s]
    while W[(t >> 1) + 1] != c:
        t = W[(t >> 1) + 1]
    W[(t >> 1) + 1] = W[(c >> 1) + 1]


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
            not_a(it, op, 'hash function', v)
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
    it.push(NIL)
    it.push(NIL)
    lst = S[a]
    while lst != NIL:
        e = arg_pair(it, h.car(lst), op)
        S[it.sp - 2] = h.car(e)
        S[it.sp - 1] = h.cdr(e)
        j = slot_of(it, t, h.car(e), op)
        if find(it, t, h.W[j], h.car(e)) == NIL:
            add(it, t, j, it.sp - 2)
        lst = h.cdr(lst)
    it.sp -= 3
    return t


def p_tablep(it, a, n, op):
    return truth(it.heap.record_kind(it.S[a]) == RK_TABLE)


def call_with(it, a, k, v):
    # tail-call S[a+k] with v
    it.S[a - 1] = it.S[a + k]
    it.S[a] = v
    return tail_call(it, a - 1, a + 1)


def not_found(it, a, op):
    raise LispError(name(it, op) + ': key not found: ' + it.show(it.S[a + 1]))


def p_ref(it, a, n, op):
    # hash-table-ref (t key [fail [success]]) hash-table-ref/default
    # hash-table/get (t key default) hash-table-contains?
    # hash-table-exists? (t key)
    c = lookup(it, a, op)
    k = op - BASE - P_REF
    if k > 2:
        return TRUE if c != NIL else FALSE
    if c != NIL:
        c = it.heap.W[(it.heap.W[c >> 1] >> 1) + 1]
        if n == 4:
            return call_with(it, a, 3, c)
        return c
    if k:
        return it.S[a + 2]
    if n == 2:
        not_found(it, a, op)
    it.S[a - 1] = it.S[a + 2]
    return tail_call(it, a - 1, a)


def p_set(it, a, n, op):
    # hash-table-set! hash-table/put!
    put(it, arg_table(it, it.S[a], op), a + 1, op)
    return UNSPEC


def p_delete(it, a, n, op):
    # hash-table-delete! hash-table/remove!
    t = arg_table(it, it.S[a], op)
    a += 1
    n = slot_of(it, t, it.S[a], op)
    unlink(it, t, n, it.S[a])
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

# the functions of the core rows (primitives.FUNCS) that name this module,
# in their order: put in place when one of them is first called
CORE = (p_vector_to_list, p_vector_fill)
