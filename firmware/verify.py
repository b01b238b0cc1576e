# Heap verifier: checks every invariant of the arena (WORDS.md) and raises
# LispError naming the first one broken. Used by the tests and by `(verify)`
# style debugging on a board; the interpreter never needs it to run.
from arena import (LispError, CAR, NEXT, LAST, OTHER, T_FREE, T_LAST,
                   MAXSIZE, NOLINK, SCANNED, SYM0, CHAR0, UNBOUND)
from symbols import NUSER


def verify(it):
    h = it.heap
    W = h.W
    n = h.n
    start = bytearray(n)      # 1: object start, 2: list element, 3: both
    free_runs = 0
    i = 0
    while i < n:
        c = h.code(i)
        if c == CAR:
            if i + 1 >= n:
                raise LispError('verify: pair cut off at the end of the arena')
            if h.code(i + 1) != OTHER:
                raise LispError('verify: pair at %d has a mark or bad slot code' % i)
            start[i] = 3
            i += 2
        elif c == NEXT:
            start[i] = 3
            j = i + 1
            while j < n and h.code(j) == NEXT:
                start[j] = 2
                j += 1
            if j >= n:
                raise LispError('verify: compact list at %d runs off the arena' % i)
            e = h.code(j)
            start[j] = 2
            if e == LAST:
                i = j + 1
            elif e == CAR:
                if h.code(j + 1) != OTHER:
                    raise LispError('verify: dotted list at %d has a marked tail' % i)
                i = j + 2
            else:
                raise LispError('verify: compact list at %d not terminated' % i)
        elif c == LAST:
            raise LispError('verify: LAST code with no list at %d' % i)
        else:
            w = W[i]
            if w & 0x8000:
                raise LispError('verify: mark left set on box at %d' % i)
            t = w >> 11
            size = w & MAXSIZE
            if t > T_LAST:
                raise LispError('verify: unknown box type %d at %d' % (t, i))
            if i + 1 + size > n:
                raise LispError('verify: box at %d runs off the arena' % i)
            for k in range(i + 1, i + 1 + size):
                if h.code(k) != OTHER:
                    raise LispError('verify: box payload at %d has a list code' % k)
            if t == T_FREE:
                if size >= 1:
                    free_runs += 1
            else:
                start[i] = 1
            i += 1 + size
    # the free lists: exactly the free runs, each once
    seen = 0
    for r, small in ((h.free, False), (h.free2, True)):
        while r != NOLINK:
            if r >= n or W[r] >> 11 != T_FREE or ((W[r] & MAXSIZE) == 1) != small \
                    or (W[r] & MAXSIZE) < 1:
                raise LispError('verify: free list points at a wrong run at %d' % r)
            seen += 1
            if seen > free_runs:
                raise LispError('verify: free lists longer than the free runs (cycle?)')
            r = W[r + 1]
    if seen != free_runs:
        raise LispError('verify: %d free runs but %d on the free lists' % (free_runs, seen))

    def check(v, where):
        if v & 1 == 0:
            j = v >> 1
            if j >= n or not start[j]:
                raise LispError('verify: %s holds a reference to %d, not an object' % (where, j))
        elif v & 3 == 3 and SYM0 <= v < CHAR0:
            s = (v - SYM0) >> 2
            if s < NUSER and (s >= len(it.symbols.ulen) or not it.symbols.ulen[s]):
                raise LispError('verify: %s refers to freed symbol %d' % (where, s))
            if s >= NUSER + it.symbols.nbuiltin:
                raise LispError('verify: %s refers to unknown symbol %d' % (where, s))

    # every value in a live object, on the stack and in the globals
    i = 0
    while i < n:
        c = h.code(i)
        if c != OTHER:
            check(W[i], 'arena word %d' % i)
            if c == CAR:
                check(W[i + 1], 'arena word %d' % (i + 1))
                i += 2
            else:
                i += 1
            continue
        w = W[i]
        size = w & MAXSIZE
        if SCANNED[w >> 11]:
            for k in range(i + 1, i + 1 + size):
                check(W[k], 'arena word %d' % k)
        i += 1 + size
    for k in range(it.sp):
        check(it.S[k], 'stack slot %d' % k)
    for k in range(len(it.G)):
        if it.G[k] != UNBOUND:
            check(it.G[k], 'global %d' % k)
    # symbols: the index finds every live name
    sy = it.symbols
    used = 0
    for s in range(len(sy.ulen)):
        if sy.ulen[s]:
            used += 1
            buf, a, b = sy._span(s)
            if sy.index[sy._find(buf, a, b)] != s:
                raise LispError('verify: symbol %d missing from the index' % s)
    if used != sy.used:
        raise LispError('verify: %d symbols counted, %d live' % (sy.used, used))
    return True
