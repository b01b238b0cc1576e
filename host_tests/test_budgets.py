"""Each memory and depth budget of the core issue, checked on counted
quantities (bytes, words, depth), never on time."""
import re
import sys
import pytest

from conftest import run_micropython, FIRMWARE, fresh, steady_growth




def free(it):
    return it.stats()["bytes_free"]


def settled(it):
    """Free bytes once the last form read and its value are dropped and
    garbage is collected: what the program's data really holds."""
    from arena import NIL
    it.heap.R[3] = it.heap.R[4] = it.heap.R[8] = it.heap.R[9] = NIL
    it.collector.collect()
    return free(it)


# -- pairs and compact lists --------------------------------------------------------

def test_pair_costs_four_bytes_plus_four_bits():
    it = fresh()
    it.eval_string("(define keep '())")
    before = settled(it)
    it.eval_string("(set! keep (cons 1 (cons 2 (cons 3 (cons 4 (cons 5 '()))))))")
    assert before - settled(it) == 5 * 4
    # the side table is 2 bits per 16-bit word: 4 bits per pair
    h = it.heap
    assert len(h.C) * 8 == 2 * h.n
    assert it.eval_string("keep") == "(1 2 3 4 5)"


def test_built_list_costs_four_bytes_per_element():
    it = fresh()
    before = settled(it)
    it.eval_string("(define big (let loop ((i 0) (acc '())) "
                   "(if (< i 1000) (loop (+ i 1) (cons i acc)) acc)))")
    assert before - settled(it) == 1000 * 4


def test_literal_list_is_one_word_per_element_without_terminator():
    it = fresh()
    text = "(" + " ".join(str(i) for i in range(200)) + ")"
    before = free(it)
    ref = it.read(text)
    assert before - free(it) == 200 * 2
    assert it.repr(ref) == text


def test_cdr_of_compact_list_allocates_nothing():
    # Walking 10 or 1000 elements of a literal list costs the same arena:
    # only the (identical) code of the call, nothing per cdr.
    it = fresh()
    it.eval_string("(define lit10 '(" + " ".join("x" * 10) + "))")
    it.eval_string("(define lit1k '(" + " ".join("x" * 1000) + "))")
    it.eval_string("(define (walk l n) (if (pair? l) (walk (cdr l) (+ n 1)) n))")
    runs = it.stats()["gc_runs"]
    used = []
    for name in ("lit10", "lit1k"):
        before = free(it)
        it.eval_string("(walk %s 0)" % name)
        used.append(before - free(it))
    assert used[0] == used[1]
    assert it.stats()["gc_runs"] == runs
    assert it.eval_string("(walk lit1k 0)") == "1000"
    assert it.eval_string("(cddr (cdddr '(a b c d e f g h i j)))") == "(f g h i j)"


def test_compact_and_consed_lists_are_equal_and_mutable_as_scheme_says():
    it = fresh()
    assert it.eval_string("(equal? '(1 2 3) (list 1 2 3))") == "#t"
    assert it.eval_string("(let ((l (list 1 2 3))) (set-cdr! (cddr l) '(4)) l)") == "(1 2 3 4)"
    assert it.eval_string("(let ((l (list 1 2))) (set-cdr! (cdr l) 3) l)") == "(1 2 . 3)"
    assert it.eval_string("(define lit '(1 2 3)) (set-car! lit 9) lit") == "(9 2 3)"
    from arena import LispError
    with pytest.raises(LispError, match="set-cdr!: cannot change a literal"):
        it.eval_string("(set-cdr! lit 5)")
    assert it.eval_string("'(a b . c)") == "(a b . c)"
    assert it.eval_string("(cdr (cdr '(a b . c)))") == "c"


# -- symbols ---------------------------------------------------------------------------

def test_builtins_leave_the_program_its_symbol_ids():
    for board in ("unix",):
        it = fresh(board=board)
        st = it.stats()
        assert st["symbols_max"] - st["symbols_used"] >= 200


def test_unreferenced_symbols_are_reclaimed():
    it = fresh()
    base = it.stats()["symbols_used"]
    it.eval_string("(define syms (map (lambda (i) (string->symbol (string-append \"s\" "
                   "(number->string i)))) (list 1 2 3 4 5 6 7 8 9 10)))")
    assert it.stats()["symbols_used"] >= base + 10
    it.eval_string("(set! syms #f)")
    it.eval_string("(gc)")
    assert it.stats()["symbols_used"] <= base + 1


def test_symbol_table_full_is_a_lisp_error_and_the_repl_goes_on():
    from arena import LispError
    from verify import verify
    it = fresh()
    it.eval_string("(define kept 42)")
    with pytest.raises(LispError, match="symbol table full"):
        it.eval_string("(define all (let loop ((i 0) (acc '())) (if (< i 400) "
                       "(loop (+ i 1) (cons (string->symbol (string-append \"x\" "
                       "(number->string i))) acc)) acc)))")
    it.recover()
    verify(it)
    assert it.eval_string("kept") == "42"
    assert it.eval_string("(+ kept 1)") == "43"


def test_symbol_store_full_is_a_lisp_error():
    from arena import LispError
    it = fresh(symbol_bytes=64)
    with pytest.raises(LispError, match="symbol store full"):
        it.eval_string("(string->symbol (make-string 100 #\\a))")
    it.recover()
    assert it.eval_string("(+ 1 2)") == "3"


# -- arena exhaustion --------------------------------------------------------------------

def test_arena_exhausted_is_a_lisp_error_and_definitions_survive():
    from arena import LispError
    from verify import verify
    it = fresh(arena_words=4096)
    it.eval_string("(define (sq x) (* x x))")
    with pytest.raises(LispError, match="out of memory"):
        it.eval_string("(let loop ((acc '())) (loop (cons 1 acc)))")
    it.recover()
    verify(it)
    assert it.eval_string("(sq 12)") == "144"
    # the memory came back
    assert it.stats()["pairs_free"] > 1500


# -- depth -------------------------------------------------------------------------------

DEPTH = "(define (d n) (if (= n 0) 0 (+ 1 (d (- n 1)))))"


def test_non_tail_recursion_10000_deep_on_the_default_profile():
    it = fresh()
    it.eval_string(DEPTH)
    assert it.eval_string("(d 10000)") == "10000"
    assert it.sp == 0


def test_too_deep_recursion_is_a_stack_overflow_lisp_error():
    from arena import LispError
    from verify import verify
    it = fresh(stack_words=4096)
    it.eval_string(DEPTH)
    with pytest.raises(LispError, match="stack overflow"):
        it.eval_string("(d 100000)")
    it.recover()
    verify(it)
    assert it.eval_string("(d 100)") == "100"


# Python frames are a board's scarcest stack: the Pico's C stack is 8 KB,
# room for a few nested evaluations. Library chunks that use other chunks'
# macros load from a worklist, so nesting stays that of one macro expansion.
FRAME_BUDGET = 26


def python_depth_running(it, src):
    """Most Python frames below `it` while it runs src."""
    import io
    from conftest import python_depth
    out = sys.stdout
    sys.stdout = io.StringIO()
    try:
        return python_depth(lambda: it.run_string(src))[0]
    finally:
        sys.stdout = out


@pytest.mark.parametrize("program", ["20_macros_syntax_rules", "21_macros_hygiene",
                                     "24_values_apply_case_lambda", "60_errors_syntax_arity"])
def test_macro_library_chunks_load_without_nesting_python_frames(program):
    from conftest import CORPUS
    src = (CORPUS / (program + ".scm")).read_text()
    # once first, so that CPython's import machinery (C code on a board)
    # is not counted, whichever tests ran before
    python_depth_running(fresh(), src)
    it = fresh()
    # (the second tier's translator recurses on a definition's nesting, up
    # to translator.MAX_NEST, and gives up cleanly where MicroPython's stack
    # ends: test_python_tier checks that; here, library loading alone)
    it.board["tier_procedures"] = 0
    assert python_depth_running(it, src) <= FRAME_BUDGET


def test_a_chain_of_library_macros_loads_at_one_nesting():
    # case-lambda's chunk needs other chunks' macros to compile: they wait
    # on the worklist; eval never nests more than one macro expansion deep
    it = fresh()
    depths = []
    orig = it.eval

    def eval_(form, retry=False):
        depths.append(it.depth + 1)
        return orig(form, retry)
    it.eval = eval_
    assert it.eval_string("(define f (case-lambda ((a) a) ((a b) (+ a b))))"
                          "(list (f 1) (f 1 2))") == "(1 3)"
    assert 4 <= len(depths) and max(depths) <= 2


def test_running_out_of_python_stack_in_a_macro_is_a_lisp_error():
    import sys
    from arena import LispError
    from verify import verify
    it = fresh()
    it.eval_string("(define kept 42)")
    limit = sys.getrecursionlimit()
    caught = None
    sys.setrecursionlimit(len(__import__("inspect").stack(0)) + 18)
    try:
        it.eval_string("(define-syntax sw (syntax-rules () ((_ a b) (list b a))))"
                       "(sw 1 2)")
    except LispError as e:
        caught = e
    finally:
        sys.setrecursionlimit(limit)
    assert "nested too deeply for this board" in str(caught)
    it.recover()
    verify(it)
    assert it.eval_string("(list kept (let-values (((a b) (values 1 2))) (+ a b)))") == "(42 3)"


def test_reader_printer_and_collector_handle_deep_nesting():
    from arena import LispError
    from verify import verify
    it = fresh()
    text = "(" * 5000 + ")" * 5000
    ref = it.read(text)
    assert it.repr(ref) == "(" * 4999 + "()" + ")" * 4999
    it.eval_string("(define deep (let loop ((i 0) (acc '())) (if (< i 8000) "
                   "(loop (+ i 1) (list acc)) acc)))")
    it.collector.collect()      # marks 8000 nested levels with a 128-range stack
    verify(it)
    assert it.eval_string("(let loop ((x deep) (n 0)) (if (null? x) n (loop (car x) (+ n 1))))") == "8000"
    small = fresh(stack_words=1024)
    with pytest.raises(LispError, match="stack overflow"):
        small.read("(" * 3000 + ")" * 3000)
    small.recover()
    small.eval_string("(define deep (let loop ((i 0) (acc '())) (if (< i 3000) (loop (+ i 1) (list acc)) acc)))")
    with pytest.raises(LispError, match="stack overflow"):
        small.eval_string("(display deep)")
    small.recover()
    assert small.eval_string("(+ 1 2)") == "3"


def test_million_iteration_named_let_runs_in_constant_space():
    # 1000 x 1000 iterations on a 256-word stack, with the same arena use
    # as 10 x 1000 (only the code of the form), and no collection.
    it = fresh(stack_words=256)
    loop = ("(let loop ((i 0) (j 0)) (cond ((= i %s) (list i j)) "
            "((= j 999) (loop (+ i 1) 0)) (else (loop i (+ j 1)))))")
    runs = it.stats()["gc_runs"]
    used = []
    for n, want in (("0010", "(10 0)"), ("1000", "(1000 0)")):
        before = free(it)
        assert it.eval_string(loop % n) == want
        used.append(before - free(it))
    assert used[0] == used[1]
    assert it.stats()["gc_runs"] == runs


def test_tail_calls_through_every_form_use_constant_stack():
    it = fresh(stack_words=256)
    it.eval_string("(define (f n) (cond ((= n 0) 'done) ((odd? n) (and #t (f (- n 1)))) "
                   "(else (or #f (when #t (let ((m (- n 1))) (begin (apply f (list m)))))))))")
    assert it.eval_string("(f 5000)") == "done"


# -- the MicroPython heap ------------------------------------------------------------------

HEAP_LOCK = r"""
import sys
sys.path.insert(0, %r)
import micropython, gc
from mote import Interp
it = Interp(arena_words=1024)
v = None
it.eval_string('(+ 8191 1)')       # bignum + loads arith.py: once, before the lock
it.eval_string('(let l () 0)')     # and the first named let, derived.py
form = it.read('(let loop ((i 0)) (if (< i 10000) (loop (+ i 1)) i))')
gc.collect()
micropython.heap_lock()
try:
    v = it.eval(form)
finally:
    micropython.heap_unlock()
print(it.repr(v), it.stats()['gc_runs'] > 0)
it.eval_string('(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))')
form = it.read('(fib 15)')
micropython.heap_lock()
try:
    v = it.eval(form)
finally:
    micropython.heap_unlock()
print(it.repr(v))
"""


@pytest.mark.parametrize("code", ["source", "native"])
def test_evaluation_allocates_nothing_on_the_micropython_heap(tmp_path, code):
    # The loop passes 8191, so it makes boxed integers and runs the
    # collector (a 1024-word arena fills often): all under heap_lock. Also
    # with the unix board's build, whose evaluator, arena and collector are
    # native code (its profile's native_modules).
    path = FIRMWARE
    if code == "native":
        from tools import mote_cli
        path = tmp_path / "build"
        mote_cli.compile_firmware(path, mote_cli.load_board("unix"), mote_cli.host_arch())
        assert (path / "evaluator.mpy").read_bytes()[2] >> 2 != 0     # native inside
    script = tmp_path / "lock.py"
    script.write_text(HEAP_LOCK % str(path))
    r = run_micropython([str(script)])
    assert r.stderr == ""
    assert r.stdout.split() == ["10000", "True", "610"]


STEADY_SETUP = (
    '(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))',
    '(define lst (list 1 2 3 4 5 6 7 8 9 10))',
    '(define v (make-vector 10 0))',
    '(define (walk l n) (if (null? l) n (walk (cdr l) (+ n (car l)))))')
STEADY_FORMS = (
    '(let loop ((i 0)) (if (< i N) (loop (+ i 1)) i))',
    '(fib M)',
    '(let loop ((k 0)) (if (< k N) (begin (walk lst 0) (loop (+ k 1))) k))',
    '(let loop ((i 0) (acc (quote ()))) (if (< i N) (loop (+ i 1) (cons i acc)) i))',
    '(let loop ((i 0) (a 0)) (if (< i N) (loop (+ i 1) (* i 2)) a))',
    '(let loop ((i 0)) (if (< i N) (begin (vector-set! v (remainder i 10) (quotient i 7))'
    ' (loop (+ i 1))) (vector-ref v (modulo -1 10))))',
    '(let loop ((i 0)) (cond ((and (> i N) (odd? i)) i) (else (loop (+ i 1)))))',
    '(let loop ((i 0)) (if (< i N) (let ((j (+ i 1))) (loop j)) i))',
    '(let ((n 0)) (let loop ((i 0)) (if (< i N) (begin (set! n (+ n 1)) (loop (+ i 1))) n)))')


def test_evaluation_allocates_nothing_per_step_on_micropython(tmp_path):
    # micropython.mem_total() counts every byte MicroPython ever allocates,
    # including the frames of Python functions too big for the C stack
    # (heap_lock cannot see those: they fall back to the stack). Running a
    # compiled form with 300 steps (fib 12) must allocate exactly as much as
    # with 10 (fib 5): nothing per call, loop, cons, vector access, let or
    # set!.
    growth = steady_growth(tmp_path, STEADY_SETUP, STEADY_FORMS)
    assert all(g <= 64 for g in growth), growth


def test_evaluator_constants_mirror_the_arena():
    import arena
    import evaluator
    for name in ("NIL", "TRUE", "FALSE", "UNSPEC", "UNBOUND", "CAR", "NEXT", "LAST",
                 "OTHER", "T_VECTOR", "T_CLOSURE", "T_FRAME", "PRIM0", "SF0", "SYM0"):
        assert getattr(evaluator, "_" + name) == getattr(arena, name), name


def test_a_read_form_can_be_evaluated_again():
    it = fresh()
    form = it.read("(let loop ((i 0) (acc '())) (if (< i 3) (loop (+ i 1) (cons i acc)) acc))")
    assert it.repr(it.eval(form)) == "(2 1 0)"
    assert it.repr(it.eval(form)) == "(2 1 0)"


def test_inline_primitive_numbers_match_the_table():
    import builtin_names
    import evaluator
    import primitives
    names = [e.split(":")[0] for e in builtin_names.CORE.split()]
    for const, name in (("P_APPLY", "apply"), ("P_ADD", "+"), ("P_SUB", "-"), ("P_LT", "<"),
                        ("P_GT", ">"), ("P_NUMEQ", "="), ("P_LE", "<="), ("P_GE", ">="),
                        ("P_CONS", "cons"), ("P_NULL", "null?"), ("P_NOT", "not"),
                        ("P_PAIRP", "pair?"), ("P_CAR", "car"), ("P_CDR", "cdr"), ("P_EQ", "eq?"),
                        ("P_MUL", "*"), ("P_VREF", "vector-ref"), ("P_VSET", "vector-set!"),
                        ("P_QUOTIENT", "quotient"), ("P_REMAINDER", "remainder"),
                        ("P_MODULO", "modulo")):
        assert names[getattr(evaluator, const)] == name, const
    import derived
    names = builtin_names.table().split()
    assert names[evaluator.P_PYCODE] == "%pycode:2"
    for const, name in (("P_LIST", "list:0-"), ("P_APPEND", "append:0-"),
                        ("P_LIST_TO_VECTOR", "list->vector:1"),
                        ("P_DEFINE_MACRO", "%define-macro:2-3")):
        assert names[getattr(derived, const)] == name, const


def test_family_numbers_in_modules_match_the_tables():
    # Modules name the first builtin of each family by a const (folded into
    # bytecode); the table is the truth.
    import arith
    import control
    import primitives
    import text
    import builtin_table
    import builtin_names
    core = [e.split(":")[0] for e in builtin_names.CORE.split()]
    for mod, const, name in ((arith, "P_LT", "<"), (arith, "P_QUOTIENT", "quotient"),
                             (arith, "P_MIN", "min"), (arith, "P_ZERO", "zero?"),
                             (text, "P_STRING_EQ", "string=?"), (text, "P_CHAR_EQ", "char=?"),
                             (text, "P_UPCASE", "char-upcase"),
                             (text, "P_ALPHA", "char-alphabetic?")):
        assert core[getattr(mod, const)] == name, const
    own = [e.split(":")[0] for e in builtin_names.table_of("control").split()]
    for const, name in (("P_WINDERS", "%winders"), ("P_ERROR_TEST", "error-object?"),
                        ("P_MAKE_ERROR", "%make-error"), ("P_PROMISEP", "promise?"),
                        ("P_PROMISE_SET", "%promise-set!")):
        assert own[getattr(control, const)] == name, const
    for mod, table in builtin_names.EXTENSIONS:
        assert len(table.split()) == len(__import__(mod).FUNCS), mod
        assert __import__(mod).BASE == builtin_table.base_of(mod)
    names = [e.split(":")[0] for e in builtin_names.table().split()]
    assert len(names) == len(builtin_table.functions()) + len(builtin_table.ROW_FAMILY)
    assert len(set(names)) == len(names), "a builtin name is defined twice"
    # the counts and numbers a board keeps instead of the names
    assert len(core) == len(primitives.FUNCS)
    ends = builtin_table.FIRST[1:] + [len(primitives.FUNCS) + len(builtin_table.ROW_FAMILY)]
    families = tuple(zip(builtin_table.FAMILIES, [e - f for e, f in zip(ends, builtin_table.FIRST)]))
    assert tuple(f for f in families if f[1]) == tuple(
        (mod, len(table.split())) for mod, table in builtin_names.EXTENSIONS)
    # a module without rows of its own has core rows
    for mod, n in families:
        assert n or mod in primitives.FUNCS, mod
    for const, name in (("P_LT", "<"), ("P_QUOTIENT", "quotient"), ("P_MIN", "min"),
                        ("P_ZERO", "zero?"), ("P_MEMQ", "memq"), ("P_ASSQ", "assq"),
                        ("P_NULL", "null?"), ("P_STRING_EQ", "string=?"),
                        ("P_CHAR_EQ", "char=?"), ("P_UPCASE", "char-upcase"),
                        ("P_ALPHA", "char-alphabetic?"), ("P_DISPLAY", "display"),
                        ("P_EQ", "eq?"), ("P_SETCAR", "set-car!"), ("P_NEWLINE", "newline"),
                        ("P_VECTOR", "vector"), ("P_CAR", "car")):
        assert core[getattr(primitives, const)] == name, const
    cxrs = [n for n in core if re.match(r"c[ad]+r$", n)]
    assert core[primitives.P_CAR:primitives.P_CAR + len(cxrs)] == cxrs
    assert list(primitives.CXR_PATHS) == [
        int("1" + "".join("1" if c == "a" else "0" for c in n[1:-1]), 2) for n in cxrs]


def test_extension_modules_load_on_first_use():
    # a program of fixnums, lists and console output imports no extension
    # module (their bytecode is RAM on a board)
    script = FIRMWARE.parent / "host_tests" / "_lazy_probe.py"
    script.write_text(
        "import sys\nsys.path.insert(0, %r)\nimport mote\n"
        "MODS = ('arith', 'numeric', 'elementary', 'text', 'strings', 'ports', 'data', 'hash_tables', 'control', 'system', 'derived',"
        " 'number_syntax')\n"
        "it = mote.Interp(arena_words=1024, stack_words=1024)\n"
        "it.run_string('(define (f n) (if (< n 2) n (+ (f (- n 1)) (f (- n 2)))))"
        " (display (list (f 10) (car (quote (a b))))) (newline)')\n"
        "print(sorted(m for m in MODS if m in sys.modules))\n"
        "it.run_string('(display (string-append \"a\" \"b\"))')\n"
        "print(sorted(m for m in MODS if m in sys.modules))\n"
        # + of three, * past the fixnums, abs: arith alone
        "it.run_string('(display (list (+ 1 2 3) (* 300 300) (abs -4)))')\n"
        "print(sorted(m for m in MODS if m in sys.modules))\n"
        "it.run_string('(display (/ 1 4))')\n"
        "print(sorted(m for m in MODS if m in sys.modules))\n"
        % str(FIRMWARE))
    try:
        r = run_micropython([str(script)])
    finally:
        script.unlink()
    assert r.stdout.splitlines() == ["(55 a)", "[]", "ab['text']", "(6 90000 4)['arith', 'text']",
                                     "0.25['arith', 'number_syntax', 'numeric', 'text']"]


def test_library_names_are_distinct_from_builtins():
    import builtin_table
    import builtin_names
    from builtin_names import library_names
    lib = library_names()[0].split()
    names = [e.split(":")[0] for e in builtin_names.table().split()]
    assert len(set(lib)) == len(lib), "a library name is in two chunk headers"
    assert not set(lib) & set(names)


CORE_CALLS = r"""
import sys, micropython
sys.path.insert(0, %r)
from mote import Interp
import builtin_table
it = Interp()
it.eval_string('(define l (list 1 2 3)) (define v (vector 1 2 3)) (define s "abc")'
               ' (define al (list (cons 1 2) (cons 3 4)))')
names = [e.split(':')[0] for e in __import__("builtin_names").table().split()]
def g(nm):
    return it.G[(it.symbol(nm.encode(), 0, len(nm)) - 0x4003) >> 2]
F = lambda x: ((x + 8192) << 2) | 1
L, V, S, AL = g('l'), g('v'), g('s'), g('al')
calls = [('cadr', [L]), ('caddr', [L]), ('cddr', [L]), ('memq', [F(2), L]), ('memv', [F(2), L]),
         ('assq', [F(3), AL]), ('assv', [F(3), AL]), ('vector-length', [V]),
         ('string-length', [S]), ('length', [L]), ('equal?', [L, L]), ('eqv?', [F(1), F(2)]),
         ('list?', [L]), ('procedure?', [F(1)]), ('list-ref', [L, F(1)]), ('list-tail', [L, F(1)]),
         ('number?', [F(1)]), ('integer?', [F(1)]), ('symbol?', [F(1)]), ('vector?', [V]),
         ('string-ref', [S, F(1)]), ('string-set!', [S, F(1), 0x8003 + (98 << 2)])]
i = m = f = 0           # (globals made before measuring: a new one may grow the dict)
for nm, args in calls:
    op = names.index(nm)
    b = it.sp
    for x in args:
        it.push(x)
    builtin_table.function(it, op)(it, b, len(args), op)      # a first call may load a module
    f = builtin_table.function(it, op)
    m = micropython.mem_total()
    for i in range(20):
        f(it, b, len(args), op)
    it.sp = b
    print(nm, micropython.mem_total() - m)
"""


def test_common_core_builtins_allocate_nothing_per_call_on_micropython(tmp_path):
    # A builtin whose frame is too big for MicroPython's C stack (locals
    # plus operand stack over 11) allocates it on the heap at every call.
    script = tmp_path / "core_calls.py"
    script.write_text(CORE_CALLS % str(FIRMWARE))
    r = run_micropython([str(script)])
    assert r.stderr == ""
    used = dict(line.rsplit(" ", 1) for line in r.stdout.splitlines())
    assert len(used) == 22
    assert all(v == "0" for v in used.values()), [k for k in used if used[k] != "0"]
