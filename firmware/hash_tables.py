# Hash tables. A hash table is a RECORD of kind RK_TABLE with three fields:
#   [equivalence][count][buckets]
# equivalence is a fixnum (0 eq?, 1 eqv?, 2 equal?, 3 string=?), count a
# fixnum, buckets a vector of chains: lists of (key . value) entries. The
# table doubles its buckets (relinking the chain cells) when the count
# passes twice their number, up to MAXSIZE buckets. Objects never move, so
# eq? hashes the word itself. Procedures that take a procedure argument
# (hash-table-walk, hash-table-update!, ...) are in library.scm.
#
# The functions a lookup or an update runs keep their locals plus operand
# stack within 11 slots: MicroPython puts a bigger frame on its heap, and
# table operations allocate nothing there (test_data.py checks).
from compat import const
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, PRIM0, T_STRING, T_INT,
                   T_VECTOR, T_FLOAT, T_BYTES, T_CHAR, RK_TABLE, MAXSIZE)
from args import arg_int, arg_pair, name, truth, list_length, tail_call
from builtin_table import base_of
import primitives

BASE = base_of('hash_tables')   # number of its first builtin
# places of family heads among its rows (builtin_table.py; test_data.py
# checks them)
P_MAKE = const(0)
P_REF = const(9)
P_KEYS = const(20)
P_HASH = const(26)
NB0 = const(8)          # buckets of a new table
HASH_NODES = const(32)  # parts of a pair/vector key that equal? hashing visits
FIX0 = const(32769)     # the fixnum 0


def not_a(it, who, what, v):
    raise LispError(name(it, who) + ': not a ' + what + ': ' + it.show(v))


# -- hashing ---------------------------------------------------------------------
def content_hash(W, i, t):
    # Hash of the contents of the box at word i, of type t: a string's or
    # bytevector's bytes, a bignum's limbs, a float's words.
    # (a string's length word without text.py's ASCII-only cache bits)
    k = i + 1
    if t == T_STRING or t == T_BYTES:
        m = W[k] & 0x3FFF
        acc = m + (W[i + 2 + (m >> 1)] & 0xFF if m & 1 else 0)
        m = i + 2 + (m >> 1)
        k += 1
    else:
        acc = t
        m = k + (W[i] & MAXSIZE)
    for k in range(k, m):
        acc = (acc * 31 + W[k]) & 0xFFFFFF
    return acc


def atom_hash(h, v):
    # equal? hash of a value that is not a pair or vector
    if v & 1:
        return v
    t = h.box_type(v)
    if t == T_INT or t == T_FLOAT or t == T_STRING or t == T_BYTES or t == T_CHAR:
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
    if t == T_INT or t == T_FLOAT or t == T_CHAR or (kind > 1 and (t == T_STRING or t == T_BYTES)):
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
    m = W[i + 1] & 0x3FFF
    if W[j + 1] & 0x3FFF != m:
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


# the functions of this module's rows in builtin_table.py, in their order
FUNCS = (p_make_table, p_make_table, p_make_table, p_make_table, p_make_table,
         p_make_table, p_make_table, p_alist_to_table, p_tablep, p_ref, p_ref,
         p_ref, p_ref, p_ref, p_set, p_set, p_delete, p_delete, p_count,
         p_count, p_contents, p_contents, p_contents, p_clear, p_copy,
         p_buckets, p_hash, p_hash)
