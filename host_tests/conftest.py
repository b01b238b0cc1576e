"""Shared helpers: the firmware on sys.path, the real MicroPython unix port,
and a way to run a Mote program on it."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

# The Ctrl-C tests need SIGINT to raise KeyboardInterrupt here and to reach
# the consoles and boards started from here. A shell that starts the suite
# in the background (`make test &`, nohup) ignores SIGINT, and an ignored
# signal stays ignored in every child: take Python's default back.
signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
FIRMWARE = ROOT / "firmware"
BOARDS = ROOT / "boards"
CORPUS = ROOT / "host_tests" / "corpus"
FULL = bool(os.environ.get("MOTE_FULL"))
sys.path.insert(0, str(FIRMWARE))
sys.path.insert(0, str(ROOT / "tools" / "cpython"))


def micropython_exe():
    exe = Path(sys.executable).parent / "micropython"
    return str(exe) if exe.exists() else None


def board_heap(name="unix"):
    return json.loads((BOARDS / (name + ".json")).read_text())["heap"]


def run_micropython(script_args, heap=None, stdin="", timeout=600, env=None):
    """Run the MicroPython unix port with -X heapsize=heap."""
    exe = micropython_exe()
    if exe is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    full_env = dict(os.environ, MOTE_BOARDS_DIR=str(BOARDS))
    full_env.update(env or {})
    cmd = [exe, "-X", "heapsize=%d" % (heap or board_heap())] + list(script_args)
    return subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout, cwd=str(ROOT), env=full_env)


def run_mote_micropython(path, *extra, heap=None, timeout=600):
    return run_micropython([str(FIRMWARE / "mote.py"), "run", str(path)] + list(extra),
                           heap=heap, timeout=timeout)


def fresh(**sizes):
    """A new interpreter (unix profile, sizes overridden) whose output is
    collected in it.output instead of going to stdout."""
    from mote import Interp
    it = Interp(**sizes)
    it.output = []
    it.out = it.output.append
    return it


STEADY = r"""
import sys, micropython
sys.path.insert(0, %r)
from mote import Interp
it = Interp()
for src in %r:
    it.eval_string(src)
for src in %r:
    used = []
    for n, m in (('10', '5'), ('300', '12')):
        form = it.read(src.replace('N', n).replace('M', m))
        it.eval(form)
        a = micropython.mem_total()
        it.eval(form)
        used.append(micropython.mem_total() - a)
    print(used[1] - used[0])
"""


def steady_growth(tmp_path, setup, forms):
    """Bytes of MicroPython heap (micropython.mem_total(), which counts every
    allocation, frames included) that each form allocates when run with
    N=300 (M=12) beyond what it allocates with N=10 (M=5): the per-step
    allocation, times 290."""
    script = tmp_path / "steady.py"
    script.write_text(STEADY % (str(FIRMWARE), list(setup), list(forms)))
    r = run_micropython([str(script)])
    assert r.stderr == ""
    growth = [int(g) for g in r.stdout.split()]
    assert len(growth) == len(forms)
    return growth


def python_depth(thunk):
    """(the most Python frames below thunk while it runs, its value), by
    CPython's profiler: a board's C stack holds a few dozen."""
    import inspect
    here = len(inspect.stack(0)) + 1        # (this frame's and thunk's)
    most = [0]

    def watch(frame, event, arg):
        if event == "call":
            n = 0
            while frame is not None:
                n += 1
                frame = frame.f_back
            most[0] = max(most[0], n)
    sys.setprofile(watch)
    try:
        v = thunk()
    finally:
        sys.setprofile(None)
    return most[0] - here, v


class LineCut:
    """Ctrl-C at a chosen moment: run(cut, thunk) raises KeyboardInterrupt
    at the cut-th line executed in a file whose name ends with one of
    `files` (cut -1: never) and returns thunk's value, or None if it was
    cut; .count is the lines seen."""

    def __init__(self, files):
        self.files = files
        self.count = 0
        self.cut = -1

    def _line(self, frame, event, arg):
        if event == "line":
            self.count += 1
            if self.count == self.cut:
                raise KeyboardInterrupt
        return self._line

    def _call(self, frame, event, arg):
        return self._line if frame.f_code.co_filename.endswith(self.files) else None

    def run(self, cut, thunk):
        self.count, self.cut = 0, cut
        sys.settrace(self._call)
        try:
            return thunk()
        except KeyboardInterrupt:
            return None
        finally:
            sys.settrace(None)
