"""Board profiles (boards/*.json) and their heap claims. Each profile's
corpus claim is checked on a 32-bit MicroPython unix port (built from the
upstream sources by tools/firmware_image.unix32, as boards are 32-bit) run
with -X heapsize= the board's free heap, from the firmware as `mote build`
compiles it for that board (.mpy files, as flashed; native modules as x86
code)."""
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import BOARDS, CORPUS, micropython_exe
from tools import mote_cli

PROFILES = sorted(p.stem for p in BOARDS.glob("*.json"))
PROGRAMS = sorted(p.stem for p in CORPUS.glob("*.scm"))
MARCH = {"x64", "x86", "armv6m", "armv7m", "armv7emsp", "armv7emdp", "xtensa",
         "xtensawin", "rv32imc"}
# Programs that need no extension module beyond arith: what the core alone
# runs at CORE_HEAP with the smallest profiles' sizes.
CORE_PROGRAMS = ["01_define_lambda", "02_conditionals", "03_let_forms", "04_quasiquote",
                 "05_closures", "06_tail_calls", "08_integers", "10_pairs", "11_lists"]


def profile(name):
    return json.loads((BOARDS / (name + ".json")).read_text())


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    # One mpy-cross build per board, made on first use.
    made = {}

    def get(name):
        if name not in made:
            out = tmp_path_factory.mktemp("build-" + name)
            # for the 32-bit port's architecture: the native modules run there
            mote_cli.compile_firmware(out, mote_cli.load_board(name), "x86")
            made[name] = out
        return made[name]
    return get


def unix32():
    from tools.firmware_image import unix32
    return str(unix32())


def run_on_board(build, boards_dir, board, heap, program, exe):
    # in the build, found as '.': each module's __file__ (a qstr each) is as
    # short as a board's '/arena.mpy', whatever the temporary directory
    env = dict(os.environ, MICROPYPATH=".", MOTE_BOARDS_DIR=str(boards_dir))
    return subprocess.run([exe, "-X", "heapsize=%d" % heap, "-m", "mote", "run",
                           str(CORPUS / (program + ".scm")), "--board", board],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, timeout=600, cwd=str(build))


def run_all(build, boards_dir, board, heap, programs):
    exe = unix32()      # once, before the threads run it
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda p: run_on_board(build, boards_dir, board, heap, p, exe),
                        programs)
        return dict(zip(programs, runs))


def expected(program):
    return (CORPUS / (program + ".out")).read_text()


@pytest.mark.parametrize("name", PROFILES)
def test_profile_has_every_field(name):
    b = profile(name)
    assert b["name"] == name
    for key in ("heap", "arena_words", "stack_words", "symbol_bytes"):
        assert isinstance(b[key], int) and b[key] > 0, key
    assert 256 <= b["arena_words"] <= 32768
    assert b["march"] in MARCH
    assert isinstance(b["native"], bool) and isinstance(b["pwm"], bool)
    assert b["description"] and b["port"]
    lo, hi = b["pins"]
    assert b["led"] is None or isinstance(b["led"], (int, str))
    for bus, keys in (("i2c", ("id", "scl", "sda", "freq")),
                      ("spi", ("id", "sck", "mosi", "miso", "baudrate")),
                      ("uart", ("id", "tx", "rx", "baudrate"))):
        assert set(keys) <= set(b[bus]), bus
    for pin in b["adc"]:
        assert lo <= pin <= hi
    assert b["image"].endswith(".img")
    # a profile either claims the corpus (all but the programs it names)
    # or says that the core does not fit
    if b.get("core_fits") is False:
        assert "corpus_exclude" not in b
    else:
        assert set(b["corpus_exclude"]) <= set(PROGRAMS)
        assert set(b["corpus_exclude"].values()) <= {"heap", "stack"}


def test_the_sizes_fit_the_heap_they_are_given():
    # the arrays Mote allocates at start (arena words + cdr codes, stack,
    # symbol store) fit in what the core leaves of the board's heap (the
    # corpus runs below measure the rest)
    for name in PROFILES:
        b = profile(name)
        if b.get("core_fits") is False:
            continue
        # (CORE_NEED was measured with 2,048 arena and 1,024 stack words)
        arrays = 2.25 * b["arena_words"] + 2 * b["stack_words"] + b["symbol_bytes"]
        assert arrays - (2.25 * 2048 + 2 * 1024 + 1024) < b["heap"] - mote_cli.CORE_NEED, name


CLAIMS = [n for n in PROFILES if n != "unix" and profile(n).get("core_fits") is not False]


@pytest.mark.parametrize("name", CLAIMS)
def test_corpus_runs_at_the_boards_heap(name, builds):
    # unix itself runs the whole corpus from source in test_corpus.py
    if micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    b = profile(name)
    runs = run_all(builds(name), BOARDS, name, b["heap"], PROGRAMS)
    failed = []
    for program, r in runs.items():
        if program in b["corpus_exclude"]:
            # what does not fit still ends as a Lisp error, never a
            # traceback: out of memory or stack overflow (which one the
            # profile notes as measured; a program near both limits may
            # meet the other first after a change elsewhere)
            if r.returncode != 0:
                assert r.stderr.startswith("Error: "), (program, r.stderr[-300:])
                assert "stack overflow" in r.stderr or "out of memory" in r.stderr, \
                    (program, r.stderr[-300:])
        elif r.returncode != 0 or r.stdout != expected(program):
            failed.append((program, r.stderr[-200:]))
    assert not failed, failed


SMALL = [n for n in PROFILES if profile(n).get("core_fits") is False]


@pytest.mark.parametrize("name", SMALL)
def test_core_needs_the_heap_the_readme_says(name, builds, tmp_path):
    # README, Boards: these boards' heaps are below what the core needs on
    # the 32-bit unix port (CORE_HEAP). Checked both ways: the core
    # programs run at that heap with a 2,048-word arena, and at the board's
    # own heap Mote does not start, or runs out of memory in one of them.
    if micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    b = profile(name)
    b["heap"] = mote_cli.CORE_HEAP
    b["arena_words"] = max(b["arena_words"], 2048)     # as README measures it
    b["stack_words"] = max(b["stack_words"], 1024)
    (tmp_path / (name + ".json")).write_text(json.dumps(b))
    runs = run_all(builds(name), tmp_path, name, mote_cli.CORE_HEAP, CORE_PROGRAMS)
    for program, r in runs.items():
        assert r.returncode == 0 and r.stdout == expected(program), (program, r.stderr[-300:])
    runs = run_all(builds(name), BOARDS, name, profile(name)["heap"], CORE_PROGRAMS)
    short = [r for r in runs.values() if r.returncode != 0]
    assert short, name + ": every core program runs at its heap"
    for r in short:
        assert "MemoryError" in r.stderr or r.stderr.startswith("Error: out of memory"), r.stderr


def test_mote_boards_lists_every_profile_with_its_claim():
    r = subprocess.run([os.sys.executable, "-m", "tools.mote_cli", "boards"], cwd=str(BOARDS.parent),
                       stdout=subprocess.PIPE, universal_newlines=True)
    profiles, measured = r.stdout.split("\n\n")
    lines = profiles.splitlines()
    assert lines[0].split()[:6] == ["board", "heap", "arena_words", "stack_words",
                                    "symbol_bytes", "march"]
    for name in PROFILES:
        row = [l for l in lines if l.split()[0] == name]
        assert len(row) == 1
        b = profile(name)
        assert str(b["heap"]) in row[0] and str(b["arena_words"]) in row[0]
        if b.get("core_fits") is False:
            assert "core does not fit" in row[0]
        else:
            assert "corpus %d/%d" % (len(PROGRAMS) - len(b["corpus_exclude"]), len(PROGRAMS)) in row[0]
    # then what `mote measure` recorded, each board and way of installing
    from tools.measure import load_measured
    rows = [l.split() for l in measured.splitlines()[2:]]
    for name, ways in load_measured().items():
        for way, m in ways.items():
            row = [r for r in rows if r[:2] == [name, way]]
            assert len(row) == 1 and row[0][2] == str(m["heap_free_at_prompt"]), (name, way)
            if "corpus_passed" in m:
                assert "%d/%d" % (m["corpus_passed"], m["corpus_run"]) in row[0]


def test_run_on_a_board_too_small_for_the_core_says_so(tmp_path):
    prog = tmp_path / "p.scm"
    prog.write_text("(display 1)")
    r = subprocess.run([os.sys.executable, "-m", "tools.mote_cli", "run", str(prog),
                        "--board", "esp8266"], cwd=str(BOARDS.parent),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2
    assert r.stderr.startswith("mote: board esp8266: its heap (36864 bytes) cannot hold")
    # and `mote flash` of .mpy files is refused before any port is opened,
    # pointing at the way that does fit (test_romfs.py runs it at that heap)
    r = subprocess.run([os.sys.executable, "-m", "tools.mote_cli", "flash", "--board", "esp8266",
                        "--port", str(tmp_path / "no-such-port")], cwd=str(BOARDS.parent),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().endswith("from ROMFS it starts: mote flash --romfs"), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_the_simulated_machine_fits_the_heap_allowed_for_it(tmp_path):
    # `mote run --board B` gives the unix port B's heap plus SIM_HEAP for
    # tools/sim, which a real board has in its firmware
    if micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    script = tmp_path / "simcost.py"
    script.write_text("import gc\ngc.collect()\na = gc.mem_alloc()\n"
                      "import machine, time\np = machine.Pin(25, machine.Pin.OUT)\n"
                      "p.value(1)\ni2c = machine.I2C(0)\ni2c.scan()\n"
                      "gc.collect()\nprint(gc.mem_alloc() - a)\n")
    env = dict(os.environ, MICROPYPATH=str(BOARDS.parent / "tools" / "sim"),
               MOTE_BOARDS_DIR=str(BOARDS), MOTE_SIM="fast")
    r = subprocess.run([micropython_exe(), "-X", "heapsize=400000", str(script)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=env)
    assert r.returncode == 0, r.stderr
    assert 0 < int(r.stdout) <= mote_cli.SIM_HEAP


def test_a_blink_runs_on_a_simulated_pico_at_its_heap(tmp_path):
    log = tmp_path / "log"
    r = subprocess.run([os.sys.executable, "-m", "tools.mote_cli", "run",
                        str(BOARDS.parent / "examples" / "blink.scm"), "--board", "rp2040"],
                       cwd=str(BOARDS.parent), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True,
                       env=dict(os.environ, MOTE_SIM="fast", MOTE_SIM_LOG=str(log)), timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "blinked 10 times\n"
    writes = [l.split() for l in log.read_text().splitlines() if l.split()[1] == "pin"]
    assert [(int(t), int(v)) for t, what, pin, v in writes] == [(500 * k, 1 - k % 2) for k in range(20)]
    assert {pin for t, what, pin, v in writes} == {"25"}


# What `import mote` + a ready Interp() may cost the heap as .mpy files on
# the 32-bit port, less the arena, cdr codes, stack and symbol store
# (`mote measure --modules`): a ratchet on the code diet. Issue 12 aims at
# 48 KB; it was 94,480 bytes before the diet began, 58,160 after folded
# constants, one builtin loader, the built-in names in a file, and start-up,
# the library loader, derived forms and number syntax loaded for their use;
# 53,248 (with the esp32's 6,144-word arena and its mark stack) with the
# error texts in texts.bin, short parameter names, the built-in index in
# names.bin and stats/board_interp/chunk_of out of mote.py; 48,368 with
# the family builtins' table, one arity byte, program symbol tables and
# compiler scope sized by the board, and short private names (which keep
# the prompt under the port's 301st qstr, where it allocates a 2,240-byte
# qstr pool); 48,944 with issue 13's string escapes (\xHH; as UTF-8);
# 49,120 with circular data's check in the printer; 48,752 with character
# names loaded on first use (char_names.py) and one decode() for all text;
# 49,136 with datum labels, |symbols| and #!fold-case in the reader.
CORE_MPY_BUDGET = 48 * 1024


def test_core_as_mpy_files_fits_its_budget():
    from tools.measure import module_table
    rows, arrays, core = module_table("esp32")
    assert [r[0] for r in rows[:core]][-2:] == ["mote", "Interp()"]
    total = sum(r[2] for r in rows[:core])
    assert total <= CORE_MPY_BUDGET, rows[:core]
    # the name tables are not kept by a board's Mote, nor the parts loaded
    # on first use (startup.py is dropped once Interp() is ready)
    loaded = " ".join(r[0] + " " + r[4] for r in rows[:core]).split()
    for m in ("builtin_names", "startup", "autoload", "derived", "number_syntax"):
        assert m not in loaded, m
