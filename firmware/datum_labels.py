# Printing with datum labels (R7RS 2.4): #0=(a b . #0#). printer.emit
# comes here when a walk of the value takes more steps than the arena has
# words or nests deeper than the stack (it may be circular), and for
# write-shared. Loaded on first use, so the core printer pays nothing.
#
# Pass 1 walks the value depth-first with 2 bits per arena word:
#   0 not seen   1 being printed (on the path)   2 printed   3 labelled
# A pair, compact-list element or vector reached while it is still being
# printed is on a cycle and gets a label; with write-shared (mode 4) so
# does anything reached a second time. Pass 2 prints as printer.emit does,
# writing #n= before a labelled object's first appearance and #n# after.
# Both passes keep their nesting on Mote's stack S, as printer.emit does.
from arena import NIL, OTHER, T_VECTOR
from printer import atom

# Frame kinds, fixnums as everything on S is (LIST and CLOSE frames are
# [first cell][current cell][kind] in pass 1, [current cell][kind] in 2)
LIST = 1        # a list being walked
CLOSE = 5       # only the list's tail is left
VECTOR = 9      # [vector][next index << 4 | VECTOR]


def state(st, i):
    return (st[i >> 2] >> ((i & 3) << 1)) & 3


def mark(st, i, s):
    k = (i & 3) << 1
    st[i >> 2] = (st[i >> 2] & ~(3 << k)) | (s << k)


def compound(h, v):
    # 1 a pair (or compact list element), 2 a vector, 0 anything else
    if v & 1:
        return 0
    if h.code(v >> 1) != OTHER:
        return 1
    return 2 if h.box_type(v) == T_VECTOR else 0


def labels(it, v, shared):
    # Pass 1: the state bits of every word (3: gets a label).
    h = it.heap
    S = it.S
    st = bytearray((h.top >> 2) + 1)
    base = it.sp
    while True:
        # enter v
        k = compound(h, v)
        if k:
            i = v >> 1
            s = state(st, i)
            if s == 1 or (s == 2 and shared):
                mark(st, i, 3)
            elif s == 0:
                mark(st, i, 1)
                if k == 1:
                    it.push(v)
                    it.push(v)
                    it.push(LIST)
                    v = h.car(v)
                    continue
                it.push(v)
                it.push(VECTOR)
        # leave finished frames until one has more to walk
        while True:
            if it.sp == base:
                return st
            f = S[it.sp - 1]
            top = S[it.sp - 2]
            if f == LIST:
                nxt = h.cdr(top)
                if compound(h, nxt) == 1 and state(st, nxt >> 1) == 0:
                    mark(st, nxt >> 1, 1)
                    S[it.sp - 2] = nxt
                    v = h.car(nxt)
                    break
                # the list ends: its tail (NIL, an atom, a vector or a cell
                # seen before) is entered as a value of its own
                S[it.sp - 1] = CLOSE
                v = nxt
                break
            if f == CLOSE:
                # the list's cells are no longer on the path
                cell = S[it.sp - 3]
                while True:
                    if state(st, cell >> 1) == 1:
                        mark(st, cell >> 1, 2)
                    if cell == top:
                        break
                    cell = h.cdr(cell)
                it.sp -= 3
                continue
            n = f >> 4
            if n < h.box_size(top):
                S[it.sp - 1] = f + 16
                v = h.W[(top >> 1) + 1 + n]
                break
            if state(st, top >> 1) == 1:
                mark(st, top >> 1, 2)
            it.sp -= 2


def emit(it, v, out, write):
    # Print v by calling out(text) for each piece (write: printer.emit's).
    h = it.heap
    S = it.S
    st = labels(it, v, write == 4)
    named = {}
    base = it.sp
    while True:
        # print v, descending into pairs and vectors
        while True:
            k = compound(h, v)
            if k and state(st, v >> 1) == 3:
                i = v >> 1
                if i in named:
                    out('#%d#' % named[i])
                    break
                named[i] = len(named)
                out('#%d=' % named[i])
            if k == 1:
                out('(')
                it.push(v)
                it.push(LIST)
                v = h.car(v)
            elif k == 2:
                out('#(')
                it.push(v)
                it.push(VECTOR)
                break
            else:
                out(atom(it, v, write))
                break
        # pop finished levels until one has more to print
        while True:
            if it.sp == base:
                return
            f = S[it.sp - 1]
            top = S[it.sp - 2]
            if f == LIST:
                nxt = h.cdr(top)
                if nxt == NIL:
                    out(')')
                    it.sp -= 2
                    continue
                if compound(h, nxt) == 1 and state(st, nxt >> 1) != 3:
                    out(' ')
                    S[it.sp - 2] = nxt
                    v = h.car(nxt)
                    break
                out(' . ')
                S[it.sp - 1] = CLOSE
                v = nxt
                break
            if f == CLOSE:
                out(')')
                it.sp -= 2
                continue
            n = f >> 4
            if n < h.box_size(top):
                if n:
                    out(' ')
                S[it.sp - 1] = f + 16
                v = h.W[(top >> 1) + 1 + n]
                break
            out(')')
            it.sp -= 2
