# Symbol table: u8 IDs for the program's symbols (as many as the board's
# store can name: see __init__), names in one byte store,
# and built-in names (IDs 256..) in a table of their own, like uLisp's flash
# table, so that all 256 program IDs stay free. Two open-addressed hash
# indexes: the built-in names' (made once, by a build: bytes in flash, or
# in the names file) and the program's (RAM, rebuilt when names are
# reclaimed). Looking a name up allocates nothing. The built-in names are
# bytes (in flash when frozen or in ROMFS) or, for a board with .mpy files,
# a file read a name at a time: 6 KB of a small heap kept free for the
# price of a few small reads per built-in name the reader meets.
from array import array
from struct import unpack
from compat import const
from arena import LispError, words, decode

NUSER = const(256)
EMPTY = const(0xFFFF)
NAME_MAX = const(64)        # bytes of the longest built-in name (a build checks)


def unpack_words(b):
    # array('H') of the little-endian 16-bit words in bytes b (C does it).
    return array('H', unpack('<%dH' % (len(b) >> 1), b))


def _hash(buf, start, end):
    h = 5381
    for k in range(start, end):
        h = ((h * 33) ^ buf[k]) & 0xFFFF
    return h


def _same(a, i, b, j, n):
    # a[i:i+n] == b[j:j+n], without slicing (no copy).
    k = 0
    while k < n and a[i + k] == b[j + k]:
        k += 1
    return k == n


def index_size(n):
    # Slots of an open-addressed index for n names: at most 4/5 full.
    size = 64
    while 4 * size < 5 * n:
        size <<= 1
    return size


class Symbols:
    def __init__(self, builtin_blob, store_bytes, tables=None):
        # builtin_blob: bytes of names separated by single spaces. The names
        # are found by C (find), not byte by byte. tables: the name offsets
        # and the built-in index (bytes of boff and bindex), made at build time
        # (they take a Pico a tenth of a second to compute). builtin_blob
        # may instead be the path of a file of [n][the n + 1 offsets][the
        # names][the built-in index] (16-bit words, little-endian; see
        # tools/mote_cli.names_module): then the file is read into
        # self.nbuf a name, two offsets or an index slot at a time.
        self.blob = self.file = self.boff = self.bindex = None
        if builtin_blob.__class__ is str:
            self.file = open(builtin_blob, 'rb')
            self.nbuf = bytearray(NAME_MAX)
            nb = self.read_at(0)
            n = self.nbuiltin = nb[0] | nb[1] << 8
            self.base = 4 + 2 * n           # where the names start
            nb = self.read_at(2 + 2 * n)
            self.ipos = self.base + (nb[0] | nb[1] << 8) - 1    # and end
        elif tables:
            self.blob = builtin_blob
            self.boff = boff = unpack_words(tables[0])
            self.bindex = tables[1]         # (bytes: in flash on a board)
            n = self.nbuiltin = len(boff) - 1
        else:
            self.blob = builtin_blob
            n = 1
            i = builtin_blob.find(b' ')
            while i >= 0:
                n += 1
                i = builtin_blob.find(b' ', i + 1)
            self.nbuiltin = n
            self.boff = boff = words(n + 1)
            for k in range(1, n):
                i = builtin_blob.find(b' ', i + 1)
                boff[k] = i + 1
            boff[n] = len(builtin_blob) + 1
        self.bmask = index_size(n) - 1
        if self.bindex is None and self.file is None:
            self.bindex = bytearray(b'\xff' * (2 * self.bmask + 2))
            self.index_builtins()
        self.names = bytearray(store_bytes)
        # program IDs 0..cap-1: as many as names of 5 to 6 bytes fill the
        # store (at most NUSER), so a small board's tables are small too
        cap = min(NUSER, max(64, (store_bytes * 3) >> 4))
        self.ustart = words(cap)
        self.ulen = bytearray(cap)
        self.top = 0            # first free byte in self.names
        self.used = 0
        self.hmask = index_size(cap) - 1
        self.index = words(self.hmask + 1, EMPTY)

    # -- names -----------------------------------------------------------------
    def _span(self, i):
        # (buffer, start, end) of a symbol's name, without copying.
        if i < NUSER:
            s = self.ustart[i]
            return self.names, s, s + self.ulen[i]
        i -= NUSER
        if self.file is not None:
            nb = self.read_at(2 + 2 * i)
            s = nb[0] | nb[1] << 8
            n = (nb[2] | nb[3] << 8) - 1 - s
            return self.read_at(self.base + s), 0, n
        return self.blob, self.boff[i], self.boff[i + 1] - 1

    def read_at(self, pos):
        # self.nbuf holding the built-in names file from pos on.
        self.file.seek(pos)
        self.file.readinto(self.nbuf)
        return self.nbuf

    def name(self, i):
        buf, s, e = self._span(i)
        return decode(bytes(buf[s:e]))

    # -- interning ----------------------------------------------------------------
    def _builtin(self, buf, start, end):
        # Number of the built-in name buf[start:end], or -1.
        m = self.bmask
        h = _hash(buf, start, end) & m
        n = end - start
        while True:
            if self.file is None:
                i = self.bindex[2 * h] | self.bindex[2 * h + 1] << 8
                if i == EMPTY:
                    return -1
                nb = self.blob
                s = self.boff[i]
                ln = self.boff[i + 1] - 1 - s
            else:
                nb = self.read_at(self.ipos + 2 * h)
                i = nb[0] | nb[1] << 8
                if i == EMPTY:
                    return -1
                nb = self.read_at(2 + 2 * i)
                s = nb[0] | nb[1] << 8
                ln = (nb[2] | nb[3] << 8) - 1 - s
                if ln == n:             # (the name only when it may match)
                    nb = self.read_at(self.base + s)
                    s = 0
            if ln == n and _same(nb, s, buf, start, n):
                return i
            h = (h + 1) & m

    def _find(self, buf, start, end):
        # Slot of the program's index holding this name, or the empty slot
        # where it would go.
        idx = self.index
        m = self.hmask
        h = _hash(buf, start, end) & m
        n = end - start
        nb = self.names
        while True:
            i = idx[h]
            if i == EMPTY:
                return h
            if self.ulen[i] == n and _same(nb, self.ustart[i], buf, start, n):
                return h
            h = (h + 1) & m

    def intern(self, buf, start, end):
        n = end - start
        if n == 0:
            raise LispError('symbol: empty name')
        if n > 255:
            raise LispError('symbol: name longer than 255 bytes')
        # the program's names first: RAM only, where the built-in index
        # may be a file (no name is in both: a built-in one is never added)
        h = self._find(buf, start, end)
        i = self.index[h]
        if i != EMPTY:
            return i
        i = self._builtin(buf, start, end)
        if i >= 0:
            return NUSER + i
        if self.used >= len(self.ulen):
            self.on_full()
            if self.used >= len(self.ulen):
                raise LispError('symbol table full: %d symbols in use' % self.used)
            h = self._find(buf, start, end)
        if self.top + n > len(self.names):
            self.on_full()
            self.compact()
            if self.top + n > len(self.names):
                raise LispError('symbol store full: no room for a %d-byte name' % n)
            h = self._find(buf, start, end)
        i = 0
        while self.ulen[i]:
            i += 1
        t = self.top
        nb = self.names
        for k in range(n):
            nb[t + k] = buf[start + k]
        self.ustart[i] = t
        self.ulen[i] = n
        self.top = t + n
        self.used += 1
        self.index[h] = i
        return i

    def on_full(self):
        # Replaced by the interpreter: a collection that reclaims symbols.
        pass

    # -- reclaiming (called by the collector) ---------------------------------------
    def reclaim(self, marks):
        # Free every program symbol whose bit in `marks` (a 32-byte bitmap the
        # collector filled) is clear and rebuild the index. Their bytes are
        # reused when the store fills up (compact), not now: moving names is
        # the one step a Ctrl-C could spoil, so it is done only when needed.
        freed = 0
        for i in range(len(self.ulen)):
            if self.ulen[i] and not (marks[i >> 3] >> (i & 7)) & 1:
                self.ulen[i] = 0
                self.used -= 1
                freed += 1
        if freed:
            self.rebuild()
        return freed

    def compact(self):
        # Slide live names down in address order (no Python list: repeatedly
        # pick the lowest name not yet moved).
        nb = self.names
        t = 0
        lo = -1
        while True:
            best = -1
            for i in range(len(self.ulen)):
                if self.ulen[i] and self.ustart[i] > lo and (best < 0 or self.ustart[i] < self.ustart[best]):
                    best = i
            if best < 0:
                break
            s = self.ustart[best]
            lo = s
            n = self.ulen[best]
            if s != t:
                for k in range(n):
                    nb[t + k] = nb[s + k]
                self.ustart[best] = t
                lo = t
            t += n
        self.top = t
        self.rebuild()

    def rebuild(self):
        # The program's index made again from the live names.
        idx = self.index
        for h in range(len(idx)):       # no allocation: runs in a collection
            idx[h] = EMPTY
        self.index_users()

    def index_builtins(self):
        # Every built-in name into the empty built-in index. The names are
        # distinct, so each goes to the first empty slot from its hash,
        # with no comparing.
        idx = self.bindex
        m = self.bmask
        boff = self.boff
        for i in range(self.nbuiltin):
            h = _hash(self.blob, boff[i], boff[i + 1] - 1) & m
            while idx[2 * h] != 0xFF or idx[2 * h + 1] != 0xFF:
                h = (h + 1) & m
            idx[2 * h] = i & 0xFF
            idx[2 * h + 1] = i >> 8

    def index_users(self):
        idx = self.index
        m = self.hmask
        for i in range(len(self.ulen)):
            if self.ulen[i]:
                s = self.ustart[i]
                h = _hash(self.names, s, s + self.ulen[i]) & m
                while idx[h] != EMPTY:
                    h = (h + 1) & m
                idx[h] = i
