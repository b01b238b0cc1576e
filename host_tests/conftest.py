"""Shared helpers: the firmware on sys.path, the real MicroPython unix port,
and a way to run a Mote program on it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
