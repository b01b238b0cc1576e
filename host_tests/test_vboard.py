"""tools/vboard.py: the MicroPython unix port as a board on a pty.

Driven with the real clients (the ampy CLI, ampy.pyboard, pyserial) so the
tests fail if the pty no longer looks like a board to them.
"""

import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from tools.vboard import VirtualBoard  # noqa: E402

BIN = os.path.dirname(sys.executable)
HEAP = 256 * 1024
BANNER_TAIL = b'for more information.\r\n>>> '
RAW_PROMPT = b'raw REPL; CTRL-B to exit\r\n>'


def _tool(name):
    local = os.path.join(BIN, name)
    return local if os.access(local, os.X_OK) else shutil.which(name)


MICROPYTHON = _tool('micropython')
AMPY = _tool('ampy')
pytestmark = pytest.mark.skipif(MICROPYTHON is None,
                                reason='micropython unix port not installed')

serial = pytest.importorskip('serial')


@pytest.fixture
def flash(tmp_path):
    d = tmp_path / 'flash'
    d.mkdir()
    # boot.py/main.py leave a trace in flash so restarts can be counted.
    (d / 'boot.py').write_text("open('/boots', 'a').write('b')\nprint('BOOT')\n")
    (d / 'main.py').write_text("open('/mains', 'a').write('m')\nprint('MAIN')\n")
    return d


@pytest.fixture
def frozen(tmp_path):
    # A simulated frozen `machine` whose reset() ends the process, which
    # the unix port's own `machine` cannot do.
    d = tmp_path / 'frozen'
    d.mkdir()
    (d / 'machine.py').write_text('def reset():\n    raise SystemExit\n')
    return d


@pytest.fixture
def board(flash, frozen):
    b = VirtualBoard(MICROPYTHON, HEAP, str(flash), module_path=[str(frozen)])
    b.open()
    yield b
    b.close()


def count(flash, name):
    p = flash / name
    return len(p.read_text()) if p.exists() else 0


def ampy(board, *args, check=True):
    if AMPY is None:
        pytest.skip('ampy not installed')
    r = subprocess.run([AMPY, '--port', board.path] + list(args),
                       capture_output=True, timeout=30)
    if check:
        assert r.returncode == 0, r
    return r


class Term:
    """A pyserial terminal with expect()."""

    def __init__(self, path):
        self.ser = serial.Serial(path, 115200, timeout=0.05)
        self.seen = b''

    def write(self, data):
        self.ser.write(data)

    def expect(self, want, timeout=10):
        """Read until `want` has arrived; return everything read up to and
        including it (the rest stays for the next expect)."""
        end = time.monotonic() + timeout
        while want not in self.seen:
            if time.monotonic() > end:
                raise AssertionError('timeout waiting for %r; got %r'
                                     % (want, self.seen))
            self.seen += self.ser.read(4096)
        i = self.seen.index(want) + len(want)
        got, self.seen = self.seen[:i], self.seen[i:]
        return got

    def quiet(self, seconds):
        """Everything that arrives within `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.seen += self.ser.read(4096)
        got, self.seen = self.seen, b''
        return got

    def prompt(self):
        """Sync with the friendly REPL: whatever the board printed before
        (banner, prompts) is skipped; nothing is left unread after."""
        self.write(b'print("SY" "NC")\r')
        return self.expect(b'SYNC\n>>> ')

    def close(self):
        self.ser.close()


@pytest.fixture
def term(board):
    t = Term(board.path)
    yield t
    t.close()


def pyboard(board):
    from ampy.pyboard import Pyboard
    return Pyboard(board.path)


# -- files over ampy --------------------------------------------------------

def test_put_ls_get_rm(board, flash, tmp_path):
    data = b'x = 1\r\nprint("caf\xc3\xa9")\n\x00\xff' * 40
    src = tmp_path / 'data.bin'
    src.write_bytes(data)
    ampy(board, 'put', str(src), 'data.bin')
    assert (flash / 'data.bin').read_bytes() == data
    assert '/data.bin' in ampy(board, 'ls').stdout.decode().split()
    # (to a file: `ampy get` to stdout decodes the bytes as UTF-8)
    ampy(board, 'get', 'data.bin', str(tmp_path / 'back.bin'))
    assert (tmp_path / 'back.bin').read_bytes() == data
    ampy(board, 'rm', 'data.bin')
    assert not (flash / 'data.bin').exists()
    assert '/data.bin' not in ampy(board, 'ls').stdout.decode().split()


def test_run_prints_output(board, tmp_path):
    script = tmp_path / 'hello.py'
    script.write_text('for i in range(3):\n    print("hello", i * 7)\n')
    out = ampy(board, 'run', str(script)).stdout
    assert out == b'hello 0\nhello 7\nhello 14\n'


# -- resets -----------------------------------------------------------------

def test_ampy_soft_reset_runs_boot_not_main(board, flash):
    time.sleep(0.3)   # let the first start's boot.py/main.py finish
    assert (count(flash, 'boots'), count(flash, 'mains')) == (1, 1)
    # `ampy reset` = raw-REPL Ctrl-D (soft reset) then Ctrl-B.
    ampy(board, 'reset')
    assert (count(flash, 'boots'), count(flash, 'mains')) == (2, 1)


def test_ampy_hard_reset_runs_main(board, flash):
    time.sleep(0.3)
    # enter_raw_repl soft-resets (boot.py), then machine.reset() exits the
    # child, which restarts like a board after reset: boot.py and main.py.
    ampy(board, 'reset', '--hard')
    deadline = time.monotonic() + 10
    while count(flash, 'mains') < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (count(flash, 'boots'), count(flash, 'mains')) == (3, 2)
    # and the board still answers afterwards
    assert '/main.py' in ampy(board, 'ls').stdout.decode().split()


def test_friendly_ctrl_d_soft_reboots_with_main(term):
    term.prompt()
    term.write(b'\x04')
    got = term.expect(BANNER_TAIL)
    assert b'MPY: soft reboot\r\nBOOT\nMAIN\nMicroPython ' in got
    # a working REPL after it, bytes exactly as the port prints them
    term.write(b'print("a" + "b")\r')
    assert term.expect(b'>>> ') == b'print("a" + "b")\r\nab\n>>> '


def test_raw_ctrl_d_soft_reboots_without_main(term, flash):
    term.prompt()
    term.write(b'\x01')
    term.expect(RAW_PROMPT)
    term.write(b'\x04')
    # exactly what a board sends: boot.py's output, then the raw REPL again;
    # no friendly banner and no main.py.
    assert term.expect(RAW_PROMPT) == (
        b'OK\r\nMPY: soft reboot\r\nBOOT\n\r\n' + RAW_PROMPT)
    term.write(b'print(1+1)\x04')
    assert term.expect(b'\x04>') == b'OK2\n\x04\x04>'
    assert count(flash, 'mains') == 1
    # globals hold nothing of the bridge's ROM script (the REPL itself sets
    # __file__ to '<stdin>' for what it runs)
    term.write(b'print(sorted(globals()), __file__)\x04')
    assert term.expect(b'\x04>') == (
        b"OK['__file__', '__name__'] <stdin>\n\x04\x04>")


def test_input_during_raw_restart_is_queued(term):
    term.prompt()
    term.write(b'\x01')
    term.expect(RAW_PROMPT)
    # Ctrl-D and the next command at once: the command must reach the new
    # child's raw REPL, not its friendly banner or nowhere.
    term.write(b'\x04\x03\x03print(6*7)\x04')
    got = term.expect(b'OK42\n\x04\x04>')
    assert got.count(b'MPY: soft reboot') == 1
    assert b'>>> ' not in got and b'Traceback' not in got


def test_raw_paste_mode_passes_through(term):
    term.prompt()
    term.write(b'\x01')
    term.expect(RAW_PROMPT)
    term.write(b'\x05A\x01')
    got = term.expect(b'R', timeout=5) + term.quiet(0.3)
    # R\x01 + window size (supported) or R\x00 (not supported)
    assert got[:2] in (b'R\x01', b'R\x00')
    if got[:2] == b'R\x01':
        term.write(b'print(5)\x04')
        assert term.expect(b'\x04>').endswith(b'5\n\x04\x04>')


def test_ctrl_c_interrupts_running_code(board):
    pyb = pyboard(board)
    try:
        pyb.enter_raw_repl()
        pyb.exec_raw_no_follow('while True: pass')
        time.sleep(0.3)
        pyb.serial.write(b'\x03')
        out, err = pyb.follow(timeout=5)
        assert b'KeyboardInterrupt' in err
        assert pyb.exec_('print(3)') == b'3\n'
    finally:
        pyb.close()


def test_output_bytes_exact(term):
    term.prompt()
    term.write(b'print("x\\r\\ny")\r')
    got = term.expect(b'>>> ')
    assert got == b'print("x\\r\\ny")\r\nx\r\ny\n>>> '
    assert b'\r\r\n' not in got


def test_heap_limit_is_real(board):
    pyb = pyboard(board)
    try:
        pyb.enter_raw_repl()
        assert pyb.exec_('b = bytearray(64 * 1024); print(len(b))') == b'65536\n'
        out, err = pyb.exec_raw('b = None; c = bytearray(%d)' % (HEAP * 2))
        assert b'MemoryError' in err
    finally:
        pyb.close()


def test_flash_is_root_and_imports(board, flash):
    (flash / 'foo.py').write_text('X = 5\n')
    (flash / 'lib').mkdir()
    (flash / 'lib' / 'baz.py').write_text('Z = 9\n')
    mpy_cross = _tool('mpy-cross')
    if mpy_cross:
        (flash / 'tmp_bar.py').write_text('Y = 7\n')
        subprocess.run([mpy_cross, '-o', str(flash / 'bar.mpy'),
                        str(flash / 'tmp_bar.py')], check=True)
        (flash / 'tmp_bar.py').unlink()
    pyb = pyboard(board)
    try:
        pyb.enter_raw_repl()
        listing = pyb.exec_('import os; print(sorted(os.listdir("/")))')
        assert listing.decode().strip() == repr(sorted(os.listdir(flash)))
        assert pyb.exec_('print(open("/main.py").read())').startswith(b"open('/mains'")
        assert pyb.exec_('import foo, baz; print(foo.X, baz.Z)') == b'5 9\n'
        if mpy_cross:
            assert pyb.exec_('import bar; print(bar.Y)') == b'7\n'
        # the simulated frozen machine module wins over the built-in one
        assert pyb.exec_('import machine; print(hasattr(machine, "reset"))') == b'True\n'
    finally:
        pyb.close()


def test_restart_loop_guard(tmp_path):
    flash = tmp_path / 'loop'
    flash.mkdir()
    (flash / 'main.py').write_text('import sys\nsys.exit()\n')
    with VirtualBoard(MICROPYTHON, HEAP, str(flash)) as b:
        t = Term(b.path)
        try:
            got = t.expect(b'press a key to restart\r\n', timeout=20)
            assert got.count(b'MPY: soft reboot') >= 4
            assert t.quiet(0.5) == b''          # really waiting
            (flash / 'main.py').write_text('print("FIXED")\n')
            t.write(b'\r')
            got = t.expect(BANNER_TAIL)
            assert b'MPY: soft reboot\r\nFIXED\n' in got
        finally:
            t.close()


# -- standalone use -----------------------------------------------------------

def _children(pid):
    kids = []
    for task in os.listdir('/proc/%d/task' % pid):
        with open('/proc/%d/task/%s/children' % (pid, task)) as f:
            kids += [int(x) for x in f.read().split()]
    return kids


def test_standalone_prints_path_and_cleans_up(tmp_path):
    flash = tmp_path / 'new' / 'flash'
    p = subprocess.Popen(
        [sys.executable, os.path.join(REPO, 'tools', 'vboard.py'),
         '--heap', str(HEAP), '--dir', str(flash),
         '--micropython', MICROPYTHON],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        path = p.stdout.readline().decode().strip()
        assert stat.S_ISCHR(os.stat(path).st_mode)
        assert flash.is_dir()
        t = Term(path)
        try:
            t.prompt()
            t.write(b'print(2**10)\r')
            assert t.expect(b'>>> ').endswith(b'1024\n>>> ')
        finally:
            t.close()
        kids = _children(p.pid)
        assert len(kids) == 1
        with open('/proc/%d/cmdline' % kids[0], 'rb') as f:
            start = f.read().split(b'\0')[-3].decode()   # ... -i START FD
        assert os.path.exists(start)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=10)
        assert p.returncode == 0, err
        assert err == b''
        assert not os.path.exists('/proc/%d' % kids[0])
        assert not os.path.exists(os.path.dirname(start))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.mark.parametrize('bad', ['dir', 'micropython'])
def test_standalone_bad_arguments(tmp_path, bad):
    afile = tmp_path / 'afile'
    afile.write_text('')
    args = ['--dir', str(tmp_path / 'ok'), '--micropython', MICROPYTHON]
    if bad == 'dir':
        args[1] = str(afile / 'sub')
    else:
        args[3] = str(tmp_path / 'no-such-micropython')
    r = subprocess.run([sys.executable, os.path.join(REPO, 'tools', 'vboard.py')]
                       + args, capture_output=True, timeout=10)
    assert r.returncode == 2
    assert r.stdout == b''
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 1 and bad in lines[0], r.stderr
    assert 'Traceback' not in r.stderr.decode()
