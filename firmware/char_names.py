# Names as write prints them and the reader reads them, loaded on first
# use: characters' (#\space, #\x3BB, #\λ; a one-byte character needs
# none), and symbols' that need bars (|a b|).
from arena import LispError, decode

# Guile's names for codes 0..32 and 127 (what `write` prints), then other
# names the reader accepts. One string, searched in place.
NAMES = (b'nul soh stx etx eot enq ack alarm backspace tab newline vt page '
         b'return so si dle dc1 dc2 dc3 dc4 nak syn etb can em sub esc fs gs '
         b'rs us space delete null linefeed escape')
EXTRA = (127, 0, 10, 27)            # codes of the names after 'space'


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
    for n in NAMES.split():
        if n == tok:
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
    if 0 <= c < 8192:
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
