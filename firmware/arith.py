# Numbers: the arithmetic a program uses most, on any numbers (+ - * and
# comparison, quotient remainder modulo, abs min max, zero? ... even?).
# Exact integers are fixnums or INT boxes (bignums); inexact numbers are
# FLOAT boxes (an IEEE double). As in Scheme, an operation on an inexact
# number gives an inexact result. Fixnum-only calls take the first loop of
# each builtin and allocate nothing (its frame stays small enough for the C
# stack). The rest of the numeric library (/, rounding, exactness, sqrt
# and the transcendentals, bitwise, random, number<->string, gcd lcm expt)
# is numeric.py: on a small board most programs never load it.
from compat import const
from arena import LispError, NIL, TRUE, FALSE, T_INT, T_FLOAT, T_CHAR, RK_VALUES
from args import arg_int, name, truth
from reader import make_number

# numbers of the first builtin of each family in builtin_names.CORE
# (host_tests check them)
P_ADD = const(1)
P_SUB = const(2)
P_LT = const(3)
P_MUL = const(9)
P_QUOTIENT = const(10)
P_MIN = const(14)
P_ZERO = const(19)
INF = float('inf')


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


# -- predicates ---------------------------------------------------------------------------
def eqv_number(it, x, y):
    # eqv? of two different words: equal bignums, or floats with the same
    # bits (so (eqv? 0.0 -0.0) is #f and (eqv? +nan.0 +nan.0) #t, as Guile)
    h = it.heap
    t = h.box_type(x)
    if t != h.box_type(y) or (t != T_INT and t != T_FLOAT and t != T_CHAR):
        return False
    if t != T_FLOAT:
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


# no builtins of its own (builtin_table.FAMILIES); the functions of the
# core rows (primitives.FUNCS) that name this module, in their order: put
# in place when one of them is first called
FUNCS = ()
CORE = ((p_add, p_sub) + (p_compare,) * 5 + (p_mul,) + (p_divide,) * 3 + (p_abs,)
        + (p_extreme,) * 2 + (p_int_test,) * 5)
