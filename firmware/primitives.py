# The core built-in procedures (pairs, lists, equivalence, type tests,
# vectors, output). FUNCS holds, for each name of builtin_names.CORE in
# order, its Python function f(it, a, n, op), reading its n arguments from
# S[a:a+n]. Adding a builtin costs a row, not a class. The first entries
# are numbered in evaluator.py, arith.py and text.py (P_*): keep their
# order. builtin_table.py appends the other modules' functions.
from compat import const
from arena import (LispError, NIL, TRUE, FALSE, UNSPEC, CHAR0, SYM0, OTHER,
                   T_STRING, T_INT, T_VECTOR, T_CLOSURE, MAXSIZE, RK_CONT, RK_PARAM,
                   RK_ERROR, T_FLOAT, T_CHAR)
from printer import print_console
from args import (arg_int, arg_index, arg_pair, arg_vector, truth,
                  build_list, list_length, spread, call_library)

from arena import T_BYTES


# -- pairs and lists ---------------------------------------------------------------
def p_cons(it, a, n, op):
    return it.heap.cons(it.S[a], it.S[a + 1])


def p_cxr(it, a, n, op):
    # c[ad]{1,3}r: CXR_PATHS holds each one's letters as bits, last letter
    # lowest (1 = a), above a leading 1
    k = CXR_PATHS[op - P_CAR]
    v = it.S[a]
    h = it.heap
    while k > 1:
        if v & 1 or h.code(v >> 1) == OTHER:
            arg_pair(it, v, op)
        v = h.W[v >> 1] if k & 1 else h.cdr(v)
        k >>= 1
    return v


def p_set(it, a, n, op):
    # set-car! set-cdr!
    p = arg_pair(it, it.S[a], op)
    h = it.heap
    i = p >> 1
    if op == P_SETCAR:
        h.W[i] = it.S[a + 1]
    elif h.code(i) != 0:
        raise LispError('set-cdr!: cannot change a literal (compact) list: ' + it.show(p))
    else:
        h.W[i + 1] = it.S[a + 1]
    return UNSPEC


def p_list(it, a, n, op):
    return build_list(it, a, n, NIL)


def p_length(it, a, n, op):
    return it.heap.make_int(list_length(it, it.S[a], op))


def p_listp(it, a, n, op):
    v = it.S[a]
    h = it.heap
    k = 0
    while v != NIL:
        if v & 1 or h.code(v >> 1) == OTHER or k > h.n:
            return FALSE
        v = h.cdr(v)
        k += 1
    return TRUE


def p_append(it, a, n, op):
    if n == 0:
        return NIL
    base = it.sp
    for k in range(a, a + n - 1):
        spread(it, it.S[k], op)
    r = build_list(it, base, it.sp - base, it.S[a + n - 1])
    it.sp = base
    return r


def p_reverse(it, a, n, op):
    # (r needs no root: cons roots its operands when it collects, and v
    # walks the list S[a] holds; a: v's cdr code, inline)
    h = it.heap
    v = it.S[a]
    n = list_length(it, v, op)
    r = NIL
    while n:
        r = h.cons(h.W[v >> 1], r)
        a = (h.C[v >> 3] >> (v & 6)) & 3
        v = h.W[(v >> 1) + 1] if a == 0 else v + 2
        n -= 1
    return r


def p_list_tail(it, a, n, op):
    v = it.S[a]
    k = arg_int(it, it.S[a + 1], op)
    while k > 0:
        arg_pair(it, v, op)
        v = it.heap.cdr(v)
        k -= 1
    return v


def p_list_ref(it, a, n, op):
    v = p_list_tail(it, a, n, op)
    arg_pair(it, v, op)
    return it.heap.W[v >> 1]


def p_member(it, a, n, op):
    # memq memv member (op order gives eq?, eqv?, equal?); (member x list =)
    # is the library's %member-by. The loop is a function of its own, with
    # few locals: its frame then stays on MicroPython's C stack.
    if n == 3:
        return call_library(it, a, n, LIBRARY_PROCS[0])
    return member_of(it, it.S[a], it.S[a + 1], op)


def member_of(it, x, v, op):
    h = it.heap
    while v != NIL:
        arg_pair(it, v, op)
        if same(it, x, h.car(v), op - P_MEMQ):
            return v
        v = h.cdr(v)
    return FALSE


def p_assoc(it, a, n, op):
    # assq assv assoc; (assoc key alist =) is the library's %assoc-by
    if n == 3:
        return call_library(it, a, n, LIBRARY_PROCS[1])
    return assoc_of(it, it.S[a], it.S[a + 1], op)


def assoc_of(it, x, v, op):
    h = it.heap
    while v != NIL:
        arg_pair(it, v, op)
        if entry_is(it, x, h.car(v), op):
            return h.car(v)
        v = h.cdr(v)
    return FALSE


def entry_is(it, x, e, op):
    arg_pair(it, e, op)
    return same(it, x, it.heap.car(e), op - P_ASSQ)


# -- equivalence ------------------------------------------------------------------
def eqv(it, x, y):
    # same word, or numbers of the same exactness and value (arith.py),
    # or chars above U+1FFF of the same code
    if x == y:
        return True
    h = it.heap
    tx = h.box_type(x)
    if (tx == T_INT or tx == T_FLOAT or tx == T_CHAR) and h.box_type(y) == tx:
        from arith import eqv_number
        return eqv_number(it, x, y)
    return False


def same(it, x, y, kind):
    if kind == 0:
        return x == y
    if kind == 1:
        return eqv(it, x, y)
    return equal(it, x, y)


def equal(it, x, y):
    # Structural equality with an explicit stack of pending pairs on S
    # (few locals: the frame stays on MicroPython's C stack). Past as many
    # steps as the arena has words the data is circular or shared:
    # circular.py compares it in a way that ends.
    h = it.heap
    it.push(x)
    it.push(y)
    base = it.sp
    k = h.top
    while True:
        k -= 1
        if k < 0:
            # (no new local, and a shallow operand stack: a bigger frame
            # would be allocated on MicroPython's heap at every call)
            it.sp = base
            x = it.S[base - 2]
            y = it.S[base - 1]
            k = __import__('circular')
            k = k.equal(it, x, y)
            it.sp = base - 2
            return k
        if not eqv(it, x, y):
            if h.is_pair(x) and h.is_pair(y):
                it.push(h.cdr(x))
                it.push(h.cdr(y))
                x = h.car(x)
                y = h.car(y)
                continue
            if not equal_boxes(it, x, y):
                it.sp = base - 2
                return False
        if it.sp == base:
            it.sp = base - 2
            return True
        it.sp -= 2
        x = it.S[it.sp]
        y = it.S[it.sp + 1]


def equal_boxes(it, x, y):
    # equal? of two non-pairs that are not eqv?: strings and bytevectors by
    # content; vectors push their elements for equal to compare
    h = it.heap
    tx = h.box_type(x)
    if (tx == T_STRING or tx == T_BYTES) and h.box_type(y) == tx:
        return h.string_bytes(x) == h.string_bytes(y)
    if tx == T_VECTOR and h.box_type(y) == T_VECTOR and h.box_size(x) == h.box_size(y):
        for k in range(h.box_size(x)):
            it.push(h.W[(x >> 1) + 1 + k])
            it.push(h.W[(y >> 1) + 1 + k])
        return True
    return False


def p_same(it, a, n, op):
    # eq? eqv? equal?
    return truth(same(it, it.S[a], it.S[a + 1], op - P_EQ))


def p_type_test(it, a, n, op):
    # null? not pair? symbol? string? char? boolean? procedure? vector?
    # number? integer? exact?
    v = it.S[a]
    h = it.heap
    op -= P_NULL
    if op < 2:
        return truth(v == (NIL if op == 0 else FALSE))
    op -= 2
    if op >= 7:
        # number? integer? exact?: a float's integer? is arith.py's question
        if v & 3 == 1 or h.box_type(v) == T_INT:
            return TRUE
        if h.box_type(v) != T_FLOAT or op == 9:
            return FALSE
        return float_test(it, v, op - 7)
    if op == 0:
        return truth(h.is_pair(v))
    if op == 1:
        return truth(v & 3 == 3 and SYM0 <= v < CHAR0)
    if op == 2:
        return truth(h.box_type(v) == T_STRING)
    if op == 3:
        return truth(v & 3 == 3 and v >= CHAR0 or h.box_type(v) == T_CHAR)
    if op == 4:
        return truth(v == TRUE or v == FALSE)
    if op == 5:
        return truth(is_procedure(it, v))
    return truth(h.box_type(v) == T_VECTOR)


def float_test(it, v, k):
    # number? integer? of a float (a function of its own: an import in
    # p_type_test would make its frame too big for MicroPython's C stack)
    from arith import number_test
    return number_test(it, v, k)


def is_procedure(it, v):
    # builtins, closures, and the callable records: continuations, parameters
    if v & 3 == 3:
        return 0x1003 <= v < 0x2003
    h = it.heap
    if h.box_type(v) == T_CLOSURE:
        return True
    v = h.record_kind(v)
    return v == RK_CONT or v == RK_PARAM


# -- symbols, strings, chars ---------------------------------------------------------
# -- vectors ----------------------------------------------------------------------
def make_vector(it, a, n):
    # A vector of the n words S[a:a+n].
    h = it.heap
    i = h.alloc_box(T_VECTOR, n, NIL)
    for k in range(n):
        h.W[i + 1 + k] = it.S[a + k]
    return i << 1


def p_vector_length(it, a, n, op):
    # (small expressions: a frame that fits MicroPython's C stack)
    v = arg_vector(it, it.S[a], op)
    return (((it.heap.W[v >> 1] & MAXSIZE) + 8192) << 2) | 1


def p_vector(it, a, n, op):
    # vector make-vector vector-ref vector-set! vector-length list->vector
    # (vector->list and vector-fill! take ranges: data.py has them)
    h = it.heap
    op -= P_VECTOR
    if op == 0:
        return make_vector(it, a, n)
    if op == 1:
        m = arg_int(it, it.S[a], op + P_VECTOR)
        if not 0 <= m <= MAXSIZE:
            raise LispError('make-vector: bad length: ' + str(m))
        return h.alloc_box(T_VECTOR, m, it.S[a + 1] if n > 1 else FALSE) << 1
    if op == 6:
        base = it.sp
        r = make_vector(it, base, spread(it, it.S[a], P_VECTOR + 6))
        it.sp = base
        return r
    v = arg_vector(it, it.S[a], op + P_VECTOR)
    size = h.box_size(v)
    i = (v >> 1) + 1
    if op == 2 or op == 3:
        i += arg_index(it, it.S[a + 1], op + P_VECTOR, size)
        if op == 2:
            return h.W[i]
        h.W[i] = it.S[a + 2]
    else:
        return h.make_int(size)
    return UNSPEC


# -- output and system -----------------------------------------------------------------
def p_print(it, a, n, op):
    # (display x [port]) (write x [port]); ports are ports.py's
    if n == 1 and it.heap.R[12] == NIL:
        print_console(it, it.S[a], op != P_DISPLAY)
    else:
        import ports
        ports.print_value(it, it.S[a], ports.out_port(it, a, n, 1, op), op != P_DISPLAY)
    return UNSPEC


def p_system(it, a, n, op):
    # newline gc room exit
    op -= P_NEWLINE
    if op == 0:
        if n == 0 and it.heap.R[12] == NIL:
            it.out('\n')
            it.col0 = True
        else:
            import ports
            ports.port_write(it, ports.out_port(it, a, n, 0, P_NEWLINE), '\n')
    elif op == 1:
        it.heap.collector()
    elif op == 2:
        import system
        system.room(it)
    else:
        # exit: the library runs the dynamic-wind afters, then emergency-exit
        return call_library(it, a, n, LIBRARY_PROCS[3])
    return UNSPEC


def p_error(it, a, n, op):
    # (error msg irritant ...): raise an error object, by a tail call to
    # raise (library.scm), so handlers and guard see it
    h = it.heap
    it.push(build_list(it, a + 1, n - 1, NIL))
    e = h.alloc_record(RK_ERROR, 2, NIL)
    h.W[(e >> 1) + 2] = it.S[a]
    h.W[(e >> 1) + 3] = it.S[it.sp - 1]
    it.S[a] = e
    it.sp = a + 1
    return call_library(it, a, 1, LIBRARY_PROCS[2])


# library.scm's procedures some builtins hand their call to (a tuple
# constant: no qstr for each)
LIBRARY_PROCS = ('%member-by', '%assoc-by', 'raise', '%exit-after-winders')

# A row naming a module ('arith', 'text', ...) is a builtin whose code
# is there: the module is imported on the first call of one of its builtins
# (a board keeps its bytecode in RAM only if the program uses it; fixnum
# arithmetic never calls them) and its CORE functions take those rows.
FUNCS = (
    None, 'arith', 'arith', 'arith', 'arith', 'arith', 'arith', 'arith', p_cons,
    'arith', 'arith', 'arith', 'arith', 'arith', 'arith', 'arith', 'numeric', 'numeric',
    'numeric', 'arith', 'arith', 'arith', 'arith', 'arith', p_list, p_length, p_append,
    p_reverse, p_list_tail, p_list_ref, p_member, p_member, p_member, p_assoc, p_assoc,
    p_assoc, p_type_test, p_type_test, p_type_test, p_type_test, p_type_test,
    p_type_test, p_type_test, p_type_test, p_type_test, p_type_test, p_type_test,
    p_type_test, p_listp, p_set, p_set, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr,
    p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_cxr, p_same, p_same, p_same, 'text',
    'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text',
    'text', 'text', 'text', 'text', 'text', 'number_syntax', 'number_syntax', 'text', 'text',
    'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text',
    'text', p_vector, p_vector, p_vector, p_vector, p_vector_length, 'data', p_vector,
    'data', p_print, p_print, p_error, p_system, p_system, p_system, p_system,
)



# The first builtin of each family, by its place in builtin_names.CORE, and
# the car/cdr paths of car ... cdddr (a bit per letter, 1 for a, under a
# leading 1): host_tests/test_budgets.py checks them against the names.
P_LT = const(3)
P_QUOTIENT = const(10)
P_MIN = const(14)
P_ZERO = const(19)
P_MEMQ = const(30)
P_ASSQ = const(33)
P_NULL = const(36)
P_STRING_EQ = const(75)
P_CHAR_EQ = const(88)
P_UPCASE = const(93)
P_ALPHA = const(95)
P_DISPLAY = const(108)
P_EQ = const(65)
P_SETCAR = const(49)
P_NEWLINE = const(111)
P_VECTOR = const(100)
P_CAR = const(51)
CXR_PATHS = b'\x03\x02\x07\x06\x05\x04\x0f\x0e\r\x0c\x0b\n\t\x08'
