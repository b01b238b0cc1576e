"""Mote as real firmware on the emulated Pico: the RPI_PICO v1.28.0 image
with Mote frozen in (tools/firmware_image.py) running in rp2040js
(tools/emulated_board.py). What boards/measured/measured.json says of it is checked
here against a fresh boot: the free heap once the REPL is ready, the sizes
the frozen profile gives Lisp, start-up in Pico time (emulated ticks_ms, a
count of cycles at 125 MHz, not wall time); then a handful of corpus
programs through `mote test-board`, the usual clients (mpremote, ampy)
while Mote runs, and a saved image across a reset through the console.
The whole corpus on the emulated Pico is `mote measure --corpus` (make
test-all)."""
import shutil

import pytest

from conftest import CORPUS, FULL
from test_console import check_clients_reach_python_while_mote_runs, check_save_image_survives_a_reset
from test_interop import check_interop_on_board
from tools import measure, mote_cli
from tools import board_run
from tools.emulated_board import EmulatedBoard, ensure_emulator

# Start-up target: the REPL ready within 0.3 s of Pico time after `import mote`.
STARTUP_MS = 300
# A fresh boot may differ from the recorded one by a little (the profile's
# own JSON, a name or two): more than this is a regression to look at.
HEAP_SLACK = 2048
HANDFUL = ["01_define_lambda", "09_bignums", "11_lists", "22_define_macro", "31_float_arith",
           "32_math", "45_hash_tables"]


@pytest.fixture(scope="module")
def pico(tmp_path_factory):
    from tools.firmware_image import firmware_uf2
    ensure_emulator()
    b = EmulatedBoard(firmware_uf2("rp2040", "mote"), tmp_path_factory.mktemp("pico") / "flash.bin")
    b.port = b.open()
    yield b
    b.close()


def test_the_frozen_profile_is_the_image_profile():
    prof = mote_cli.image_profile(mote_cli.load_board("rp2040"))
    assert prof["arena_words"] == 32768         # the arena's cap: all of it
    assert "firmware" not in prof


def test_boot_measures_as_recorded(pico):
    got = measure.probe_board(pico.port)
    want = measure.load_measured()["rp2040"]["firmware"]
    prof = mote_cli.image_profile(mote_cli.load_board("rp2040"))
    assert got["arena_words"] == prof["arena_words"] == want["arena_words"]
    assert got["stack_words"] == prof["stack_words"] == want["stack_words"]
    assert abs(got["heap_free_at_prompt"] - want["heap_free_at_prompt"]) <= HEAP_SLACK, got
    assert got["import_bytes"] <= want["import_bytes"] + HEAP_SLACK, got
    assert got["startup_ms"] <= STARTUP_MS, got


def test_a_handful_of_the_corpus_on_the_pico(pico, tmp_path, capsys):
    # make test-all: the whole corpus but what the profile excludes
    names = HANDFUL if not FULL else sorted(p.stem for p in CORPUS.glob("*.scm"))
    for name in names:
        for ext in (".scm", ".out"):
            shutil.copy(str(CORPUS / (name + ext)), str(tmp_path / (name + ext)))
    rc = board_run.test_board(pico.port, tmp_path)
    out = capsys.readouterr().out
    skipped = mote_cli.image_profile(mote_cli.load_board("rp2040"))["corpus_exclude"]
    passed = len([n for n in names if n not in skipped])
    assert rc == 0 and out.splitlines()[-1] == "%d passed, 0 failed" % passed, out


def test_mpremote_and_ampy_while_mote_runs_on_the_pico(pico, tmp_path):
    check_clients_reach_python_while_mote_runs(pico.port, tmp_path)


def test_python_objects_from_lisp_on_the_pico(pico):
    # (py-import "machine"), a Pin, gc.mem_free, a Timer calling Lisp
    check_interop_on_board(pico.port)


def test_save_image_reset_and_load_image_on_the_pico(pico, tmp_path):
    check_save_image_survives_a_reset(pico.port, tmp_path)
