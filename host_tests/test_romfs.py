"""Mote from a ROMFS partition (`mote flash --romfs`): its bytecode, qstr
text and data stay in flash, so `import mote` costs the heap a fraction of
what .mpy files on the filesystem cost. Proved on the 32-bit unix port (a
VfsRom over the image, the heap left exactly as the board's) and on the
emulated Pico running stock RPI_PICO firmware built with a ROMFS partition
(`mote firmware --romfs`), deployed over its emulated USB serial."""
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import CORPUS
from tools import measure, mote_cli

# What `import mote` may cost from ROMFS (bytes of heap, 32-bit port).
ROMFS_IMPORT_BUDGET = 30 * 1024
# (the esp8266's heap cannot hold the core as .mpy files: from ROMFS it
# runs the corpus's smaller programs)
ROMFS_BOARDS = ["esp32", "stm32", "rp2040", "esp8266"]

WHERE = """\
import gc, sys
gc.collect()
free = gc.mem_free()
import mote
it = mote.Interp(board='board')
print(mote.__file__, free, it.board['arena_words'], it.board['stack_words'])
"""


def test_import_from_romfs_fits_its_budget_on_the_32_bit_port():
    r = measure.measure_unix32_romfs("esp32")
    assert r["import_bytes"] <= ROMFS_IMPORT_BUDGET, r
    # against the same build as .mpy files in the heap
    assert r["import_bytes"] < measure.measure_unix32("esp32")["import_bytes"] / 2


def test_mote_runs_from_rom_with_the_profiles_romfs_sizes():
    board = mote_cli.load_board("esp32")
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as img:
        build = measure.unix32_build(board, tmp)
        prefix, size = measure.unix32_romfs(board, build, img)
        probe = Path(img) / "where.py"
        probe.write_text(WHERE)
        r = measure.unix32_run(board, Path(img), prefix + [str(probe)],
                               heap=board["heap"] + size + 65536)
    assert r.returncode == 0, r.stderr
    path, free, arena, stack = r.stdout.split()
    assert path == "/rom/mote.mpy"
    # the ballast leaves the board's free heap (less the probe's own few bytes)
    assert board["heap"] - 2048 <= int(free) <= board["heap"]
    assert (int(arena), int(stack)) == (board["romfs"]["arena_words"],
                                        board["romfs"]["stack_words"])


@pytest.mark.parametrize("name", ROMFS_BOARDS)
def test_romfs_corpus_claims_at_the_boards_heap(name):
    # every program the romfs profile does not exclude passes; the excluded
    # ones end in a clean Lisp error naming what ran out
    board = mote_cli.load_board(name)
    exclude = board["romfs"]["corpus_exclude"]
    assert set(exclude.values()) <= {"heap", "stack"}
    r = measure.measure_unix32_romfs(name, measure.corpus_programs())
    assert r["corpus_run"] == len(list(CORPUS.glob("*.scm")))
    assert set(r["corpus_failed"]) == set(exclude), r["corpus_failed"]
    for prog, why in r["corpus_failed"].items():
        want = "stack overflow" if exclude[prog] == "stack" else "out of memory"
        assert why.startswith("Error: ") and want in why, (prog, why)
    # and more room for Lisp than the same board has with .mpy files
    # (or both at the cap a 16-bit reference sets)
    assert board["romfs"]["arena_words"] > board["arena_words"] or board["arena_words"] == 32768
    if board.get("core_fits") is not False:
        assert board["romfs"]["arena_words"] >= max(4096, board["arena_words"])


# The ESP8266's stock firmware with ROMFS (the FLASH_2M_ROMFS variant) has a
# 320 KiB partition (esp8266_2MiB_ROMFS.ld in MicroPython v1.28).
ESP8266_ROMFS_BYTES = 320 * 1024


def test_the_esp8266_image_fits_its_stock_romfs_partition():
    # the image `mote flash --romfs` would write, of the board's own build
    # (bytecode for the xtensa), not the 32-bit port's above
    from tools.flash import romfs_image
    board = mote_cli.load_board("esp8266")
    folder, manifest = mote_cli.flash_build(board)("xtensa")
    image = romfs_image(folder, [n for n in manifest if n != "main.py"])
    assert 100 * 1024 < len(image) <= ESP8266_ROMFS_BYTES, len(image)


def test_the_emulated_picos_of_a_jobs_run_share_one_build(monkeypatch):
    # `mote measure --board rp2040 --install mpy --jobs 2`: each emulated
    # Pico compiling build/rp2040 as it flashed raced; now it is compiled
    # once, before they start
    calls = []
    real = mote_cli.compile_firmware
    monkeypatch.setattr(mote_cli, "compile_firmware",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    build = measure.rp2040_build()
    assert build("armv6m") is build("armv6m")
    assert len(calls) == 1
    with pytest.raises(RuntimeError, match="armv6m"):
        build("x86")


# ------------------------------------------------------------ the emulated Pico

@pytest.fixture(scope="module")
def romfs_pico(tmp_path_factory):
    from tools.emulated_board import EmulatedBoard, ensure_emulator
    from tools.firmware_image import firmware_uf2, romfs_offset
    ensure_emulator()
    flash_file = tmp_path_factory.mktemp("romfs-pico") / "flash.bin"
    b = EmulatedBoard(firmware_uf2("rp2040", "romfs"), flash_file,
                      flash_from=romfs_offset("rp2040"))
    b.port = b.open()
    yield b
    b.close()


def mote(*args):
    return subprocess.run([str(mote_cli.ROOT / ".venv" / "bin" / "mote")] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=900, cwd=str(mote_cli.ROOT))


def board_python(port, code):
    from tools.board_link import BoardLink
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=False)
        out = link.run(code).decode()
        link.start_main()
        link.wait_for_mote()
    return out


WHERE_ON_BOARD = ("import os, mote\nprint(mote.__file__)\n"
                  "print(' '.join(sorted(os.listdir('/'))))")


def test_flash_romfs_on_the_emulated_pico(romfs_pico, tmp_path):
    port = romfs_pico.port
    # Mote as .mpy files first, as a user upgrading would have it
    first = mote("flash", "--port", port, "--board", "rp2040")
    assert first.returncode == 0, first.stderr
    proc = mote("flash", "--romfs", "--port", port, "--board", "rp2040")
    assert proc.returncode == 0, proc.stderr
    assert "written and verified" in proc.stdout and "from /rom" in proc.stdout
    where, files = board_python(port, WHERE_ON_BOARD).split("\n")[:2]
    assert where.strip() == "/rom/mote.mpy"
    # the filesystem copies that would shadow /rom are gone; main.py stays
    assert files.split() == ["main.py", "mote-manifest.json", "rom"]     # rom: the mount
    again = mote("flash", "--romfs", "--port", port, "--board", "rp2040")
    assert again.returncode == 0 and "unchanged" in again.stdout, again.stderr
    # programs run, with the romfs sizes (stock firmware: single-precision
    # floats, so test-board skips the programs that print doubles)
    for name in ("01_define_lambda", "09_bignums", "30_float_syntax"):
        for ext in (".scm", ".out"):
            (tmp_path / (name + ext)).write_bytes((CORPUS / (name + ext)).read_bytes())
    run = mote("test-board", "--port", port, "--corpus", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-2:] == [
        "1 skipped: single-precision floats on rp2040", "2 passed, 0 failed"], run.stdout
    arena = board_python(port, "import json\nprint(json.load(open('/rom/board.json'))"
                               "['arena_words'])").strip()
    assert int(arena) == mote_cli.load_board("rp2040")["romfs"]["arena_words"]


def test_python_objects_from_lisp_on_stock_micropython(romfs_pico):
    # (runs after the flash above) stock firmware, Mote from /rom
    from test_interop import check_interop_on_board
    check_interop_on_board(romfs_pico.port)


def test_the_romfs_partition_survives_an_emulator_restart(romfs_pico):
    # (runs after the flash above) the emulator keeps the partition in its
    # flash file as it keeps the filesystem
    from tools.emulated_board import EmulatedBoard
    romfs_pico.close()
    with EmulatedBoard(romfs_pico.image, romfs_pico.flash_file,
                       flash_from=romfs_pico.flash_from) as again:
        where = board_python(again.path, WHERE_ON_BOARD).split("\n")[0]
    assert where.strip() == "/rom/mote.mpy"
