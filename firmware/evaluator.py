# The evaluator: an explicit-control machine. Lisp calls never become Python
# calls: operands, frames and continuations live on Mote's stack S, so depth
# is bounded by S, and calls in tail position reuse their caller's frame.
#
# Registers: x (expression), val, env (heap frame of the running procedure,
# or its closure's env), fp (first stack slot of the running procedure).
# Stack records; the top word holds the record's kind as (K << 2) | 1, a
# fixnum-tagged word, so the collector can scan the stack exactly:
#   K_RET    [caller env][(record pos - caller fp) << 2 | 1][K_RET]
#   K_ARG    [rest of combination][argc << 6 | K_ARG << 2 | 1]
#   K_IF ... [rest of the form][K_*]          if, begin, set!, and, or, ...
#   K_LET    [bindings left][body][K_LET]
#   K_CATCH  [continuation][K_CATCH]   popped: the continuation is dead
# A procedure's activation is [op][slots...][K_RET record]; fp points at
# its first slot. A call whose record below is a K_RET is a tail call: the
# new activation slides down over the old one.
from compat import const
from arena import LispError
from builtin_table import ROW_FAMILY, FIRST, load

# Word constants of arena.py, repeated here as module-local const() so that
# mpy-cross folds them into the bytecode of the hot loop instead of looking
# them up as globals (host_tests check the two copies agree).
_NIL = const(3)
_TRUE = const(7)
_FALSE = const(11)
_UNSPEC = const(15)
_UNBOUND = const(23)
_TAILCALL = const(31)
_ESCAPE = const(35)
_CAR = const(0)
_NEXT = const(1)
_LAST = const(2)
_OTHER = const(3)
_T_VECTOR = const(3)
_T_CLOSURE = const(4)
_T_FRAME = const(5)
_PRIM0 = const(0x1003)        # primitive 0 (word ranges: WORDS.md)
_SF0 = const(0x0803)          # special form 0
_LOCAL0 = const(0x2003)       # stack local, slot 0
_HEAP0 = const(0x3003)        # heap local, depth 0 slot 0
_SYM0 = const(0x4003)         # symbol 0 (global variables)
_CHAR0 = const(0x8003)        # character 0: the first word past the symbols
_FIX0 = const(0x8001)         # the fixnum 0
_PRIM_ADD = const(0x1007)     # _PRIM0 + 4 * P_ADD (the inline arithmetic: + to >=)
_PRIM_LT = const(0x100F)      # _PRIM0 + 4 * P_LT
_PRIM_GE = const(0x101F)      # _PRIM0 + 4 * P_GE

# registers (Interp.heap.R): roots the collector sees
_R_ENV = const(0)             # env of the running procedure
_R_X = const(1)               # the lambda form a closure is being made from
_R_ESCAPED = const(5)         # the value a continuation carries (%escape)
_R_HANDLERS = const(10)       # exception handlers (with-exception-handler)

# resolved special forms: the compiler rewrites a form's head to _SF0 + 4*k
R_QUOTE = const(0)
R_IF = const(1)
R_DEFINE = const(2)
R_SET = const(3)
R_LAMBDA = const(4)
R_BEGIN = const(5)
R_LET = const(6)
R_COND = const(7)
R_CASE = const(8)
R_AND = const(9)
R_OR = const(10)
R_WHEN = const(11)
R_UNLESS = const(12)
R_ELSE = const(13)
R_ARROW = const(14)
W_ELSE = const(0x0837)        # _SF0 + 4 * R_ELSE
W_ARROW = const(0x083B)

K_TOP = const(0)
K_RET = const(1)
K_ARG = const(2)
K_IF = const(3)
K_SEQ = const(4)
K_DEFINE = const(5)
K_SET = const(6)
K_LET = const(7)
K_AND = const(8)
K_OR = const(9)
K_WHEN = const(10)
K_UNLESS = const(11)
K_COND = const(12)
K_CASE = const(13)
K_ARROW = const(14)
K_CATCH = const(15)           # [continuation][K_CATCH]: call/cc's extent
RAW_RET = const(5)            # (K_RET << 2) | 1

M_EVAL = const(0)
M_RETURN = const(1)
M_ARGS = const(2)
M_APPLY = const(3)
M_SEQ = const(4)
M_COND = const(5)

# primitives the machine runs inline (their places in builtin_names.CORE;
# host_tests check the numbers)
P_APPLY = const(0)
P_ADD = const(1)
P_SUB = const(2)
P_LT = const(3)
P_GT = const(4)
P_NUMEQ = const(5)
P_LE = const(6)
P_GE = const(7)
P_CONS = const(8)
P_MUL = const(9)
P_QUOTIENT = const(10)
P_REMAINDER = const(11)
P_MODULO = const(12)
P_NULL = const(36)
P_NOT = const(37)
P_PAIRP = const(38)
P_CAR = const(51)
P_CDR = const(52)
P_EQ = const(65)
P_VREF = const(102)
P_VSET = const(103)
P_PYCODE = const(384)         # %pycode, python_tier.py's builtin


def run(it, x, apply_base=-1):
    # Evaluate x with the registers in `it` (or, given apply_base, apply
    # the call S[apply_base:it.sp]); returns the value when the K_TOP
    # record under it is reached. A LispError becomes a call to `raise`
    # when an exception handler is installed, so guard catches it.
    h = it.heap
    W = h.W
    C = h.C
    S = it.S
    G = it.G
    R = h.R
    prims = it.prims            # the core builtins'; then each family's
    ncore = len(prims)
    families = it.families
    arity = it.arity
    sp = it.sp
    fp = it.fp
    env = it.env
    limit = it.stack_limit
    val = _UNSPEC
    mode = M_EVAL
    p = _NIL
    base = 0
    if apply_base >= 0:
        base = apply_base
        mode = M_APPLY
    while True:
        try:
            while True:
                if mode == M_RETURN:
                    # hand val to the record on top of the stack
                    top = S[sp - 1]
                    k = (top >> 2) & 15
                    if k == K_RET:
                        sp -= 3
                        env = S[sp]
                        cfp = sp - (S[sp + 1] >> 2)
                        sp = fp - 1
                        fp = cfp
                        R[_R_ENV] = env
                    elif k == K_ARG:
                        p = S[sp - 2]
                        sp -= 2
                        base = sp - (top >> 6)
                        S[sp] = val
                        sp += 1
                        mode = M_ARGS
                    elif k == K_IF:
                        rest = h.cdr(S[sp - 2])
                        sp -= 2
                        if val == _FALSE:
                            rest = h.cdr(rest)
                            if rest == _NIL:
                                val = _UNSPEC
                                continue
                        x = W[rest >> 1]
                        mode = M_EVAL
                    elif k == K_SEQ:
                        p = S[sp - 2]
                        sp -= 2
                        mode = M_SEQ
                    elif k == K_LET:
                        bs = S[sp - 3]
                        b = W[W[bs >> 1] >> 1]
                        if _LOCAL0 <= b < _HEAP0:
                            S[fp + ((b - _LOCAL0) >> 2)] = val
                        else:
                            store(it, b, val, fp, env)
                        bs = h.cdr(bs)
                        if bs == _NIL:
                            p = S[sp - 2]
                            sp -= 3
                            mode = M_SEQ
                        else:
                            S[sp - 3] = bs
                            b = h.cdr(W[bs >> 1])
                            if b == _NIL:
                                val = _UNSPEC
                            else:
                                x = W[b >> 1]
                                mode = M_EVAL
                    elif k == K_COND:
                        p = S[sp - 2]
                        sp -= 2
                        if val == _FALSE:
                            p = h.cdr(p)
                            mode = M_COND
                        else:
                            rest = h.cdr(W[p >> 1])
                            if rest != _NIL:
                                if W[rest >> 1] == W_ARROW:
                                    S[sp] = val
                                    S[sp + 1] = (K_ARROW << 2) | 1
                                    sp += 2
                                    x = W[h.cdr(rest) >> 1]
                                    mode = M_EVAL
                                else:
                                    p = rest
                                    mode = M_SEQ
                    elif k == K_AND or k == K_OR:
                        if (val == _FALSE) == (k == K_AND):
                            sp -= 2
                            continue
                        rest = S[sp - 2]
                        x = W[rest >> 1]
                        rest = h.cdr(rest)
                        if rest == _NIL:
                            sp -= 2
                        else:
                            S[sp - 2] = rest
                        mode = M_EVAL
                    elif k == K_WHEN or k == K_UNLESS:
                        p = S[sp - 2]
                        sp -= 2
                        if (val != _FALSE) == (k == K_WHEN) and p != _NIL:
                            mode = M_SEQ
                        else:
                            val = _UNSPEC
                    elif k == K_SET or k == K_DEFINE:
                        t = S[sp - 2]
                        sp -= 2
                        if k == K_DEFINE:
                            G[(t - _SYM0) >> 2] = val
                            if h.box_type(val) == _T_CLOSURE and W[(val >> 1) + 4] == _FALSE:
                                W[(val >> 1) + 4] = t
                                # the second tier may translate it (python_tier.py)
                                it.sp = sp
                                load(it, val, -1, P_PYCODE)
                        else:
                            store(it, t, val, fp, env)
                        val = _UNSPEC
                    elif k == K_ARROW:
                        a = S[sp - 2]
                        base = sp - 2
                        S[base] = val
                        S[base + 1] = a
                        mode = M_APPLY
                    elif k == K_CASE:
                        p = S[sp - 2]
                        sp -= 2
                        while p != _NIL:
                            cl = W[p >> 1]
                            d = W[cl >> 1]
                            if d == W_ELSE or it.memv(val, d):
                                break
                            p = h.cdr(p)
                        if p == _NIL:
                            val = _UNSPEC
                            continue
                        rest = h.cdr(cl)
                        if rest != _NIL and W[rest >> 1] == W_ARROW:
                            S[sp] = val
                            S[sp + 1] = (K_ARROW << 2) | 1
                            sp += 2
                            x = W[h.cdr(rest) >> 1]
                            mode = M_EVAL
                        elif rest == _NIL:
                            pass
                        else:
                            p = rest
                            mode = M_SEQ
                    elif k == K_CATCH:
                        # call/cc returned normally: its continuation dies
                        # (escape-only continuations)
                        W[(S[sp - 2] >> 1) + 7] = _FALSE
                        sp -= 2
                        continue
                    else:   # K_TOP
                        sp -= 1
                        it.sp = sp
                        it.fp = fp
                        it.env = env
                        return val
                    if mode == M_RETURN:
                        continue

                if mode == M_ARGS:
                    # push operator and operand values; p: what is left to evaluate
                    while p != _NIL:
                        i = p >> 1
                        a = W[i]
                        c = (C[i >> 2] >> ((i & 3) << 1)) & 3
                        if c == _NEXT:
                            p += 2
                        elif c == _CAR:
                            p = W[i + 1]
                        else:
                            p = _NIL
                        if a & 1:
                            if a & 2 == 0 or a >= _CHAR0 or a < _LOCAL0:
                                pass
                            elif a >= _SYM0:
                                v = G[(a - _SYM0) >> 2]
                                if v == _UNBOUND:
                                    it.sp = sp
                                    R[_R_ENV] = env
                                    v = it.autoload(a)
                                a = v
                            elif a >= _HEAP0:
                                d = (a - _HEAP0) >> 2
                                e = env
                                k = d >> 6
                                while k:
                                    e = W[(e >> 1) + 1]
                                    k -= 1
                                a = W[(e >> 1) + 2 + (d & 63)]
                            else:
                                a = S[fp + ((a - _LOCAL0) >> 2)]
                        else:
                            j = a >> 1
                            c = (C[j >> 2] >> ((j & 3) << 1)) & 3
                            if c != _OTHER:
                                # (op q r) with op one of + - < > = <= >= and q, r
                                # fixnum constants or stack locals is computed here,
                                # without a round trip through the machine (the
                                # hottest path; R_IF below has the comparisons too)
                                v = 0
                                op = W[j]
                                if c == _NEXT and op & 3 == 3 and _SYM0 <= op < _CHAR0:
                                    op = G[(op - _SYM0) >> 2]
                                    if op & 3 == 3 and _PRIM_ADD <= op <= _PRIM_GE and \
                                            (C[(j + 1) >> 2] >> (((j + 1) & 3) << 1)) & 3 == _NEXT and \
                                            (C[(j + 2) >> 2] >> (((j + 2) & 3) << 1)) & 3 == _LAST:
                                        q = W[j + 1]
                                        if q & 3 == 3 and _LOCAL0 <= q < _HEAP0:
                                            q = S[fp + ((q - _LOCAL0) >> 2)]
                                        r = W[j + 2]
                                        if r & 3 == 3 and _LOCAL0 <= r < _HEAP0:
                                            r = S[fp + ((r - _LOCAL0) >> 2)]
                                        if q & r & 1 and (q | r) & 2 == 0:
                                            op = (op - _PRIM0) >> 2
                                            if op == P_ADD:
                                                r = (q >> 2) + (r >> 2) - 16384
                                                if -8192 <= r <= 8191:
                                                    v = ((r + 8192) << 2) | 1
                                            elif op == P_SUB:
                                                r = (q >> 2) - (r >> 2)
                                                if -8192 <= r <= 8191:
                                                    v = ((r + 8192) << 2) | 1
                                            elif op == P_LT:
                                                v = _TRUE if q < r else _FALSE
                                            elif op == P_GT:
                                                v = _TRUE if q > r else _FALSE
                                            elif op == P_NUMEQ:
                                                v = _TRUE if q == r else _FALSE
                                            elif op == P_LE:
                                                v = _TRUE if q <= r else _FALSE
                                            else:
                                                v = _TRUE if q >= r else _FALSE
                                if v:
                                    if sp > limit:
                                        it.sp = sp
                                        raise LispError('stack overflow')
                                    S[sp] = v
                                    sp += 1
                                    continue
                                # a compound operand: evaluate it, then come back
                                argc = sp - base
                                if argc > 1023:
                                    raise LispError('too many operands in one call')
                                S[sp] = p
                                S[sp + 1] = (argc << 6) | (K_ARG << 2) | 1
                                sp += 2
                                hd = W[a >> 1]
                                if hd & 3 != 3 or not _SF0 <= hd < _PRIM0:
                                    # a call: start on its operands right here
                                    if sp > limit:
                                        it.sp = sp
                                        raise LispError('stack overflow')
                                    base = sp
                                    p = a
                                    continue
                                x = a
                                mode = M_EVAL
                                break
                        S[sp] = a
                        sp += 1
                    else:
                        mode = M_APPLY
                    if mode == M_EVAL:
                        if sp > limit:
                            it.sp = sp
                            raise LispError('stack overflow')
                        continue

                if mode == M_APPLY:
                    op = S[base]
                    n = sp - base - 1
                    if op & 3 == 3 and _PRIM0 <= op < _LOCAL0:
                        pid = (op - _PRIM0) >> 2
                        if n == 2 and pid <= P_GE:
                            a = S[base + 1]
                            b = S[base + 2]
                            if a & b & 1 and (a | b) & 2 == 0:
                                # both fixnums: the common case, done in place
                                if pid == P_ADD:
                                    r = (a >> 2) + (b >> 2) - 16384
                                    if -8192 <= r <= 8191:
                                        val = ((r + 8192) << 2) | 1
                                        sp = base
                                        mode = M_RETURN
                                        continue
                                elif pid == P_SUB:
                                    r = (a >> 2) - (b >> 2)
                                    if -8192 <= r <= 8191:
                                        val = ((r + 8192) << 2) | 1
                                        sp = base
                                        mode = M_RETURN
                                        continue
                                elif pid == P_LT:
                                    val = _TRUE if a < b else _FALSE
                                    sp = base
                                    mode = M_RETURN
                                    continue
                                elif pid == P_GT:
                                    val = _TRUE if a > b else _FALSE
                                    sp = base
                                    mode = M_RETURN
                                    continue
                                elif pid == P_NUMEQ:
                                    val = _TRUE if a == b else _FALSE
                                    sp = base
                                    mode = M_RETURN
                                    continue
                                elif pid == P_LE:
                                    val = _TRUE if a <= b else _FALSE
                                    sp = base
                                    mode = M_RETURN
                                    continue
                                elif pid == P_GE:
                                    val = _TRUE if a >= b else _FALSE
                                    sp = base
                                    mode = M_RETURN
                                    continue
                        elif n == 1 and pid >= P_NULL:
                            # list primitives on one argument, done in place
                            a = S[base + 1]
                            j = a >> 1
                            c = _OTHER if a & 1 else (C[j >> 2] >> ((j & 3) << 1)) & 3
                            val = 0
                            if pid == P_CAR and c != _OTHER:
                                val = W[j]
                            elif pid == P_CDR and c != _OTHER:
                                val = (a + 2 if c == _NEXT else W[j + 1] if c == _CAR else _NIL)
                            elif pid == P_NULL:
                                val = _TRUE if a == _NIL else _FALSE
                            elif pid == P_NOT:
                                val = _TRUE if a == _FALSE else _FALSE
                            elif pid == P_PAIRP:
                                val = _TRUE if c != _OTHER else _FALSE
                            if val:
                                sp = base
                                mode = M_RETURN
                                continue
                        elif n == 2 and pid == P_MUL and S[base + 1] & S[base + 2] & 1 and \
                                (S[base + 1] | S[base + 2]) & 2 == 0 and \
                                -8192 <= ((S[base + 1] >> 2) - 8192) * ((S[base + 2] >> 2) - 8192) <= 8191:
                            val = ((((S[base + 1] >> 2) - 8192) * ((S[base + 2] >> 2) - 8192) + 8192) << 2) | 1
                            sp = base
                            mode = M_RETURN
                            continue
                        elif n == 2 and P_QUOTIENT <= pid <= P_MODULO and S[base + 1] & S[base + 2] & 1 \
                                and (S[base + 1] | S[base + 2]) & 2 == 0 and S[base + 2] != _FIX0:
                            # quotient, remainder, modulo of fixnums (_FIX0 is 0)
                            a = (S[base + 1] >> 2) - 8192
                            b = (S[base + 2] >> 2) - 8192
                            if pid == P_MODULO:
                                a = a % b
                            else:
                                r = abs(a) // abs(b)
                                if (a < 0) != (b < 0):
                                    r = -r
                                a = a - b * r if pid != P_QUOTIENT else r
                            if a <= 8191:
                                val = ((a + 8192) << 2) | 1
                                sp = base
                                mode = M_RETURN
                                continue
                        elif (n == 2 and pid == P_VREF) or (n == 3 and pid == P_VSET):
                            # vector-ref, vector-set! with a fixnum index in range
                            a = S[base + 1]
                            j = a >> 1
                            b = S[base + 2]
                            if not a & 1 and (C[j >> 2] >> ((j & 3) << 1)) & 3 == _OTHER and \
                                    W[j] >> 11 == _T_VECTOR and b & 3 == 1 and \
                                    0 <= (b >> 2) - 8192 < W[j] & 2047:
                                j += 1 + (b >> 2) - 8192
                                if pid == P_VREF:
                                    val = W[j]
                                else:
                                    W[j] = S[base + 3]
                                    val = _UNSPEC
                                sp = base
                                mode = M_RETURN
                                continue
                        elif n == 2 and (pid == P_CONS or pid == P_EQ):
                            if pid == P_EQ:
                                val = _TRUE if S[base + 1] == S[base + 2] else _FALSE
                            else:
                                it.sp = sp
                                R[_R_ENV] = env
                                val = h.cons(S[base + 1], S[base + 2])
                            sp = base
                            mode = M_RETURN
                            continue
                        lo = arity[pid]         # lo | hi << 3, hi 31: any
                        if n < lo & 7 or (n > lo >> 3 and lo < 248):
                            it.sp = sp
                            raise LispError('%s: wrong number of arguments: %d' % (it.prim_name(pid), n))
                        if pid == P_APPLY:
                            # (apply f a ... lst): spread lst and call f in place
                            lst = S[sp - 1]
                            whole = lst
                            sp -= 1
                            for k in range(base, sp - 1):
                                S[k] = S[k + 1]
                            sp -= 1
                            while lst != _NIL:
                                if lst & 1 or (C[(lst >> 1) >> 2] >> (((lst >> 1) & 3) << 1)) & 3 == _OTHER:
                                    it.sp = sp
                                    raise LispError('apply: not a proper list: ' + it.show(whole))
                                if sp > limit:
                                    it.sp = sp
                                    raise LispError('stack overflow')
                                S[sp] = W[lst >> 1]
                                sp += 1
                                lst = h.cdr(lst)
                            continue
                        it.sp = sp
                        it.fp = fp
                        R[_R_ENV] = env
                        if pid < ncore:
                            val = prims[pid](it, base + 1, n, pid)
                        else:
                            # (builtin_table.function, inline)
                            k = ROW_FAMILY[pid - ncore]
                            if families[k] is None:
                                val = load(it, base + 1, n, pid)
                            else:
                                val = families[k][pid - FIRST[k]](it, base + 1, n, pid)
                        if val == _TAILCALL:
                            # the builtin set up a call for us to make
                            base = it.tbase
                            sp = it.sp
                            continue
                        if val == _ESCAPE:
                            # the builtin threw to a continuation
                            sp = it.sp
                            fp = it.fp
                            env = it.env
                            R[_R_ENV] = env
                            val = R[_R_ESCAPED]
                            R[_R_ESCAPED] = _NIL
                            limit = it.stack_limit
                            mode = M_RETURN
                            continue
                        sp = base
                        mode = M_RETURN
                        continue
                    ci = op >> 1
                    if op & 1 or (C[ci >> 2] >> ((ci & 3) << 1)) & 3 != _OTHER or W[ci] >> 11 != _T_CLOSURE:
                        # continuations, parameters, or not a procedure
                        it.sp = sp
                        R[_R_ENV] = env
                        val = it.apply_object(base, n)
                        if val == _TAILCALL:
                            base = it.tbase
                            sp = it.sp
                            continue
                        sp = base
                        mode = M_RETURN
                        continue
                    info = W[ci + 1] >> 2
                    nreq = info & 63
                    if n != nreq and (n < nreq or not info & 64):
                        it.sp = sp
                        raise LispError('%s: wrong number of arguments: %d (takes %s%d)' % (
                            it.proc_name(op), n, 'at least ' if info & 64 else '', nreq))
                    nslots = info >> 8
                    if info & 64:
                        # rest parameter: gather the extra arguments into a list
                        it.sp = sp
                        R[_R_ENV] = env
                        lst = _NIL
                        k = sp - 1
                        while k >= base + 1 + nreq:
                            lst = h.cons(S[k], lst)
                            k -= 1
                        S[base + 1 + nreq] = lst
                        sp = base + 2 + nreq
                    if sp + nslots + 8 > limit:
                        it.sp = sp
                        raise LispError('stack overflow')
                    while sp < base + 1 + nslots:
                        S[sp] = _UNSPEC
                        sp += 1
                    if info & 128:
                        # this procedure makes closures: its frame lives in the arena
                        it.sp = sp
                        R[_R_ENV] = env
                        fr = h.alloc_box(_T_FRAME, 1 + nslots, _UNSPEC)
                        W[fr + 1] = W[ci + 3]
                        for k in range(nslots):
                            W[fr + 2 + k] = S[base + 1 + k]
                        newenv = fr << 1
                        sp = base + 1
                    else:
                        newenv = W[ci + 3]
                    if base >= 3 and S[base - 1] == RAW_RET:
                        # tail call: the caller's activation is finished; slide this
                        # one down over it and keep the caller's return record
                        old = fp - 1
                        cenv = S[base - 3]
                        cfp = base - 3 - (S[base - 2] >> 2)
                        m = sp - base
                        for k in range(m):
                            S[old + k] = S[base + k]
                        sp = old + m
                        S[sp] = cenv
                        S[sp + 1] = ((sp - cfp) << 2) | 1
                        S[sp + 2] = RAW_RET
                        fp = old + 1
                    else:
                        S[sp] = env
                        S[sp + 1] = ((sp - fp) << 2) | 1
                        S[sp + 2] = RAW_RET
                        fp = base + 1
                    sp += 3
                    env = newenv
                    if info & 128:
                        R[_R_ENV] = env      # a heap frame: only this register holds it
                    p = W[ci + 2]
                    mode = M_SEQ

                if mode == M_SEQ:
                    # evaluate the body p; its last form is in tail position
                    i = p >> 1
                    x = W[i]
                    c = (C[i >> 2] >> ((i & 3) << 1)) & 3
                    if c == _NEXT:
                        S[sp] = p + 2
                        S[sp + 1] = (K_SEQ << 2) | 1
                        sp += 2
                    elif c == _CAR and W[i + 1] != _NIL:
                        S[sp] = W[i + 1]
                        S[sp + 1] = (K_SEQ << 2) | 1
                        sp += 2
                    mode = M_EVAL

                if mode == M_COND:
                    # p: the cond clauses still to try
                    if p == _NIL:
                        val = _UNSPEC
                        mode = M_RETURN
                    else:
                        cl = W[p >> 1]
                        x = W[cl >> 1]
                        if x == W_ELSE:
                            p = h.cdr(cl)
                            mode = M_SEQ
                            continue
                        S[sp] = p
                        S[sp + 1] = (K_COND << 2) | 1
                        sp += 2
                        mode = M_EVAL

                if mode == M_EVAL:
                    if x & 1:
                        if x & 2 == 0 or x >= _CHAR0 or x < _LOCAL0:
                            val = x
                        elif x >= _SYM0:
                            val = G[(x - _SYM0) >> 2]
                            if val == _UNBOUND:
                                it.sp = sp
                                R[_R_ENV] = env
                                val = it.autoload(x)
                        elif x >= _HEAP0:
                            d = (x - _HEAP0) >> 2
                            e = env
                            k = d >> 6
                            while k:
                                e = W[(e >> 1) + 1]
                                k -= 1
                            val = W[(e >> 1) + 2 + (d & 63)]
                        else:
                            val = S[fp + ((x - _LOCAL0) >> 2)]
                        mode = M_RETURN
                    else:
                        i = x >> 1
                        if (C[i >> 2] >> ((i & 3) << 1)) & 3 == _OTHER:
                            val = x             # strings, numbers, vectors
                            mode = M_RETURN
                            continue
                        if sp > limit:
                            it.sp = sp
                            raise LispError('stack overflow')
                        hd = W[i]
                        if hd & 3 != 3 or not _SF0 <= hd < _PRIM0:
                            base = sp
                            p = x
                            mode = M_ARGS
                            continue
                        f = (hd - _SF0) >> 2
                        c = (C[i >> 2] >> ((i & 3) << 1)) & 3
                        rest = x + 2 if c == _NEXT else W[i + 1] if c == _CAR else _NIL
                        if f == R_IF:
                            # A test (op q r) of fixnums is computed right here, as
                            # in the operand loop above (the same few lines: a
                            # helper function would cost a heap-allocated frame on
                            # MicroPython for every if).
                            j = W[rest >> 1] >> 1
                            v = 0
                            if not W[rest >> 1] & 1 and (C[j >> 2] >> ((j & 3) << 1)) & 3 == _NEXT:
                                op = W[j]
                                if op & 3 == 3 and _SYM0 <= op < _CHAR0:
                                    op = G[(op - _SYM0) >> 2]
                                    if op & 3 == 3 and _PRIM_LT <= op <= _PRIM_GE and \
                                            (C[(j + 1) >> 2] >> (((j + 1) & 3) << 1)) & 3 == _NEXT and \
                                            (C[(j + 2) >> 2] >> (((j + 2) & 3) << 1)) & 3 == _LAST:
                                        q = W[j + 1]
                                        if q & 3 == 3 and _LOCAL0 <= q < _HEAP0:
                                            q = S[fp + ((q - _LOCAL0) >> 2)]
                                        r = W[j + 2]
                                        if r & 3 == 3 and _LOCAL0 <= r < _HEAP0:
                                            r = S[fp + ((r - _LOCAL0) >> 2)]
                                        if q & r & 1 and (q | r) & 2 == 0:
                                            op = (op - _PRIM0) >> 2
                                            if op == P_LT:
                                                v = _TRUE if q < r else _FALSE
                                            elif op == P_GT:
                                                v = _TRUE if q > r else _FALSE
                                            elif op == P_NUMEQ:
                                                v = _TRUE if q == r else _FALSE
                                            elif op == P_LE:
                                                v = _TRUE if q <= r else _FALSE
                                            else:
                                                v = _TRUE if q >= r else _FALSE
                            if v:
                                # the branch: then is the word after the test,
                                # else the one after that (compact forms)
                                i = rest >> 1
                                c = (C[i >> 2] >> ((i & 3) << 1)) & 3
                                rest = rest + 2 if c == _NEXT else h.cdr(rest)
                                if v == _FALSE:
                                    rest = h.cdr(rest)
                                    if rest == _NIL:
                                        val = _UNSPEC
                                        mode = M_RETURN
                                        continue
                                x = W[rest >> 1]
                                continue
                            S[sp] = rest
                            S[sp + 1] = (K_IF << 2) | 1
                            sp += 2
                            x = W[rest >> 1]
                        elif f == R_QUOTE:
                            val = W[rest >> 1]
                            mode = M_RETURN
                        elif f == R_LET:
                            bs = W[rest >> 1]
                            body = h.cdr(rest)
                            if bs == _NIL:
                                p = body
                                mode = M_SEQ
                                continue
                            S[sp] = bs
                            S[sp + 1] = body
                            S[sp + 2] = (K_LET << 2) | 1
                            sp += 3
                            b = h.cdr(W[bs >> 1])
                            if b == _NIL:
                                val = _UNSPEC
                                mode = M_RETURN
                            else:
                                x = W[b >> 1]
                        elif f == R_LAMBDA:
                            it.sp = sp
                            R[_R_ENV] = env
                            R[_R_X] = x
                            c = h.alloc_box(_T_CLOSURE, 4, _NIL)
                            W[c + 1] = W[rest >> 1]
                            W[c + 2] = h.cdr(rest)
                            W[c + 3] = env
                            W[c + 4] = _FALSE
                            val = c << 1
                            mode = M_RETURN
                        elif f == R_SET or f == R_DEFINE:
                            S[sp] = W[rest >> 1]
                            S[sp + 1] = ((K_SET if f == R_SET else K_DEFINE) << 2) | 1
                            sp += 2
                            e = h.cdr(rest)
                            if e == _NIL:
                                val = _UNSPEC
                                mode = M_RETURN
                            else:
                                x = W[e >> 1]
                        elif f == R_BEGIN:
                            if rest == _NIL:
                                val = _UNSPEC
                                mode = M_RETURN
                            else:
                                p = rest
                                mode = M_SEQ
                        elif f == R_COND:
                            p = rest
                            mode = M_COND
                        elif f == R_AND or f == R_OR:
                            if rest == _NIL:
                                val = _TRUE if f == R_AND else _FALSE
                                mode = M_RETURN
                                continue
                            x = W[rest >> 1]
                            rest = h.cdr(rest)
                            if rest != _NIL:
                                S[sp] = rest
                                S[sp + 1] = ((K_AND if f == R_AND else K_OR) << 2) | 1
                                sp += 2
                        elif f == R_WHEN or f == R_UNLESS:
                            S[sp] = h.cdr(rest)
                            S[sp + 1] = ((K_WHEN if f == R_WHEN else K_UNLESS) << 2) | 1
                            sp += 2
                            x = W[rest >> 1]
                        elif f == R_CASE:
                            S[sp] = h.cdr(rest)
                            S[sp + 1] = (K_CASE << 2) | 1
                            sp += 2
                            x = W[rest >> 1]
                        else:
                            it.sp = sp
                            raise LispError('bad syntax: ' + it.show(x))
                        continue
        except (LispError, MemoryError) as e:
            # an error with a handler installed: call (raise obj) right here
            # (a builtin's MemoryError too: the arena never waits on Python's
            # heap halfway through a change)
            if R[_R_HANDLERS] == _NIL or sp > it.stack_limit + 16:
                raise e         # (not a bare raise: the native emitter lacks it)
            it.sp = sp
            R[_R_ENV] = env
            it.raise_error(e)
            base = it.tbase
            sp = it.sp
            limit = it.stack_limit + 40     # room for the handler
            mode = M_APPLY


def store(it, t, val, fp, env):
    # set! into a variable: a global symbol or a resolved local. Few locals
    # on purpose: a bigger frame would be heap-allocated on MicroPython.
    if t >= _SYM0:
        t = (t - _SYM0) >> 2
        if it.G[t] == _UNBOUND:
            raise LispError('set!: unbound variable: ' + it.symbols.name(t))
        it.G[t] = val
    elif t >= _HEAP0:
        t -= _HEAP0
        fp = t >> 8                 # frames to walk up
        W = it.heap.W
        while fp:
            env = W[(env >> 1) + 1]
            fp -= 1
        W[(env >> 1) + 2 + ((t >> 2) & 63)] = val
    else:
        it.S[fp + ((t - _LOCAL0) >> 2)] = val
