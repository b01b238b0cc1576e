# Images: (save-image ['name]) writes the session (arena, symbol table,
# globals) to the board's filesystem, (load-image) reads it back, and boot()
# (main.py) starts a board's session: image, autorun, safe mode.
#
# File (little-endian header, then the arrays as they are in memory):
#   0 magic 'MOTE'   4 version   6 header bytes   8 firmware checksum
#  12 board name (16 bytes, NUL padded)   28 arena words   32 stack words
#  36 symbol store bytes   40 arena words saved (h)   44 name bytes saved (t)
#  48 globals   50 autorun symbol ID (0xFFFF: none)   52 gensym counter
#  56 CRC32 of bytes 0..55   60 CRC32 of bytes 0..59 and all the sections
#  sections: W[0:h], C[0:(h+3)>>2], G, symbol starts, lengths, names[0:t]
# The free words at the end of the arena are not saved. A save writes
# PATH.tmp, keeps the old image as PATH.bak and renames: a cut anywhere
# leaves a good image under one of the names, and load falls back to
# PATH.bak when PATH is missing or bad. A load checks the whole file before
# it changes anything; a session is only ever replaced by a whole image.
import os
import sys
from struct import pack_into, unpack_from
from binascii import crc32
from arena import (LispError, NIL, UNBOUND, ESCAPE, SYM0, CHAR0, PRIM0, OTHER,
                   T_FREE, T_CLOSURE, MAXSIZE, NOLINK)
from symbols import NUSER
from compiler import NKW
from builtin_table import base_of

BASE = base_of('image')
FMT = '<4sHHI16sIIIIIHHIII'
HSIZE = 64
VERSION = 1               # bump when a word's meaning changes (WORDS.md)
NONE = 0xFFFF
CHUNK = 256


def err(who, what):
    return LispError(who + ': ' + what)


def path_of(it):
    return it.board.get('image') or 'mote.img'


def exists(p):
    try:
        os.stat(p)
        return True
    except OSError:
        return False


def names_crc(sy, c):
    # crc32 of the built-in names (a blob, or the names file), from c on
    if sy.file is None:
        return crc32(sy.blob, c)
    pos = sy.base
    while pos < sy.ipos:
        n = min(sy.ipos - pos, len(sy.nbuf))
        c = crc32(memoryview(sy.read_at(pos))[:n], c)
        pos += n
    return c


def fw_sum(it, buf):
    # What fixes the meaning of words: the format, byte order, the symbol
    # blob (keywords, builtin and library names: their IDs and primitive
    # numbers), the builtins' arities and library.scm itself (kept on the
    # interpreter: the firmware its session was started with).
    c = getattr(it, 'image_sum', None)
    if c is not None:
        return c
    c = crc32(b'mote-image 1 ' + sys.byteorder.encode())
    c = crc32(it.arity, names_crc(it.symbols, c))
    if it.library and not isinstance(it.library, str):
        c = crc32(it.library, c)            # frozen into the firmware (motedata)
    elif it.library:
        with open(it.library, 'rb') as f:
            while True:
                n = f.readinto(buf)
                if not n:
                    break
                c = crc32(memoryview(buf)[0:n], c)
    it.image_sum = c
    return c


def sections(it, h, t):
    hp = it.heap
    sy = it.symbols
    return (memoryview(hp.W)[0:h], memoryview(hp.C)[0:(h + 3) >> 2], memoryview(it.G),
            memoryview(sy.ustart), memoryview(sy.ulen), memoryview(sy.names)[0:t])


def used_words(hp):
    # Arena words up to the end of the last object: the free runs that end
    # the arena (contiguous runs of the address-ordered free list, maybe
    # followed by a run of one or two words) are left out.
    W = hp.W
    r = hp.free
    s = e = -1
    while r != NOLINK:
        if r != e:
            s = r
        e = r + (W[r] & MAXSIZE) + 1
        r = W[r + 1]
    if 0 <= e < hp.n and hp.code(e) == OTHER and W[e] >> 11 == T_FREE:
        e += (W[e] & MAXSIZE) + 1
    return s if e == hp.n else hp.n


def header(it, auto, h, t, buf):
    hp = it.heap
    hd = bytearray(HSIZE)
    pack_into(FMT, hd, 0, b'MOTE', VERSION, HSIZE, fw_sum(it, buf),
              it.board.get('name', '?').encode(), hp.n, len(it.S), len(it.symbols.names),
              h, t, len(it.G), auto, it.gensyms, 0, 0)
    pack_into('<I', hd, 56, crc32(memoryview(hd)[0:56]))
    return hd


def save(it, auto=NONE):
    # Write the session to the profile's image path; returns the bytes written.
    it.collector.collect()
    hp = it.heap
    path = path_of(it)
    tmp = path + '.tmp'
    bak = path + '.bak'
    h = used_words(hp)
    t = it.symbols.top
    hd = header(it, auto, h, t, bytearray(CHUNK))
    G = it.G
    # the running form's let-syntax macros: saved as they were before it
    # (temp_macros: pairs of a symbol and its value before, oldest first)
    tm = it.temp_macros
    ks = range(len(tm) - 2, -1, -2)
    keep = [G[(tm[k] - SYM0) >> 2] for k in ks]
    try:
        for k in ks:
            G[(tm[k] - SYM0) >> 2] = tm[k + 1]
        secs = sections(it, h, t)
        c = crc32(memoryview(hd)[0:60])
        for m in secs:
            c = crc32(m, c)
        pack_into('<I', hd, 60, c)
        if exists(path) and exists(bak):
            os.remove(bak)          # the current image is good: one spare is enough
        n = 0
        try:
            f = open(tmp, 'wb')
            try:
                n = f.write(hd)
                for m in secs:
                    n += f.write(m)
                f.flush()
            finally:
                f.close()
            if exists(path):
                rename(path, bak)
            rename(tmp, path)
        except OSError as e:
            try:
                os.remove(tmp)
            except OSError:
                pass
            raise err('save-image', 'cannot write ' + path + ': ' + str(e))
    finally:
        for k in range(len(keep)):
            G[(tm[ks[k]] - SYM0) >> 2] = keep[k]
    return n


def rename(a, b):
    # os.rename for two names in one directory, made from names relative to
    # it: MicroPython's VfsPosix mounted at / (a virtual board) passes the
    # second absolute path as both arguments (v1.28), relative ones work.
    d = a[:a.rfind('/') + 1]
    if not d:
        os.rename(a, b)
        return
    cwd = os.getcwd()
    os.chdir(d)
    try:
        os.rename(a[len(d):], b[len(d):])
    finally:
        os.chdir(cwd)


def check(it, path):
    # Validate the image at path (header, identity, length, CRC) without
    # changing anything; returns (h, t, autorun, gensyms).
    hd = bytearray(HSIZE)
    try:
        f = open(path, 'rb')
    except OSError:
        raise err('load-image', 'no image at ' + path)
    try:
        n = f.readinto(hd)
        if not n:
            raise err('load-image', 'image is empty')
        if n < HSIZE:
            raise err('load-image', 'image is truncated')
        mg, v, hs, fw, bd, an, sn, yn, h, t, ng, auto, gs, hc, crc = unpack_from(FMT, hd, 0)
        if mg != b'MOTE':
            raise err('load-image', path + ' is not a Mote image')
        if v != VERSION or hs != HSIZE:
            raise err('load-image', 'image format %d, this firmware reads %d' % (v, VERSION))
        if crc32(memoryview(hd)[0:56]) != hc:
            raise err('load-image', 'image is corrupt (CRC mismatch)')
        buf = bytearray(CHUNK)
        if fw != fw_sum(it, buf):
            raise err('load-image', 'image is from other firmware (builtins or library differ)')
        bd = bd.rstrip(b'\0').decode()
        me = it.board.get('name', '?')
        if bd != me.encode()[0:16].decode():
            raise err('load-image', 'image is for board ' + bd + ', this is ' + me)
        hp = it.heap
        if an != hp.n or yn != len(it.symbols.names):
            raise err('load-image', 'image is for other sizes (arena %d words, symbols %d bytes),'
                      ' this is %d, %d' % (an, yn, hp.n, len(it.symbols.names)))
        if h > an or t > yn or ng != len(it.G) or (auto != NONE and auto >= ng):
            raise err('load-image', 'image is corrupt (bad lengths)')
        left = 2 * h + ((h + 3) >> 2) + 2 * ng + 3 * len(it.symbols.ulen) + t
        c = crc32(memoryview(hd)[0:60])
        while left:
            n = f.readinto(buf if left >= CHUNK else memoryview(buf)[0:left])
            if not n:
                raise err('load-image', 'image is truncated')
            c = crc32(buf if n == CHUNK else memoryview(buf)[0:n], c)
            left -= n
        if c != crc or f.readinto(buf):
            raise err('load-image', 'image is corrupt (CRC mismatch)')
    finally:
        f.close()
    return h, t, auto, gs


def find(it):
    # (path, check result) of the image to load: PATH, or PATH.bak when
    # PATH is missing (a save was cut before its last rename) or bad.
    path = path_of(it)
    try:
        return path, check(it, path)
    except LispError as e:
        bak = path + '.bak'
        try:
            r = check(it, bak)
        except LispError:
            raise e
        it.out('load-image: ' + (str(e)[12:] if exists(path) else path + ' is missing')
               + '; loading the backup ' + bak + '\n')
        return bak, r


def load(it, found=None):
    # Replace the session by the image (find's, or found); returns its
    # autorun symbol's word or None. Nothing changes if it is refused.
    path, r = found or find(it)
    h, t, auto, gs = r
    st = getattr(it, 'hw_state', None)
    if st:
        import hardware         # timers and pin handlers are the old session's
        for k in range(hardware.NSLOTS):
            hardware.stop(it, st, k)
        it.hw_state = None
    try:
        from micropython import kbd_intr
    except ImportError:
        kbd_intr = None
    if kbd_intr:
        kbd_intr(-1)            # Ctrl-C would leave half a session
    hp = it.heap
    sy = it.symbols
    try:
        n = 0
        f = open(path, 'rb')
        try:
            f.seek(HSIZE)
            for m in sections(it, h, t):
                n += f.readinto(m)
        finally:
            f.close()
        if n != 2 * h + ((h + 3) >> 2) + 2 * len(it.G) + 3 * len(sy.ulen) + t:
            raise OSError('short read')     # the file changed since check
        C = hp.C
        for k in range((h + 3) >> 2, len(C)):
            C[k] = 0xFF
        settle(it, h)
        if getattr(it, 'py_handles', None) is not None:
            import interop          # Python objects are the old session's
            interop.forget(it, h)
        sy.top = t
        sy.used = 0
        for k in range(len(sy.ulen)):
            if sy.ulen[k]:
                sy.used += 1
        sy.rebuild()
        it.gensyms = gs
        it.collector.collect()      # free lists; drops what only the stack held
    except BaseException as e:
        clean(it)                   # never half a session
        if isinstance(e, OSError):
            raise err('load-image', 'cannot read ' + path + ' (starting clean)')
        raise
    finally:
        if kbd_intr:
            kbd_intr(3)
    return None if auto == NONE else SYM0 + (auto << 2)


def settle(it, h):
    # Words h.. are free; registers, stack and compiled-form cache are the
    # old session's and go.
    hp = it.heap
    hp.free = hp.free2 = hp.last = NOLINK
    hp.add_free(h, hp.n)
    R = hp.R
    for k in range(len(R)):
        R[k] = NIL
    while it.temp_macros:
        it.temp_macros.pop()
    it.sp = it.fp = 0
    it.env = NIL


def clean(it):
    # A fresh session (after a read error halfway through a load).
    C = it.heap.C
    for k in range(len(C)):
        C[k] = 0xFF
    settle(it, 0)
    G = it.G
    for k in range(len(G)):
        G[k] = UNBOUND
    for k in range(it.lib_first - NUSER - NKW):
        G[NUSER + NKW + k] = PRIM0 + (k << 2)
    sy = it.symbols
    for k in range(len(sy.ulen)):
        sy.ulen[k] = 0
    sy.top = sy.used = it.gensyms = 0
    sy.rebuild()
    it.collector.collect()


# -- builtins -----------------------------------------------------------------------
def p_save_image(it, a, n, op):
    # (save-image ['proc]): bytes written; proc is run at boot
    auto = NONE
    s = it.S[a] if n else NIL
    if n and s != 11:           # #f: no autorun
        if s & 3 != 3 or not SYM0 <= s < CHAR0:
            raise err('save-image', 'not a symbol: ' + it.show(s))
        i = (s - SYM0) >> 2
        v = it.G[i]
        if not (v & 3 == 3 and PRIM0 <= v < 0x2003) and it.heap.box_type(v) != T_CLOSURE:
            raise err('save-image', it.symbols.name(i) + ' is not a procedure')
        auto = i
    return it.heap.make_int(save(it, auto))


def p_load_image(it, a, n, op):
    # (load-image): the session becomes the image's; the form that called
    # it ends here (its stack belonged to the old session) with the value
    # the autorun symbol, or #t
    if it.depth != 1 or it.floor:
        raise err('load-image', 'only at top level, not from a macro or library load')
    s = load(it)
    it.S[0] = 1                 # K_TOP: the evaluator returns from here
    it.sp = 1
    it.heap.R[5] = 7 if s is None else s
    return ESCAPE


FUNCS = (p_save_image, p_load_image)


# -- boot (main.py) -------------------------------------------------------------------
def pause(ms):
    import time
    if hasattr(time, 'sleep_ms'):
        time.sleep_ms(ms)
    else:
        time.sleep(ms / 1000)


def pin_low(it):
    p = it.board.get('safe_pin')
    try:
        import machine
        Pin = machine.Pin
    except (ImportError, AttributeError):
        return False
    return p is not None and Pin(p, Pin.IN, Pin.PULL_UP).value() == 0


def boot(board=None, it=None, **opts):
    # The board's session (main.py, through repl.boot when there is an
    # image): Mote with the board's profile (repl.board_interp), unless `it`
    # is given. Loads the image and runs its autorun procedure, unless safe
    # mode: Ctrl-C in the first second or the profile's safe_pin held low.
    # Returns the Interp for the REPL, or None after (exit).
    if it is None:
        from repl import board_interp
        it = board_interp(board, **opts)
    out = sys.stdout.write
    safe = r = s = None
    try:
        r = find(it)
        if r[1][2] != NONE:
            if pin_low(it):
                safe = 'safe_pin %d is low' % it.board['safe_pin']
            else:
                out('Mote: autorun in 1 s (Ctrl-C: safe mode)\n')
                pause(1000)
    except LispError as e:
        if exists(path_of(it)) or exists(path_of(it) + '.bak'):
            out('Mote: ' + str(e) + '; starting clean\n')
    except KeyboardInterrupt:
        safe = 'Ctrl-C'
    if r:
        try:
            s = load(it, r)
        except LispError as e:
            out('Mote: ' + str(e) + '\n')
    if s is not None:
        nm = it.symbols.name((s - SYM0) >> 2)
        if safe:
            out('Mote: safe mode (' + safe + '): autorun ' + nm + ' skipped\n')
        else:
            try:
                it.eval(it.heap.cons(s, NIL))
            except LispError as e:
                out('Error in autorun ' + nm + ': ' + str(e) + '\n')
                it.recover()
            except KeyboardInterrupt:
                out('\nInterrupted\n')
                it.recover()
            except SystemExit:
                return None
    elif safe and not r:
        out('Mote: safe mode (Ctrl-C): image not loaded\n')
    return it
