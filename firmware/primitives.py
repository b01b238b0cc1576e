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
    raise LispError(who + ': not an integer: ' + it.show(v))


def arg_index(it, v, who, n):
    if v & 3 != 1 or not 0 <= (v >> 2) - 8192 < n:
        raise LispError(who + ': index out of range: ' + it.show(v))
    return (v >> 2) - 8192


def arg_pair(it, v, who):
    if v & 1 or it.heap.code(v >> 1) == OTHER:
        raise LispError(who + ': not a pair: ' + it.show(v))
    return v


def arg_type(it, v, t, who, what):
    if it.heap.box_type(v) != t:
        raise LispError(who + ': not a ' + what + ': ' + it.show(v))
    return v


def arg_char(it, v, who):
    if v & 3 != 3 or v < CHAR0:
        raise LispError(who + ': not a char: ' + it.show(v))
    return (v - CHAR0) >> 2


def arg_string(it, v, who):
    return arg_type(it, v, T_STRING, who, 'string')


def truth(b):
    return TRUE if b else FALSE


# -- numbers ---------------------------------------------------------------------
def p_add(it, a, n):
    r = 0
    for k in range(a, a + n):
        r += arg_int(it, it.S[k], '+')
    return it.heap.make_int(r)


def p_sub(it, a, n):
    r = arg_int(it, it.S[a], '-')
    if n == 1:
        return it.heap.make_int(-r)
    for k in range(a + 1, a + n):
        r -= arg_int(it, it.S[k], '-')
    return it.heap.make_int(r)


def p_mul(it, a, n):
    r = 1
    for k in range(a, a + n):
        r *= arg_int(it, it.S[k], '*')
    return it.heap.make_int(r)


def compare(it, a, n, op, who):
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


def p_lt(it, a, n):
    return compare(it, a, n, 0, '<')


def p_gt(it, a, n):
    return compare(it, a, n, 1, '>')


def p_numeq(it, a, n):
    return compare(it, a, n, 2, '=')


def p_le(it, a, n):
    return compare(it, a, n, 3, '<=')


def p_ge(it, a, n):
    return compare(it, a, n, 4, '>=')


def divide(it, a, who, op):
    x = arg_int(it, it.S[a], who)
    y = arg_int(it, it.S[a + 1], who)
    if y == 0:
        raise LispError(who + ': division by zero')
    q = abs(x) // abs(y)
    if (x < 0) != (y < 0):
        q = -q
    if op == 0:
        return it.heap.make_int(q)
    r = x - q * y
    if op == 2 and r != 0 and (r < 0) != (y < 0):
        r += y
    return it.heap.make_int(r)


def p_quotient(it, a, n):
    return divide(it, a, 'quotient', 0)


def p_remainder(it, a, n):
    return divide(it, a, 'remainder', 1)


def p_modulo(it, a, n):
    return divide(it, a, 'modulo', 2)


def p_abs(it, a, n):
    return it.heap.make_int(abs(arg_int(it, it.S[a], 'abs')))


def p_min(it, a, n):
    return extreme(it, a, n, 'min')


def p_max(it, a, n):
    return extreme(it, a, n, 'max')


def extreme(it, a, n, who):
    best = arg_int(it, it.S[a], who)
    for k in range(a + 1, a + n):
        v = arg_int(it, it.S[k], who)
        if (v < best) if who == 'min' else (v > best):
            best = v
    return it.heap.make_int(best)


def gcd2(x, y):
    x = abs(x)
    y = abs(y)
    while y:
        x, y = y, x % y
    return x


def p_gcd(it, a, n):
    r = 0
    for k in range(a, a + n):
        r = gcd2(r, arg_int(it, it.S[k], 'gcd'))
    return it.heap.make_int(r)


def p_lcm(it, a, n):
    r = 1
    for k in range(a, a + n):
        v = abs(arg_int(it, it.S[k], 'lcm'))
        if v == 0:
            return it.heap.make_int(0)
        r = r * v // gcd2(r, v)
    return it.heap.make_int(r)


def p_expt(it, a, n):
    x = arg_int(it, it.S[a], 'expt')
    y = arg_int(it, it.S[a + 1], 'expt')
    if y < 0:
        raise LispError('expt: negative exponent needs rationals: ' + str(y))
    return it.heap.make_int(x ** y)


def p_integerp(it, a, n):
    v = it.S[a]
    return truth(v & 3 == 1 or it.heap.box_type(v) == T_INT)


def int_test(who, test):
    def f(it, a, n):
        v = arg_int(it, it.S[a], who)
        return truth(test(v))
    return f


# -- pairs and lists ---------------------------------------------------------------
def p_car(it, a, n):
    return it.heap.car(arg_pair(it, it.S[a], 'car'))


def p_cdr(it, a, n):
    return it.heap.cdr(arg_pair(it, it.S[a], 'cdr'))


def p_cons(it, a, n):
    return it.heap.cons(it.S[a], it.S[a + 1])


def cxr(name):
    # c[ad]{2,3}r: apply the letters right to left
    path = name[1:-1]

    def f(it, a, n):
        v = it.S[a]
        h = it.heap
        k = len(path) - 1
        while k >= 0:
            arg_pair(it, v, name)
            v = h.car(v) if path[k] == 'a' else h.cdr(v)
            k -= 1
        return v
    return f


def p_setcar(it, a, n):
    p = arg_pair(it, it.S[a], 'set-car!')
    it.heap.W[p >> 1] = it.S[a + 1]
    return UNSPEC


def p_setcdr(it, a, n):
    p = arg_pair(it, it.S[a], 'set-cdr!')
    h = it.heap
    if h.code(p >> 1) != 0:
        raise LispError('set-cdr!: cannot change a literal (compact) list: ' + it.show(p))
    h.W[(p >> 1) + 1] = it.S[a + 1]
    return UNSPEC


def p_list(it, a, n):
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
            raise LispError(who + ': not a proper list: ' + it.show(slow))
        v = h.cdr(v)
        n += 1
        if n > h.n:
            raise LispError(who + ': circular list')
    return n


def p_length(it, a, n):
    return it.heap.make_int(list_length(it, it.S[a], 'length'))


def p_listp(it, a, n):
    v = it.S[a]
    h = it.heap
    k = 0
    while v != NIL:
        if v & 1 or h.code(v >> 1) == OTHER or k > h.n:
            return FALSE
        v = h.cdr(v)
        k += 1
    return TRUE


def p_append(it, a, n):
    if n == 0:
        return NIL
    h = it.heap
    base = it.sp
    for k in range(a, a + n - 1):
        v = it.S[k]
        list_length(it, v, 'append')
        while v != NIL:
            it.push(h.car(v))
            v = h.cdr(v)
    r = build_list(it, base, it.sp - base, it.S[a + n - 1])
    it.sp = base
    return r


def p_reverse(it, a, n):
    h = it.heap
    v = it.S[a]
    list_length(it, v, 'reverse')
    it.push(NIL)
    while v != NIL:
        it.S[it.sp - 1] = h.cons(h.car(v), it.S[it.sp - 1])
        v = h.cdr(v)
    it.sp -= 1
    return it.S[it.sp]


def p_list_tail(it, a, n):
    v = it.S[a]
    k = arg_int(it, it.S[a + 1], 'list-tail')
    while k > 0:
        v = it.heap.cdr(arg_pair(it, v, 'list-tail'))
        k -= 1
    return v


def p_list_ref(it, a, n):
    v = p_list_tail(it, a, n)
    return it.heap.car(arg_pair(it, v, 'list-ref'))


def member(it, a, kind, who):
    x = it.S[a]
    v = it.S[a + 1]
    h = it.heap
    while v != NIL:
        arg_pair(it, v, who)
        if same(it, x, h.car(v), kind):
            return v
        v = h.cdr(v)
    return FALSE


def assoc(it, a, kind, who):
    x = it.S[a]
    v = it.S[a + 1]
    h = it.heap
    while v != NIL:
        e = h.car(arg_pair(it, v, who))
        if same(it, x, h.car(arg_pair(it, e, who)), kind):
            return e
        v = h.cdr(v)
    return FALSE


def p_memq(it, a, n):
    return member(it, a, 0, 'memq')


def p_memv(it, a, n):
    return member(it, a, 1, 'memv')


def p_member(it, a, n):
    return member(it, a, 2, 'member')


def p_assq(it, a, n):
    return assoc(it, a, 0, 'assq')


def p_assv(it, a, n):
    return assoc(it, a, 1, 'assv')


def p_assoc(it, a, n):
    return assoc(it, a, 2, 'assoc')


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


def p_eq(it, a, n):
    return truth(it.S[a] == it.S[a + 1])


def p_eqv(it, a, n):
    return truth(eqv(it, it.S[a], it.S[a + 1]))


def p_equal(it, a, n):
    return truth(equal(it, it.S[a], it.S[a + 1]))


def p_not(it, a, n):
    return truth(it.S[a] == FALSE)


def p_null(it, a, n):
    return truth(it.S[a] == NIL)


def type_test(test):
    def f(it, a, n):
        return truth(test(it, it.S[a]))
    return f


def is_procedure(it, v):
    return (v & 3 == 3 and 0x1003 <= v < 0x2003) or it.heap.box_type(v) == T_CLOSURE


# -- symbols, strings, chars ---------------------------------------------------------
def p_symbol_to_string(it, a, n):
    v = it.S[a]
    if v & 3 != 3 or not SYM0 <= v < CHAR0:
        raise LispError('symbol->string: not a symbol: ' + it.show(v))
    b = it.symbols.name((v - SYM0) >> 2).encode()
    return it.heap.make_string(b, 0, len(b))


def p_string_to_symbol(it, a, n):
    b = it.heap.string_bytes(arg_string(it, it.S[a], 'string->symbol'))
    return SYM0 + (it.symbols.intern(b, 0, len(b)) << 2)


def p_string_length(it, a, n):
    return it.heap.make_int(it.heap.string_len(arg_string(it, it.S[a], 'string-length')))


def p_string_ref(it, a, n):
    s = arg_string(it, it.S[a], 'string-ref')
    k = arg_index(it, it.S[a + 1], 'string-ref', it.heap.string_len(s))
    return CHAR0 + (it.heap.string_byte(s, k) << 2)


def p_substring(it, a, n):
    h = it.heap
    s = arg_string(it, it.S[a], 'substring')
    ln = h.string_len(s)
    i = arg_index(it, it.S[a + 1], 'substring', ln + 1)
    j = arg_index(it, it.S[a + 2], 'substring', ln + 1) if n > 2 else ln
    if j < i:
        raise LispError('substring: end before start: ' + str(j))
    b = h.string_bytes(s)
    return h.make_string(b, i, j)


def p_string_append(it, a, n):
    out = bytearray()
    for k in range(a, a + n):
        out.extend(it.heap.string_bytes(arg_string(it, it.S[k], 'string-append')))
    return it.heap.make_string(out, 0, len(out))


def p_string_copy(it, a, n):
    return p_substring(it, a, n) if n > 1 else p_string_append(it, a, 1)


def string_compare(op, who):
    def f(it, a, n):
        prev = it.heap.string_bytes(arg_string(it, it.S[a], who))
        ok = True
        for k in range(a + 1, a + n):
            cur = it.heap.string_bytes(arg_string(it, it.S[k], who))
            if op == 0:
                ok = ok and prev == cur
            elif op == 1:
                ok = ok and prev < cur
            elif op == 2:
                ok = ok and prev > cur
            elif op == 3:
                ok = ok and prev <= cur
            else:
                ok = ok and prev >= cur
            prev = cur
        return truth(ok)
    return f


def p_string_to_list(it, a, n):
    h = it.heap
    s = arg_string(it, it.S[a], 'string->list')
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
            raise LispError(who + ': character does not fit a byte string: ' + it.show(it.S[a + k]))
        out[k] = c
    return it.heap.make_string(out, 0, n)


def p_list_to_string(it, a, n):
    v = it.S[a]
    m = list_length(it, v, 'list->string')
    base = it.sp
    while v != NIL:
        it.push(it.heap.car(v))
        v = it.heap.cdr(v)
    r = chars_to_string(it, base, m, 'list->string')
    it.sp = base
    return r


def p_string(it, a, n):
    return chars_to_string(it, a, n, 'string')


def p_make_string(it, a, n):
    m = arg_int(it, it.S[a], 'make-string')
    c = arg_char(it, it.S[a + 1], 'make-string') if n > 1 else 32
    if m < 0 or m > 2 * MAXSIZE:
        raise LispError('make-string: bad length: ' + str(m))
    out = bytearray(m)
    for k in range(m):
        out[k] = c
    return it.heap.make_string(out, 0, m)


def p_string_to_number(it, a, n):
    b = it.heap.string_bytes(arg_string(it, it.S[a], 'string->number'))
    radix = arg_int(it, it.S[a + 1], 'string->number') if n > 1 else 10
    s = b.decode()
    if not s or s.strip() != s or s[-1] in '+-' or ('+' in s[1:]) or ('-' in s[1:]):
        return FALSE
    try:
        return it.heap.make_int(int(s, radix))
    except ValueError:
        return FALSE


def p_number_to_string(it, a, n):
    v = arg_int(it, it.S[a], 'number->string')
    radix = arg_int(it, it.S[a + 1], 'number->string') if n > 1 else 10
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


def p_char_to_integer(it, a, n):
    return it.heap.make_int(arg_char(it, it.S[a], 'char->integer'))


def p_integer_to_char(it, a, n):
    c = arg_int(it, it.S[a], 'integer->char')
    if not 0 <= c < 8192:
        raise LispError('integer->char: out of range (0..8191): ' + str(c))
    return CHAR0 + (c << 2)


def char_compare(op, who):
    def f(it, a, n):
        prev = arg_char(it, it.S[a], who)
        ok = True
        for k in range(a + 1, a + n):
            cur = arg_char(it, it.S[k], who)
            ok = ok and (prev == cur if op == 0 else prev < cur if op == 1 else
                         prev > cur if op == 2 else prev <= cur if op == 3 else prev >= cur)
            prev = cur
        return truth(ok)
    return f


def char_map(who, up):
    def f(it, a, n):
        c = arg_char(it, it.S[a], who)
        if up and 97 <= c <= 122:
            c -= 32
        elif not up and 65 <= c <= 90:
            c += 32
        return CHAR0 + (c << 2)
    return f


def char_test(who, test):
    def f(it, a, n):
        return truth(test(arg_char(it, it.S[a], who)))
    return f


# -- vectors ----------------------------------------------------------------------
def p_vector(it, a, n):
    h = it.heap
    i = h.alloc_box(T_VECTOR, n, NIL)
    for k in range(n):
        h.W[i + 1 + k] = it.S[a + k]
    return i << 1


def p_make_vector(it, a, n):
    m = arg_int(it, it.S[a], 'make-vector')
    if not 0 <= m <= MAXSIZE:
        raise LispError('make-vector: bad length: ' + str(m))
    return it.heap.alloc_box(T_VECTOR, m, it.S[a + 1] if n > 1 else FALSE) << 1


def p_vector_ref(it, a, n):
    h = it.heap
    v = arg_type(it, it.S[a], T_VECTOR, 'vector-ref', 'vector')
    k = arg_index(it, it.S[a + 1], 'vector-ref', h.box_size(v))
    return h.W[(v >> 1) + 1 + k]


def p_vector_set(it, a, n):
    h = it.heap
    v = arg_type(it, it.S[a], T_VECTOR, 'vector-set!', 'vector')
    k = arg_index(it, it.S[a + 1], 'vector-set!', h.box_size(v))
    h.W[(v >> 1) + 1 + k] = it.S[a + 2]
    return UNSPEC


def p_vector_length(it, a, n):
    v = arg_type(it, it.S[a], T_VECTOR, 'vector-length', 'vector')
    return it.heap.make_int(it.heap.box_size(v))


def p_vector_to_list(it, a, n):
    v = arg_type(it, it.S[a], T_VECTOR, 'vector->list', 'vector')
    return vector_list(it, v)


def vector_list(it, v):
    h = it.heap
    it.push(v)
    it.push(NIL)
    k = h.box_size(v) - 1
    while k >= 0:
        it.S[it.sp - 1] = h.cons(h.W[(v >> 1) + 1 + k], it.S[it.sp - 1])
        k -= 1
    it.sp -= 2
    return it.S[it.sp + 1]


def p_list_to_vector(it, a, n):
    v = it.S[a]
    m = list_length(it, v, 'list->vector')
    base = it.sp
    while v != NIL:
        it.push(it.heap.car(v))
        v = it.heap.cdr(v)
    r = p_vector(it, base, m)
    it.sp = base
    return r


def p_vector_fill(it, a, n):
    h = it.heap
    v = arg_type(it, it.S[a], T_VECTOR, 'vector-fill!', 'vector')
    for k in range(h.box_size(v)):
        h.W[(v >> 1) + 1 + k] = it.S[a + 1]
    return UNSPEC


# -- output and system -----------------------------------------------------------------
def p_display(it, a, n):
    emit(it, it.S[a], it.out, False)
    return UNSPEC


def p_write(it, a, n):
    emit(it, it.S[a], it.out, True)
    return UNSPEC


def p_newline(it, a, n):
    it.out('\n')
    return UNSPEC


def p_gc(it, a, n):
    it.heap.collector()
    return UNSPEC


def p_room(it, a, n):
    st = it.stats()
    for key in ('bytes_total', 'bytes_free', 'pairs_free', 'symbols_used',
                'symbols_max', 'gc_runs'):
        it.out(key + ': ' + str(st[key]) + '\n')
    return UNSPEC


def p_error(it, a, n):
    v = it.S[a]
    msg = it.heap.string_bytes(v).decode() if it.heap.box_type(v) == T_STRING else it.show(v)
    for k in range(a + 1, a + n):
        msg += ' ' + it.show(it.S[k])
    raise LispError(msg)


def p_exit(it, a, n):
    raise SystemExit(arg_int(it, it.S[a], 'exit') if n else 0)


def is_symbol(it, v):
    return v & 3 == 3 and SYM0 <= v < CHAR0


def is_char(it, v):
    return v & 3 == 3 and v >= CHAR0


# Each name carries its arity: name:N exactly N, name:N- N or more,
# name:N-M from N to M arguments.
TABLE = ('apply:2- +:0- -:1- <:1- >:1- =:1- <=:1- >=:1- car:1 cdr:1 cons:2 '
         'eq?:2 null?:1 not:1 *:0- quotient:2 remainder:2 modulo:2 abs:1 '
         'min:1- max:1- gcd:0- lcm:0- expt:2 number?:1 integer?:1 zero?:1 '
         'positive?:1 negative?:1 odd?:1 even?:1 list:0- length:1 append:0- '
         'reverse:1 list-tail:2 list-ref:2 memq:2 memv:2 member:2 assq:2 '
         'assv:2 assoc:2 pair?:1 list?:1 set-car!:2 set-cdr!:2 caar:1 cadr:1 '
         'cdar:1 cddr:1 caaar:1 caadr:1 cadar:1 caddr:1 cdaar:1 cdadr:1 '
         'cddar:1 cdddr:1 eqv?:2 equal?:2 symbol?:1 string?:1 char?:1 '
         'boolean?:1 procedure?:1 vector?:1 symbol->string:1 string->symbol:1 '
         'string-length:1 string-ref:2 substring:2-3 string-append:0- '
         'string-copy:1-3 string=?:1- string<?:1- string>?:1- string<=?:1- '
         'string>=?:1- string->list:1 list->string:1 string:0- make-string:1-2 '
         'string->number:1-2 number->string:1-2 char->integer:1 '
         'integer->char:1 char=?:1- char<?:1- char>?:1- char<=?:1- char>=?:1- '
         'char-upcase:1 char-downcase:1 char-alphabetic?:1 char-numeric?:1 '
         'char-whitespace?:1 char-upper-case?:1 char-lower-case?:1 vector:0- '
         'make-vector:1-2 vector-ref:2 vector-set!:3 vector-length:1 '
         'vector->list:1 list->vector:1 vector-fill!:2 display:1 write:1 '
         'newline:0 gc:0 room:0 error:1- exit:0-1 exact?:1')

FUNCS = (
    None, p_add, p_sub, p_lt, p_gt, p_numeq, p_le, p_ge, p_car, p_cdr, p_cons,
    p_eq, p_null, p_not, p_mul, p_quotient, p_remainder, p_modulo, p_abs,
    p_min, p_max, p_gcd, p_lcm, p_expt, p_integerp, p_integerp,
    int_test('zero?', lambda v: v == 0), int_test('positive?', lambda v: v > 0),
    int_test('negative?', lambda v: v < 0), int_test('odd?', lambda v: v & 1),
    int_test('even?', lambda v: not v & 1),
    p_list, p_length, p_append, p_reverse, p_list_tail, p_list_ref,
    p_memq, p_memv, p_member, p_assq, p_assv, p_assoc,
    type_test(lambda it, v: it.heap.is_pair(v)), p_listp, p_setcar, p_setcdr,
    cxr('caar'), cxr('cadr'), cxr('cdar'), cxr('cddr'), cxr('caaar'),
    cxr('caadr'), cxr('cadar'), cxr('caddr'), cxr('cdaar'), cxr('cdadr'),
    cxr('cddar'), cxr('cdddr'),
    p_eqv, p_equal, type_test(is_symbol),
    type_test(lambda it, v: it.heap.box_type(v) == T_STRING), type_test(is_char),
    type_test(lambda it, v: v == TRUE or v == FALSE), type_test(is_procedure),
    type_test(lambda it, v: it.heap.box_type(v) == T_VECTOR),
    p_symbol_to_string, p_string_to_symbol, p_string_length, p_string_ref,
    p_substring, p_string_append, p_string_copy, string_compare(0, 'string=?'),
    string_compare(1, 'string<?'), string_compare(2, 'string>?'),
    string_compare(3, 'string<=?'), string_compare(4, 'string>=?'),
    p_string_to_list, p_list_to_string, p_string, p_make_string,
    p_string_to_number, p_number_to_string, p_char_to_integer,
    p_integer_to_char, char_compare(0, 'char=?'), char_compare(1, 'char<?'),
    char_compare(2, 'char>?'), char_compare(3, 'char<=?'),
    char_compare(4, 'char>=?'), char_map('char-upcase', True),
    char_map('char-downcase', False),
    char_test('char-alphabetic?', lambda c: 65 <= c <= 90 or 97 <= c <= 122),
    char_test('char-numeric?', lambda c: 48 <= c <= 57),
    char_test('char-whitespace?', lambda c: c == 32 or 9 <= c <= 13),
    char_test('char-upper-case?', lambda c: 65 <= c <= 90),
    char_test('char-lower-case?', lambda c: 97 <= c <= 122),
    p_vector, p_make_vector, p_vector_ref, p_vector_set, p_vector_length,
    p_vector_to_list, p_list_to_vector, p_vector_fill, p_display, p_write,
    p_newline, p_gc, p_room, p_error, p_exit, p_integerp,
)

