# String and bytevector ports, the current ports, output to a port, and
# format (reading is port_input.py's). A port is a record: input
# [source][position][state]
# (the source a string or bytevector), output [chunks][state] (chunks: a
# list of partly filled string boxes, newest first); the console's own port
# records hold #f in the first field. state: a fixnum of CLOSED and BINARY
# bits (#f for the console's). Loaded on the first call of one of its
# builtins (text.py, whose helpers it shares, with it).
from compat import const
from arena import (decode, LispError, NIL, TRUE, FALSE, UNSPEC, EOF, MAXSIZE, T_INT,
                   T_STRING, T_BYTES, T_PY, RK_INPORT, RK_OUTPORT)
from args import arg_char, arg_string, name, truth
from printer import to_text, print_console
from builtin_table import base_of
from text import arg_byte, bounds, chars, fix, set_byte, string_of, BIGCHUNK


# -- ports ------------------------------------------------------------------------------------
def field(it, v, k):
    return it.heap.W[(v >> 1) + 2 + k]


CLOSED = const(1)
BINARY = const(2)


def state(it, v, kind):
    # CLOSED and BINARY bits of a port of that kind
    s = field(it, v, 1 if kind == RK_OUTPORT else 2)
    return (s >> 2) - 8192 if s & 3 == 1 else 0


def open_port(it, v, kind, who):
    # v, an open port of kind (RK_INPORT or RK_OUTPORT); NIL for the console
    if it.heap.record_kind(v) != kind:
        if it.heap.box_type(v) == T_PY:
            return v                # a Python stream (interop.py reads and writes it)
        raise LispError(name(it, who) + (': not an input port: ' if kind == RK_INPORT else
                                         ': not an output port: ') + it.show(v))
    if state(it, v, kind) & CLOSED:
        raise LispError(name(it, who) + ': the port is closed: ' + it.show(v))
    return NIL if field(it, v, 0) == FALSE else v


def out_port(it, a, n, k, who):
    # The output port argument S[a+k] if given, else the current output
    # port; NIL for the console.
    v = it.S[a + k] if n > k else it.heap.R[12]
    return v if v == NIL else open_port(it, v, RK_OUTPORT, who)


def in_port(it, a, n, k, who):
    # The input port argument S[a+k] if given; NIL for the console.
    return NIL if n <= k else open_port(it, it.S[a + k], RK_INPORT, who)


def console(it, text):
    if text:
        it.out(text)
        it.col0 = text[len(text) - 1] == '\n'


def port_write(it, port, data):
    # Append data (str or bytes) to an output port (NIL: the console).
    # The port must be reachable from S or a register.
    if port == NIL:
        console(it, data if isinstance(data, str) else decode(data))
        return
    if it.heap.box_type(port) == T_PY:
        import interop
        interop.write(it, port, data)
        return
    if isinstance(data, str):
        data = data.encode()
    h = it.heap
    W = h.W
    p = (port >> 1) + 2             # the chunks field
    n = len(data)
    k = 0
    while k < n:
        room = 0
        size = 16
        if W[p] != NIL:
            c = W[W[p] >> 1] >> 1
            size = 2 * (W[c] & MAXSIZE) - 2
            room = size - W[c + 1]
        if room <= 0:
            size = max(min(2 * size, 1024), min(n - k, BIGCHUNK))
            c = h.alloc_box(T_STRING, 1 + ((size + 1) >> 1), 0)
            W[c + 1] = 0
            W[p] = h.cons(c << 1, W[p])
            continue
        ln = W[c + 1]
        m = min(room, n - k)
        for j in range(m):
            set_byte(W, c, ln + j, data[k + j])
        W[c + 1] = ln + m
        k += m


def print_value(it, v, port, write):
    # display or write v (reachable from S) to port (NIL: the console)
    if port != NIL:
        port_write(it, port, to_text(it, v, write))
        return
    print_console(it, v, write)


def at_line_start(it, port):
    if port == NIL:
        return getattr(it, 'col0', True)
    if it.heap.box_type(port) == T_PY:
        return True                 # (a Python stream's column is not known)
    W = it.heap.W
    lst = W[(port >> 1) + 2]
    while lst != NIL:
        c = W[lst >> 1]
        ln = it.heap.string_len(c)
        if ln:
            return it.heap.string_byte(c, ln - 1) == 10
        lst = it.heap.cdr(lst)
    return True


def p_open_input(it, a, n, op):
    # open-input-string (open-input-bytevector: port_input.py)
    arg_string(it, it.S[a], op)
    return input_port(it, it.S[a], 0)


def input_port(it, source, flags):
    v = it.heap.alloc_record(RK_INPORT, 3, source)
    it.heap.W[(v >> 1) + 3] = fix(0)
    it.heap.W[(v >> 1) + 4] = fix(flags)
    return v

def p_open_output(it, a, n, op):
    # open-output-string open-output-bytevector
    v = it.heap.alloc_record(RK_OUTPORT, 2, NIL)
    it.heap.W[(v >> 1) + 3] = fix(BINARY if op - BASE > P_OPEN_BYTES else 0)
    return v

def p_current_port(it, a, n, op):
    # current-output-port current-error-port current-input-port
    k = op - BASE - P_CURRENT_PORT
    v = it.heap.R[12]
    if k == 0 and v != NIL:
        return v
    return it.heap.alloc_record(RK_INPORT if k == 2 else RK_OUTPORT, 3 if k == 2 else 2, FALSE)

def p_port_p(it, a, n, op):
    # port? input-port? output-port?
    k = it.heap.record_kind(it.S[a])
    op -= BASE + P_PORTP
    return truth((k == RK_INPORT and op < 2) or (k == RK_OUTPORT and op != 1))

def p_port_state(it, a, n, op):
    # input-port-open? output-port-open? binary-port?
    v = it.S[a]
    k = it.heap.record_kind(v)
    op -= BASE + P_PORT_OPEN
    if op == 2:
        return truth((k == RK_INPORT or k == RK_OUTPORT) and state(it, v, k) & BINARY)
    if k != RK_INPORT and k != RK_OUTPORT:
        raise LispError(name(it, op + BASE + P_PORT_OPEN) + ': not a port: ' + it.show(v))
    return truth(k == (RK_INPORT if op == 0 else RK_OUTPORT) and not state(it, v, k) & CLOSED)

def p_close_port(it, a, n, op):
    # close-port close-input-port close-output-port: a closed port refuses
    # reading and writing (the console's ports stay open)
    v = it.S[a]
    k = it.heap.record_kind(v)
    if k not in (RK_INPORT, RK_OUTPORT):
        raise LispError(name(it, op) + ': not a port: ' + it.show(v))
    if field(it, v, 0) != FALSE:
        it.heap.W[(v >> 1) + (3 if k == RK_OUTPORT else 4)] = fix(state(it, v, k) | CLOSED)
    return UNSPEC

def p_get_output(it, a, n, op):
    # get-output-string get-output-bytevector (a closed port's too)
    h = it.heap
    W = h.W
    v = it.S[a]
    binary = op - BASE > P_OPEN_BYTES
    if h.record_kind(v) != RK_OUTPORT or field(it, v, 0) == FALSE:
        raise LispError(name(it, op) + (': not a bytevector output port: ' if binary else
                                        ': not a string output port: ') + it.show(v))
    total = 0
    lst = field(it, v, 0)
    while lst != NIL:
        total += h.string_len(W[lst >> 1])
        lst = h.cdr(lst)
    if total > BIGCHUNK:
        raise LispError(name(it, op) + ': string too long: %d bytes' % total)
    r = h.alloc_box(T_BYTES if binary else T_STRING,
                    1 + ((total + 1) >> 1), 0)
    W[r + 1] = total
    W[r + 1 + ((total + 1) >> 1)] = 0
    lst = field(it, v, 0)
    while lst != NIL:
        c = W[lst >> 1]
        ln = h.string_len(c)
        total -= ln
        for k in range(ln):
            set_byte(W, r, total + k, h.string_byte(c, k))
        lst = h.cdr(lst)
    return r << 1

def p_write_string(it, a, n, op):
    # (write-string s [port [start end]])
    h = it.heap
    s = arg_string(it, it.S[a], op)
    port = out_port(it, a, n, 1, op)
    if n < 3:
        port_write(it, port, h.string_bytes(s))
    else:
        t = chars(h, s)
        i, j = bounds(it, a, n, 2, len(t), op)
        port_write(it, port, t[i:j])
    return UNSPEC

def p_write_char(it, a, n, op):
    c = arg_char(it, it.S[a], op)
    port_write(it, out_port(it, a, n, 1, op), chr(c))
    return UNSPEC

def p_write_u8(it, a, n, op):
    b = arg_byte(it, it.S[a], op)
    port_write(it, out_port(it, a, n, 1, op), bytes((b,)))
    return UNSPEC


def p_input(it, a, n, op):
    # read-char peek-char read-line read-string char-ready? read
    # read-from-string open-input-bytevector read-u8 peek-u8: port_input.py,
    # loaded only by a program that reads
    if n and it.heap.box_type(it.S[a + n - 1]) == T_PY:
        import interop              # the port is a Python stream
        return interop.read(it, a, n, op)
    import port_input
    return port_input.call(it, a, n, op)

def p_eof(it, a, n, op):
    # eof-object eof-object?
    return EOF if n == 0 else truth(it.S[a] == EOF)


# -- format -------------------------------------------------------------------------------
def int_text(n, base):
    if base == 10:
        return str(n)
    neg = n < 0
    if neg:
        n = -n
    out = []
    while True:
        out.append('0123456789abcdef'[n % base])
        n //= base
        if not n:
            break
    if neg:
        out.append('-')
    out.reverse()
    return ''.join(out)


def p_format(it, a, n, op):
    # (format dest fmt arg ...): dest #f gives a string, #t the current
    # output port, or a port; (format fmt arg ...) gives a string
    h = it.heap
    S = it.S
    d = S[a]
    f = a
    port = NIL
    if h.box_type(d) != T_STRING:
        f = a + 1
        if n < 2:
            raise LispError('format: no format string')
        if d == TRUE:
            port = out_port(it, a, 0, 0, op)
        elif d != FALSE:
            port = out_port(it, a, 1, 0, op)
    fmt = h.string_bytes(arg_string(it, S[f], op))
    k = f + 1
    parts = []
    i = 0
    while i < len(fmt):
        j = fmt.find(b'~', i)
        if j < 0:
            j = len(fmt)
        if j > i:
            parts.append(decode(fmt[i:j]))
        if j + 1 >= len(fmt):
            if j < len(fmt):
                raise LispError('format: ~ at the end of the format string')
            break
        c = fmt[j + 1]
        if 65 <= c <= 90:
            c |= 32                 # ~A is ~a
        i = j + 2
        if c == 37:
            parts.append('\n')
        elif c == 126:
            parts.append('~')
        elif c == 38:
            if not fresh(it, parts, port if d != FALSE and f != a else -1):
                parts.append('\n')
        elif c in b'asdxob':
            if k >= a + n:
                raise LispError('format: no argument left for ~' + chr(fmt[j + 1]))
            parts.append(directive(it, S[k], c, chr(fmt[j + 1])))
            k += 1
        else:
            raise LispError('format: unknown directive ~' + chr(fmt[j + 1]))
    if k < a + n:
        raise LispError('format: too many arguments: ' + it.show(S[k]))
    text = ''.join(parts)
    if d == FALSE or f == a:
        return string_of(it, text.encode())
    port_write(it, port, text)
    return UNSPEC

def fresh(it, parts, port):
    # Is the output at the start of a line? (port -1: a new string)
    k = len(parts) - 1
    while k >= 0 and not parts[k]:
        k -= 1
    if k >= 0:
        return parts[k][len(parts[k]) - 1] == '\n'
    return port == -1 or at_line_start(it, port)


def directive(it, v, c, d):
    if c == 97:
        return to_text(it, v, False)
    if c == 115:
        return to_text(it, v, True)
    h = it.heap
    if v & 3 != 1 and h.box_type(v) != T_INT:
        raise LispError('format: ~' + d + ' needs an integer: ' + it.show(v))
    return int_text(h.int_value(v), 10 if c == 100 else 16 if c == 120 else 8 if c == 111 else 2)


def p_write_labelled(it, a, n, op):
    # write-shared (labels for all shared structure), write-simple (none)
    print_value(it, it.S[a], out_port(it, a, n, 1, op),
                4 if op - BASE == P_WRITE_SHARED else 3)
    return UNSPEC


# extension builtins of this module (builtin_table.py appends them)
BASE = base_of('ports')         # number of its first builtin
FUNCS = (p_open_input, p_open_output, p_get_output, p_current_port, p_current_port,
         p_current_port, p_port_p, p_port_p, p_port_p, p_close_port, p_close_port,
         p_close_port, p_write_string, p_write_char, p_write_u8, p_input, p_input,
         p_input, p_input, p_input, p_input, p_input, p_eof,
         p_eof, p_format, p_write_labelled, p_write_labelled, p_port_state, p_port_state,
         p_port_state, p_input, p_open_output, p_get_output, p_input, p_input)

P_CURRENT_PORT = const(3)
P_PORTP = const(6)
P_WRITE_SHARED = const(25)
P_PORT_OPEN = const(27)
P_OPEN_BYTES = const(30)        # open-input-bytevector; then the output ones
