# Circular and shared data: printing with datum labels, and equal? that
# ends. Loaded on first use, so the core printer and equal? pay nothing.
#
# Printing with datum labels (R7RS 2.4): #0=(a b . #0#). printer.emit
# comes here when a walk of the value takes more steps than the arena has
# words or nests deeper than the stack (it may be circular), and for
# write-shared.
#
# Pass 1 walks the value depth-first with 2 bits per arena word:
#   0 not seen   1 being printed (on the path)   2 printed   3 labelled
# A pair, compact-list element or vector reached while it is still being
# printed is on a cycle and gets a label; with write-shared (mode 4) so
# does anything reached a second time. Pass 2 prints as printer.emit does,
# writing #n= before a labelled object's first appearance and #n# after.
# Both passes keep their nesting on Mote's stack S, as printer.emit does.
from arena import decode, LispError, NIL, UNBOUND, CAR, NEXT, OTHER, T_VECTOR
from printer import atom
from primitives import eqv, equal as tree_equal
from reader import Incomplete

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


# -- equal? ----------------------------------------------------------------------------
# primitives.equal comes here when it has compared more parts than the
# arena has words (a tree never needs that). Two values are equal when
# their unfoldings into possibly infinite trees are: the pairs and vectors
# compared so far are merged into classes (union-find, keyed by word), and
# two in one class count as equal, so each pair of parts is compared once
# and a cycle ends.
def root(parent, v):
    while v in parent:
        v = parent[v]
    return v


def equal(it, x, y):
    h = it.heap
    W = h.W
    parent = {}
    base = it.sp
    while True:
        if not eqv(it, x, y):
            pairs = h.is_pair(x) and h.is_pair(y)
            vectors = h.box_type(x) == T_VECTOR and h.box_type(y) == T_VECTOR
            if pairs or vectors:
                rx = root(parent, x)
                ry = root(parent, y)
                if rx != ry:
                    parent[rx] = ry
                    if pairs:
                        it.push(h.cdr(x))
                        it.push(h.cdr(y))
                        it.push(h.car(x))
                        it.push(h.car(y))
                    elif h.box_size(x) != h.box_size(y):
                        it.sp = base
                        return False
                    else:
                        for k in range(1, h.box_size(x) + 1):
                            it.push(W[(x >> 1) + k])
                            it.push(W[(y >> 1) + k])
            elif not tree_equal(it, x, y):      # strings, bytevectors, ...
                it.sp = base
                return False
        if it.sp == base:
            return True
        it.sp -= 2
        x = it.S[it.sp]
        y = it.S[it.sp + 1]


# -- datum labels in the reader --------------------------------------------------------
# reader.py comes here for #n= and #n#. The labels of the datum being read
# are an alist in register R[2], (n . value), n a fixnum: the value is a
# placeholder (#<unbound> . n) while the labelled datum is still being
# read, then the datum itself. A #n# inside its own datum reads as the
# placeholder; close() replaces those once the datum is complete.
def read(it, buf, i, n):
    # The label at buf[i:] (digits, then = or #): returns the position after
    # it and, for #n=, the fixnum n (the reader labels the next datum with
    # it); for #n#, the labelled value or its placeholder.
    h = it.heap
    j = i
    k = 0
    while j < n and 48 <= buf[j] <= 57:
        k = k * 10 + buf[j] - 48
        j += 1
    if j >= n:
        raise Incomplete('read: unexpected end of input in a datum label')
    tok = decode(bytes(buf[i - 1:j + 1]))
    if k > 8191 or buf[j] not in b'=#':
        raise LispError('read: bad datum label ' + tok)
    k = ((k + 8192) << 2) | 1           # as a fixnum
    e = entry(h, k)
    if buf[j] == 61:
        if e != NIL:
            raise LispError('read: datum label defined twice: ' + tok)
        h.R[2] = h.cons(h.cons(k, h.cons(UNBOUND, k)), h.R[2])
        return j + 1, k
    if e == NIL:
        raise LispError('read: datum label not defined before its use: ' + tok)
    return j + 1, h.cdr(e)


def entry(h, k):
    e = h.R[2]
    while e != NIL and h.car(h.car(e)) != k:
        e = h.cdr(e)
    return NIL if e == NIL else h.car(e)


def close(it, k, v):
    # The datum v labelled k is complete: every placeholder of k in it
    # becomes v, and later #k# read as v. Returns v.
    h = it.heap
    W = h.W
    e = entry(h, k)
    p = h.cdr(e)
    if v == p:
        raise LispError('read: a datum label stands for itself: #%d=' % ((k >> 2) - 8192))
    W[(e >> 1) + 1] = v
    todo = [v]
    seen = set()
    while todo:
        x = todo.pop()
        if x & 1 or x in seen:
            continue
        seen.add(x)
        i = x >> 1
        if h.is_pair(x):
            slots = (i, i + 1) if h.code(i) == CAR else (i,)
            if h.code(i) == NEXT:
                todo.append((i + 1) << 1)
        elif h.box_type(x) == T_VECTOR:
            slots = range(i + 1, i + 1 + h.box_size(x))
        else:
            continue
        for s in slots:
            if W[s] == p:
                W[s] = v
            else:
                todo.append(W[s])
    return v
