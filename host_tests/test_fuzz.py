"""Fuzzing: no Python exception ever reaches the user.

Every builtin procedure (all families of builtin_names) and every procedure
of library.scm is called with 0 .. max(arity)+1 arguments (at most 4) drawn
from a pool of awkward values (bignums, -0.0, +inf.0, non-ASCII strings,
circular and 3000-deep lists, a circular vector, ports, ...), and the reader
reads random and mutated texts. A failure must be a Lisp error
(arena.LispError, which guard catches as an error object); anything else -
another Python exception, MemoryError, a call running over 2 s, an arena
that verify() finds broken afterwards - is a finding. The test fails with
the findings, grouped and with a standalone Scheme expression for each.
A call given circular data may loop where R7RS calls that an error (memq,
map, length ...): it is cut as Ctrl-C cuts it and the arena must be sound;
equal?, list? and the printers must end (MUST_END). The calls and texts
that ended cleanly run again on the MicroPython unix port.

The sample is deterministic (seeded). MOTE_FUZZ_CASES=N sets how many
argument combinations are tried per (procedure, argument count) and scales
the reader's texts (default 2; MOTE_FULL=1, as `make test-all`, uses 16).
MOTE_FUZZ_SEED changes the seed; MOTE_FUZZ_ONLY=regex fuzzes only the
procedures whose names it matches (re.search; to check a fix quickly);
MOTE_FUZZ_JSON=path also writes the findings there as JSON.
"""
import json
import os
import random
import re
import signal
import time
import traceback

from conftest import FIRMWARE, FULL, fresh
from arena import LispError, EOF
from reader import Incomplete
from verify import verify
import builtin_names

DEFAULT_CASES = 2
CASES = int(os.environ.get("MOTE_FUZZ_CASES") or (16 if FULL else DEFAULT_CASES))
SEED = int(os.environ.get("MOTE_FUZZ_SEED") or 7)
ONLY = os.environ.get("MOTE_FUZZ_ONLY")     # a regex: fuzz only the names it matches
TIME_LIMIT = 2.0            # seconds per call before it counts as a hang
MAX_ARGS = 4

assert issubclass(Incomplete, LispError)    # the REPL's "read more input"

# The argument pool: Scheme expressions, each building a fresh value (so
# they also serve in the standalone repro of a finding). Each is bound to
# the global %aN again before every call: mutators would otherwise change
# the pool for the calls after them. Beyond the obvious: 10^400, past the
# range of floats; two circular lists alike (for equal?) and one circular
# through its car.
DEEP = "(let loop ((i 0) (x '())) (if (= i 3000) x (loop (+ i 1) (list x))))"
CIRC = "(let ((x (list 1 2 3))) (set-cdr! (cddr x) x) x)"
CIRC_CAR = "(let ((x (list 1 2))) (set-car! x x) x)"
CVEC = "(let ((v (vector 1 2))) (vector-set! v 0 v) v)"
POOL = [
    "0", "-1", "7", "1", "2",
    "(expt 10 40)", "(- (expt 10 40))", "(expt 10 400)",
    "2.5", "-0.0", "+inf.0",
    '(string-copy "")', '(string-copy "abc")', '(string-copy "\\x3BB;")',
    "#\\a", "#\\x0", "#\\x1F600", "'sym",
    "'()", "(list 1 2 3)", "(cons 1 2)", CIRC, CIRC, CIRC_CAR, DEEP,
    "(vector 1 2)", CVEC, "(bytevector 1 2)",
    "(lambda (x) x)", "car",
    "(make-equal-hash-table)",
    '(open-input-string "1 2")', "(open-output-string)",
    "#t", "#f", "(eof-object)", "(if #f #f)",
]
I_DEEP = POOL.index(DEEP)
CIRCULAR = {i for i, e in enumerate(POOL) if e in (CIRC, CIRC_CAR, CVEC)}
# R7RS makes a circular list an error for most procedures (memq, map,
# length, list-tail ...): those may run until interrupted, as an error loop
# in user code does, and the interruption must leave a sound arena. These
# must end on circular data all the same: equal? and list? by R7RS, the
# printers (datum labels), and what puts a value into an error message.
MUST_END = {"equal?", "list?", "write", "display", "write-shared", "format", "error",
            "raise", "%arg-error", "error-object-message", "error-object-irritants",
            "number->string", "symbol->string", "string->symbol"}

# Procedures that cannot be fuzzed in-process, and why. A predicate on the
# argument count: True skips that call.
SKIP = {
    "exit": (lambda n: True, "exits the process"),
    "emergency-exit": (lambda n: True, "exits the process"),
    "%exit-after-winders": (lambda n: True, "exits the process (exit's second half)"),
    "read": (lambda n: n == 0, "reads the console when given no port"),
    "read-char": (lambda n: n == 0, "reads the console when given no port"),
    "peek-char": (lambda n: n == 0, "reads the console when given no port"),
    "read-line": (lambda n: n == 0, "reads the console when given no port"),
    "char-ready?": (lambda n: n == 0, "polls the console when given no port"),
    "read-u8": (lambda n: n == 0, "reads the console when given no port"),
    "peek-u8": (lambda n: n == 0, "reads the console when given no port"),
    "u8-ready?": (lambda n: n == 0, "polls the console when given no port"),
    "read-string": (lambda n: n == 1, "(read-string k) reads the console"),
    "delete-file": (lambda n: True, "deletes files"),
    "load": (lambda n: True, "loads (runs) files"),
    "sleep-ms": (lambda n: True, "sleeps (up to 10^40 ms) where a machine module exists"),
    "%wait-since": (lambda n: True, "sleeps until a time, as sleep-ms"),
}


class Hang(BaseException):
    """Raised by SIGALRM in the main thread when a call runs too long."""


class VerifyFailed(BaseException):
    """The arena check after a call failed (verify's message)."""


def _alarm(signum, frame):
    raise Hang()


def where(e):
    # The innermost traceback entries inside firmware/ (caller < callee).
    fw = str(FIRMWARE)
    frames = [fr for fr in traceback.extract_tb(e.__traceback__)
              if fr.filename.startswith(fw)]
    if not frames:
        return "(not in firmware)"
    last = frames[-1]
    text = "%s:%d in %s: %s" % (os.path.basename(last.filename), last.lineno, last.name,
                                (last.line or "").strip())
    if len(frames) > 1:
        up = frames[-2]
        text = "%s:%d %s < %s" % (os.path.basename(up.filename), up.lineno, up.name, text)
    return text


def describe(e):
    if isinstance(e, Hang):
        return "hang", "ran over %.0f s" % TIME_LIMIT
    msg = str(e)
    if len(msg) > 160:
        msg = msg[:157] + "..."
    return type(e).__name__, msg


# -- the names ---------------------------------------------------------------------
def builtin_arities():
    # name -> (lo, hi); hi None for any number
    out = {}
    for row in builtin_names.rows_of_names():
        for item in row.split():
            nm, ar = item.rsplit(":", 1)
            if ar.endswith("-"):
                out[nm] = (int(ar[:-1]), None)
            elif "-" in ar:
                lo, hi = ar.split("-")
                out[nm] = (int(lo), int(hi))
            else:
                out[nm] = (int(ar), int(ar))
    return out


def library_arities():
    # The library's procedures: name -> (lo, hi) from their (define (name ...))
    # forms; names of its chunks that define no procedure that way get (0, None)
    # and are dropped later if not procedures. Macros are left out: they are
    # syntax, not procedures.
    names, macros = builtin_names.library_names()
    src = (FIRMWARE / "library.scm").read_text()
    params = {}
    for m in re.finditer(r"\(define \(([^\s()]+)([^()]*)\)", src):
        ps = m.group(2).split()
        if "." in ps:
            params[m.group(1)] = (ps.index("."), None)
        else:
            params[m.group(1)] = (len(ps), len(ps))
    out = {}
    for nm in names.split():
        if nm not in macros:
            out[nm] = params.get(nm, (0, None))
    return out


def arg_counts(lo, hi):
    top = MAX_ARGS if hi is None else min(hi + 1, MAX_ARGS)
    return list(range(0, top + 1))


def samples(name, n, lo, hi, rng):
    # The argument index tuples for a call of name with n arguments.
    size = len(POOL)
    if n == 0:
        return [()]
    if n < lo or (hi is not None and n > hi):
        return [tuple(rng.randrange(size) for _ in range(n))]      # arity error
    if n == 1:
        return [(i,) for i in rng.sample(range(size), min(CASES, size))]
    seen = set()
    out = []
    while len(out) < CASES:
        t = tuple(rng.randrange(size) for _ in range(n))
        if t not in seen or len(seen) >= size ** n:
            seen.add(t)
            out.append(t)
    return out


# -- the harness -------------------------------------------------------------------
SIZES = {"arena_words": 24576, "stack_words": 16384}


def new_interp():
    # A smaller stack than the unix profile's (rp2040 has 20480 words), so
    # runaway recursion fails in well under the time limit.
    return fresh(**SIZES)


def setup_forms():
    # The pool's globals %a0 ..., and (%reset) to give them fresh values.
    sets = " ".join("(set! %%a%d %s)" % (i, e) for i, e in enumerate(POOL) if i != I_DEEP)
    # The deep list is bound only for the calls that take it: while it is
    # live, every collection costs ten times as much.
    return [" ".join("(define %%a%d #f)" % i for i in range(len(POOL))),
            "(define (%%reset) %s)" % sets,
            "(define (%%reset-deep) (set! %%a%d %s))" % (I_DEEP, DEEP),
            "(define (%%drop-deep) (set! %%a%d #f))" % I_DEEP,
            "(%reset)"]


class Fuzzer:
    def __init__(self):
        self.findings = []
        self.done = []              # (src, deep?) of the calls that ended cleanly
        self.texts = []             # the reader texts read without a finding
        self.calls = 0
        self.interrupted = 0        # loops on circular data, cut by the time limit
        self.it = None
        self.start()

    def start(self):
        it = new_interp()
        for src in setup_forms():
            it.run_string(src)
        self.it = it

    def guarded(self, fn, limit=TIME_LIMIT):
        # fn() under the time limit. Returns None if it returned, "lisp" if
        # it raised a LispError (then it.recover() has run), else the
        # Python exception (Hang, MemoryError, RecursionError, ...).
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            try:
                fn()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except LispError:
            try:
                signal.setitimer(signal.ITIMER_REAL, limit)
                try:
                    self.it.recover()
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except KeyboardInterrupt:
                raise
            except BaseException as e:
                return e
            return "lisp"
        except KeyboardInterrupt:
            raise
        except BaseException as e:
            return e
        finally:
            signal.signal(signal.SIGALRM, old)
        return None

    def record(self, kind, name, expr, e, standalone):
        typ, msg = describe(e)
        self.findings.append({"kind": kind, "name": name, "expr": expr, "type": typ,
                              "message": msg, "where": where(e), "standalone": standalone})
        self.start()            # findings must not cascade

    def check_arena(self, collected):
        # The arena after a call: a collection (recover() made one after an
        # error), then every invariant. None, or the exception.
        it = self.it

        def run():
            try:
                if not collected:
                    it.collector.collect()
                verify(it)
            except LispError as e:
                raise VerifyFailed(str(e))
        return self.guarded(run, TIME_LIMIT * 5)

    def run_checked(self, src):
        # src, then the arena check: (None, None), ("call", exc) or
        # ("arena", exc).
        e = self.guarded(lambda: self.it.run_string(src))
        if e is not None and e != "lisp":
            return "call", e
        e2 = self.check_arena(e == "lisp")
        if e2 is not None:
            return "arena", e2
        return None, None

    def call(self, name, idxs, retry=True):
        it = self.it
        del it.output[:]
        src = "(%s%s)" % (name, "".join(" %%a%d" % i for i in idxs))
        expr = "(%s%s)" % (name, "".join(" " + POOL[i] for i in idxs))
        deep = I_DEEP in idxs
        e = self.guarded(lambda: it.run_string("(%reset)" + (" (%reset-deep)" if deep else "")))
        if e == "lisp":
            e = LispError("a Lisp error")
        if e is not None:
            self.record("pool reset failed after the call before", name, expr, e, None)
            if deep:
                self.it.run_string("(%reset-deep)")
        self.calls += 1
        kind, e = self.run_checked(src)
        if kind is None and deep:
            kind, e = self.run_checked("(%drop-deep)")
            if kind is not None:
                kind = "arena"
        if kind is None:
            self.done.append((src, deep))
            return
        if isinstance(e, Hang) and CIRCULAR & set(idxs) and name not in MUST_END:
            # a loop on circular data, cut as Ctrl-C cuts it: the REPL's
            # recover(), then the arena must be sound
            self.interrupted += 1
            e = self.guarded(it.recover, TIME_LIMIT * 5)
            if e is None:
                e = self.check_arena(True)
            if e is None:
                return
            kind = "arena"
        if isinstance(e, Hang) and retry:
            # timing noise (a loaded machine) or a real hang: once more, in
            # a new interpreter
            self.start()
            self.calls -= 1
            return self.call(name, idxs, retry=False)
        self.record("call" if kind == "call" else "arena broken after", name, expr, e,
                    self.standalone(expr, type(e) if kind == "call" else None))

    def standalone(self, expr, etype):
        # Does expr alone, in a new interpreter, give the same finding?
        saved = self.it
        self.it = new_interp()
        try:
            kind, e = self.run_checked(expr)
            if etype is None:
                return kind == "arena"
            return kind == "call" and type(e) is etype
        finally:
            self.it = saved

    def read_text(self, buf):
        # The reader on buf: every datum in it, each printed; then the same
        # text through Scheme (read from a string port, string->number).
        it = self.it
        label = repr(buf)

        self.calls += 1
        e = self.guarded(lambda: read_all(it, buf))
        if e is not None and e != "lisp":
            self.record("read", "reader", "it.read(%s)" % label, e, None)
            return
        e = self.check_arena(e == "lisp")
        if e is not None:
            self.record("arena broken after", "reader", "it.read(%s)" % label, e, None)
            return
        self.texts.append(buf)
        try:
            text = buf.decode()
        except UnicodeDecodeError:
            return
        lit = '"%s"' % "".join(c if c.isalnum() and ord(c) < 128 else "\\x%x;" % ord(c)
                               for c in text)
        reads = ("(let ((p (open-input-string %s))) (let loop ((k 0))"
                 " (if (< k 64) (let ((x (read p))) (if (not (eof-object? x))"
                 " (begin (write x) (loop (+ k 1))))))))" % lit)
        for expr, name in ((reads, "read"), ("(string->number %s)" % lit, "string->number"),
                           ("(string->number %s 16)" % lit, "string->number")):
            self.calls += 1
            del self.it.output[:]
            kind, e = self.run_checked(expr)
            if kind is not None:
                self.record("call" if kind == "call" else "arena broken after", name, expr,
                            e, self.standalone(expr, type(e) if kind == "call" else None))


def group(findings):
    # One entry per distinct bug: same procedure, exception type and place.
    # (A hang is stopped wherever it happens to be: its place is not part
    # of what tells it apart.)
    out = {}
    for f in findings:
        key = (f["name"], f["kind"], f["type"], f["where"] if f["type"] != "hang" else "")
        if key not in out:
            out[key] = dict(f, count=0)
        out[key]["count"] += 1
    return list(out.values())


def report(findings):
    lines = ["%d findings, %d distinct:" % (len(findings), len(group(findings)))]
    for g in group(findings):
        lines.append("- %s [%s] %s: %s" % (g["name"], g["kind"], g["type"], g["message"]))
        lines.append("    %s" % g["expr"][:300])
        lines.append("    at %s   (x%d%s)" % (g["where"], g["count"],
                                             "" if g["standalone"] is None else
                                             ", standalone repro: %s"
                                             % ("yes" if g["standalone"] else "no")))
    return "\n".join(lines)


def dump(findings, what):
    path = os.environ.get("MOTE_FUZZ_JSON")
    if path:
        try:
            old = json.loads(open(path).read())
        except (OSError, ValueError):
            old = {}
        old[what] = findings
        with open(path, "w") as f:
            json.dump(old, f, indent=1)


# -- the tests ---------------------------------------------------------------------
def procedures():
    # (name, lo, hi) of every builtin and library procedure; library names
    # that are not procedures ('%sr-tag, %hw-slots) are left out.
    it = new_interp()
    names = builtin_arities()
    for nm, ar in library_arities().items():
        names.setdefault(nm, ar)
    out = []
    for nm in sorted(names):
        try:
            if it.eval_string("(procedure? %s)" % nm) != "#t":
                continue
        except LispError:
            it.recover()
            continue
        out.append((nm,) + names[nm])
    return out


def test_procedure_list_is_complete():
    # Every builtin name is bound to a procedure (else the fuzz would skip it).
    names = {p[0] for p in procedures()}
    missing = sorted(set(builtin_arities()) - names)
    assert not missing, missing
    assert set(SKIP) <= names, sorted(set(SKIP) - names)     # no stale skip entries
    assert MUST_END <= names, sorted(MUST_END - names)


RUNS = {}        # what each fuzz did, for the MicroPython rerun


def fuzz_procedures():
    if "procedures" in RUNS:
        return RUNS["procedures"]
    fz = Fuzzer()
    t0 = time.time()
    skipped = []
    for nm, lo, hi in procedures():
        if ONLY and not re.search(ONLY, nm):
            continue
        rng = random.Random("%d:%s" % (SEED, nm))
        for n in arg_counts(lo, hi):
            if nm in SKIP and SKIP[nm][0](n):
                skipped.append((nm, n))
                continue
            for idxs in samples(nm, n, lo, hi, rng):
                fz.call(nm, idxs)
    took = time.time() - t0
    print("fuzz: %d calls in %.1f s (%d cases per arity), %d skipped (name, argc), "
          "%d loops on circular data interrupted" % (fz.calls, took, CASES, len(skipped),
                                                    fz.interrupted))
    dump(fz.findings, "procedures")
    RUNS["procedures"] = fz
    return fz


def test_fuzz_builtins_and_library(tmp_path, monkeypatch):
    # save-image writes mote.img in the working directory: a scratch one
    monkeypatch.chdir(tmp_path)
    fz = fuzz_procedures()
    assert not fz.findings, report(fz.findings)


PIECES = ["(", ")", "#(", "#u8(", '"', "\\x41;", "\\x", "#\\", "#\\x3BB", "#|", "|#",
          "#;", "'", "`", ",", ",@", ".", "1e400", "#e1.5", "#x", "1/2", "+inf.0",
          "|a b|", "#0=", "#0#", " ", " ", "\n", ";", "a", "-", "+", "1", "0", "#t",
          "#f", "#e", "#i", "#b", "#o", "#d", "1e-400", "#e1e400", "#e+inf.0", "-nan.0",
          "#e1e99999", "1e999999999999", "#x1e400",
          "#\\space", "#\\xFFFFFFFF", "\\x110000;", "\\xD800;", "255", "256", "1/0",
          "#99999999999999999999=", "#1#", "\\", "|", "λ", "#!eof", "...",
          "12345678901234567890", ".5", "1.", "e", "#e1/0", "1e", "#x-", "#x1/2"]
SEEDS = ['(a . b)', '#(1 2)', '"a\\x41;b\\n"', "#u8(1 255)", "'(a ,@b `c)",
         "#0=(a . #0#)", "#;1 2", "#|x #|y|# |# 3", "|a b|", "#\\x3BB", "1/2",
         "#e1.5", "(1 . (2 3))", "#x-1F", "#e1e10", "(#0=(1) #0#)", "-0.0",
         "#(#u8() \"\" #\\a)", "1e308", "#b101/11"]


def reader_texts(rng, count):
    out = [b"(" * 20000 + b")" * 20000, b"#(" * 5000, b"(" * 100000, b"'" * 5000 + b"a",
           b"#0=" * 300 + b"1", b"\xff\xfe(", b'"\xff"', b"#\\\xff", b"|\xc3|", b"\xce",
           b'"\xce"']
    while len(out) < count:
        k = rng.random()
        if k < 0.4:
            s = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 10))).encode()
        elif k < 0.8:
            s = bytearray(rng.choice(SEEDS).encode())
            for _ in range(rng.randint(1, 4)):
                op = rng.randrange(4)
                p = rng.randrange(len(s) + 1)
                if op == 0:
                    s[p:p] = rng.choice(PIECES).encode()
                elif op == 1 and s:
                    del s[p:p + rng.randint(1, 3)]
                elif op == 2 and p < len(s):
                    s[p] = rng.randrange(256)
                else:
                    s = s[:p]
            s = bytes(s)
        else:
            s = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12)))
        out.append(s)
    return out


def fuzz_reader():
    if "reader" in RUNS:
        return RUNS["reader"]
    fz = Fuzzer()
    rng = random.Random(SEED)
    for buf in reader_texts(rng, 150 * CASES):
        fz.read_text(buf)
    print("reader fuzz: %d reads" % fz.calls)
    dump(fz.findings, "reader")
    RUNS["reader"] = fz
    return fz


def test_fuzz_reader():
    fz = fuzz_reader()
    assert not fz.findings, report(fz.findings)


# The same calls and texts on the MicroPython unix port: those that ended
# cleanly on CPython (MicroPython has no alarm to cut a loop), every
# MP_EVERY-th of them (all under MOTE_FULL=1). A finding is any exception
# but a LispError, or an arena verify() rejects after the call.
MP_EVERY = 1 if FULL else 3
READ_ALL = """
def read_all(it, buf):
    # every datum of buf (up to 64), each printed
    pos = 0
    for _ in range(64):
        v = it.read(buf, pos)
        if v == EOF:
            break
        it.repr(v)
        pos = it.rpos
"""
exec(READ_ALL)          # the same function on CPython and in MP_DRIVER

MP_DRIVER = READ_ALL + r"""
import sys, gc
from binascii import unhexlify
sys.path.insert(0, sys.argv[2])
from mote import Interp
from arena import LispError, EOF
from verify import verify


def new():
    gc.collect()
    it = Interp(arena_words=int(sys.argv[3]), stack_words=int(sys.argv[4]))
    it.out = lambda s: None
    for src in setup:
        it.run_string(src)
    return it


setup = []
cases = []
for line in open(sys.argv[1]):
    kind, arg = line.rstrip('\n').split(' ', 1)
    if kind == 'S':
        setup.append(arg)
    else:
        cases.append((kind, arg))
it = new()
bad = 0
memory = 0
for k in range(len(cases)):
    kind, arg = cases[k]
    step = 'call'
    try:
        try:
            if kind == 'R':
                read_all(it, unhexlify(arg))
            else:
                it.run_string('(%reset)' + (' (%reset-deep)' if kind == 'D' else ''))
                it.run_string(arg)
        except LispError:
            it.recover()
        except MemoryError:
            # as the REPL does: the message, recover(); guard catches it
            # where a handler is installed (test_r7rs)
            memory += 1
            it.recover()
        step = 'arena'
        if kind == 'D':
            it.run_string('(%drop-deep)')
        it.collector.collect()
        verify(it)
    except Exception as e:
        bad += 1
        print('FINDING %d %s %s %s' % (k, step, type(e).__name__, e))
        it = None
        it = new()
print('MEMORY ERRORS %d' % memory)
print('CASES %d FINDINGS %d' % (len(cases), bad))
"""


def test_fuzz_on_micropython(tmp_path, monkeypatch):
    from conftest import run_micropython
    monkeypatch.chdir(tmp_path)
    calls = fuzz_procedures().done
    texts = fuzz_reader().texts
    lines = ["S " + src for src in setup_forms()]
    lines += [("D " if deep else "C ") + src for src, deep in calls[::MP_EVERY]]
    lines += ["R " + buf.hex() for buf in texts[::MP_EVERY]]
    (tmp_path / "cases.txt").write_text("\n".join(lines) + "\n")
    (tmp_path / "driver.py").write_text(MP_DRIVER)
    r = run_micropython([str(tmp_path / "driver.py"), str(tmp_path / "cases.txt"),
                         str(FIRMWARE), str(SIZES["arena_words"]), str(SIZES["stack_words"])],
                        heap=2 * 1024 * 1024, timeout=1200)
    print(r.stdout.splitlines()[-2:] if r.stdout else r.stderr[-500:])
    found = [l for l in r.stdout.splitlines() if l.startswith("FINDING")]
    cases = [l.split(" ", 1)[1] for l in lines if not l.startswith("S ")]
    assert r.returncode == 0, r.stderr[-2000:]
    assert "CASES %d FINDINGS 0" % len(cases) in r.stdout, "\n".join(
        f + "\n    " + cases[int(f.split()[1])][:300] for f in found[:40])
