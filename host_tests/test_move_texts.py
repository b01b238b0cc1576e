"""tools/move_texts.py: a .mpy board's error messages read from texts.bin,
the same text as the sources give, and nothing else changed."""
import struct
import sys
import types

from tools.move_texts import move_texts, texts_file
from tools.fold_consts import fold_dir
from tools.mote_cli import firmware_dir

SRC = """\
# a comment first
from arena import LispError


def check(n, who):
    if n < 0:
        raise LispError(who + ': not a count: ' + str(n))
    if n > 9:
        raise LispError('count too large: %d (limit 9)' % n)
    return 'a plain string, kept'


def other(x):
    fail(x, 'short')
    fail(x, 'a helper error: ' + x)
    raise LispError('stack overflow')
    raise KeyError('identifier_like')
"""


def texts_of(blob):
    # texts.bin's texts, in order
    n = struct.unpack_from("<H", blob)[0]
    offs = struct.unpack_from("<%dH" % (n + 1), blob, 2)
    return [blob[offs[k]:offs[k + 1]].decode() for k in range(n)]


def test_raised_texts_move_and_the_rest_stays():
    out, blob = move_texts({"m": SRC, "n": "import sys\nraise ValueError('stack overflow')\n"})
    texts = texts_of(blob)
    assert texts == [": not a count: ", "count too large: %d (limit 9)",
                     "a helper error: ", "stack overflow"]
    m = out["m"]
    assert "err_text(0)" in m and "err_text(1) % n" in m and "err_text(3)" in m
    # kept: a string outside any raise, a short one, an identifier
    assert "'a plain string, kept'" in m and "'short'" in m and "'identifier_like'" in m
    # the same text is one entry, whichever module raises it
    assert "err_text(3)" in out["n"]
    # every line keeps its number; the import joins the first one's line
    assert m.count("\n") == SRC.count("\n")
    assert m.splitlines()[1] == "from arena import LispError; from arena import err_text"


def test_moved_texts_read_back_as_the_sources_give_them(tmp_path, monkeypatch):
    # the firmware's own err_text, reading the file beside arena
    out, blob = move_texts({"m": SRC})
    (tmp_path / "texts.bin").write_bytes(blob)
    sys.path.insert(0, str(firmware_dir()))
    try:
        import arena
    finally:
        sys.path.pop(0)
    monkeypatch.setitem(arena.err_text.__globals__, "__file__", str(tmp_path / "arena.py"))
    errors = []
    mod = types.ModuleType("m")
    mod.__dict__["fail"] = lambda x, what: errors.append(what)
    monkeypatch.setitem(sys.modules, "m", mod)
    exec(compile(out["m"], "m", "exec"), mod.__dict__)
    for n, msg in ((-1, "who: not a count: -1"), (12, "count too large: 12 (limit 9)")):
        try:
            mod.check(n, "who")
        except arena.LispError as e:
            assert str(e) == msg
        else:
            raise AssertionError("no error")
    try:
        mod.other("x")
    except arena.LispError as e:
        assert str(e) == "stack overflow"
    assert errors == ["short", "a helper error: x"]
    # without the file, the error still names its number
    (tmp_path / "texts.bin").unlink()
    assert "texts.bin is missing" in arena.err_text(1)


def test_the_firmware_moves_its_error_texts_and_compiles():
    out, blob = move_texts(fold_dir(firmware_dir()), ["verify", "main"])
    texts = texts_of(blob)
    assert len(texts) > 150 and len(set(texts)) == len(texts)
    assert "stack overflow" in texts and "read: unexpected end of input" in texts
    for m, text in out.items():
        compile(text, m + ".py", "exec")
        if m not in ("verify", "main", "arena") and "err_text(" in text:
            assert "from arena import err_text" in text, m
    assert "err_text(" not in out["verify"]


def test_texts_file_layout():
    blob = texts_file([b"ab", b"", b"cde"])
    assert struct.unpack_from("<5H", blob) == (3, 10, 12, 12, 15)
    assert blob[10:] == b"abcde"
