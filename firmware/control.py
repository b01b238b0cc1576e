# Control builtins: continuations (escape-only), multiple values, error
# objects, promises, parameters, record types, macros and eval. The
# procedures users call (dynamic-wind, raise, guard, force, ...) are written
# in Scheme in library.scm on top of these; a builtin that must call a Lisp
# procedure sets the call up on S and returns TAILCALL, so the evaluator
# makes the call without Python recursion.
from compat import const
from arena import (decode, LispError, NIL, TRUE, FALSE, UNSPEC, TAILCALL, ESCAPE,
                   SYM0, CHAR0, T_CLOSURE, T_PY, RK_VALUES, RK_ERROR, RK_PROMISE,
                   RK_MACRO, RK_CONT, RK_PARAM, RK_TYPE, RK_ENV, USER_KIND, UNBOUND)
from args import arg_int, name, truth, tail_call, call_library
from compiler import KW0, NKW
from builtin_table import base_of

BASE = base_of('control')         # number of its first builtin
K_CATCH_RAW = const(61)     # (K_CATCH << 2) | 1, see evaluator.py
CONT_LIVE = const(7)        # word offset of a continuation's live flag


def field(it, v, k):
    return it.heap.W[(v >> 1) + 2 + k]


def set_field(it, v, k, x):
    it.heap.W[(v >> 1) + 2 + k] = x


def arg_record(it, v, kind, who, what):
    if it.heap.record_kind(v) != kind:
        raise LispError(name(it, who) + ': not ' + what + ': ' + it.show(v))
    return v


# -- continuations -----------------------------------------------------------------
def p_callcc(it, a, n, op):
    # [k][K_CATCH] marks the extent of this call/cc; f is called above it
    # with k. The continuation records where that mark is and the machine
    # registers to restore when it is thrown to.
    h = it.heap
    base = a - 1
    R = h.R
    pos = h.make_int(base)
    it.push(pos)
    fp = h.make_int(it.fp)
    it.push(fp)
    k = h.alloc_record(RK_CONT, 6, NIL)
    it.sp -= 2
    W = h.W
    i = (k >> 1) + 2
    W[i] = pos
    W[i + 1] = fp
    W[i + 2] = R[0]
    W[i + 3] = R[10]
    W[i + 4] = R[11]
    W[i + 5] = TRUE
    S = it.S
    f = S[a]
    S[base] = k
    S[base + 1] = K_CATCH_RAW
    S[base + 2] = f
    S[base + 3] = k
    return tail_call(it, base + 2, base + 4)


def live_pos(it, k, who):
    # Stack position of a continuation's mark, if it can still be thrown to.
    k = arg_record(it, k, RK_CONT, who, 'a continuation')
    h = it.heap
    pos = h.int_value(field(it, k, 0))
    if pos < it.floor:
        raise LispError('continuation: cannot escape from a macro expansion or library load')
    if field(it, k, 5) == FALSE or pos + 2 > it.sp or it.S[pos] != k \
            or it.S[pos + 1] != K_CATCH_RAW:
        raise LispError('continuation: cannot re-enter a continuation whose extent has ended'
                        ' (Mote continuations escape only)')
    return pos


def p_cont_check(it, a, n, op):
    live_pos(it, it.S[a], op)
    return UNSPEC


def p_cont_winders(it, a, n, op):
    return field(it, arg_record(it, it.S[a], RK_CONT, op, 'a continuation'), 4)


def p_escape(it, a, n, op):
    # (%escape k v): unwind to k's mark and return v there.
    k = it.S[a]
    pos = live_pos(it, k, op)
    h = it.heap
    R = h.R
    R[5] = it.S[a + 1]
    R[10] = field(it, k, 3)
    R[11] = field(it, k, 4)
    it.sp = pos + 2
    it.fp = h.int_value(field(it, k, 1))
    it.env = field(it, k, 2)
    t = getattr(it, 'tier', None)
    if t is not None and pos < t.top:
        # below the machine that compiled code started: unwind to it
        import tier_runtime
        raise tier_runtime.Throw()
    return ESCAPE


def p_register(it, a, n, op):
    # %winders %set-winders! %handlers %set-handlers! %current-output
    # %set-current-output!: the dynamic state, kept in registers R[10..12]
    op -= BASE + P_WINDERS
    r = 11 if op < 2 else 10 if op < 4 else 12
    if op & 1:
        it.heap.R[r] = it.S[a]
        return UNSPEC
    return it.heap.R[r]


# -- multiple values -----------------------------------------------------------------
def p_values(it, a, n, op):
    if n == 1:
        return it.S[a]
    h = it.heap
    v = h.alloc_record(RK_VALUES, n, NIL)
    for k in range(n):
        h.W[(v >> 1) + 2 + k] = it.S[a + k]
    return v


def p_spread_values(it, a, n, op):
    # (%spread-values consumer v): call consumer with v's values
    S = it.S
    v = S[a + 1]
    S[a - 1] = S[a]
    h = it.heap
    if h.record_kind(v) != RK_VALUES:
        S[a] = v
        return tail_call(it, a - 1, a + 1)
    m = h.box_size(v) - 1
    if a + m > it.stack_limit:
        raise LispError('stack overflow')
    for k in range(m):
        S[a + k] = field(it, v, k)
    return tail_call(it, a - 1, a + m)


# -- error objects --------------------------------------------------------------------
def p_error_test(it, a, n, op):
    # error-object? error-object-message error-object-irritants
    op -= BASE + P_ERROR_TEST
    v = it.S[a]
    if op == 0:
        return truth(it.heap.record_kind(v) == RK_ERROR)
    return field(it, arg_record(it, v, RK_ERROR, op + BASE + P_ERROR_TEST,
                                'an error object'), op - 1)


def error_text(it, v):
    # What the REPL prints after "Error: " for a raised object.
    h = it.heap
    if h.record_kind(v) != RK_ERROR:
        return 'uncaught exception: ' + it.show(v)
    m = field(it, v, 0)
    from printer import to_text
    t = to_text(it, m, False)
    lst = field(it, v, 1)
    while h.is_pair(lst):
        t += ' ' + it.show(h.car(lst))
        lst = h.cdr(lst)
    return t


def p_uncaught(it, a, n, op):
    # raise with no handler installed: a Python LispError to the top level
    raise LispError(error_text(it, it.S[a]))


# -- promises, parameters, record types -------------------------------------------------
def p_make_record(it, a, n, op):
    # %make-error %make-promise %make-param %make-record-type: two-field
    # records
    kind = (RK_ERROR, RK_PROMISE, RK_PARAM, RK_TYPE)[op - BASE - P_MAKE_ERROR]
    v = it.heap.alloc_record(kind, 2, NIL)
    set_field(it, v, 0, it.S[a])
    set_field(it, v, 1, it.S[a + 1])
    return v


def p_record_test(it, a, n, op):
    # promise? %promise-done? %promise-value %param-converter
    op -= BASE + P_PROMISEP
    v = it.S[a]
    if op == 0:
        return truth(it.heap.record_kind(v) == RK_PROMISE)
    kind = RK_PROMISE if op < 3 else RK_PARAM
    v = arg_record(it, v, kind, op + BASE + P_PROMISEP,
                   'a promise' if kind == RK_PROMISE else 'a parameter')
    return field(it, v, 0 if op == 1 else 1)


def p_record_set(it, a, n, op):
    # (%promise-set! p done value), (%param-set! p value)
    S = it.S
    if op - BASE == P_PROMISE_SET:
        p = arg_record(it, S[a], RK_PROMISE, op, 'a promise')
        set_field(it, p, 0, S[a + 1])
        set_field(it, p, 1, S[a + 2])
    else:
        set_field(it, arg_record(it, S[a], RK_PARAM, op, 'a parameter'), 0, S[a + 1])
    return UNSPEC


def p_record(it, a, n, op):
    # (%record type field ...): an instance of a define-record-type type
    h = it.heap
    t = arg_record(it, it.S[a], RK_TYPE, op, 'a record type')
    v = h.alloc_record(0, n - 1, NIL, t)
    for k in range(1, n):
        set_field(it, v, k - 1, it.S[a + k])
    return v


def p_recordp(it, a, n, op):
    return truth(it.heap.record_kind(it.S[a]) == USER_KIND + it.S[a + 1])


def p_record_ref(it, a, n, op):
    # (%record-ref r type k who) and (%record-set! r type k v who)
    S = it.S
    r = S[a]
    h = it.heap
    if h.record_kind(r) != USER_KIND + S[a + 1]:
        who = S[a + 3] if n == 4 else S[a + 4]
        raise LispError(it.show(who) + ': wrong record type: ' + it.show(r))
    k = (S[a + 2] >> 2) - 8192
    if n == 4:
        return field(it, r, k)
    set_field(it, r, k, S[a + 3])
    return UNSPEC


# -- macros and eval ---------------------------------------------------------------------
def p_define_macro(it, a, n, op):
    # (%define-macro 'name transformer [temporary]): transformer is a
    # procedure (of the macro's operands) or a (syntax-rules ...) list
    s = it.S[a]
    if s & 3 != 3 or not SYM0 <= s < CHAR0:
        raise LispError('define-syntax: not a name: ' + it.show(s))
    temp = n > 2 and it.S[a + 2] != FALSE
    v = it.heap.alloc_record(RK_MACRO, 2 if temp else 1, NIL)
    set_field(it, v, 0, it.S[a + 1])
    if temp:
        # let-syntax's renamed macros, and define-syntax's in a body, live
        # until the top-level form is done; then the name gets back what
        # it had (pairs: the symbol, its value before, which the record
        # keeps alive meanwhile)
        old = it.G[(s - SYM0) >> 2]
        set_field(it, v, 1, old)
        it.temp_macros.append(s)
        it.temp_macros.append(old)
    it.G[(s - SYM0) >> 2] = v
    return s


def p_scope(it, a, n, op):
    # syntax-rules' hygiene. (%scope sym height): sym is a free name of a
    # template whose macro was defined at that scope height (0: a global
    # macro). If a local variable where the compiler is binds sym again
    # above the height, the answer is what to put in sym's place: an alias
    # (sym%%height, a macro [sym][height] the compiler's lookup knows) if
    # sym was a local variable there; else, for a global variable #t
    # (syntax-rules puts (%global 'sym) there), for a keyword (if, else,
    # ...) or a global macro its alias %%if (a macro whose transformer is
    # the keyword, which the compiler's keyword() knows, or the macro's
    # name, which %expand knows). (%scope): the scope height if the compiler is
    # inside a body (a define-syntax there is local to it), else #f.
    c = it.compiler
    if not c.busy:
        return FALSE
    if not n:
        return ((c.nscope + 8192) << 2) | 1 if c.nlevel > 1 or c.nscope > 0 else FALSE
    s = it.S[a]
    if s & 3 != 3 or not SYM0 <= s < CHAR0:
        return FALSE
    top = (it.S[a + 1] >> 2) - 8192
    k = c.nscope - 1
    while k >= 0 and c.names[k] != s:
        k -= 1
    if k < top:
        return FALSE
    while k >= 0 and (k >= top or c.names[k] != s):
        k -= 1
    i = (s - SYM0) >> 2
    if k >= 0 or KW0 <= s < KW0 + (NKW << 2) or it.heap.record_kind(it.G[i]) == RK_MACRO or (
            i >= it.lib_first and it.lib_macros[i - it.lib_first]):
        b = it.symbols.name(i) + '%%' + str(top) if k >= 0 else '%%' + it.symbols.name(i)
        b = b.encode()
        v = it.symbol(b, 0, len(b))
        j = (v - SYM0) >> 2
        if it.heap.record_kind(it.G[j]) != RK_MACRO:
            g = it.heap.alloc_record(RK_MACRO, 2 if k >= 0 else 1, NIL)
            set_field(it, g, 0, s)
            if k >= 0:
                set_field(it, g, 1, ((top + 8192) << 2) | 1)
            it.G[j] = g
        return v
    return TRUE


def p_global(it, a, n, op):
    # (%global 'sym): the global value of sym, whatever shadows it
    s = it.S[a]
    if s & 3 != 3 or not SYM0 <= s < CHAR0:
        raise LispError('%global: not a symbol: ' + it.show(s))
    v = it.G[(s - SYM0) >> 2]
    return v if v != UNBOUND else it.autoload(s)


def p_macro_transformer(it, a, n, op):
    return field(it, arg_record(it, it.S[a], RK_MACRO, op, 'a macro'), 0)


def p_gensym(it, a, n, op):
    it.gensyms += 1
    pre = 'g'
    if n:
        v = it.S[a]
        pre = decode(it.heap.string_bytes(v)) if it.heap.box_type(v) == 1 else \
            it.symbols.name((v - SYM0) >> 2) if v & 3 == 3 and SYM0 <= v < CHAR0 else pre
    b = (pre + '%' + str(it.gensyms)).encode()
    return it.symbol(b, 0, len(b))


def p_eval(it, a, n, op):
    # (%eval form): compile form as a top-level form (it is a copy: the
    # compiler rewrites in place) and call it as a procedure of no arguments.
    h = it.heap
    cell = h.cons(it.S[a], NIL)
    it.S[a] = cell
    info = it.compile(cell)
    c = h.alloc_box(T_CLOSURE, 4, NIL)
    h.W[c + 1] = (info << 2) | 1
    h.W[c + 2] = it.S[a]
    h.W[c + 3] = NIL
    h.W[c + 4] = FALSE
    it.S[a - 1] = c << 1
    return tail_call(it, a - 1, a)


def p_emergency_exit(it, a, n, op):
    # (emergency-exit [code]): #t or none is 0, #f is 1
    v = it.S[a] if n else TRUE
    raise SystemExit(0 if v == TRUE else 1 if v == FALSE else arg_int(it, v, op))


def p_environment(it, a, n, op):
    return it.heap.alloc_record(RK_ENV, 0, NIL)


def apply_object(it, base, n):
    # The evaluator calls this for an operator that is not a builtin or a
    # closure: continuations and parameter objects can be called.
    h = it.heap
    S = it.S
    op = S[base]
    kind = h.record_kind(op)
    if kind == RK_CONT:
        # (k v ...) is (%throw k v ...), which runs dynamic-wind exits first
        f = it.global_value('%throw')       # first: it may load (uses S)
        sp = base + 1 + n
        if sp + 1 > it.stack_limit:
            raise LispError('stack overflow')
        k = sp
        while k > base + 1:
            S[k] = S[k - 1]
            k -= 1
        S[base] = f
        S[base + 1] = op
        return tail_call(it, base, sp + 1)
    if kind == RK_PARAM and n == 0:
        return field(it, op, 0)
    if kind == RK_MACRO:
        raise LispError('macro used as a procedure: ' + it.show(op))
    if h.box_type(op) == T_PY:
        import interop              # a Python callable: (f x) is (py-call f x)
        return interop.apply(it, base, n)
    raise LispError('not a procedure: ' + it.show(op))



FUNCS = (p_callcc, p_callcc, p_cont_check, p_cont_winders, p_escape,
         p_register, p_register, p_register, p_register, p_register, p_register,
         p_values, p_spread_values, p_error_test, p_error_test,
         p_error_test, p_uncaught, p_make_record, p_make_record, p_make_record, p_make_record,
         p_record_test, p_record_test, p_record_test, p_record_test,
         p_record_set, p_record_set, p_record, p_recordp, p_record_ref,
         p_define_macro, p_macro_transformer, p_gensym, p_eval, p_environment, p_scope,
         p_global, p_emergency_exit)

# places of family heads within TABLE (host_tests check them)
P_WINDERS = const(5)
P_ERROR_TEST = const(13)
P_MAKE_ERROR = const(17)
P_PROMISEP = const(21)
P_PROMISE_SET = const(25)
