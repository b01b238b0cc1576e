# The printer: `display` and `write` in Guile's notation. Nesting is kept on
# Mote's stack S (pairs of [value][state]), so deep data never recurses in
# Python.
from compat import const
from arena import T_FLOAT, decode
from arena import RK_TABLE
from arena import (LispError, RK_ERROR, USER_KIND, NIL, SYM0, CHAR0, PRIM0, SF0, T_STRING, T_INT, T_VECTOR, T_CLOSURE,
                   OTHER, T_BYTES, T_CHAR)

P_LIST = const(0)       # value: rest of the list
P_VECTOR = const(1)     # value: the vector; state >> 2: next index
P_CLOSE = const(2)      # print ')'

# () #t #f, and the other immediates (arena.py: NIL TRUE FALSE UNSPEC EOF
# UNBOUND DEFAULT, 4 apart), then special forms and lexical addresses (a
# tuple of constants: no qstr for each)
IMMEDIATES = ('()', '#t', '#f', '#<unspecified>', '#<eof>', '#<unbound>', '#<default>',
              '#<syntax>', '#<local>')



def atom(it, v, write):
    # Text of a value that is not a pair or vector.
    if v & 3 == 1:
        return str((v >> 2) - 8192)
    h = it.heap
    t = h.box_type(v)
    if v >= CHAR0 and v & 3 == 3 or t == T_CHAR or t == 10:
        # (10: T_PY, a Python object's handle, which char_names.py hands
        # to interop.py: this module names neither T_PY nor interop, whose
        # names would cost the core's bytecode a qstr each)
        import char_names
        return char_names.text(it, v, write)
    if v & 3 == 3:
        if v >= SYM0:
            t = it.symbols.name((v - SYM0) >> 2)
            if write:
                # a name that may not read back as it is: |a b|, |1|, ||
                b = t[0:1] in '#.+-0123456789' or t.split() != [t]
                for c in '|()[]{}";\'`,\\\x7f':
                    if c in t:
                        b = True
                if b:
                    import char_names
                    return char_names.name(t)
            return t
        if v >= PRIM0 and v < 0x2003:
            return '#<procedure ' + it.prim_name((v - PRIM0) >> 2) + '>'
        if v >= SF0:
            return IMMEDIATES[7 if v < 0x2003 else 8]
        return IMMEDIATES[v >> 2] if v >> 2 < 7 else '#<object %d>' % v
    if t == T_INT:
        return str(h.int_value(v))
    if t == T_FLOAT:
        import number_syntax
        return number_syntax.float_text(h.float_value(v))
    if t == T_STRING:
        b = h.string_bytes(v)
        if write:
            # escapes are char_names.py's (not loaded for plain text)
            for c in b:
                if c == 34 or c == 92 or c < 32 or c == 127:
                    import char_names
                    return char_names.string_text(b)
            return '"' + decode(b) + '"'
        return decode(b)
    if t == T_CLOSURE:
        name = h.W[(v >> 1) + 4]
        if name >= SYM0 and name & 3 == 3:
            return '#<procedure ' + it.symbols.name((name - SYM0) >> 2) + '>'
        return '#<procedure>'
    if t == T_BYTES:
        parts = []
        for k in range(h.string_len(v)):
            parts.append(str(h.string_byte(v, k)))
        return '#u8(' + ' '.join(parts) + ')'
    k = h.record_kind(v)
    if k == RK_TABLE:
        return '#<hash-table %d>' % ((h.W[(v >> 1) + 3] >> 2) - 8192)
    if k >= 0:
        return record_text(it, v, k)
    return '#<object %d>' % t


RECORD_NAMES = ('values', 'error-object', 'promise', 'hash-table', 'input-port',
                'output-port', 'macro', 'continuation', 'parameter', 'record-type',
                'environment')


def record_text(it, v, k):
    # #<kind> for built-in records, #<type-name> for define-record-type ones
    h = it.heap
    if k < len(RECORD_NAMES):
        if k == RK_ERROR:
            m = h.W[(v >> 1) + 2]
            return '#<error-object ' + to_text(it, m, True) + '>'
        return '#<' + RECORD_NAMES[k] + '>'
    # a user record: its type descriptor's first field is the type name
    return '#<' + to_text(it, h.W[((k - USER_KIND) >> 1) + 2], False) + '>'


def emit(it, v, out, write):
    # Print v by calling out(text) for each piece. write: 0 display,
    # 1 write, 3 write-simple (which may loop), 4 write-shared; 2 only walks
    # v and says whether it may be circular (more steps than twice the
    # arena's words): circular.py then prints it with labels, as it does
    # what nests deeper than the stack (a cycle through cars, or deep data).
    h = it.heap
    if write == 4 or write < 2 and not v & 1:
        base = it.sp
        try:
            again = write == 4 or emit(it, v, len, 2)
        except LispError:
            it.sp = base
            again = True
        if again:
            import circular
            return circular.emit(it, v, out, write)
    S = it.S
    base = it.sp
    steps = 2 * h.top + 4 if write == 2 else -1
    while True:
        # print v, descending into pairs and vectors
        while True:
            steps -= 1
            if not steps:
                it.sp = base
                return True
            if not v & 1 and h.code(v >> 1) != OTHER:
                out('(')
                it.push(h.cdr(v))
                it.push(P_LIST << 2 | 1)
                v = h.car(v)
            elif h.box_type(v) == T_VECTOR:
                out('#(')
                if h.box_size(v) == 0:
                    out(')')
                    break
                it.push(v)
                it.push(16 | P_VECTOR << 2 | 1)
                v = h.W[(v >> 1) + 1]
            else:
                if write != 2:
                    out(atom(it, v, write))
                break
        # pop finished levels until one has more to print
        while True:
            if it.sp == base:
                return
            st = S[it.sp - 1]
            kind = (st >> 2) & 3
            top = S[it.sp - 2]
            if kind == P_LIST:
                if top == NIL:
                    out(')')
                    it.sp -= 2
                    continue
                if not top & 1 and h.code(top >> 1) != OTHER:
                    out(' ')
                    S[it.sp - 2] = h.cdr(top)
                    v = h.car(top)
                    break
                out(' . ')
                S[it.sp - 1] = P_CLOSE << 2 | 1
                v = top
                break
            if kind == P_CLOSE:
                out(')')
                it.sp -= 2
                continue
            k = st >> 4
            if k >= h.box_size(top):
                out(')')
                it.sp -= 2
                continue
            out(' ')
            S[it.sp - 1] = st + 16
            v = h.W[(top >> 1) + 1 + k]
            break


def print_console(it, v, write):
    # display or write v on the console; it.col0 says whether the output
    # now stands at the start of a line (format's ~& uses it)
    emit(it, v, it.out, write)
    h = it.heap
    it.col0 = not write and (v == CHAR0 + 40 or (
        h.box_type(v) == T_STRING and h.string_len(v) > 0
        and h.string_byte(v, h.string_len(v) - 1) == 10))


def to_text(it, v, write=True):
    parts = []
    emit(it, v, parts.append, write)
    return ''.join(parts)
