"""R7RS behaviour a Schemer notices (issue 13): circular data prints with
datum labels, write-shared and write-simple."""
import pytest

from conftest import fresh, run_mote_micropython
from verify import verify

CIRCULAR = [
    # a cycle through cdrs, through a car, through a vector, inside a list,
    # and one reached twice (write labels it; the rest of the sharing is not)
    ("(define x (list 'a 'b 'c)) (set-cdr! (cddr x) x)", "x", "#0=(a b c . #0#)"),
    ("(define x (list 1 2)) (set-car! x x)", "x", "#0=(#0# 2)"),
    ("(define x (vector 1 2 3)) (vector-set! x 1 x)", "x", "#0=#(1 #0# 3)"),
    ("(define x (list 1 2 3)) (set-cdr! (cdr x) (cdr x))", "x", "(1 . #0=(2 . #0#))"),
    ("(define x (list (list 1) 2)) (set-car! (car x) x)", "x", "#0=((#0#) 2)"),
    ("(define q (list 1)) (set-cdr! q q) (define s (list 5))",
     "(list q s q s)", "(#0=(1 . #0#) (5) #0# (5))"),
    ("(define x (list 1 2)) (define v (vector x x)) (set-cdr! (cdr x) (list v))",
     "v", "#0=#((1 2 #0#) (1 2 #0#))"),
]


@pytest.mark.parametrize("setup,expr,printed", CIRCULAR)
def test_write_and_display_of_circular_data_print_datum_labels(setup, expr, printed):
    it = fresh()
    it.run_string(setup)
    assert it.eval_string(expr) == printed                  # the REPL's echo
    it.run_string("(write %s) (display %s)" % (expr, expr))
    assert "".join(it.output) == printed * 2
    port = it.eval_string("(let ((p (open-output-string))) (write %s p) (get-output-string p))"
                          % expr)
    assert port == '"%s"' % printed
    it.collector.collect()
    verify(it)


def test_sharing_without_a_cycle_is_labelled_only_by_write_shared():
    it = fresh()
    it.run_string("(define s (list 1 2)) (define d (list s (vector s) s))")
    it.run_string("(write d) (newline) (write-shared d) (newline) (write-simple d)")
    assert "".join(it.output) == ("((1 2) #((1 2)) (1 2))\n"
                                  "(#0=(1 2) #(#0#) #0#)\n"
                                  "((1 2) #((1 2)) (1 2))")


def test_write_shared_and_write_simple_take_a_port_and_check_it():
    it = fresh()
    assert it.eval_string("(let ((p (open-output-string)) (s (list 1)))"
                          " (write-shared (list s s) p) (write-simple (list s s) p)"
                          " (get-output-string p))") == '"(#0=(1) #0#)((1) (1))"'
    assert it.eval_string("(guard (e (#t (error-object-message e))) (write-shared 1 2))") \
        == '"write-shared: not an output port: 2"'


def test_an_error_message_naming_circular_data_is_short():
    # it.show used to loop forever on a circular irritant
    it = fresh()
    it.run_string("(define x (list 1 2)) (set-cdr! (cdr x) x)")
    msg = it.eval_string("(guard (e (#t (error-object-message e))) (vector-ref x 0))")
    assert "#0=(1 2 . #0#)" in msg


def test_a_deep_list_prints_without_labels_and_a_deeper_one_is_an_error():
    it = fresh(stack_words=4096)
    it.run_string("(define (nest n x) (if (= n 0) x (nest (- n 1) (list x))))")
    assert it.eval_string("(nest 50 'a)") == "(" * 50 + "a" + ")" * 50
    # deeper than the stack: datum_labels looks for a cycle, finds none, and
    # its own walk runs out of stack: a Lisp error, the session intact
    msg = it.eval_string("(guard (e (#t (error-object-message e)))"
                         " (write (nest %d 'a)) 'printed)" % len(it.S))
    assert msg == '"stack overflow"'
    assert it.eval_string("(+ 1 2)") == "3"


def test_a_cut_write_simple_of_a_circular_list_leaves_the_arena_sound():
    # write-simple does not look for cycles (R7RS): it prints until Ctrl-C,
    # a KeyboardInterrupt in the printing loop; the interpreter carries on
    it = fresh()
    it.run_string("(define x (list 1 2)) (set-cdr! (cdr x) x)")
    pieces = []

    def out(text):
        pieces.append(text)
        if len(pieces) > 10000:
            raise KeyboardInterrupt
    it.out = out
    with pytest.raises(KeyboardInterrupt):
        it.run_string("(write-simple x)")
    assert "".join(pieces).startswith("(1 2 1 2 1 2")
    it.recover()
    verify(it)
    it.out = it.output.append
    assert it.eval_string("(car x)") == "1"


def test_circular_data_prints_on_micropython_too(tmp_path):
    prog = tmp_path / "circular.scm"
    prog.write_text("".join("(let () %s (write %s) (newline))\n" % (s, e) for s, e, _ in CIRCULAR)
                    + "(define s (list 1)) (write-shared (list s s)) (newline)\n")
    want = "".join(p + "\n" for _, _, p in CIRCULAR) + "(#0=(1) #0#)\n"
    r = run_mote_micropython(prog)
    assert r.returncode == 0 and r.stdout == want, r.stderr


LIBRARY = [
    ("(list (boolean=? #t #t) (boolean=? #f #f #f) (boolean=? #t #f))", "(#t #t #f)"),
    ("(guard (e (#t (error-object-message e))) (boolean=? 1 #t))", '"boolean=?: not a boolean:"'),
    ("(list (make-list 3 'x) (length (make-list 2)))", "((x x x) 2)"),
    ("(guard (e (#t (error-object-irritants e))) (make-list -1))", "(-1)"),
    ("(and (memq 'r7rs (features)) #t)", "#t"),
    ("(eval '(* 6 7) (environment '(scheme base)))", "42"),
    ('(guard (e ((read-error? e) "read")) (read (open-input-string "(1 . )")))', '"read"'),
    ('(guard (e ((file-error? e) "file")) (delete-file "/no/such/dir/f"))', '"file"'),
    ('(guard (e ((file-error? e) "file")) (load "/no/such/dir/f.scm"))', '"file"'),
    ("(list (read-error? 1) (file-error? 'x) (read-error? (make-parameter 1)))", "(#f #f #f)"),
    ('(file-exists? "/no/such/dir/f")', "#f"),
    ('(get-environment-variable "MOTE_NO_SUCH_VARIABLE")', "#f"),
    ("(list? (get-environment-variables))", "#t"),
    ("(string? (car (command-line)))", "#t"),
    ('(call-with-port (open-input-string "42 43") read)', "42"),
    ("(call-with-values (lambda () (call-with-port (open-output-string)"
     " (lambda (p) (values 1 2)))) list)", "(1 2)"),
    ("(list (textual-port? (open-output-string)) (binary-port? (open-output-string))"
     " (textual-port? 1))", "(#t #f #f)"),
    ("(begin (flush-output-port) (flush-output-port (open-output-string)) 'flushed)", "flushed"),
]


@pytest.mark.parametrize("expr,printed", LIBRARY)
def test_library_procedures_r7rs_names(expr, printed):
    it = fresh()
    assert it.eval_string(expr) == printed


def test_files_and_environment_reach_the_host(tmp_path, monkeypatch):
    f = tmp_path / "scratch.txt"
    f.write_text("x")
    monkeypatch.setenv("MOTE_R7RS_VARIABLE", "yes")
    it = fresh()
    assert it.eval_string('(get-environment-variable "MOTE_R7RS_VARIABLE")') == '"yes"'
    assert it.eval_string('(and (assoc "MOTE_R7RS_VARIABLE" (get-environment-variables)) #t)') \
        == "#t"
    assert it.eval_string('(file-exists? "%s")' % f) == "#t"
    it.run_string('(delete-file "%s")' % f)
    assert not f.exists()
    assert it.eval_string('(file-exists? "%s")' % f) == "#f"


def test_files_environment_and_command_line_on_micropython(tmp_path):
    f = tmp_path / "scratch.txt"
    f.write_text("x")
    prog = tmp_path / "os.scm"
    prog.write_text('(write (file-exists? "%s")) (delete-file "%s") (write (file-exists? "%s"))\n'
                    '(write (command-line)) (write (boolean=? #f #f))' % (f, f, f))
    r = run_mote_micropython(prog, "one", "two")
    assert r.returncode == 0 and r.stdout == '#t#f("%s" "one" "two")#t' % prog, r.stderr
    assert not f.exists()
