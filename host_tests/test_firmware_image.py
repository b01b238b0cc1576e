"""tools/firmware_image.py: UF2 writing, the frozen manifest, toolchain
checks, and real builds (the 32-bit unix port, the Mote RP2040 image),
cached in MOTE_CACHE so that only the first run on a machine is slow."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BOARDS, FIRMWARE, ROOT
from tools import firmware_image as fi
from tools.mote_cli import UsageError, image_profile, load_board


def toolchain_or_skip(kind):
    """The toolchain for kind, installed if we may: missing is a skip on a
    developer's machine, and a failure under CI (never skipped silently)."""
    try:
        fi.ensure_toolchain(kind)
    except UsageError as e:
        if os.environ.get("CI"):
            pytest.fail("CI cannot build %s: %s" % (kind, e))
        pytest.skip(str(e))


# ------------------------------------------------------------------ UF2

def test_uf2_round_trip():
    data = bytes((i * 7 + 3) & 0xFF for i in range(5 * 256 + 17))
    uf2 = fi.uf2_from_bin(data, 0xE48BFF56)
    assert len(uf2) == 6 * 512
    blocks = fi.parse_uf2(uf2)
    assert len(blocks) == 6
    for n, b in enumerate(blocks):
        assert b.address == 0x10000000 + 256 * n
        assert (b.block_no, b.num_blocks) == (n, 6)
        assert b.family_id == 0xE48BFF56
        assert b.flags == 0x2000
        assert b.payload_size == 256
    payload = b"".join(b.payload for b in blocks)
    assert payload[:len(data)] == data
    assert payload[len(data):] == bytes(6 * 256 - len(data))


def test_uf2_rejects_garbage():
    with pytest.raises(ValueError):
        fi.parse_uf2(bytes(512))
    with pytest.raises(ValueError):
        fi.parse_uf2(bytes(100))


# ------------------------------------------------------------- manifest

@pytest.fixture
def fake_firmware(tmp_path, monkeypatch):
    """A copy of the firmware directory (the build runs its code for the
    name tables), a help.txt of its own, and the real board profiles."""
    d = tmp_path / "firmware"
    shutil.copytree(str(ROOT / "firmware"), str(d))
    (d / "help.txt").write_bytes(b"help \xc2\xb5 text\n")
    monkeypatch.setenv("MOTE_FIRMWARE_DIR", str(d))
    monkeypatch.setenv("MOTE_BOARDS_DIR", str(BOARDS))
    return d


def test_frozen_files(fake_firmware):
    files = fi.mote_sources("rp2040")
    assert "verify.py" not in files                      # host-only
    assert files["mote_boot.py"] == (fake_firmware / "main.py").read_bytes()
    assert files["main.py"] == fi.BOOT_SOURCE.encode()
    data = {}
    exec(files["motedata.py"].decode(), data)
    assert data["LIBRARY"] == fi.compact_library((fake_firmware / "library.scm").read_bytes())
    assert data["HELP"] == (fake_firmware / "help.txt").read_bytes()
    assert data["BOARD"] == image_profile(load_board("rp2040"))    # the image's sizes


def test_manifest(fake_firmware):
    files = fi.mote_sources("rp2040")
    work = Path("/cache/rp2040-mote")
    text = fi.frozen_manifest(work, files)
    lines = text.splitlines()
    assert 'include("$(PORT_DIR)/boards/manifest.py")' in lines
    for m in fi.NATIVE_MODULES:
        assert 'freeze_mpy("/cache/rp2040-mote/native", "%s.mpy")' % m in lines
        assert '"%s.py"' % m not in text
    for name in ("mote.py", "arith.py", "motedata.py", "main.py", "mote_boot.py"):
        assert 'freeze("/cache/rp2040-mote/frozen", "%s", opt=3)' % name in lines
    assert "verify.py" not in text


@pytest.mark.parametrize("board", sorted(fi.RP2_BOARDS))
def test_mote_board_computes_in_double_with_its_libraries_in_flash(board, tmp_path):
    mp_board = fi.RP2_BOARDS[board]["mp_board"]
    d = fi.mote_board_dir(fi.micropython_dir(), tmp_path, mp_board)
    assert d.name == mp_board
    assert "MICROPY_FLOAT_IMPL_DOUBLE" in (d / "mpconfigboard.h").read_text()
    cmake = (d / "mpconfigboard.cmake").read_text()
    assert "pico_double_compiler" in cmake and "memmap_mote.ld" in cmake
    ld = (d / "memmap_mote.ld").read_text()
    port_ld = (fi.micropython_dir() / "ports" / "rp2" / ("memmap_mp_%s.ld" % board)).read_text()
    excluded = [l for l in ld.splitlines() if "EXCLUDE_FILE(" in l and "libc.a" in l]
    assert len(excluded) == 2           # .text, .rodata: libc stays in RAM
    assert not any("libgcc" in l or "libm.a" in l for l in excluded)
    assert len(ld.splitlines()) == len(port_ld.splitlines())
    with pytest.raises(UsageError, match="linker script"):
        fi.mote_linker_script("SECTIONS {}\n")


def test_the_stock_boards_keep_single_precision():
    # the tree fix only lets a board choose: no stock board does
    for name, text, new in fi.TREE_FIXES:
        if name.endswith("mpconfigport.h"):
            assert "MICROPY_FLOAT_IMPL_FLOAT" in new and new.startswith("#ifndef")
    for spec in fi.RP2_BOARDS.values():
        h = fi.micropython_dir() / "ports" / "rp2" / "boards" / spec["mp_board"] / "mpconfigboard.h"
        assert "MICROPY_FLOAT_IMPL" not in h.read_text()


def test_port_manifest_is_the_boards_own():
    # RPI_PICO and RPI_PICO2 have no manifest of their own: the port's is theirs
    rp2 = fi.micropython_dir() / "ports" / "rp2"
    assert (rp2 / "boards" / "manifest.py").is_file()
    for spec in fi.RP2_BOARDS.values():
        assert not (rp2 / "boards" / spec["mp_board"] / "manifest.py").exists()


def test_inf_nan_constants_are_found():
    src = ("A = 1e300 * 1e300\nB = -(1e308 * 10)\nC = float('inf')\nD = x * 1e300\n"
           "E = 1e400\nF = 2 ** 10\nG = (1e300 * 1e300) - (1e300 * 1e300)\n"
           "H = -0.0\nI = 0.0\nJ = -x\nK = -0\n")
    lines = [line for line, _ in fi.folded_inf_nan(src)]
    assert lines == [1, 2, 5, 7, 8]


def test_inf_constant_is_refused(fake_firmware):
    (fake_firmware / "arith.py").write_text("import math\n\nINF = 1e300 * 1e300\n")
    with pytest.raises(UsageError, match=r"firmware/arith.py:3: `INF = 1e300 \* 1e300`"):
        fi.mote_sources("rp2040")


def test_image_key_follows_the_sources(fake_firmware):
    files = fi.mote_sources("rp2040")
    spec, args = fi.RP2_BOARDS["rp2040"], ["BOARD=RPI_PICO"]
    key = fi.image_key(spec, args, "m", files)
    assert key == fi.image_key(spec, args, "m", dict(files))
    changed = dict(files, **{"arith.py": files["arith.py"] + b"\n"})
    assert fi.image_key(spec, args, "m", changed) != key
    assert fi.image_key(fi.RP2_BOARDS["rp2350"], args, "m", files) != key


# ------------------------------------------------------------- toolchains

@pytest.fixture
def bare_path(tmp_path, monkeypatch):
    """PATH with make, cmake and a gcc that builds nothing: no ARM compiler,
    no -m32; and not root (so nothing is installed)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("make", "cmake"):
        real = subprocess.run(["sh", "-c", "command -v " + tool], stdout=subprocess.PIPE,
                              universal_newlines=True).stdout.strip() or "/bin/true"
        (bin_dir / tool).symlink_to(real)
    gcc = bin_dir / "gcc"
    gcc.write_text("#!/bin/sh\nexit 1\n")
    gcc.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(fi.os, "geteuid", lambda: 1000)
    return bin_dir


def test_missing_toolchain_names_the_command(bare_path):
    with pytest.raises(UsageError) as e:
        fi.ensure_toolchain("rp2")
    assert "arm-none-eabi-gcc is not installed" in str(e.value)
    assert ("`sudo apt-get install -y gcc-arm-none-eabi=15:12.2.rel1-1 "
            "libnewlib-arm-none-eabi=3.3.0-1.3+deb12u1`") in str(e.value)
    with pytest.raises(UsageError, match=r"-m32.*apt-get install -y gcc-multilib=4:12.2.0-3"):
        fi.ensure_toolchain("unix32")


def test_missing_toolchain_fails_under_ci(bare_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI cannot build rp2"):
        toolchain_or_skip("rp2")


def test_root_installs_the_pinned_packages(bare_path, monkeypatch, tmp_path):
    # a fake apt-get that knows the packages only after `apt-get update`
    calls = tmp_path / "calls"
    apt = bare_path / "apt-get"
    apt.write_text('#!/bin/sh\necho "$*" >> %s\n'
                   'if [ "$1" = update ]; then : > %s.updated; exit 0; fi\n'
                   '[ -e %s.updated ]\n' % (calls, calls, calls))
    apt.chmod(0o755)
    monkeypatch.setattr(fi.os, "geteuid", lambda: 0)
    monkeypatch.setenv("MOTE_CACHE", str(tmp_path / "cache"))
    problems = ["gcc cannot build 32-bit programs (-m32)", None]
    monkeypatch.setattr(fi, "toolchain_problem", lambda kind: problems.pop(0))
    fi.ensure_toolchain("unix32")
    assert calls.read_text().splitlines() == [
        "install -y gcc-multilib=4:12.2.0-3", "update", "install -y gcc-multilib=4:12.2.0-3"]


def test_mote_firmware_reports_a_missing_toolchain(bare_path, capsys):
    from tools.mote_cli import main
    assert main(["firmware", "--board", "rp2040"]) == 2
    assert "apt-get install -y gcc-arm-none-eabi" in capsys.readouterr().err


# ---------------------------------------------------------- real builds

@pytest.fixture(scope="module")
def unix32():
    toolchain_or_skip("unix32")
    return fi.unix32()


def test_unix32_is_32_bit(unix32):
    out = subprocess.run([str(unix32), "-X", "heapsize=65536", "-c",
                          "import sys; print(sys.maxsize)"],
                         stdout=subprocess.PIPE, universal_newlines=True, timeout=60).stdout
    assert out.strip() == "2147483647"


def test_unix32_runs_mote(unix32, tmp_path):
    prog = tmp_path / "squares.scm"
    prog.write_text("(display (map (lambda (x) (* x x)) '(1 2 3)))\n(newline)\n"
                    "(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n"
                    "(display (fib 15))\n")
    heap = load_board("unix")["heap"]
    proc = subprocess.run([str(unix32), "-X", "heapsize=%d" % heap,
                           str(FIRMWARE / "mote.py"), "run", str(prog)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=300, cwd=str(ROOT),
                          env=dict(os.environ, MOTE_BOARDS_DIR=str(BOARDS)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "(1 4 9)\n610"


def test_unix32_is_cached(unix32):
    runs = dict(fi.BUILD_RUNS)
    assert fi.unix32() == unix32
    assert dict(fi.BUILD_RUNS) == runs


@pytest.fixture(scope="module")
def rp2040_image():
    toolchain_or_skip("rp2")
    return fi.firmware_uf2("rp2040")


def test_rp2040_image(rp2040_image):
    assert rp2040_image == fi._repo_build_dir() / "firmware-rp2040" / "firmware.uf2"
    data = rp2040_image.with_name("firmware.bin").read_bytes()
    blocks = fi.parse_uf2(rp2040_image.read_bytes())
    assert {b.family_id for b in blocks} == {0xE48BFF56}
    assert b"".join(b.payload for b in blocks)[:len(data)] == data
    # the frozen modules' names (a board's own, Mote's, the generated ones)
    for name in ("_boot.py", "main.py", "mote_boot.py", "motedata.py", "mote.py",
                 "evaluator.py", "arena.py", "collector.py", "reader.py"):
        assert b"\0" + name.encode() + b"\0" in data, name
    assert b"verify.py\0" not in data
    assert (rp2040_image.parent / "size.txt").is_file()
    # the filesystem starts where the port puts it: the image must end before
    assert len(data) <= fi.FS_OFFSET["rp2040"], len(data)


def test_rp2040_native_code_is_word_aligned(rp2040_image):
    # the runtime reads a native function's first word in one load, which
    # the Cortex-M0+ cannot do unaligned (the fix in fi.TREE_FIXES)
    nm = subprocess.run(["arm-none-eabi-nm", str(rp2040_image.with_name("firmware.elf"))],
                        stdout=subprocess.PIPE, universal_newlines=True).stdout
    natives = [line.split() for line in nm.splitlines()
               if any(" fun_data_%s_" % m in line for m in fi.NATIVE_MODULES)]
    assert natives
    assert [n for n in natives if int(n[0], 16) % 4] == []


def test_rp2040_image_is_cached(rp2040_image):
    runs = dict(fi.BUILD_RUNS)
    assert fi.firmware_uf2("rp2040") == rp2040_image
    assert dict(fi.BUILD_RUNS) == runs


def test_mote_firmware_command(rp2040_image, capsys):
    from tools.mote_cli import main
    assert main(["firmware", "--board", "rp2040"]) == 0
    out = capsys.readouterr().out
    assert out == "%s: %d bytes (firmware.bin %d bytes)\n" % (
        rp2040_image, rp2040_image.stat().st_size,
        rp2040_image.with_name("firmware.bin").stat().st_size)


def test_stage_for_a_port_built_elsewhere(tmp_path):
    # `mote firmware --board esp32 --stage DIR` (boards/ESP32.md): the
    # port's own manifest, every firmware module, the native modules as
    # xtensawin code, the profile with sizes for code out of the heap
    manifest = fi.stage_frozen("esp32", tmp_path)
    text = manifest.read_text()
    assert 'include("$(PORT_DIR)/boards/manifest.py")' in text
    for py in FIRMWARE.glob("*.py"):
        if py.name in fi.HOST_ONLY:
            continue
        stem = "mote_boot" if py.stem == "main" else py.stem
        assert ('"%s.py"' % stem in text) or ('"%s.mpy"' % stem in text), stem
    for stem in fi.NATIVE_MODULES:
        head = (tmp_path / "native" / (stem + ".mpy")).read_bytes()[:4]
        assert head[:2] == b"M\x06" and head[2] >> 2 == 10, (stem, head)    # xtensawin
    data = (tmp_path / "frozen" / "motedata.py").read_text()
    board = load_board("esp32")
    assert "'arena_words': %d" % board["romfs"]["arena_words"] in data


def test_the_frozen_library_reads_as_library_scm():
    # the image freezes library.scm without comments and indentation: the
    # same chunk headers, and the same forms read from it
    from conftest import fresh
    from reader import read
    from arena import EOF
    src = (ROOT / "firmware" / "library.scm").read_bytes()
    small = fi.compact_library(src)
    assert len(small) < 0.75 * len(src)
    headers = [l for l in src.splitlines() if l.startswith(b";;; ")]
    assert [l for l in small.splitlines() if l.startswith(b";;; ")] == headers
    it = fresh()

    def forms(buf):
        out, pos = [], 0
        while True:
            v = read(it, buf, pos)
            if v == EOF:
                return out
            out.append(it.repr(v))
            pos = it.rpos
    assert forms(small) == forms(src)
