# Strings and bytevectors beyond the core (text.py has the core's string,
# char and symbol builtins and the helpers): case-insensitive compares,
# case mapping, string-set! and fills, copies, search, trim, split and
# join, padding, and the bytevector builtins.
from compat import const
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, SYM0, CHAR0, MAXSIZE,
                   PRIM0, T_STRING, T_BYTES, T_VECTOR, T_CLOSURE, RK_CONT, RK_PARAM)
from args import (arg_int, arg_index, arg_char, arg_string, arg_type,
                  arg_vector, name, truth, build_list, list_length, call_library)
from text import (set_byte, arg_byte, bounds, string_of, case, fold_text, is_space, is_ascii,
                  chars, make_char, is_symbol, fix, compare_strings, compare_chars, p_char_case,
                  BIGCHUNK)
from builtin_table import base_of

# families' places among this module's rows (host_tests check them)
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


# -- helpers --------------------------------------------------------------------------
def make_bytes(it, data, s, e):
    # A bytevector of data[s:e].
    return it.heap.make_string(data, s, e, T_BYTES)


def arg_bytes(it, v, who):
    return arg_type(it, v, T_BYTES, who, 'bytevector')


def is_procedure(it, v):
    return ((v & 3 == 3 and PRIM0 <= v < 0x2003) or it.heap.box_type(v) == T_CLOSURE
            or it.heap.record_kind(v) in (RK_CONT, RK_PARAM))


def p_symbol_eq(it, a, n, op):
    for k in range(a, a + n):
        if not is_symbol(it.S[k]):
            raise LispError('symbol=?: not a symbol: ' + it.show(it.S[k]))
    for k in range(a + 1, a + n):
        if it.S[k] != it.S[a]:
            return FALSE
    return TRUE


# -- compares and case ------------------------------------------------------------------
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
    # string-upcase string-downcase string-foldcase (one char for one:
    # the simple case mappings of text.case)
    k = op - BASE - P_STRING_CASE
    t = chars(it.heap, arg_string(it, it.S[a], op))
    if k == 2:
        return string_of(it, fold_text(t))
    return string_of(it, ''.join([chr(case(ord(c), k == 0)) for c in t]))


def store(it, s, t, who):
    # Make the str t the characters of string s, in its box: UTF-8 may
    # take more bytes than s had, up to the box's size
    h = it.heap
    W = h.W
    t = t.encode()
    m = len(t)
    i = s >> 1
    if m > ((W[i] & MAXSIZE) - 1) * 2:
        raise LispError(name(it, who) + ': no room for the wider UTF-8 characters in: ' + it.show(s))
    W[i + 1] = m
    for k in range(m):
        set_byte(W, i, k, t[k])
    if m & 1:
        set_byte(W, i, m, 0)


def p_string_set(it, a, n, op):
    # string-set! bytevector-u8-set! (few locals, n the byte, and later
    # the length: a bigger frame would be heap-allocated at every call)
    if op - BASE == P_STRING_SET:
        s = arg_string(it, it.S[a], op)
        n = arg_char(it, it.S[a + 2], op)
        if n > 127 or not is_ascii(it.heap, s):
            return set_wide(it, a, s, n, op)
    else:
        s = arg_bytes(it, it.S[a], op)
        n = arg_byte(it, it.S[a + 2], op)
    n |= (it.heap.W[(s >> 1) + 1] & 0x3FFF) << 8      # and its length (string_len)
    a = arg_index(it, it.S[a + 1], op, n >> 8)
    set_byte(it.heap.W, s >> 1, a, n & 255)
    return UNSPEC


def set_wide(it, a, s, c, op):
    # string-set! of a character that is not ASCII, or in a string that is not
    t = chars(it.heap, s)
    k = arg_index(it, it.S[a + 1], op, len(t))
    store(it, s, t[:k] + chr(c) + t[k + 1:], op)
    return UNSPEC


def p_fill(it, a, n, op):
    # (string-fill! s c [start end]) (bytevector-fill! bv b [start end])
    h = it.heap
    if op - BASE == P_STRING_FILL:
        s = arg_string(it, it.S[a], op)
        c = arg_char(it, it.S[a + 1], op)
        t = chars(h, s)
        i, j = bounds(it, a, n, 2, len(t), op)
        store(it, s, t[:i] + chr(c) * (j - i) + t[j:], op)
        return UNSPEC
    s = arg_bytes(it, it.S[a], op)
    b = arg_byte(it, it.S[a + 1], op)
    i, j = bounds(it, a, n, 2, h.string_len(s), op)
    for k in range(i, j):
        set_byte(h.W, s >> 1, k, b)
    return UNSPEC


def p_copy_into(it, a, n, op):
    # (string-copy! to at from [start end]), (bytevector-copy! ...)
    h = it.heap
    S = it.S
    string = op - BASE == P_STRING_COPY_X
    t = T_STRING if string else T_BYTES
    what = 'string' if string else 'bytevector'
    to = arg_type(it, S[a], t, op, what)
    src = arg_type(it, S[a + 2], t, op, what)
    x = chars(h, to) if string else h.string_bytes(to)
    y = chars(h, src) if string else h.string_bytes(src)
    at = arg_index(it, S[a + 1], op, len(x) + 1)
    i, j = bounds(it, a, n, 3, len(y), op)
    if at + j - i > len(x):
        raise LispError(name(it, op) + ': source does not fit: ' + it.show(S[a + 2]))
    if string:
        store(it, to, x[:at] + y[i:j] + x[at + j - i:], op)
    else:
        for k in range(i, j):
            set_byte(h.W, to >> 1, at + k - i, y[k])
    return UNSPEC


def p_string_search(it, a, n, op):
    # (string-search pattern string [start]) and (string-contains s1 s2
    # [start end]): index of the pattern, or #f
    h = it.heap
    S = it.S
    x = chars(h, arg_string(it, S[a], op))
    y = chars(h, arg_string(it, S[a + 1], op))
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
    s = chars(h, arg_string(it, S[a], op))
    i, j = bounds(it, a, n, 2, len(s), op)
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
        if ord(s[k]) == c:
            if kind < 2:
                return fix(k)
            count += 1
    return h.make_int(count) if kind == 2 else FALSE


def p_string_trim(it, a, n, op):
    # (string-trim s [char-or-pred [start end]]) string-trim-left:
    # the left end; string-trim-right; string-trim-both
    h = it.heap
    S = it.S
    s = chars(h, arg_string(it, S[a], op))
    i, j = bounds(it, a, n, 2, len(s), op)
    kind = op - BASE - P_STRING_TRIM
    left = kind != 2
    right = kind >= 2
    p = S[a + 1] if n > 1 else FALSE
    if is_procedure(it, p):
        return call_library(it, a, 2, '%string-trim', (fix(i), fix(j), truth(left), truth(right)))
    c = -1 if n < 2 else arg_char(it, p, op)
    while left and i < j and trimmed(ord(s[i]), c):
        i += 1
    while right and j > i and trimmed(ord(s[j - 1]), c):
        j -= 1
    return string_of(it, s[i:j])


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
    b = list(chars(it.heap, arg_string(it, it.S[a], op)))
    b.reverse()
    return string_of(it, ''.join(b))


def p_string_split(it, a, n, op):
    # (string-split s char): the pieces between the chars, as a list
    h = it.heap
    b = chars(h, arg_string(it, it.S[a], op))
    c = chr(arg_char(it, it.S[a + 1], op))
    base = it.sp
    for t in b.split(c):
        it.push(string_of(it, t))
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
    b = chars(h, arg_string(it, it.S[a], op))
    m = arg_int(it, it.S[a + 1], op)
    if not 0 <= m <= BIGCHUNK:
        raise LispError(name(it, op) + ': bad length: ' + str(m))
    c = chr(arg_char(it, it.S[a + 2], op)) if n > 2 else ' '
    k = len(b)
    if op - BASE == P_STRING_PAD:
        return string_of(it, c * (m - k) + b[k - m:] if k > m else c * (m - k) + b)
    return string_of(it, b[:m] + c * (m - k))


def p_string_vector(it, a, n, op):
    # (string->vector s [start end]) (vector->string v [start end])
    h = it.heap
    S = it.S
    if op - BASE == P_STRING_VECTOR:
        s = chars(h, arg_string(it, S[a], op))
        i, j = bounds(it, a, n, 1, len(s), op)
        v = h.alloc_box(T_VECTOR, j - i, NIL) << 1
        it.push(v)
        for k in range(i, j):
            h.W[(v >> 1) + 1 + k - i] = make_char(it, ord(s[k]))
        it.sp -= 1
        return v
    v = arg_vector(it, S[a], op)
    i, j = bounds(it, a, n, 1, h.box_size(v), op)
    return string_of(it, ''.join([chr(arg_char(it, h.W[(v >> 1) + 1 + k], op))
                                  for k in range(i, j)]))


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
    if k == 2:
        b = chars(h, arg_string(it, it.S[a], op))
        i, j = bounds(it, a, n, 1, len(b), op)
        b = b[i:j].encode()
        return make_bytes(it, b, 0, len(b))
    v = arg_bytes(it, it.S[a], op)
    i, j = bounds(it, a, n, 1, h.string_len(v), op)
    b = h.string_bytes(v)
    return h.make_string(b, i, j) if k == 1 else make_bytes(it, b, i, j)


def p_bytevector_append(it, a, n, op):
    out = bytearray()
    for k in range(a, a + n):
        out.extend(it.heap.string_bytes(arg_bytes(it, it.S[k], op)))
    return make_bytes(it, out, 0, len(out))


# extension builtins of this module (builtin_table.py appends them)
BASE = base_of('strings')      # number of its first builtin
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
