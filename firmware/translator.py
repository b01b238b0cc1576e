# Mote's second tier, at definition time: a global procedure whose body
# the machine would only walk (locals, fixnum arithmetic, tests, calls by
# name) is translated to the source of one small MicroPython function,
# compiled with exec() and installed (tier_runtime.py runs it). Loaded only
# while a definition is translated.
from compat import const
from arena import NIL, FALSE, UNSPEC, UNBOUND, SYM0, PRIM0, T_CLOSURE, T_FRAME
from evaluator import (R_QUOTE, R_IF, R_SET, R_LAMBDA, R_BEGIN, R_LET, R_COND, R_AND, R_OR,
                       R_WHEN, R_UNLESS, R_ELSE, P_ADD, P_SUB, P_LT, P_GT, P_NUMEQ,
                       P_LE, P_GE, P_EQ, P_NOT, P_NULL, P_CONS, P_CAR, P_CDR, P_MUL,
                       P_REMAINDER, P_VREF, P_VSET, R_ARROW)
from builtin_table import base_of

SF0 = const(0x0803)
LOCAL0 = const(0x2003)      # stack local slot 0
HEAP0 = const(0x3003)       # heap local (not compiled)
CHAR0 = const(0x8003)
MAX_NEST = const(14)        # expression nesting translated (the translator recurses;
                            # where a board's C stack ends first, it gives up cleanly)
MAX_SOURCE = const(8000)    # characters of Python source for one procedure
HEAP_NEEDED = const(6000)   # free MicroPython heap compiling needs, and a byte a character
WAITING = [False]           # the last translation waits for a callee
SUBS = []                   # the places of the lambdas the last translation made
CURRENT = [NIL]             # the closure being translated
DEAD = [None, 1]            # a place given up: no closure word is 1


def room(n):
    # Whether MicroPython's heap has room to compile n characters of source
    import gc
    if not hasattr(gc, 'mem_free'):
        return True
    n = HEAP_NEEDED + n            # (5.6 KB of source compiles in 3 KB on the 32-bit port)
    if gc.mem_free() < n:
        gc.collect()
    return gc.mem_free() >= n


class Skip(Exception):
    # the procedure cannot be translated: the machine keeps running it
    pass


def define(tier, clo):
    # clo was just defined as a global: translate it if it can be, and
    # then the ones that waited for it.
    if not translate(tier, clo):
        return
    later = tier.later
    tier.later = []
    G = tier.it.G
    W = tier.it.heap.W
    for c in later:
        # (c may have been freed since: only its name's value counts)
        w = W[(c >> 1) + 4]
        if not c & 1 and w & 3 == 3 and SYM0 <= w < CHAR0 and G[(w - SYM0) >> 2] == c \
                and tier.find_entry(c) is None:
            translate(tier, c)


def translate(tier, clo):
    it = tier.it
    h = it.heap
    W = h.W
    i = clo >> 1
    info = W[i + 1] >> 2
    if info & 64 or it.loading or not tier.size or tier.find_entry(clo) is not None:
        return False                # a rest list; a library; translated already
    k = free_place(tier, clo)
    if k < 0:
        return False
    e = [None, clo, 0, info & 63, 3, tier]
    if k < len(tier.funcs):
        tier.funcs[k] = e
    else:
        tier.funcs.append(e)
    name = ename(k, info & 63)
    tier.ns[name] = e
    WAITING[0] = False
    del SUBS[:]
    CURRENT[0] = clo
    sp = it.sp
    try:
        src = Source(tier, W[i + 1], W[i + 2], W[i + 4], k).text
        if not room(len(src)):
            raise Skip()
        exec(src, tier.ns)
        e[0] = tier.ns.pop('f')
        # orig: the closure as it was; clo's body now starts the function
        it.push(clo)
        orig = h.alloc_box(T_CLOSURE, 4, NIL)
        for j in range(1, 5):
            W[orig + j] = W[i + j]
        orig <<= 1
        it.push(orig)
        form = h.cons(tier.pcode, h.cons(((k + 8192) << 2) | 1, h.cons(orig, NIL)))
        it.push(form)
        body = h.cons(form, NIL)
        it.push(body)
        keep = (it.symbol(b'%compiled', 0, 9) - SYM0) >> 2
        lst = h.cons(clo, it.G[keep] if it.G[keep] != UNBOUND else NIL)
    except Exception:
        # (Skip; no room in either heap; anything the translator did not
        # foresee: the machine runs the procedure as before)
        it.sp = sp
        tier.funcs[k] = None
        tier.ns[name] = DEAD
        for j in SUBS:
            forget(tier, j)
        if WAITING[0] and len(tier.later) < 8:
            tier.later.append(clo)
        return False
    it.sp = sp
    e[2] = orig
    it.G[keep] = lst
    # the machine now builds only the arguments' slots (on S, even where
    # the Lisp body needs a frame in the arena: orig has that info)
    W[i + 1] = (((info & 63) * 257) << 2) | 1
    W[i + 2] = body
    return True


def sub_lambda(tier, lam, sym):
    # Translate (lambda . lam), lam being (info body...), a lambda of the
    # procedure being translated, into a place of its own; its closures get
    # the info and body words e[6], e[7]. (Its entry name, whether it reads
    # its environment)
    it = tier.it
    h = it.heap
    info = h.car(lam) >> 2
    if info & 64 or sym < 0 or len(SUBS) >= 4:
        raise Skip()        # (a rest list; a lambda's lambda; many)
    k = free_place(tier, CURRENT[0])
    if k < 0:
        raise Skip()
    e = [None, CURRENT[0], NIL, info & 63, 3, tier, 0, NIL]
    if k < len(tier.funcs):
        tier.funcs[k] = e
    else:
        tier.funcs.append(e)
    SUBS.append(k)
    name = ename(k, info & 63)
    tier.ns[name] = e
    src = Source(tier, h.car(lam), h.cdr(lam), -1, k)
    if not room(len(src.text)):
        raise Skip()
    exec(src.text, tier.ns)
    e[0] = tier.ns.pop('f')
    # its closures' body, ((%pycode K orig)), kept by the list %compiled;
    # orig a closure of the lambda as it was, in no environment
    sp = it.sp
    c = h.alloc_box(T_CLOSURE, 4, NIL)
    h.W[c + 1] = h.car(lam)
    h.W[c + 2] = h.cdr(lam)
    h.W[c + 4] = FALSE
    e[2] = c << 1
    it.push(e[2])
    form = h.cons(tier.pcode, h.cons(((k + 8192) << 2) | 1, h.cons(e[2], NIL)))
    it.push(form)
    e[7] = h.cons(form, NIL)
    it.S[sp] = e[7]
    keep = (it.symbol(b'%compiled', 0, 9) - SYM0) >> 2
    it.G[keep] = h.cons(e[7], it.G[keep] if it.G[keep] != UNBOUND else NIL)
    it.sp = sp
    e[6] = (((info & 63) * 257) << 2) | 1
    return name, src.env


def ename(k, nargs):
    # the name of place k's entry in the functions' globals: callers
    # compiled for a procedure of nargs arguments use it
    return 'E%d_%d' % (k, nargs)


def free_place(tier, clo):
    # A free place in funcs: a new one, or one whose procedure is no
    # longer the value of its name (its closure may then be freed: the
    # list %compiled keeps the closures of the places in use).
    if len(tier.funcs) < tier.size:
        return len(tier.funcs)
    it = tier.it
    W = it.heap.W
    for k in range(len(tier.funcs)):
        e = tier.funcs[k]
        if e is None:
            return k
        w = W[(e[1] >> 1) + 4]
        if w & 3 == 3 and SYM0 <= w < CHAR0 and it.G[(w - SYM0) >> 2] != e[1]:
            forget(tier, k)
            return k
    return -1


def known(tier, v, n):
    # The place in funcs of v, a compiled procedure of n arguments, or -1
    if v & 1:
        return -1
    e = tier.find_entry(v)
    if e is None or e[3] != n:
        return -1
    return tier.funcs.index(e)


def forget(tier, k):
    # Give up place k: callers compiled for it find DEAD there.
    it = tier.it
    h = it.heap
    e = tier.funcs[k]
    clo = e[1] if len(e) < 8 else e[7]     # (a lambda's: its body)
    tier.funcs[k] = None
    tier.ns[ename(k, e[3])] = DEAD
    s = (it.symbol(b'%compiled', 0, 9) - SYM0) >> 2
    lst = it.G[s]
    prev = NIL
    while lst != NIL:
        if h.car(lst) == clo:
            if prev == NIL:
                it.G[s] = h.cdr(lst)
            else:
                h.set_cdr(prev, h.cdr(lst))
            return
        prev = lst
        lst = h.cdr(lst)


# Inline primitives: pid -> (arguments, Python of the fixnum case in a, b)
INLINE = {P_ADD: 'a + b - 32769', P_SUB: 'a - b + 32769', P_LT: 'a < b', P_GT: 'a > b',
          P_NUMEQ: 'a == b', P_LE: 'a <= b', P_GE: 'a >= b', P_MUL: '', P_REMAINDER: ''}
TESTS = (P_LT, P_GT, P_NUMEQ, P_LE, P_GE)

# Inline builtins of vectors, strings and characters: pid -> (arguments,
# when the fast case applies to the operands a, b and X (the third, on S),
# its code). A vector or string is a box (cdr code 3) of that type; a
# string's fast case is one known to be ASCII (bit 15 of its length word,
# text.py's cache), its bytes two to a word; an index is a fixnum in range.
P_SLEN = const(70)
P_SREF = const(71)
P_CHAR_INT = const(86)
P_INT_CHAR = const(87)
P_VLEN = const(104)
P_SSET = base_of('strings') + 15
BOX = 'not a & 1 and (C[a >> 3] >> (a & 6)) & 3 == 3 and W[a >> 1] >> 11 == '
VEC = BOX + '3'
STR = BOX + '1 and W[(a >> 1) + 1] & 32768'
IN_VEC = ' and b & 3 == 1 and 32769 <= b < 32769 + ((W[a >> 1] & 2047) << 2)'
IN_STR = ' and b & 3 == 1 and 32769 <= b < 32769 + ((W[(a >> 1) + 1] & 16383) << 2)'
FAST = {
    P_VREF: (2, VEC + IN_VEC, 'a = W[(a >> 1) + (b >> 2) - 8191]'),
    P_VSET: (3, VEC + IN_VEC, 'W[(a >> 1) + (b >> 2) - 8191] = X; a = %d' % UNSPEC),
    P_VLEN: (1, VEC, 'a = (((W[a >> 1] & 2047) + 8192) << 2) | 1'),
    P_SLEN: (1, STR, 'a = (((W[(a >> 1) + 1] & 16383) + 8192) << 2) | 1'),
    P_SREF: (2, STR + IN_STR, 'b = (b >> 2) - 8192; '
             'a = 32771 + (((W[(a >> 1) + 2 + (b >> 1)] >> ((b & 1) << 3)) & 255) << 2)'),
    # (an ASCII character into an ASCII string keeps it ASCII)
    P_SSET: (3, STR + IN_STR + ' and 32771 <= X < 33283 and X & 3 == 3',
             'c = (X - 32771) >> 2; b = (b >> 2) - 8192; a = (a >> 1) + 2 + (b >> 1); '
             'W[a] = (W[a] & 255) | (c << 8) if b & 1 else (W[a] & 65280) | c; a = %d' % UNSPEC),
    # a character below U+2000 is CHAR0 + 4 * code; a fixnum 32769 + 4 * n
    P_CHAR_INT: (1, 'a & 3 == 3 and a >= 32771', 'a -= 2'),
    P_INT_CHAR: (1, 'a & 3 == 1 and 32769 <= a < 65536', 'a += 2'),
}


class Flat(Exception):
    # the procedure calls itself other than in tail position: translate it
    # again as a state machine
    pass


class Source:
    # The Python source of one procedure (self.text), or Skip.
    #
    # A procedure that calls itself other than in tail position becomes a
    # state machine (flat): each call to itself pushes a return record
    # [distance to the caller's frame][label] above the caller's slots and
    # starts the callee's frame right after it, all on S; a return pops it
    # and resumes at the label. So recursion costs no Python frames:
    #
    #   def f(fp, d):
    #    f0 = fp            # this Python call's own frame
    #    pc = 0
    #    while True:
    #     if pc == 0:       # every frame's entry
    #      ...
    #     elif pc == 1:     # after a call, its value in a
    #      ...
    def __init__(self, tier, info, body, sym, k):
        # (info and body: a closure's words, or a lambda's; sym: the name
        # that calls it, -1 for a lambda)
        it = tier.it
        self.it = it
        self.h = it.heap
        self.W = it.heap.W
        self.tier = tier
        self.self_word = sym
        self.k = k
        info >>= 2
        self.nargs = info & 63
        self.heap = info & 128          # its variables are in a frame: loops
        self.env = False                # whether it reads its closure's environment
        self.subs = {}                  # its lambdas translated: code -> entry name
        # (per attempt, below: lbase, where the running scope's stack locals
        # are; frames, the places of the heap frames in scope, and sizes,
        # their slot counts; names, the slots of the named-let loops' own
        # names; loop, the innermost)
        # the slots: the procedure's, then each named-let loop's
        self.ns = info >> 8
        self.body = body
        self.lambdas(body)
        for flat in (False, True):
            # (a procedure that calls itself other than in tail position
            # is found out on the way: then again, flat)
            self.flat = flat
            self.depth = 0
            self.maxt = 0
            self.lbase = 0
            self.loop = None
            self.names = []
            self.frames = [0] if self.heap else []
            self.sizes = [info >> 8] if self.heap else []
            self.next_loop = info >> 8
            self.blocks = [[]]
            self.cur = 0
            self.ind = 3 if flat else 2
            try:
                self.seq(body, 'return', 0, True)
                break
            except Flat:
                pass
        frame = self.ns + self.maxt + 8
        prologue = [' if fp > %d:' % (it.stack_limit - frame),
                 '  raise LispError("stack overflow")']
        for s in range(self.nargs, self.ns):
            prologue.append(' S[fp + %d] = %d' % (s, UNSPEC))
        if not self.flat:
            lines = ['def f(fp, d):'] + prologue + [' while True:'] + self.blocks[0]
        else:
            lines = ['def f(fp, d):', ' f0 = fp', ' pc = 0', ' while True:']
            for j in range(len(self.blocks)):
                lines.append('  %sif pc == %d:' % ('el' if j else '', j))
                if j == 0:
                    lines.extend(['  ' + x for x in prologue])
                lines.extend(self.blocks[j])
        self.text = '\n'.join(lines) + '\n'
        if len(self.text) > MAX_SOURCE:
            raise Skip()

    def lists(self, w, whole=False):
        # Every list in the code w but quoted data and, unless whole, the
        # bodies of lambdas other than named lets' (their own functions);
        # by a work list (no Python recursion), or Skip if there are very
        # many.
        h = self.h
        out = []
        loops = []
        work = [w]
        while work:
            w = work.pop()
            if w & 1 or h.code(w >> 1) == 3 or self.W[w >> 1] == SF0 + (R_QUOTE << 2):
                continue
            if self.W[w >> 1] == SF0 + (R_LET << 2):
                x = self.loop_lambda(w)
                if x:
                    loops.append(x)
            elif self.W[w >> 1] == SF0 + (R_LAMBDA << 2) and not whole and w not in loops:
                continue
            out.append(w)
            if len(out) > 400:
                raise Skip()
            while w != NIL and not w & 1 and h.code(w >> 1) != 3:
                work.append(h.car(w))
                w = h.cdr(w)
        return out

    def lambdas(self, body):
        # Count the slots of the loops in body (translated as Python loops,
        # they need no closure; other lambdas are functions of their own).
        for w in self.lists(body):
            if self.W[w >> 1] == SF0 + (R_LAMBDA << 2):
                info = self.h.car(self.h.cdr(w)) >> 2
                if info & 64 or not self.heap:
                    raise Skip()
                self.ns += info >> 8

    def loop_lambda(self, w):
        # The lambda of (let ((name (lambda info body...))) name), the
        # compiler's named let, or 0
        h = self.h
        p = self.items(h.cdr(w))
        if len(p) != 2:
            return 0
        b = self.items(p[0])
        if len(b) != 1:
            return 0
        b = self.items(b[0])
        if len(b) != 2 or b[0] != p[1] or not HEAP0 <= b[0] < SYM0 or b[1] & 1 or \
                h.code(b[1] >> 1) == 3 or h.car(b[1]) != SF0 + (R_LAMBDA << 2):
            return 0
        return b[1]

    def named_let(self, w, args):
        # The loop of ((let ((name (lambda info body...))) name) args...):
        # (name's slot, info, body), or None
        h = self.h
        if w & 1 or h.code(w >> 1) == 3 or h.car(w) != SF0 + (R_LET << 2):
            return None
        lam = self.loop_lambda(w)
        if not lam:
            return None
        b = [h.car(h.car(h.car(h.cdr(w)))), lam]
        info = h.car(h.cdr(b[1])) >> 2
        if info & 64 or info & 63 != len(args) or self.flat or self.slot(b[0]) < 0:
            raise Skip()
        return self.slot(b[0]), info, h.cdr(h.cdr(b[1]))

    def run_loop(self, loop, args, tgt, t):
        # A named let as a Python loop: its arguments into its slots, then
        # its body; a call of its name in tail position goes round again.
        name, info, body = loop
        base = self.next_loop
        self.next_loop += info >> 8
        for j in range(len(args)):
            self.expr(args[j], self.temp(t + j), t + j, False)
        for j in range(len(args)):
            self.out('S[fp + %d] = %s' % (base + j, self.temp(t + j)))
        if tgt == 'loop':
            # the value of the loop around this one: only a return leaves
            # both Python loops at once
            if self.loop[3] != 'return':
                raise Skip()
            tgt = 'return'
        saved = (self.lbase, self.loop, len(self.names), len(self.frames))
        self.lbase = base
        if info & 128:
            self.frames.append(base)    # its variables are heap locals
            self.sizes.append(info >> 8)
        self.loop = (name, base, info & 63, tgt)
        self.names.append(name)
        self.out('while True:')
        self.ind += 1
        self.seq(body, 'loop', t, True)
        self.ind -= 1
        self.lbase, self.loop = saved[0], saved[1]
        del self.names[saved[2]:]
        del self.frames[saved[3]:]
        del self.sizes[saved[3]:]

    def label(self):
        # a new block; its number
        self.blocks.append([])
        return len(self.blocks) - 1

    def goto(self, k):
        self.out('pc = %d' % k)
        self.out('continue')

    def start(self, k):
        # go on emitting into block k
        self.cur = k
        self.ind = 3

    def calls_self(self, w):
        # whether the code w has a call whose head is this procedure's name
        for x in self.lists(w):
            if self.W[x >> 1] == self.self_word:
                return True
        return False

    def out(self, s):
        self.blocks[self.cur].append(' ' * self.ind + s)

    def temp(self, t):
        if t + 4 > self.maxt:
            self.maxt = t + 4
        return 'S[fp + %d]' % (self.ns + t)

    def top(self, t):
        return 'fp + %d' % (self.ns + t)

    def slot(self, w):
        # The S slot of a variable's word, or -1: a stack local of the
        # procedure or of the loop being translated (at lbase), a heap
        # local of the procedure's frame or of a loop's (frames: their
        # places, outermost first; d frames up from the innermost).
        if w & 3 != 3 or not LOCAL0 <= w < SYM0:
            return -1
        if w < HEAP0:
            return self.lbase + ((w - LOCAL0) >> 2)
        d = (w - HEAP0) >> 8
        if d >= len(self.frames):
            return -1
        return self.frames[-1 - d] + (((w - HEAP0) >> 2) & 63)

    def leaf(self, w):
        # Python for a value needing no code, or None
        if w & 1:
            if w & 3 == 1 or w >= CHAR0 or w < LOCAL0:
                return str(w)
            if w < SYM0:
                s = self.slot(w)
                if s < 0 and w >= HEAP0:
                    return self.free(w)
                if s < 0 or s in self.names:
                    raise Skip()        # (a loop's own name as a value)
                return 'S[fp + %d]' % s
            return None
        i = w >> 1
        if self.h.code(i) == 3:
            return str(w)           # a box: string, bignum, vector ...
        if self.W[i] == SF0 + (R_QUOTE << 2):
            return str(self.h.car(self.h.cdr(w)))
        return None

    def free(self, w):
        # A variable of the closure's environment (the FRAMEs its parent
        # words link, [parent][slot]...): read where the machine keeps it
        d = ((w - HEAP0) >> 8) - len(self.frames)
        if d > 15:
            raise Skip()
        self.env = True
        e = 'W[(%s >> 1) + 3]' % ('S[f0 - 1]' if self.flat else 'S[fp - 1]')
        while d:
            e = 'W[(%s >> 1) + 1]' % e
            d -= 1
        return 'W[(%s >> 1) + %d]' % (e, 2 + (((w - HEAP0) >> 2) & 63))

    def items(self, lst):
        out = []
        h = self.h
        while lst != NIL:
            if lst & 1 or h.code(lst >> 1) == 3 or len(out) > 20:
                raise Skip()
            out.append(h.car(lst))
            lst = h.cdr(lst)
        return out

    def put(self, tgt, v):
        if tgt == 'loop':
            # the named let's value: out of its Python loop
            real = self.loop[3]
            self.put(real, v)
            if real != 'return':
                self.out('break')
        elif tgt == 'return' and self.flat:
            # back to the frame below, or out of this Python call
            self.put('a', v)
            self.out('if fp == f0:')
            self.out(' return a')
            self.out('pc = S[fp - 1] >> 2')
            self.out('fp -= S[fp - 2] >> 2')
            self.out('continue')
        elif tgt == 'return':
            # (out(), inline: the deepest frame of a translation)
            self.blocks[self.cur].append(' ' * self.ind + 'return ' + v)
        elif tgt is not None and tgt != v:
            self.blocks[self.cur].append(' ' * self.ind + tgt + ' = ' + v)

    def seq(self, body, tgt, t, tail):
        forms = self.items(body)
        if not forms:
            self.put(tgt, str(UNSPEC))
        for j in range(len(forms)):
            last = j == len(forms) - 1
            self.expr(forms[j], tgt if last else None, t, tail and last)

    def expr(self, w, tgt, t, tail):
        v = self.leaf(w)
        if v is not None:
            self.put(tgt, v)
            return
        if w & 1:
            if w < SYM0 or w >= CHAR0:
                raise Skip()
            g = (w - SYM0) >> 2
            self.out('a = G[%d]' % g)
            self.out('if a == %d:' % UNBOUND)
            self.out(' it.sp = ' + self.top(t))
            self.out(' a = it.autoload(%d)' % w)
            self.put(tgt, 'a')
            return
        self.depth += 1
        if self.depth > MAX_NEST:
            raise Skip()
        hd = self.W[w >> 1]
        rest = self.h.cdr(w)
        if hd & 3 == 3 and SF0 <= hd < PRIM0:
            self.form((hd - SF0) >> 2, rest, tgt, t, tail)
        else:
            self.call(hd, self.items(rest), tgt, t, tail)
        self.depth -= 1

    def test(self, w, t):
        # Code leaving the truth of w in a (a Python bool)
        if not w & 1 and self.h.code(w >> 1) != 3:
            hd = self.W[w >> 1]
            pid = self.inline(hd)
            args = self.items(self.h.cdr(w))
            if pid in TESTS and len(args) == 2:
                self.binary(hd, pid, args, t)
                self.out('if c:')
                self.out(' a = %s' % INLINE[pid])
                self.out('else:')
                self.slow(hd, t, 2, ' ')
                self.out(' a = a != %d' % FALSE)
                return
        self.expr(w, 'a', t, False)
        self.out('a = a != %d' % FALSE)

    def form(self, f, rest, tgt, t, tail):
        parts = self.items(rest)
        if self.flat and f in (R_IF, R_WHEN, R_UNLESS, R_COND, R_AND, R_OR) and \
                self.calls_self(rest):
            if f == R_AND or f == R_OR:
                raise Skip()
            if f == R_COND:
                arms = [self.items(cl) for cl in parts]
            elif f == R_IF:
                arms = [parts[:2], [SF0 + (R_ELSE << 2)] + parts[2:]]
            else:
                arms = [[parts[0]] + parts[1:]] if f == R_WHEN else \
                    [[parts[0], UNSPEC], [SF0 + (R_ELSE << 2)] + parts[1:]]
            self.branches(arms, tgt, t, tail)
            return
        if f == R_IF:
            self.test(parts[0], t)
            for j in (1, 2):
                self.out('if a:' if j == 1 else 'else:')
                self.ind += 1
                n = len(self.blocks[self.cur])
                if j < len(parts):
                    self.expr(parts[j], tgt, t, tail)
                else:
                    self.put(tgt, str(UNSPEC))
                if len(self.blocks[self.cur]) == n:
                    self.out('pass')
                self.ind -= 1
        elif f == R_BEGIN:
            self.seq(rest, tgt, t, tail)
        elif f == R_WHEN or f == R_UNLESS:
            self.test(parts[0], t)
            self.out('if %sa:' % ('' if f == R_WHEN else 'not '))
            self.ind += 1
            self.seq(self.h.cdr(rest), tgt, t, tail)
            self.ind -= 1
            self.out('else:')
            self.ind += 1
            self.put(tgt, str(UNSPEC))
            self.out('pass')
            self.ind -= 1
        elif f == R_AND or f == R_OR:
            if not parts:
                self.put(tgt, '7' if f == R_AND else str(FALSE))
                return
            # the value of each part but the last is kept in a temp
            x = self.temp(t)
            opened = 0
            for j in range(len(parts)):
                if j == len(parts) - 1:
                    self.expr(parts[j], tgt, t, tail)
                    break
                self.expr(parts[j], x, t, False)
                self.out('if %s %s %d:' % (x, '==' if f == R_AND else '!=', FALSE))
                self.ind += 1
                self.put(tgt, x)
                self.out('pass')
                self.ind -= 1
                self.out('else:')
                self.ind += 1
                opened += 1
            self.ind -= opened
        elif f == R_COND:
            opened = 0
            for cl in parts:
                c = self.items(cl)
                if c[0] == SF0 + (R_ELSE << 2):
                    self.seq(self.h.cdr(cl), tgt, t, tail)
                    break
                if len(c) < 2 or c[1] == SF0 + (R_ARROW << 2):
                    raise Skip()        # (cond (x)) and =>
                self.test(c[0], t)
                self.out('if a:')
                self.ind += 1
                self.seq(self.h.cdr(cl), tgt, t, tail)
                self.ind -= 1
                self.out('else:')
                self.ind += 1
                opened += 1
            else:
                self.put(tgt, str(UNSPEC))
                self.out('pass')
            self.ind -= opened
        elif f == R_LET:
            for b in self.items(parts[0]):
                bv = self.items(b)
                s = self.slot(bv[0])
                if s < 0 or len(bv) > 2:
                    raise Skip()
                slot = 'S[fp + %d]' % s
                if len(bv) == 2:
                    self.expr(bv[1], slot, t, False)
                else:
                    self.out(slot + ' = %d' % UNSPEC)
            self.seq(self.h.cdr(rest), tgt, t, tail)
        elif f == R_SET:
            s = self.slot(parts[0])
            if s < 0:
                raise Skip()
            self.expr(parts[1], 'S[fp + %d]' % s, t, False)
            self.put(tgt, str(UNSPEC))
        elif f == R_QUOTE:
            self.put(tgt, str(parts[0]))
        elif f == R_LAMBDA:
            self.closure(rest, tgt, t)
        else:
            raise Skip()        # lambda, define, case: the machine's

    def closure(self, lam, tgt, t):
        # (lambda info body...), lam its rest: a closure of its own
        # translated function. Where it reads variables of this procedure
        # (which keeps them on S), they are copied into FRAMEs for it, as
        # the machine would have made them: only when no set! changes one.
        e = self.subs.get(lam)
        if e is None:
            e = self.subs[lam] = sub_lambda(self.tier, lam, self.self_word)
        x = self.temp(t)
        env = str(NIL)
        if e[1]:
            if self.heap_sets():
                raise Skip()
            env = 'W[(%s >> 1) + 3]' % ('S[f0 - 1]' if self.flat else 'S[fp - 1]')
            for j in range(len(self.frames)):
                self.out('it.sp = ' + self.top(t + (j > 0)))
                self.out('%s = frame(%s, fp + %d, %d)' % (x, env, self.frames[j], self.sizes[j]))
                env = x
        self.out('it.sp = ' + self.top(t + (env == x)))
        self.out('a = lam(%s, %s)' % (e[0], env))
        self.put(tgt, 'a')

    def heap_sets(self):
        # whether a set! in this procedure (its lambdas too) changes a
        # variable kept in a frame
        for w in self.lists(self.body, True):
            if self.W[w >> 1] == SF0 + (R_SET << 2) and \
                    HEAP0 <= self.h.car(self.h.cdr(w)) < SYM0:
                return True
        return False

    def branches(self, arms, tgt, t, tail):
        # cond's arms [test, body...] as jumps between blocks
        join = -1 if tail else self.label()
        for c in arms:
            if (len(c) < 2 and c[0] != SF0 + (R_ELSE << 2)) or \
                    (len(c) > 1 and c[1] == SF0 + (R_ARROW << 2)):
                raise Skip()                # (cond (x)) and =>: the machine's
            nxt = -1
            if c[0] != SF0 + (R_ELSE << 2):
                self.test(c[0], t)
                nxt = self.label()
                self.out('if not a:')
                self.ind += 1
                self.goto(nxt)
                self.ind -= 1
            body = c[1:]
            if not body:
                self.put(tgt, str(UNSPEC))
            for j in range(len(body)):
                last = j == len(body) - 1
                self.expr(body[j], tgt if last else None, t, tail and last)
            if not tail:
                self.goto(join)
            if nxt < 0:
                break
            self.start(nxt)
        else:
            self.put(tgt, str(UNSPEC))
            if not tail:
                self.goto(join)
        if not tail:
            self.start(join)

    def inline(self, hd):
        # The inline primitive hd names now, or -1
        if hd & 3 == 3 and SYM0 <= hd < CHAR0:
            v = self.it.G[(hd - SYM0) >> 2]
            if v & 3 == 3 and PRIM0 <= v < LOCAL0:
                return (v - PRIM0) >> 2
        return -1

    def operands(self, args, t):
        # Code putting each argument at S[top(t) + 2 + j]
        for j in range(len(args)):
            self.expr(args[j], self.temp(t + 2 + j), t + 2 + j, False)

    def binary(self, hd, pid, args, t):
        # a (and b): the operands; c: whether the fast case applies (hd
        # still names the primitive; for arithmetic, both are fixnums)
        x = self.leaf(args[0])
        y = self.leaf(args[1]) if len(args) > 1 else None
        if x is None:
            self.expr(args[0], self.temp(t), t, False)
        if len(args) > 1:
            if y is None:
                # (above the first operand's slot only when it holds one:
                # every slot below a call's must hold a word)
                self.expr(args[1], 'b', t + 1 if x is None else t, False)
            else:
                self.out('b = ' + y)
        self.out('a = ' + (x if x is not None else self.temp(t)))
        c = 'G[%d] == %d' % ((hd - SYM0) >> 2, PRIM0 + (pid << 2))
        if pid in INLINE:
            c += ' and a & b & 1 and not (a | b) & 2'
        self.out('c = ' + c)

    def fast(self, hd, pid, args, t):
        # A builtin of FAST, inline: the fast case, else the general call
        n, test, code = FAST[pid]
        T = self.ns + t
        if n < 3:
            self.binary(hd, pid, args, t)
        else:
            # (as a general call: operator and operands in their slots)
            self.temp(t + 2 + n)
            self.out('S[fp + %d] = 1' % T)
            self.out('S[fp + %d] = %s' % (T + 1, self.opval(hd)))
            self.operands(args, t)
            self.out('a = S[fp + %d]' % (T + 2))
            self.out('b = S[fp + %d]' % (T + 3))
            self.out('c = G[%d] == %d' % ((hd - SYM0) >> 2, PRIM0 + (pid << 2)))
        self.out('if c and %s:' % test.replace('X', 'S[fp + %d]' % (T + 4)))
        for line in code.split('; '):
            self.out(' ' + line.replace('X', 'S[fp + %d]' % (T + 4)))
        self.out('else:')
        if n < 3:
            self.slow(hd, t, n, ' ')
        else:
            self.out(' a = call(fp + %d, %d, d)' % (T, n))

    def slow(self, op, t, n, ind):
        # the general call of op's value on the n operands in a (and b)
        T = self.ns + t
        self.temp(t + 3)
        self.out(ind + 'S[fp + %d] = a' % (T + 2))
        if n >= 2:
            self.out(ind + 'S[fp + %d] = b' % (T + 3))
        self.out(ind + 'S[fp + %d] = %s' % (T + 1, self.opval(op)))
        self.out(ind + 'a = call(fp + %d, %d, d)' % (T, n))

    def opval(self, op):
        v = self.leaf(op)
        if v is not None:
            return v
        if op & 3 == 3 and SYM0 <= op < CHAR0:
            return 'G[%d]' % ((op - SYM0) >> 2)
        raise Skip()

    def call(self, hd, args, tgt, t, tail):
        n = len(args)
        if hd == self.tier.pcode:
            raise Skip()                # (a translated procedure's body)
        if not hd & 1:
            loop = self.named_let(hd, args)
            if loop is None:
                raise Skip()            # ((f) x): the machine's
            self.run_loop(loop, args, tgt, t)
            return
        if self.loop is not None and self.slot(hd) in self.names:
            if not tail or self.slot(hd) != self.loop[0] or n != self.loop[2]:
                raise Skip()
            # round the loop again: the new values, then its slots
            for j in range(n):
                self.expr(args[j], self.temp(t + j), t + j, False)
            for j in range(n):
                self.out('S[fp + %d] = %s' % (self.loop[1] + j, self.temp(t + j)))
            self.out('continue')
            return
        if self.loop is not None:
            tail = False                # (the loop's tail, not the function's)
        pid = self.inline(hd)
        if pid in INLINE and n == 2:
            self.binary(hd, pid, args, t)
            self.out('if c:')
            if pid in TESTS:
                self.out(' a = %d if %s else %d' % (7, INLINE[pid], FALSE))
                self.out('else:')
            else:
                if pid == P_MUL:
                    self.out(' c = ((a >> 2) - 8192) * ((b >> 2) - 8192)')
                    self.out(' c = ((c + 8192) << 2) | 1 if -8192 <= c <= 8191 else 0')
                elif pid == P_REMAINDER:
                    # truncating: the sign of the dividend (0 by 0: the builtin's error)
                    self.out(' c = (b >> 2) - 8192')
                    self.out(' if c:')
                    self.out('  c = abs((a >> 2) - 8192) % abs(c)')
                    self.out('  c = (((-c if a < 32769 else c) + 8192) << 2) | 1')
                else:
                    self.out(' c = ' + INLINE[pid])
                    self.out(' if not 0 < c < 65536:')
                    self.out('  c = 0')
                self.out('if c:')
                self.out(' a = c')
                self.out('else:')
            self.slow(hd, t, 2, ' ')
            self.put(tgt, 'a')
            return
        if pid in FAST and n == FAST[pid][0]:
            self.fast(hd, pid, args, t)
            self.put(tgt, 'a')
            return
        if (pid == P_CAR or pid == P_CDR) and n == 1:
            # a pair (or a compact list's element: its cdr code says)
            self.binary(hd, pid, args, t)
            self.out('if c and not a & 1:')
            self.out(' b = (C[a >> 3] >> (a & 6)) & 3')
            self.out('else:')
            self.out(' b = 3')
            self.out('if b != 3:')
            self.out(' a = W[a >> 1]' if pid == P_CAR else
                     ' a = a + 2 if b == 1 else W[(a >> 1) + 1] if b == 0 else %d' % NIL)
            self.out('else:')
            self.slow(hd, t, 1, ' ')
            self.put(tgt, 'a')
            return
        if pid == P_CONS and n == 2:
            # (the arena roots a and b itself if it collects)
            self.binary(hd, pid, args, t)
            self.out('if c:')
            self.out(' it.sp = fp + %d' % (self.ns + t))
            self.out(' a = cons(a, b)')
            self.out('else:')
            self.slow(hd, t, 2, ' ')
            self.put(tgt, 'a')
            return
        if (pid == P_EQ and n == 2) or ((pid == P_NOT or pid == P_NULL) and n == 1):
            self.binary(hd, pid, args, t)
            fast = 'a == b' if pid == P_EQ else 'a == %d' % (FALSE if pid == P_NOT else NIL)
            self.out('if c:')
            self.out(' a = 7 if %s else %d' % (fast, FALSE))
            self.out('else:')
            self.slow(hd, t, n, ' ')
            self.put(tgt, 'a')
            return
        # the operator's value first: the slots below each operand's code
        # must hold words the collector can read
        T = self.ns + t
        self.temp(t + 2 + n)
        self.out('S[fp + %d] = 1' % T)
        self.out('S[fp + %d] = %s' % (T + 1, self.opval(hd)))
        for j in range(n):
            self.expr(args[j], self.temp(t + 2 + j), t + 2 + j, False)
        e = None
        if tail and not (hd == self.self_word and n == self.nargs):
            # d odd: the machine called this function (Tier.enter); flat,
            # only its own first frame's tail is the machine's
            self.out('if d & 1%s:' % (' and fp == f0' if self.flat else ''))
            self.out(' return tail(fp, fp + %d, %d)' % (T, n))
        if hd & 3 == 3 and SYM0 <= hd < CHAR0:
            if hd == self.self_word and n == self.nargs:
                e = ename(self.k, n)
            else:
                k = known(self.tier, self.it.G[(hd - SYM0) >> 2], n)
                if k >= 0:
                    e = ename(k, n)
        if e is None:
            v = self.it.G[(hd - SYM0) >> 2] if hd & 3 == 3 and SYM0 <= hd < CHAR0 else -1
            if v >= 0 and not (v & 3 == 3 and PRIM0 < v < LOCAL0) and v not in self.tier.later:
                # a call the machine would run nested (which costs a heap
                # frame each time): wait until the callee is compiled
                WAITING[0] = True
                raise Skip()
            self.out('a = call(fp + %d, %d, d)' % (T, n))
            self.put(tgt, 'a')
            return
        if tail and hd == self.self_word and n == self.nargs:
            # a jump: the new arguments replace the old
            self.out('if S[fp + %d] == %s[1]:' % (T + 1, e))
            for j in range(n):
                self.out(' S[fp + %d] = S[fp + %d]' % (j, T + 2 + j))
            if self.flat:
                self.out(' pc = 0')
            else:
                for s in range(self.nargs, self.ns):
                    self.out(' S[fp + %d] = %d' % (s, UNSPEC))
            self.out(' continue')
        elif hd == self.self_word and n == self.nargs:
            if not self.flat:
                raise Flat()
            # a new frame on S above this one's, with the way back
            back = self.label()
            self.out('if S[fp + %d] == %s[1]:' % (T + 1, e))
            self.out(' S[fp + %d] = %d' % (T, ((T + 2) << 2) | 1))
            self.out(' S[fp + %d] = %d' % (T + 1, (back << 2) | 1))
            self.out(' fp += %d' % (T + 2))
            self.out(' pc = 0')
            self.out(' continue')
            self.out('a = call(fp + %d, %d, d)' % (T, n))
            self.goto(back)
            self.start(back)
            self.put(tgt, 'a')
            return
        self.out('if d < %d and S[fp + %d] == %s[1]:' % (2 * self.tier.limit, T + 1, e))
        self.out(' a = %s[0](fp + %d, (d | 1) + 1)' % (e, T + 2))
        self.out('else:')
        self.out(' a = call(fp + %d, %d, d)' % (T, n))
        self.put(tgt, 'a')
