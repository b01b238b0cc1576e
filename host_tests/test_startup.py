"""Start-up: Interp() does no work in proportion to the arena or the stack
(counted, not timed), and the firmware takes library.scm, help.txt and the
board profile from the frozen module motedata when there is one."""
import json
import os
import shutil
import subprocess
import sys
import types

import pytest

from conftest import FIRMWARE, BOARDS, ROOT, fresh, run_micropython

SMALL = dict(arena_words=4096, stack_words=2048)
BIG = dict(arena_words=32768, stack_words=16384)
# Python lines Interp(board='rp2040') runs (CPython's line events in the
# firmware's files): 36,994 when this was written, 131,839 before (when
# start-up hashed, measured and parsed the names a character at a time and
# filled the arena and the stack word by word).
LINE_BUDGET = 45000


def lines_run(**sizes):
    import mote
    mote.Interp(board='rp2040', **sizes)      # every module imported first
    fw = str(FIRMWARE)
    count = [0]

    def local(frame, event, arg):
        if event == 'line':
            count[0] += 1
        return local

    def call(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(fw) else None

    sys.settrace(call)
    try:
        mote.Interp(board='rp2040', **sizes)
    finally:
        sys.settrace(None)
    return count[0]


def test_start_up_runs_no_more_python_for_a_bigger_arena_or_stack():
    small = lines_run(**SMALL)
    big = lines_run(**BIG)
    assert small <= LINE_BUDGET, small
    # a few more turns of the loop that doubles a C copy (the cdr codes'
    # fill); a loop over the words would add tens of thousands, one over
    # the arena's 2048-word runs over a hundred
    assert big - small <= 64, (small, big)


def test_the_arena_starts_untouched_and_counts_as_free():
    from arena import NOLINK, MAXSIZE
    from verify import verify
    it = fresh(**BIG)
    h = it.heap
    assert h.top == 0 and h.free == NOLINK and h.free2 == NOLINK
    st = it.stats()
    assert st['bytes_free'] == 2 * 32768 and st['pairs_free'] == 16384
    verify(it)
    it.eval_string("(define l (list 1 2 3))")
    assert h.top == MAXSIZE + 1             # one run threaded, the rest untouched
    verify(it)
    it.eval_string("(define v (make-vector 2000 0)) (define s (make-string 3000 #\\a))")
    verify(it)
    assert h.top < 32768
    it.eval_string("(room)")
    room = "".join(it.output)
    free = int(room.split("free: ")[1].split()[0])
    assert 0 <= free - it.stats()['bytes_free'] <= 16     # one-word runs are on no list
    it.eval_string("(gc)")                  # the sweep threads the untouched words
    assert h.top == 32768
    verify(it)
    assert it.eval_string("(length l)") == "3" and it.eval_string("(vector-length v)") == "2000"


def test_untouched_words_are_used_before_the_collector_runs():
    from arena import Heap, LispError, NIL
    runs = []
    h = Heap(8192)
    h.collector = lambda: runs.append(1)    # frees nothing
    pairs = [h.cons(k, NIL) for k in range(4096)]
    assert len(set(pairs)) == 4096 and not runs and h.top == 8192
    with pytest.raises(LispError, match="out of memory"):
        h.cons(1, NIL)
    assert runs == [1]


@pytest.mark.parametrize("n", [64, 2049, 2050, 2051, 4100])
def test_an_arena_of_any_size_holds_as_many_pairs_as_its_runs(n):
    # threaded MAXSIZE+1 words at a time as they are needed, as the whole
    # arena once was at start-up: a run of t words holds t // 2 pairs
    from arena import Heap, LispError, NIL, MAXSIZE
    h = Heap(n)
    h.collector = lambda: None
    k = 0
    with pytest.raises(LispError, match="out of memory"):
        while True:
            h.cons(k, NIL)
            k += 1
    runs = [MAXSIZE + 1] * (n // (MAXSIZE + 1)) + [n % (MAXSIZE + 1)]
    assert k == sum(t // 2 for t in runs)


def test_a_collection_cut_while_threading_leaves_a_parseable_arena():
    # add_free marks its words touched before threading them: a cut
    # between leaves free words, never an untouched word on a free list
    from verify import verify
    it = fresh(arena_words=8192)
    h = it.heap
    it.eval_string("(define l (iota 100))")
    real = h.add_free

    def cut(a, b):
        # as add_free does: all of a..b touched first, then a cut after
        # its first run, the words after it still zero
        h.top = max(h.top, b)
        real(a, min(b, a + 2048))
        if b > a + 2048:
            raise KeyboardInterrupt

    h.add_free = cut
    with pytest.raises(KeyboardInterrupt):
        it.collector.collect()
    h.add_free = real
    it.recover()
    verify(it)
    assert it.eval_string("(length l)") == "100"


ARRAYS = r"""
import sys, micropython, gc
sys.path.insert(0, %r)
from mote import Interp
Interp(board='rp2040')
for sizes in (dict(arena_words=4096, stack_words=2048),
              dict(arena_words=32768, stack_words=16384)):
    gc.collect()
    a = micropython.mem_total()
    it = Interp(board='rp2040', **sizes)
    print(micropython.mem_total() - a)
    it = None
"""


def test_bigger_arrays_cost_their_own_bytes_and_nothing_more_on_micropython(tmp_path):
    # Every byte MicroPython allocates (micropython.mem_total) in Interp()
    # at 32,768 arena / 16,384 stack words beyond 4,096 / 2,048: the
    # arena (2 bytes a word), its cdr codes (a quarter byte) and the stack
    # (2 bytes), with no temporary copy of any of them
    script = tmp_path / "arrays.py"
    script.write_text(ARRAYS % str(FIRMWARE))
    r = run_micropython([str(script)], heap=400000)
    assert r.stderr == ""
    small, big = [int(x) for x in r.stdout.split()]
    grown = 2 * (32768 - 4096) + (32768 - 4096) // 4 + 2 * (16384 - 2048)
    assert abs(big - small - grown) <= 1024, (small, big)


# -- library.scm, read by bytes.find -------------------------------------------------------

def reference_library(text):
    # library.scm's names, macros and chunks, line by line (as it was read)
    names, macros, chunks = [], [], {}
    current = None
    for line in text.split(b"\n"):
        if line.startswith(b";;; "):
            current = [line[4:].split(), []]
            names.extend(current[0])
            for nm in current[0]:
                chunks[nm] = current[1]
            continue
        if line.startswith(b"(define-macro ("):
            macros.append(line[15:].split()[0].rstrip(b")"))
        if current:
            current[1].append(line)
    return names, macros, {nm: b"\n".join(c) + b"\n" for nm, c in chunks.items()}


@pytest.mark.parametrize("chunk", [1024, 128])
def test_library_scan_finds_what_reading_line_by_line_finds(monkeypatch, chunk):
    import builtin_names
    import autoload
    monkeypatch.setattr(autoload, "CHUNK", chunk)
    path = str(FIRMWARE / "library.scm")
    text = open(path, "rb").read()
    assert max(len(line) for line in text.split(b"\n")) < 128     # whole lines in a window
    names, macros, chunks = reference_library(text)
    for src in (path, text):
        got, got_macros = builtin_names.library_rows(src)
        assert bytes(got).split(b" ") == names      # single-spaced headers
        assert got_macros == macros
    for nm in names:
        want = chunks[nm]
        by_file = autoload.library_chunk(path, nm.decode())
        by_bytes = autoload.library_chunk(text, nm.decode())
        assert bytes(by_bytes) == by_file
        header, body = by_file.split(b"\n", 1)
        assert nm in header[4:].split() and header.startswith(b";;; ")
        assert body.rstrip(b"\n") == want.rstrip(b"\n"), nm
    assert autoload.library_chunk(path, "no-such-name") is None


def test_chunks_bin_finds_each_chunk_without_a_scan(tmp_path, monkeypatch):
    # a board build's chunks.bin: where each library name's chunk is; the
    # same text as the scan finds, with no window buffer; stale, it is
    # caught and the scan used
    from tools import mote_cli
    import autoload
    (tmp_path / "library.scm").write_bytes((FIRMWARE / "library.scm").read_bytes())
    path = str(tmp_path / "library.scm")
    mote_cli.names_module(tmp_path / "names.bin")      # as a build makes it
    it = fresh()            # by symbol ID, from the first library name on
    lib_names = [it.symbols.name(i) for i in range(it.lib_first, 256 + it.symbols.nbuiltin)]
    assert (tmp_path / "chunks.bin").stat().st_size == 4 * len(lib_names)
    scans = []
    real = autoload.chunk_span
    monkeypatch.setattr(autoload, "chunk_span", lambda lib, nm: scans.append(nm) or real(lib, nm))
    for k, nm in enumerate(lib_names):
        start, end = real(path, nm)
        assert autoload.library_chunk(path, nm, k) == open(path, "rb").read()[start:end]
    assert scans == []
    # a library changed since the build: found by the scan all the same
    text = open(path, "rb").read()
    (tmp_path / "library.scm").write_bytes(b";;; extra\n(define extra 1)\n" + text)
    got = autoload.library_chunk(path, lib_names[5], 5)
    assert scans == [lib_names[5]] and lib_names[5].encode() in got.split(b"\n", 1)[0]


def test_builtin_names_are_distinct():
    # the index takes each name into the first empty slot, with no comparing
    it = fresh()
    names = bytes(it.symbols.blob).split(b" ")
    assert len(names) == it.symbols.nbuiltin == len(set(names))
    for k in range(0, len(names), 7):
        assert it.symbols.intern(names[k], 0, len(names[k])) == 256 + k


# -- motedata: the data frozen into a firmware image ------------------------------------------

def profile(name):
    return json.loads((BOARDS / (name + ".json")).read_text())


@pytest.fixture
def frozen(monkeypatch):
    data = types.ModuleType("motedata")
    data.LIBRARY = (FIRMWARE / "library.scm").read_bytes()
    data.HELP = (FIRMWARE / "help.txt").read_bytes()
    data.BOARD = dict(profile("rp2040"), symbol_bytes=1001)      # (told from the file's)
    monkeypatch.setitem(sys.modules, "motedata", data)
    return data


def test_the_frozen_library_is_used_without_a_copy(frozen):
    import autoload
    it = fresh()
    assert it.library is frozen.LIBRARY
    src = autoload.library_chunk(it.library, "map")
    assert isinstance(src, memoryview) and src.obj is frozen.LIBRARY
    assert it.eval_string("(map (lambda (x) (* x x)) '(1 2 3))") == "(1 4 9)"
    assert it.eval_string("(guard (e (#t (list 'caught e))) (raise 'oops))") == "(caught oops)"


def test_frozen_help(frozen):
    import system
    first = frozen.HELP.split(b"\n")[0].decode()
    nm, desc = first.split(" ", 1)
    assert system.help_line(nm) == desc
    assert system.help_line("car") == "(car pair): the first element of pair."
    assert system.help_line("no-such-name") is None
    assert system.help_line("ca") is None


def test_the_frozen_board_profile(frozen, monkeypatch):
    import mote
    from arena import LispError
    assert mote.load_board("rp2040")["symbol_bytes"] == 1001     # its own name
    assert mote.load_board(None)["symbol_bytes"] == 1001         # the board's
    assert mote.load_board("board")["symbol_bytes"] == 1001      # what boot() asks for
    assert mote.load_board("unix")["name"] == "unix"               # others from files
    assert fresh().board["name"] == "unix"
    p = mote.load_board("board")
    p["arena_words"] = 1
    assert frozen.BOARD.get("arena_words") == profile("rp2040")["arena_words"]   # a copy
    with pytest.raises(LispError, match="unknown board: nosuch"):
        mote.load_board("nosuch")
    # a board.json beside the firmware comes first
    import json
    import tempfile
    d = tempfile.mkdtemp()
    with open(d + "/board.json", "w") as f:
        json.dump(dict(profile("rp2040"), symbol_bytes=1002), f)
    monkeypatch.setenv("MOTE_BOARDS_DIR", d)
    assert mote.load_board("board")["symbol_bytes"] == 1002
    assert mote.load_board(None)["symbol_bytes"] == 1002


def test_the_interpreter_keeps_only_what_the_firmware_reads_of_a_profile():
    # the rest (descriptions, install sizes, measurements) would be a small
    # board's heap spent on the host tools' data
    import mote
    full = profile("esp32")
    kept = mote.load_board("esp32")
    assert "description" in full and "romfs" in full and "description" not in kept
    import startup
    assert set(kept) <= set(startup.PROFILE_KEYS)
    assert all(kept[k] == full[k] for k in kept if k in full)
    assert kept["i2c"] == full["i2c"] and kept["safe_pin"] == full["safe_pin"]


def test_without_motedata_or_board_json_there_is_no_board_profile():
    import mote
    from arena import LispError
    assert "motedata" not in sys.modules
    with pytest.raises(LispError, match="unknown board: board"):
        mote.load_board(None)


FROZEN_RUN = r"""
import sys
sys.path[0:0] = [%(tmp)r, %(fw)r]
import builtins
opened = []
real_open = builtins.open
def spy(path, *args, **kw):
    opened.append(path)
    return real_open(path, *args, **kw)
builtins.open = spy
from mote import Interp
import image
it = Interp('rp2040')
print(opened)
it = Interp(None)
out = []
it.out = out.append
print(it.board['name'], it.board['symbol_bytes'], type(it.library).__name__)
print(it.eval_string("(map (lambda (x) (+ x 1)) '(1 2 3))"))
print(it.eval_string("(guard (e (#t 'caught)) (raise 'oops))"))
it.eval_string("(help 'car)")
print(repr(''.join(out)))
print(image.fw_sum(it, bytearray(256)))
print(Interp('board').board['symbol_bytes'])
print(opened)
"""


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_frozen_data_is_read_and_the_files_are_not(tmp_path, runtime):
    # The firmware without library.scm, help.txt or any board profile file,
    # and a motedata.py as a firmware image freezes it, first on sys.path
    fw = tmp_path / "fw"
    fw.mkdir()
    for p in FIRMWARE.glob("*.py"):
        shutil.copy(str(p), str(fw / p.name))
    board = dict(profile("rp2040"), symbol_bytes=1234)     # (told from the file's)
    (tmp_path / "motedata.py").write_text(
        "LIBRARY = %r\nHELP = %r\nBOARD = %r\n" % ((FIRMWARE / "library.scm").read_bytes(),
                                                 (FIRMWARE / "help.txt").read_bytes(), board))
    script = tmp_path / "run.py"
    script.write_text(FROZEN_RUN % dict(tmp=str(tmp_path), fw=str(fw)))
    env = dict(os.environ, MOTE_BOARDS_DIR=str(tmp_path / "none"))
    if runtime == "cpython":
        r = subprocess.run([sys.executable, str(script)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, cwd=str(tmp_path),
                           env=dict(env, PYTHONPATH=str(ROOT / "tools" / "cpython")))
    else:
        r = run_micropython([str(script)], heap=800000, env=env)
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0] == "[]"         # Interp('rp2040'): no file opened at all
    assert lines[1] == "rp2040 1234 bytes"
    assert lines[2] == "(2 3 4)" and lines[3] == "caught"
    assert lines[4] == repr("car: builtin procedure, 1 argument\n"
                            "  (car pair): the first element of pair.\n")
    # the same checksum as the files give: an image saved either way loads
    import image
    assert int(lines[5]) == image.fw_sum(fresh(), bytearray(256))
    assert lines[6] == "1234"
    # Interp(None) and Interp('board') look for a board.json first (there
    # is none); library.scm and help.txt are never looked for
    opened = eval(lines[7])
    assert opened and all(p.endswith("/board.json") for p in opened), opened


def test_the_name_tables_a_build_keeps_are_the_ones_interp_computes(monkeypatch):
    """motenames (generated by every board build, frozen into the firmware
    image) gives Interp exactly the tables it would compute: the same
    blob, arities, macro marks, symbol offsets and index."""
    import types
    from tools import mote_cli
    from mote import Interp
    plain = Interp('rp2040')
    mod = types.ModuleType('motenames')
    exec(mote_cli.names_module(), mod.__dict__)
    monkeypatch.setitem(sys.modules, 'motenames', mod)
    kept = Interp('rp2040')
    assert kept.symbols.blob == bytes(plain.symbols.blob)
    assert kept.arity == plain.arity and kept.lib_first == plain.lib_first
    assert kept.lib_macros == plain.lib_macros and any(kept.lib_macros)
    assert kept.symbols.boff == plain.symbols.boff
    assert kept.symbols.bindex == plain.symbols.bindex
    for it in (plain, kept):
        it.output = []
        it.out = it.output.append
    prog = "(define-syntax sw (syntax-rules () ((_ a b) (list b a)))) (list (sw 1 2) (map car '((a) (b))) (assq 'x '((x . 3))))"
    assert kept.eval_string(prog) == plain.eval_string(prog) == "((2 1) (a b) (x . 3))"


def test_every_profile_key_the_firmware_reads_is_kept():
    # Interp keeps the profile's keys but the hardware's, and where it came
    # from; hardware.py reads those again (profile(it, key)), all of them
    import re
    import startup
    read = set()
    hw = set()
    for p in FIRMWARE.glob("*.py"):
        read.update(re.findall(r"(?:board|prof)(?:\.get\(|\[)'(\w+)'", p.read_text()))
        hw.update(re.findall(r"profile\(it, '(\w+)'\)", p.read_text()))
    keys = set(startup.PROFILE_KEYS) - set(startup.HARDWARE_KEYS)
    assert read and read <= keys | {"source"}, read - keys
    assert hw and hw <= set(startup.HARDWARE_KEYS) <= set(startup.PROFILE_KEYS)
    it = fresh()
    assert not set(startup.HARDWARE_KEYS) & set(it.board)
    assert it.board["source"] == "unix"


def test_the_hardware_reads_its_keys_from_the_profile_on_first_use():
    import hardware
    import mote
    it = mote.Interp("rp2040")
    assert "pins" not in it.board and not hasattr(it, "hw_profile")
    assert hardware.profile(it, "pins") == [0, 29]
    assert hardware.profile(it, "led") == mote.load_board("rp2040")["led"]


def test_builtin_modules_load_on_first_call_and_unload_to_their_loader():
    # every row of a module not loaded holds builtin_table.load; a call
    # loads the module into its core rows and its family rows alike, and
    # unload (the heap ran out) puts load back and drops the module
    import builtin_table
    import primitives
    it = fresh()
    for m in ("arith", "text", "strings"):
        sys.modules.pop(m, None)
    it.prims = builtin_table.functions()
    it.families = [None] * len(builtin_table.FAMILIES)
    core = [op for op, f in enumerate(primitives.FUNCS) if f == "text"]
    fam = builtin_table.FAMILIES.index("strings")
    assert all(it.prims[op] is builtin_table.load for op in core) and it.families[fam] is None
    assert it.eval_string('(string-append "a" (string-upcase "b"))') == '"aB"'
    import text
    import strings
    assert [it.prims[op] for op in core] == list(text.CORE)
    assert it.families[fam] is strings.FUNCS
    assert it.eval_string("(+ 1.5 2)") == "3.5"
    builtin_table.unload(it, "arith")
    assert "text" not in sys.modules and "strings" not in sys.modules and "arith" in sys.modules
    assert all(it.prims[op] is builtin_table.load for op in core) and it.families[fam] is None
    assert it.prims[primitives.FUNCS.index("arith")] is not builtin_table.load
    assert it.eval_string('(string-length (number->string 1.25))') == "4"
    assert "text" in sys.modules
