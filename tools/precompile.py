"""library.scm compiled at build time (firmware/precompiled.py loads it).

CPython runs Mote over firmware/ and loads every library chunk the way a
board would (autoload.py), keeping what the compiler made of each top-level
form before it runs: its info word and its code, written as the postorder
operations precompiled.py replays. A chunk whose code holds something that
cannot be written so (a closure, a record) is left out: the board reads
and compiles its text as before.

    python tools/precompile.py OUT        the library (library_blob(), for a build)
    python tools/precompile.py OUT FILE   a program (file_blob(), `mote compile`)
"""
import struct
import sys
from pathlib import Path

FIRMWARE = Path(__file__).resolve().parent.parent / "firmware"

OP_SYM, OP_LIST, OP_DOT, OP_BOX, OP_VECTOR, OP_END = range(1, 7)
RAW_BOXES = (1, 2, 6, 7, 9)     # string, integer, float, bytevector, char: raw words
T_VECTOR = 3
MAX_LIST = 1000                 # elements of one list (a board makes it in one run)
MAX_N = 4095                    # an operation's n (12 bits)
MAX_NODES = 20000               # per form: more is taken for a cycle


class Unwritable(Exception):
    pass


def item(op, n):
    """An operation as a 16-bit item (see firmware/precompiled.py)."""
    if n > MAX_N:
        raise Unwritable("an operation on %d" % n)
    return struct.pack("<H", (n << 4) | (op << 1))


def encode_form(it, code, names, out):
    """Append the postorder items that rebuild `code` to out; names: the
    chunk's symbol names so far (a list, extended)."""
    from arena import SYM0, CHAR0, NIL
    h = it.heap
    W = h.W
    work = [(False, code)]
    nodes = 0
    while work:
        is_op, x = work.pop()
        if is_op:
            out += x
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise Unwritable("too big, or circular")
        w = x
        if w & 1:
            if w & 3 == 3 and SYM0 <= w < CHAR0:
                name = it.symbols.name((w - SYM0) >> 2).encode()
                if name not in names:
                    if len(names) == 255 or len(name) > 255:
                        raise Unwritable("symbols")
                    names.append(name)
                out += item(OP_SYM, names.index(name))
            else:
                out += struct.pack("<H", w)
            continue
        i = w >> 1
        if h.code(i) == 3:
            typ = (W[i] >> 11) & 15
            size = W[i] & 2047
            if typ in RAW_BOXES:
                out += item(OP_BOX, size) + struct.pack("<H", typ)
                out += struct.pack("<%dH" % size, *[W[i + 1 + k] for k in range(size)])
            elif typ == T_VECTOR:
                work.append((True, item(OP_VECTOR, size)))
                for k in range(size - 1, -1, -1):
                    work.append((False, W[i + 1 + k]))
            else:
                raise Unwritable("a box of type %d" % typ)
            continue
        items = []
        while not w & 1 and h.code(w >> 1) != 3:
            items.append(h.car(w))
            w = h.cdr(w)
            if len(items) > MAX_LIST:
                raise Unwritable("a long list")
        if w == NIL:
            work.append((True, item(OP_LIST, len(items))))
        else:
            work.append((True, item(OP_DOT, len(items))))
            work.append((False, w))
        for x in reversed(items):
            work.append((False, x))
    out += item(OP_END, 0)


def chunk_bytes(it, names, forms):
    """A chunk: [max gensym number][names][forms]"""
    b = bytearray(struct.pack("<HB", min(it.gensyms, 65535), len(names)))
    for n in names:
        b += bytes((len(n),)) + n
    return bytes(b + struct.pack("<H", len(forms)) + b"".join(forms))


def compiling_interp():
    sys.path.insert(0, str(FIRMWARE))
    from mote import Interp
    it = Interp(arena_words=32768, stack_words=16384, symbol_bytes=16384)
    it.board["tier_procedures"] = 0
    return it


SYNTAX = (b"define-syntax", b"define-macro")


def file_blob(path):
    """A Mote source file compiled (bytes: precompiled.MAGIC, then a chunk
    of its forms), which (load "...") on a board runs with no reading or
    compiling. Forms are compiled here, not run, but for the macros they
    define, which the forms after them need (a program's side effects,
    output and endless loops stay the board's)."""
    it = compiling_interp()
    from reader import read
    from compiler import NeedChunk
    from arena import EOF, NIL, SYM0
    from precompiled import MAGIC
    src = Path(path).read_bytes()
    h = it.heap
    syntax_words = [it.symbol(w, 0, len(w)) for w in SYNTAX]
    names, forms = [], []
    pos = 0
    while True:
        form = read(it, src, pos)
        if form == EOF:
            break
        end = it.rpos
        syntax = not form & 1 and h.code(form >> 1) != 3 and h.W[form >> 1] in syntax_words
        while True:
            it.heap.R[3] = form
            cell = it.heap.cons(form, NIL)
            it.push(cell)
            try:
                info = it.compile(cell, True)
                break
            except NeedChunk as e:
                it.sp -= 1
                it.autoload(e.args[0])
                form = read(it, src, pos)
        # (what Interp.eval does after a top-level form: the macros a
        # body or let-syntax defined for it are put back)
        tm = it.temp_macros
        while tm:
            v = tm.pop()
            it.G[(tm.pop() - SYM0) >> 2] = v
        out = bytearray(struct.pack("<H", info))
        encode_form(it, it.heap.W[cell >> 1], names, out)
        forms.append(bytes(out))
        if syntax:
            it.heap.R[8] = it.heap.R[9] = cell     # (Interp.eval: run it as compiled)
            it.last_info = info
            it.eval(cell, True)
        it.sp -= 1
        pos = end
    return MAGIC + chunk_bytes(it, names, forms)


def library_blob():
    """The compiled library (bytes): see firmware/precompiled.py."""
    import os
    it = compiling_interp()
    import autoload
    from arena import SYM0, UNBOUND
    lib = it.library
    first = it.lib_first
    count = len(it.lib_macros)
    chunks = {}         # a chunk's start in the library -> [forms, names, writable]
    where = [autoload.chunk_span(lib, it.symbols.name(first + k)) for k in range(count)]
    where = [w[0] if w else -1 for w in where]
    compile_form = it.compile

    def capture(cell, retry=False):
        # (a form autoload.load reads, not one a macro compiles meanwhile)
        top = retry and it.loading and it.heap.W[cell >> 1] == it.heap.R[3]
        info = compile_form(cell, retry)
        if top:
            c = chunks.setdefault(where[((it.loading[-1] - SYM0) >> 2) - first], [[], [], True])
            if c[2]:
                out = bytearray(struct.pack("<H", info))
                try:
                    encode_form(it, it.heap.W[cell >> 1], c[1], out)
                    c[0].append(bytes(out))
                except Unwritable:
                    c[2] = False
        return info
    it.compile = capture
    for k in range(count):
        if it.G[first + k] == UNBOUND:
            it.autoload(SYM0 + ((first + k) << 2))
    blobs = {}
    for start, (forms, names, ok) in chunks.items():
        if ok:
            blobs[start] = chunk_bytes(it, names, forms)
    # [library.scm's size][n] n x [offset][length], then the chunks
    size = os.stat(lib).st_size if isinstance(lib, str) else len(lib)
    head = bytearray(struct.pack("<IH", size, count))
    body = bytearray()
    placed = {}
    for k in range(count):
        b = blobs.get(where[k])
        if b is None:
            head += struct.pack("<II", 0, 0)
            continue
        if where[k] not in placed:
            placed[where[k]] = len(body)
            body += b
        head += struct.pack("<II", 6 + 8 * count + placed[where[k]], len(b))
    return bytes(head + body)


if __name__ == "__main__":
    data = file_blob(sys.argv[2]) if len(sys.argv) > 2 else library_blob()
    Path(sys.argv[1]).write_bytes(data)
    print("%s: %d bytes" % (sys.argv[1], len(data)))
