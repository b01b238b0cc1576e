# Numbers: the rest of the numeric library (arith.py has + - * and the
# comparisons): / and the integer divisions, exactness and rounding, gcd
# lcm expt, square roots, exp log and trigonometry, the number predicates,
# bitwise operations, random numbers, and number<->string. Mote has no
# rationals, so a quotient that is not an integer is a float.
import math
from compat import const
from arena import LispError, FALSE, T_INT, T_FLOAT
from args import arg_int, arg_string, name, truth
from arith import num, integer, inexact, flo, result, mk, fixnums, idiv, values2, quo
from number_syntax import float_text, parse_number, bitlen, INF
from reader import make_number
from builtin_table import base_of

P_GCD = const(16)           # gcd's number in builtin_names.CORE
# places of family heads in this module's FUNCS (host_tests check them)
P_EXACTNESS = const(1)
P_FLOOR = const(5)
P_FLOORDIV = const(9)
P_SQRT = const(15)
P_EXP = const(17)
P_INEXACTP = const(26)
P_BITAND = const(35)
P_RANDOM = const(48)
P_NUMERATOR = const(50)
NAN = INF - INF
MAXBITS = const(32752)          # the largest bignum box: 2047 words of 16 bits
LN2_140 = 0xb17217f7d1cf79abc9e3b39803f2f6af40f    # floor(ln 2 * 2**140)


def fdiv(x, y):
    # x / y on floats, with IEEE results for a zero divisor (as Guile)
    if y == 0.0:
        if x != x or x == 0.0:
            return NAN
        return INF if (x > 0) == (math.copysign(1.0, y) > 0) else -INF
    return x / y


def fixquo(it, a, k):
    # floor-quotient ... truncate-remainder (k 2..5) of two fixnums
    x = (it.S[a] >> 2) - 8192
    a = (it.S[a + 1] >> 2) - 8192
    n = quo(x, a, k < 4)
    return mk(it.heap, x - n * a if k & 1 else n)


def p_idiv(it, a, n, op):
    # floor/ truncate/ floor-quotient floor-remainder truncate-quotient
    # truncate-remainder
    k = op - BASE - P_FLOORDIV
    if k > 1 and fixnums(it.S, a, 2) and it.S[a + 1] != 0x8001:
        return fixquo(it, a, k)
    return idiv(it, a, op, k)


def fixdiv(x, y):
    # (/ x y) of fixnum words if it is an exact fixnum, else 0
    x = (x >> 2) - 8192
    y = (y >> 2) - 8192
    if y == 0 or x % y:
        return 0
    x //= y
    return ((x + 8192) << 2) | 1 if x <= 8191 else 0


def p_div(it, a, n, op):
    if n == 2 and fixnums(it.S, a, 2):
        v = fixdiv(it.S[a], it.S[a + 1])
        if v:
            return v
    return divide(it, a, n, op)


def divide(it, a, n, op):
    # / : exact while the quotient is an integer; p/q is kept exact until
    # a float comes in or the end
    S = it.S
    p = num(it, S[a], op) if n > 1 else 1
    q = 1
    for k in range(a + 1 if n > 1 else a, a + n):
        y = num(it, S[k], op)
        if y == 0 and type(y) is int:
            raise LispError(name(it, op) + ': division by zero')
        if type(p) is float or type(y) is float:
            p = fdiv(flo(p) if q == 1 else p / q, flo(y))
            q = 1
        else:
            q *= y
    if type(p) is int and p % q:
        p = p / q
    elif type(p) is int:
        p //= q
    return make_number(it.heap, p)


def gcd2(x, y):
    x = abs(x)
    y = abs(y)
    while y:
        x, y = y, x % y
    return x


def lcm2(x, y):
    if x == 0 or y == 0:
        return 0
    return abs(x * y) // gcd2(x, y)


def p_gcd(it, a, n, op):
    # gcd lcm (lcm is the next builtin)
    S = it.S
    if not fixnums(S, a, n):
        return gcd_any(it, a, n, op)
    r = 0 if op == P_GCD else 1
    n += a
    while a < n:
        r = gcd2(r, (S[a] >> 2) - 8192) if op == P_GCD else lcm2(r, (S[a] >> 2) - 8192)
        a += 1
    return mk(it.heap, r)


p_lcm = p_gcd


def gcd_any(it, a, n, op):
    r = 0 if op == P_GCD else 1
    for k in range(a, a + n):
        x = integer(it, it.S[k], op)
        r = gcd2(r, x) if op == P_GCD else lcm2(r, x)
    return result(it, r, inexact(it, a, n))


def ipow(it, a):
    # x ** y of the fixnums S[a], S[a+1] (0 <= y <= 64)
    x = (it.S[a] >> 2) - 8192
    return mk(it.heap, x ** ((it.S[a + 1] >> 2) - 8192))


def p_expt(it, a, n, op):
    if fixnums(it.S, a, 2) and 0x8001 <= it.S[a + 1] <= 0x8101:
        return ipow(it, a)
    return expt(it, a, op)


def expt(it, a, op):
    # as Guile: an integer exponent (an integral float too, then the result
    # is inexact) by squaring; otherwise pow of a non-negative base
    x = num(it, it.S[a], op)
    y = num(it, it.S[a + 1], op)
    if type(y) is int:
        return make_number(it.heap, iexpt(it, x, y))
    if y - y == 0.0 and y % 1.0 == 0.0:
        return it.heap.make_float(flo(iexpt(it, x, int(y))))
    x = flo(x)
    if x < 0:
        raise LispError('expt: no real result (Mote has no complex numbers): ' +
                        it.show(it.S[a]) + ' to the ' + it.show(it.S[a + 1]))
    try:
        y = x ** y
    except (OverflowError, ZeroDivisionError):
        y = INF
    return it.heap.make_float(y)


def iexpt(it, x, k):
    # x ** k for an int k
    if k == 0 or x == 1 and type(x) is int:
        return 1
    if x == -1 and type(x) is int:
        return -1 if k & 1 else 1
    if x == 0:
        return x if k > 0 else NAN
    if type(x) is int:
        if (bitlen(abs(x)) - 1) * abs(k) > MAXBITS:
            raise LispError('expt: result too large: ' + str(x) + ' to the ' + str(k))
        return x ** k if k > 0 else 1 / x ** -k
    if k < 0:
        x = 1.0 / x
        k = -k
    r = 1.0
    while True:
        if k & 1:
            r *= x
        k >>= 1
        if not k:
            return r
        x *= x


def p_square(it, a, n, op):
    v = it.S[a]
    if v & 3 == 1:
        v = (v >> 2) - 8192
        return mk(it.heap, v * v)
    v = num(it, v, op)
    return make_number(it.heap, v * v)


def p_exactness(it, a, n, op):
    # exact->inexact inexact inexact->exact exact
    v = it.S[a]
    if v & 3 == 1 and op - BASE - P_EXACTNESS > 1:
        return v
    return exactness(it, v, op)


def exactness(it, v, op):
    x = num(it, v, op)
    if op - BASE - P_EXACTNESS < 2:
        return v if type(x) is float else it.heap.make_float(flo(x))
    if type(x) is int:
        return v
    if x - x != 0.0 or x % 1.0 != 0.0:
        raise LispError(name(it, op) + ': no exact integer for ' + it.show(v) +
                        ' (Mote has no rationals)')
    return it.heap.make_int(int(x))


def fround(x, k):
    # k: 0 floor, 1 ceiling, 2 round (to even), 3 truncate; as Guile does
    # for floats, including the sign of zero
    if x - x != 0.0 or x % 1.0 == 0.0:
        return x
    if k == 3:
        k = 0 if x > 0 else 1
    if k == 2:
        y = x + 0.5
        r = float(math.floor(y))
        return r - 1.0 if r == y and (r / 2) % 1.0 != 0.0 else r
    r = float(math.floor(x) if k == 0 else math.ceil(x))
    return -r if r == 0.0 and x < 0 else r     # (a -0.0 constant freezes as 0.0)


def p_round(it, a, n, op):
    # floor ceiling round truncate
    v = it.S[a]
    if v & 3 == 1:
        return v
    return rounded(it, v, op)


def rounded(it, v, op):
    x = num(it, v, op)
    if type(x) is int:
        return v
    return it.heap.make_float(fround(x, op - BASE - P_FLOOR))


def p_numerator(it, a, n, op):
    # numerator denominator (of integers and floats)
    v = it.S[a]
    x = num(it, v, op)
    if type(x) is int:
        return v if op - BASE == P_NUMERATOR else 0x8005
    d = 1.0
    while x - x == 0.0 and x % 1.0 != 0.0:
        x *= 2.0
        d *= 2.0
    return it.heap.make_float(x if op - BASE == P_NUMERATOR else d)


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


def p_num_test(it, a, n, op):
    # inexact? real? rational? complex? exact-integer?
    # exact-nonnegative-integer? nan? infinite? finite?
    k = op - BASE - P_INEXACTP
    v = it.S[a]
    if v & 3 == 1:
        return truth(0 < k < 5 or k == 8 or (k == 5 and v >= 0x8001))
    return num_test(it, v, k, op)


def num_test(it, v, k, op):
    t = it.heap.box_type(v)
    if t != T_FLOAT and t != T_INT:
        if 0 < k < 6:
            return FALSE
        num(it, v, op)
    if t == T_INT:
        return truth(0 < k < 5 or k == 8 or (k == 5 and num(it, v, op) >= 0))
    x = it.heap.float_value(v)
    return truth(k < 4 and (k != 2 or x - x == 0.0) or (k == 6 and x != x)
                 or (k == 7 and x - x != 0.0 and x == x) or (k == 8 and x - x == 0.0))


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


def radix(it, a, n, op):
    r = arg_int(it, it.S[a + 1], op) if n > 1 else 10
    if r not in (2, 8, 10, 16):
        raise LispError(name(it, op) + ': unsupported radix: ' + str(r))
    return r


def p_string_to_number(it, a, n, op):
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    x = parse_number(b, 0, len(b), radix(it, a, n, op))
    return FALSE if x is None else make_number(it.heap, x)


def p_number_to_string(it, a, n, op):
    v = it.S[a]
    x = num(it, v, op)
    r = radix(it, a, n, op)
    if type(x) is float:
        if r != 10:
            raise LispError(name(it, op) + ': radix ' + str(r) + ' for an inexact number: ' +
                            it.show(v))
        b = float_text(x).encode()
    else:
        b = int_text(x, r).encode()
    return it.heap.make_string(b, 0, len(b))


def int_text(v, r):
    return str(v) if r == 10 else '%x' % v if r == 16 else '%o' % v if r == 8 \
        else bin(v).replace('0b', '')


# extension builtins of this module (builtin_table.py appends them)
BASE = base_of('numeric')       # number of its first builtin
FUNCS = ((p_div,) + (p_exactness,) * 4 + (p_round,) * 4 + (p_idiv,) * 6 + (p_sqrt,) * 2
         + (p_trans,) * 8 + (p_square,) + (p_num_test,) * 9 + (p_bitwise,) * 13
         + (p_random,) * 2 + (p_numerator,) * 2)

# the functions of the core rows (primitives.FUNCS) that name this module,
# in their order
CORE = (p_gcd, p_lcm, p_expt, p_string_to_number, p_number_to_string)
