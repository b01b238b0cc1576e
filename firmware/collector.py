# Mark-sweep collector over the arena (layout in WORDS.md). No Python
# recursion: marking uses a small explicit stack of word ranges and, if that
# overflows, rescans the marked objects until nothing new is found. Symbols
# that no live word refers to and that have no global value are reclaimed.
from compat import const
from arena import (CAR, NEXT, LAST, OTHER, MAXSIZE, NOLINK, SCANNED,
                   SYM0, UNBOUND, CAR_MASK, LispError, words)

SYM_END = const(0x4403)     # first word past program symbol 255
MARK = const(0x8000)


class Collector:
    def __init__(self, it, stack_ranges=128):
        self.it = it
        self.ms = words(2 * stack_ranges)
        self.overflow = False
        self.smarks = bytearray(32)
        self.runs = 0
        self.free_words = 0
        self.marked = False
        self.ca = self.cb = 0
        self.busy = False

    # -- marking ---------------------------------------------------------------
    def trace(self, arr, a, b):
        # Mark everything reachable from the words arr[a:b]. One call runs
        # to the end with the mark stack in locals: no Python call (and so
        # no MicroPython frame on the heap) per object.
        h = self.it.heap
        W = h.W
        C = h.C
        ms = self.ms
        top = len(ms)
        sm = self.smarks
        msp = 0
        k = a
        while True:
            if msp:
                msp -= 2
                x = ms[msp]
                if ms[msp + 1] - x > 1:
                    ms[msp] = x + 1
                    msp += 2
                v = W[x]
            elif k < b:
                v = arr[k]
                k += 1
            else:
                return
            if v & 1:
                if v & 3 == 3 and SYM0 <= v < SYM_END:
                    x = (v - SYM0) >> 2
                    sm[x >> 3] |= 1 << (x & 7)
                continue
            i = v >> 1
            c = (C[i >> 2] >> ((i & 3) << 1)) & 3
            if c == CAR:
                # a pair: its mark is its cdr slot's code
                x = i + 1
                if (C[x >> 2] >> ((x & 3) << 1)) & 3 == CAR:
                    continue
                C[x >> 2] &= CAR_MASK[x & 3]
                e = i + 2
            elif c == OTHER and not (i > 0 and (C[(i - 1) >> 2] >> (((i - 1) & 3) << 1)) & 3 == NEXT):
                # a box: its mark is bit 15 of its header
                x = W[i]
                if x & MARK:
                    continue
                W[i] = x | MARK
                if not SCANNED[(x >> 11) & 15]:
                    continue
                e = i + 1 + (x & MAXSIZE)
                i += 1
            else:
                # an element of a compact list: mark the whole block
                e = i
                while (C[e >> 2] >> ((e & 3) << 1)) & 3 == NEXT:
                    e += 1
                c = (C[e >> 2] >> ((e & 3) << 1)) & 3
                if c == OTHER:
                    continue
                while i > 0 and (C[(i - 1) >> 2] >> (((i - 1) & 3) << 1)) & 3 == NEXT:
                    i -= 1
                if c == LAST:
                    C[e >> 2] |= 3 << ((e & 3) << 1)     # LAST -> OTHER
                    e += 1
                else:
                    x = e + 1
                    if (C[x >> 2] >> ((x & 3) << 1)) & 3 == CAR:
                        continue
                    C[x >> 2] &= CAR_MASK[x & 3]
                    e += 2
            if e > i:
                if msp + 2 > top:
                    self.overflow = True    # rescanned after this pass
                else:
                    ms[msp] = i
                    ms[msp + 1] = e
                    msp += 2

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
        while i < h.top:
            j = self.parse(i)
            if self.marked:
                self.unmark(i, j)
            i = j

    def unmark(self, i, j):
        # Clear the mark of the object in words i..j-1, each in one step (a
        # cut between two steps must not leave a code that parses otherwise).
        # Small enough for MicroPython to keep its frame on the C stack.
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
        self.overflow = False
        G = it.G
        for k in range(len(it.symbols.ulen)):
            if G[k] != UNBOUND:
                sm[k >> 3] |= 1 << (k & 7)      # bound symbols stay
        self.trace(it.S, 0, it.sp)
        self.trace(G, 0, len(G))
        self.trace(h.R, 0, len(h.R))
        while self.overflow:
            self.overflow = False
            i = 0
            while i < h.top:
                j = self.parse(i)
                if self.marked and self.cb > self.ca:
                    self.trace(h.W, self.ca, self.cb)
                i = j
        self.sweep()
        self.runs += 1
        it.symbols.reclaim(sm)

    def sweep(self):
        # Walk the arena once: unmark live objects, turn runs of garbage into
        # free runs (headers first, then codes: parseable if cut anywhere).
        # The untouched words (h.top..) join the last run unparsed.
        h = self.it.heap
        W = h.W
        C = h.C
        n = h.n
        top = h.top
        h.last = h.free = h.free2 = NOLINK
        self.free_words = 0
        i = 0
        fs = -1                 # start of the current garbage run
        while True:
            if i >= top:
                if fs < 0 and i < n:
                    fs = i
                i = n
                live = True     # the end closes the last run
            else:
                c = (C[i >> 2] >> ((i & 3) << 1)) & 3
                if c == CAR:
                    j = i + 2
                    live = (C[(i + 1) >> 2] >> (((i + 1) & 3) << 1)) & 3 == CAR
                elif c == NEXT:
                    j = i
                    while (C[j >> 2] >> ((j & 3) << 1)) & 3 == NEXT:
                        j += 1
                    c = (C[j >> 2] >> ((j & 3) << 1)) & 3
                    if c == CAR:
                        live = (C[(j + 1) >> 2] >> (((j + 1) & 3) << 1)) & 3 == CAR
                        j += 2
                    else:
                        live = c == OTHER
                        j += 1
                else:
                    live = W[i] & MARK
                    j = i + 1 + (W[i] & MAXSIZE)
            if live:
                if fs >= 0:
                    # garbage fs..i-1 becomes free runs: headers and
                    # links first, then the codes under them
                    h.add_free(fs, i)
                    e = i if i < top else top     # untouched codes are OTHER
                    x = fs
                    while x < e and x & 3:
                        C[x >> 2] |= 3 << ((x & 3) << 1)
                        x += 1
                    while x + 4 <= e:
                        C[x >> 2] = 0xFF
                        x += 4
                    while x < e:
                        C[x >> 2] |= 3 << ((x & 3) << 1)
                        x += 1
                    self.free_words += i - fs
                    fs = -1
                if i >= n:
                    return
                self.unmark(i, j)
            elif fs < 0:
                fs = i
            i = j
