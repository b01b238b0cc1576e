"""tools/emulated_board.py and tools/emulator/pico.mjs: real RP2040
MicroPython firmware on an emulated Raspberry Pi Pico (rp2040js), its USB
serial port on a pty.

Driven with the real clients (pyserial, the ampy and mpremote commands,
`mote vboard`/`mote sim`), so the tests fail if the pty no longer looks like
a board to them.  Each emulator start costs about a second, so most tests
share one board.
"""

import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serial

from conftest import ROOT
from tools import emulated_board
from tools.emulated_board import EmulatedBoard, EmulatorError
from tools.firmware_image import uf2_from_bin

BIN = Path(sys.executable).parent
AMPY = str(BIN / "ampy")
MPREMOTE = str(BIN / "mpremote")
# Until tools/firmware_image.py builds the stock image everywhere: the one
# built by hand on the development machine.
FS_BYTES = 1408 * 1024
PROMPT = b">>> "
BOOT_TIMEOUT = 60


# --------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def stock_image():
    """Stock MicroPython for the RP2040 (.uf2, or .bin at 0x10000000)."""
    from tools.firmware_image import firmware_uf2
    emulated_board.ensure_emulator()
    return firmware_uf2("rp2040", "stock")


@pytest.fixture(scope="module")
def stock_bin(stock_image):
    """The same firmware as a raw flash image."""
    return stock_image.with_name("firmware.bin") if stock_image.suffix == ".uf2" else stock_image


@pytest.fixture(scope="module")
def board(stock_image, tmp_path_factory):
    """One emulated board for the tests that need no fresh one."""
    b = EmulatedBoard(stock_image, tmp_path_factory.mktemp("emulated") / "flash.bin")
    b.open()
    yield b
    b.close()


class Repl:
    """MicroPython's friendly REPL over pyserial."""

    def __init__(self, path):
        self.serial = serial.Serial(path, timeout=0.05)

    def read_until(self, token, timeout=30):
        data = b""
        deadline = time.monotonic() + timeout
        while token not in data:
            assert time.monotonic() < deadline, "no %r in %r" % (token, data)
            data += self.serial.read(4096)
        return data

    def sync(self):
        """Interrupt whatever runs, leave the raw REPL, wait for a prompt."""
        self.serial.write(b"\x03\x02")
        self.serial.write(b'print("SYNC" + "ED")\r')
        self.read_until(b"SYNCED\r\n" + PROMPT)

    def run(self, line, timeout=30):
        """Type one line; return what it printed."""
        self.serial.write(line.encode() + b"\r")
        out = self.read_until(PROMPT, timeout)
        echo, _, rest = out.partition(b"\r\n")
        assert echo == line.encode(), out
        return rest[:-len(PROMPT)].decode()

    def close(self):
        self.serial.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def repl(board):
    r = Repl(board.path)
    r.sync()
    return r


def tool(*argv, timeout=60):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r
    return r.stdout


# ------------------------------------------------------------ booting

@pytest.mark.parametrize("fmt", ["bin", "uf2"])
def test_boots_to_prompt(stock_bin, tmp_path, fmt):
    image = stock_bin
    if fmt == "uf2":
        # A block for another chip (RP2350) first: an RP2040 must ignore it.
        data = stock_bin.read_bytes()
        image = tmp_path / "firmware.uf2"
        image.write_bytes(uf2_from_bin(b"\xff" * 256, 0xE48BFF59) + uf2_from_bin(data, 0xE48BFF56))
    with EmulatedBoard(image, tmp_path / "flash.bin") as b:
        assert os.path.exists(b.path)
        # No input needed: the firmware sends its banner once DTR is set.
        with Repl(b.path) as r:
            banner = r.read_until(PROMPT, BOOT_TIMEOUT)
    assert b"MicroPython v1.28.0" in banner
    assert b"Raspberry Pi Pico with RP2040" in banner


def test_print_round_trip(board):
    with repl(board) as r:
        assert r.run("print(1+1)") == "2\r\n"
        assert r.run("import sys; print(sys.platform)") == "rp2\r\n"


def test_ctrl_c_interrupts_a_loop(board):
    with repl(board) as r:
        r.serial.write(b"while True: pass\r\r")
        r.read_until(b"... \r\n")
        time.sleep(0.5)
        assert r.serial.read(4096) == b""       # still running
        r.serial.write(b"\x03")
        out = r.read_until(PROMPT, 10)
    assert b"KeyboardInterrupt" in out


def test_unconnected_pins_follow_their_pulls(board):
    # nothing is wired to the emulated board: as on a real one, a pulled-up
    # input reads 1 (Mote's safe pin, its button not pressed) and a
    # pulled-down one 0
    with repl(board) as r:
        r.run("from machine import Pin")
        assert r.run("print(Pin(22, Pin.IN, Pin.PULL_UP).value())") == "1\r\n"
        assert r.run("print(Pin(22, Pin.IN, Pin.PULL_DOWN).value())") == "0\r\n"
        assert r.run("print(Pin(21, Pin.IN, Pin.PULL_UP).value())") == "1\r\n"


def test_ticks_ms_is_emulated_time(board):
    with repl(board) as r:
        r.run("import time")
        # Sleeping: emulated time passes as on a real board, and takes as
        # long on the wall clock.
        start = time.monotonic()
        slept = int(r.run("t=time.ticks_ms(); time.sleep_ms(300); "
                          "print(time.ticks_diff(time.ticks_ms(), t))"))
        wall = time.monotonic() - start
        assert 300 <= slept <= 330
        assert wall >= 0.3
        # Computing: the emulator runs slower than a 125 MHz RP2040, so the
        # board's clock shows less time than the wall clock does.
        start = time.monotonic()
        busy = int(r.run("t=time.ticks_ms(); x=[i*i for i in range(20000)]; "
                         "print(time.ticks_diff(time.ticks_ms(), t))"))
        wall = time.monotonic() - start
        assert 0 < busy < wall * 1000


def test_machine_reset_restarts_the_board(board):
    with repl(board) as r:
        r.serial.write(b"import machine; machine.reset()\r")
        out = r.read_until(b"for more information.\r\n" + PROMPT, BOOT_TIMEOUT)
        assert b"MicroPython v1.28.0" in out
        assert r.run("print(1+1)") == "2\r\n"


def test_one_board_per_flash_file(board):
    with pytest.raises(EmulatorError, match="in use by another emulated board"):
        EmulatedBoard(board.image, board.flash_file).open()


# ----------------------------------------------------------- real clients

def test_mpremote_exec_and_fs_ls(board):
    assert tool(MPREMOTE, "connect", board.path, "exec", "print(123)") == "123\n"
    tool(MPREMOTE, "connect", board.path, "exec", "open('m.txt', 'w').write('hi')")
    listing = tool(MPREMOTE, "connect", board.path, "fs", "ls")
    assert "m.txt" in listing


def test_ampy_files_persist_across_restarts(stock_image, tmp_path):
    flash = tmp_path / "flash.bin"
    local = tmp_path / "hello.py"
    local.write_text('print("hello from flash")\n' + "# padding\n" * 500)
    with EmulatedBoard(stock_image, flash) as b:
        tool(AMPY, "--port", b.path, "put", str(local), "hello.py")
        assert "/hello.py" in tool(AMPY, "--port", b.path, "ls").split()
        back = tmp_path / "back.py"
        tool(AMPY, "--port", b.path, "get", "hello.py", str(back))
        assert back.read_text() == local.read_text()
    # The filesystem region, written through while the board ran.
    assert flash.stat().st_size == FS_BYTES
    with EmulatedBoard(stock_image, flash) as b:
        assert "/hello.py" in tool(AMPY, "--port", b.path, "ls").split()
        assert tool(MPREMOTE, "connect", b.path, "exec", "import hello") == "hello from flash\n"


# ------------------------------------------------------------------ CLI

def test_mote_vboard_emulate(stock_bin, tmp_path):
    flash = tmp_path / "f.bin"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "mote_cli.py"), "vboard", "--board", "rp2040",
         "--emulate", "--firmware", str(stock_bin), "--flash-file", str(flash)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    try:
        path = proc.stdout.readline().strip()
        assert path.startswith("/dev/"), proc.stderr.read()
        assert tool(MPREMOTE, "connect", path, "exec", "print(6*7)") == "42\n"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    assert flash.stat().st_size == FS_BYTES


def test_mote_sim_emulate_runs_mote(tmp_path):
    """`make sim EMULATE=1`: the Mote image boots into Mote, no flashing."""
    pytest.importorskip("tools.firmware_image")
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "mote_cli.py"), "sim",
                        "--board", "rp2040", "--emulate", "--flash-file",
                        str(tmp_path / "flash.bin")],
                       input="(display (* 6 7))\n", capture_output=True, text=True,
                       timeout=900, cwd=str(ROOT))
    assert r.returncode == 0, r
    assert "42" in r.stdout
    assert "uploading" not in r.stderr


def test_emulate_refuses_other_boards(capsys):
    from tools.mote_cli import main
    assert main(["vboard", "--board", "rp2350", "--emulate"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "RP2350 cannot be emulated" in err


def test_missing_node_modules_named(stock_bin, tmp_path, monkeypatch):
    monkeypatch.setattr(emulated_board, "EMULATOR_DIR", tmp_path)
    with pytest.raises(EmulatorError, match="npm ci --prefix tools/emulator"):
        EmulatedBoard(stock_bin, tmp_path / "flash.bin").open()
