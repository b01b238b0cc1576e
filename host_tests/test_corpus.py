"""The shared Lisp corpus (host_tests/corpus/*.scm, expected output from
GNU Guile) run three ways: CPython, the MicroPython unix port at the unix
board's heap, and MicroPython with the collector running at every
allocation (on a small arena, so each collection is quick)."""
import pytest

from conftest import CORPUS, FULL, run_mote_micropython

PROGRAMS = sorted(CORPUS.glob("*.scm"))
# These are long (100,000- and 40,000-step loops; lists thousands of cells long):
# under stress they take minutes, so they run in `make test-all`.
HEAVY = {"06_tail_calls.scm", "07_deep_recursion.scm", "26_tail_calls_control.scm"}


def expected(path):
    return path.with_suffix(".out").read_text()


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_cpython(path):
    from mote import Interp
    from verify import verify
    it = Interp()
    out = []
    it.out = out.append
    it.run_bytes(path.read_bytes())
    assert "".join(out) == expected(path)
    verify(it)
    it.collector.collect()
    verify(it)


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_micropython(path):
    r = run_mote_micropython(path)
    assert r.stderr == ""
    assert r.returncode == 0
    assert r.stdout == expected(path)


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_micropython_gc_stress(path):
    # make test collects at every 5th allocation (every allocation site
    # still meets collections, many times over); make test-all at every one
    if path.name in HEAVY and not FULL:
        pytest.skip("long under GC stress: run by make test-all")
    arena = "12288" if path.name in HEAVY else "4096"
    every = [] if FULL else ["--every", "5"]
    r = run_mote_micropython(path, "--stress", "--arena", arena, *every, timeout=3000)
    assert r.stderr == ""
    assert r.returncode == 0
    assert r.stdout == expected(path)
