# Numbers: arithmetic, comparison and conversion builtins. Exact integers
# are fixnums or INT boxes (bignums); inexact numbers are FLOAT boxes (an
# IEEE double). As in Scheme, an operation on an inexact number gives an
# inexact result; Mote has no rationals, so a quotient that is not an
# integer is a float. Fixnum-only calls take the first loop of each builtin
# and allocate nothing (its frame stays small enough for the C stack).
import math
from compat import const
from arena import LispError, NIL, TRUE, FALSE, T_INT, T_FLOAT, RK_VALUES
from args import arg_int, arg_string, name, truth
from number_syntax import float_text, parse_number, bitlen, INF
from reader import make_number
from builtin_table import base_of

# numbers of the first builtin of each family in builtin_names.CORE
# (host_tests check them)
P_ADD = const(1)
P_SUB = const(2)
P_LT = const(3)
P_MUL = const(9)
P_QUOTIENT = const(10)
P_MIN = const(14)
P_GCD = const(16)
P_ZERO = const(19)
# places of family heads in this module's TABLE (host_tests check them)
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


# -- number arguments ------------------------------------------------------------
def num(it, v, who):
    # Python int or float of a number argument.
    if v & 3 == 1:
        return (v >> 2) - 8192
    h = it.heap
    t = h.box_type(v)
    if t == T_INT:
        return h.int_value(v)
    if t == T_FLOAT:
        return h.float_value(v)
    raise LispError(name(it, who) + ': not a number: ' + it.show(v))


def integer(it, v, who):
    # int of an integer argument: exact, or a float with an integral value.
    if it.heap.box_type(v) != T_FLOAT:
        return arg_int(it, v, who)
    x = it.heap.float_value(v)
    if x - x != 0.0 or x % 1.0 != 0.0:
        raise LispError(name(it, who) + ': not an integer: ' + it.show(v))
    return int(x)


def inexact(it, a, n):
    # Is any of S[a:a+n] a float?
    for k in range(a, a + n):
        if it.heap.box_type(it.S[k]) == T_FLOAT:
            return True
    return False


def flo(x):
    # float of a number; exact integers too large for a float are infinite
    if type(x) is float:
        return x
    try:
        return float(x)
    except OverflowError:
        return INF if x > 0 else -INF


def result(it, x, fl):
    # A number word for the Python number x, as a float if fl.
    return it.heap.make_float(flo(x)) if fl else make_number(it.heap, x)


def fdiv(x, y):
    # x / y on floats, with IEEE results for a zero divisor (as Guile)
    if y == 0.0:
        if x != x or x == 0.0:
            return NAN
        return INF if (x > 0) == (math.copysign(1.0, y) > 0) else -INF
    return x / y


# -- + - * ------------------------------------------------------------------------
def fold(it, a, n, op):
    # + - * on any numbers
    kind = 2 if op == P_MUL else op - P_ADD       # 0 +, 1 -, 2 *
    r = 1 if kind == 2 else 0
    k = a
    if kind == 1:
        r = num(it, it.S[a], op)
        k += 1
        if n == 1:
            r = -r
    while k < a + n:
        y = num(it, it.S[k], op)
        if type(r) is float or type(y) is float:
            r = flo(r)
            y = flo(y)
        r = r + y if kind == 0 else r - y if kind == 1 else r * y
        k += 1
    return make_number(it.heap, r)


def mk(h, r):
    # The word for the int r: a fixnum is made here, without a call
    if -8192 <= r <= 8191:
        return ((r + 8192) << 2) | 1
    return h.make_int(r)


def fixnums(S, a, n):
    n += a
    while a < n:
        if S[a] & 3 != 1:
            return False
        a += 1
    return True


def p_add(it, a, n, op):
    S = it.S
    if not fixnums(S, a, n):
        return fold(it, a, n, op)
    r = 0
    n += a
    while a < n:
        r += (S[a] >> 2) - 8192
        a += 1
    return mk(it.heap, r)


def p_sub(it, a, n, op):
    S = it.S
    if not fixnums(S, a, n):
        return fold(it, a, n, op)
    r = (S[a] >> 2) - 8192
    if n == 1:
        return mk(it.heap, -r)
    n += a
    a += 1
    while a < n:
        r -= (S[a] >> 2) - 8192
        a += 1
    return mk(it.heap, r)


def p_mul(it, a, n, op):
    S = it.S
    if not fixnums(S, a, n):
        return fold(it, a, n, op)
    r = 1
    n += a
    while a < n:
        r *= (S[a] >> 2) - 8192
        a += 1
    return mk(it.heap, r)


# -- comparison ----------------------------------------------------------------------
def p_compare(it, a, n, op):
    # < > = <= >=: fixnum words compare as their numbers do
    S = it.S
    if not fixnums(S, a, n):
        return compare(it, a, n, op - P_LT, op)
    op -= P_LT
    n += a - 1
    while a < n:
        if not (S[a] < S[a + 1] if op == 0 else S[a] > S[a + 1] if op == 1 else
                S[a] == S[a + 1] if op == 2 else S[a] <= S[a + 1] if op == 3 else
                S[a] >= S[a + 1]):
            return FALSE
        a += 1
    return TRUE


def compare(it, a, n, op, who):
    # op: 0 <, 1 >, 2 =, 3 <=, 4 >=, on any numbers
    x = num(it, it.S[a], who)
    ok = True
    for k in range(a + 1, a + n):
        y = num(it, it.S[k], who)
        if ok:
            ok = x < y if op == 0 else x > y if op == 1 else x == y if op == 2 \
                else x <= y if op == 3 else x >= y
        x = y
    return truth(ok)


def p_extreme(it, a, n, op):
    # min, max: inexact if any argument is
    S = it.S
    if not fixnums(S, a, n):
        return extreme(it, a, n, op)
    r = S[a]
    n += a
    while a < n:
        if (S[a] < r) if op == P_MIN else (S[a] > r):
            r = S[a]
        a += 1
    return r


def extreme(it, a, n, op):
    best = num(it, it.S[a], op)
    for k in range(a + 1, a + n):
        v = num(it, it.S[k], op)
        if v != v or ((v < best) if op == P_MIN else (v > best)):
            best = v
    return result(it, best, inexact(it, a, n))


def p_abs(it, a, n, op):
    v = it.S[a]
    if v & 3 == 1:
        return mk(it.heap, abs((v >> 2) - 8192))
    v = num(it, v, op)
    return make_number(it.heap, abs(v))


def p_int_test(it, a, n, op):
    # zero? positive? negative? odd? even?
    v = it.S[a]
    op -= P_ZERO
    if v & 3 == 1:
        v = (v >> 2) - 8192
    else:
        v = integer(it, v, op + P_ZERO) if op > 2 else num(it, v, op + P_ZERO)
    return truth(v == 0 if op == 0 else v > 0 if op == 1 else v < 0 if op == 2
                 else v & 1 if op == 3 else not v & 1)


# -- integer division ------------------------------------------------------------------
def quo(x, y, fl):
    # x / y rounded down (fl) or toward zero, on ints (y != 0)
    if fl:
        return x // y
    q = abs(x) // abs(y)
    return -q if (x < 0) != (y < 0) else q


def idiv(it, a, who, k):
    # k: 0 floor/, 1 truncate/ (two values), 2 floor-quotient,
    # 3 floor-remainder, 4 truncate-quotient, 5 truncate-remainder;
    # integral floats give floats
    x = integer(it, it.S[a], who)
    y = integer(it, it.S[a + 1], who)
    if y == 0:
        raise LispError(name(it, who) + ': division by zero')
    q = quo(x, y, k == 0 or k == 2 or k == 3)
    if k < 2:
        return values2(it, q, x - q * y, inexact(it, a, 2))
    return result(it, x - q * y if k & 1 else q, inexact(it, a, 2))


def values2(it, x, y, fl):
    # Two values (an RK_VALUES record) from Python numbers.
    h = it.heap
    it.push(result(it, x, fl))
    it.push(result(it, y, fl))
    v = h.alloc_record(RK_VALUES, 2, NIL)
    it.sp -= 2
    h.W[(v >> 1) + 2] = it.S[it.sp]
    h.W[(v >> 1) + 3] = it.S[it.sp + 1]
    return v


def p_divide(it, a, n, op):
    # quotient remainder modulo (the evaluator does fixnums itself)
    return idiv(it, a, op, (4, 5, 3)[op - P_QUOTIENT])


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


# -- gcd lcm expt ------------------------------------------------------------------------
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


# -- exactness and rounding --------------------------------------------------------------
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


# -- square roots, exp, log, trigonometry -------------------------------------------------
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


LN2_140 = 0xb17217f7d1cf79abc9e3b39803f2f6af40f    # floor(ln 2 * 2**140)


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


# -- predicates ---------------------------------------------------------------------------
def eqv_number(it, x, y):
    # eqv? of two different words: equal bignums, or floats with the same
    # bits (so (eqv? 0.0 -0.0) is #f and (eqv? +nan.0 +nan.0) #t, as Guile)
    h = it.heap
    t = h.box_type(x)
    if t != h.box_type(y) or (t != T_INT and t != T_FLOAT):
        return False
    if t == T_INT:
        return h.int_value(x) == h.int_value(y)
    for k in range(1, 5):
        if h.W[(x >> 1) + k] != h.W[(y >> 1) + k]:
            return False
    return True


def number_test(it, v, k):
    # number? integer? exact? (0, 1, 2: p_type_test in primitives.py)
    t = it.heap.box_type(v)
    if v & 3 == 1 or t == T_INT:
        return TRUE
    if t != T_FLOAT or k == 2:
        return FALSE
    x = it.heap.float_value(v)
    return truth(k == 0 or (x - x == 0.0 and x % 1.0 == 0.0))


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


# -- bits and random numbers ----------------------------------------------------------------
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


# -- text ------------------------------------------------------------------------------------
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
BASE = base_of('arith')         # number of its first builtin
FUNCS = ((p_div,) + (p_exactness,) * 4 + (p_round,) * 4 + (p_idiv,) * 6 + (p_sqrt,) * 2
         + (p_trans,) * 8 + (p_square,) + (p_num_test,) * 9 + (p_bitwise,) * 13
         + (p_random,) * 2 + (p_numerator,) * 2)

# the functions of the core rows (primitives.FUNCS) that name this module,
# in their order: put in place when one of them is first called
CORE = ((p_add, p_sub) + (p_compare,) * 5 + (p_mul,) + (p_divide,) * 3 + (p_abs,)
        + (p_extreme,) * 2 + (p_gcd, p_lcm, p_expt) + (p_int_test,) * 5
        + (p_string_to_number, p_number_to_string))
