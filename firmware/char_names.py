# How write spells what needs more than its text, loaded on first use:
# characters (#\space, #\x3BB, #\λ; the reader reads these names too),
# strings with escapes ("a\nb"), and symbols that need bars (|a b|).
# Printing a char comes here.
from arena import LispError, decode

# Guile's names for codes 0..32 and 127 (what `write` prints), then other
# names the reader accepts. One string, searched in place.
NAMES = (b'nul soh stx etx eot enq ack alarm backspace tab newline vt page '
         b'return so si dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs '
         b'rs us space delete null linefeed escape')
EXTRA = (127, 0, 10, 27)            # codes of the names after 'space'


# string escapes `write` uses: the byte, then the letter after the backslash
ESC_BYTES = b'"\\\n\t\r\x07\x08'
ESC_LETTERS = '"\\ntrab'


def string_text(b):
    # How write prints a string of the bytes b: between double quotes,
    # with escapes for " \\ and the control characters (\\xHH; as R7RS
    # writes them); the text between them as UTF-8, as display has it
    parts = ['"']
    s = 0
    for j in range(len(b)):
        c = b[j]
        if c == 34 or c == 92 or c < 32 or c == 127:
            if s < j:
                parts.append(decode(b[s:j]))
            k = ESC_BYTES.find(bytes((c,)))
            parts.append('\\' + ESC_LETTERS[k] if k >= 0 else '\\x%x;' % c)
            s = j + 1
    if s < len(b):
        parts.append(decode(b[s:]))
    parts.append('"')
    return ''.join(parts)


def text(it, v, write):
    # How display and write print the char v: as itself (UTF-8), or for
    # write #\\ and its name, or its hex code where a terminal would show
    # nothing (controls, no-break space, soft hyphen)
    if not v & 1 and it.heap.box_type(v) == 10:
        import interop              # (T_PY: a Python object; see printer.py)
        return interop.text(it, v)
    from args import arg_char
    c = arg_char(it, v, 'write')
    if not write:
        return chr(c)
    if c <= 32 or c == 127:
        return '#\\' + name(c)
    if 127 < c <= 160 or c == 173:
        return '#\\x%x' % c
    return '#\\' + chr(c)


def name(c):
    # The name write prints: of char code c (0..32 or 127), or of the
    # symbol named c (a str), as symbol_name has it.
    if c.__class__ is str:
        return symbol_name(c)
    k = 33 if c == 127 else c
    i = 0
    while k:
        i = NAMES.find(b' ', i) + 1
        k -= 1
    return NAMES[i:NAMES.find(b' ', i)].decode()


def code(tok):
    # Code of the character after #\ (bytes of two or more), or a read error.
    k = 0
    low = tok.lower()       # (names in any case: #!fold-case's, and Guile reads #\SPACE)
    for n in NAMES.split():
        if n == low:
            return k if k <= 32 else EXTRA[k - 33]
        k += 1
    c = -1
    if tok[0] == 120:                   # x and hex digits
        try:
            c = int(tok[1:], 16)
        except ValueError:
            pass
    else:
        # one UTF-8 character (bytes that are not UTF-8 decode to one
        # character per byte: two or more)
        t = decode(tok)
        if len(t) == 1:
            c = ord(t)
    if 0 <= c <= 0x10FFFF and not 0xD800 <= c < 0xE000:
        return c
    raise LispError('read: unknown character #\\' + decode(tok))


def symbol_name(nm):
    # How write prints the symbol named nm: as it is if it reads back as
    # that symbol, else between bars (|a b|, ||, |1|) with \| \\ and \xHH;
    # escapes (R7RS 2.1).
    bars = nm == '' or nm == '.' or nm[0] == '#'
    for c in nm:
        if c <= ' ' or c in '|()[]{}";\'`,\\\x7f':
            bars = True
    if not bars and nm[0] in '0123456789+-.':
        import number_syntax
        b = nm.encode()
        try:
            bars = number_syntax.parse_number(b, 0, len(b), 10) is not None
        except LispError:
            bars = True
    if not bars:
        return nm
    out = '|'
    for c in nm:
        if c == '|' or c == '\\':
            out += '\\' + c
        elif c < ' ' or c == '\x7f':
            out += '\\x%x;' % ord(c)
        else:
            out += c
    return out + '|'
