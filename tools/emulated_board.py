"""An emulated Raspberry Pi Pico on a pseudo-terminal.

EmulatedBoard runs real RP2040 firmware (a MicroPython .uf2 or raw .bin) in
tools/emulator/pico.mjs (node, rp2040js) and serves its USB serial port on a
pty, so that host tools written for real boards (pyserial, ampy, mpremote,
tools/console.py, tools/board_link.py) talk to it as if it were
/dev/ttyACM0.  Same interface as tools/vboard.py's VirtualBoard: open()
returns the pty path, serve_forever(), close(), context manager.

The board's filesystem (littlefs, 1408 KiB at flash offset 0xA0000) lives
in flash_file: the emulator loads it at start and writes every flash erase
and program through to it, so files survive restarts.  With flash_from
lower than 0xA0000, the file starts there: a ROMFS partition below the
filesystem (firmware kind 'romfs') is kept too.  The firmware image
is loaded afresh on every start.

Data flow: a bridge thread copies bytes between the pty master and the
emulator's stdin/stdout, raw (the pty has no \\r\\n translation or signal
characters: a Ctrl-C is a byte for the firmware).  Neither direction drops
bytes: what one side cannot take yet waits, and the other side is no
longer read meanwhile, so a slow client slows the board down as a USB host
that stops reading does (the emulator stops running while its stdout is
full).  The bridge keeps the pty slave open itself, so clients may come and
go.
"""

import fcntl
import os
import pty
import select
import shutil
import subprocess
import sys
import threading
import time
import tty
from pathlib import Path

from tools.board_link import BoardError
from tools.vboard import PtyBoard

ROOT = Path(__file__).resolve().parent.parent
EMULATOR_DIR = ROOT / "tools" / "emulator"
EMULATOR_SCRIPT = EMULATOR_DIR / "pico.mjs"
NPM_CI = "npm ci --prefix tools/emulator"
# The RP2040's boot ROM (B1): the firmware calls its flash and float code.
DEFAULT_ROM = Path(os.environ.get("MOTE_BOOTROM")
                   or ROOT.parent / "shared" / "upstream" / "rp2040-bootrom-B1.bin")

# The one board profile rp2040js can emulate, and the images `mote vboard
# --emulate --firmware KIND` builds for it (tools/firmware_image.py).
EMULATED_BOARD = "rp2040"
FIRMWARE_KINDS = ("mote", "stock", "romfs")

# pico.mjs's exit status when the firmware resets the chip: start it again.
RESET_STATUS = 3

# How long open() waits for the firmware to enumerate on the emulated USB.
CONNECT_TIMEOUT = 60.0
# How long close() waits for the emulator to save and exit after stdin EOF.
EXIT_TIMEOUT = 5.0
# Stop reading the client while this much of its input is not yet taken.
INPUT_LIMIT = 1 << 20
CHUNK = 65536


class EmulatorError(BoardError):
    """The emulator cannot run or died; the message is one line."""


def _modules_missing():
    return not (EMULATOR_DIR / "node_modules" / "rp2040js" / "package.json").is_file()


def ensure_emulator(out=sys.stderr):
    """Install the emulator's node modules (`npm ci --prefix tools/emulator`)
    when they are missing or older than the lock file."""
    from tools.firmware_image import node_modules_problem
    problem = node_modules_problem(EMULATOR_DIR, "rp2040js/package.json", NPM_CI, out)
    if problem:
        raise EmulatorError(problem)


def refusal(board_name):
    """None if the board profile can be emulated, else why not (one line)."""
    if board_name == EMULATED_BOARD:
        return None
    why = ("the Pico 2's RP2350 cannot be emulated" if board_name == "rp2350"
           else "board %s cannot be emulated" % board_name)
    return ("--emulate: rp2040js emulates only the RP2040 (Raspberry Pi Pico, "
            "--board %s); %s" % (EMULATED_BOARD, why))


def for_profile(board_name, firmware="mote", flash_file=None):
    """The EmulatedBoard `mote vboard/sim --emulate` serve, and the kind of
    its firmware: 'mote' or 'stock' (the image tools/firmware_image.py
    builds), or for a FILE.uf2/.bin 'file-NAME'.  The filesystem is kept in
    flash_file, by default build/emulated-BOARD/flash-KIND.bin, so that
    images of different kinds never share one.  Installs the node modules
    if they are missing."""
    flash_from = None
    if firmware in FIRMWARE_KINDS:
        from tools.firmware_image import firmware_uf2, romfs_offset
        image, kind = firmware_uf2(board_name, firmware), firmware
        if kind == "romfs":
            flash_from = romfs_offset(board_name)
    else:
        image = Path(firmware)
        if not image.is_file():
            raise EmulatorError("firmware image not found: %s (or say --firmware %s)"
                                % (image, "|".join(FIRMWARE_KINDS)))
        kind = "file-" + image.stem
    if flash_file is None:
        from tools.mote_cli import build_dir
        flash_file = build_dir() / ("emulated-" + board_name) / ("flash-%s.bin" % kind)
    ensure_emulator()
    return EmulatedBoard(image, flash_file, flash_from=flash_from), kind


def _set_nonblock(fd):
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)


class EmulatedBoard(PtyBoard):
    """A Raspberry Pi Pico emulated by rp2040js, its USB serial on a pty."""

    def __init__(self, image, flash_file, bootrom=DEFAULT_ROM, node="node", stats=False,
                 flash_from=None):
        self.image = Path(image)
        self.flash_file = Path(flash_file)
        self.flash_from = flash_from    # where flash_file starts (None: the filesystem)
        self.bootrom = Path(bootrom)
        self.node = node
        self.stats = stats              # the emulator's speed figures on stderr
        self.path = None
        self._proc = None
        self._master = self._slave = None
        self._wake_r = self._wake_w = None
        self._thread = None
        self._stop = threading.Event()
        self._node = None
        self._lock = None

    # -- public API --------------------------------------------------------

    def open(self):
        """Start the board; return the path clients should open.  Returns
        once the firmware has enumerated on the emulated USB (its REPL is up
        a moment later)."""
        if self.path:
            return self.path
        self._node = shutil.which(self.node)
        if self._node is None:
            raise EmulatorError("node not found: %s (the emulator needs Node.js 18+)" % self.node)
        if _modules_missing():
            raise EmulatorError("the emulator's node modules are missing: run `%s`" % NPM_CI)
        for what, path in (("firmware image", self.image), ("boot ROM", self.bootrom)):
            if not path.is_file():
                raise EmulatorError("%s not found: %s" % (what, path))
        self.flash_file.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Two boards writing one flash file would corrupt its filesystem.
            self._lock = os.open(self.flash_file, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.close()
            raise EmulatorError("%s is in use by another emulated board" % self.flash_file)
        self._master, self._slave = pty.openpty()
        tty.setraw(self._slave)
        _set_nonblock(self._master)
        self._wake_r, self._wake_w = os.pipe()
        self.path = os.ttyname(self._slave)
        ready_r, ready_w = os.pipe()
        try:
            try:
                self._spawn(ready_w)
            finally:
                os.close(ready_w)
            self._thread = threading.Thread(target=self._run, name="emulated-board",
                                            daemon=True)
            self._thread.start()
            self._wait_connected(ready_r)
        except BaseException:
            self.close()
            raise
        finally:
            os.close(ready_r)
        return self.path

    def close(self):
        """Stop the emulator (it saves the flash file first) and release
        everything; safe to call twice."""
        self._stop_bridge()
        if self._proc is not None:
            self._stop_emulator()
            self._proc = None
        self._close_fds("_master", "_slave", "_wake_r", "_wake_w", "_lock")

    # -- the emulator process ------------------------------------------------

    def _spawn(self, ready_fd=None):
        argv = [self._node, str(EMULATOR_SCRIPT), "--bootrom", str(self.bootrom),
                "--image", str(self.image), "--flash-file", str(self.flash_file)]
        if self.flash_from is not None:
            argv += ["--flash-from", str(self.flash_from)]
        if ready_fd is not None:
            argv += ["--ready-fd", str(ready_fd)]
        if self.stats:
            argv.append("--stats")
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      pass_fds=() if ready_fd is None else (ready_fd,),
                                      start_new_session=True)
        _set_nonblock(self._proc.stdin.fileno())
        _set_nonblock(self._proc.stdout.fileno())

    def _wait_connected(self, ready_r):
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise EmulatorError("the firmware did not enumerate on USB within %gs: %s"
                                    % (CONNECT_TIMEOUT, self.image))
            if select.select([ready_r], [], [], min(left, 0.5))[0]:
                if os.read(ready_r, 16):
                    return
                # EOF: the emulator exited (its reason went to stderr).
                code = self._proc.wait()
                raise EmulatorError("the emulator exited (status %s) before the firmware "
                                    "enumerated on USB: %s" % (code, self.image))

    def _stop_emulator(self):
        proc = self._proc
        # EOF on its stdin: the emulator saves and exits.  Closing its stdout
        # too stops it from blocking on output nobody will read.
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        try:
            proc.wait(EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.terminate()            # SIGTERM also saves
            try:
                proc.wait(EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    # -- data flow -----------------------------------------------------------

    def _to_client(self, data):
        """Best effort, for the bridge's own messages."""
        try:
            os.write(self._master, data)
        except OSError:
            pass

    def _run(self):
        try:
            self._loop()
        except Exception as e:      # keep the reason visible to the client
            self._to_client(b"\r\nemulated board: bridge failed: %s\r\n" % repr(e).encode())
            raise

    def _loop(self):
        to_board = bytearray()      # client input the emulator has not taken yet
        to_client = bytearray()     # board output the pty has not taken yet
        while not self._stop.is_set():
            board_in = self._proc.stdin.fileno()
            board_out = self._proc.stdout.fileno()
            readers = [self._wake_r]
            writers = []
            if len(to_board) < INPUT_LIMIT:
                readers.append(self._master)
            if to_client:
                writers.append(self._master)
            else:
                readers.append(board_out)
            if to_board:
                writers.append(board_in)
            readable, writable, _ = select.select(readers, writers, [])
            if self._wake_r in readable:
                os.read(self._wake_r, 64)
            if board_out in readable:
                try:
                    data = os.read(board_out, CHUNK)
                except BlockingIOError:
                    data = None
                if data == b"":
                    if not self._emulator_ended():
                        return
                    continue
                if data:
                    to_client += data
            if self._master in readable:
                try:
                    to_board += os.read(self._master, CHUNK)
                except (BlockingIOError, OSError):
                    pass
            if to_client and (self._master in writable or board_out in readable):
                try:
                    del to_client[:os.write(self._master, to_client)]
                except BlockingIOError:
                    pass
            if to_board and (board_in in writable or self._master in readable):
                try:
                    del to_board[:os.write(board_in, to_board)]
                except BlockingIOError:
                    pass
                except BrokenPipeError:
                    pass            # it is exiting: its stdout's EOF follows

    def _emulator_ended(self):
        """The emulator's stdout ended.  If the firmware reset the chip,
        start it again (True); otherwise tell the client and stop (False)."""
        code = self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        if code == RESET_STATUS and not self._stop.is_set():
            try:
                self._spawn()
                return True
            except OSError as e:
                self._to_client(b"\r\nemulated board: cannot restart: %s\r\n" % str(e).encode())
        else:
            self._to_client(b"\r\nemulated board: the emulator exited (status %d)\r\n" % code)
        self._stop.set()
        return False
