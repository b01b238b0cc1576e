"""`mote measure`: what a board really has for Mote, measured, never estimated.

Two places to measure:

* the emulated Pico (tools/emulated_board.py), running the real RPI_PICO
  firmware: `firmware` is the Mote image (Mote frozen in flash), `mpy` is
  stock MicroPython with `mote flash`'s .mpy files on its filesystem,
  `romfs` stock MicroPython with a ROMFS partition that `mote flash
  --romfs` filled;
* the 32-bit MicroPython unix port (tools/firmware_image.unix32) started
  with -X heapsize= a board's free heap, with that board's .mpy build: the
  closest thing to the other boards that runs here (`mpy`, and `romfs`:
  the build in a VfsRom at /rom, the heap left as the board's).

Each measurement is taken from a fresh MicroPython (a soft reset in the raw
REPL): the free heap before `import mote`, after it, and once the REPL is
ready (main.py's path: repl.boot()), the Pico time
from `import mote` done to that point (`ticks_ms`, emulated 125 MHz), and a
(fib 20). With --corpus, the shared corpus runs too, one fresh interpreter
a program, and the pass count is kept with the names of what failed.

Results go to boards/measured/measured.json, {board: {way: {...}}}, which `mote
boards` prints and host_tests/test_measured.py checks against fresh runs.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURED = ROOT / "boards" / "measured" / "measured.json"
CORPUS = ROOT / "host_tests" / "corpus"
WAYS = ("firmware", "mpy", "romfs")

# Run in a fresh MicroPython whose sys.path finds Mote (frozen or files).
# Prints one line: MEASURE heap_before heap_after_import heap_at_prompt
# startup_ms arena_words stack_words fib20_ms.
PROBE = """\
import gc, sys, time
gc.collect()
_h0 = gc.mem_free()
import mote
gc.collect()
_h1 = gc.mem_free()
_t0 = time.ticks_ms()
import repl
_it = repl.boot()
_t1 = time.ticks_ms()
gc.collect()
_h2 = gc.mem_free()
_t2 = time.ticks_ms()
_it.eval_string('(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) (fib 20)')
_t3 = time.ticks_ms()
print('MEASURE', _h0, _h1, _h2, time.ticks_diff(_t1, _t0), _it.board['arena_words'],
      _it.board['stack_words'], time.ticks_diff(_t3, _t2))
"""
FIELDS = ("heap_free_before", "heap_free_after_import", "heap_free_at_prompt",
          "startup_ms", "arena_words", "stack_words", "fib20_ms")


def parse_probe(text):
    m = re.search(r"MEASURE((?: -?\d+){7})", text)
    if not m:
        raise RuntimeError("the probe printed no MEASURE line: %s" % text.strip()[-300:])
    values = [int(v) for v in m.group(1).split()]
    result = dict(zip(FIELDS, values))
    result["import_bytes"] = result["heap_free_before"] - result["heap_free_after_import"]
    return result


def corpus_programs(names=None):
    progs = sorted(CORPUS.glob("*.scm"))
    return [p for p in progs if names is None or p.stem in names]


# ------------------------------------------------------------ emulated Pico

def emulated_board(way, flash_file):
    """An EmulatedBoard with the image for `way`: the Mote image, stock
    firmware (`mpy`), or stock firmware with a ROMFS partition (`romfs`)."""
    from tools.emulated_board import EmulatedBoard, ensure_emulator
    from tools.firmware_image import firmware_uf2, romfs_offset
    ensure_emulator()
    kind = {"firmware": "mote", "mpy": "stock", "romfs": "romfs"}[way]
    return EmulatedBoard(firmware_uf2("rp2040", kind), flash_file,
                         flash_from=romfs_offset("rp2040") if way == "romfs" else None)


def rp2040_build():
    """The rp2040 build as `mote flash` makes it, compiled once: the
    emulated Picos of a --jobs run share it (each compiling build/rp2040
    at once would race)."""
    from tools import mote_cli
    board = mote_cli.load_board("rp2040")
    built = mote_cli.flash_build(board)(board["march"])

    def build(arch):
        if arch != board["march"]:
            raise RuntimeError("the emulated Pico reports -march=%s, not %s" % (arch, board["march"]))
        return built
    return build


def flash_mote(port, build, romfs=False):
    """`mote flash` (or `mote flash --romfs`) of build (rp2040_build())."""
    from tools.flash import flash, flash_romfs
    import io
    (flash_romfs if romfs else flash)(port, build, out=io.StringIO())


def probe_board(port):
    """PROBE on the board at port, in a fresh MicroPython."""
    from tools.board_link import BoardLink
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=True, timeout=20)
        out = link.run(PROBE, timeout=600).decode("utf-8", "replace")
        link.start_main()
    return parse_probe(out)


def corpus_on_board(port, programs):
    """Each program in a fresh interpreter on the board: ({name: passed}."""
    from tools.board_link import BoardLink
    from tools.board_run import run_program
    results = {}
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=False, timeout=20)
        for prog in programs:
            got = []
            try:
                run_program(link, prog.read_bytes(), got.append, timeout=1800)
            except Exception as e:      # a board error: record it, go on
                got.append(("\n<board error: %s>" % e).encode())
            text = b"".join(got).decode("utf-8", "replace")
            results[prog.stem] = text == prog.with_suffix(".out").read_text()
            if not results[prog.stem]:
                results[prog.stem] = text.strip().splitlines()[-1:] or ["<no output>"]
        link.start_main()
    return results


def measure_pico(way, corpus=None, jobs=1):
    """Measure the emulated Pico for way ('firmware' or 'mpy'); the corpus
    is shared among `jobs` emulated Picos (each a core of the host)."""
    from concurrent.futures import ThreadPoolExecutor
    parts = [None] if corpus is None else [corpus[k::jobs] for k in range(jobs)]
    build = rp2040_build() if way != "firmware" else None

    def one(k):
        with tempfile.TemporaryDirectory() as tmp:
            with emulated_board(way, os.path.join(tmp, "flash.bin")) as board:
                port = board.open()
                if way != "firmware":
                    flash_mote(port, build, romfs=way == "romfs")
                result = probe_board(port) if k == 0 else {}
                if corpus is not None:
                    result["runs"] = corpus_on_board(port, parts[k])
        return result

    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        results = list(pool.map(one, range(len(parts))))
    result = results[0]
    result["measured_on"] = "emulated Pico (rp2040js), RPI_PICO v1.28.0 %s" % {
        "firmware": "with Mote frozen", "mpy": "stock + .mpy files",
        "romfs": "stock + a ROMFS partition holding the .mpy files"}[way]
    if corpus is not None:
        runs = {}
        for r in results:
            runs.update(r.pop("runs"))
        result.update(corpus_summary(runs))
    return result


# ---------------------------------------------------------- 32-bit unix port

def unix32_run(board, build, args, heap=None, timeout=1800):
    from tools.firmware_image import unix32
    from tools import mote_cli
    # in the build, found as '.': each module's __file__ (a qstr each) is as
    # short as a board's '/arena.mpy', whatever the temporary directory
    env = dict(os.environ, MICROPYPATH=".", MOTE_BOARDS_DIR=str(mote_cli.boards_dir()))
    return subprocess.run([str(unix32()), "-X", "heapsize=%d" % (heap or board["heap"])] + args,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, timeout=timeout, cwd=str(build))


def unix32_build(board, out_dir):
    """The board's files as flashed (its profile as board.json), compiled
    for the 32-bit port: native modules as x86 code."""
    from tools import mote_cli
    mote_cli.compile_firmware(Path(out_dir), board, "x86")
    return Path(out_dir)


# What `import mote` loads, each module after those it imports, so that
# each is charged its own bytecode, objects and qstrs; then Interp(); then
# the builtin families a program loads on first use (a module that pulls
# in one not yet loaded is charged for it too, and says so).
CORE_MODULES = ("compat", "arena", "symbols", "args", "printer", "reader", "collector",
                "evaluator", "builtin_table", "compiler", "mote")
ON_DEMAND = ("arith", "numeric", "elementary", "text", "strings", "ports", "data", "hash_tables", "control", "system",
             "hardware", "image", "command", "repl", "autoload", "derived", "number_syntax",
             "char_names", "circular", "port_input", "interop", "netclient")

# (The module names come from argv, not literals: the probe's own qstrs
# would count towards MicroPython's next qstr pool.)
MODULE_PROBE = """\
import gc, sys, micropython
def step(name):
    gc.collect()
    print('STEP', name, gc.mem_free(), ' '.join(m for m in sys.modules if m not in seen))
    seen.update(sys.modules)
    micropython.qstr_info()
core, later = sys.argv[1].split(','), sys.argv[2].split(',')
seen = set(sys.modules)
step('-')
for m in core:
    __import__(m)
    step(m)
it = sys.modules['mote'].Interp(board='board')
step('Interp()')
print('ARRAYS', 2 * len(it.heap.W) + len(it.heap.C) + 2 * len(it.S) + len(it.symbols.names))
for m in later:
    __import__(m)
    step(m)
"""


def module_table(name):
    """What Mote costs on the 32-bit unix port with the board's .mpy build:
    rows [module, .mpy bytes, heap bytes, new qstrs, also loaded] for each
    module `import mote` loads, then Interp() (its heap bytes leave out the
    arena, cdr codes, stack and symbol store), then each module loaded on
    first use. Returns (rows, bytes of those arrays, rows before the
    on-demand ones)."""
    from tools import mote_cli
    board = mote_cli.load_board(name)
    with tempfile.TemporaryDirectory() as tmp:
        build = unix32_build(board, tmp)
        probe = Path(tmp) / "probe_modules.py"
        probe.write_text(MODULE_PROBE)
        r = unix32_run(board, build, [str(probe), ",".join(CORE_MODULES), ",".join(ON_DEMAND)],
                       heap=max(board["heap"], 512 * 1024))
        sizes = {p.stem: p.stat().st_size for p in Path(tmp).glob("*.mpy")}
    steps = re.findall(r"STEP (\S+) (\d+) ?([^\n]*)\n[^\n]*n_qstr=(\d+)", r.stdout)
    arrays = re.search(r"ARRAYS (\d+)", r.stdout)
    if len(steps) != len(CORE_MODULES) + len(ON_DEMAND) + 2 or not arrays:
        raise RuntimeError("the module probe failed: %s" % (r.stdout + r.stderr)[-400:])
    rows = []
    for (_, free0, _, q0), (mod, free, new, q) in zip(steps, steps[1:]):
        loaded = new.split()
        rows.append([mod, sum(sizes.get(m, 0) for m in loaded), int(free0) - int(free),
                     int(q) - int(q0), " ".join(m for m in loaded if m != mod)])
    core = len(CORE_MODULES) + 1
    rows[core - 1][2] -= int(arrays.group(1))
    return rows, int(arrays.group(1)), core


# The 32-bit port with a board's build in a VfsRom at /rom, as `mote flash
# --romfs` leaves a board: the image is read into the heap first, then a
# ballast leaves exactly the board's free heap, so what follows sees what
# the board would (its flash holds the image there). argv: image, free
# heap, then the probe or `run FILE`.
ROMFS_WRAPPER = """\
import gc, sys, vfs
with open(sys.argv[1], 'rb') as f:
    _image = f.read()
gc.collect()
_ballast = bytearray(gc.mem_free() - int(sys.argv[2]))
gc.collect()
vfs.mount(vfs.VfsRom(_image), '/rom')
sys.path.append('/rom')
del sys.argv[:3]
if sys.argv[0] == 'run':
    import mote, command
    sys.exit(command.main(['mote'] + sys.argv, mote.Interp))
exec(open(sys.argv[0]).read())
"""


def unix32_romfs(board, build, out_dir):
    """Write the board's ROMFS image of build (all but main.py, as `mote
    flash --romfs` deploys it) and the wrapper into out_dir; returns the
    argv prefix that runs the wrapper over it."""
    from tools.flash import romfs_image
    names = [p.name for p in Path(build).iterdir() if p.is_file() and p.name != "main.py"
             and not p.name.startswith("probe")]
    image = Path(out_dir) / "mote.romfs"
    image.write_bytes(romfs_image(Path(build), names))
    wrapper = Path(out_dir) / "romfs_wrapper.py"
    wrapper.write_text(ROMFS_WRAPPER)
    return [str(wrapper), str(image), str(board["heap"])], image.stat().st_size


def measure_unix32(name, corpus=None, romfs=False):
    """The board's build on the 32-bit port at its heap: as .mpy files, or
    (romfs) in a VfsRom at /rom as `mote flash --romfs` leaves a board."""
    from tools import mote_cli
    board = mote_cli.load_board(name)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as img:
        build = unix32_build(board, tmp)
        prefix, heap, where = [], board["heap"], "-X heapsize=%d" % board["heap"]
        if romfs:
            prefix, size = unix32_romfs(board, build, img)
            heap += size + 65536
            where = "VfsRom image at /rom, %d bytes free" % board["heap"]
            build = Path(img)           # (the files themselves would shadow /rom)
        probe = Path(img) / "probe.py"
        probe.write_text(PROBE)
        r = unix32_run(board, build, prefix + [str(probe)], heap=heap)
        result = parse_probe(r.stdout + r.stderr)
        result["measured_on"] = "32-bit MicroPython v1.28.0 unix port, " + where
        if romfs:
            result["romfs_bytes"] = size
        if corpus is not None:
            runs = {}
            for prog in corpus:
                p = unix32_run(board, build, prefix + (["run"] if romfs else ["-m", "mote", "run"])
                               + [str(prog), "--board", "board"], heap=heap)
                ok = p.returncode == 0 and p.stdout == prog.with_suffix(".out").read_text()
                runs[prog.stem] = True if ok else (p.stderr.strip().splitlines()[-1:] or ["<no output>"])
            result.update(corpus_summary(runs))
    # the unix port's fib timing is not a board's
    result.pop("fib20_ms", None)
    result.pop("startup_ms", None)
    return result


def measure_unix32_romfs(name, corpus=None):
    return measure_unix32(name, corpus, romfs=True)


def corpus_summary(runs):
    failed = {k: v[0] for k, v in runs.items() if v is not True}
    return {"corpus_passed": len(runs) - len(failed), "corpus_run": len(runs),
            "corpus_failed": failed}


# ------------------------------------------------------------------ record

def load_measured():
    try:
        return json.loads(MEASURED.read_text())
    except (OSError, ValueError):
        return {}


def record(name, way, result):
    data = load_measured()
    data.setdefault(name, {})[way] = result
    MEASURED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def measure(name, way, corpus=False, programs=None, jobs=1):
    progs = corpus_programs(programs) if corpus else None
    if name == "rp2040":
        return measure_pico(way, progs, jobs)
    if way == "firmware":
        raise ValueError("only the Pico's firmware image can be measured here "
                         "(the emulator is an RP2040)")
    return (measure_unix32_romfs if way == "romfs" else measure_unix32)(name, progs)
