"""The embedding API, error messages, the REPL, and Ctrl-C."""
import os
import signal
import sys
import subprocess
import time

import pytest

from conftest import FIRMWARE, BOARDS, ROOT, board_heap, micropython_exe, fresh




# -- API -------------------------------------------------------------------------

def test_read_eval_repr_and_stats():
    it = fresh()
    ref = it.read("(+ 1 (* 2 3))")
    assert it.repr(ref) == "(+ 1 (* 2 3))"
    assert it.repr(it.eval(ref)) == "7"
    assert it.eval_string("(define x 10) (* x x)") == "100"
    st = it.stats()
    for key in ("bytes_total", "bytes_free", "pairs_free", "symbols_used",
                "symbols_max", "gc_runs"):
        assert isinstance(st[key], int)
    assert st["symbols_max"] == 256
    assert 0 < st["bytes_free"] < st["bytes_total"]


def test_bytes_total_counts_every_preallocated_array():
    it = fresh(arena_words=4096, stack_words=2048, symbol_bytes=1024)
    st = it.stats()
    # arena words, their codes, the stack and the symbol store at least
    assert st["bytes_total"] >= 2 * 4096 + 4096 // 4 + 2 * 2048 + 1024


def test_gc_and_room():
    it = fresh()
    it.eval_string("(gc)")
    assert it.stats()["gc_runs"] >= 1
    it.eval_string("(define keep (list (make-string 100) (vector 1 2 3) (expt 2 100) "
                   "(integer->char #x1F600)))")
    it.eval_string("(room)")
    text = "".join(it.output)
    lines = dict(l.strip().split(": ", 1) for l in text.splitlines())
    assert lines["arena"] == "%d bytes" % (2 * it.heap.n)
    # by kind: the string's 100 bytes and header, the vector, the bignum
    assert int(lines["strings"].split()[0]) >= 104
    assert int(lines["vectors"].split()[0]) >= 8
    assert int(lines["bignums"].split()[0]) >= 12
    assert int(lines["characters"].split()[0]) == 8      # [header][0][low][high]
    assert int(lines["free"].split()[0]) > 0
    assert lines["collections"] == str(it.stats()["gc_runs"])
    kinds = [k for k in lines if k not in ("arena", "symbols", "stack", "interpreter tables",
                                           "collections")]
    assert sum(int(lines[k].split()[0]) for k in kinds) == 2 * it.heap.n


def test_collector_reclaims_cycles():
    it = fresh()
    it.eval_string("(define (ring n) (let ((l (list 1 2 3))) (set-cdr! (cddr l) l) l))")
    it.eval_string("(define r (ring 3))")
    assert it.eval_string("(car (cdddr r))") == "1"
    from arena import NIL
    it.heap.R[3] = it.heap.R[4] = it.heap.R[8] = it.heap.R[9] = NIL
    it.collector.collect()
    before = it.stats()["bytes_free"]
    it.eval_string("(set! r #f)")
    it.heap.R[3] = it.heap.R[4] = it.heap.R[8] = it.heap.R[9] = NIL
    it.collector.collect()
    assert it.stats()["bytes_free"] >= before + 12


def test_stress_mode_collects_at_every_allocation():
    from verify import verify
    it = fresh(arena_words=2048)
    it.heap.stress = True
    runs = it.stats()["gc_runs"]
    assert it.eval_string("(length (let loop ((i 0) (acc '())) (if (< i 50) "
                          "(loop (+ i 1) (cons i acc)) acc)))") == "50"
    assert it.stats()["gc_runs"] - runs >= 50
    verify(it)


# -- errors ------------------------------------------------------------------------

@pytest.mark.parametrize("src,msg", [
    ("(car 5)", "car: not a pair: 5"),
    ("(cdr '())", "cdr: not a pair: ()"),
    ("(vector-ref (vector 1 2) 5)", "vector-ref: index out of range: 5"),
    ("(vector-ref 5 0)", "vector-ref: not a vector: 5"),
    ("(string-length 'abc)", "string-length: not a string: abc"),
    ("(char->integer \"a\")", "char->integer: not a char: \"a\""),
    ("(length '(1 . 2))", "length: not a proper list: (1 . 2)"),
    ("(+ 1 \"a\")", "+: not a number: \"a\""),
    ("(undefined-thing 1)", "unbound variable: undefined-thing"),
    ("((lambda (x) x))", "wrong number of arguments: 0"),
    ("(car 1 2)", "car: wrong number of arguments: 2"),
    ("(5 3)", "not a procedure: 5"),
    ("(if)", "if: bad syntax"),
    ("(let ((x)) x)", None),
    ("(quotient 1 0)", "quotient: division by zero"),
    ("(string-ref \"abc\" 3)", "string-ref: index out of range: 3"),
    ("(set! nowhere 1)", "set!: unbound variable: nowhere"),
    (")", "read: unexpected )"),
    ("(lambda)", "lambda: bad syntax"),
])
def test_errors_name_the_operation_and_the_value(src, msg):
    from arena import LispError
    it = fresh()
    if msg is None:
        it.eval_string(src)
        return
    with pytest.raises(LispError) as e:
        it.eval_string(src)
    assert msg in str(e.value)
    it.recover()
    assert it.eval_string("(+ 1 2)") == "3"


# -- Ctrl-C on CPython -------------------------------------------------------------------

def test_ctrl_c_leaves_the_arena_consistent_and_definitions_intact():
    # Interrupt allocation-heavy loops at many different moments (inside
    # allocation, inside the collector, inside the machine), then check
    # every invariant and that the program's definitions are still there.
    from verify import verify
    it = fresh(arena_words=4096)
    it.eval_string("(define (churn) (let loop ((acc '()) (n 0)) "
                   "(loop (if (> n 300) '() (cons (vector n \"s\" (list n)) acc)) "
                   "(if (> n 300) 0 (+ n 1)))))")
    it.eval_string("(define kept (list 1 2 3))")
    old = signal.getsignal(signal.SIGALRM)
    signal.signal(signal.SIGALRM, lambda *a: os.kill(os.getpid(), signal.SIGINT))
    interrupted = 0
    try:
        for k in range(12):
            signal.setitimer(signal.ITIMER_REAL, 0.01 + 0.007 * k)
            try:
                it.eval_string("(churn)")
            except KeyboardInterrupt:
                interrupted += 1
            signal.setitimer(signal.ITIMER_REAL, 0)
            it.recover()
            verify(it)
            assert it.eval_string("kept") == "(1 2 3)"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert interrupted == 12
    assert it.stats()["gc_runs"] > 12


def test_a_collection_cut_anywhere_leaves_a_consistent_arena():
    # Stop the program at ~150 different lines of the arena and collector
    # code (inside allocations, marking, sweeping, threading free runs), as
    # Ctrl-C would, then recover: the arena verifies and every definition
    # is intact.
    from verify import verify
    it = fresh(arena_words=512)
    it.eval_string("(define kept (list 1 2 (vector 3 \"four\")))")
    it.eval_string("(define (churn n) (let loop ((i 0) (acc '())) "
                   "(if (< i n) (loop (+ i 1) (cons (list i) (if (> (length acc) 40) '() acc))) i)))")
    from conftest import LineCut
    cutter = LineCut(("collector.py", "arena.py"))

    def run(cut):
        return cutter.run(cut, lambda: it.eval_string("(churn 600)")) is None

    assert not run(-1)
    total = cutter.count
    assert total > 10000 and it.stats()["gc_runs"] > 3
    cuts = 0
    for cut in range(1, total, total // 150):
        cuts += run(cut)
        it.recover()
        verify(it)
        assert it.eval_string("kept") == '(1 2 #(3 "four"))'
    assert cuts >= 140


# -- the REPL on MicroPython -----------------------------------------------------------------

def start_repl(*extra):
    exe = micropython_exe()
    if exe is None:
        pytest.skip("the MicroPython unix port is not installed")
    env = dict(os.environ, MOTE_BOARDS_DIR=str(BOARDS))
    return subprocess.Popen([exe, "-X", "heapsize=%d" % board_heap(), str(FIRMWARE / "mote.py"),
                             "repl"] + list(extra), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, bufsize=1,
                            cwd=str(ROOT), env=env)


def read_until(proc, text, timeout=60):
    got = ""
    end = time.time() + timeout
    while text not in got:
        if time.time() > end:
            raise AssertionError("no %r in %r" % (text, got))
        ch = proc.stdout.read(1)
        if not ch:
            raise AssertionError("REPL ended; output %r" % got)
        got += ch
    return got


def test_repl_prints_results_and_survives_errors():
    proc = start_repl("--quiet")
    out, err = proc.communicate("(define (sq x) (* x x))\n(sq 7)\n(car 5)\n(sq 8)\n"
                                "(define l '(1\n 2 3))\nl\n", timeout=60)
    assert out.splitlines() == ["49", "Error: car: not a pair: 5", "64", "(1 2 3)"]
    assert proc.returncode == 0


def test_repl_prompt_shows_free_memory():
    proc = start_repl()
    out, err = proc.communicate("(+ 1 2)\n", timeout=60)
    lines = out.splitlines()
    assert lines[0].startswith("Mote Scheme")
    prompt = lines[1].split(">")[0]
    assert prompt.isdigit() and int(prompt) > 1000
    assert lines[1].endswith("> 3")


def test_ctrl_c_in_the_micropython_repl_returns_to_the_prompt():
    proc = start_repl("--quiet")
    try:
        proc.stdin.write("(define kept 41)\n(display \"go\")(newline)(let loop ((n 0)) (loop (+ n 1)))\n")
        proc.stdin.flush()
        read_until(proc, "go\n")
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        read_until(proc, "Interrupted")
        proc.stdin.write("(+ kept 1)\n")
        proc.stdin.close()
        rest = proc.stdout.read()
        assert "42" in rest.split()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_piped_make_sim_prints_the_result():
    r = subprocess.run(["make", "-s", "sim"], input="(+ 1 2)\n", stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, cwd=str(ROOT), timeout=300,
                       env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")})
    assert r.stdout == "3\n"


def test_ctrl_c_during_mote_run_exits_130_without_a_traceback(tmp_path):
    exe = micropython_exe()
    if exe is None:
        pytest.skip("the MicroPython unix port is not installed")
    prog = tmp_path / "forever.scm"
    prog.write_text('(display "go")(newline)(let loop ((n 0)) (loop (+ n 1)))\n')
    env = dict(os.environ, MOTE_BOARDS_DIR=str(BOARDS))
    proc = subprocess.Popen([exe, "-X", "heapsize=%d" % board_heap(), str(FIRMWARE / "mote.py"),
                             "run", str(prog)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, cwd=str(ROOT), env=env)
    try:
        assert proc.stdout.readline() == "go\n"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert err == "Interrupted\n"


@pytest.mark.parametrize("size", [16, 64, 1024])
def test_run_reads_a_program_a_window_of_lines_at_a_time(tmp_path, size):
    # `mote.py run FILE` keeps a window of whole lines, not the program:
    # forms across windows, a number at a window's edge, a form longer
    # than the window, block comments and strings over lines all read as
    # from one piece
    import io
    import command
    src = (b"(define (f x)\n  (* x 12345))\n#| a\n comment |#\n(display (f 2))\n"
           b"(display \"two\nlines\")\n(display '(" + b" ".join(b"%d" % k for k in range(60))
           + b"))\n; last\n(display 'end)")
    it = fresh()
    out = []
    it.out = out.append
    command.run_file(it, io.BytesIO(src), size)
    want = fresh()
    got_want = []
    want.out = got_want.append
    want.run_bytes(src)
    assert "".join(out) == "".join(got_want)
    assert "".join(out).startswith("24690two\nlines(0 1 2") and "".join(out).endswith("59)end")
    from arena import LispError
    it2 = fresh()
    with pytest.raises(LispError, match="unexpected end of input"):
        command.run_file(it2, io.BytesIO(b"(display 1)\n(car '(1 2)"), size)


def test_a_read_that_needs_more_input_leaves_the_stack_as_it_was():
    # the REPL and `run` read a form again with more input: each retry
    # must not leave the half-read elements on S
    from reader import read, Incomplete
    from arena import LispError
    it = fresh()
    sp = it.sp
    for text in (b"(a b (c d", b"'(1 2", b'"abc', b"(a . b c)"):
        with pytest.raises(LispError):
            read(it, text, 0)
        assert it.sp == sp, text
