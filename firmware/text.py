# Strings, characters and symbols: the core's builtins (string-length,
# string-append, char compares, ...) and the helpers strings.py and
# ports.py share. strings.py has the rest of the string and bytevector
# library; string ports, output and format are ports.py's. Strings and
# bytevectors are byte boxes of one layout ([length][bytes, two per word]).
from compat import const
from arena import LispError, NIL, SYM0, CHAR0, T_CHAR, decode
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


def bounds(it, a, n, k, ln, who):
    # Optional [start [end]] arguments at S[a+k], S[a+k+1] for a sequence
    # of length ln.
    s = arg_index(it, it.S[a + k], who, ln + 1) if n > k else 0
    e = arg_index(it, it.S[a + k + 1], who, ln + 1) if n > k + 1 else ln
    if e < s:
        raise LispError(name(it, who) + ': end before start: ' + str(e))
    return s, e


def string_of(it, b):
    # A string of the bytes b, or of the str b (UTF-8)
    if b.__class__ is str:
        b = b.encode()
    if len(b) > BIGCHUNK:
        raise LispError('string: too long (%d bytes; at most %d)' % (len(b), BIGCHUNK))
    return it.heap.make_string(b, 0, len(b))


# Strings hold UTF-8 and count characters. An ASCII-only string (most) is
# indexed by byte; any other is decoded to a Python str (which counts
# characters too) for the builtin that needs it. Whether a string is
# ASCII is cached in bits 15..14 of its length word: 10 yes, 01 no, 00 not
# known yet (make_string leaves that; so does every change of its bytes).
def is_ascii(h, s):
    W = h.W
    i = (s >> 1) + 1
    w = W[i]
    if w & 0xC000:
        return w >= 0x8000
    for j in range(i + 1, i + 1 + ((w + 1) >> 1)):
        if W[j] & 0x8080:
            W[i] = w | 0x4000
            return False
    W[i] = w | 0x8000
    return True


def chars(h, s):
    # The characters of string s, as a str
    return decode(h.string_bytes(s))


def length(h, s):
    return h.string_len(s) if is_ascii(h, s) else len(chars(h, s))


def make_char(it, c):
    # The char of code point c: an immediate up to U+1FFF, a T_CHAR box
    # ([0][low 16 bits][high bits], an INT's layout) above
    if c < 8192:
        return CHAR0 + (c << 2)
    h = it.heap
    i = h.alloc_box(T_CHAR, 2 if c < 0x10000 else 3, 0)
    h.W[i + 1] = 0          # (an unscanned box's words are not cleared)
    h.W[i + 2] = c & 0xFFFF
    if c > 0xFFFF:
        h.W[i + 3] = c >> 16
    return i << 1


# Greek capitals with tonos and their small letters
GREEK_TONOS = (0x386, 0x3AC, 0x388, 0x3AD, 0x389, 0x3AE, 0x38A, 0x3AF, 0x38C, 0x3CC,
               0x38E, 0x3CD, 0x38F, 0x3CE)


def case(c, up):
    # Simple case mapping: ASCII, Latin-1, Latin Extended-A, Greek and
    # Cyrillic (up: upper case; else lower case)
    if c < 128 or 0xC0 <= c < 0xFF and c != 0xD7 and c != 0xF7:
        if up:
            return c - 32 if 97 <= c <= 122 or c >= 0xE0 else c
        return c + 32 if 65 <= c <= 90 or 0xC0 <= c <= 0xDE else c
    if c == 0xFF or c == 0x178:
        return 0x178 if up else 0xFF
    if c == 0xB5:
        return 0x39C if up else c
    if 0x100 <= c < 0x180 and c not in (0x130, 0x131, 0x138, 0x149, 0x17F):
        # pairs: upper case even, lower case odd; the other way round
        # from 0x139 to 0x148 and from 0x179
        is_upper = (c & 1 == 1) == (0x139 <= c <= 0x148 or c >= 0x179)
        if up:
            return c if is_upper else c - 1
        return c + 1 if is_upper else c
    if c in GREEK_TONOS:
        k = GREEK_TONOS.index(c)
        return GREEK_TONOS[k & 14 if up else k | 1]
    if 0x391 <= c <= 0x3A9 and c != 0x3A2 or 0x410 <= c <= 0x42F:
        return c if up else c + 32
    if 0x3B1 <= c <= 0x3C9 or 0x430 <= c <= 0x44F:
        return (0x3A3 if c == 0x3C2 else c - 32) if up else c
    if 0x400 <= c <= 0x40F:
        return c if up else c + 80
    if 0x450 <= c <= 0x45F:
        return c - 80 if up else c
    return c


def fold(c):
    # char-foldcase: lower case, and final sigma as sigma
    return 0x3C3 if c == 0x3C2 else case(c, False)


def is_alpha(c):
    # letters of the scripts case() knows, and the CJK, kana and Hangul
    # blocks
    return (case(c, True) != c or case(c, False) != c or c in (0xAA, 0xBA, 0xDF, 0x138, 0x149)
            or 0x4E00 <= c <= 0x9FFF or 0x3041 <= c <= 0x30FF or 0xAC00 <= c <= 0xD7A3)


def is_space(c):
    # Unicode White_Space
    return (c == 32 or 9 <= c <= 13 or c == 0x85 or c == 0xA0 or c == 0x1680
            or 0x2000 <= c <= 0x200A or c in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000))


def fold_text(t):
    # The str t case-folded (string-foldcase, the -ci compares, #!fold-case)
    return ''.join([chr(fold(ord(c))) for c in t])


def lower(it, buf, s, e):
    # The symbol #!fold-case makes of the name buf[s:e] (reader.py)
    b = fold_text(decode(bytes(buf[s:e]))).encode()
    return it.symbol(b, 0, len(b))


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
    return fix(length(it.heap, arg_string(it, it.S[a], op)))


def p_string_ref(it, a, n, op):
    # (few locals, n the index: a bigger frame would be heap-allocated at
    # every call)
    s = arg_string(it, it.S[a], op)
    if not is_ascii(it.heap, s):
        return ref_wide(it, a, s, op)
    n = it.heap.string_len(s)
    n = arg_index(it, it.S[a + 1], op, n)
    return CHAR0 + (it.heap.string_byte(s, n) << 2)


def ref_wide(it, a, s, op):
    # string-ref in a string that is not ASCII
    t = chars(it.heap, s)
    return make_char(it, ord(t[arg_index(it, it.S[a + 1], op, len(t))]))


def p_substring(it, a, n, op):
    # substring, and string-copy with a range
    h = it.heap
    t = chars(h, arg_string(it, it.S[a], op))
    i, j = bounds(it, a, n, 1, len(t), op)
    return string_of(it, t[i:j])


def p_string_append(it, a, n, op):
    out = bytearray()
    for k in range(a, a + n):
        out.extend(it.heap.string_bytes(arg_string(it, it.S[k], op)))
    return string_of(it, out)


def p_string_copy(it, a, n, op):
    return p_substring(it, a, n, op) if n > 1 else p_string_append(it, a, 1, op)


def p_string_compare(it, a, n, op):
    return compare_strings(it, a, n, op, op - P_STRING_EQ, False)


def compare_strings(it, a, n, who, op, ci):
    # (UTF-8 bytes sort as their code points do)
    h = it.heap
    ok = True
    for k in range(a, a + n):
        s = arg_string(it, it.S[k], who)
        cur = fold_text(chars(h, s)) if ci else h.string_bytes(s)
        if k > a:
            ok = ok and order(prev, cur, op)
        prev = cur
    return truth(ok)


def order(x, y, op):
    # op: 0 =, 1 <, 2 >, 3 <=, 4 >=
    return (x == y if op == 0 else x < y if op == 1 else x > y if op == 2
            else x <= y if op == 3 else x >= y)


def p_string_to_list(it, a, n, op):
    # (string->list s [start [end]])
    t = chars(it.heap, arg_string(it, it.S[a], op))
    i, j = bounds(it, a, n, 1, len(t), op)
    base = it.sp
    for k in range(i, j):
        it.push(make_char(it, ord(t[k])))
    r = build_list(it, base, it.sp - base, NIL)
    it.sp = base
    return r


def chars_to_string(it, a, n, who):
    # A string of the chars S[a:a+n]
    out = bytearray(n)
    for k in range(n):
        c = arg_char(it, it.S[a + k], who)
        if c > 127:
            return string_of(it, ''.join([chr(arg_char(it, it.S[j], who)) for j in range(a, a + n)]))
        out[k] = c
    return string_of(it, out)


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
    if m < 0 or m > BIGCHUNK:
        raise LispError('make-string: bad length: ' + str(m))
    # with room for two bytes a char, so that string-set! can put in any
    # char up to U+07FF (Latin, Greek, Cyrillic, Hebrew, Arabic)
    b = (chr(c) * m).encode()
    k = len(b)
    v = string_of(it, b + bytes(max(0, min(2 * m, BIGCHUNK) - k)))
    it.heap.W[(v >> 1) + 1] = k
    return v


# -- chars (core table) ---------------------------------------------------------------
def p_char_to_integer(it, a, n, op):
    return it.heap.make_int(arg_char(it, it.S[a], op))


def p_integer_to_char(it, a, n, op):
    c = arg_int(it, it.S[a], op)
    if not 0 <= c <= 0x10FFFF or 0xD800 <= c < 0xE000:
        raise LispError('integer->char: not a Unicode scalar value: ' + str(c))
    return make_char(it, c)


def p_char_compare(it, a, n, op):
    return compare_chars(it, a, n, op, op - P_CHAR_EQ, False)


def compare_chars(it, a, n, who, op, ci):
    prev = arg_char(it, it.S[a], who)
    ok = True
    for k in range(a + 1, a + n):
        cur = arg_char(it, it.S[k], who)
        # char-ci: upper case, as Guile does (string-ci folds to lower case)
        ok = ok and (order(case(prev, True), case(cur, True), op) if ci else order(prev, cur, op))
        prev = cur
    return truth(ok)


def p_char_case(it, a, n, op):
    # char-upcase char-downcase (and char-foldcase)
    c = arg_char(it, it.S[a], op)
    return make_char(it, case(c, True) if op == P_UPCASE else case(c, False) if op == P_UPCASE + 1
                     else fold(c))


def p_char_test(it, a, n, op):
    # char-alphabetic? char-numeric? char-whitespace? char-upper-case?
    # char-lower-case?
    c = arg_char(it, it.S[a], op)
    op -= P_ALPHA
    return truth(is_alpha(c) if op == 0 else 48 <= c <= 57 if op == 1 else
                 is_space(c) if op == 2 else case(c, False) != c if op == 3 else case(c, True) != c
                 or c == 0xDF)


# no builtins of its own (builtin_table.FAMILIES); the functions of the
# core rows (primitives.FUNCS) that name this module, in their order: put
# in place when one of them is first called
FUNCS = ()
CORE = ((p_symbol_to_string, p_string_to_symbol, p_string_length, p_string_ref,
         p_substring, p_string_append, p_string_copy) + (p_string_compare,) * 5
        + (p_string_to_list, p_list_to_string, p_string, p_make_string,
           p_char_to_integer, p_integer_to_char) + (p_char_compare,) * 5
        + (p_char_case,) * 2 + (p_char_test,) * 5)
