# Mark-sweep collector over the arena (layout in WORDS.md). No Python
# recursion: marking uses a small explicit stack of word ranges and, if that
# overflows, rescans the marked objects until nothing new is found. Symbols
# that no live word refers to and that have no global value are reclaimed.
from array import array
from compat import const
from arena import (CAR, NEXT, LAST, OTHER, T_FREE, MAXSIZE, NOLINK, SCANNED,
                   SYM0, UNBOUND, LispError)

SYM_END = const(0x4403)     # first word past program symbol 255
MARK = const(0x8000)


class Collector:
    def __init__(self, it, stack_ranges=128):
        self.it = it
        self.ms = array('H', [0] * (2 * stack_ranges))
        self.msp = 0
        self.overflow = False
        self.smarks = bytearray(32)
        self.runs = 0
        self.free_words = 0
        self.marked = False
        self.ca = self.cb = 0
        self.busy = False

    def bytes_total(self):
        return 2 * len(self.ms) + len(self.smarks)

    # -- marking ---------------------------------------------------------------
    def _push(self, a, b):
        if a >= b:
            return
        if self.msp + 2 > len(self.ms):
            self.overflow = True
            return
        self.ms[self.msp] = a
        self.ms[self.msp + 1] = b
        self.msp += 2

    def mark(self, v):
        # Mark the object (or symbol) a word refers to; queue its children.
        if v & 1:
            if v & 3 == 3 and SYM0 <= v < SYM_END:
                i = (v - SYM0) >> 2
                self.smarks[i >> 3] |= 1 << (i & 7)
            return
        h = self.it.heap
        W = h.W
        i = v >> 1
        c = h.code(i)
        if c == CAR:
            if h.code(i + 1) != CAR:
                h.set_code(i + 1, CAR)
                self._push(i, i + 2)
            return
        if c == OTHER and not (i > 0 and h.code(i - 1) == NEXT):
            w = W[i]
            if not w & MARK:
                W[i] = w | MARK
                t = (w >> 11) & 15
                if SCANNED[t]:
                    self._push(i + 1, i + 1 + (w & MAXSIZE))
            return
        # an element of a compact list: mark the whole block
        e = i
        while h.code(e) == NEXT:
            e += 1
        c = h.code(e)
        if c == OTHER:
            return
        s = i
        while s > 0 and h.code(s - 1) == NEXT:
            s -= 1
        if c == LAST:
            h.set_code(e, OTHER)
            self._push(s, e + 1)
        elif h.code(e + 1) != CAR:
            h.set_code(e + 1, CAR)
            self._push(s, e + 2)

    def drain(self):
        W = self.it.heap.W
        ms = self.ms
        while self.msp:
            self.msp -= 2
            a = ms[self.msp]
            b = ms[self.msp + 1]
            if b - a > 1:
                # keep the rest of the range queued, scan its first word
                ms[self.msp] = a + 1
                self.msp += 2
            self.mark(W[a])

    def mark_root(self, v):
        self.mark(v)
        self.drain()

    # -- parsing the arena linearly ---------------------------------------------
    def parse(self, i):
        # End of the object starting at word i; sets self.marked, and the
        # range of words holding its values in self.ca..self.cb.
        h = self.it.heap
        c = h.code(i)
        if c == CAR:
            self.marked = h.code(i + 1) == CAR
            self.ca = i
            self.cb = i + 2
            return i + 2
        if c == NEXT:
            e = i
            while h.code(e) == NEXT:
                e += 1
            c = h.code(e)
            self.ca = i
            if c == CAR:
                self.marked = h.code(e + 1) == CAR
                self.cb = e + 2
            elif c == OTHER or c == LAST:
                self.marked = c == OTHER
                self.cb = e + 1
            return self.cb
        if c != OTHER:
            raise LispError('arena corrupt: list element without a list at %d' % i)
        w = h.W[i]
        self.marked = bool(w & MARK)
        self.ca = self.cb = i + 1
        if SCANNED[(w >> 11) & 15]:
            self.cb = i + 1 + (w & MAXSIZE)
        return i + 1 + (w & MAXSIZE)

    # -- the collection ------------------------------------------------------------
    def collect(self):
        # A Ctrl-C (KeyboardInterrupt) may stop a collection anywhere: every
        # step keeps the arena parseable, and the next collection first
        # clears the marks the cut one left (busy), then starts over.
        cut = self.busy
        if cut:
            self.unmark_all()
        self.busy = True
        self._collect()
        if cut:
            self.it.symbols.rebuild()
        self.busy = False

    def unmark_all(self):
        h = self.it.heap
        i = 0
        while i < h.n:
            j = self.parse(i)
            if self.marked:
                self.unmark(i, j)
            i = j

    def unmark(self, i, j):
        # Clear the mark of the object in words i..j-1.
        h = self.it.heap
        if h.code(i) == OTHER:
            h.W[i] &= 0x7FFF
        elif h.code(j - 1) == OTHER and h.code(j - 2) == NEXT:
            h.set_code(j - 1, LAST)
        else:
            h.set_code(j - 1, OTHER)

    def _collect(self):
        it = self.it
        h = it.heap
        sm = self.smarks
        for k in range(32):
            sm[k] = 0
        self.msp = 0
        self.overflow = False
        S = it.S
        for k in range(it.sp):
            self.mark_root(S[k])
        G = it.G
        for k in range(len(G)):
            v = G[k]
            if v != UNBOUND:
                if k < 256:
                    sm[k >> 3] |= 1 << (k & 7)
                self.mark_root(v)
        R = h.R
        for k in range(len(R)):
            self.mark_root(R[k])
        while self.overflow:
            self.overflow = False
            i = 0
            n = h.n
            while i < n:
                j = self.parse(i)
                if self.marked and self.cb > self.ca:
                    self._push(self.ca, self.cb)
                    self.drain()
                i = j
        self.sweep()
        self.runs += 1
        it.symbols.reclaim(sm)

    def sweep(self):
        h = self.it.heap
        W = h.W
        n = h.n
        i = 0
        fs = -1                 # start of the current garbage run
        h.last = h.free = h.free2 = NOLINK
        self.free_words = 0
        while i < n:
            j = self.parse(i)
            c = h.code(i)
            live = self.marked and not (c == OTHER and (W[i] >> 11) & 15 == T_FREE)
            if live:
                if fs >= 0:
                    self.free_run(fs, i)
                    fs = -1
                self.unmark(i, j)
            elif fs < 0:
                fs = i
            i = j
        if fs >= 0:
            self.free_run(fs, n)

    def free_run(self, a, b):
        # Turn words a..b-1 into free runs on the heap's free lists. The run
        # headers go in first, while the old objects' codes still describe
        # them, then the codes become OTHER front to back: cut anywhere, the
        # arena still parses.
        h = self.it.heap
        h.add_free(a, b)
        C = h.C
        k = a
        while k < b and k & 3:
            h.set_code(k, OTHER)
            k += 1
        while k + 4 <= b:
            C[k >> 2] = 0xFF
            k += 4
        while k < b:
            h.set_code(k, OTHER)
            k += 1
        self.free_words += b - a
