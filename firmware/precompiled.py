# library.scm's chunks as a build compiled them (tools/precompile.py): a
# chunk is loaded by rebuilding its compiled forms in the arena and running
# them, with no reading and no compiling on the board. Imported by
# autoload.py only while a chunk loads.
#
#   the file:  [library.scm's size: u32][n: u16] n x [offset: u32][length: u32]
#              a chunk per library name, in ID order (names of one chunk
#              share it; length 0: none, its text is read and compiled)
#   a chunk:   [max gensym number: u16][k: u8] k x [length: u8][name]
#              [forms: u16] forms x [info: u16][code]
#   code:      16-bit items, postorder, each leaving its value on S: an odd
#              item is a word that is its own value; an even one is an
#              operation op (bits 3..1) on n (bits 15..4):
#              SYM n               the chunk's name n, as a symbol
#              LIST n              the n values below as a (compact) list
#              DOT n               ... ending in the value above them
#              BOX n, type         a box of the n raw words that follow
#              VECTOR n            the n values below as a vector
#              END                 the form's code is the one value left
from compat import const
from arena import NIL, SYM0, T_VECTOR

OP_SYM = const(1)
OP_LIST = const(2)
OP_DOT = const(3)
OP_BOX = const(4)
OP_VECTOR = const(5)
OP_END = const(6)
MAGIC = b'\x00mote compiled 1\n'   # a file `mote compile` wrote: then one chunk
R_FORM = const(8)           # Interp.eval's last compiled form (mote.py's _R_FORM)
R_CELL = const(9)           # and its cell (_R_CELL)


def chunk(code, k, size):
    # The compiled chunk of library name number k, or None: code is the
    # frozen bytes, or the path of the file (written for a library.scm of
    # `size` bytes: a library edited since is read and compiled)
    if code is None:
        return None
    if isinstance(code, str):
        try:
            with open(code, 'rb') as f:
                b = f.read(6)
                if len(b) < 6 or u32(b, 0) != size or k >= (b[4] | b[5] << 8):
                    return None
                f.seek(6 + 8 * k)
                b = f.read(8)
                if not u32(b, 4):
                    return None
                f.seek(u32(b, 0))
                return f.read(u32(b, 4))
        except OSError:
            return None
    if k >= (code[4] | code[5] << 8) or not u32(code, 10 + 8 * k):
        return None
    p = u32(code, 6 + 8 * k)
    return memoryview(code)[p:p + u32(code, 10 + 8 * k)]


def u32(b, p):
    return b[p] | b[p + 1] << 8 | b[p + 2] << 16 | b[p + 3] << 24


def run(it, b):
    # Rebuild and run each form of the compiled chunk b. Everything built
    # so far is on S (the collector sees it); the chunk's symbols first.
    h = it.heap
    S = it.S
    base = it.sp
    if it.gensyms < (b[0] | b[1] << 8):
        it.gensyms = b[0] | b[1] << 8       # (a later gensym makes no name it used)
    p = 3
    for j in range(b[2]):
        it.push(it.symbol(b, p + 1, p + 1 + b[p]))
        p += 1 + b[p]
    syms = it.sp
    forms = b[p] | b[p + 1] << 8
    p += 2
    while forms:
        forms -= 1
        info = b[p] | b[p + 1] << 8
        p += 2
        while True:
            n = b[p] | b[p + 1] << 8
            p += 2
            if n & 1:
                it.push(n)
                continue
            op = (n >> 1) & 7
            n >>= 4
            if op == OP_END:
                break
            if op == OP_SYM:
                it.push(S[base + n])
            elif op == OP_LIST or op == OP_DOT:
                op = op == OP_DOT           # (1: the tail is on S too)
                v = h.alloc_list(it.sp - n - op, n, S[it.sp - 1] if op else NIL, S)
                it.sp -= n + op
                it.push(v)
            elif op == OP_VECTOR:
                i = h.alloc_box(T_VECTOR, n, NIL)
                for k in range(n):
                    h.W[i + 1 + k] = S[it.sp - n + k]
                it.sp -= n
                it.push(i << 1)
            else:                           # OP_BOX: its type, then n raw words
                i = h.alloc_box(b[p], n, 0)
                p += 2
                for k in range(n):
                    h.W[i + 1 + k] = b[p] | b[p + 1] << 8
                    p += 2
                it.push(i << 1)
        cell = h.cons(S[it.sp - 1], NIL)
        # Interp.eval runs a form compiled before: this one
        h.R[R_FORM] = h.R[R_CELL] = cell
        it.last_info = info
        it.sp = syms
        it.eval(cell, True)
    it.sp = base
