# Numbers: the rest of the numeric library but its elementary functions
# (arith.py has + - * and the comparisons, elementary.py sqrt, exp, log,
# trigonometry, bitwise operations and random numbers): / and the integer
# divisions, exactness and rounding, gcd lcm expt, square, the number
# predicates, numerator and denominator (number<->string is
# number_syntax.py's). Mote has no
# rationals, so a quotient that is not an integer is a float.
import math
from compat import const
from arena import LispError, FALSE, T_INT, T_FLOAT
from args import arg_int, arg_string, name, truth
from arith import num, integer, inexact, flo, result, mk, fixnums, idiv, quo, INF
from arena import bitlen
from reader import make_number
from builtin_table import base_of

P_GCD = const(16)           # gcd's number in builtin_names.CORE
# places of family heads in this module's FUNCS (host_tests check them)
P_EXACTNESS = const(1)
P_FLOOR = const(5)
P_FLOORDIV = const(9)
P_INEXACTP = const(16)
P_NUMERATOR = const(25)
NAN = INF - INF
MAXBITS = const(32752)          # the largest bignum box: 2047 words of 16 bits


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
        try:
            p = p / q
        except OverflowError:       # a quotient past the floats
            p = INF if (p > 0) == (q > 0) else -INF
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


# extension builtins of this module (builtin_table.py appends them)
BASE = base_of('numeric')       # number of its first builtin
FUNCS = ((p_div,) + (p_exactness,) * 4 + (p_round,) * 4 + (p_idiv,) * 6 + (p_square,)
         + (p_num_test,) * 9 + (p_numerator,) * 2)

# the functions of the core rows (primitives.FUNCS) that name this module,
# in their order
CORE = (p_gcd, p_lcm, p_expt)
