"""`mote measure`: what a board really has for Mote, measured, never estimated.

Two places to measure:

* the emulated Pico (tools/emulated_board.py), running the real RPI_PICO
  firmware: `firmware` is the Mote image (Mote frozen in flash), `mpy` is
  stock MicroPython with `mote flash`'s .mpy files on its filesystem;
* the 32-bit MicroPython unix port (tools/firmware_image.unix32) started
  with -X heapsize= a board's free heap, with that board's .mpy build: the
  closest thing to the other boards that runs here (`mpy` only).

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
WAYS = ("firmware", "mpy")

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
    """An EmulatedBoard with the image for `way`; with `mpy`, Mote is
    flashed to its filesystem first (only what differs)."""
    from tools.emulated_board import EmulatedBoard, ensure_emulator
    from tools.firmware_image import firmware_uf2
    ensure_emulator()
    return EmulatedBoard(firmware_uf2("rp2040", "mote" if way == "firmware" else "stock"),
                         flash_file)


def flash_mote(port):
    from tools import mote_cli
    from tools.flash import flash
    import io
    flash(port, mote_cli.flash_build(mote_cli.load_board("rp2040")), out=io.StringIO())


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

    def one(k):
        with tempfile.TemporaryDirectory() as tmp:
            with emulated_board(way, os.path.join(tmp, "flash.bin")) as board:
                port = board.open()
                if way == "mpy":
                    flash_mote(port)
                result = probe_board(port) if k == 0 else {}
                if corpus is not None:
                    result["runs"] = corpus_on_board(port, parts[k])
        return result

    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        results = list(pool.map(one, range(len(parts))))
    result = results[0]
    result["measured_on"] = "emulated Pico (rp2040js), RPI_PICO v1.28.0 %s" % (
        "with Mote frozen" if way == "firmware" else "stock + .mpy files")
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
    env = dict(os.environ, MICROPYPATH=str(build), MOTE_BOARDS_DIR=str(mote_cli.boards_dir()))
    return subprocess.run([str(unix32()), "-X", "heapsize=%d" % (heap or board["heap"])] + args,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, timeout=timeout, cwd=str(build))


def unix32_build(board, out_dir):
    """The board's files as flashed (its profile as board.json), compiled
    for the 32-bit port: native modules as x86 code."""
    from tools import mote_cli
    mote_cli.compile_firmware(Path(out_dir), board, "x86")
    return Path(out_dir)


def measure_unix32(name, corpus=None):
    from tools import mote_cli
    board = mote_cli.load_board(name)
    with tempfile.TemporaryDirectory() as tmp:
        build = unix32_build(board, tmp)
        probe = Path(tmp) / "probe.py"
        probe.write_text(PROBE)
        r = unix32_run(board, build, [str(probe)])
        result = parse_probe(r.stdout + r.stderr)
        result["measured_on"] = "32-bit MicroPython v1.28.0 unix port, -X heapsize=%d" % board["heap"]
        if corpus is not None:
            runs = {}
            for prog in corpus:
                p = unix32_run(board, build, ["-m", "mote", "run", str(prog), "--board", "board"])
                ok = p.returncode == 0 and p.stdout == prog.with_suffix(".out").read_text()
                runs[prog.stem] = True if ok else (p.stderr.strip().splitlines()[-1:] or ["<no output>"])
            result.update(corpus_summary(runs))
    # the unix port's fib timing is not a board's
    result.pop("fib20_ms", None)
    result.pop("startup_ms", None)
    return result


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
    if way != "mpy":
        raise ValueError("only the Pico's firmware image can be measured here "
                         "(the emulator is an RP2040)")
    return measure_unix32(name, progs)
