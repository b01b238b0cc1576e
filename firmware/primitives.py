# Built-in procedures: one table. Each entry is a name with its arity (in
# TABLE) and a Python function f(it, a, n) reading its n arguments from
# S[a:a+n] (in FUNCS, same order). Adding a builtin costs a row, not a class.
# The first entries are numbered in evaluator.py (P_*): keep their order.
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, CHAR0, SYM0, OTHER,
                   T_STRING, T_INT, T_VECTOR, T_CLOSURE, MAXSIZE)
from printer import emit


def arg_int(it, v, who):
    if v & 3 == 1:
        return (v >> 2) - 8192
    if not v & 1:
        h = it.heap
        i = v >> 1
        if (h.C[i >> 2] >> ((i & 3) << 1)) & 3 == OTHER and h.W[i] >> 11 == T_INT:
            return h.int_value(v)
    raise LispError(name(it, who) + ': not an integer: ' + it.show(v))


def arg_index(it, v, who, n):
    if v & 3 != 1 or not 0 <= (v >> 2) - 8192 < n:
        raise LispError(name(it, who) + ': index out of range: ' + it.show(v))
    return (v >> 2) - 8192


def arg_pair(it, v, who):
    if v & 1 or it.heap.code(v >> 1) == OTHER:
        raise LispError(name(it, who) + ': not a pair: ' + it.show(v))
    return v


def arg_type(it, v, t, who, what):
    if it.heap.box_type(v) != t:
        raise LispError(name(it, who) + ': not a ' + what + ': ' + it.show(v))
    return v


def arg_char(it, v, who):
    if v & 3 != 3 or v < CHAR0:
        raise LispError(name(it, who) + ': not a char: ' + it.show(v))
    return (v - CHAR0) >> 2


def arg_string(it, v, who):
    return arg_type(it, v, T_STRING, who, 'string')


def arg_vector(it, v, who):
    return arg_type(it, v, T_VECTOR, who, 'vector')


def name(it, who):
    # who: a builtin's number or a name
    return who if isinstance(who, str) else it.prim_name(who)


def truth(b):
    return TRUE if b else FALSE


# -- numbers ---------------------------------------------------------------------
def p_add(it, a, n, op):
    r = 0
    for k in range(a, a + n):
        r += arg_int(it, it.S[k], op)
    return it.heap.make_int(r)


def p_sub(it, a, n, op):
    r = arg_int(it, it.S[a], op)
    if n == 1:
        return it.heap.make_int(-r)
    for k in range(a + 1, a + n):
        r -= arg_int(it, it.S[k], op)
    return it.heap.make_int(r)


def p_mul(it, a, n, op):
    r = 1
    for k in range(a, a + n):
        r *= arg_int(it, it.S[k], op)
    return it.heap.make_int(r)


def compare(it, a, n, op, who):
    # op: 0 <, 1 >, 2 =, 3 <=, 4 >=
    x = arg_int(it, it.S[a], who)
    ok = True
    for k in range(a + 1, a + n):
        y = arg_int(it, it.S[k], who)
        if op == 0:
            ok = ok and x < y
        elif op == 1:
            ok = ok and x > y
        elif op == 2:
            ok = ok and x == y
        elif op == 3:
            ok = ok and x <= y
        else:
            ok = ok and x >= y
        x = y
    return truth(ok)


def p_compare(it, a, n, op):
    return compare(it, a, n, op - P_LT, op)


def divide(it, a, who, op):
    x = arg_int(it, it.S[a], who)
    y = arg_int(it, it.S[a + 1], who)
    if y == 0:
        raise LispError(name(it, who) + ': division by zero')
    q = abs(x) // abs(y)
    if (x < 0) != (y < 0):
        q = -q
    if op == 0:
        return it.heap.make_int(q)
    r = x - q * y
    if op == 2 and r != 0 and (r < 0) != (y < 0):
        r += y
    return it.heap.make_int(r)


def p_divide(it, a, n, op):
    return divide(it, a, op, op - P_QUOTIENT)


def p_abs(it, a, n, op):
    return it.heap.make_int(abs(arg_int(it, it.S[a], op)))


def p_extreme(it, a, n, op):
    # min, max
    who = op
    best = arg_int(it, it.S[a], who)
    for k in range(a + 1, a + n):
        v = arg_int(it, it.S[k], who)
        if (v < best) if op == P_MIN else (v > best):
            best = v
    return it.heap.make_int(best)


def gcd2(x, y):
    x = abs(x)
    y = abs(y)
    while y:
        x, y = y, x % y
    return x


def p_gcd(it, a, n, op):
    r = 0
    for k in range(a, a + n):
        r = gcd2(r, arg_int(it, it.S[k], op))
    return it.heap.make_int(r)


def p_lcm(it, a, n, op):
    r = 1
    for k in range(a, a + n):
        v = abs(arg_int(it, it.S[k], op))
        if v == 0:
            return it.heap.make_int(0)
        r = r * v // gcd2(r, v)
    return it.heap.make_int(r)


def p_expt(it, a, n, op):
    x = arg_int(it, it.S[a], op)
    y = arg_int(it, it.S[a + 1], op)
    if y < 0:
        raise LispError('expt: negative exponent needs rationals: ' + str(y))
    return it.heap.make_int(x ** y)


def p_integerp(it, a, n, op):
    v = it.S[a]
    return truth(v & 3 == 1 or it.heap.box_type(v) == T_INT)


def p_int_test(it, a, n, op):
    # zero? positive? negative? odd? even?
    v = arg_int(it, it.S[a], op)
    op -= P_ZERO
    return truth(v == 0 if op == 0 else v > 0 if op == 1 else v < 0 if op == 2
                 else v & 1 if op == 3 else not v & 1)


# -- pairs and lists ---------------------------------------------------------------
def p_cons(it, a, n, op):
    return it.heap.cons(it.S[a], it.S[a + 1])


def p_cxr(it, a, n, op):
    # c[ad]{2,3}r: the letters of the builtin's own name (read from the
    # name table, no string made), applied right to left
    sy = it.symbols
    k0 = sy.boff[it.prim_base + op]
    k = sy.boff[it.prim_base + op + 1] - 3
    v = it.S[a]
    h = it.heap
    if k == k0 + 1:
        # car, cdr: the common case, without the loop
        arg_pair(it, v, op)
        return h.car(v) if sy.blob[k] == 97 else h.cdr(v)
    while k > k0:
        arg_pair(it, v, op)
        v = h.car(v) if sy.blob[k] == 97 else h.cdr(v)
        k -= 1
    return v


def p_set(it, a, n, op):
    # set-car! set-cdr!
    p = arg_pair(it, it.S[a], op)
    h = it.heap
    i = p >> 1
    if op == P_SETCAR:
        h.W[i] = it.S[a + 1]
    elif h.code(i) != 0:
        raise LispError('set-cdr!: cannot change a literal (compact) list: ' + it.show(p))
    else:
        h.W[i + 1] = it.S[a + 1]
    return UNSPEC


def p_list(it, a, n, op):
    return build_list(it, a, n, NIL)


def build_list(it, a, n, tail):
    # A fresh list of S[a:a+n] ending in tail (S keeps everything alive).
    h = it.heap
    it.push(tail)
    k = a + n - 1
    while k >= a:
        it.S[it.sp - 1] = h.cons(it.S[k], it.S[it.sp - 1])
        k -= 1
    it.sp -= 1
    return it.S[it.sp]


def list_length(it, v, who):
    # Length of a proper list; error for improper or circular ones.
    h = it.heap
    n = 0
    slow = v
    while v != NIL:
        if v & 1 or h.code(v >> 1) == OTHER:
            raise LispError(name(it, who) + ': not a proper list: ' + it.show(slow))
        v = h.cdr(v)
        n += 1
        if n > h.n:
            raise LispError(name(it, who) + ': circular list')
    return n


def p_length(it, a, n, op):
    return it.heap.make_int(list_length(it, it.S[a], op))


def p_listp(it, a, n, op):
    v = it.S[a]
    h = it.heap
    k = 0
    while v != NIL:
        if v & 1 or h.code(v >> 1) == OTHER or k > h.n:
            return FALSE
        v = h.cdr(v)
        k += 1
    return TRUE


def p_append(it, a, n, op):
    if n == 0:
        return NIL
    base = it.sp
    for k in range(a, a + n - 1):
        spread(it, it.S[k], op)
    r = build_list(it, base, it.sp - base, it.S[a + n - 1])
    it.sp = base
    return r


def p_reverse(it, a, n, op):
    h = it.heap
    v = it.S[a]
    list_length(it, v, op)
    it.push(NIL)
    while v != NIL:
        it.S[it.sp - 1] = h.cons(h.car(v), it.S[it.sp - 1])
        v = h.cdr(v)
    it.sp -= 1
    return it.S[it.sp]


def p_list_tail(it, a, n, op):
    v = it.S[a]
    k = arg_int(it, it.S[a + 1], op)
    while k > 0:
        v = it.heap.cdr(arg_pair(it, v, op))
        k -= 1
    return v


def p_list_ref(it, a, n, op):
    v = p_list_tail(it, a, n, op)
    return it.heap.car(arg_pair(it, v, op))


def p_member(it, a, n, op):
    # memq memv member (op order gives eq?, eqv?, equal?)
    x = it.S[a]
    v = it.S[a + 1]
    h = it.heap
    kind = op - P_MEMQ
    while v != NIL:
        arg_pair(it, v, op)
        if same(it, x, h.car(v), kind):
            return v
        v = h.cdr(v)
    return FALSE


def p_assoc(it, a, n, op):
    # assq assv assoc
    x = it.S[a]
    v = it.S[a + 1]
    h = it.heap
    kind = op - P_ASSQ
    while v != NIL:
        e = h.car(arg_pair(it, v, op))
        if same(it, x, h.car(arg_pair(it, e, op)), kind):
            return e
        v = h.cdr(v)
    return FALSE


# -- equivalence ------------------------------------------------------------------
def eqv(it, x, y):
    if x == y:
        return True
    h = it.heap
    return (h.box_type(x) == T_INT and h.box_type(y) == T_INT
            and h.int_value(x) == h.int_value(y))


def same(it, x, y, kind):
    if kind == 0:
        return x == y
    if kind == 1:
        return eqv(it, x, y)
    return equal(it, x, y)


def equal(it, x, y):
    # Structural equality with an explicit stack of pending pairs on S.
    h = it.heap
    base = it.sp
    ok = True
    while True:
        if not eqv(it, x, y):
            tx = h.box_type(x)
            if h.is_pair(x) and h.is_pair(y):
                it.push(h.cdr(x))
                it.push(h.cdr(y))
                x = h.car(x)
                y = h.car(y)
                continue
            if tx == T_STRING and h.box_type(y) == T_STRING:
                ok = h.string_bytes(x) == h.string_bytes(y)
            elif tx == T_VECTOR and h.box_type(y) == T_VECTOR and h.box_size(x) == h.box_size(y):
                for k in range(h.box_size(x)):
                    it.push(h.W[(x >> 1) + 1 + k])
                    it.push(h.W[(y >> 1) + 1 + k])
            else:
                ok = False
        if not ok or it.sp == base:
            break
        it.sp -= 2
        x = it.S[it.sp]
        y = it.S[it.sp + 1]
    it.sp = base
    return ok


def p_same(it, a, n, op):
    # eq? eqv? equal?
    return truth(same(it, it.S[a], it.S[a + 1], op - P_EQ))


def p_type_test(it, a, n, op):
    # null? not pair? symbol? string? char? boolean? procedure? vector?
    # number? integer? exact?
    v = it.S[a]
    h = it.heap
    op -= P_NULL
    if op < 2:
        return truth(v == (NIL if op == 0 else FALSE))
    op -= 2
    if op >= 9:
        op = 7       # exact? is integer? here: every number is exact
    if op == 0:
        return truth(h.is_pair(v))
    if op == 1:
        return truth(v & 3 == 3 and SYM0 <= v < CHAR0)
    if op == 2:
        return truth(h.box_type(v) == T_STRING)
    if op == 3:
        return truth(v & 3 == 3 and v >= CHAR0)
    if op == 4:
        return truth(v == TRUE or v == FALSE)
    if op == 5:
        return truth(is_procedure(it, v))
    if op == 6:
        return truth(h.box_type(v) == T_VECTOR)
    return truth(v & 3 == 1 or h.box_type(v) == T_INT)


def is_procedure(it, v):
    return (v & 3 == 3 and 0x1003 <= v < 0x2003) or it.heap.box_type(v) == T_CLOSURE


# -- symbols, strings, chars ---------------------------------------------------------
def p_symbol_to_string(it, a, n, op):
    v = it.S[a]
    if v & 3 != 3 or not SYM0 <= v < CHAR0:
        raise LispError('symbol->string: not a symbol: ' + it.show(v))
    b = it.symbols.name((v - SYM0) >> 2).encode()
    return it.heap.make_string(b, 0, len(b))


def p_string_to_symbol(it, a, n, op):
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    return SYM0 + (it.symbols.intern(b, 0, len(b)) << 2)


def p_string_length(it, a, n, op):
    return it.heap.make_int(it.heap.string_len(arg_string(it, it.S[a], op)))


def p_string_ref(it, a, n, op):
    s = arg_string(it, it.S[a], op)
    k = arg_index(it, it.S[a + 1], op, it.heap.string_len(s))
    return CHAR0 + (it.heap.string_byte(s, k) << 2)


def p_substring(it, a, n, op):
    h = it.heap
    s = arg_string(it, it.S[a], op)
    ln = h.string_len(s)
    i = arg_index(it, it.S[a + 1], op, ln + 1)
    j = arg_index(it, it.S[a + 2], op, ln + 1) if n > 2 else ln
    if j < i:
        raise LispError('substring: end before start: ' + str(j))
    b = h.string_bytes(s)
    return h.make_string(b, i, j)


def p_string_append(it, a, n, op):
    out = bytearray()
    for k in range(a, a + n):
        out.extend(it.heap.string_bytes(arg_string(it, it.S[k], op)))
    return it.heap.make_string(out, 0, len(out))


def p_string_copy(it, a, n, op):
    return p_substring(it, a, n, op) if n > 1 else p_string_append(it, a, 1, op)


def p_string_compare(it, a, n, op):
    who = op
    op -= P_STRING_EQ
    prev = it.heap.string_bytes(arg_string(it, it.S[a], who))
    ok = True
    for k in range(a + 1, a + n):
        cur = it.heap.string_bytes(arg_string(it, it.S[k], who))
        ok = ok and order(prev, cur, op)
        prev = cur
    return truth(ok)


def order(x, y, op):
    # op: 0 =, 1 <, 2 >, 3 <=, 4 >=
    return (x == y if op == 0 else x < y if op == 1 else x > y if op == 2
            else x <= y if op == 3 else x >= y)


def p_string_to_list(it, a, n, op):
    h = it.heap
    s = arg_string(it, it.S[a], op)
    base = it.sp
    for k in range(h.string_len(s)):
        it.push(CHAR0 + (h.string_byte(s, k) << 2))
    r = build_list(it, base, it.sp - base, NIL)
    it.sp = base
    return r


def chars_to_string(it, a, n, who):
    out = bytearray(n)
    for k in range(n):
        c = arg_char(it, it.S[a + k], who)
        if c > 255:
            raise LispError(name(it, who) + ': character does not fit a byte string: ' + it.show(it.S[a + k]))
        out[k] = c
    return it.heap.make_string(out, 0, n)


def spread(it, v, who):
    # Push the elements of the proper list v onto S; returns how many.
    m = list_length(it, v, who)
    while v != NIL:
        it.push(it.heap.car(v))
        v = it.heap.cdr(v)
    return m


def p_list_to_string(it, a, n, op):
    base = it.sp
    r = chars_to_string(it, base, spread(it, it.S[a], op), op)
    it.sp = base
    return r


def p_string(it, a, n, op):
    return chars_to_string(it, a, n, op)


def p_make_string(it, a, n, op):
    m = arg_int(it, it.S[a], op)
    c = arg_char(it, it.S[a + 1], op) if n > 1 else 32
    if m < 0 or m > 2 * MAXSIZE:
        raise LispError('make-string: bad length: ' + str(m))
    out = bytearray(m)
    for k in range(m):
        out[k] = c
    return it.heap.make_string(out, 0, m)


def p_string_to_number(it, a, n, op):
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    radix = arg_int(it, it.S[a + 1], op) if n > 1 else 10
    s = b.decode()
    if not s or s.strip() != s or s[-1] in '+-' or ('+' in s[1:]) or ('-' in s[1:]):
        return FALSE
    try:
        return it.heap.make_int(int(s, radix))
    except ValueError:
        return FALSE


def p_number_to_string(it, a, n, op):
    v = arg_int(it, it.S[a], op)
    radix = arg_int(it, it.S[a + 1], op) if n > 1 else 10
    if radix not in (2, 8, 10, 16):
        raise LispError('number->string: unsupported radix: ' + str(radix))
    neg = v < 0
    v = abs(v)
    digits = '0123456789abcdef'
    out = []
    while True:
        out.append(digits[v % radix])
        v //= radix
        if not v:
            break
    if neg:
        out.append('-')
    out.reverse()
    b = ''.join(out).encode()
    return it.heap.make_string(b, 0, len(b))


def p_char_to_integer(it, a, n, op):
    return it.heap.make_int(arg_char(it, it.S[a], op))


def p_integer_to_char(it, a, n, op):
    c = arg_int(it, it.S[a], op)
    if not 0 <= c < 8192:
        raise LispError('integer->char: out of range (0..8191): ' + str(c))
    return CHAR0 + (c << 2)


def p_char_compare(it, a, n, op):
    who = op
    op -= P_CHAR_EQ
    prev = arg_char(it, it.S[a], who)
    ok = True
    for k in range(a + 1, a + n):
        cur = arg_char(it, it.S[k], who)
        ok = ok and order(prev, cur, op)
        prev = cur
    return truth(ok)


def p_char_case(it, a, n, op):
    # char-upcase char-downcase
    c = arg_char(it, it.S[a], op)
    if op == P_UPCASE and 97 <= c <= 122:
        c -= 32
    elif op != P_UPCASE and 65 <= c <= 90:
        c += 32
    return CHAR0 + (c << 2)


def p_char_test(it, a, n, op):
    # char-alphabetic? char-numeric? char-whitespace? char-upper-case?
    # char-lower-case?
    c = arg_char(it, it.S[a], op)
    op -= P_ALPHA
    up = 65 <= c <= 90
    low = 97 <= c <= 122
    return truth(up or low if op == 0 else 48 <= c <= 57 if op == 1 else
                 c == 32 or 9 <= c <= 13 if op == 2 else up if op == 3 else low)


# -- vectors ----------------------------------------------------------------------
def make_vector(it, a, n):
    # A vector of the n words S[a:a+n].
    h = it.heap
    i = h.alloc_box(T_VECTOR, n, NIL)
    for k in range(n):
        h.W[i + 1 + k] = it.S[a + k]
    return i << 1


def p_vector(it, a, n, op):
    # vector make-vector vector-ref vector-set! vector-length vector->list
    # list->vector vector-fill!
    h = it.heap
    op -= P_VECTOR
    if op == 0:
        return make_vector(it, a, n)
    if op == 1:
        m = arg_int(it, it.S[a], op + P_VECTOR)
        if not 0 <= m <= MAXSIZE:
            raise LispError('make-vector: bad length: ' + str(m))
        return h.alloc_box(T_VECTOR, m, it.S[a + 1] if n > 1 else FALSE) << 1
    if op == 6:
        base = it.sp
        r = make_vector(it, base, spread(it, it.S[a], P_VECTOR + 6))
        it.sp = base
        return r
    v = arg_vector(it, it.S[a], op + P_VECTOR)
    size = h.box_size(v)
    i = (v >> 1) + 1
    if op == 2 or op == 3:
        i += arg_index(it, it.S[a + 1], op + P_VECTOR, size)
        if op == 2:
            return h.W[i]
        h.W[i] = it.S[a + 2]
    elif op == 4:
        return h.make_int(size)
    elif op == 5:
        it.push(v)
        it.push(NIL)
        k = size - 1
        while k >= 0:
            it.S[it.sp - 1] = h.cons(h.W[i + k], it.S[it.sp - 1])
            k -= 1
        it.sp -= 2
        return it.S[it.sp + 1]
    else:
        for k in range(size):
            h.W[i + k] = it.S[a + 1]
    return UNSPEC


# -- output and system -----------------------------------------------------------------
def p_print(it, a, n, op):
    # display write
    emit(it, it.S[a], it.out, op != P_DISPLAY)
    return UNSPEC


def p_system(it, a, n, op):
    # newline gc room exit
    op -= P_NEWLINE
    if op == 0:
        it.out('\n')
    elif op == 1:
        it.heap.collector()
    elif op == 2:
        room(it)
    else:
        raise SystemExit(arg_int(it, it.S[a], op) if n else 0)
    return UNSPEC


def room(it):
    st = it.stats()
    for key in ('bytes_total', 'bytes_free', 'pairs_free', 'symbols_used',
                'symbols_max', 'gc_runs'):
        it.out(key + ': ' + str(st[key]) + '\n')


def p_error(it, a, n, op):
    v = it.S[a]
    msg = it.heap.string_bytes(v).decode() if it.heap.box_type(v) == T_STRING else it.show(v)
    for k in range(a + 1, a + n):
        msg += ' ' + it.show(it.S[k])
    raise LispError(msg)


# Each name carries its arity: name:N exactly N, name:N- N or more,
# name:N-M from N to M arguments. Families that share one function (the
# function gets the builtin's number, op) stand together in order.
TABLE = ('apply:2- +:0- -:1- <:1- >:1- =:1- <=:1- >=:1- cons:2 '
         '*:0- quotient:2 remainder:2 modulo:2 abs:1 '
         'min:1- max:1- gcd:0- lcm:0- expt:2 zero?:1 positive?:1 negative?:1 '
         'odd?:1 even?:1 list:0- length:1 append:0- reverse:1 list-tail:2 '
         'list-ref:2 memq:2 memv:2 member:2 assq:2 assv:2 assoc:2 '
         'null?:1 not:1 pair?:1 symbol?:1 string?:1 char?:1 boolean?:1 procedure?:1 '
         'vector?:1 number?:1 integer?:1 exact?:1 list?:1 set-car!:2 set-cdr!:2 '
         'car:1 cdr:1 caar:1 cadr:1 cdar:1 cddr:1 caaar:1 caadr:1 cadar:1 caddr:1 cdaar:1 '
         'cdadr:1 cddar:1 cdddr:1 eq?:2 eqv?:2 equal?:2 symbol->string:1 '
         'string->symbol:1 string-length:1 string-ref:2 substring:2-3 '
         'string-append:0- string-copy:1-3 string=?:1- string<?:1- string>?:1- '
         'string<=?:1- string>=?:1- string->list:1 list->string:1 string:0- '
         'make-string:1-2 string->number:1-2 number->string:1-2 '
         'char->integer:1 integer->char:1 char=?:1- char<?:1- char>?:1- '
         'char<=?:1- char>=?:1- char-upcase:1 char-downcase:1 '
         'char-alphabetic?:1 char-numeric?:1 char-whitespace?:1 '
         'char-upper-case?:1 char-lower-case?:1 vector:0- make-vector:1-2 '
         'vector-ref:2 vector-set!:3 vector-length:1 vector->list:1 '
         'list->vector:1 vector-fill!:2 display:1 write:1 error:1- newline:0 '
         'gc:0 room:0 exit:0-1')

FUNCS = (
    None, p_add, p_sub, p_compare, p_compare, p_compare, p_compare, p_compare,
    p_cons, p_mul, p_divide, p_divide, p_divide, p_abs, p_extreme, p_extreme,
    p_gcd, p_lcm, p_expt, p_int_test, p_int_test, p_int_test, p_int_test,
    p_int_test, p_list, p_length, p_append, p_reverse, p_list_tail,
    p_list_ref, p_member, p_member, p_member, p_assoc, p_assoc, p_assoc,
    p_type_test, p_type_test, p_type_test, p_type_test, p_type_test,
    p_type_test, p_type_test, p_type_test, p_type_test, p_type_test,
    p_type_test, p_type_test, p_listp, p_set, p_set,
    p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr,
    p_cxr, p_cxr, p_cxr, p_cxr, p_same, p_same, p_same, p_symbol_to_string,
    p_string_to_symbol, p_string_length, p_string_ref, p_substring,
    p_string_append, p_string_copy, p_string_compare, p_string_compare,
    p_string_compare, p_string_compare, p_string_compare, p_string_to_list,
    p_list_to_string, p_string, p_make_string, p_string_to_number,
    p_number_to_string, p_char_to_integer, p_integer_to_char,
    p_char_compare, p_char_compare, p_char_compare, p_char_compare,
    p_char_compare, p_char_case, p_char_case, p_char_test, p_char_test,
    p_char_test, p_char_test, p_char_test, p_vector, p_vector, p_vector,
    p_vector, p_vector, p_vector, p_vector, p_vector, p_print, p_print, p_error, p_system,
    p_system, p_system, p_system,
)


def _numbers():
    # The builtin number of the first member of each family.
    names = [e.split(':')[0] for e in TABLE.split()]
    return [names.index(x) for x in (
        '<', 'quotient', 'min', 'zero?', 'memq', 'assq', 'null?', 'string=?',
        'char=?', 'char-upcase', 'char-alphabetic?', 'display', 'eq?',
        'set-car!', 'newline', 'vector')]


(P_LT, P_QUOTIENT, P_MIN, P_ZERO, P_MEMQ, P_ASSQ, P_NULL, P_STRING_EQ,
 P_CHAR_EQ, P_UPCASE, P_ALPHA, P_DISPLAY, P_EQ, P_SETCAR, P_NEWLINE,
 P_VECTOR) = _numbers()
