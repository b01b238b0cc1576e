# Reading from ports: string and bytevector input ports, and lines of
# sys.stdin for the console. ports.py hands its reading builtins here, so a
# program that only writes never loads this module.
import sys
from compat import const
from arena import LispError, NIL, TRUE, EOF, CHAR0, T_BYTES
from args import arg_int, arg_string, arg_type
from reader import read, Incomplete
from text import fix, make_char, string_of, BIGCHUNK
from ports import BASE, BINARY, field, in_port, input_port

P_READ_CHAR = const(15)
P_OPEN_BYTES = const(30)
P_READ_U8 = const(33)


def call(it, a, n, op):
    # ports.py's reading builtin op
    k = op - BASE
    f = p_read_char if k < 17 or k > 32 else p_open_bytes if k == P_OPEN_BYTES else \
        READERS[k - 17]
    return f(it, a, n, op)


def p_open_bytes(it, a, n, op):
    # open-input-bytevector
    return input_port(it, arg_type(it, it.S[a], T_BYTES, op, 'bytevector'), BINARY)


def stdin_peek(it):
    buf = getattr(it, 'inbuf', b'')
    if getattr(it, 'inpos', 0) >= len(buf):
        line = sys.stdin.readline()
        it.inbuf = line.encode() if isinstance(line, str) else line
        it.inpos = 0
        if not line:
            return -1
    return it.inbuf[it.inpos]


def peek(it, port):
    # The next byte of port, or -1 at its end.
    if port == NIL:
        return stdin_peek(it)
    h = it.heap
    s = field(it, port, 0)
    k = (field(it, port, 1) >> 2) - 8192
    return h.string_byte(s, k) if k < h.string_len(s) else -1


def advance(it, port):
    if port == NIL:
        it.inpos += 1
    else:
        it.heap.W[(port >> 1) + 3] += 4


def p_read_char(it, a, n, op):
    # read-char peek-char read-u8 peek-u8
    port = in_port(it, a, n, 0, op)
    b = peek(it, port)
    if b < 0:
        return EOF
    op -= BASE
    if op >= P_READ_U8:
        if op == P_READ_U8:
            advance(it, port)
        return fix(b)
    # a char: a UTF-8 sequence, read whole and put back for peek-char
    mark = it.inpos if port == NIL else it.heap.W[(port >> 1) + 3]
    c = utf8_char(it, port)
    if op != P_READ_CHAR:
        if port == NIL:
            it.inpos = mark
        else:
            it.heap.W[(port >> 1) + 3] = mark
    return make_char(it, c)


def utf8_char(it, port):
    # Read one character's bytes: its code point (a byte that does not
    # start a UTF-8 sequence, or a cut one, is a char of its own)
    b = peek(it, port)
    advance(it, port)
    m = 0 if b < 0xC0 else 1 if b < 0xE0 else 2 if b < 0xF0 else 3
    c = b & (0x3F >> m) if m else b
    for k in range(m):
        d = peek(it, port)
        if d & 0xC0 != 0x80:
            return b
        advance(it, port)
        c = (c << 6) | (d & 0x3F)
    return c


def p_read_line(it, a, n, op):
    # (read-line [port]): the line without its newline, or eof
    port = in_port(it, a, n, 0, op)
    if peek(it, port) < 0:
        return EOF
    out = bytearray()
    while True:
        b = peek(it, port)
        if b < 0:
            break
        advance(it, port)
        if b == 10:
            break
        out.append(b)
    return string_of(it, out)

def p_read_string(it, a, n, op):
    # (read-string k [port]): up to k chars, or eof if there are none
    m = arg_int(it, it.S[a], op)
    if not 0 <= m <= BIGCHUNK:
        raise LispError('read-string: bad count: ' + str(m))
    port = in_port(it, a, n, 1, op)
    out = []
    while len(out) < m:
        if peek(it, port) < 0:
            if not out:
                return EOF
            break
        out.append(chr(utf8_char(it, port)))
    return string_of(it, ''.join(out))

def p_char_ready(it, a, n, op):
    in_port(it, a, n, 0, op)
    return TRUE

def p_read(it, a, n, op):
    # (read [port]): the next datum, or eof
    port = in_port(it, a, n, 0, op)
    if port == NIL:
        return read_stdin(it)
    h = it.heap
    s = field(it, port, 0)
    k = (field(it, port, 1) >> 2) - 8192
    # (from k, not a copy from k: a #!fold-case holds to the port's end)
    v = read(it, h.string_bytes(s), k)
    h.W[(port >> 1) + 3] = fix(it.rpos)
    return v

def read_stdin(it):
    # Lines of sys.stdin until they hold a whole datum.
    sp = it.sp
    while True:
        if stdin_peek(it) < 0:
            return EOF
        buf = it.inbuf
        pos = it.inpos
        try:
            v = read(it, buf, pos)
        except Incomplete:
            it.sp = sp
            line = sys.stdin.readline()
            if not line:
                raise
            it.inbuf = buf[pos:] + (line.encode() if isinstance(line, str) else line)
            it.inpos = 0
            continue
        if v != EOF:
            it.inpos = it.rpos
            return v
        it.inpos = len(buf)

def p_read_from_string(it, a, n, op):
    return read(it, it.heap.string_bytes(arg_string(it, it.S[a], op)), 0)


READERS = (p_read_line, p_read_string, p_char_ready, p_read, p_read_from_string)
