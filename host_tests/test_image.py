"""Images: (save-image), (load-image), autorun and the boot file (image.py,
main.py). A session saved and loaded into a fresh interpreter works as
before; a cut write never loses the previous image; a bad, foreign or
missing image is refused with a message that says why and leaves the
session as it was; boot runs the autorun procedure unless in safe mode."""
import io
import os
import struct
import sys
import types

import pytest

from conftest import FIRMWARE, fresh, run_micropython

SESSION = r"""
(define (make-counter) (let ((n 0)) (lambda () (set! n (+ n 1)) n)))
(define counter (make-counter))
(counter) (counter)
(define greeting (string-append "hello" ", " "world"))
(define big (expt 3 90))
(define vec (vector 1 'two "three" 4.5))
(define table (make-equal-hash-table))
(hash-table-set! table "key" 'value)
(hash-table-set! table '(1 2) 12)
(define eqt (make-eq-hash-table))
(hash-table-set! eqt 'sym 'by-symbol)
(define-record-type point (make-point x y) point? (x point-x) (y point-y set-point-y!))
(define pt (make-point 3 4))
(define-syntax swap! (syntax-rules () ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define-macro (twice e) `(begin ,e ,e))
(define squares (map (lambda (x) (* x x)) '(1 2 3)))
(define sorted (sort (list 3 1 2) <))
(define g1 (gensym))
(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))
(define log '())
(define (setup) (set! log (cons 'setup-ran log)) (display "setup ran") (newline))
"""

CHECKS = [
    ("(counter)", "3"),
    ("greeting", '"hello, world"'),
    ("big", str(3 ** 90)),
    ("(+ big 1)", str(3 ** 90 + 1)),
    ("vec", '#(1 two "three" 4.5)'),
    ('(hash-table-ref/default table "key" #f)', "value"),
    ("(hash-table-ref/default table (list 1 2) #f)", "12"),
    ("(hash-table-ref/default eqt 'sym #f)", "by-symbol"),
    ("(list (point? pt) (point-x pt) (point-y pt))", "(#t 3 4)"),
    ("(begin (set-point-y! pt 9) (point-y pt))", "9"),
    ("(point? (make-point 1 2))", "#t"),
    ("(let ((tmp 1) (b 2)) (swap! tmp b) (list tmp b))", "(2 1)"),
    ("(let ((n 0)) (twice (set! n (+ n 1))) n)", "2"),
    ("squares", "(1 4 9)"),
    ("sorted", "(1 2 3)"),
    ("(map + '(1 2) '(10 20))", "(11 22)"),
    ("(sort (vector 5 3 4) <)", "#(3 4 5)"),
    ("(eq? g1 (gensym))", "#f"),
    ("(fact 30)", "265252859812191058636308480000000"),
]

SMALL = dict(arena_words=4096, stack_words=2048, symbol_bytes=1024)


def interp(path, **kw):
    sizes = dict(SMALL, image=str(path))
    sizes.update(kw)
    return fresh(**sizes)


def lisp_error(it, src):
    from arena import LispError
    with pytest.raises(LispError) as e:
        it.eval_string(src)
    it.recover()
    return str(e.value)


@pytest.fixture
def img(tmp_path):
    return tmp_path / "mote.img"


def saved(img, src=SESSION, autorun="'setup", **kw):
    it = interp(img, **kw)
    it.eval_string(src)
    n = int(it.eval_string("(save-image %s)" % autorun))
    return it, n


# -- round trip ------------------------------------------------------------------------------

def test_a_session_saved_and_loaded_into_a_fresh_interpreter_works_as_before(img):
    from verify import verify
    it, n = saved(img)
    verify(it)
    assert n == img.stat().st_size
    new = interp(img)
    assert new.eval_string("(load-image)") == "setup"
    verify(new)
    for src, want in CHECKS:
        assert new.eval_string(src) == want, src
    verify(new)
    new.eval_string("(gc)")
    verify(new)
    # the saving session goes on unchanged too
    for src, want in CHECKS:
        assert it.eval_string(src) == want, src


def test_the_saved_arena_ends_with_its_last_object():
    import image
    from arena import Heap
    # (free lists as a collection leaves them)
    hp = Heap(256)
    hp.free = hp.free2 = hp.last = 0xFFFF
    hp.add_free(0, 200)                          # words 200.. in use
    assert image.used_words(hp) == 256
    hp = Heap(256)
    hp.free = hp.free2 = hp.last = 0xFFFF
    hp.add_free(40, 256)                         # words 0..39 in use, the rest free
    assert image.used_words(hp) == 40


def test_the_header_and_sections_are_as_documented(img):
    import image
    it, n = saved(img, autorun="")
    data = img.read_bytes()
    f = struct.unpack_from(image.FMT, data, 0)
    magic, version, hsize, fw, board, arena, stack, symbytes, h, t, ng, auto, gs, hc, crc = f
    assert (magic, version, hsize) == (b"MOTE", 1, 64)
    assert board.rstrip(b"\0") == b"unix" and (arena, stack, symbytes) == (4096, 2048, 1024)
    assert auto == 0xFFFF and ng == len(it.G) and t == it.symbols.top and gs >= 1
    assert len(it.symbols.ulen) == 192          # the program IDs 1,024 name bytes get
    assert len(data) == 64 + 2 * h + (h + 3) // 4 + 2 * ng + 3 * 192 + t
    # the arena's words up to the last object (free runs that end it are
    # not saved; boxes come from the end of a free run, so it is often used)
    assert 0 < h <= 4096 and h == image.used_words(it.heap)
    import binascii
    assert binascii.crc32(data[:56]) == hc and binascii.crc32(data[:60] + data[64:]) == crc


def test_load_image_ends_the_form_that_called_it(img):
    it, _ = saved(img, src="(define x 1) (define (f) (load-image) 'after)", autorun="")
    it.eval_string("(define x 2)")
    assert it.eval_string("(begin (load-image) (set! x 99) 'after)") == "#t"
    assert it.eval_string("x") == "1"
    it.eval_string("(define x 3)")
    assert it.eval_string("(f)") == "#t"          # from inside a procedure call
    assert it.eval_string("x") == "1"
    it.eval_string("(define x 4)")
    assert it.eval_string("(guard (e (#t 'caught)) (dynamic-wind (lambda () 0) "
                          "(lambda () (load-image)) (lambda () (set! x 5))))") == "#t"
    assert it.eval_string("x") == "1"
    from verify import verify
    verify(it)


def test_load_image_is_refused_inside_a_macro_expansion(img):
    it, _ = saved(img, src="(define x 1)", autorun="")
    it.eval_string("(define x 2) (define-macro (m) (load-image) 1)")
    assert lisp_error(it, "(m)") == "load-image: only at top level, not from a macro or library load"
    assert it.eval_string("x") == "2"


def test_save_image_arguments(img):
    it = interp(img)
    it.eval_string("(define (p) 1) (define q 5)")
    assert lisp_error(it, "(save-image 'q)") == "save-image: q is not a procedure"
    assert lisp_error(it, "(save-image 'nothing)") == "save-image: nothing is not a procedure"
    assert lisp_error(it, "(save-image 12)") == "save-image: not a symbol: 12"
    assert not img.exists()
    it.eval_string("(save-image #f)")
    assert interp(img).eval_string("(load-image)") == "#t"
    it.eval_string("(save-image 'car)")       # a builtin will do
    assert interp(img).eval_string("(load-image)") == "car"


def test_let_syntax_macros_of_the_running_form_are_not_saved(img):
    it = interp(img)
    it.eval_string("(let-syntax ((foo (syntax-rules () ((_) 1)))) (save-image))")
    new = interp(img)
    new.eval_string("(load-image)")
    assert new.eval_string("(guard (e (#t 'unbound)) foo)") == "unbound"


def test_symbols_reclaimed_before_the_save_read_back(img):
    from verify import verify
    it = interp(img, symbol_bytes=600)
    # fill and free symbols so that names are reclaimed and the store compacts
    for k in range(6):
        it.eval_string("(define junk (map (lambda (i) (string->symbol (string-append \"tmp-%d-\" "
                       "(number->string i)))) (iota 40)))" % k)
        it.eval_string("(set! junk #f) (gc)")
    it.eval_string("(define keep (map (lambda (i) (string->symbol (string-append \"kept-\" "
                   "(number->string i)))) (iota 30)))")
    it.eval_string("(define (kept-proc) 'still-here)")
    assert it.symbols.used < 256
    it.eval_string("(save-image)")
    new = interp(img, symbol_bytes=600)
    new.eval_string("(load-image)")
    verify(new)
    assert new.eval_string("(list-ref keep 29)") == "kept-29"
    assert new.eval_string("(eq? (list-ref keep 7) (string->symbol \"kept-7\"))") == "#t"
    assert new.eval_string("(kept-proc)") == "still-here"
    assert new.eval_string("(symbol->string 'brand-new)") == '"brand-new"'
    verify(new)


def reading_fails(img, fault):
    # open() for image.py: the image's second opening (the load after the
    # check) has `fault` happen at its third section
    real = open
    opened = [0]

    class Faulty:
        def __init__(self, f):
            self.f = f
            self.k = 0

        def readinto(self, m):
            self.k += 1
            if self.k == 3:
                return fault(self.f, m)
            return self.f.readinto(m)

        def __getattr__(self, name):
            return getattr(self.f, name)

    def fake(path, mode="r"):
        f = real(path, mode)
        if path == str(img):
            opened[0] += 1
            if opened[0] == 2:
                return Faulty(f)
        return f
    return fake


def short_read(f, m):
    return f.readinto(memoryview(m)[:len(m) // 2])


def ctrl_c(f, m):
    raise KeyboardInterrupt


@pytest.mark.parametrize("fault", [short_read, ctrl_c])
def test_a_load_that_fails_halfway_leaves_a_clean_session(img, fault):
    import image
    from verify import verify
    saved(img)
    it = interp(img)
    it.eval_string("(define mine 1)")
    image.open = reading_fails(img, fault)
    try:
        if fault is ctrl_c:
            with pytest.raises(KeyboardInterrupt):
                it.eval_string("(load-image)")
            it.recover()
        else:
            assert lisp_error(it, "(load-image)") == \
                "load-image: cannot read %s (starting clean)" % img
    finally:
        del image.open
    verify(it)
    for name in ("mine", "counter", "setup"):
        assert it.eval_string("(guard (e (#t 'unbound)) %s)" % name) == "unbound"
    assert it.eval_string("(map car '((1) (2)))") == "(1 2)"
    assert it.eval_string("(load-image)") == "setup"
    assert it.eval_string("(counter)") == "3"
    verify(it)


# -- cut writes --------------------------------------------------------------------------------

class PowerCut(BaseException):
    """The board loses power: nothing after this runs (not even except)."""


def cut_open(budget):
    # open() for image.py whose files written take `budget` bytes, then the
    # power goes (what reached the file stays there, as on a flash disk)
    real = open

    class CutFile:
        def __init__(self, f):
            self.f = f

        def write(self, buf):
            b = bytes(buf)
            if len(b) > budget[0]:
                self.f.write(b[:budget[0]])
                budget[0] = 0
                raise PowerCut
            budget[0] -= len(b)
            return self.f.write(b)

        def __getattr__(self, name):
            return getattr(self.f, name)

    def fake(path, mode="r"):
        f = real(path, mode)
        return CutFile(f) if "w" in mode else f
    return fake


def test_a_write_cut_at_every_byte_keeps_the_previous_image(img, monkeypatch):
    import image
    from verify import verify
    sizes = dict(arena_words=256, stack_words=256, symbol_bytes=128)
    it = interp(img, **sizes)
    it.eval_string("(define x 1) (define (f) (list x 'one))")
    good = int(it.eval_string("(save-image)"))
    it.eval_string("(define x 2) (define (f) (list x 'two))")
    new = interp(img, **sizes)
    assert good < 3000
    budget = 0
    while True:
        image.open = cut_open([budget])
        try:
            it.eval_string("(save-image)")
            break
        except PowerCut:
            pass
        finally:
            del image.open
        it.recover()
        new.eval_string("(define x 'mine)")
        assert new.eval_string("(load-image)") == "#t"
        assert new.eval_string("(f)") == "(1 one)", budget
        budget += 1
    # every byte offset of the new image was cut once; then it was whole
    assert budget == img.stat().st_size > 1000
    new.eval_string("(load-image)")
    assert new.eval_string("(f)") == "(2 two)"
    verify(new)
    verify(it)
    # a disk-full error: an error message, the temporary file is gone

    def full(path, mode="r"):
        if "w" in mode:
            f = open(path, mode)
            f.write(b"partial")
            f.close()
            raise OSError(28, "No space left on device")
        return open(path, mode)
    image.open = full
    try:
        msg = lisp_error(it, "(save-image)")
    finally:
        del image.open
    assert msg == "save-image: cannot write %s: [Errno 28] No space left on device" % img
    assert not os.path.exists(str(img) + ".tmp")
    new.eval_string("(load-image)")
    assert new.eval_string("(f)") == "(2 two)"


def test_a_cut_between_the_renames_keeps_a_loadable_image(img, monkeypatch, capsys):
    import image
    it = interp(img)
    it.eval_string("(define x 0) (save-image)")
    real = os

    for step in range(4):
        for k in (1, 2):
            it.eval_string("(define x %d) (save-image)" % k)   # image: k, backup: k-1
        it.eval_string("(define x 3)")
        calls = [0]

        class CutOs:
            def __getattr__(self, name):
                fn = getattr(real, name)
                if name not in ("remove", "rename"):
                    return fn

                def op(*a):
                    if calls[0] == step:
                        raise PowerCut
                    calls[0] += 1
                    return fn(*a)
                return op
        monkeypatch.setattr(image, "os", CutOs())
        try:
            it.eval_string("(save-image)")
            assert step == 3
        except PowerCut:
            assert step < 3
        it.recover()
        monkeypatch.setattr(image, "os", real)
        new = interp(img)
        assert new.eval_string("(load-image)") == "#t"
        # the new image once its rename is done, else the previous one
        assert new.eval_string("x") == ("3" if step == 3 else "2")
        capsys.readouterr()
        # the next save after the cut leaves an image and a good backup
        it.eval_string("(define x 4) (save-image)")
        n = interp(img)
        n.eval_string("(load-image)")
        assert n.eval_string("x") == "4"
        assert os.path.exists(str(img) + ".bak")


# -- refusals ------------------------------------------------------------------------------------

def refused(img, want, **kw):
    """A session with definitions of its own tries to load img in its REPL:
    the exact error, then the REPL goes on with the session unchanged."""
    import repl
    from verify import verify
    it = interp(img, **kw)
    it.eval_string("(define mine 'kept) (define (mine-proc) (list mine 7))")
    out = io.StringIO()
    stdout = sys.stdout
    sys.stdout = out
    try:
        repl.repl(it, True, io.StringIO("(load-image)\n(mine-proc)\n(+ 1 2)\n"))
    finally:
        sys.stdout = stdout
    assert out.getvalue() == "Error: " + want + "\n(kept 7)\n3\n"
    assert it.output == []
    verify(it)


def test_a_corrupt_image_is_refused(img):
    saved(img)
    data = bytearray(img.read_bytes())
    for pos in (100, len(data) // 2, len(data) - 1, 20, 57):
        bad = bytearray(data)
        bad[pos] ^= 0x10
        img.write_bytes(bytes(bad))
        refused(img, "load-image: image is corrupt (CRC mismatch)")
    img.write_bytes(bytes(data) + b"\0")
    refused(img, "load-image: image is corrupt (CRC mismatch)")


def test_a_truncated_empty_or_missing_image_is_refused(img):
    saved(img)
    data = img.read_bytes()
    for n in (1, 30, 63, 64, 65, 1000, len(data) - 1):
        img.write_bytes(data[:n])
        refused(img, "load-image: image is truncated")
    img.write_bytes(b"")
    refused(img, "load-image: image is empty")
    img.unlink()
    refused(img, "load-image: no image at " + str(img))
    img.write_bytes(b"GIF89a" + bytes(100))
    refused(img, "load-image: " + str(img) + " is not a Mote image")


def test_an_image_of_another_board_or_size_is_refused(img):
    saved(img, name="rp2040")
    refused(img, "load-image: image is for board rp2040, this is unix")
    saved(img, arena_words=8192)
    refused(img, "load-image: image is for other sizes (arena 8192 words, symbols 1024 bytes),"
                 " this is 4096, 1024")
    saved(img, symbol_bytes=768)
    refused(img, "load-image: image is for other sizes (arena 4096 words, symbols 768 bytes),"
                 " this is 4096, 1024")
    saved(img, stack_words=4096)           # the stack is not part of an image
    it = interp(img)
    assert it.eval_string("(load-image)") == "setup"


def test_an_image_of_other_firmware_is_refused(img, tmp_path):
    # another builtin table (an arity differs)
    it = interp(img)
    it.arity = bytes([it.arity[0] + 1]) + it.arity[1:]
    it.eval_string("(define x 1) (save-image)")
    refused(img, "load-image: image is from other firmware (builtins or library differ)")
    # another library.scm (same names, another body)
    lib = tmp_path / "fw"
    lib.mkdir()
    (lib / "library.scm").write_text((FIRMWARE / "library.scm").read_text() + "\n;; v2\n")
    it = interp(img)
    it.library = str(lib / "library.scm")     # the firmware it started with
    it.eval_string(SESSION + " (save-image 'setup)")
    refused(img, "load-image: image is from other firmware (builtins or library differ)")
    # another format version
    saved(img)
    data = bytearray(img.read_bytes())
    data[4] = 2
    img.write_bytes(bytes(data))
    refused(img, "load-image: image format 2, this firmware reads 1")


def test_a_bad_image_falls_back_to_the_backup(img, capsys):
    it = interp(img)
    it.eval_string("(define x 1) (save-image) (define x 2) (save-image)")
    new = interp(img)
    new.eval_string("(load-image)")
    assert new.eval_string("x") == "2" and new.output == []
    data = bytearray(img.read_bytes())
    data[200] ^= 1
    img.write_bytes(bytes(data))
    new = interp(img)
    new.eval_string("(load-image)")
    assert new.eval_string("x") == "1"
    assert new.output == ["load-image: image is corrupt (CRC mismatch); loading the backup %s.bak\n"
                          % img]
    img.unlink()
    new = interp(img)
    new.eval_string("(load-image)")
    assert new.eval_string("x") == "1"
    assert new.output == ["load-image: %s is missing; loading the backup %s.bak\n" % (img, img)]


# -- boot ------------------------------------------------------------------------------------------

def boot(img, monkeypatch, src="", pause=None, **kw):
    import image
    waits = []

    def fake_pause(ms):
        waits.append(ms)
        if pause:
            pause()
    monkeypatch.setattr(image, "pause", fake_pause)
    sizes = dict(SMALL, image=str(img))
    sizes.update(kw)
    it = image.boot("unix", **sizes)
    if it:              # as main.py does
        import repl
        repl.repl(it, True, io.StringIO(src))
    return it, waits


def test_boot_loads_the_image_runs_autorun_then_the_repl(img, monkeypatch, capsys):
    from verify import verify
    saved(img)
    capsys.readouterr()
    it, waits = boot(img, monkeypatch, "log\n(counter)\n")
    out = capsys.readouterr().out
    assert out == "Mote: autorun in 1 s (Ctrl-C: safe mode)\nsetup ran\n(setup-ran)\n3\n"
    assert waits == [1000]
    verify(it)


def test_boot_without_autorun_does_not_wait(img, monkeypatch, capsys):
    saved(img, autorun="")
    it, waits = boot(img, monkeypatch, "(counter)\n")
    assert capsys.readouterr().out == "3\n" and waits == []
    img.unlink()
    it, waits = boot(img, monkeypatch, "(+ 1 1)\n")        # no image: a clean start
    assert capsys.readouterr().out == "2\n" and waits == []


def test_ctrl_c_in_the_first_second_skips_autorun(img, monkeypatch, capsys):
    saved(img)

    def ctrl_c():
        raise KeyboardInterrupt
    it, waits = boot(img, monkeypatch, "log\n(counter)\n", pause=ctrl_c)
    assert capsys.readouterr().out == ("Mote: autorun in 1 s (Ctrl-C: safe mode)\n"
                                       "Mote: safe mode (Ctrl-C): autorun setup skipped\n()\n3\n")


class FakePin:
    IN = "in"
    PULL_UP = "pull-up"
    level = 1
    made = []

    def __init__(self, n, mode, pull):
        FakePin.made.append((n, mode, pull))

    def value(self):
        return FakePin.level


def test_the_safe_pin_held_low_skips_autorun(img, monkeypatch, capsys):
    saved(img)
    monkeypatch.setitem(sys.modules, "machine", types.SimpleNamespace(Pin=FakePin))
    FakePin.made = []
    FakePin.level = 0
    it, waits = boot(img, monkeypatch, "log\n")
    assert capsys.readouterr().out == "Mote: safe mode (safe_pin 22 is low): autorun setup skipped\n()\n"
    assert waits == [] and FakePin.made == [(22, "in", "pull-up")]
    FakePin.level = 1
    it, waits = boot(img, monkeypatch, "log\n")
    assert capsys.readouterr().out.endswith("setup ran\n(setup-ran)\n") and waits == [1000]
    # a machine module without Pin (the unix port): no pin check
    monkeypatch.setitem(sys.modules, "machine", types.SimpleNamespace())
    it, waits = boot(img, monkeypatch, "log\n")
    assert capsys.readouterr().out.endswith("setup ran\n(setup-ran)\n")


def test_an_autorun_error_is_reported_and_the_repl_starts(img, monkeypatch, capsys):
    saved(img, src="(define (setup) (display \"start\") (newline) (car '()))")
    it, waits = boot(img, monkeypatch, "(+ 2 3)\n")
    assert capsys.readouterr().out == ("Mote: autorun in 1 s (Ctrl-C: safe mode)\nstart\n"
                                       "Error in autorun setup: car: not a pair: ()\n5\n")


def test_a_corrupt_image_at_boot_starts_clean(img, monkeypatch, capsys):
    saved(img)
    data = bytearray(img.read_bytes())
    data[-5] ^= 1
    img.write_bytes(bytes(data))
    it, waits = boot(img, monkeypatch, "(+ 1 1)\n(guard (e (#t 'none)) counter)\n")
    assert capsys.readouterr().out == ("Mote: load-image: image is corrupt (CRC mismatch); "
                                       "starting clean\n2\nnone\n")
    assert waits == []


def test_exit_leaves_boot(img, monkeypatch, capsys):
    saved(img, src="(define (setup) (display \"bye\") (newline) (exit))")
    it, waits = boot(img, monkeypatch, "(display \"never\")\n")
    assert capsys.readouterr().out.endswith("bye\n") and it is None
    saved(img, autorun="")
    it, waits = boot(img, monkeypatch, "(exit)\n(display \"never\")\n")
    assert capsys.readouterr().out == ""


# -- MicroPython ------------------------------------------------------------------------------------

SAVE_SCRIPT = r"""
import sys, time, gc
sys.path.insert(0, %(fw)r)
from mote import Interp
it = Interp(image=%(img)r)
it.run_string(%(src)r)
t = time.ticks_ms()
n = it.eval_string("(save-image 'setup)")
print('saved', n, time.ticks_diff(time.ticks_ms(), t))
"""

LOAD_SCRIPT = r"""
import sys, time, gc
sys.path.insert(0, %(fw)r)
from mote import Interp
from verify import verify
it = Interp(image=%(img)r)
gc.collect()
a = gc.mem_alloc()
import image
gc.collect()
print('import', gc.mem_alloc() - a)
t = time.ticks_ms()
v = it.eval_string("(load-image)")
print('loaded', v, time.ticks_diff(time.ticks_ms(), t))
verify(it)
for src in %(checks)r:
    print(it.eval_string(src))
verify(it)
"""


def test_round_trip_on_micropython(tmp_path):
    img = str(tmp_path / "mote.img")
    args = dict(fw=str(FIRMWARE), img=img, src=SESSION, checks=[c for c, w in CHECKS])
    (tmp_path / "save.py").write_text(SAVE_SCRIPT % args)
    (tmp_path / "load.py").write_text(LOAD_SCRIPT % args)
    r = run_micropython([str(tmp_path / "save.py")])
    assert r.stderr == "" and r.returncode == 0
    word, n, ms = r.stdout.split()
    assert word == "saved" and int(n) == os.path.getsize(img)
    r = run_micropython([str(tmp_path / "load.py")])
    assert r.stderr == "" and r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("import ") and lines[1].startswith("loaded setup ")
    assert lines[2:] == [w for c, w in CHECKS]
    print("\n".join([r.stdout.split("\n")[0], "image bytes " + n, "save ms " + ms,
                     "load ms " + lines[1].split()[-1]]))


def test_main_py_boots_on_micropython(tmp_path):
    # main.py on the unix port: no board.json, so the unix profile; the
    # image in the current directory, its autorun, then the REPL
    setup = tmp_path / "setup.py"
    setup.write_text("import sys, os\nsys.path.insert(0, %r)\nos.chdir(%r)\n"
                     "from mote import Interp\nInterp().run_string(%r)\n"
                     % (str(FIRMWARE), str(tmp_path),
                        "(define (setup) (display \"autorun!\") (newline)) (save-image 'setup)"))
    r = run_micropython([str(setup)])
    assert r.stderr == "" and (tmp_path / "mote.img").exists()
    script = tmp_path / "boot.py"
    script.write_text("import sys, os\nsys.path.insert(0, %r)\nos.chdir(%r)\n"
                      "exec(open(%r).read())\nprint('main.py ended')\n"
                      % (str(FIRMWARE), str(tmp_path), str(FIRMWARE / "main.py")))
    r = run_micropython([str(script)], stdin="(+ 40 2)\n(exit)\n(+ 1 1)\n")
    assert r.stderr == ""
    assert r.stdout.startswith("Mote: no board.json, using the unix profile\n"
                               "Mote: autorun in 1 s (Ctrl-C: safe mode)\nautorun!\n")
    assert "42\n" in r.stdout and "2\n" not in r.stdout.replace("42\n", "")
    assert r.stdout.endswith("main.py ended\n")


HARDWARE = r"""
(define n 0)
(every-ms 100 (lambda () (set! n (+ n 1))))
(save-image)
(sleep-ms 350)
(display n) (newline)
(load-image)
(sleep-ms 500)
(display n) (newline)
(every-ms 100 (lambda () (set! n (+ n 10))))
(sleep-ms 250)
(display n) (newline)
"""


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_load_image_stops_the_old_sessions_timers(runtime, tmp_path):
    # on the simulated board (tools/sim, virtual clock): the timer running
    # when the image was saved is not running after the load, and new
    # timers work
    import subprocess
    from conftest import ROOT
    script = tmp_path / "hw.py"
    script.write_text("import sys, os\nsys.path.insert(0, %r)\nos.chdir(%r)\n"
                      "from mote import Interp\nInterp().run_string(%r)\n"
                      % (str(FIRMWARE), str(tmp_path), HARDWARE))
    env = {"MOTE_SIM": "fast", "MOTE_SIM_LOG": str(tmp_path / "sim.log")}
    sim = str(ROOT / "tools" / "sim")
    if runtime == "micropython":
        env["MICROPYPATH"] = sim + ":.frozen"
        r = run_micropython([str(script)], env=env, timeout=120)
    else:
        env = dict(os.environ, **env)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tools" / "cpython"), sim])
        r = subprocess.run([sys.executable, str(script)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, env=env, timeout=120)
    assert r.stderr == "" and r.stdout == "3\n0\n20\n"


def test_main_py_uses_board_json_beside_the_firmware(tmp_path):
    # a board as flashed: the firmware files, library.scm and board.json (a
    # copy of boards/rp2040.json) in one directory; main.py boots with that
    # profile (its sizes, its image path)
    import json
    import shutil
    from conftest import BOARDS
    fw = tmp_path / "fw"
    fw.mkdir()
    for p in FIRMWARE.iterdir():
        if p.suffix in (".py", ".scm"):
            shutil.copy(str(p), str(fw / p.name))
    prof = json.loads((BOARDS / "rp2040.json").read_text())
    prof["image"] = str(tmp_path / "board.img")
    (fw / "board.json").write_text(json.dumps(prof))
    script = tmp_path / "boot.py"
    script.write_text("import sys\nsys.path.insert(0, %r)\nexec(open(%r).read())\n"
                      % (str(fw), str(fw / "main.py")))
    r = run_micropython([str(script)], stdin="(define (setup) (display 'booted))\n"
                        "(save-image 'setup)\n(exit)\n", env={"MOTE_BOARDS_DIR": ""})
    assert r.stderr == "" and r.stdout.startswith("Mote Scheme on rp2040.")
    assert (tmp_path / "board.img").exists()
    r = run_micropython([str(script)], stdin="(room)\n(exit)\n", env={"MOTE_BOARDS_DIR": ""})
    assert r.stderr == ""
    assert r.stdout.startswith("Mote: autorun in 1 s (Ctrl-C: safe mode)\nbooted"
                               "Mote Scheme on rp2040.")
    assert "arena: %d bytes" % (2 * prof["arena_words"]) in r.stdout
