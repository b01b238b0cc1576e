"""The second tier: global procedures translated to MicroPython functions
(firmware/translator.py, run by firmware/tier_runtime.py). What it must keep:
the same answers, errors and escapes as the machine, recursion on S (not the
Python stack), proper tail calls, a consistent arena under collection and
Ctrl-C, and nothing allocated per step on MicroPython."""
import sys

import pytest

from conftest import fresh, steady_growth

FIB = "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))"
TAK = ("(define (tak x y z) (if (not (< y x)) z"
       " (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))")
DEPTH = "(define (d n) (if (= n 0) 0 (+ 1 (d (- n 1)))))"


def compiled(it, name):
    """Whether the global `name` now runs as a translated function."""
    t = getattr(it, "tier", None)
    return t is not None and t.find_entry(it.global_value(name)) is not None


def define_translated(it, *sources):
    """Evaluate each (define (name ...) ...) and check it was translated."""
    for src in sources:
        it.eval_string(src)
        name = src.split()[1].lstrip("(")
        assert compiled(it, name), name


def values_are(it, *cases):
    """Each (source, printed value) pair evaluates so in it."""
    for src, want in cases:
        assert it.eval_string(src) == want, src


def python_frames_running(it, src):
    """Most Python frames below this one while `it` runs src, and its value."""
    from conftest import python_depth
    return python_depth(lambda: it.eval_string(src))


def test_fib_and_tak_are_translated_and_agree_with_the_machine():
    it = fresh()
    it.eval_string(FIB)
    it.eval_string(TAK)
    assert compiled(it, "fib") and compiled(it, "tak")
    assert it.eval_string("(fib 20)") == "6765"
    assert it.eval_string("(tak 18 12 6)") == "7"
    # past the fixnums: the generic + makes bignums, as the machine does
    assert it.eval_string("(fib 30)") == "832040"
    assert it.eval_string("(fib 2.0)") == "1.0"
    assert "translator" not in sys.modules      # loaded only while translating


def test_the_profile_can_turn_the_tier_off():
    from mote import Interp
    it = Interp()
    it.board["tier_procedures"] = 0
    it.eval_string(FIB)
    assert not compiled(it, "fib")
    assert it.eval_string("(fib 15)") == "610"


def test_a_translator_that_cannot_load_leaves_the_definition_to_the_machine():
    # (a board's heap may have no room for translator.py's bytecode)
    it = fresh()
    it.eval_string("(define (sq x) (* x x))")       # the tier's runtime is loaded
    sys.modules["translator"] = None                # `import translator` fails
    try:
        it.eval_string(FIB)
    finally:
        sys.modules.pop("translator", None)
    assert not compiled(it, "fib")
    assert it.eval_string("(fib 15)") == "610"


def test_self_recursion_runs_on_the_lisp_stack_not_pythons():
    it = fresh()
    it.eval_string(DEPTH)
    it.eval_string("(define (z n) (if (= n 0) 0 (* 2 (z (- n 1)))))")
    assert compiled(it, "d") and compiled(it, "z")
    assert it.eval_string("(d 10000)") == "10000"
    shallow, v = python_frames_running(it, "(z 10)")
    deep, v = python_frames_running(it, "(z 8000)")
    assert v == "0"
    assert deep == shallow          # 8,000 deep: no Python frame more
    assert it.sp == 0


def test_too_deep_is_a_stack_overflow_and_the_session_goes_on():
    from arena import LispError
    from verify import verify
    it = fresh(stack_words=4096)
    it.eval_string(DEPTH)
    assert compiled(it, "d")
    with pytest.raises(LispError, match="stack overflow"):
        it.eval_string("(d 100000)")
    it.recover()
    verify(it)
    assert it.eval_string("(d 1000)") == "1000"


def test_tail_calls_take_constant_stack():
    it = fresh(stack_words=512)
    it.eval_string("(define (count n acc) (if (= n 0) acc (count (- n 1) (+ acc 1))))")
    it.eval_string("(define (ev? n) (if (= n 0) #t (od? (- n 1))))")
    it.eval_string("(define (od? n) (if (= n 0) #f (ev? (- n 1))))")
    assert compiled(it, "count") and compiled(it, "ev?") and compiled(it, "od?")
    assert it.eval_string("(count 100000 0)") == "100000"
    assert it.eval_string("(ev? 20001)") == "#f"
    # and through every form that passes a tail position on
    it.eval_string("(define (f n) (cond ((= n 0) 'done) ((odd? n) (and #t (f (- n 1)))) "
                   "(else (or #f (when #t (let ((m (- n 1))) (begin (f m))))))))")
    assert compiled(it, "f")
    assert it.eval_string("(f 50000)") == "done"


def test_forms_translate_with_their_meaning():
    it = fresh()
    it.eval_string("(define (g x y) (let ((s (+ x y)) (t 0)) (set! t (- s 1)) "
                   "(cond ((< t 0) 'neg) ((= t 0) (quote zero)) (else (when (> t 5) (set! t 5)) t))))")
    it.eval_string("(define (h x) (and (> x 0) (or (eq? x 3) (not (null? '())) 'never)))")
    it.eval_string("(define (u x) (unless (= x 0) (if (< x 0) \"minus\")))")
    for name in ("g", "h", "u"):
        assert compiled(it, name), name
    assert [it.eval_string(e) for e in ("(g 1 -5)", "(g 0 1)", "(g 2 1)", "(g 10 10)")] == \
        ["neg", "zero", "2", "5"]
    assert [it.eval_string(e) for e in ("(h 3)", "(h 4)", "(h -1)")] == ["#t", "never", "#f"]
    assert it.eval_string("(u -2)") == '"minus"'
    assert it.eval_string("(u 0)") == "" and it.eval_string("(u 2)") == ""


def test_inline_arithmetic_agrees_with_the_builtins():
    it = fresh()
    it.eval_string("(define (mul a b) (* a b))")
    it.eval_string("(define (rem a b) (remainder a b))")
    assert compiled(it, "mul") and compiled(it, "rem")
    for a in (-8192, -7, -1, 0, 3, 90, 8191):
        for b in (-91, -3, -1, 1, 2, 7, 90):
            assert it.eval_string("(mul %d %d)" % (a, b)) == str(a * b)     # bignums too
            r = abs(a) % abs(b) * (-1 if a < 0 else 1)
            assert it.eval_string("(rem %d %d)" % (a, b)) == str(r)
    assert it.eval_string("(mul 2.5 2)") == "5.0"
    assert "division by zero" in it.eval_string(
        "(guard (e (#t (error-object-message e))) (rem 1 0))")


def test_pairs_inline_agree_with_the_builtins():
    # car/cdr/cons run inline: compact lists (the reader's), ordinary and
    # dotted pairs, and anything else through the builtin (its error)
    it = fresh()
    define_translated(it, "(define (second l) (car (cdr l)))", "(define (tail2 l) (cdr (cdr l)))",
                      "(define (pair a b) (cons b a))")
    values_are(it, ("(second '(1 2 3))", "2"), ("(tail2 '(1 2 3))", "(3)"), ("(tail2 '(1 2))", "()"),
               ("(tail2 '(1 2 . 3))", "3"), ("(second (list 4 5))", "5"),
               ("(tail2 (cons 1 (cons 2 3)))", "3"), ("(pair 1 2)", "(2 . 1)"),
               ("(guard (e (#t (error-object-message e))) (second 7))", '"cdr: not a pair: 7"'))


def test_vectors_strings_and_chars_inline_agree_with_the_builtins():
    # the fast case (a vector, an ASCII string, an index in range, a small
    # character) inline; anything else through the builtin, with its error
    it = fresh()
    define_translated(
        it, "(define (vref v i) (vector-ref v i))", "(define (vset v i x) (vector-set! v i x) v)",
        "(define (vlen v) (vector-length v))", "(define (slen s) (string-length s))",
        "(define (sref s i) (string-ref s i))", "(define (sset s i c) (string-set! s i c) s)",
        "(define (c->i c) (char->integer c))", "(define (i->c i) (integer->char i))")

    def err(src):
        return it.eval_string("(guard (e (#t (error-object-message e))) %s)" % src)

    assert it.eval_string("(vref (vector 1 'b \"c\") 1)") == "b"
    assert it.eval_string("(vset (make-vector 3 0) 2 'x)") == "#(0 0 x)"
    assert it.eval_string("(vlen (make-vector 7 0))") == "7"
    assert it.eval_string("(vlen (vector))") == "0"
    assert err("(vref (vector 1 2) 2)") == '"vector-ref: index out of range: 2"'
    assert err("(vref (vector 1 2) -1)").startswith('"vector-ref: ')
    assert err("(vset (vector 1 2) 1.0 3)").startswith('"vector-set!: ')
    assert err("(vref \"ab\" 0)").startswith('"vector-ref: not a vector')
    assert err("(vlen '(1 2))").startswith('"vector-length: not a vector')
    assert it.eval_string("(slen \"hello\")") == "5"
    assert it.eval_string("(slen \"h\u00e9llo\")") == "5"          # UTF-8: the builtin's
    assert it.eval_string("(sref \"hello\" 4)") == "#\\o"
    assert it.eval_string("(sref \"h\u00e9llo\" 1)") == "#\\\u00e9"
    assert it.eval_string("(sset (make-string 3 #\\a) 1 #\\b)") == '"aba"'
    assert it.eval_string("(sset (make-string 3 #\\a) 1 #\\\u00e9)") == '"a\u00e9a"'
    assert it.eval_string("(let ((s (make-string 2 #\\\u00e9))) (sset s 0 #\\z))") == '"z\u00e9"'
    assert err("(sref \"abc\" 3)") == '"string-ref: index out of range: 3"'
    assert err("(sset (make-string 2 #\\a) 0 65)").startswith('"string-set!: not a char')
    assert it.eval_string("(c->i #\\A)") == "65"
    assert it.eval_string("(c->i #\\x1FFF)") == "8191"
    assert it.eval_string("(c->i #\\x1F600)") == str(0x1F600)
    assert it.eval_string("(i->c 97)") == "#\\a"
    assert it.eval_string("(i->c 0)") == it.eval_string("(integer->char 0)")
    assert it.eval_string("(c->i (i->c 8191))") == "8191"
    assert it.eval_string("(c->i (i->c 70000))") == "70000"
    assert err("(i->c -1)").startswith('"integer->char: ')
    assert err("(i->c 55296)").startswith('"integer->char: not a Unicode')
    assert err("(c->i 65)").startswith('"char->integer: not a char')
    # a redefined builtin is called as it is now
    it.eval_string("(define (vector-ref v i) 'mine)")
    assert it.eval_string("(vref (vector 1 2) 0)") == "mine"


def test_a_redefined_callee_or_primitive_is_called_as_it_is_now():
    it = fresh()
    it.eval_string("(define (twice x) (* x 2))")
    it.eval_string("(define (f x) (+ (twice x) 1))")
    assert compiled(it, "twice") and compiled(it, "f")
    assert it.eval_string("(f 5)") == "11"
    it.eval_string("(define (twice x) (* x 3))")
    assert it.eval_string("(f 5)") == "16"
    it.eval_string("(define (twice x y) x)")    # another arity: an error, as before
    assert "wrong number of arguments" in it.eval_string(
        "(guard (e (#t (error-object-message e))) (f 5))")
    it.eval_string("(define (lt a b) (< a b))")
    assert it.eval_string("(lt 1 2)") == "#t"
    it.eval_string("(define < >)")
    assert it.eval_string("(lt 1 2)") == "#f"


def test_a_procedure_waits_for_its_callee_to_be_translated():
    it = fresh()
    it.eval_string("(define (outer n) (+ (inner n) 1))")
    assert not compiled(it, "outer")          # inner is not defined yet
    it.eval_string("(define (inner n) (* n n))")
    assert compiled(it, "inner") and compiled(it, "outer")
    assert it.eval_string("(outer 7)") == "50"


def test_named_let_loops_become_python_loops():
    it = fresh()
    define_translated(
        it, "(define (build n) (let loop ((i 0) (acc '())) "
            "(if (< i n) (loop (+ i 1) (cons i acc)) acc)))",
        "(define (sum-sq v) (let ((n (vector-length v))) (+ 1 (let loop ((i 0) (s 0)) "
        "(if (= i n) s (let ((x (vector-ref v i))) (loop (+ i 1) (+ s (* x x)))))))))",
        "(define (two n) (let a ((i 0)) (when (< i n) (a (+ i 1)))) "
        "(let b ((j n) (k 0)) (cond ((= j 0) k) (else (b (- j 1) (+ k 2))))))")
    assert it.eval_string("(build 5)") == "(4 3 2 1 0)"
    assert it.eval_string("(length (build 3000))") == "3000"
    assert it.eval_string("(sum-sq (vector 1 2 3))") == "15"
    assert it.eval_string("(two 7)") == "14"
    # a loop whose name escapes, or one that is not called in tail position,
    # is the machine's
    it.eval_string("(define (leak n) (let loop ((i n)) (if (= i 0) loop (loop (- i 1)))))")
    it.eval_string("(define (deep n) (let loop ((i n)) (if (= i 0) 0 (+ 1 (loop (- i 1))))))")
    assert not compiled(it, "leak") and not compiled(it, "deep")
    assert it.eval_string("(procedure? (leak 3))") == "#t"
    assert it.eval_string("(deep 100)") == "100"


def test_a_translation_that_runs_out_of_python_stack_is_given_up():
    # MicroPython raises RuntimeError where its C stack ends (a board's is
    # a few KB): the definition stands, run by the machine
    import inspect
    it = fresh()
    src = ("(define (f x) (+ 1 (+ 2 (+ 3 (+ 4 (+ 5 (+ 6 (+ 7 x))))))))")
    from arena import LispError
    limit = sys.getrecursionlimit()
    here = len(inspect.stack(0))
    for extra in range(10, 80):
        # the least stack on which the definition is evaluated at all
        sys.setrecursionlimit(here + extra)
        try:
            it.eval_string(src)
            ok = True
        except (LispError, RuntimeError):
            ok = False
        finally:
            sys.setrecursionlimit(limit)
        if ok:
            break
        it.recover()
    assert it.eval_string("(procedure? f)") == "#t"
    assert not compiled(it, "f")
    assert it.eval_string("(f 1)") == "29"
    it.eval_string(src)
    assert compiled(it, "f") and it.eval_string("(f 1)") == "29"


def test_what_is_not_translated_still_runs():
    it = fresh()
    it.eval_string("(define (counter) (let ((n 0)) (lambda () (set! n (+ n 1)) n)))")  # set!
    it.eval_string("(define (sum . xs) (apply + xs))")                  # rest list
    it.eval_string("(define (curry f) (lambda (x) (lambda (y) (f x y))))")  # a lambda's lambda
    it.eval_string("(define (look k al) (cond ((assv k al) => cdr) (else #f)))")   # =>
    it.eval_string("(define (pos k al) (let loop ((l al) (i 0)) (cond ((null? l) #f)"
                   " ((eqv? (car l) k) => (lambda (x) (list x i))) (else (loop (cdr l) (+ i 1))))))")
    for name in ("counter", "sum", "curry", "look", "pos"):
        assert not compiled(it, name), name
    assert it.eval_string("(look 2 '((1 . a) (2 . b)))") == "b"
    assert it.eval_string("(pos 'c '(a b c))") == "(#t 2)"
    assert it.eval_string("(let ((c (counter))) (c) (c) (c))") == "3"
    assert it.eval_string("(sum 1 2 3)") == "6"
    assert it.eval_string("(((curry -) 10) 4)") == "6"


def test_closures_and_calls_through_variables_are_translated():
    # a lambda is a function of its own; a procedure that makes one makes
    # its closure; a call through a variable finds a translated closure's
    # function, and anything else (builtins, the machine's closures) still
    # works
    it = fresh()
    define_translated(
        it, "(define (mk n) (lambda (x) (+ x n)))",
        "(define (app f x) (f x))",
        "(define (map1 f l) (if (null? l) '() (cons (f (car l)) (map1 f (cdr l)))))",
        "(define (count-if p l) (let loop ((l l) (n 0))"
        " (if (null? l) n (loop (cdr l) (if (p (car l)) (+ n 1) n)))))",
        "(define (mks n) (let loop ((i 0) (acc '()))"
        " (if (< i n) (loop (+ i 1) (cons (lambda (k) (list k i n)) acc)) acc)))",
        "(define (small l) (count-if (lambda (x) (< x 3)) l))")
    values_are(
        it, ("(app (mk 2) 3)", "5"), ("(map1 (mk 10) '(1 2 3))", "(11 12 13)"),
        ("(small '(1 5 2 7 0))", "3"),
        # each closure keeps the variables of the iteration that made it
        ("(map1 (lambda (f) (f 'k)) (mks 3))", "((k 2 3) (k 1 3) (k 0 3))"),
        # the machine calls translated closures; translated code calls
        # builtins and the machine's closures
        ("(map (mk 1) '(1 2))", "(2 3)"), ("(map1 car '((a) (b)))", "(a b)"),
        ("(map1 (lambda (x) (* x x)) '(1 2 3))", "(1 4 9)"),
        ("(app (let ((y 5)) (lambda (x) (list x y))) 1)", "(1 5)"),
        ("(guard (e (#t (error-object-message e))) (app 5 1))", '"not a procedure: 5"'))
    assert it.eval_string("(guard (e (#t (error-object-message e))) (app (mk 1) 'a))") \
        .startswith('"+: ')
    # a global closure with an environment reads it where the machine does
    define_translated(it, "(define add7 (let ((seven 7)) (lambda (x) (+ x seven))))")
    assert it.eval_string("(app add7 1)") == "8"


def test_deep_recursion_through_translated_closures_goes_on_on_the_lisp_stack():
    # past tier_frames, calls through variables run the machine, which
    # runs the lambda's Lisp body (in the called closure's environment)
    it = fresh()
    define_translated(
        it, "(define (deep n) (let ((f (lambda (self n) (if (= n 0) 0 (+ 1 (self self (- n 1)))))))"
        " (f f n)))",
        "(define (deep2 n) (let ((f (lambda (self k) (if (= k 0) n (+ 1 (self self (- k 1)))))))"
        " (f f n)))")
    shallow = python_frames_running(it, "(deep 10)")
    deep = python_frames_running(it, "(deep 3000)")
    assert shallow[1] == "10" and deep[1] == "3000"
    assert deep[0] <= shallow[0] + 40
    assert it.eval_string("(deep2 2000)") == "4000"


def test_errors_in_translated_code_are_caught_by_guard():
    it = fresh()
    it.eval_string("(define (first x) (car x))")
    it.eval_string("(define (safe x) (+ (first x) 1))")
    assert compiled(it, "first") and compiled(it, "safe")
    assert it.eval_string("(guard (e (#t (error-object-message e))) (safe 5))") == \
        '"car: not a pair: 5"'
    assert it.eval_string("(safe '(1 2))") == "2"
    assert it.sp == 0


def test_continuations_escape_through_translated_code():
    it = fresh()
    it.eval_string("(define (ret42 k) (k 42))")
    it.eval_string("(define (f) (+ 1 (call/cc ret42)))")
    assert compiled(it, "f")
    assert it.eval_string("(f)") == "43"            # inside the nested run
    it.eval_string("(define outer #f)")
    it.eval_string("(define (away k) (outer 99))")
    it.eval_string("(define (g) (+ 1 (call/cc away)))")
    assert compiled(it, "g")
    # to a continuation below the machine that g's call/cc started
    assert it.eval_string("(+ 1000 (call/cc (lambda (k) (set! outer k) (g))))") == "1099"
    assert it.eval_string("(f)") == "43"
    assert it.sp == 0


def test_collections_during_translated_code_keep_its_values():
    from verify import verify
    it = fresh(arena_words=1024)
    it.eval_string("(define (mk n) (if (= n 0) '() (cons n (mk (- n 1)))))")
    it.eval_string("(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))")
    it.eval_string("(define (churn k) (if (= k 0) 0 (+ (sum (mk 40)) (churn (- k 1)))))")
    for name in ("mk", "sum", "churn"):
        assert compiled(it, name), name
    runs = it.stats()["gc_runs"]
    assert it.eval_string("(churn 60)") == str(60 * 820)
    assert it.stats()["gc_runs"] > runs + 3
    verify(it)


def test_translated_code_under_a_collection_at_every_allocation():
    # every slot below a call's holds a word the collector can read, in
    # every shape of operand (leaf first, call first, both calls, loops)
    from verify import verify
    it = fresh(arena_words=2048, stress=3)
    checked_stack(it)
    define_translated(
        it, "(define (g y) (* y 100000))",
        "(define (f x y) (+ x (g y)))",
        "(define (h x y) (- (g x) (g y)))",
        "(define (k n) (let loop ((i 0) (acc '())) (if (< i n) (loop (+ i 1) "
        "(cons (f i i) (cons (h i 1) acc))) (length acc))))",
        "(define (r n) (if (= n 0) '() (cons (f n 1) (r (- n 1)))))",
        "(define (mk n) (lambda (x) (cons x n)))",
        "(define (map1 f l) (if (null? l) '() (cons (f (car l)) (map1 f (cdr l)))))",
        "(define (adders n) (let loop ((i 0) (acc '())) (if (< i n)"
        " (loop (+ i 1) (cons (mk (g i)) acc)) acc)))",
        "(define (use n) (map1 (lambda (a) (a n)) (adders n)))",
        "(define (inc-all l) (map1 (lambda (x) (+ x 1)) (map1 (lambda (x) (* x 2)) l)))")
    for n in range(6):              # (a collection falls on each lambda's allocation)
        assert it.eval_string("(apply + (inc-all (iota %d)))" % n) == str(n * n)
    assert it.eval_string("(length (use 30))") == "30"
    assert it.eval_string("(car (use 3))") == "(3 . 200000)"
    assert it.eval_string("(k 40)") == "80"
    assert it.eval_string("(f 1 2)") == "200001"
    assert it.eval_string("(h 3 1)") == "200000"
    assert it.eval_string("(apply + (r 30))") == str(sum(n + 100000 for n in range(1, 31)))
    assert it.stats()["gc_runs"] > 100
    verify(it)


def checked_stack(it):
    """Make every collection of `it` first check that each word below
    it.sp is an immediate or a reference to a pair, a list element or a
    box's header; the stack above the arguments of every translated call
    from the machine is poisoned first with a reference into a vector's
    payload, so a slot that translated code leaves unwritten fails it."""
    h = it.heap
    col = it.collector
    it.eval_string("(define poison (make-vector 2 0))")
    it.eval_string("(define (tier-on) 0)")          # (the tier's runtime)
    bad = it.global_value("poison") + 2
    collect = col.collect
    tier = it.tier
    enter = tier.enter

    def poisoning(a):
        S = it.S
        for k in range(a + 2, min(len(S), a + 300)):
            S[k] = bad
        return enter(a)
    tier.enter = poisoning

    def checking():
        S = it.S
        ok = set()
        i = 0
        while i < h.top:
            j = col.parse(i)
            ok.update([i] if h.code(i) == 3 or h.code(i) == 0 else range(i, j))
            i = j
        for k in range(it.sp):
            assert S[k] & 1 or S[k] >> 1 in ok, "S[%d] = %d is no object" % (k, S[k])
        for k in range(it.sp, len(S)):
            S[k] = bad
        collect()
    col.collect = checking


def test_ctrl_c_anywhere_in_translated_code_leaves_a_consistent_arena():
    from verify import verify
    it = fresh(arena_words=1024)
    it.eval_string("(define kept (list 1 2 (vector 3 \"four\")))")
    it.eval_string("(define (mk n) (if (= n 0) '() (cons n (mk (- n 1)))))")
    it.eval_string("(define (len l) (if (null? l) 0 (+ 1 (len (cdr l)))))")
    it.eval_string("(define (churn k) (if (= k 0) 0 (+ (len (mk 30)) (churn (- k 1)))))")
    assert compiled(it, "churn")
    from conftest import LineCut
    cutter = LineCut(("<string>", "tier_runtime.py", "arena.py"))

    def run(cut):
        return cutter.run(cut, lambda: it.eval_string("(churn 40)"))

    assert run(-1) == "1200"
    total = cutter.count
    cuts = 0
    for cut in range(1, total, max(1, total // 120)):
        cuts += run(cut) is None
        it.recover()
        verify(it)
        assert it.eval_string("kept") == '(1 2 #(3 "four"))'
    assert cuts >= 100
    assert it.eval_string("(churn 40)") == "1200"


STEADY_SETUP = (
    FIB, TAK,
    "(define (count n acc) (if (= n 0) acc (count (- n 1) (+ acc 1))))",
    "(define (g x y) (let ((s (+ x y)) (t 0)) (set! t (- s 1)) (cond ((< t 0) 'neg) "
    "((= t 0) 'zero) (else (when (> t 5) (set! t 5)) t))))",
    "(define (loop-g n) (if (= n 0) 0 (begin (g n 1) (loop-g (- n 1)))))",
    "(define (twice x) (+ x x))",
    "(define (sum-twice n) (if (= n 0) 0 (+ (twice 1) (sum-twice (- n 1)))))",
    "(define (walk l n) (if (null? l) n (walk (cdr l) (+ n (car l)))))",
    "(define lst (list 1 2 3 4 5 6 7 8 9 10))",
    "(define (walks k) (if (= k 0) 0 (begin (walk lst 0) (walks (- k 1)))))",
    "(define (loops n) (let loop ((i 0) (s 0)) (if (< i n) (loop (+ i 1) (+ s 1)) s)))",
    "(define v (make-vector 10 1)) (define s (make-string 10 #\\a))",
    "(define (vs n) (let loop ((i 0) (t 0)) (if (< i n) (let ((j (remainder i 10)))"
    " (vector-set! v j (+ (remainder (vector-ref v (- 9 j)) 100) (vector-length v)))"
    " (string-set! s j (integer->char (+ 97 (string-length s))))"
    " (loop (+ i 1) (remainder (+ t (char->integer (string-ref s j))) 1000))) t)))",
    "(define (mk n) (lambda (x) (+ x n)))",
    "(define (app f x) (f x))",
    "(define (hof n) (let loop ((i 0) (t 0)) (if (< i n)"
    " (loop (+ i 1) (+ (app (mk i) 1) (app (lambda (x) (- x t)) t))) t)))")
STEADY_FORMS = ("(fib M)", "(tak M 6 3)", "(count N 0)", "(loop-g N)", "(sum-twice N)",
                "(walks N)", "(loops N)", "(vs N)", "(hof N)")


def test_translated_code_allocates_nothing_per_step_on_micropython(tmp_path):
    # Every translated shape (flat recursion, tail jumps, let/set!/cond,
    # calls between translated procedures, builtins called from them)
    # allocates nothing per call: their frames stay on the C stack.
    growth = steady_growth(tmp_path, STEADY_SETUP, STEADY_FORMS)
    assert all(g <= 64 for g in growth), list(zip(STEADY_FORMS, growth))[-3:]
