# Strings, characters and bytevectors (string ports, output and format are
# ports.py's). Strings and bytevectors are byte boxes of one layout
# ([length][bytes, two per word]).
from compat import const
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, SYM0, CHAR0,
                   PRIM0, T_STRING, T_BYTES, T_VECTOR, T_CLOSURE, RK_CONT, RK_PARAM)
from args import (arg_int, arg_index, arg_char, arg_string, arg_type,
                  arg_vector, name, truth, build_list, spread, list_length, call_library)
from builtin_table import base_of

# numbers of the first builtin of each family in builtin_names.CORE
# (host_tests/test_budgets.py checks them: 75 is string=?)
P_STRING_EQ = const(75)
P_CHAR_EQ = const(88)
P_UPCASE = const(93)
P_ALPHA = const(95)
BIGCHUNK = const(4092)      # bytes in the largest string box


# -- helpers --------------------------------------------------------------------------
def set_byte(W, i, k, b):
    # Byte k of the byte box at word i.
    j = i + 2 + (k >> 1)
    if k & 1:
        W[j] = (W[j] & 0xFF) | (b << 8)
    else:
        W[j] = (W[j] & 0xFF00) | b


def make_bytes(it, data, s, e):
    # A bytevector of data[s:e].
    return it.heap.make_string(data, s, e, T_BYTES)


def arg_bytes(it, v, who):
    return arg_type(it, v, T_BYTES, who, 'bytevector')


def arg_byte(it, v, who):
    b = arg_int(it, v, who)
    if not 0 <= b <= 255:
        raise LispError(name(it, who) + ': not a byte (0..255): ' + it.show(v))
    return b


def arg_char8(it, v, who):
    c = arg_char(it, v, who)
    if c > 255:
        raise LispError(name(it, who) + ': character does not fit a byte string: ' + it.show(v))
    return c


def bounds(it, a, n, k, ln, who):
    # Optional [start [end]] arguments at S[a+k], S[a+k+1] for a sequence
    # of length ln.
    s = arg_index(it, it.S[a + k], who, ln + 1) if n > k else 0
    e = arg_index(it, it.S[a + k + 1], who, ln + 1) if n > k + 1 else ln
    if e < s:
        raise LispError(name(it, who) + ': end before start: ' + str(e))
    return s, e


def string_of(it, b):
    return it.heap.make_string(b, 0, len(b))


def decode(b):
    try:
        return b.decode()
    except ValueError:
        return ''.join([chr(c) for c in b])


def fold(c):
    return c + 32 if 65 <= c <= 90 else c


def upper(c):
    return c - 32 if 97 <= c <= 122 else c


def fold_bytes(b):
    out = bytearray(b)
    for k in range(len(out)):
        out[k] = fold(out[k])
    return out


def is_space(c):
    return c == 32 or 9 <= c <= 13


def is_symbol(v):
    return v & 3 == 3 and SYM0 <= v < CHAR0


def is_procedure(it, v):
    return ((v & 3 == 3 and PRIM0 <= v < 0x2003) or it.heap.box_type(v) == T_CLOSURE
            or it.heap.record_kind(v) in (RK_CONT, RK_PARAM))


def fix(k):
    return ((k + 8192) << 2) | 1


# -- symbols ----------------------------------------------------------------------------
def p_symbol_to_string(it, a, n, op):
    v = it.S[a]
    if not is_symbol(v):
        raise LispError('symbol->string: not a symbol: ' + it.show(v))
    b = it.symbols.name((v - SYM0) >> 2).encode()
    return it.heap.make_string(b, 0, len(b))

def p_string_to_symbol(it, a, n, op):
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    try:
        return SYM0 + (it.symbols.intern(b, 0, len(b)) << 2)
    except LispError as e:
        m = str(e)
        raise LispError('string->symbol: ' + (m[8:] if m.startswith('symbol: ') else m)
                        + ': ' + it.show(it.S[a]))

def p_symbol_eq(it, a, n, op):
    for k in range(a, a + n):
        if not is_symbol(it.S[k]):
            raise LispError('symbol=?: not a symbol: ' + it.show(it.S[k]))
    for k in range(a + 1, a + n):
        if it.S[k] != it.S[a]:
            return FALSE
    return TRUE


# -- strings (core table) ------------------------------------------------------------
def p_string_length(it, a, n, op):
    # (small expressions: a frame that fits MicroPython's C stack)
    v = arg_string(it, it.S[a], op)
    return it.heap.make_int(it.heap.W[(v >> 1) + 1])

def p_string_ref(it, a, n, op):
    s = arg_string(it, it.S[a], op)
    k = arg_index(it, it.S[a + 1], op, it.heap.W[(s >> 1) + 1])
    s = it.heap.W[(s >> 1) + 2 + (k >> 1)]
    return CHAR0 + (((s >> 8) if k & 1 else (s & 0xFF)) << 2)

def p_substring(it, a, n, op):
    h = it.heap
    s = arg_string(it, it.S[a], op)
    ln = h.string_len(s)
    i = arg_index(it, it.S[a + 1], op, ln + 1)
    j = arg_index(it, it.S[a + 2], op, ln + 1) if n > 2 else ln
    if j < i:
        raise LispError(name(it, op) + ': end before start: ' + str(j))
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
    return compare_strings(it, a, n, op, op - P_STRING_EQ, False)

def compare_strings(it, a, n, who, op, ci):
    prev = it.heap.string_bytes(arg_string(it, it.S[a], who))
    if ci:
        prev = fold_bytes(prev)
    ok = True
    for k in range(a + 1, a + n):
        cur = it.heap.string_bytes(arg_string(it, it.S[k], who))
        if ci:
            cur = fold_bytes(cur)
        ok = ok and order(prev, cur, op)
        prev = cur
    return truth(ok)

def order(x, y, op):
    # op: 0 =, 1 <, 2 >, 3 <=, 4 >=
    return (x == y if op == 0 else x < y if op == 1 else x > y if op == 2
            else x <= y if op == 3 else x >= y)

def p_string_to_list(it, a, n, op):
    # (string->list s [start [end]])
    h = it.heap
    s = arg_string(it, it.S[a], op)
    i, j = bounds(it, a, n, 1, h.string_len(s), op)
    base = it.sp
    for k in range(i, j):
        it.push(CHAR0 + (h.string_byte(s, k) << 2))
    r = build_list(it, base, it.sp - base, NIL)
    it.sp = base
    return r

def chars_to_string(it, a, n, who):
    out = bytearray(n)
    for k in range(n):
        out[k] = arg_char8(it, it.S[a + k], who)
    return it.heap.make_string(out, 0, n)

def p_list_to_string(it, a, n, op):
    base = it.sp
    r = chars_to_string(it, base, spread(it, it.S[a], op), op)
    it.sp = base
    return r

def p_string(it, a, n, op):
    return chars_to_string(it, a, n, op)

def p_make_string(it, a, n, op):
    m = arg_int(it, it.S[a], op)
    c = arg_char8(it, it.S[a + 1], op) if n > 1 else 32
    if m < 0 or m > BIGCHUNK:
        raise LispError('make-string: bad length: ' + str(m))
    out = bytearray(m)
    for k in range(m):
        out[k] = c
    return it.heap.make_string(out, 0, m)


# -- chars (core table) ---------------------------------------------------------------
def p_char_to_integer(it, a, n, op):
    return it.heap.make_int(arg_char(it, it.S[a], op))

def p_integer_to_char(it, a, n, op):
    c = arg_int(it, it.S[a], op)
    if not 0 <= c < 8192:
        raise LispError('integer->char: out of range (0..8191): ' + str(c))
    return CHAR0 + (c << 2)

def p_char_compare(it, a, n, op):
    return compare_chars(it, a, n, op, op - P_CHAR_EQ, False)

def compare_chars(it, a, n, who, op, ci):
    prev = arg_char(it, it.S[a], who)
    ok = True
    for k in range(a + 1, a + n):
        cur = arg_char(it, it.S[k], who)
        # char-ci: upper case, as Guile does (string-ci folds to lower case)
        ok = ok and (order(upper(prev), upper(cur), op) if ci else order(prev, cur, op))
        prev = cur
    return truth(ok)

def p_char_case(it, a, n, op):
    # char-upcase char-downcase (and char-foldcase, which is char-downcase)
    c = arg_char(it, it.S[a], op)
    if op == P_UPCASE and 97 <= c <= 122:
        c -= 32
    elif op != P_UPCASE:
        c = fold(c)
    return CHAR0 + (c << 2)

def p_char_test(it, a, n, op):
    # char-alphabetic? char-numeric? char-whitespace? char-upper-case?
    # char-lower-case?
    c = arg_char(it, it.S[a], op)
    op -= P_ALPHA
    up = 65 <= c <= 90
    low = 97 <= c <= 122
    return truth(up or low if op == 0 else 48 <= c <= 57 if op == 1 else
                 is_space(c) if op == 2 else up if op == 3 else low)


# -- more strings and chars ------------------------------------------------------------------
def p_ci_compare(it, a, n, op):
    # string-ci=? string-ci<? ... char-ci=? char-ci<? ...
    k = op - BASE - P_STRING_CI
    if k < 5:
        return compare_strings(it, a, n, op, k, True)
    return compare_chars(it, a, n, op, k - 5, True)

def p_digit_value(it, a, n, op):
    c = arg_char(it, it.S[a], op)
    return fix(c - 48) if 48 <= c <= 57 else FALSE

def p_string_case(it, a, n, op):
    # string-upcase string-downcase string-foldcase
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    up = op - BASE == P_STRING_CASE
    for k in range(len(b)):
        c = b[k]
        if up and 97 <= c <= 122:
            b[k] = c - 32
        elif not up:
            b[k] = fold(c)
    return string_of(it, b)

def p_string_set(it, a, n, op):
    # string-set! bytevector-u8-set!
    h = it.heap
    s, b = byte_target(it, a, 2, op, op - BASE == P_STRING_SET)
    set_byte(h.W, s >> 1, arg_index(it, it.S[a + 1], op, h.string_len(s)), b)
    return UNSPEC


def byte_target(it, a, k, op, string):
    # The string (or bytevector) S[a] and the char (or byte) S[a+k] to
    # store in it, checked
    if string:
        return arg_string(it, it.S[a], op), arg_char8(it, it.S[a + k], op)
    return arg_bytes(it, it.S[a], op), arg_byte(it, it.S[a + k], op)

def p_fill(it, a, n, op):
    # (string-fill! s c [start end]) (bytevector-fill! bv b [start end])
    h = it.heap
    s, b = byte_target(it, a, 1, op, op - BASE == P_STRING_FILL)
    i, j = bounds(it, a, n, 2, h.string_len(s), op)
    for k in range(i, j):
        set_byte(h.W, s >> 1, k, b)
    return UNSPEC

def p_copy_into(it, a, n, op):
    # (string-copy! to at from [start end]), (bytevector-copy! ...)
    h = it.heap
    S = it.S
    t = T_STRING if op - BASE == P_STRING_COPY_X else T_BYTES
    what = 'string' if t == T_STRING else 'bytevector'
    to = arg_type(it, S[a], t, op, what)
    at = arg_index(it, S[a + 1], op, h.string_len(to) + 1)
    src = arg_type(it, S[a + 2], t, op, what)
    i, j = bounds(it, a, n, 3, h.string_len(src), op)
    if at + j - i > h.string_len(to):
        raise LispError(name(it, op) + ': source does not fit: ' + it.show(S[a + 2]))
    b = h.string_bytes(src)
    for k in range(i, j):
        set_byte(h.W, to >> 1, at + k - i, b[k])
    return UNSPEC

def p_string_search(it, a, n, op):
    # (string-search pattern string [start]) and (string-contains s1 s2
    # [start end]): index of the pattern, or #f
    h = it.heap
    S = it.S
    x = h.string_bytes(arg_string(it, S[a], op))
    y = h.string_bytes(arg_string(it, S[a + 1], op))
    if op - BASE == P_STRING_SEARCH:
        x, y = y, x
        i = arg_index(it, S[a + 2], op, len(x) + 1) if n > 2 else 0
        j = len(x)
    else:
        i, j = bounds(it, a, n, 2, len(x), op)
    k = x.find(y, i, j)
    return FALSE if k < 0 else fix(k)

def p_string_index(it, a, n, op):
    # (string-index s pred [start end]) string-rindex string-count: pred
    # is a char or a procedure (then a library procedure does the work)
    h = it.heap
    S = it.S
    s = arg_string(it, S[a], op)
    i, j = bounds(it, a, n, 2, h.string_len(s), op)
    kind = op - BASE - P_STRING_INDEX
    p = S[a + 1]
    if is_procedure(it, p):
        if kind == 2:
            return call_library(it, a, 2, '%string-count', (fix(i), fix(j)))
        if kind == 1:
            return call_library(it, a, 2, '%string-scan', (fix(j - 1), fix(i - 1), fix(-1)))
        return call_library(it, a, 2, '%string-scan', (fix(i), fix(j), fix(1)))
    c = arg_char(it, p, op)
    ks = range(j - 1, i - 1, -1) if kind == 1 else range(i, j)
    count = 0
    for k in ks:
        if h.string_byte(s, k) == c:
            if kind < 2:
                return fix(k)
            count += 1
    return h.make_int(count) if kind == 2 else FALSE

def p_string_trim(it, a, n, op):
    # (string-trim s [char-or-pred [start end]]) string-trim-left:
    # the left end; string-trim-right; string-trim-both
    h = it.heap
    S = it.S
    s = arg_string(it, S[a], op)
    i, j = bounds(it, a, n, 2, h.string_len(s), op)
    kind = op - BASE - P_STRING_TRIM
    left = kind != 2
    right = kind >= 2
    p = S[a + 1] if n > 1 else FALSE
    if is_procedure(it, p):
        return call_library(it, a, 2, '%string-trim', (fix(i), fix(j), truth(left), truth(right)))
    c = -1 if n < 2 else arg_char(it, p, op)
    while left and i < j and trimmed(h.string_byte(s, i), c):
        i += 1
    while right and j > i and trimmed(h.string_byte(s, j - 1), c):
        j -= 1
    return h.make_string(h.string_bytes(s), i, j)

def trimmed(b, c):
    return is_space(b) if c < 0 else b == c

def p_string_affix(it, a, n, op):
    # (string-prefix? prefix s) (string-suffix? suffix s)
    h = it.heap
    x = h.string_bytes(arg_string(it, it.S[a], op))
    y = h.string_bytes(arg_string(it, it.S[a + 1], op))
    if len(x) > len(y):
        return FALSE
    k = 0 if op - BASE == P_STRING_PREFIX else len(y) - len(x)
    return truth(y[k:k + len(x)] == x)

def p_string_null(it, a, n, op):
    return truth(it.heap.string_len(arg_string(it, it.S[a], op)) == 0)

def p_string_reverse(it, a, n, op):
    b = it.heap.string_bytes(arg_string(it, it.S[a], op))
    m = len(b)
    for k in range(m >> 1):
        c = b[k]
        b[k] = b[m - 1 - k]
        b[m - 1 - k] = c
    return string_of(it, b)

def p_string_split(it, a, n, op):
    # (string-split s char): the pieces between the chars, as a list
    h = it.heap
    b = h.string_bytes(arg_string(it, it.S[a], op))
    c = arg_char(it, it.S[a + 1], op)
    base = it.sp
    s = 0
    for k in range(len(b) + 1):
        if k == len(b) or b[k] == c:
            it.push(h.make_string(b, s, k))
            s = k + 1
    r = build_list(it, base, it.sp - base, NIL)
    it.sp = base
    return r

def p_string_join(it, a, n, op):
    # (string-join list [delimiter [grammar]]), grammar one of infix
    # strict-infix prefix suffix
    h = it.heap
    S = it.S
    d = h.string_bytes(arg_string(it, S[a + 1], op)) if n > 1 else b' '
    g = 'infix'
    if n > 2:
        g = it.symbols.name((S[a + 2] - SYM0) >> 2) if is_symbol(S[a + 2]) else ''
        if g not in ('infix', 'strict-infix', 'prefix', 'suffix'):
            raise LispError('string-join: bad grammar: ' + it.show(S[a + 2]))
    lst = S[a]
    if list_length(it, lst, op) == 0 and g == 'strict-infix':
        raise LispError('string-join: strict-infix grammar and an empty list')
    out = bytearray()
    first = True
    while lst != NIL:
        if g == 'prefix' or not (first or g == 'suffix'):
            out.extend(d)
        out.extend(h.string_bytes(arg_string(it, h.car(lst), op)))
        if g == 'suffix':
            out.extend(d)
        first = False
        lst = h.cdr(lst)
    return string_of(it, out)

def p_string_pad(it, a, n, op):
    # (string-pad s len [char]): on the left, keeping the right end;
    # string-pad-right: on the right, keeping the left end
    h = it.heap
    b = h.string_bytes(arg_string(it, it.S[a], op))
    m = arg_int(it, it.S[a + 1], op)
    if not 0 <= m <= BIGCHUNK:
        raise LispError(name(it, op) + ': bad length: ' + str(m))
    c = arg_char8(it, it.S[a + 2], op) if n > 2 else 32
    left = op - BASE == P_STRING_PAD
    out = bytearray(m)
    for k in range(m):
        j = k - m + len(b) if left else k
        out[k] = b[j] if 0 <= j < len(b) else c
    return string_of(it, out)

def p_string_vector(it, a, n, op):
    # (string->vector s [start end]) (vector->string v [start end])
    h = it.heap
    S = it.S
    if op - BASE == P_STRING_VECTOR:
        s = arg_string(it, S[a], op)
        i, j = bounds(it, a, n, 1, h.string_len(s), op)
        v = h.alloc_box(T_VECTOR, j - i, NIL)
        for k in range(i, j):
            h.W[v + 1 + k - i] = CHAR0 + (h.string_byte(s, k) << 2)
        return v << 1
    v = arg_vector(it, S[a], op)
    i, j = bounds(it, a, n, 1, h.box_size(v), op)
    out = bytearray(j - i)
    for k in range(i, j):
        out[k - i] = arg_char8(it, h.W[(v >> 1) + 1 + k], op)
    return string_of(it, out)


# -- bytevectors ---------------------------------------------------------------------------
def p_bytevector(it, a, n, op):
    out = bytearray(n)
    for k in range(n):
        out[k] = arg_byte(it, it.S[a + k], op)
    return make_bytes(it, out, 0, n)

def p_make_bytevector(it, a, n, op):
    m = arg_int(it, it.S[a], op)
    b = arg_byte(it, it.S[a + 1], op) if n > 1 else 0
    if not 0 <= m <= BIGCHUNK:
        raise LispError('make-bytevector: bad length: ' + str(m))
    out = bytearray(m)
    for k in range(m):
        out[k] = b
    return make_bytes(it, out, 0, m)

def p_bytevector_p(it, a, n, op):
    return truth(it.heap.box_type(it.S[a]) == T_BYTES)

def p_bytevector_ref(it, a, n, op):
    h = it.heap
    v = arg_bytes(it, it.S[a], op)
    return fix(h.string_byte(v, arg_index(it, it.S[a + 1], op, h.string_len(v))))

def p_bytevector_length(it, a, n, op):
    return fix(it.heap.string_len(arg_bytes(it, it.S[a], op)))

def p_bytes_copy(it, a, n, op):
    # (bytevector-copy bv [start end]) (utf8->string bv [start end])
    # (string->utf8 s [start end])
    h = it.heap
    k = op - BASE - P_BYTES_COPY
    v = arg_string(it, it.S[a], op) if k == 2 else arg_bytes(it, it.S[a], op)
    i, j = bounds(it, a, n, 1, h.string_len(v), op)
    b = h.string_bytes(v)
    return h.make_string(b, i, j) if k == 1 else make_bytes(it, b, i, j)

def p_bytevector_append(it, a, n, op):
    out = bytearray()
    for k in range(a, a + n):
        out.extend(it.heap.string_bytes(arg_bytes(it, it.S[k], op)))
    return make_bytes(it, out, 0, len(out))


# extension builtins of this module (builtin_table.py appends them); the
# families' places in TABLE (P_*) are checked by host_tests
BASE = base_of('text')         # number of its first builtin
FUNCS = (p_ci_compare, p_ci_compare, p_ci_compare, p_ci_compare, p_ci_compare,
         p_ci_compare, p_ci_compare, p_ci_compare, p_ci_compare, p_ci_compare, p_char_case,
         p_digit_value, p_string_case, p_string_case, p_string_case, p_string_set,
         p_string_set, p_fill, p_fill, p_copy_into, p_copy_into, p_string_search,
         p_string_search, p_string_index, p_string_index, p_string_index, p_string_trim,
         p_string_trim, p_string_trim, p_string_trim, p_string_affix, p_string_affix,
         p_string_null, p_string_reverse, p_string_split, p_string_join, p_string_pad,
         p_string_pad, p_string_vector, p_string_vector, p_symbol_eq, p_bytevector,
         p_make_bytevector, p_bytevector_p, p_bytevector_ref, p_bytevector_length,
         p_bytes_copy, p_bytes_copy, p_bytes_copy, p_bytevector_append)

P_STRING_CI = const(0)
P_STRING_CASE = const(12)
P_STRING_SET = const(15)
P_STRING_FILL = const(17)
P_STRING_COPY_X = const(19)
P_STRING_SEARCH = const(21)
P_STRING_INDEX = const(23)
P_STRING_TRIM = const(26)
P_STRING_PREFIX = const(30)
P_STRING_PAD = const(36)
P_STRING_VECTOR = const(38)
P_BYTES_COPY = const(46)

# the functions of the core rows (primitives.FUNCS) that name this module,
# in their order: put in place when one of them is first called
CORE = ((p_symbol_to_string, p_string_to_symbol, p_string_length, p_string_ref,
         p_substring, p_string_append, p_string_copy) + (p_string_compare,) * 5
        + (p_string_to_list, p_list_to_string, p_string, p_make_string,
           p_char_to_integer, p_integer_to_char) + (p_char_compare,) * 5
        + (p_char_case,) * 2 + (p_char_test,) * 5)
