# Strings, characters and symbols: the core's builtins (string-length,
# string-append, char compares, ...) and the helpers strings.py and
# ports.py share. strings.py has the rest of the string and bytevector
# library; string ports, output and format are ports.py's. Strings and
# bytevectors are byte boxes of one layout ([length][bytes, two per word]).
from compat import const
from arena import LispError, NIL, SYM0, CHAR0
from args import arg_int, arg_index, arg_char, arg_string, name, truth, build_list, spread

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


# no builtins of its own (builtin_table.FAMILIES); the functions of the
# core rows (primitives.FUNCS) that name this module, in their order: put
# in place when one of them is first called
FUNCS = ()
CORE = ((p_symbol_to_string, p_string_to_symbol, p_string_length, p_string_ref,
         p_substring, p_string_append, p_string_copy) + (p_string_compare,) * 5
        + (p_string_to_list, p_list_to_string, p_string, p_make_string,
           p_char_to_integer, p_integer_to_char) + (p_char_compare,) * 5
        + (p_char_case,) * 2 + (p_char_test,) * 5)
