"""A link to a MicroPython board over its serial port, through its raw REPL.

Everything `mote flash`, `mote run` and `mote test-board` do on a board goes
through here: ampy's Pyboard (adafruit-ampy's Python API) carries the raw
REPL protocol (Ctrl-A, code, Ctrl-D, then `OK`, output, `\\x04`, error,
`\\x04`); this module adds what ampy leaves out:

- leaving Mote first: a board that boots into Mote sits in Mote's REPL, which
  takes Ctrl-C as "back to the prompt", so the raw REPL is reached by
  interrupting and sending `(exit)` (harmless at MicroPython's own prompt);
- one-line errors (`BoardError`) instead of ampy's prints and tracebacks;
- file transfer in base64 chunks with a progress callback, written to a
  temporary name and renamed, so a cut upload never leaves a truncated file
  under the real name;
- the board's own view of things: its native architecture (from
  sys.implementation._mpy) and the SHA-256 of its files, computed on the board.
"""

import base64
import contextlib
import io
import json
import re
import time

import serial
from ampy.pyboard import Pyboard, PyboardError

# sys.implementation._mpy >> 10: the native-code architecture (mpy-cross -march)
ARCHS = (None, "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp",
         "armv7emdp", "xtensa", "xtensawin", "rv32imc", "rv64imc")
CHUNK = 1024            # bytes of a file per raw-REPL command
RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
MOTE_PROMPT = re.compile(rb"Mote Scheme on .*\n(?:.|\n)*\d+> $")


class BoardError(Exception):
    """Something went wrong on or with the board: one line for the user."""


def arch_of(mpy):
    """The native architecture a sys.implementation._mpy value names (None:
    no native emitter)."""
    k = mpy >> 10
    return ARCHS[k] if 0 < k < len(ARCHS) else None


def last_line(data):
    """The last non-empty line of a board's error output (the exception)."""
    lines = [l.strip() for l in data.decode("utf-8", "replace").splitlines() if l.strip()]
    return lines[-1] if lines else "failed"


class BoardLink:
    """An open serial link to a board in its raw REPL."""

    def __init__(self, port, baudrate=115200):
        self.port = port
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self.board = Pyboard(port, baudrate=baudrate)
        except (PyboardError, serial.SerialException, OSError) as e:
            raise BoardError("cannot open %s: %s" % (port, _reason(e)))
        self.serial = self.board.serial
        self.serial.timeout = 2         # ampy's reads block for ever without one
        self.raw = False

    def close(self):
        try:
            if self.raw:
                self.serial.write(b"\r\x02")
            self.board.close()
        except (OSError, serial.SerialException):
            pass

    def lost(self, e):
        return BoardError("%s: lost the board (%s)" % (self.port, _reason(e)))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------ raw REPL

    def _read_until(self, ending, timeout):
        data = b""
        deadline = time.monotonic() + timeout
        while not data.endswith(ending):
            if time.monotonic() > deadline:
                return data
            try:
                # a byte at a time: what follows the ending is for ampy to read
                n = self.serial.in_waiting
                if n:
                    data += self.serial.read(1)
            except (OSError, serial.SerialException) as e:
                raise self.lost(e)
            if not n:
                time.sleep(0.01)
        return data

    def _drain(self):
        time.sleep(0.05)
        while self.serial.in_waiting:
            self.serial.read(self.serial.in_waiting)
            time.sleep(0.05)

    def enter_raw(self, soft_reset=True, timeout=5):
        """Stop whatever runs (Mote included), enter the raw REPL and, if
        soft_reset, restart MicroPython there (a fresh heap; boot.py runs,
        main.py does not)."""
        try:
            self.serial.write(b"\r\x03")
            time.sleep(0.1)
            self.serial.write(b"\x03")
            time.sleep(0.1)
            self.serial.write(b"(exit)\n")      # Mote's REPL: leave it
            time.sleep(0.1)
            self._drain()
            for _ in range(3):
                self.serial.write(b"\r\x01")
                data = self._read_until(RAW_BANNER, timeout / 3)
                if data.endswith(RAW_BANNER):
                    break
            else:
                raise BoardError("no answer from %s: not a MicroPython board, or it is "
                                 "busy and ignores Ctrl-C" % self.port)
            self.raw = True
        except (OSError, serial.SerialException) as e:
            raise self.lost(e)
        if soft_reset:
            self.soft_reset(timeout)

    def soft_reset(self, timeout=5):
        """Ctrl-D in the raw REPL: MicroPython restarts with a fresh heap,
        runs boot.py and comes back to the raw REPL."""
        try:
            self.serial.write(b"\x04")
        except (OSError, serial.SerialException) as e:
            raise self.lost(e)
        data = self._read_until(b"soft reboot\r\n", timeout)
        if not data.endswith(b"soft reboot\r\n"):
            raise BoardError("%s: the board did not soft-reset" % self.port)
        # the ">" after the banner is left for the first command
        data = self._read_until(RAW_BANNER, timeout)
        if not data.endswith(RAW_BANNER):
            raise BoardError("%s: no raw REPL after the soft reset" % self.port)

    def run(self, code, timeout=30, consumer=None):
        """Execute code in the raw REPL; its output (streamed to consumer,
        a function of bytes, if given) is returned. An exception on the
        board raises BoardError with its last line."""
        def feed(data):
            # ampy hands the consumer the closing \x04 as well
            if data != b"\x04":
                consumer(data)
        # The board answers OK once it has taken in the whole command, and
        # Mote's raw REPL (rawrepl.py) takes it a byte at a time in Python:
        # on the emulated Pico a 5.5 KB command (a 4 KB ROMFS block in
        # base64) has taken over 5 s. Allow 10 ms a byte for long ones.
        # (Setting the timeout reconfigures the port: on a board that has
        # gone it fails, and is the link lost like any other write.)
        long = len(code) > 200
        try:
            if long:
                self.serial.timeout = len(code) / 100
            try:
                self.board.exec_raw_no_follow(code)
                out, err = self.board.follow(timeout, consumer and feed)
            finally:
                if long:
                    self.serial.timeout = 2
        except PyboardError as e:
            raise BoardError("%s: no answer from the board (%s)" % (self.port, _reason(e)))
        except (OSError, serial.SerialException) as e:
            raise self.lost(e)
        if err:
            raise BoardError(last_line(err))
        return out

    def eval(self, expr):
        return self.run("print(repr(%s))" % expr).decode("utf-8", "replace").strip()

    def start_main(self):
        """Back to the friendly REPL and soft-reset there: main.py runs."""
        try:
            self.serial.write(b"\r\x02")
            time.sleep(0.1)
            self.serial.write(b"\x04")
            self.raw = False
        except (OSError, serial.SerialException) as e:
            raise self.lost(e)

    def wait_for_mote(self, timeout=30):
        """After start_main: wait until Mote shows its prompt. Returns None
        when it does, else a one-line reason (MicroPython's own prompt came
        instead: main.py failed; or nothing within timeout)."""
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                n = self.serial.in_waiting
                data += self.serial.read(n) if n else b""
            except (OSError, serial.SerialException) as e:
                raise self.lost(e)
            # what came before the reboot is the friendly REPL's Ctrl-B
            boot = data.partition(b"soft reboot\r\n")[2]
            if MOTE_PROMPT.search(boot):
                return None
            if boot.endswith(b">>> "):
                why = [l for l in boot[:-4].decode("utf-8", "replace").splitlines()
                       if l.strip() and not l.startswith(("MicroPython", "Type "))]
                return "main.py ended at MicroPython's prompt" + (
                    ": " + why[-1].strip() if why else "")
            if not n:
                time.sleep(0.02)
        return "no Mote prompt within %d s (an autorun program running?)" % timeout

    # ------------------------------------------------------------ the board

    def arch(self):
        """The board's native-code architecture (None if it has none)."""
        return arch_of(int(self.eval("getattr(__import__('sys').implementation, '_mpy', 0)")))

    def profile(self):
        """The board.json flashed on the board (to its filesystem, else to
        its ROMFS partition: `mote flash --romfs`), else the profile frozen
        into a Mote firmware image (motedata.BOARD), or None."""
        try:
            try:
                prof = json.loads(self.read_file("board.json").decode())
            except BoardError:
                prof = json.loads(self.read_file("/rom/board.json").decode())
        except (BoardError, ValueError):
            try:
                out = self.run("import json, motedata\nprint(json.dumps(motedata.BOARD))")
                prof = json.loads(out.decode())
            except (BoardError, ValueError):
                return None
        return prof if isinstance(prof, dict) else None

    def hashes(self, names):
        """{name: SHA-256 hex} of the files in `/` named, computed on the
        board; None for a file it does not have."""
        self.run(HASH_CODE)
        out = self.run("_mote_hashes(%r)" % (list(names),))
        result = dict.fromkeys(names)
        for line in out.decode("utf-8", "replace").splitlines():
            name, _, digest = line.strip().partition(" ")
            if name in result and digest != "-":
                result[name] = digest
        return result

    def read_file(self, name):
        out = self.run("import binascii\nwith open(%r, 'rb') as f:\n"
                       " while 1:\n  b = f.read(%d)\n  if not b: break\n"
                       "  print(binascii.b2a_base64(b).decode().strip())" % (name, CHUNK))
        return b"".join(base64.b64decode(l) for l in out.split() if l)

    def write_file(self, name, data, progress=None):
        """Write data to `name` on the board: to name + '.part' first, then
        renamed, so an interrupted upload leaves the old file (or none).
        progress(nbytes) is called after each chunk."""
        part = name + ".part"
        self.run("import binascii\n_mote_f = open(%r, 'wb')" % part)
        for k in range(0, len(data), CHUNK):
            chunk = base64.b64encode(data[k:k + CHUNK]).decode()
            self.run("_mote_f.write(binascii.a2b_base64(%r))" % chunk)
            if progress:
                progress(min(CHUNK, len(data) - k))
        self.run("_mote_f.close()\ndel _mote_f\nimport os\n"
                 "try:\n os.remove(%r)\nexcept OSError:\n pass\n"
                 "os.rename(%r, %r)" % (name, part, name))

    def remove(self, name):
        self.run("import os\ntry:\n os.remove(%r)\nexcept OSError:\n pass" % name)


# Runs on the board: the files' SHA-256, one "name digest" line each ("-"
# for a file that is missing). Read in 512-byte pieces: a board's heap.
HASH_CODE = """
def _mote_hashes(names):
    import hashlib, binascii
    for n in names:
        try:
            h = hashlib.sha256()
            with open(n, 'rb') as f:
                while 1:
                    b = f.read(512)
                    if not b:
                        break
                    h.update(b)
            print(n, binascii.hexlify(h.digest()).decode())
        except OSError:
            print(n, '-')
"""


def _reason(e):
    text = str(e.args[-1] if getattr(e, "args", None) else e)
    if isinstance(e, serial.SerialException) and "No such file" in str(e):
        return "no such port"
    return (text.strip().splitlines() or [type(e).__name__])[-1]
