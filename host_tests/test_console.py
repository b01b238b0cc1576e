"""tools/console.py, the serial console, against Mote on the MicroPython unix
port behind a pair of ptys (no hardware): the console under pexpect for the
interactive side, piped stdin for the rest, and the balancer alone."""
import io
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
import tty
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.console import PROMPT_RE, balanced, matching, scan, split_prompt  # noqa: E402

pexpect = pytest.importorskip("pexpect")
MICROPYTHON = ROOT / ".venv" / "bin" / "micropython"
BOARD = "rp2040"                # what `make sim` gives a newcomer


@pytest.fixture(scope="module")
def flashed(tmp_path_factory):
    """A flash directory with Mote flashed on it by `mote flash`'s code,
    for virtual boards (tools/vboard.py) to boot from."""
    if not MICROPYTHON.exists():
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    from tools import mote_cli
    from tools.flash import flash
    old = os.environ.get("MOTE_BUILD_DIR")
    os.environ["MOTE_BUILD_DIR"] = str(tmp_path_factory.mktemp("build"))
    try:
        profile = mote_cli.load_board(BOARD)
        flash_dir = tmp_path_factory.mktemp("flash")
        with mote_cli.virtual_board(profile, flash_dir)[0] as vb:
            flash(vb.open(), mote_cli.flash_build(profile), out=io.StringIO())
        yield lambda: mote_cli.virtual_board(profile, flash_dir)[0]
    finally:
        if old is None:
            os.environ.pop("MOTE_BUILD_DIR", None)
        else:
            os.environ["MOTE_BUILD_DIR"] = old


@pytest.fixture
def board(flashed):
    """A virtual rp2040 booting into Mote (main.py), as a Pico does."""
    vb = flashed()
    vb.port = vb.open()
    yield vb
    vb.close()


def read_until(port_fd, pattern, seconds=20):
    got = b""
    deadline = time.monotonic() + seconds
    while not re.search(pattern, got):
        assert time.monotonic() < deadline, got
        r, _, _ = select.select([port_fd], [], [], 0.1)
        if r:
            got += os.read(port_fd, 4096)
    return got


RUN = ("import sys; sys.path.insert(0, %r); from tools.console import run, ConsoleError\n"
       "try:\n    sys.exit(run(sys.argv[1], history_path=sys.argv[2]))\n"
       "except ConsoleError as e:\n    sys.stderr.write('mote: %%s\\n' %% e); sys.exit(2)\n" % str(ROOT))


def console(port, history, **kw):
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm")
    child = pexpect.spawn(sys.executable, ["-c", RUN, port, str(history)], env=env,
                          encoding="utf-8", timeout=10, dimensions=(40, 200), **kw)
    child.expect(r"\d+>")
    return child


def piped(port, text, timeout=20):
    return subprocess.run([sys.executable, "-c", RUN, port, "/dev/null"], input=text,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


PROMPT = r"\d+>"


def send(child, line):
    child.send(line + "\r")


def answer(child, pattern):
    # The answer, then the console's prompt: keys typed before it are read
    # by the terminal in cooked mode (a Ctrl-D there is lost).
    child.expect(pattern)
    child.expect(PROMPT)


def quit_console(child):
    child.sendeof()
    child.expect(pexpect.EOF)
    child.wait()
    return child.exitstatus


# ------------------------------------------------------------- balancer

def test_balancer_counts_only_real_parentheses():
    assert balanced("(+ 1 2)") and balanced("") and balanced("42")
    assert not balanced("(define (f x)\n")
    assert balanced('(display "(((")') and balanced('(display "\\"(")')
    assert not balanced('(display "\\\\" (')
    assert balanced('(display "a\\"b")')
    assert balanced("(f) ; (((") and not balanced("(f ; )\n")
    assert balanced("(f #| ( |# )") and not balanced("(f #| #| |# ) |#")
    assert balanced("(list #\\( #\\) #\\; #\\\")")
    assert not balanced('(display "abc') and not balanced("#| open")
    assert balanced("(f))")             # a stray ) is the board's to report
    assert scan("(a (b") == (2, False, 0)


def test_matching_skips_strings_and_chars():
    text = '(a "(" #\\) (b))'
    assert matching(text, 0) == len(text) - 1
    assert matching(text, len(text) - 1) == 0
    assert matching(text, text.index("(b")) == len(text) - 2
    assert matching("(a", 0) is None


def test_split_prompt_finds_the_prompt_on_a_line_of_its_own():
    # the board's REPL starts a prompt on a new line, so output digits
    # never run into it
    assert split_prompt("12\n16000> ") == ("12\n", "16000> ")
    assert split_prompt("3\r\n16000> ") == ("3\r\n", "16000> ")
    assert split_prompt("16000> ") == ("", "16000> ")
    assert split_prompt("x  ") == ("x", "  ")
    assert PROMPT_RE.search("a 5> ") is None          # output, not a prompt
    assert PROMPT_RE.search("a\n5> ").group(1) == "5"
    assert split_prompt("100> 98> ") == ("100> ", "98> ")    # after an empty line


# ------------------------------------------------------------- piped and errors

def test_piped_input_prints_only_the_output(board):
    r = piped(board.port, "(+ 1 2)\n")
    assert (r.stdout, r.stderr, r.returncode) == ("3\n", "", 0)
    r = piped(board.port, '(define (f x)\n  (* x 2))\n(f 21)\n(display 12)\n(car 5)\n'
                          '(display "a\\n")\n(newline)\n')
    assert r.stdout.startswith("42\n12\nError: ") and r.stdout.endswith("\na\n\n")
    assert r.returncode == 0


def scripted_board(answers):
    """A pty that answers each line the console sends with the next of
    answers (bytes, written in the pieces given); returns its path and a
    function that closes it."""
    import threading
    m, s = pty.openpty()
    tty.setraw(s)

    def serve():
        for pieces in answers:
            got = b""
            while not got.endswith(b"\n"):
                r, _, _ = select.select([m], [], [], 10)
                if not r:
                    return
                got += os.read(m, 100)
            for piece in pieces:
                os.write(m, piece)
                time.sleep(0.15)
    threading.Thread(target=serve, daemon=True).start()

    def close():
        os.close(m)
        os.close(s)
    return os.ttyname(s), close


def test_a_board_still_booting_at_connect_prints_no_reset_note():
    # the board answers the handshake's newline from its old session, then
    # finishes booting (banner and prompt) before the first form is sent
    port, close = scripted_board([
        [b"\r\n1> ", b"MPY: soft reboot\r\nMote Scheme on unix (free 9000)\r\n1> "],
        [b"3\r\n1> "]])
    try:
        r = piped(port, "(+ 1 2)\n")
    finally:
        close()
    assert (r.stdout, r.returncode) == ("3\n", 0), r.stderr


def test_nonexistent_port_is_a_one_line_error(tmp_path):
    r = piped(str(tmp_path / "ttyNOPE"), "(+ 1 2)\n")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("mote: cannot open ") and r.stderr.count("\n") == 1


def test_silent_port_is_a_one_line_error():
    m, s = pty.openpty()
    tty.setraw(s)
    try:
        r = piped(os.ttyname(s), "(+ 1 2)\n")
    finally:
        os.close(m)
        os.close(s)
    assert r.returncode == 2
    assert r.stderr.startswith("mote: no answer from ") and r.stderr.count("\n") == 1


# ------------------------------------------------------------- interactive

def test_define_call_interrupt_and_commands(board, tmp_path):
    c = console(board.port, tmp_path / "hist")
    send(c, "(define (sq x)")              # Enter inside a form: a new line
    send(c, "  (* x x))")
    c.expect(PROMPT)
    send(c, "(sq 7)")
    answer(c, "49\r\n")
    send(c, "(let loop () (loop))")
    time.sleep(0.5)
    c.sendintr()
    answer(c, "Interrupted")
    send(c, "(sq 8)")
    answer(c, "64\r\n")
    send(c, ":help")
    c.expect(":load FILE")
    answer(c, ":reset")
    send(c, ":foo")
    answer(c, r"\[mote: unknown command :foo")
    c.send("(abc def")                 # Ctrl-C at the prompt clears the line
    c.sendintr()
    send(c, "(sq 9)")
    answer(c, "81\r\n")
    assert quit_console(c) == 0


def test_history_and_completion(board, tmp_path):
    hist = tmp_path / "hist"
    c = console(board.port, hist)
    send(c, "(define (zebra-count) (+ 70 7))")
    c.expect(PROMPT)
    c.send("(zebra-c\t")
    time.sleep(0.3)
    send(c, ")")
    answer(c, "77\r\n")
    c.send('(string-upc\t')
    time.sleep(0.3)
    send(c, ' "ab")')
    answer(c, '"AB"\r\n')
    send(c, "(* 6 1001)")
    answer(c, "6006\r\n")
    assert quit_console(c) == 0
    assert "(* 6 1001)" in hist.read_text()
    c = console(board.port, hist)           # a new session: Up recalls it
    c.send("\x1b[A")
    time.sleep(0.3)
    c.send("\r")
    answer(c, "6006\r\n")
    assert quit_console(c) == 0


def test_load_streams_a_file_and_reports_the_error_line(board, tmp_path):
    good = tmp_path / "good.scm"
    good.write_text(';; definitions\n\n(define (double x)\n  ; twice\n  (* 2 x))\n\n'
                    '(define (paren-str)\n  "(((")\n(define (quad x)\n'
                    '  (double\n    (double x)))\n(define chars (list #\\( #\\;))\n')
    bad = tmp_path / "bad.scm"
    bad.write_text("(define a 1)\n(define b\n  (car 5))\n(define never-defined 3)\n")
    c = console(board.port, tmp_path / "hist")
    send(c, ":load %s" % good)
    answer(c, r"\[mote: loaded ")
    send(c, "(list (quad 5) (paren-str) chars)")
    answer(c, r'\(20 "\(\(\(" \(#\\\( #\\;\)\)')
    send(c, ":load %s" % bad)
    c.expect("Error: ")
    answer(c, r"stopped at the error in the form at line 2 \(line 3 sent last\)")
    send(c, "(list a (quad 1))")
    answer(c, r"\(1 4\)")
    send(c, "never-defined")
    answer(c, "Error: ")
    assert quit_console(c) == 0


def test_idle_output_shows_while_at_the_prompt(board, tmp_path):
    c = console(board.port, tmp_path / "hist")
    send(c, '(every-ms 100 (lambda () (display "tick") (newline)))')
    c.expect(PROMPT)
    c.expect("tick")
    c.expect("tick")
    send(c, "(stop-timers)")
    send(c, "(+ 2 3)")
    answer(c, "5\r\n")
    assert quit_console(c) == 0


def test_reset_and_a_board_found_at_the_python_prompt(board, tmp_path):
    fd = os.open(board.port, os.O_RDWR | os.O_NOCTTY)
    try:                                # leave Mote for MicroPython's prompt
        read_until(fd, rb"\d+> $")
        os.write(fd, b"(exit)\n")
        read_until(fd, rb">>> $")
    finally:
        os.close(fd)
    c = console(board.port, tmp_path / "hist")
    assert "MicroPython's >>> prompt; starting Mote" in c.before
    send(c, "(define kept 5)")
    c.expect(PROMPT)
    send(c, "(+ kept 1)")
    answer(c, "6\r\n")
    send(c, ":reset")
    answer(c, r"\[mote: Mote restarted\]")
    send(c, "kept")
    answer(c, "Error: ")
    send(c, "(+ 1 1)")
    answer(c, "2\r\n")
    assert quit_console(c) == 0


def test_a_reset_while_idle_is_reported(board, tmp_path):
    c = console(board.port, tmp_path / "hist")
    send(c, "(define kept 5)")
    c.expect(PROMPT)
    time.sleep(1)
    # behind the console's back the board restarts (as after a
    # watchdog or the reset button): MicroPython dies, the board boots
    os.kill(board._child.proc.pid, signal.SIGKILL)
    c.expect(r"\[mote: board reset\]")
    time.sleep(0.3)
    send(c, "(list 1 2)")
    answer(c, r"\(1 2\)")
    send(c, "kept")
    answer(c, "Error: ")
    assert quit_console(c) == 0


def test_a_board_that_disconnects_and_comes_back(flashed, tmp_path):
    # A board unplugged and plugged in again: its device path (here a
    # symlink, as /dev/ttyACM0 is) goes away and comes back.
    link = tmp_path / "ttyACM0"
    first = flashed()
    os.symlink(first.open(), str(link))
    c = None
    second = None
    try:
        c = console(str(link), tmp_path / "hist")
        send(c, "(+ 40 2)")
        answer(c, "42\r\n")
        first.close()                                   # unplugged
        c.expect(r"disconnected; reconnecting")
        link.unlink()
        second = flashed()
        os.symlink(second.open(), str(link))            # plugged in again
        c.expect(r"\[mote: reconnected\]")
        time.sleep(0.5)
        send(c, "(* 6 7)")
        answer(c, "42\r\n")
        assert quit_console(c) == 0
    finally:
        if c is not None and c.isalive():
            c.terminate(force=True)
        first.close()
        if second is not None:
            second.close()


# ------------------------------------------- the usual clients, saved images
# Each check takes a port with Mote running on it, so that the emulated
# Pico (test_emulator.py) runs the same ones.

MPREMOTE = ROOT / ".venv" / "bin" / "mpremote"
AMPY = ROOT / ".venv" / "bin" / "ampy"


def client(*argv, timeout=120):
    proc = subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stdout
    return proc.stdout


def check_clients_reach_python_while_mote_runs(port, tmp_path):
    """mpremote and ampy, with no extra step, while Mote's REPL owns the
    line (main.py): they send Ctrl-C, Ctrl-A as to any board, and Mote
    answers with MicroPython's raw REPL; the Lisp session lives on."""
    assert "64\n" in piped(port, "(define kept 64)\nkept\n").stdout
    assert client(MPREMOTE, "connect", port, "exec", "print(6 * 7)") == "42\n"
    src = tmp_path / "data.txt"
    src.write_bytes(bytes(range(32, 127)) * 40 + b"\n")      # several raw-paste windows
    back = tmp_path / "back.txt"
    client(MPREMOTE, "connect", port, "fs", "cp", src, ":data.txt", "+",
           "fs", "cp", ":data.txt", back)
    assert back.read_bytes() == src.read_bytes()
    assert "/data.txt" in client(AMPY, "-p", port, "ls").split()
    proc = subprocess.run([str(MPREMOTE), "connect", port, "exec", "raise ValueError('named')"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, timeout=60)
    assert proc.returncode != 0 and "ValueError: named" in proc.stdout
    client(MPREMOTE, "connect", port, "fs", "rm", ":data.txt")
    assert "65\n" in piped(port, "(+ kept 1)\n").stdout


def check_save_image_survives_a_reset(port, tmp_path, autorun=True):
    """(save-image), a reset (boot restores the image), (load-image) over
    a changed session, then an autorun at the next boot."""
    c = console(port, tmp_path / "hist")
    send(c, "(define saved-value 4321)")
    c.expect(PROMPT)
    send(c, "(save-image)")
    answer(c, r"\d{3,}\r\n")
    send(c, ":reset")                   # boot restores the saved session
    answer(c, r"\[mote: Mote restarted\]")
    send(c, "(= saved-value 4321)")            # (short answers: a long one
    answer(c, "#t")                             # may wrap on the screen)
    send(c, "(define saved-value 0)")
    c.expect(PROMPT)
    send(c, "(load-image)")
    c.expect(PROMPT)
    send(c, "(= saved-value 4321)")
    answer(c, "#t")
    if not autorun:
        assert quit_console(c) == 0
        return
    send(c, '(define (hello) (display "autorun ran ") (display saved-value))')
    c.expect(PROMPT)
    send(c, "(save-image 'hello)")
    answer(c, r"\d{3,}\r\n")
    send(c, ":reset")
    c.expect("autorun ran 4321", timeout=60)
    c.expect(PROMPT)
    send(c, "(= saved-value 4321)")
    answer(c, "#t")
    assert quit_console(c) == 0
    # boots clean again (a board still busy booting may miss the first rm)
    said = []
    for attempt in range(3):
        for name in (":mote.img", ":mote.img.bak"):
            said.append(subprocess.run([str(MPREMOTE), "connect", port, "fs", "rm", name],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       universal_newlines=True, timeout=60).stdout)
        listing = client(MPREMOTE, "connect", port, "fs", "ls")
        if "mote.img" not in listing:
            break
    assert "mote.img" not in listing, said


def test_mpremote_and_ampy_work_while_mote_runs(board, tmp_path):
    check_clients_reach_python_while_mote_runs(board.port, tmp_path)


def test_save_image_reset_and_load_image_on_the_virtual_board(board, tmp_path):
    check_save_image_survives_a_reset(board.port, tmp_path)
