# The arena: one array of 16-bit words plus 2-bit cdr codes (see WORDS.md).
# Allocation, pairs, compact lists and boxes; the collector is collector.py.
from array import array
from struct import pack, unpack
from compat import const

# -- word encoding -----------------------------------------------------------
NIL = const(3)
TRUE = const(7)
FALSE = const(11)
UNSPEC = const(15)
EOF = const(19)
UNBOUND = const(23)
DEFAULT = const(27)
# returned by a builtin that has set up a call for the evaluator to make
# (it.tbase, it.sp) or an escape to a continuation (it.sp, it.fp, it.env,
# value in R[5]); never a Lisp value
TAILCALL = const(31)
ESCAPE = const(35)
FIX_MIN = const(-8192)
FIX_MAX = const(8191)
SYM0 = const(0x4003)        # symbol id 0
CHAR0 = const(0x8003)       # char code 0
PRIM0 = const(0x1003)       # primitive 0
SF0 = const(0x0803)         # special form 0
SLOCAL0 = const(0x2003)     # stack local slot 0
HLOCAL0 = const(0x3003)     # heap local depth 0 slot 0

# cdr codes
CAR = const(0)
NEXT = const(1)
LAST = const(2)
OTHER = const(3)

# box types (header bits 14..11)
T_FREE = const(0)
T_STRING = const(1)
T_INT = const(2)
T_VECTOR = const(3)
T_CLOSURE = const(4)
T_FRAME = const(5)
T_FLOAT = const(6)
T_BYTES = const(7)
T_RECORD = const(8)
T_CHAR = const(9)       # a character above U+1FFF (the immediate holds 0..8191)
T_PY = const(10)        # [index]: a Python object's entry in it.py_handles (interop.py)
T_LAST = const(10)
# payload holds values (scanned by the collector)?
SCANNED = (False, False, False, True, True, True, False, False, True, False, False)

# Record kinds: word 0 of a RECORD box. Built-in kinds are fixnum-tagged
# small numbers; a define-record-type record holds its type descriptor
# (itself a record of kind RK_TYPE) there instead.
RK_VALUES = const(0)      # [values...]            (values a b ...)
RK_ERROR = const(1)       # [message][irritants]   error objects
RK_PROMISE = const(2)     # [done?][value or thunk]
RK_TABLE = const(3)       # [kind][count][buckets] hash tables
RK_INPORT = const(4)      # [source][position][state]  input ports (ports.py)
RK_OUTPORT = const(5)     # [chunks][state]            output ports
RK_MACRO = const(6)       # [transformer]          macros
RK_CONT = const(7)        # [stack pos][fp][env][handlers][winders][live]
RK_PARAM = const(8)       # [value][converter]     parameter objects
RK_TYPE = const(9)        # [name][field names]    record type descriptors
RK_ENV = const(10)        # []                     (interaction-environment)
USER_KIND = const(0x10000)  # record_kind of a user record: this + descriptor
CAR_MASK = b'\xfc\xf3\xcf\x3f'   # C byte & mask: code CAR for word i & 3
MAXSIZE = const(2047)
NOLINK = const(0xFFFF)
SMALL = const(0xFFFE)      # _prev when the run came from the two-word list


class LispError(Exception):
    pass


def decode(b):
    # Bytes as text: UTF-8 if they are, else one character per byte (an
    # error message or a symbol's name must never fail to decode).
    try:
        return b.decode()
    except ValueError:              # (UnicodeError is one)
        return ''.join(map(chr, b))


def err_text(n):
    # Error message n. A board build with .mpy files moves the firmware's
    # error messages into texts.bin (tools/move_texts.py): in the heap
    # they would cost it some 5 KB. [u16 count][offsets][texts]
    d = __file__
    try:
        with open(d[:d.rfind('/') + 1] + 'texts.bin', 'rb') as f:
            f.seek(2 + 2 * n)
            b = f.read(4)
            s = b[0] | b[1] << 8
            f.seek(s)
            return f.read((b[2] | b[3] << 8) - s).decode()
    except OSError:
        return 'error %d (texts.bin is missing)' % n


def bitlen(n):
    # Number of bits of n >= 0 (MicroPython ints have no bit_length).
    k = 0
    while n >> 30:
        n >>= 30
        k += 30
    while n:
        n >>= 1
        k += 1
    return k


class Sized:
    # len() is n, iteration yields nothing. MicroPython's array(typecode,
    # x) allocates len(x) items and stores what x yields: so array('H',
    # Sized(n)) is n words in one allocation, zero as the allocator clears
    # them, with no loop over them in Python or in C.
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __iter__(self):
        return iter(())


def words(n, fill=0):
    # A 16-bit array of n words in one allocation: array('H', bytes(2 * n))
    # would need a second copy of it for a moment, which on a board's
    # fragmented heap is often the allocation that fails.
    a = array('H', Sized(n))
    if len(a) != n:             # CPython: the array stays empty
        a = array('H', bytes(2 * n))
    if fill:
        fill_all(a, fill)
    return a


def fill_all(a, v):
    # a[k] = v for every k (an array or bytearray): the filled part copied
    # onto the rest by C, doubling it each time.
    n = len(a)
    if n:
        a[0] = v
        m = memoryview(a)
        k = 1
        while k < n:
            e = min(k + k, n)
            m[k:e] = m[0:e - k]
            k = e


class Heap:
    def __init__(self, nwords):
        if nwords > 32768:
            nwords = 32768
        self.n = nwords
        # Words top.. are untouched: zero, code OTHER, so that each parses
        # as a free word. They are made free runs only when the free lists
        # run short (grow) or a sweep reaches them, so that starting costs
        # no time in proportion to the arena's size.
        self.W = words(nwords)
        self.C = bytearray((nwords + 3) >> 2)
        fill_all(self.C, 0xFF)
        self.top = 0
        self.free = NOLINK          # runs of 3+ words, in address order
        self.free2 = NOLINK         # runs of exactly 2 words
        self._r = self._t = self._prev = self._next = 0
        self.stress = 0             # collect every stress-th allocation (0: never)
        self.ticks = 0
        self.collector = None       # set by the interpreter: runs a collection
        # roots the interpreter keeps outside the stack: 0 env, 1 x, 3 last
        # read, 4 last value, 5 escape value, 6-7 cons arguments, 8-9 last
        # compiled form, 10 exception handlers, 11 dynamic-wind entries,
        # 12 current output port, 13 an error object in flight; the reader's
        # 2 datum labels and 14 #!fold-case (#t or #f)
        self.R = array('H', [NIL] * 15)
        self.last = NOLINK

    def add_free(self, a, b):
        # Make words a..b-1 free runs (of at most MAXSIZE+1 words) and thread
        # them: two-word runs on free2, larger ones at the end of free (the
        # collector adds runs in address order). Codes must already be OTHER.
        # Words a..b-1 count as touched from the start: a cut anywhere leaves
        # no untouched word that is threaded.
        if b > self.top:
            self.top = b
        W = self.W
        while a < b:
            t = b - a
            if t > MAXSIZE + 1:
                t = MAXSIZE + 1
            W[a] = (T_FREE << 11) | (t - 1)
            if t == 2:
                W[a + 1] = self.free2
                self.free2 = a
            elif t > 2:
                W[a + 1] = NOLINK
                if self.last == NOLINK:
                    self.free = a
                else:
                    W[self.last + 1] = a
                self.last = a
            a += t

    def grow(self):
        # The next run of untouched words (at most MAXSIZE+1) becomes free,
        # first on its list (`last` may be stale between sweeps).
        a = self.top
        t = self.n - a
        if t > MAXSIZE + 1:
            t = MAXSIZE + 1
        self.top = a + t
        W = self.W
        W[a] = (T_FREE << 11) | (t - 1)
        if t == 2:
            W[a + 1] = self.free2
            self.free2 = a
        elif t > 2:
            W[a + 1] = self.free
            self.free = a

    # -- cdr codes --------------------------------------------------------------
    def code(self, i):
        return (self.C[i >> 2] >> ((i & 3) << 1)) & 3

    def set_code(self, i, c):
        b = i >> 2
        s = (i & 3) << 1
        self.C[b] = (self.C[b] & (0xFF ^ (3 << s))) | (c << s)

    # -- allocation ----------------------------------------------------------------
    def _take(self, n):
        # Index of n free words; the caller writes the object there, then
        # calls _commit. Two-word runs (a pair's size) have a list of their
        # own so that neither pairs nor larger objects walk past them: both
        # cases are O(1) unless a big object needs a big run.
        if self.stress:
            # stress testing: collect at every stress-th allocation
            self.ticks += 1
            if self.ticks >= self.stress:
                self.ticks = 0
                self.collector()
        # (few locals: a bigger frame would be heap-allocated at every box)
        tries = 2
        while tries:
            if n == 2 and self.free2 != NOLINK:
                r = self.free2
                self._r = r
                self._t = 2
                self._prev = SMALL
                self._next = self.W[r + 1]
                return r
            prev = NOLINK
            r = self.free
            while r != NOLINK:
                self._t = (self.W[r] & MAXSIZE) + 1
                if self._t >= n:
                    self._r = r
                    self._prev = prev
                    self._next = self.W[r + 1]
                    return r + self._t - n
                prev = r
                r = self.W[r + 1]
            if self.top < self.n:
                self.grow()
            else:
                tries -= 1
                if tries:
                    self.collector()
        raise LispError('out of memory: the arena is full (%d words wanted)' % n)

    def _commit(self, n):
        # Shrink or unlink the run _take chose. The object is already written,
        # so an interrupt between any two steps leaves the arena parseable
        # (the free lists themselves are rebuilt by the next collection).
        W = self.W
        r = self._r
        t = self._t - n
        if t >= 3:
            W[r] = (T_FREE << 11) | (t - 1)
            return
        if self._prev == SMALL:
            self.free2 = self._next
            return
        if t:
            W[r] = (T_FREE << 11) | (t - 1)
        if self._prev == NOLINK:
            self.free = self._next
        else:
            W[self._prev + 1] = self._next
        if t == 2:
            W[r + 1] = self.free2
            self.free2 = r

    def cons(self, a, d):
        # The allocation programs make most, in one call and a few locals (a
        # bigger frame would itself be heap-allocated on MicroPython): a
        # two-word run if there is one, else the end of the first big run.
        # The code is set before the words change meaning, and a run shrinks
        # only after, so an interrupt anywhere leaves the arena parseable.
        i = self.free2
        if i != NOLINK and not self.stress:
            self.C[i >> 2] &= CAR_MASK[i & 3]
            self.free2 = self.W[i + 1]
            self.W[i] = a
            self.W[i + 1] = d
            return i << 1
        i = self.free
        if i == NOLINK or self.stress or (self.W[i] & MAXSIZE) < 4:
            return self.cons_slow(a, d)
        i += (self.W[i] & MAXSIZE) - 1
        self.C[i >> 2] &= CAR_MASK[i & 3]
        self.W[i] = a
        self.W[i + 1] = d
        self.W[self.free] -= 2          # the run shrinks by two words
        return i << 1

    def cons_slow(self, a, d):
        R = self.R
        R[6] = a
        R[7] = d
        i = self._take(2)
        W = self.W
        W[i] = a
        W[i + 1] = d
        self.C[i >> 2] &= CAR_MASK[i & 3]     # code CAR; the slot is OTHER
        self._commit(2)
        R[6] = NIL
        R[7] = NIL
        return i << 1

    def alloc_box(self, typ, size, fill):
        # A box with `size` payload words, each set to `fill` if the type
        # holds values. Free words already carry code OTHER, as boxes do.
        if size > MAXSIZE:
            raise LispError('object too large: %d words (limit %d)' % (size, MAXSIZE))
        # (few locals: a bigger frame would be heap-allocated at every box)
        i = self._take(size + 1)
        self.W[i] = (typ << 11) | size
        if SCANNED[typ]:
            typ = size
            while typ:
                self.W[i + typ] = fill
                typ -= 1
        self._commit(size + 1)
        return i

    def alloc_list(self, base, n, tail, src):
        # A compact list of the n words src[base:base+n], ending in `tail`.
        # Used by the reader; n >= 1. Returns a reference.
        if n == 1 or tail != NIL:
            words = n + 1
        else:
            words = n
        i = self._take(words)
        W = self.W
        for k in range(n):
            W[i + k] = src[base + k]
            self.set_code(i + k, NEXT)
        if words > n:
            W[i + n] = tail
            self.set_code(i + n - 1, CAR)
            self.set_code(i + n, OTHER)
        else:
            self.set_code(i + n - 1, LAST)
        self._commit(words)
        return i << 1

    # -- pairs and lists --------------------------------------------------------
    def is_pair(self, v):
        return not (v & 1) and self.code(v >> 1) != OTHER

    def car(self, v):
        return self.W[v >> 1]

    def cdr(self, v):
        i = v >> 1
        c = (self.C[i >> 2] >> ((i & 3) << 1)) & 3
        if c == CAR:
            return self.W[i + 1]
        if c == NEXT:
            return (i + 1) << 1
        return NIL

    # -- boxes ---------------------------------------------------------------------
    def box_type(self, v):
        # Box type of v, or -1 if v is not a box.
        if v & 1:
            return -1
        i = v >> 1
        if self.code(i) != OTHER:
            return -1
        return (self.W[i] >> 11) & 15

    def box_size(self, v):
        return self.W[v >> 1] & MAXSIZE

    # -- records ------------------------------------------------------------------
    def alloc_record(self, kind, n, fill, desc=NIL):
        # A record box with n fields set to fill. Word 0 is the RK_* kind as
        # a fixnum, or for define-record-type the type descriptor `desc` (a
        # reference: even, so the two never mix). Returns a reference.
        R = self.R
        R[6] = desc
        i = self.alloc_box(T_RECORD, n + 1, fill)
        self.W[i + 1] = desc if desc != NIL else ((kind + 8192) << 2) | 1
        R[6] = NIL
        return i << 1

    def record_kind(self, v):
        # RK_* kind of a built-in record; for a define-record-type record
        # USER_KIND + its type descriptor; -1 if v is not a record.
        if v & 1:
            return -1
        i = v >> 1
        if self.code(i) != OTHER or (self.W[i] >> 11) & 15 != T_RECORD:
            return -1
        k = self.W[i + 1]
        return (k >> 2) - 8192 if k & 3 == 1 else USER_KIND + k

    # -- strings (also symbol names in transit) -------------------------------------
    def make_string(self, data, start, end, kind=T_STRING):
        # A string (or, with kind T_BYTES, a bytevector) of data[start:end].
        n = end - start
        i = self.alloc_box(kind, 1 + ((n + 1) >> 1), 0)
        W = self.W
        W[i + 1] = n
        for k in range(n):
            j = i + 2 + (k >> 1)
            if k & 1:
                W[j] |= data[start + k] << 8
            else:
                W[j] = data[start + k]
        return i << 1

    def string_len(self, v):
        # (bits 15..14 of the length word: text.py's ASCII-only cache)
        return self.W[(v >> 1) + 1] & 0x3FFF

    def string_byte(self, v, k):
        w = self.W[(v >> 1) + 2 + (k >> 1)]
        return (w >> 8) if k & 1 else (w & 0xFF)

    def string_bytes(self, v):
        n = self.string_len(v)
        b = bytearray(n)
        for k in range(n):
            b[k] = self.string_byte(v, k)
        return b

    # -- integers ------------------------------------------------------------------
    def make_int(self, n):
        # Fixnum if it fits, else an INT box. Small on purpose: a frame this
        # size stays on MicroPython's C stack.
        if FIX_MIN <= n <= FIX_MAX:
            return ((n + 8192) << 2) | 1
        return self.make_bignum(n)

    def make_bignum(self, n):
        # An INT box of 16-bit limbs.
        neg = 0
        if n < 0:
            neg = 1
            n = -n
        m = n
        k = 0
        while m:
            m >>= 16
            k += 1
        i = self.alloc_box(T_INT, k + 1, 0)
        W = self.W
        W[i + 1] = neg
        for j in range(k):
            W[i + 2 + j] = n & 0xFFFF
            n >>= 16
        return i << 1

    def int_value(self, v):
        # Python int of a fixnum or INT box (no allocation below 2**30).
        if v & 3 == 1:
            return (v >> 2) - 8192
        i = v >> 1
        W = self.W
        k = (W[i] & MAXSIZE) - 1
        n = 0
        j = i + 1 + k
        while j > i + 1:
            n = (n << 16) | W[j]
            j -= 1
        return -n if W[i + 1] else n

    # -- floats: an IEEE 754 double in 4 words, little-endian ---------------------
    def make_float(self, x):
        b = pack('<d', x)
        i = self.alloc_box(T_FLOAT, 4, 0)
        W = self.W
        for k in range(4):
            W[i + 1 + k] = b[2 * k] | (b[2 * k + 1] << 8)
        return i << 1

    def float_value(self, v):
        W = self.W
        i = (v >> 1) + 1
        return unpack('<d', pack('<HHHH', W[i], W[i + 1], W[i + 2], W[i + 3]))[0]
