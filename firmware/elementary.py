# Numbers: the elementary functions (sqrt, exact-integer-sqrt, exp, log,
# sin ... atan), bitwise operations and random numbers. The rest of the
# numeric library is arith.py and numeric.py.
import math
from compat import const
from arena import LispError
from args import arg_int, name
from arith import num, flo, mk, fixnums, values2, INF
from arena import bitlen
from numeric import fdiv, NAN, MAXBITS
from builtin_table import base_of

# places of family heads in this module's FUNCS (host_tests check them)
P_SQRT = const(0)
P_EXP = const(2)
P_BITAND = const(10)
P_RANDOM = const(23)
LN2_140 = 0xb17217f7d1cf79abc9e3b39803f2f6af40f    # floor(ln 2 * 2**140)


def isqrt(n):
    # floor(sqrt(n)) of an int n >= 0, by Newton's method
    if n < 2:
        return n
    x = 1 << ((bitlen(n) + 1) >> 1)
    while True:
        y = (x + n // x) >> 1
        if y >= x:
            return x
        x = y


def p_sqrt(it, a, n, op):
    # sqrt exact-integer-sqrt
    v = it.S[a]
    if v & 3 == 1 and v >= 0x8001 and op - BASE == P_SQRT:
        n = isqrt((v >> 2) - 8192)
        if n * n == (v >> 2) - 8192:
            return ((n + 8192) << 2) | 1
    return sqrt(it, v, op)


def sqrt(it, v, op):
    x = num(it, v, op)
    if op - BASE != P_SQRT and (type(x) is float or x < 0):
        raise LispError(name(it, op) + ': not an exact non-negative integer: ' + it.show(v))
    if x < 0:
        raise LispError(name(it, op) + ': negative argument (Mote has no complex numbers): ' +
                        it.show(v))
    if type(x) is float:
        return it.heap.make_float(math.sqrt(x))
    s = isqrt(x)
    if op - BASE != P_SQRT:
        return values2(it, s, x - s * s, False)
    if s * s == x:
        return it.heap.make_int(s)
    return it.heap.make_float(math.sqrt(x) if bitlen(x) < 1000 else flo(s))


def exp(x):
    # exp(x) correctly rounded, so every board prints what a desktop Scheme does:
    # newlib's exp(1) (the Pico) is one ulp from glibc's. 128-bit fixed point:
    # x = k ln2 + r with 0 <= r < ln2, exp(r) by its Taylor series, then one
    # rounding (half to even, subnormals included) to a double times 2**k.
    if x > 710 or x != x:
        return x * INF                    # +inf.0, or the NaN itself
    if x < -746:
        return 0.0
    m, e = math.frexp(x)
    if e < -75:
        return 1.0                        # |x| < 2**-76: exp(x) rounds to 1.0
    X = int(m * 9007199254740992.0) << (e + 75)      # x * 2**128, exact
    k = int(math.floor(x * 1.4426950408889634))
    r = X - ((k * LN2_140) >> 12)
    if r < 0:
        k -= 1
        r += LN2_140 >> 12
    s = t = 1 << 128
    n = 1
    while t:
        t = t * r // (n << 128)
        s += t
        n += 1
    sh = bitlen(s) - 53
    if sh < -946 - k:                     # subnormal: keep no bit below 2**-1074
        sh = -946 - k
    q = s >> sh
    rem = s - (q << sh)
    half = 1 << (sh - 1)
    if rem > half or (rem == half and q & 1):
        q += 1
    return math.ldexp(float(q), k - 128 + sh)


TRANS = (exp, math.log, math.sin, math.cos, math.tan, math.asin, math.acos, math.atan)


def p_trans(it, a, n, op):
    # exp log sin cos tan asin acos atan; (log z b), (atan y x)
    k = op - BASE - P_EXP
    v = it.S[a]
    x = num(it, v, op)
    if n == 2:
        y = flo(num(it, it.S[a + 1], op))
        if k == 7:
            return it.heap.make_float(math.atan2(flo(x), y))
        return it.heap.make_float(fdiv(trans(it, v, 1, x, op), trans(it, it.S[a + 1], 1, y, op)))
    if type(x) is int and x == (1 if k == 6 else 0) and k > 1:
        # Guile keeps these exact: (sin 0) (tan 0) (asin 0) (atan 0) (cos 0) (acos 1)
        return it.heap.make_int(1 if k == 3 else 0)
    return it.heap.make_float(trans(it, v, k, x, op))


def trans(it, v, k, x, op):
    if k == 1 and x == 0:
        if type(x) is int:
            raise LispError(name(it, op) + ': division by zero')
        return -INF
    try:
        return TRANS[k](x)
    except (ValueError, OverflowError):
        if k == 0:
            return INF                    # exp overflow (a ValueError on MicroPython)
        if k < 5 and x - x != 0.0:
            return NAN                    # sin, cos, tan of an infinity
        raise LispError(name(it, op) + ': argument out of range (Mote has no complex numbers): '
                        + it.show(v))


BITOPS = b'aaoooxxnnsscc'      # and, or, xor, not, shift, count: the entries of TABLE


def p_bitwise(it, a, n, op):
    c = BITOPS[op - BASE - P_BITAND]
    if fixnums(it.S, a, n):
        return bits(it, a, n, c)
    return bitwise(it, a, n, op, c)


def bits(it, a, n, c):
    # the operation c on the fixnums S[a:a+n]
    S = it.S
    r = (S[a] >> 2) - 8192 if n else -1 if c == 97 else 0
    if c == 110 or c == 99:
        return mk(it.heap, ~r if c == 110 else count_bits(r))
    if c == 115:
        n = (S[a + 1] >> 2) - 8192
        return mk(it.heap, r << n if n >= 0 else r >> -n)
    n += a
    a += 1
    while a < n:
        r = r & ((S[a] >> 2) - 8192) if c == 97 else r | ((S[a] >> 2) - 8192) if c == 111 \
            else r ^ ((S[a] >> 2) - 8192)
        a += 1
    return mk(it.heap, r)


def bitwise(it, a, n, op, c):
    # the operation c on any exact integers S[a:a+n]
    if c == 110:
        return it.heap.make_int(~arg_int(it, it.S[a], op))
    if c == 99:
        return it.heap.make_int(count_bits(arg_int(it, it.S[a], op)))
    if c == 115:
        x = arg_int(it, it.S[a], op)
        s = arg_int(it, it.S[a + 1], op)
        if s > 0 and x and bitlen(abs(x)) + s > MAXBITS:
            raise LispError(name(it, op) + ': result too large: shift by ' + str(s))
        return it.heap.make_int(x << s if s >= 0 else x >> -s)
    r = -1 if c == 97 else 0
    for k in range(a, a + n):
        x = arg_int(it, it.S[k], op)
        r = r & x if c == 97 else r | x if c == 111 else r ^ x
    return it.heap.make_int(r)


def count_bits(x):
    # bit-count: the 1 bits of x >= 0, the 0 bits of x < 0
    if x < 0:
        x = ~x
    c = 0
    while x:
        c += x & 1
        x >>= 1
    return c


RNG = [2463534242]             # xorshift32 state (random-seed sets it)


def rand32():
    x = RNG[0]
    x ^= (x << 13) & 0xFFFFFFFF
    x ^= x >> 17
    x ^= (x << 5) & 0xFFFFFFFF
    RNG[0] = x
    return x


def p_random(it, a, n, op):
    # (random n): an integer in [0, n) for an exact n, a float for a float
    # n; (random-seed n) restarts the sequence
    v = it.S[a]
    if op - BASE != P_RANDOM:
        RNG[0] = (arg_int(it, v, op) & 0xFFFFFFFF) or 2463534242
        return v
    x = num(it, v, op)
    if x <= 0:
        raise LispError('random: not a positive number: ' + it.show(v))
    if type(x) is float:
        return it.heap.make_float(x * ((rand32() >> 5) * 67108864.0 + (rand32() >> 6))
                                  / 9007199254740992.0)
    r = 0
    m = 1
    while m < x * 65536:
        r = (r << 32) | rand32()
        m <<= 32
    return it.heap.make_int(r % x)


# extension builtins of this module (builtin_table.py appends them)
BASE = base_of('elementary')    # number of its first builtin
FUNCS = ((p_sqrt,) * 2 + (p_trans,) * 8 + (p_bitwise,) * 13 + (p_random,) * 2)
