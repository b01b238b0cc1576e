"""`mote build`'s manifest, `mote flash`, `mote run --port`, `mote test-board`
and their errors, against virtual boards (`mote vboard`: the real MicroPython
unix port behind a pty), exactly as against a board on /dev/ttyACM0."""

import hashlib
import json
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, CORPUS, micropython_exe

BOARD = "rp2040"


def mote_cmd():
    return [str(Path(sys.executable).parent / "mote")]


def env(**extra):
    e = dict(os.environ)
    for k in ("MOTE_FIRMWARE_DIR", "MOTE_BOARDS_DIR", "MOTE_SIM", "MOTE_SIM_BOARD"):
        e.pop(k, None)
    e.update(extra)
    return e


def mote(*args, timeout=300, **extra):
    return subprocess.run(mote_cmd() + list(args), cwd=str(ROOT), env=env(**extra),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=timeout)


def assert_one_line_error(proc):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mote: "), proc.stderr


class VBoard:
    """`mote vboard` in a child process; .port is its pty."""

    def __init__(self, flash_dir, board=BOARD, build_dir=None):
        extra = {"MOTE_BUILD_DIR": str(build_dir)} if build_dir else {}
        self.proc = subprocess.Popen(mote_cmd() + ["vboard", "--board", board, "--dir",
                                                   str(flash_dir)],
                                     cwd=str(ROOT), env=env(**extra),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     universal_newlines=True)
        self.port = self.proc.stdout.readline().strip()
        assert self.port.startswith("/dev/"), self.proc.stderr.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)


@pytest.fixture(scope="module")
def flashed(tmp_path_factory):
    """A virtual rp2040 with Mote flashed on it, and the first flash's run."""
    if micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    flash_dir = tmp_path_factory.mktemp("flash")
    build = tmp_path_factory.mktemp("build")
    vb = VBoard(flash_dir, build_dir=build)
    first = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_BUILD_DIR=str(build))
    yield vb, flash_dir, build, first
    vb.stop()


def test_build_writes_a_manifest_of_hashes(tmp_path):
    proc = mote("build", "--board", BOARD, MOTE_BUILD_DIR=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"built rp2040: \d+ bytes of code", proc.stdout)
    out = tmp_path / BOARD
    manifest = json.loads((out / "manifest.json").read_text())
    files = sorted(p.name for p in out.iterdir() if p.name != "manifest.json")
    assert sorted(manifest) == files
    assert {"main.py", "mote.mpy", "evaluator.mpy", "library.scm", "board.json"} <= set(files)
    for name, digest in manifest.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_build_compiles_native_modules_where_the_profile_asks(tmp_path):
    # rp2350 lists evaluator, arena, collector as native_modules: compiled
    # for its armv7emsp they are machine code (much bigger than bytecode);
    # rp2040 has none and stays all bytecode
    proc = mote("build", "--board", "rp2350", MOTE_BUILD_DIR=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "native: evaluator, arena, collector" in proc.stdout
    assert mote("build", "--board", BOARD, MOTE_BUILD_DIR=str(tmp_path)).returncode == 0
    native = (tmp_path / "rp2350" / "evaluator.mpy").stat().st_size
    plain = (tmp_path / BOARD / "evaluator.mpy").stat().st_size
    assert native > 2 * plain
    # the arch is in the .mpy header's third byte (arch << 2): armv7emsp = 7
    assert (tmp_path / "rp2350" / "evaluator.mpy").read_bytes()[2] >> 2 == 7
    assert (tmp_path / BOARD / "evaluator.mpy").read_bytes()[2] >> 2 == 0


def test_flash_installs_mote_and_verifies(flashed):
    vb, flash_dir, build, first = flashed
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    manifest = json.loads((build / BOARD / "manifest.json").read_text())
    m = re.search(r"(\d+) files? \((\d+) bytes\) uploaded, 0 unchanged", first.stdout)
    assert m and int(m.group(1)) == len(manifest), first.stdout
    assert "verified" in first.stdout
    for name, digest in manifest.items():
        assert hashlib.sha256((flash_dir / name).read_bytes()).hexdigest() == digest
    assert json.loads((flash_dir / "mote-manifest.json").read_text()) == manifest
    assert not list(flash_dir.glob("*.part"))
    # the progress report named the files as they went up (stderr not a tty)
    assert "uploading evaluator.mpy" in first.stderr


def test_second_flash_uploads_nothing_and_a_change_only_that_file(flashed, tmp_path):
    vb, flash_dir, build, first = flashed
    again = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_BUILD_DIR=str(build))
    assert again.returncode == 0, again.stderr
    assert "0 files (0 bytes) uploaded" in again.stdout
    # one firmware file changed: only it goes up
    fw = tmp_path / "firmware"
    shutil.copytree(str(ROOT / "firmware"), str(fw))
    with open(str(fw / "help.txt"), "a") as f:
        f.write("zzz-test (zzz-test): a line only this test adds.\n")
    changed = mote("flash", "--port", vb.port, "--board", BOARD,
                   MOTE_BUILD_DIR=str(build), MOTE_FIRMWARE_DIR=str(fw))
    assert changed.returncode == 0, changed.stderr
    assert "1 file (" in changed.stdout
    assert changed.stderr.count("uploading ") == 1 and "uploading help.txt" in changed.stderr
    assert "zzz-test" in (flash_dir / "help.txt").read_text()
    # and back, for the other tests
    back = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_BUILD_DIR=str(build))
    assert "1 file (" in back.stdout and "zzz-test" not in (flash_dir / "help.txt").read_text()


def test_flash_repairs_a_file_damaged_on_the_board(flashed):
    vb, flash_dir, build, first = flashed
    (flash_dir / "reader.mpy").write_bytes(b"garbage")
    (flash_dir / "user-data.txt").write_text("mine")          # not Mote's: kept
    proc = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_BUILD_DIR=str(build))
    assert proc.returncode == 0, proc.stderr
    assert "1 file (" in proc.stdout and "uploading reader.mpy" in proc.stderr
    assert (flash_dir / "reader.mpy").read_bytes() == (build / BOARD / "reader.mpy").read_bytes()
    assert (flash_dir / "user-data.txt").read_text() == "mine"


def test_run_on_the_board(flashed, tmp_path):
    vb = flashed[0]
    prog = tmp_path / "prog.scm"
    prog.write_text('(define (sq x) (* x x))\n(display (map sq (list 1 2 3)))\n(newline)\n'
                    '(display (expt 2 100))\n')
    proc = mote("run", str(prog), "--port", vb.port)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "(1 4 9)\n1267650600228229401496703205376"
    bad = tmp_path / "bad.scm"
    bad.write_text('(display "before")\n(newline)\n(car 5)\n(display "after")\n')
    proc = mote("run", str(bad), "--port", vb.port)
    assert proc.returncode == 1
    assert proc.stdout.startswith("before\n") and "car: not a pair: 5" in proc.stdout
    assert "after" not in proc.stdout


def test_flash_romfs_refuses_a_board_without_a_romfs_partition(flashed):
    # the unix port has no ROMFS partition, as stock rp2 and ESP32 firmware
    vb, flash_dir, build = flashed[:3]
    before = sorted(p.name for p in flash_dir.iterdir())
    proc = mote("flash", "--romfs", "--port", vb.port, "--board", BOARD,
                MOTE_BUILD_DIR=str(build))
    assert_one_line_error(proc)
    assert "has no ROMFS partition" in proc.stderr
    assert sorted(p.name for p in flash_dir.iterdir()) == before     # nothing removed
    prog = flash_dir.parent / "after_romfs.scm"
    prog.write_text("(display (+ 40 2))")
    assert mote("run", str(prog), "--port", vb.port).stdout == "42"  # Mote runs again


def test_test_board_passes_the_corpus_that_fits(flashed):
    vb = flashed[0]
    proc = mote("test-board", "--port", vb.port, timeout=900)
    profile = json.loads((ROOT / "boards" / (BOARD + ".json")).read_text())
    fits = len(list(CORPUS.glob("*.scm"))) - len(profile["corpus_exclude"])
    assert proc.stdout.splitlines()[-1] == "%d passed, 0 failed" % fits, proc.stdout
    if profile["corpus_exclude"]:
        assert "%d skipped" % len(profile["corpus_exclude"]) in proc.stdout
    else:
        assert "skipped" not in proc.stdout
    assert proc.returncode == 0


def test_test_board_reports_a_failure(flashed, tmp_path):
    vb = flashed[0]
    (tmp_path / "a_good.scm").write_text("(display (+ 1 2))\n")
    (tmp_path / "a_good.out").write_text("3")
    (tmp_path / "b_wrong.scm").write_text("(display (* 2 3))\n")
    (tmp_path / "b_wrong.out").write_text("7")
    proc = mote("test-board", "--port", vb.port, "--corpus", str(tmp_path))
    assert proc.returncode == 1
    assert "FAIL b_wrong" in proc.stdout and "'7'" in proc.stdout and "'6'" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "1 passed, 1 failed"


# ------------------------------------------------------------ bad input

@pytest.mark.parametrize("args", [["flash", "--board", BOARD], ["run", "PROG"],
                                  ["test-board"], ["repl"]])
def test_a_port_that_does_not_exist(args, tmp_path):
    prog = tmp_path / "p.scm"
    prog.write_text("(display 1)")
    args = [str(prog) if a == "PROG" else a for a in args]
    proc = mote(*(args + ["--port", "/dev/nonexistent-mote-port"]), timeout=60)
    assert_one_line_error(proc)
    assert "/dev/nonexistent-mote-port" in proc.stderr


def test_a_board_that_does_not_answer():
    master, slave = pty.openpty()       # a port with nothing behind it
    try:
        proc = mote("flash", "--port", os.ttyname(slave), "--board", BOARD, timeout=60)
    finally:
        os.close(master)
        os.close(slave)
    assert_one_line_error(proc)
    assert "no answer" in proc.stderr


def test_a_file_that_does_not_compile(tmp_path):
    fw = tmp_path / "firmware"
    shutil.copytree(str(ROOT / "firmware"), str(fw))
    with open(str(fw / "printer.py"), "a") as f:
        f.write("\ndef broken(:\n")
    proc = mote("build", "--board", BOARD, MOTE_FIRMWARE_DIR=str(fw),
                MOTE_BUILD_DIR=str(tmp_path / "build"))
    assert_one_line_error(proc)
    assert "printer.py" in proc.stderr and "SyntaxError" in proc.stderr


def test_an_upload_cut_in_the_middle_is_repaired_by_the_next_flash(tmp_path):
    if micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    flash_dir, build = tmp_path / "flash", tmp_path / "build"
    vb = VBoard(flash_dir, build_dir=build)
    try:
        proc = subprocess.Popen(mote_cmd() + ["flash", "--port", vb.port, "--board", BOARD],
                                cwd=str(ROOT), env=env(MOTE_BUILD_DIR=str(build)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                universal_newlines=True)
        seen = []
        while True:                     # the board vanishes during the 5th file
            line = proc.stderr.readline()
            seen.append(line)
            if line.count("uploading") and len(seen) >= 5 or not line:
                break
        time.sleep(0.2)
        vb.proc.kill()                  # unplugged
        vb.proc.wait(10)
        out, err = proc.communicate(timeout=60)
    finally:
        vb.stop()
    assert proc.returncode != 0
    assert "Traceback" not in err
    # (small files may finish uploading in the moment before the cut)
    lines = err.strip().splitlines()
    assert lines[-1].startswith("mote: ") and all(l.startswith("uploading ") for l in lines[:-1]), err
    assert not (flash_dir / "mote-manifest.json").exists()
    vb = VBoard(flash_dir, build_dir=build)
    try:
        again = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_BUILD_DIR=str(build))
        assert again.returncode == 0, again.stderr
        assert "verified" in again.stdout
        manifest = json.loads((build / BOARD / "manifest.json").read_text())
        for name, digest in manifest.items():
            assert hashlib.sha256((flash_dir / name).read_bytes()).hexdigest() == digest
        # and it boots into Mote
        prog = tmp_path / "p.scm"
        prog.write_text("(display (length (iota 5)))")
        run = mote("run", str(prog), "--port", vb.port)
        assert run.stdout == "5", run.stderr
    finally:
        vb.stop()


def test_flash_of_a_file_that_does_not_compile_leaves_the_board_as_it_was(flashed, tmp_path):
    vb, flash_dir, build, first = flashed
    fw = tmp_path / "firmware"
    shutil.copytree(str(ROOT / "firmware"), str(fw))
    with open(str(fw / "printer.py"), "a") as f:
        f.write("\ndef broken(:\n")
    before = {p.name: p.read_bytes() for p in flash_dir.iterdir() if p.is_file()}
    proc = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_FIRMWARE_DIR=str(fw),
                MOTE_BUILD_DIR=str(tmp_path / "build"))
    assert_one_line_error(proc)
    assert "printer.py" in proc.stderr and "SyntaxError" in proc.stderr
    after = {p.name: p.read_bytes() for p in flash_dir.iterdir() if p.is_file()}
    assert after == before
    prog = tmp_path / "p.scm"
    prog.write_text("(display 'still-fine)")
    assert mote("run", str(prog), "--port", vb.port).stdout == "still-fine"


def test_ctrl_c_stops_a_program_running_on_the_board(flashed, tmp_path):
    vb = flashed[0]
    prog = tmp_path / "loop.scm"
    prog.write_text('(display "started")\n(newline)\n(let loop () (loop))\n')
    proc = subprocess.Popen(mote_cmd() + ["run", str(prog), "--port", vb.port],
                            cwd=str(ROOT), env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)
    assert proc.stdout.readline() == "started\n"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.strip() == "Interrupted"
    prog.write_text("(display (+ 1 2))")            # the board is free again
    assert mote("run", str(prog), "--port", vb.port).stdout == "3"


def test_flash_says_when_mote_does_not_start(flashed, tmp_path):
    vb, flash_dir, build, first = flashed
    fw = tmp_path / "firmware"
    shutil.copytree(str(ROOT / "firmware"), str(fw))
    (fw / "main.py").write_text("raise RuntimeError('boom at boot')\n")
    proc = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_FIRMWARE_DIR=str(fw),
                MOTE_BUILD_DIR=str(tmp_path / "build"))
    assert proc.stderr.startswith("uploading main.py\n")     # the progress report
    proc.stderr = proc.stderr.split("\n", 1)[1]
    assert_one_line_error(proc)
    assert "Mote did not start" in proc.stderr and "RuntimeError: boom at boot" in proc.stderr
    good = mote("flash", "--port", vb.port, "--board", BOARD, MOTE_BUILD_DIR=str(build))
    assert good.returncode == 0, good.stderr
    assert "1 file (" in good.stdout and "Mote is running" in good.stdout


def test_flash_without_board_reflashes_the_profile_on_the_board(flashed, tmp_path):
    vb = flashed[0]
    proc = mote("flash", "--port", vb.port, MOTE_BUILD_DIR=str(flashed[2]))
    assert proc.returncode == 0, proc.stderr
    assert "0 files (0 bytes) uploaded" in proc.stdout      # rp2040's build: no change
    empty = VBoard(tmp_path / "empty")                      # nothing flashed there yet
    try:
        proc = mote("flash", "--port", empty.port, timeout=60)
    finally:
        empty.stop()
    assert_one_line_error(proc)
    assert "say --board NAME" in proc.stderr
