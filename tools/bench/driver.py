# Mote benchmark driver.  Runs unchanged on CPython and on MicroPython, so it
# is written in the subset both have (no f-strings, no argparse, no
# str.ljust/rjust, no perf_counter on MicroPython).
#
#   python      tools/bench/driver.py --path firmware        [--board unix]
#   micropython -X heapsize=N tools/bench/driver.py --path build/bench-mpy [--board unix]
#
# --path is put first on sys.path before `import mote` (on MicroPython it is
# the directory of .mpy files that `mote bench` compiled with mpy-cross).
# It prints a report; it is never a pass/fail timing test.  Exit status 1
# only when something could not run or gave a wrong answer.
import gc
import sys
import time

IS_MICROPYTHON = sys.implementation.name == "micropython"

if hasattr(time, "ticks_us"):
    def start_clock():
        return time.ticks_us()

    def elapsed_ms(t0):
        return time.ticks_diff(time.ticks_us(), t0) / 1000.0
else:
    def start_clock():
        return time.perf_counter()

    def elapsed_ms(t0):
        return (time.perf_counter() - t0) * 1000.0


# ------------------------------------------------------- the same algorithms

MOTE_SETUP = (
    "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))",
    "(define (tak x y z) (if (not (< y x)) z"
    " (tak (tak (- x 1) y z) (tak (- y 1) z x) (tak (- z 1) x y))))",
    "(define (build-list n) (let loop ((i 0) (acc '()))"
    " (if (< i n) (loop (+ i 1) (cons i acc)) acc)))",
    "(define (list-bench k) (let loop ((k k) (len 0))"
    " (if (= k 0) len (loop (- k 1) (length (reverse (build-list 1000)))))))",
    # closures and higher-order calls
    "(define (make-adder n) (lambda (x) (+ x n)))",
    "(define (map1 f l) (if (null? l) '() (cons (f (car l)) (map1 f (cdr l)))))",
    "(define (count-if p l) (let loop ((l l) (n 0))"
    " (if (null? l) n (loop (cdr l) (if (p (car l)) (+ n 1) n)))))",
    "(define (hof-bench k) (let ((l (build-list 30))) (let loop ((k k) (c 0))"
    " (if (= k 0) c (loop (- k 1) (count-if (lambda (x) (< x 30)) (map1 (make-adder k) l)))))))",
    # vector and string loops
    "(define (vec-bench k) (let ((v (make-vector 100 0)) (s (make-string 100 (integer->char 97))))"
    " (let loop ((k k) (t 0)) (if (= k 0) t (begin"
    " (let fill ((i 0)) (if (< i 100) (begin (vector-set! v i (remainder (* i i) 31))"
    " (string-set! s i (integer->char (+ 97 (remainder i 13)))) (fill (+ i 1)))))"
    " (loop (- k 1) (let sum ((i 0) (acc 0)) (if (< i 100)"
    " (sum (+ i 1) (+ acc (vector-ref v i) (- (char->integer (string-ref s i)) 97))) acc))))))))",
)


def py_fib(n):
    if n < 2:
        return n
    return py_fib(n - 1) + py_fib(n - 2)


def py_tak(x, y, z):
    if not (y < x):
        return z
    return py_tak(py_tak(x - 1, y, z), py_tak(y - 1, z, x), py_tak(z - 1, x, y))


def py_list_bench(k):
    n = 0
    while k > 0:
        acc = []
        i = 0
        while i < 1000:
            acc.append(i)
            i += 1
        acc.reverse()
        n = len(acc)
        k -= 1
    return n


def py_map1(f, l):
    return [f(x) for x in l]


def py_hof_bench(k):
    lst = list(range(29, -1, -1))
    c = 0
    while k > 0:
        add = (lambda n: lambda x: x + n)(k)
        c = 0
        for x in py_map1(add, lst):
            if x < 30:
                c += 1
        k -= 1
    return c


def py_vec_bench(k):
    v = [0] * 100
    s = bytearray(b"a" * 100)
    t = 0
    while k > 0:
        for i in range(100):
            v[i] = (i * i) % 31
            s[i] = 97 + i % 13
        t = 0
        for i in range(100):
            t += v[i] + s[i] - 97
        k -= 1
    return t


BENCHES = (
    # name, Mote expression, expected printed value, Python thunk
    ("fib 20", "(fib 20)", "6765", lambda: py_fib(20)),
    ("tak 18 12 6", "(tak 18 12 6)", "7", lambda: py_tak(18, 12, 6)),
    ("list 1000 x20", "(list-bench 20)", "1000", lambda: py_list_bench(20)),
    ("closures x150", "(hof-bench 150)", "29", lambda: py_hof_bench(150)),
    ("vector+string", "(vec-bench 20)", "1758", lambda: py_vec_bench(20)),
)

REPEAT = 3      # each timing is the best of this many runs


def best_of(thunk):
    best = None
    for k in range(REPEAT):
        t0 = start_clock()
        thunk()
        ms = elapsed_ms(t0)
        best = ms if best is None else min(best, ms)
    return best


def reference():
    """host_tests/bench/lispy.py (a naive lis.py-style Scheme) with the
    benchmarks defined, or None when it is not there."""
    here = sys.argv[0]
    root = here[:here.rfind("/") + 1] + "../../host_tests/bench"
    sys.path.append(root)
    try:
        import lispy
    except ImportError:
        return None
    finally:
        sys.path.remove(root)
    lisp = lispy.Lispy()
    for form in MOTE_SETUP:
        lisp.run(form)
    return lisp


BIG_LIST = ("(define big (let loop ((i 0) (acc '()))"
            " (if (< i 1000) (loop (+ i 1) (cons i acc)) acc)))")


# ----------------------------------------------------------------- helpers

def parse_args(argv):
    opts = {"path": None, "board": "unix", "only": None, "side": "mote", "skip": False}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--path", "--board", "--only", "--side") and i + 1 < len(argv):
            opts[a[2:]] = argv[i + 1]
            i += 2
        elif a == "--skip":
            opts["skip"] = True
            i += 1
        elif a in ("-h", "--help"):
            print("usage: driver.py --path DIR [--board NAME] "
                  "[--only K --side mote|python [--skip]]")
            sys.exit(0)
        else:
            print("driver.py: unknown argument %s" % a)
            sys.exit(2)
    return opts


def pad(s, n):
    s = str(s)
    return s + " " * (n - len(s))


def lpad(s, n):
    s = str(s)
    return " " * (n - len(s)) + s


def heap_used():
    """Bytes of Python heap in use after a collection (None: unknown)."""
    gc.collect()
    if hasattr(gc, "mem_alloc"):
        return gc.mem_alloc()
    return None


class HeapProbe:
    """Python-heap growth across a block: gc.mem_alloc on MicroPython,
    tracemalloc on CPython."""

    def __init__(self):
        self.tm = None
        if not hasattr(gc, "mem_alloc"):
            try:
                import tracemalloc
                self.tm = tracemalloc
            except ImportError:
                pass

    def start(self):
        if self.tm is not None:
            self.tm.start()
            self.tm.reset_peak()
            self.base = self.tm.get_traced_memory()[0]
        else:
            self.base = heap_used()

    def stop(self):
        if self.tm is not None:
            gc.collect()
            now = self.tm.get_traced_memory()[0]
            self.tm.stop()
            return now - self.base
        after = heap_used()
        if after is None or self.base is None:
            return None
        return after - self.base


def runtime_name():
    impl = sys.implementation
    v = impl.version
    return "%s %d.%d.%d" % (impl.name, v[0], v[1], v[2])


def fmt_bytes(n):
    if n is None:
        return "n/a"
    return "%d bytes (%.1f KB)" % (n, n / 1024.0)


def fmt_ms(ms):
    if ms is None:
        return "-"
    if ms < 10:
        return "%.2f" % ms
    return "%.1f" % ms


def first_line(e):
    s = str(e)
    i = s.find("\n")
    if i >= 0:
        s = s[:i]
    return type(e).__name__ + ": " + s


# -------------------------------------------------------------------- main

def only(opts):
    """--only K: set up one side and run benchmark K once (with --skip,
    only the set-up), printing nothing else: `mote bench --count` runs
    this under valgrind and subtracts the set-up's instructions."""
    name, expr, expected, thunk = BENCHES[int(opts["only"])]
    if opts["side"] == "python":
        if not opts["skip"]:
            thunk()
        return 0
    import mote
    it = mote.Interp(board=opts["board"])
    for form in MOTE_SETUP:
        it.eval_string(form)
    if not opts["skip"] and it.eval_string(expr) != expected:
        print("WRONG")
        return 1
    return 0


def main():
    opts = parse_args(sys.argv[1:])
    if opts["path"]:
        sys.path.insert(0, opts["path"])
    if opts["only"] is not None:
        return only(opts)
    board = opts["board"]
    failed = False

    print("runtime %s, board %s" % (runtime_name(), board))

    probe = HeapProbe()
    probe.start()
    try:
        import mote
    except Exception as e:
        probe.stop()
        print("import mote failed: %s" % first_line(e))
        return 1
    import_cost = probe.stop()

    probe.start()
    try:
        it = mote.Interp(board=board)
    except Exception as e:
        probe.stop()
        print("Interp(board=%r) failed: %s" % (board, first_line(e)))
        return 1
    interp_cost = probe.stop()

    print("loaded from          : %s" % getattr(mote, "__file__", "?"))
    print("python heap, import  : %s" % fmt_bytes(import_cost))
    print("python heap, Interp(): %s" % fmt_bytes(interp_cost))
    print("")

    try:
        for form in MOTE_SETUP:
            it.eval_string(form)
    except Exception as e:
        print("benchmark definitions failed: %s" % first_line(e))
        return 1

    lisp = reference()
    cols = (14, 11, 11, 9, 11, 9, 10)
    print(pad("benchmark", cols[0]) + lpad("mote ms", cols[1]) + lpad("python ms", cols[2])
          + lpad("ratio", cols[3]) + lpad("lispy ms", cols[4]) + lpad("faster", cols[5])
          + lpad("heap +B", cols[6]) + "  result")
    for name, expr, expected, thunk in BENCHES:
        py_ms = best_of(thunk)
        lispy_ms = None
        if lisp is not None:
            lispy_ms = best_of(lambda: lisp.run(expr))
        before = heap_used()
        mote_ms = None
        try:
            t0 = start_clock()
            got = it.eval_string(expr)
            mote_ms = elapsed_ms(t0)
            result = "ok" if got == expected else "WRONG: %s (want %s)" % (got, expected)
            for k in range(REPEAT - 1):
                t0 = start_clock()
                it.eval_string(expr)
                mote_ms = min(mote_ms, elapsed_ms(t0))
        except Exception as e:
            result = "error: " + first_line(e)
        if not result == "ok":
            failed = True
        # MicroPython heap allocated while Mote ran (a collection in between
        # would hide some; in steady state it should stay near 0).
        grown = "-"
        if IS_MICROPYTHON and before is not None and mote_ms is not None:
            grown = str(gc.mem_alloc() - before)
        ratio = "-"
        if mote_ms is not None and py_ms > 0:
            r = mote_ms / py_ms
            ratio = ("%.1fx" if r < 10 else "%.0fx") % r
        faster = "-"
        if mote_ms and lispy_ms:
            faster = "%.1fx" % (lispy_ms / mote_ms)
        print(pad(name, cols[0]) + lpad(fmt_ms(mote_ms), cols[1]) + lpad(fmt_ms(py_ms), cols[2])
              + lpad(ratio, cols[3]) + lpad(fmt_ms(lispy_ms), cols[4]) + lpad(faster, cols[5])
              + lpad(grown, cols[6]) + "  " + result)
    print("")

    # Arena cost of data: ordinary pairs built by cons, compact lists by read.
    try:
        gc_before = it.stats().get("gc_runs")
        free0 = it.stats()["bytes_free"]
        it.eval_string(BIG_LIST)
        free1 = it.stats()["bytes_free"]
        note = ""
        if gc_before is not None and it.stats().get("gc_runs") != gc_before:
            note = "  (a collection ran: figure is approximate)"
        print("arena bytes per pair (cons)        : %.2f%s" % ((free0 - free1) / 1000.0, note))
    except Exception as e:
        failed = True
        print("arena bytes per pair (cons)        : error: %s" % first_line(e))

    if hasattr(it, "read"):
        try:
            text = "'(" + " ".join([str(i) for i in range(200)]) + ")"
            free0 = it.stats()["bytes_free"]
            datum = it.read(text)
            free1 = it.stats()["bytes_free"]
            print("arena bytes per compact list elem  : %.2f" % ((free0 - free1) / 200.0))
            del datum
        except Exception as e:
            failed = True
            print("arena bytes per compact list elem  : error: %s" % first_line(e))
    else:
        print("arena bytes per compact list elem  : n/a (Interp has no read())")

    try:
        s = it.stats()
        print("arena: %d bytes, %d free, %d pairs free; symbols %d/%d; gc runs %d" % (
            s["bytes_total"], s["bytes_free"], s["pairs_free"],
            s["symbols_used"], s["symbols_max"], s["gc_runs"]))
    except Exception as e:
        print("stats() failed: %s" % first_line(e))
    return 1 if failed else 0


sys.exit(main())
