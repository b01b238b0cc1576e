# The reader: bytes in, arena words out. Lists become compact lists (one
# word per element). Nesting is tracked on Mote's stack S, never by Python
# recursion; the elements of an unfinished list sit on S, so a collection
# during reading keeps them.
from compat import const
from arena import decode, LispError, NIL, TRUE, FALSE, EOF, CHAR0, T_VECTOR, T_BYTES
from compiler import KW0, KW_QUOTE, KW_QUASIQUOTE, KW_UNQUOTE, KW_UNQUOTE_SPLICING

K_LIST = const(0)
K_VECTOR = const(1)
K_QUOTE = const(2)       # wraps the next datum in (sym datum)
K_DISCARD = const(3)     # #; comment: drops the next datum
F_DOT = const(4)         # a '.' was read: the next datum is the tail
F_TAIL = const(8)        # the tail has been read: only ')' may follow

class Incomplete(LispError):
    pass


def _delim(b):
    return b <= 32 or b == 40 or b == 41 or b == 34 or b == 59 or b == 39


def _skip(buf, i, n):
    # Skip white space and comments; returns the next position.
    while i < n:
        b = buf[i]
        if b <= 32:
            i += 1
        elif b == 59:
            while i < n and buf[i] != 10:
                i += 1
        elif b == 35 and i + 1 < n and buf[i + 1] == 124:
            depth = 1
            i += 2
            while depth:
                if i + 1 >= n:
                    raise Incomplete('read: unterminated #| comment')
                if buf[i] == 124 and buf[i + 1] == 35:
                    depth -= 1
                    i += 2
                elif buf[i] == 35 and buf[i + 1] == 124:
                    depth += 1
                    i += 2
                else:
                    i += 1
        else:
            return i
    return i


def _escape(b):
    if b == 110:
        return 10
    if b == 116:
        return 9
    if b == 114:
        return 13
    if b == 97:
        return 7
    if b == 98:
        return 8
    if b == 48:
        return 0
    return b


def read(it, buf, pos):
    # Read one datum from buf (bytes) at pos. Returns the word, or EOF if
    # only white space is left; it.rpos is set to the position after it.
    # A read that fails (or needs more input: Incomplete, which the REPL
    # and `run` retry with more) leaves S as it found it.
    sp = it.sp
    R = it.heap.R
    R[2] = NIL                  # the datum labels (circular.py)
    if pos == 0:
        R[14] = FALSE           # #!fold-case: up to the end of this text
    try:
        return _read(it, buf, pos)
    except LispError:
        it.sp = sp
        raise


def _read(it, buf, pos):
    S = it.S
    h = it.heap
    n = len(buf)
    bottom = it.sp
    base = bottom             # first element of the innermost open list
    i = pos
    while True:
        i = _skip(buf, i, n)
        if i >= n:
            if base != bottom:
                raise Incomplete('read: unexpected end of input')
            it.rpos = i
            return EOF
        b = buf[i]
        v = -1
        if b == 40:
            base = _open(it, K_LIST, base)
            i += 1
            continue
        if b == 41:
            if base == bottom:
                raise LispError('read: unexpected )')
            m = S[base - 1] >> 2
            kind = m & 3
            if kind >= K_QUOTE or (m & F_DOT and not m & F_TAIL):
                raise LispError('read: unexpected )')
            cnt = it.sp - base
            if kind == K_VECTOR:
                r = h.alloc_box(T_VECTOR, cnt, NIL)
                for k in range(cnt):
                    h.W[r + 1 + k] = S[base + k]
                v = r << 1
            elif m & F_TAIL:
                v = h.alloc_list(base, cnt - 1, S[base + cnt - 1], S)
            elif cnt == 0:
                v = NIL
            else:
                v = h.alloc_list(base, cnt, NIL, S)
            base = _close(it, base)
            i += 1
        elif b == 39 or b == 96 or b == 44:
            q = KW0 + (KW_QUOTE << 2)       # the keywords' symbols
            i += 1
            if b == 96:
                q = KW0 + (KW_QUASIQUOTE << 2)
            elif b == 44:
                q = KW0 + (KW_UNQUOTE << 2)
                if i < n and buf[i] == 64:
                    q = KW0 + (KW_UNQUOTE_SPLICING << 2)
                    i += 1
            base = _open(it, K_QUOTE, base)
            it.push(q)
            continue
        elif b == 34 or b == 124:
            i, v = _string(it, buf, i + 1, n, b)
        elif b == 35 and i + 1 < n and buf[i + 1] == 40:
            base = _open(it, K_VECTOR, base)
            i += 2
            continue
        elif b == 35 and i + 3 < n and buf[i + 1] == 117 and buf[i + 2] == 56 \
                and buf[i + 3] == 40:
            i, v = _bytevector(it, buf, i + 4, n)
        elif b == 35 and i + 1 < n and buf[i + 1] == 59:
            base = _open(it, K_DISCARD, base)
            i += 2
            continue
        elif b == 35 and i + 1 < n and 48 <= buf[i + 1] <= 57:
            import circular
            i, v = circular.read(it, buf, i + 1, n)
            if buf[i - 1] == 61:
                # #n=: the next datum is labelled n (a fixnum, where a
                # quote's symbol would be)
                base = _open(it, K_QUOTE, base)
                it.push(v)
                continue
        elif b == 35 and i + 1 < n and buf[i + 1] == 92:
            s = i + 2
            if s >= n:
                raise Incomplete('read: unexpected end of input after #\\')
            e = s + 1
            while e < n and not _delim(buf[e]):
                e += 1
            if e - s == 1:
                v = CHAR0 + (buf[s] << 2)
            else:
                import char_names
                import text
                v = text.make_char(it, char_names.code(bytes(buf[s:e])))
            i = e
        else:
            s = i
            while i < n and not _delim(buf[i]):
                i += 1
            if i - s == 1 and b == 46:
                if base == bottom or S[base - 1] >> 2 & 3 != K_LIST or S[base - 1] >> 2 & F_DOT \
                        or it.sp == base:
                    raise LispError('read: misplaced .')
                S[base - 1] += F_DOT << 2
                continue
            v = _atom(it, buf, s, i)
            if v < 0:               # a directive (#!fold-case): no datum
                continue
        # a datum is complete: hand it to the innermost open list
        while True:
            if base == bottom:
                it.rpos = i
                return v
            m = S[base - 1] >> 2
            kind = m & 3
            if kind == K_QUOTE:
                if S[base] & 2:
                    it.push(v)
                    v = h.alloc_list(base, 2, NIL, S)
                else:
                    import circular
                    v = circular.close(it, S[base], v)
            elif kind == K_DISCARD:
                v = -1
            else:
                if m & F_TAIL:
                    raise LispError('read: more than one datum after .')
                if m & F_DOT:
                    S[base - 1] += F_TAIL << 2
                it.push(v)
                break
            base = _close(it, base)
            if v < 0:
                break


def _open(it, kind, base):
    # Push a frame [distance to the enclosing base][kind]; return its base.
    d = it.sp + 2 - base
    if d > 16383:
        raise LispError('read: list too long')
    it.push((d << 2) | 1)
    it.push((kind << 2) | 1)
    return it.sp


def _close(it, base):
    it.sp = base - 2
    return base - (it.S[base - 2] >> 2)


def _string(it, buf, i, n, q):
    # A string ("...", q 34) or a symbol between bars (|...|, q 124). Two
    # passes over the text: measure, then fill the box. Escapes: \a \b
    # \t \n \r \" \\ \|, \xHH...; (a code point, kept as UTF-8) and a
    # backslash ending a line (the line break and the blanks around it
    # vanish). Returns (end, word).
    ln = _string_pass(buf, i, n, None, q)
    out = bytearray(ln)
    i = _string_pass(buf, i, n, out, q)
    return i, it.heap.make_string(out, 0, ln) if q == 34 else it.symbol(out, 0, ln)


def _string_pass(buf, i, n, out, q):
    # The string's bytes from buf[i] on into out; returns the position
    # after the closing q, or with out None only the string's length.
    k = 0
    while True:
        if i >= n:
            raise Incomplete('read: unterminated string')
        b = buf[i]
        i += 1
        if b == q:
            return k if out is None else i
        if b == 92:
            if i >= n:
                raise Incomplete('read: unterminated string')
            b = buf[i]
            i += 1
            if b == 120:
                # \x, hex digits, ';': a code point
                b = 0
                e = i
                while e < n and buf[e] != 59 and buf[e] != 34 and e - i < 7:
                    c = buf[e]
                    d = c - 48 if 48 <= c <= 57 else (c | 32) - 87 if 97 <= (c | 32) <= 102 else -1
                    if d < 0:
                        raise LispError('read: not a hex digit in a \\x escape of a string')
                    b = (b << 4) | d
                    e += 1
                if e >= n or buf[e] != 59 or e == i:
                    raise LispError('read: a \\x escape in a string needs hex digits and a ;')
                if b > 0x10FFFF or 0xD800 <= b < 0xE000:
                    raise LispError('read: no such character: \\x%x; in a string' % b)
                i = e + 1
                if b >= 0x80:
                    # UTF-8: a lead byte, then m bytes of 6 bits each
                    m = 1 if b < 0x800 else 2 if b < 0x10000 else 3
                    if out is not None:
                        out[k] = (0xC0, 0xE0, 0xF0)[m - 1] | (b >> (6 * m))
                        for j in range(1, m + 1):
                            out[k + j] = 0x80 | ((b >> (6 * (m - j))) & 63)
                    k += m + 1
                    continue
            elif b == 32 or b == 9 or b == 10 or b == 13:
                # \ <blanks> <line break> <blanks>: nothing
                while b == 32 or b == 9:
                    if i >= n:
                        raise Incomplete('read: unterminated string')
                    b = buf[i]
                    i += 1
                if b == 13 and i < n and buf[i] == 10:
                    i += 1
                elif b != 10 and b != 13:
                    raise LispError('read: a backslash and blanks in a string must end the line')
                while i < n and (buf[i] == 32 or buf[i] == 9):
                    i += 1
                continue
            else:
                b = _escape(b)
        if out is not None:
            out[k] = b
        k += 1


def _bytevector(it, buf, i, n):
    # #u8( byte ... ): returns (end, word)
    import number_syntax
    out = bytearray()
    while True:
        i = _skip(buf, i, n)
        if i >= n:
            raise Incomplete('read: unterminated #u8(')
        if buf[i] == 41:
            break
        s = i
        while i < n and not _delim(buf[i]):
            i += 1
        b = number_syntax.exact_integer(buf, s, i) if i > s else None
        if b is None or not 0 <= b <= 255:
            raise LispError('read: not a byte in #u8(: ' + decode(bytes(buf[s:max(i, s + 1)])))
        out.append(b)
    return i + 1, it.heap.make_string(out, 0, len(out), T_BYTES)




def _atom(it, buf, s, e):
    if buf[s] == 35:
        tok = bytes(buf[s:e])
        if tok == b'#t' or tok == b'#true':
            return TRUE
        if tok == b'#f' or tok == b'#false':
            return FALSE
        if e - s > 2 and buf[s + 1] | 32 in (120, 111, 98, 100, 101, 105):
            import number_syntax
            num = number_syntax.parse_number(buf, s, e, 10)
            if num is None:
                raise LispError('read: bad number ' + decode(tok))
            return make_number(it.heap, num)
        if tok == b'#!fold-case' or tok == b'#!no-fold-case':
            it.heap.R[14] = TRUE if tok[2] == 102 else FALSE
            return -1
        raise LispError('read: unknown syntax ' + decode(tok))
    # a decimal integer, the common number, is read here; any other text
    # that starts like a number (a digit or a point after an optional
    # sign, or +inf.0 and the like) by number_syntax.py
    neg = buf[s] == 45
    i = s + 1 if neg or buf[s] == 43 else s
    j = i
    n = 0
    while j < e and 48 <= buf[j] <= 57:
        n = n * 10 + buf[j] - 48
        j += 1
    if j == e and j > i:
        return it.heap.make_int(-n if neg else n)
    if i < e and (48 <= buf[i] <= 57 or buf[i] == 46 or (i > s and buf[i] | 32 in (105, 110))):
        import number_syntax
        num = number_syntax.parse_number(buf, s, e, 10)
        if num is not None:
            return make_number(it.heap, num)
    if it.heap.R[14] == TRUE:                # #!fold-case
        import text
        return text.lower(it, buf, s, e)
    return it.symbol(buf, s, e)


def make_number(h, x):
    return h.make_float(x) if type(x) is float else h.make_int(x)
