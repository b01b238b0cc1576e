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
    # deeper than the stack: circular.py looks for a cycle, finds none, and
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


def error_of(it, text):
    # The message of the Lisp error that evaluating text raises.
    from arena import LispError
    with pytest.raises(LispError) as e:
        it.eval_string(text)
    it.recover()
    return str(e.value)


# equal? must end on circular data (R7RS 6.1): two values are equal when
# their unfoldings into infinite trees are.
CIRC3 = "(let ((x (list 1 2 3))) (set-cdr! (cddr x) x) x)"
CIRC6 = "(let ((x (list 1 2 3 1 2 3))) (set-cdr! (list-tail x 5) x) x)"
CIRC7 = "(let ((x (list 1 2 3 1 2 3 1))) (set-cdr! (list-tail x 6) x) x)"
CVEC = "(let ((v (vector 1 2))) (vector-set! v 0 v) v)"
CVEC2 = "(let ((v (vector 1 2))) (vector-set! v 0 (vector v 2)) v)"
EQUAL = [(CIRC3, CIRC3, "#t"), (CIRC3, CIRC6, "#t"), (CIRC6, CIRC3, "#t"),
         (CIRC3, CIRC7, "#f"), (CIRC3, "(list 1 2 3)", "#f"),
         (CVEC, CVEC2, "#t"), (CVEC, "(vector 1 2)", "#f"),
         ("(let ((x (list 1 2))) (set-car! x x) x)",
          "(let ((x (list 1 2))) (set-car! x (list x 2)) x)", "#t")]


@pytest.mark.parametrize("x,y,answer", EQUAL)
def test_equal_ends_on_circular_data(x, y, answer):
    it = fresh()
    assert it.eval_string("(equal? %s %s)" % (x, y)) == answer
    assert it.sp == 0
    verify(it)


def test_equal_on_a_shared_dag_past_the_arena_size_is_still_right():
    # 2^40 leaves through 40 shared pairs: the step budget runs out and
    # circular.py takes over (a tree walk would never end)
    it = fresh()
    it.run_string("(define (dag n) (let loop ((k 0) (x 'leaf)) (if (= k n) x (loop (+ k 1) (cons x x)))))")
    assert it.eval_string("(equal? (dag 40) (dag 40))") == "#t"
    assert it.eval_string("(equal? (dag 40) (dag 41))") == "#f"
    assert it.eval_string("(equal? (dag 5) (dag 5))") == "#t"


@pytest.mark.parametrize("expr,value", [
    ("(/ (expt 10 400) 3)", "+inf.0"), ("(/ (- (expt 10 400)) 3)", "-inf.0"),
    ("(/ 1 (expt 10 400))", "0.0"),
    ("(guard (e ((error-object? e) (error-object-message e))) (make-list (expt 10 400)))",
     '"make-list: more than the arena holds:"'),
    (r"(list #\λ #\x3bb (char->integer #\λ))", r"(#\λ #\λ 955)"),
    ("(symbol->string (string->symbol (utf8->string (bytevector 255 65))))", '"\u00ffA"'),
])
def test_edge_values_give_answers_or_lisp_errors(expr, value):
    it = fresh()
    assert it.eval_string(expr) == value


@pytest.mark.parametrize("text,message", [
    (b"\xff\xfe", None), (b"#\xdf1", "read: unknown syntax #\u00df1"),
    (b"#b\x9b01", "read: bad number #b\u009b01"), (b"#u8(\xb2)", "read: not a byte in #u8(: \u00b2"),
    (b"#\\x\x9dB", "read: unknown character #\\x\u009dB"),
])
def test_text_that_is_not_utf8_reads_or_gives_a_read_error(text, message):
    # bytes that are not UTF-8 stand for one character each in names and
    # messages: never a Python UnicodeDecodeError
    from arena import LispError
    it = fresh()
    if message is None:
        assert it.repr(it.read(text, 0)) == "\u00ff\u00fe"
    else:
        with pytest.raises(LispError) as e:
            it.read(text, 0)
        assert str(e.value) == message


MEMORY_GUARD = r"""
import sys, gc
sys.path.insert(0, %r)
from mote import Interp
it = Interp()
it.eval_string('(define keep (list 1 2 3))')
it.eval_string('(define big (let loop ((i 0) (x 3)) (if (< i 14) (loop (+ i 1) (* x x)) x)))')
it.eval_string('(guard (e (#t 0)) (string-length (number->string 12)))')
it.eval_string('(guard (e (#t 0)) (raise 1))')
# leave about 4 KB of the heap: number->string of a 7,800-digit number
# needs more than that (MicroPython's own buffers, not the arena)
gc.collect()
ballast = [None] * 2000
k = 0
size = 4096
while size >= 64 and k < 2000:
    try:
        ballast[k] = bytearray(size)
        k += 1
    except MemoryError:
        size //= 2
ballast[0] = None
gc.collect()
print(it.eval_string('(guard (e ((error-object? e) (error-object-message e))) (number->string big))'))
try:
    it.eval_string('(number->string big)')
except MemoryError:
    print('MemoryError with no handler')
    it.recover()
ballast = None
print(it.eval_string('keep'))
"""


def test_guard_catches_micropythons_memory_error(tmp_path):
    from conftest import FIRMWARE, run_micropython
    script = tmp_path / "memory_guard.py"
    script.write_text(MEMORY_GUARD % str(FIRMWARE))
    r = run_micropython([str(script)], heap=600 * 1024)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith('"memory allocation failed, allocating ')
    assert lines[1:] == ["MemoryError with no handler", "(1 2 3)"]


@pytest.mark.parametrize("text,message", [
    ("1/2", "read: Mote has no exact rationals: 1/2"),
    ("#x1/2", "read: Mote has no exact rationals: #x1/2"),
    ("#e1.5", "read: Mote has no exact rationals: #e1.5"),
    ("3+4i", "read: Mote has no complex numbers: 3+4i"),
    ("-2i", "read: Mote has no complex numbers: -2i"),
    ("1@2i", "read: Mote has no complex numbers: 1@2i"),
])
def test_rationals_and_complex_numbers_are_read_errors_that_say_so(text, message):
    it = fresh()
    assert error_of(it, text) == message
    # as error objects from read on a string port, and #f from string->number
    assert it.eval_string('(guard (e ((read-error? e) (error-object-message e)))'
                          ' (read (open-input-string "%s")))' % text) == '"%s"' % message
    assert it.eval_string('(string->number "%s")' % text) == "#f"


@pytest.mark.parametrize("text,value", [
    ("+inf.0", "+inf.0"), ("+INF.0", "+inf.0"), ("-Inf.0", "-inf.0"), ("+NaN.0", "+nan.0"),
    ("-nan.0", "+nan.0"), ("#e1.0", "1"), ("#e1e2", "100"), ("#i#x10", "16.0"),
    ("#x#i10", "16.0"), ("'1+", "1+"), ("'(1/x)", "(1/x)"),
])
def test_number_syntax_r7rs_spellings(text, value):
    it = fresh()
    assert it.eval_string(text) == value


PORTS = [
    # bytevector ports, byte by byte and in blocks
    ("(let ((p (open-input-bytevector (bytevector 1 2 255))))"
     " (list (peek-u8 p) (read-u8 p) (read-u8 p) (read-u8 p) (read-u8 p) (u8-ready? p)))",
     "(1 1 2 255 #<eof> #t)"),
    ("(let ((p (open-input-bytevector (bytevector 1 2 3))))"
     " (list (read-bytevector 2 p) (read-bytevector 2 p) (read-bytevector 2 p)))",
     "(#u8(1 2) #u8(3) #<eof>)"),
    ("(let ((bv (make-bytevector 4 0)))"
     " (list (read-bytevector! bv (open-input-bytevector (bytevector 9 8)) 1) bv))",
     "(2 #u8(0 9 8 0))"),
    ("(let ((o (open-output-bytevector))) (write-u8 7 o)"
     " (write-bytevector (bytevector 1 2 3 4) o 1 3) (get-output-bytevector o))",
     "#u8(7 2 3)"),
    ("(let ((p (open-input-bytevector (bytevector))) (s (open-input-string \"\")))"
     " (list (binary-port? p) (textual-port? p) (binary-port? s) (textual-port? s)"
     " (binary-port? (open-output-bytevector)) (textual-port? 'x)))",
     "(#t #f #f #t #t #f)"),
    # closed ports answer input-port-open?/output-port-open? and refuse I/O
    ("(let ((i (open-input-string \"ab\")) (o (open-output-string)))"
     " (write-string \"x\" o) (close-port i) (close-output-port o)"
     " (list (input-port-open? i) (output-port-open? o) (input-port-open? o)"
     " (get-output-string o) (output-port-open? (current-output-port))))",
     '(#f #f #f "x" #t)'),
    ("(guard (e (#t (error-object-message e)))"
     " (let ((i (open-input-string \"ab\"))) (close-input-port i) (read-char i)))",
     '"read-char: the port is closed: #<input-port>"'),
    ("(guard (e (#t (error-object-message e)))"
     " (let ((o (open-output-bytevector))) (close-port o) (write-u8 1 o)))",
     '"write-u8: the port is closed: #<output-port>"'),
    ("(guard (e (#t (error-object-message e))) (open-input-bytevector \"x\"))",
     '"open-input-bytevector: not a bytevector: \\"x\\""'),
    ("(call-with-port (open-input-string \"1 2\") (lambda (p) (read p)))", "1"),
    ("(let ((p (open-input-string \"1\"))) (call-with-port p read) (input-port-open? p))",
     "#f"),
]


@pytest.mark.parametrize("expr,value", PORTS)
def test_bytevector_ports_and_closed_ports(expr, value):
    it = fresh()
    assert it.eval_string(expr) == value
    it.collector.collect()
    verify(it)


def test_closing_the_console_leaves_it_open():
    it = fresh()
    it.run_string("(close-port (current-output-port)) (display 1)")
    assert it.output == ["1"]


READER = [
    # datum labels (R7RS 2.4): cycles and sharing read back as they print
    ("'#0=(a b . #0#)", "#0=(a b . #0#)"),
    ("(let ((x '#0=(a b . #0#))) (eq? x (cddr x)))", "#t"),
    ("'(#0=(1 2) #0#)", "((1 2) (1 2))"),
    ("(let ((x '(#0=(1 2) #0#))) (eq? (car x) (cadr x)))", "#t"),
    ("(let ((x '#0=(a #1=(b . #1#) . #0#))) (list (eq? x (cddr x)) (eq? (cadr x) (cdadr x))))",
     "(#t #t)"),
    ("'#0=#(1 #0#)", "#0=#(1 #0#)"),
    ("(let ((p (open-input-string \"#5=(x . #5#) #5=(y)\"))) (let* ((a (read p)) (b (read p)))"
     " (list (eq? a (cdr a)) b)))", "(#t (y))"),
    # |symbols|, written back with bars when they need them
    ("'|a b|", "|a b|"), ("(symbol->string '|a\\x41;\\|b|)", '"aA|b"'),
    ("(eq? '|abc| 'abc)", "#t"), ("(string->symbol \"1\")", "|1|"),
    ("(list (string->symbol \"a(b\") (string->symbol \"+\") (string->symbol \"-x\")"
     " (string->symbol \"...\") (string->symbol \".5\") (string->symbol \"#t\"))",
     "(|a(b| + -x ... |.5| |#t|)"),
    ("(symbol->string (string->symbol \"a b\"))", '"a b"'),
    # #!fold-case / #!no-fold-case, for the rest of the text being read
    ("(read (open-input-string \"#!fold-case ABC\"))", "abc"),
    ("(read (open-input-string \"#!fold-case (A |B| #!no-fold-case C)\"))", "(a B C)"),
    ("(let ((p (open-input-string \"#!fold-case X Y\"))) (read p) (read p))", "y"),
    ("'ABC", "ABC"),
    # character names in any case (what #!fold-case asks; Guile reads
    # #\SPACE too), a one-character name as it is
    ("(list #\\SPACE #\\Newline #\\ALARM #\\x41 #\\A)", "(#\\space #\\newline #\\alarm #\\A #\\A)"),
    ("(read (open-input-string \"#!fold-case #\\\\Tab\"))", "#\\tab"),
    # #!fold-case folds a symbol as string-foldcase does, beyond ASCII too
    ("(read (open-input-string \"#!fold-case (\u039b\u038c\u0393\u039f\u03a3 \u00c4BC)\"))",
     "(\u03bb\u03cc\u03b3\u03bf\u03c3 \u00e4bc)"),
]


@pytest.mark.parametrize("expr,value", READER)
def test_reader_labels_bars_and_fold_case(expr, value):
    it = fresh()
    assert it.eval_string(expr) == value
    it.collector.collect()
    verify(it)


@pytest.mark.parametrize("text,message", [
    ("'#0=#0#", "read: a datum label stands for itself: #0="),
    ("'#1#", "read: datum label not defined before its use: #1#"),
    ("'(#0=a #0=b)", "read: datum label defined twice: #0="),
    ("'#99999=1", "read: bad datum label #99999="),
    ("'#!foo", "read: unknown syntax #!foo"),
])
def test_bad_datum_labels_are_read_errors(text, message):
    it = fresh()
    assert error_of(it, text) == message
    assert it.eval_string("'(#0=x #0#)") == "(x x)"       # and the next read is clean


def test_a_file_keeps_fold_case_to_its_end(tmp_path):
    # datum after datum of one text: the REPL reads the next line afresh
    it = fresh()
    it.run_string("#!fold-case (define (Twice X) (* 2 X)) (display (TWICE 4))")
    assert it.output == ["8"]
    assert it.eval_string("'ABC") == "ABC"


# -- syntax-rules ------------------------------------------------------------------------
MACROS = [
    # a template's free names mean their global meaning where the use site
    # shadows them: a procedure, a helper defined next to the macro, a
    # keyword (if, cond's else), and a binder the template introduces
    ("(define-syntax my-list (syntax-rules () ((_ x ...) (list x ...))))",
     "(let ((list vector)) (my-list 1 2))", "(1 2)"),
    ("(define (helper x) (* x 10)) "
     "(define-syntax call-helper (syntax-rules () ((_ x) (helper x))))",
     "(let ((helper (lambda (x) 'wrong))) (call-helper 4))", "40"),
    ("(define-syntax my-or (syntax-rules () ((_) #f) ((_ e) e) "
     "((_ e r ...) (let ((t e)) (if t t (my-or r ...))))))",
     "(let ((t 5) (if 7)) (list (my-or #f t) if))", "(5 7)"),
    ("(define-syntax my-if (syntax-rules () ((_ c a b) (cond (c a) (else b)))))",
     "(let ((else #f)) (my-if #f 1 2))", "2"),
    ("(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))",
     "(let ((tmp 1) (y 2)) (swap! tmp y) (list tmp y))", "(2 1)"),
    ("(define-syntax while (syntax-rules () ((_ c body ...) (let lp () (when c body ... (lp))))))",
     "(let ((i 0) (lp 'mine)) (while (< i 3) (set! i (+ i 1))) (list i lp))", "(3 mine)"),
    # quoted template symbols stay symbols
    ("(define-syntax q (syntax-rules () ((_ x) '(x list))))", "(let ((list 1)) (q 3))",
     "(3 list)"),
    # (... ...), and a macro that defines a macro (R7RS 4.3.2's example)
    ("(define-syntax be-like-begin (syntax-rules () ((be-like-begin name) "
     "(define-syntax name (syntax-rules () ((name expr (... ...)) (begin expr (... ...)))))))) "
     "(be-like-begin sequence)", "(sequence 1 2 3 4)", "4"),
    ("(define-syntax lit (syntax-rules () ((_) '(... ...))))", "(lit)", "..."),
    # a custom ellipsis
    ("(define-syntax my-list2 (syntax-rules ::: () ((_ (a b :::) :::) '((b ::: a) :::))))",
     "(my-list2 (1 2 3) (4 5))", "((2 3 1) (5 4))"),
    # vector patterns and templates, quasiquote in vectors
    ("(define-syntax vsum (syntax-rules () ((_ #(a ...)) (+ a ...))))", "(vsum #(1 2 3))", "6"),
    ("(define-syntax vt (syntax-rules () ((_ a ...) #(a ... end))))", "(vt 1 2)", "#(1 2 end)"),
    ("", "(let ((x 2)) `#(1 ,x ,@(list 3 4) (5 ,x)))", "#(1 2 3 4 (5 2))"),
    ("", "`(1 `#(,(+ 1 ,(+ 1 1))))", "(1 (quasiquote #((unquote (+ 1 2)))))"),
    # define-syntax in a body is that body's; a global macro of the same
    # name is back afterwards
    ("(define-syntax ten (syntax-rules () ((_) 10))) "
     "(define (f x) (define-syntax ten (syntax-rules () ((_) 20))) (+ x (ten)))",
     "(list (f 1) (ten))", "(21 10)"),
    ("(define (g x) (define-syntax double (syntax-rules () ((_ y) (* 2 y)))) (double x))",
     "(list (g 21) (guard (e (#t 'unbound)) (eval '(double 1))))", "(42 unbound)"),
    # let-syntax: its macros are the body's; quoted names keep their names
    ("(define-syntax ten (syntax-rules () ((_) 10)))",
     "(list (let-syntax ((ten (syntax-rules () ((_) 20)))) (ten)) (ten))", "(20 10)"),
    ("", "(let-syntax ((foo (syntax-rules () ((_ x) '(foo x))))) (foo 1))", "(foo 1)"),
    ("", "(letrec-syntax ((ev? (syntax-rules () ((_) #t) ((_ x . r) (od? . r)))) "
         "(od? (syntax-rules () ((_) #f) ((_ x . r) (ev? . r))))) (ev? 1 2 3 4))", "#t"),
    # a body's macro's free names: what they mean in the body (its
    # parameters, its later definitions), even where an inner let binds
    # them again
    ("(define (k list) (define-syntax mk (syntax-rules () ((_ a) (list a a)))) "
     "(let ((list 3)) (mk 1)))", "(k vector)", "#(1 1)"),
    ("(define (f) (define-syntax m (syntax-rules () ((_) x))) (define x 'body) "
     "(let ((x 'inner)) (m)))", "(f)", "body"),
    ("(define (g) (define-syntax m (syntax-rules () ((_) (helper)))) (define (helper) 'h) "
     "(let ((helper 1)) (list helper (m))))", "(g)", "(1 h)"),
    ("(define (c) (define n 0) (define-syntax bump! (syntax-rules () ((_) (set! n (+ n 1))))) "
     "(let ((n 100)) (bump!) (bump!)) n)", "(c)", "2"),
    # let-syntax's: what they meant where it defined the macro, even where
    # the use site binds them again (set! too, from a closure too)
    ("", "(let ((x 'outer)) (let-syntax ((m (syntax-rules () ((_) x)))) "
         "(let ((x 'inner)) (m))))", "outer"),
    ("", "(let ((n 0)) (let-syntax ((bump! (syntax-rules () ((_) (set! n (+ n 1)))))) "
         "(let ((n 100)) (bump!) (bump!))) n)", "2"),
    ("(define (f) (let ((x 1)) (let-syntax ((m (syntax-rules () ((_) x)))) "
     "(let ((x 2)) (lambda () (list x (m)))))))", "((f))", "(2 1)"),
    ("(define x 'global)", "(let-syntax ((m (syntax-rules () ((_) x)))) (let ((x 'inner)) (m)))",
     "global"),
    ("", "(let ((if list)) (let-syntax ((m (syntax-rules () ((_ a) (if a 1 2))))) "
         "(let ((if vector)) (m #f))))", "(#f 1 2)"),    # a free name that names a global macro (a library one too), bound
    # locally at the use site
    ("(define-syntax my-unless (syntax-rules () ((_ c e) (if c #f e)))) "
     "(define-syntax use-it (syntax-rules () ((_ x) (my-unless #f x))))",
     "(let ((my-unless (lambda (a b) 'local))) (list (use-it 5) (my-unless 1 2)))", "(5 local)"),
    ("(define-syntax t2 (syntax-rules () ((_ x) (guard (e (#t (list 'caught e))) (raise x)))))",
     "(let ((guard 1)) (list (t2 7) guard))", "((caught 7) 1)"),
]


@pytest.mark.parametrize("setup,expr,value", MACROS)
def test_syntax_rules(setup, expr, value):
    it = fresh()
    if setup:
        it.run_string(setup)
    assert it.eval_string(expr) == value
    it.collector.collect()
    verify(it)


EXIT_PROGRAM = """\
(dynamic-wind
  (lambda () (display "in "))
  (lambda () (dynamic-wind (lambda () #f)
                           (lambda () (%s))
                           (lambda () (display "inner-after "))))
  (lambda () (display "outer-after")))
(display "not reached")
"""


@pytest.mark.parametrize("call,out,rc", [
    ("exit 3", "in inner-after outer-after", 3),
    ("exit #f", "in inner-after outer-after", 1),
    ("exit", "in inner-after outer-after", 0),
    ("emergency-exit #f", "in", 1),
    ("emergency-exit", "in", 0),
])
def test_exit_runs_the_dynamic_wind_afters_and_emergency_exit_does_not(tmp_path, call, out, rc):
    src = tmp_path / "exit.scm"
    src.write_text(EXIT_PROGRAM % call)
    r = run_mote_micropython(src)
    assert (r.stdout.strip(), r.returncode) == (out, rc), r.stderr
