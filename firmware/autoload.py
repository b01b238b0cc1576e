# library.scm's chunks, found by name and loaded on first use. Imported by
# Interp.autoload only while a load runs (its bytecode is RAM on a board
# only meanwhile), and by builtin_names on the host. The library is a
# sequence of chunks, each under a header line `;;; name name ...` of the
# names it defines.
from arena import LispError, EOF, SYM0, UNBOUND
from reader import read
from compiler import NeedChunk

CHUNK = 1024                # bytes of library.scm read at a time


def windows(lib, f):
    # The library as windows of whole lines, (buffer, end, offset of
    # buffer[0]): the frozen bytes in one, or the open file f a CHUNK at a
    # time through one buffer (the cut last line carried to the next).
    if f is None:
        yield lib, len(lib), 0
        return
    buf = bytearray(CHUNK)
    m = memoryview(buf)
    keep = 0
    base = 0
    while True:
        end = keep + f.readinto(m[keep:])
        if end == keep:
            if keep:
                yield buf, keep, base
            return
        cut = buf.rfind(b'\n', 0, end) + 1
        if not cut:
            cut = end                   # a line longer than CHUNK: split
        yield buf, cut, base
        keep = end - cut
        m[0:keep] = m[cut:end]
        base += cut


def line_at(buf, key, a, end):
    # Start of the first line in buf[a:end] that starts with key, or -1;
    # buf[a] starts a line or follows a newline.
    while True:
        p = buf.find(key, a, end)
        if p <= 0 or buf[p - 1] == 10:
            return p
        a = p + 1


def line_end(buf, p, end):
    e = buf.find(b'\n', p, end)
    return end if e < 0 else e


def chunk_span(lib, name):
    # (start of its header line, end) of the chunk of the library lib
    # (bytes or path) that defines `name`, or None.
    key = name.encode()
    start = end = -1
    f = open(lib, 'rb') if isinstance(lib, str) else None
    try:
        for buf, e, base in windows(lib, f):
            p = 0
            while end < 0:
                p = line_at(buf, b';;; ', p, e)
                if p < 0:
                    break
                q = line_end(buf, p, e)
                if start >= 0:
                    end = base + p
                elif key in bytes(buf[p + 4:q]).split():
                    start = base + p
                p = q
            if end >= 0:
                break
        if start < 0:
            return None
        return start, end if end >= 0 else base + e
    finally:
        if f:
            f.close()


def library_chunk(lib, name, k=-1):
    # Source of the chunk of the library lib (bytes or path) that defines
    # `name` (library name number k), from its header line on, or None: a
    # view of the frozen bytes, or read in one piece (gathering its lines
    # would take three times its size of a board's heap for a moment).
    # Where the library is a file, a build's chunks.bin beside it says where
    # each name's chunk is, as (header line, end) 16-bit pairs: no scan of
    # the library through a buffer. A header that does not name `name`
    # (library.scm changed since the build) sends it to the scan.
    if not lib:
        return None
    if isinstance(lib, str):
        if k >= 0:
            try:
                with open(lib[:lib.rfind('/') + 1] + 'chunks.bin', 'rb') as f:
                    f.seek(4 * k)
                    b = f.read(4)
                src = read_span(lib, b[0] | b[1] << 8, b[2] | b[3] << 8)
                if src.startswith(b';;; ') and name.encode() in src[4:src.find(b'\n')].split():
                    return src
            except (OSError, IndexError):
                pass
        span = chunk_span(lib, name)
        return None if span is None else read_span(lib, span[0], span[1])
    span = chunk_span(lib, name)
    return None if span is None else memoryview(lib)[span[0]:span[1]]


def read_span(path, start, end):
    with open(path, 'rb') as f:
        f.seek(start)
        return f.read(end - start)


def chunk_of(it, sym):
    # Text of the library chunk that defines sym, or None.
    i = (sym - SYM0) >> 2
    if i < it.lib_first:
        return None
    return library_chunk(it.library, it.symbols.name(i), i - it.lib_first)


def compiled(it, i):
    # Library name i's chunk as the build compiled it (precompiled.py), or
    # None: frozen into the firmware beside the library's text, or
    # library.bin beside library.scm.
    if i < it.lib_first or not it.library:
        return None
    if isinstance(it.library, str):
        import os
        code = it.library[:-3] + 'bin'
        try:
            size = os.stat(it.library)[6]
            os.stat(code)           # (no build's file: the text, importing nothing)
        except OSError:
            return None
    else:
        try:
            code = getattr(__import__('motedata'), 'LIBRARY_CODE', None)   # (a build's module)
        except ImportError:
            return None
        size = 0
        if code is None:
            return None
    import precompiled
    return precompiled.chunk(code, i - it.lib_first, size)


def load(it, sym):
    # Load the chunk that defines the library name sym (a nested
    # evaluation: the caller's registers are kept on the stack meanwhile)
    # and return its value: compiled by the build, else read and compiled
    # here. A chunk whose forms use macros of chunks not yet loaded waits
    # for them on a worklist, so nesting does not grow with the chain.
    import sys
    i = (sym - SYM0) >> 2
    code = compiled(it, i)
    src = chunk_of(it, sym) if code is None else None
    if src is None and code is None:        # (a board without library.scm)
        raise LispError('unbound variable: ' + it.symbols.name(i))
    base = it.sp
    floor = it.enter()
    loading = it.loading
    low = len(loading)
    loading.append(sym)
    work = [src, 0] if code is None else []   # per chunk: its text, where to read next
    try:
        if code is not None:
            sys.modules['precompiled'].run(it, code)
        while work:
            src = work[-2]
            pos = work[-1]
            form = read(it, src, pos)
            if form == EOF:
                work.pop()
                work.pop()
                loading.pop()
                continue
            work[-1] = it.rpos
            it.heap.R[3] = form
            try:
                it.eval(form, True)
            except NeedChunk as e:
                # read this form again once that chunk is in
                need = e.args[0]
                src = chunk_of(it, need)
                if src is None:
                    raise LispError('library.scm: no chunk defines '
                                    + it.symbols.name((need - SYM0) >> 2))
                work[-1] = pos
                work.append(src)
                work.append(0)
                loading.append(need)
    finally:
        del loading[low:]
        it.leave(base, floor)
        sys.modules.pop('precompiled', None)
    v = it.G[i]
    if v == UNBOUND:
        raise LispError('library.scm: its chunk does not define ' + it.symbols.name(i))
    return v
