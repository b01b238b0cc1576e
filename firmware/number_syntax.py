# The syntax of numbers: reading a number's text (an int or a float, any
# radix and prefix) and writing a float the shortest way that reads back,
# and the builtins string->number and number->string. Imported on first
# use: the reader reads decimal integers without it, and a program without
# floats, bignum literals or prefixes never needs it.
from struct import pack
from math import ldexp
from arena import LispError, FALSE, bitlen, decode
from args import arg_int, arg_string, name
from reader import make_number

INF = float('inf')     # computed: a folded inf constant cannot be frozen (mpy-tool)


def decimal(n, sc, neg):
    # The float nearest to n * 10**sc (n >= 0), correctly rounded on exact
    # integers (float() of a string is not, on every port).
    mb = 53 if 1.0 + 1e-9 != 1.0 else 24        # precision: double or single
    mag = (bitlen(n) * 3) // 10 + sc
    if n == 0 or mag < -400:
        x = 0.0
    elif mag > 400:
        x = INF
    else:
        num, den = (n * 10 ** sc, 1) if sc >= 0 else (n, 10 ** -sc)
        b = bitlen(num) - bitlen(den) - mb       # then num / den / 2**b < 2**(mb + 1)
        if b < (-1074 if mb == 53 else -149):
            b = -1074 if mb == 53 else -149      # a subnormal: fewer bits
        if b >= 0:
            den <<= b
        else:
            num <<= -b
        q, r = divmod(num, den)
        if q >> mb:
            r += (q & 1) * den
            den <<= 1
            q >>= 1
            b += 1
        if 2 * r > den or (2 * r == den and q & 1):
            q += 1
        x = INF if b + bitlen(q) > (1024 if mb == 53 else 128) else ldexp(float(q), b)
    return -x if neg else x


def no_such(what, buf, s, e):
    return LispError('read: Mote has no ' + what + ': ' + decode(bytes(buf[s:e])))


def parse_number(buf, s, e, radix):
    # The number written buf[s:e] (an int or a float), or None. Prefixes
    # #x #o #b #d #e #i; in decimal a point, an exponent, +inf.0 -inf.0
    # +nan.0 (any case). A rational or complex number is a read error.
    ex = 0                                      # 1: #e, 2: #i
    s0 = s
    while s + 1 < e and buf[s] == 35:
        k = (120, 111, 98, 100, 101, 105).index(buf[s + 1] | 32) \
            if buf[s + 1] | 32 in (120, 111, 98, 100, 101, 105) else -1
        if k < 0:
            return None
        if k < 4:
            radix = (16, 8, 2, 10)[k]
        else:
            ex = k - 3
        s += 2
    neg = s < e and buf[s] == 45
    if s < e and (neg or buf[s] == 43):
        s += 1
        if e - s == 5 and bytes(buf[s:e]).lower() in (b'inf.0', b'nan.0'):
            x = INF if buf[s] | 32 == 105 else INF - INF
            return -x if neg else x
    n = nd = sc = 0
    dot = False
    while s < e:
        c = buf[s]
        d = c - 48 if 48 <= c <= 57 else (c | 32) - 87 if 97 <= (c | 32) <= 102 else 99
        if d < radix:
            n = n * radix + d
            nd += 1
            if dot:
                sc -= 1
        elif c == 46 and radix == 10 and not dot:
            dot = True
        else:
            break
        s += 1
    if nd == 0:
        return None
    if s < e:
        c = buf[s]
        if c == 47 and s + 1 < e and 48 <= buf[s + 1] <= 57:
            raise no_such('exact rationals', buf, s0, e)
        if buf[e - 1] | 32 == 105 and (c in b'+-@' or (c | 32 == 105 and s + 1 == e)):
            raise no_such('complex numbers', buf, s0, e)
        # an exponent: e, a sign, digits
        if radix != 10 or buf[s] | 32 != 101 or s + 1 == e:
            return None
        x = exact_integer(buf, s + 1, e)
        if x is None or buf[s + 1] == 35:
            return None
        sc += x
        dot = True
    if dot and ex != 1:
        return decimal(n, sc, neg)
    if sc > 10000 or sc < -10000:
        return None
    if sc >= 0:
        n *= 10 ** sc
    elif n % 10 ** -sc:
        raise no_such('exact rationals', buf, s0, e)    # #e1.5
    else:
        n //= 10 ** -sc
    if ex == 2:
        return decimal(n, 0, neg)
    return -n if neg else n


def exact_integer(buf, s, e):
    # Exact integer value of buf[s:e], or None.
    v = parse_number(buf, s, e, 10)
    return v if type(v) is int else None


def float_text(x):
    # Guile's notation for a float: the fewest digits that read back as x
    # (Burger and Dybvig's free-format method on exact integers, so every
    # port prints alike, whatever its own float formatting does), laid out
    # positionally for decimal exponents -3 .. max(6, digits + 2).
    if x != x:
        return '+nan.0'
    mb = 52 if 1.0 + 1e-9 != 1.0 else 23      # a port's float: double or single
    bits = int.from_bytes(pack('<d' if mb == 52 else '<f', x), 'little')
    sign = '-' if bits >> (63 if mb == 52 else 31) else ''
    top = 0x7FF if mb == 52 else 0xFF
    f = bits & ((1 << mb) - 1)
    be = (bits >> mb) & top
    if be == top:
        return sign + 'inf.0' if sign else '+inf.0'
    if not (f or be):
        return sign + '0.0'
    m = f | (1 << mb) if be else f
    e = (be or 1) - (top >> 1) - mb             # x = m * 2**e
    even = not m & 1
    b = 2 if f == 0 and be > 1 else 1           # the gap below x is half the one above
    # x = r/s; the numbers that read back as x lie within (r - mm)/s .. (r + mp)/s
    if e >= 0:
        r, s, mp, mm = m << (e + b), 2 * b, 1 << (e + b - 1), 1 << e
    else:
        r, s, mp, mm = m << b, 1 << (b - e), b, 1
    k = ((e + mb + 1) * 30103) // 100000        # about log10(x), fixed up below
    if k >= 0:
        s *= 10 ** k
    else:
        r *= 10 ** -k
        mp *= 10 ** -k
        mm *= 10 ** -k
    while r + mp > s or (even and r + mp == s):
        s *= 10
        k += 1
    while (r + mp) * 10 < s or (not even and (r + mp) * 10 == s):
        r *= 10
        mp *= 10
        mm *= 10
        k -= 1
    ds = ''
    while True:
        d, r = divmod(r * 10, s)
        mp *= 10
        mm *= 10
        lo = r < mm or (even and r == mm)
        hi = r + mp > s or (even and r + mp == s)
        if hi and (not lo or 2 * r > s or (2 * r == s and d & 1)):
            d += 1
        ds += chr(48 + d)
        if lo or hi:
            break
    n = len(ds)
    k -= 1                                      # x = d.ddd * 10**k
    if k < -3 or (k > 6 and k > n + 2):
        return sign + ds[0] + '.' + (ds[1:] or '0') + 'e' + str(k)
    if k < 0:
        return sign + '0.' + '0' * (-k - 1) + ds
    if n <= k + 1:
        return sign + ds + '0' * (k + 1 - n) + '.0'
    return sign + ds[:k + 1] + '.' + ds[k + 1:]


# -- the builtins ---------------------------------------------------------------------
def radix(it, a, n, op):
    r = arg_int(it, it.S[a + 1], op) if n > 1 else 10
    if r not in (2, 8, 10, 16):
        raise LispError(name(it, op) + ': unsupported radix: ' + str(r))
    return r


def p_string_to_number(it, a, n, op):
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    r = radix(it, a, n, op)
    try:
        x = parse_number(b, 0, len(b), r)
    except LispError:               # 1/2, 3+4i: numbers Mote lacks
        x = None
    return FALSE if x is None else make_number(it.heap, x)


def p_number_to_string(it, a, n, op):
    from arith import num
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


# no builtins of its own (builtin_table.FAMILIES); the functions of the
# core rows (primitives.FUNCS) that name this module, in their order
FUNCS = ()
CORE = (p_string_to_number, p_number_to_string)
