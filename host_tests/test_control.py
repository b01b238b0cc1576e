"""Continuations, errors and handlers, macros, the library loaded on demand,
and the system procedures (load, time, apropos, room) through the embedding
API: what the corpus cannot see from a program's output."""
import subprocess

import pytest

from arena import LispError
from conftest import FIRMWARE, fresh, run_micropython


def test_builtin_errors_are_catchable_and_keep_the_session():
    it = fresh()
    it.eval_string("(define kept 41)")
    assert it.eval_string("(guard (e ((error-object? e) (error-object-message e))) (car '()))") \
        == '"car: not a pair: ()"'
    assert it.eval_string("(guard (e ((string? e) 'no) (else 'yes)) (vector-ref (vector) 0))") \
        == "yes"
    with pytest.raises(LispError, match="car: not a pair: 5"):
        it.eval_string("(car 5)")
    assert it.eval_string("(+ kept 1)") == "42"


def test_uncaught_raise_and_error_texts():
    it = fresh()
    with pytest.raises(LispError, match=r"^bad thing 1 \"two\"$"):
        it.eval_string('(error "bad thing" 1 "two")')
    with pytest.raises(LispError, match="uncaught exception: oops"):
        it.eval_string("(raise 'oops)")


def test_handlers_end_with_the_top_level_form():
    # a handler that returns from a non-continuable raise is an error; the
    # next top-level form must not see that handler any more
    it = fresh()
    with pytest.raises(LispError, match="handler returned"):
        it.eval_string("(with-exception-handler (lambda (e) 0) (lambda () (car 1)))")
    assert it.heap.R[10] == it.heap.R[11] == 3          # no handlers, no winders
    with pytest.raises(LispError, match="car: not a pair: 2"):
        it.eval_string("(car 2)")


def test_escape_only_continuations_say_so():
    it = fresh()
    it.eval_string("(define k0 #f)")
    assert it.eval_string("(+ 1 (call/cc (lambda (k) (set! k0 k) 1)))") == "2"
    with pytest.raises(LispError, match="re-enter"):
        it.eval_string("(k0 5)")


def test_errors_in_a_macro_expansion_reach_the_enclosing_guard():
    # the expansion runs in a nested evaluation: the guard's continuation
    # lies below it, so the error must come out as a Python exception first
    it = fresh()
    it.eval_string("(define-syntax two (syntax-rules () ((_ a b) (list a b))))")
    assert it.eval_string("(guard (e (#t 'caught)) (eval '(two 1)))") == "caught"
    assert it.eval_string("(two 1 2)") == "(1 2)"
    assert it.sp == 0 and it.floor == 0


def test_a_continuation_cannot_escape_from_a_macro_expansion():
    it = fresh()
    it.eval_string("(define out #f)")
    it.eval_string("(define-macro (grab) (out 1) 1)")
    r = it.eval_string("(call/cc (lambda (k) (set! out k) (guard (e (#t (error-object-message e)))"
                       " (eval '(grab)))))")
    assert "cannot escape from a macro expansion" in r


def test_dynamic_wind_exits_run_on_escape_in_order():
    it = fresh()
    r = it.eval_string("""
      (let ((log '()))
        (call/cc (lambda (k)
          (dynamic-wind (lambda () (set! log (cons 'in1 log)))
                        (lambda () (dynamic-wind (lambda () (set! log (cons 'in2 log)))
                                                 (lambda () (k 0))
                                                 (lambda () (set! log (cons 'out2 log)))))
                        (lambda () (set! log (cons 'out1 log))))))
        (reverse log))""")
    assert r == "(in1 in2 out2 out1)"


def test_library_names_cost_no_program_symbols_and_load_once():
    it = fresh()
    UNBOUND = 23

    def value(name):
        b = name.encode()
        return it.G[(it.symbol(b, 0, len(b)) - 0x4003) >> 2]

    assert value("map") == value("for-each") == value("guard") == UNBOUND
    used = it.symbols.used
    it.eval_string("(map car '((1) (2)))")
    first = value("map")
    assert first != UNBOUND and value("for-each") != UNBOUND     # one chunk has both
    it.eval_string("(map car '((1) (2)))")
    assert value("map") == first                # not loaded again
    it.eval_string("(guard (e (#t e)) (raise 1))")
    assert value("guard") != UNBOUND
    it.eval_string("(for-each car '((1)))")
    it.eval_string("(gc)")      # the chunks' local names were program symbols until compiled
    assert it.symbols.used == used          # library names are built-in names


def test_a_library_name_can_be_redefined_by_the_program():
    it = fresh()
    it.eval_string("(define (filter . x) 'mine)")
    assert it.eval_string("(filter odd? '(1 2 3))") == "mine"


def test_macro_expands_once_per_site():
    it = fresh()
    it.eval_string("(define n 0)")
    it.eval_string("(define-macro (counted x) (set! n (+ n 1)) x)")
    it.eval_string("(define (f) (counted 5))")
    it.eval_string("(f) (f) (f)")
    assert it.eval_string("n") == "1"


def test_runaway_macro_is_an_error_not_a_hang():
    it = fresh()
    it.eval_string("(define-syntax forever (syntax-rules () ((_ x) (forever x))))")
    with pytest.raises(LispError, match="macro expansion does not end"):
        it.eval_string("(forever 1)")
    assert it.eval_string("(+ 1 1)") == "2"


def test_load_time_and_apropos(tmp_path):
    it = fresh()
    prog = tmp_path / "lib.scm"
    prog.write_text("(define loaded 40)\n(define (bump) (set! loaded (+ loaded 2)))\n")
    it.eval_string('(load "%s")' % prog)
    it.eval_string("(bump)")
    assert it.eval_string("loaded") == "42"
    with pytest.raises(LispError, match="load: cannot open /no/such/file"):
        it.eval_string('(load "/no/such/file")')
    assert it.eval_string("(time (+ 1 2))") == "3"
    assert "".join(it.output).startswith("Time: ")
    assert it.eval_string('(apropos-list "string->s")') == "(string->symbol)"
    assert it.eval_string("(apropos-list 'call/)") == "(call/cc)"


def test_stress_every_n_collects_at_that_rate():
    it = fresh(arena_words=4096)
    it.heap.stress = 10
    runs = it.collector.runs
    it.eval_string("(let loop ((i 0) (l '())) (if (< i 100) (loop (+ i 1) (cons i l)) (length l)))")
    assert it.collector.runs - runs == pytest.approx(10, abs=2)


def test_repl_prints_each_of_several_values():
    r = run_micropython([str(FIRMWARE / "mote.py"), "repl", "--quiet"],
                        stdin="(values 1 2)\n(values)\n(floor/ 7 2)\n(car 1)\n(+ 1 1)\n")
    assert r.stdout == "1\n2\n3\n1\nError: car: not a pair: 1\n2\n"


def test_let_syntax_macros_do_not_use_up_symbols():
    it = fresh()
    for k in range(300):        # more than there are program symbol IDs
        assert it.eval_string("(let-syntax ((m%d (syntax-rules () ((_ x) (* x 2))))) (m%d 21))"
                              % (k, k)) == "42"
    it.eval_string("(gc)")
    assert it.symbols.used < 20
