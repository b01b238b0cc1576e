"""`mote run FILE --port P` and `mote test-board --port P`: Mote programs run
on a board (or a virtual board) that `mote flash` has set up.

Each program runs in a fresh MicroPython (a soft reset in the raw REPL), as
`mote.py run` does on the host: the file is written to the board, then
command.main runs it there with the board's own profile (board.json), its
output streamed back as it comes; its exit status is read afterwards.
"""

import sys
from pathlib import Path

from tools.board_link import BoardError, BoardLink

PROGRAM = "mote-run.scm"        # where the program goes on the board
RUN_CODE = ("import command\n"
            "_mote_rc = command.main(['mote', 'run', %r, '--board', 'board'])" % PROGRAM)


class LineEnds:
    """Turns the board's \\r\\n into \\n as bytes stream through (a board's
    stdout adds the \\r; the unix port's does not)."""

    def __init__(self, write):
        self.write = write
        self.cr = False

    def __call__(self, data):
        if self.cr and not data.startswith(b"\n"):
            self.write(b"\r")
        self.cr = data.endswith(b"\r")
        if self.cr:
            data = data[:-1]
        self.write(data.replace(b"\r\n", b"\n"))


def run_program(link, source, write, timeout=None):
    """Run the program text `source` (bytes) on the board in a fresh
    interpreter; its output goes to write(bytes). Returns its exit status."""
    link.soft_reset()
    link.write_file(PROGRAM, source)
    link.run(RUN_CODE, timeout, LineEnds(write))
    rc = link.eval("_mote_rc")
    link.remove(PROGRAM)
    try:
        return int(rc)
    except ValueError:
        raise BoardError("the board ran the program but gave no exit status (%s)" % rc)


def run_file(port, path):
    """mote run FILE --port P: the program's output on stdout; 1 after a
    Lisp error, 130 after Ctrl-C (which interrupts the board too)."""
    source = Path(path).read_bytes()
    out = sys.stdout.buffer

    def write(data):
        out.write(data)
        out.flush()
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=False)
        try:
            return run_program(link, source, write)
        except KeyboardInterrupt:
            link.serial.write(b"\x03")
            sys.stderr.write("Interrupted\n")
            return 130


# A corpus program whose output needs double-precision floats says so.
NEEDS_DOUBLE = b";; needs: double-precision floats"

# Why a program is left out: a profile's corpus_exclude, or the firmware.
EXCLUDED_FOR = {"heap": "too big for the heap", "stack": "too deep for the stack",
                "float32": "single-precision floats"}


def test_board(port, corpus, out=None):
    """mote test-board: every corpus program that the board's profile does
    not exclude (corpus_exclude: too big for its heap), its output compared
    with the .out file beside it. Prints each failure and a final
    `N passed, N failed` line; returns 1 if any failed."""
    out = out or sys.stdout
    programs = sorted(Path(corpus).glob("*.scm"))
    if not programs:
        raise BoardError("no corpus programs (*.scm) in %s" % corpus)
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=False)
        profile = link.profile()
        if profile is None:
            raise BoardError("%s has no readable board.json: flash Mote first (mote flash)"
                             % port)
        exclude = dict(profile.get("corpus_exclude") or {})
        if link.eval("1.0 + 2.0 ** -40 != 1.0") == "False":
            # the firmware's floats are 32-bit (stock rp2, esp32 ...): the
            # corpus programs that print double-precision digits cannot match
            for prog in programs:
                if NEEDS_DOUBLE in prog.read_bytes():
                    exclude[prog.stem] = "float32"
        passed = failed = skipped = 0
        for prog in programs:
            if prog.stem in exclude:
                skipped += 1
                continue
            got = []
            run_program(link, prog.read_bytes(), got.append, timeout=120)
            text = b"".join(got).decode("utf-8", "replace")
            want = prog.with_suffix(".out").read_text()
            if text == want:
                passed += 1
                continue
            failed += 1
            out.write("FAIL %s\n%s\n" % (prog.stem, first_difference(want, text)))
            out.flush()
        link.start_main()
    if skipped:
        reasons = sorted(set(exclude[p.stem] for p in programs if p.stem in exclude))
        out.write("%d skipped: %s on %s\n"
                  % (skipped, ", ".join(EXCLUDED_FOR.get(r, r) for r in reasons),
                     profile.get("name", "the board")))
    out.write("%d passed, %d failed\n" % (passed, failed))
    return 1 if failed else 0


def first_difference(want, got):
    """Where two outputs part: the first differing line of each."""
    a, b = want.splitlines(), got.splitlines()
    for k in range(max(len(a), len(b))):
        x = a[k] if k < len(a) else "<end>"
        y = b[k] if k < len(b) else "<end>"
        if x != y:
            return "  line %d: expected %r\n           got      %r" % (k + 1, x, y)
    return "  (they differ only in line ends)"
