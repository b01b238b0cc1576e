"""Unit tests of the firmware modules on their own: arena, symbols, reader,
printer, collector."""
import re

import pytest

from conftest import fresh, run_mote_micropython




# -- arena ---------------------------------------------------------------------------

def test_word_encoding():
    from arena import Heap, NIL, FIX_MIN, FIX_MAX
    fix = Heap(16).make_int
    h = Heap(256)
    for n in (FIX_MIN, -1, 0, 1, FIX_MAX):
        w = h.make_int(n)
        assert w & 3 == 1 and h.int_value(w) == n
    # offset encoding: comparing words compares numbers
    assert fix(-5) < fix(3) < fix(8191)
    for n in (8192, -8193, 2 ** 31, -2 ** 40, 10 ** 30):
        w = h.make_int(n)
        assert w & 1 == 0 and h.int_value(w) == n
    assert NIL & 3 == 3


def test_cons_car_cdr_and_compact_lists():
    from arena import Heap, NIL, NEXT, LAST, CAR
    from array import array
    h = Heap(256)
    p = h.cons(1, NIL)
    assert h.is_pair(p) and h.car(p) == 1 and h.cdr(p) == NIL
    src = array('H', [5, 9, 13])
    lst = h.alloc_list(0, 3, NIL, src)
    i = lst >> 1
    assert [h.code(i + k) for k in range(3)] == [NEXT, NEXT, LAST]
    assert h.car(h.cdr(lst)) == 9 and h.cdr(h.cdr(lst)) == (i + 2) << 1
    assert h.cdr(h.cdr(h.cdr(lst))) == NIL
    dotted = h.alloc_list(0, 2, 13, src)
    assert h.code((dotted >> 1) + 1) == CAR and h.cdr(h.cdr(dotted)) == 13


def test_allocation_takes_whole_runs_and_reports_exhaustion():
    from arena import Heap, LispError, NIL
    h = Heap(64)
    h.collector = lambda: None          # nothing can be freed
    pairs = [h.cons(k, NIL) for k in range(32)]
    assert len(set(pairs)) == 32
    with pytest.raises(LispError, match="out of memory"):
        h.cons(1, NIL)


def test_strings_in_the_arena():
    from arena import Heap
    h = Heap(256)
    s = h.make_string(b"hello!", 0, 6)
    assert h.string_len(s) == 6 and bytes(h.string_bytes(s)) == b"hello!"
    assert h.string_byte(s, 1) == ord("e") and h.string_byte(s, 5) == ord("!")


# -- symbols --------------------------------------------------------------------------

def test_interning_finds_the_same_id_without_copying():
    from symbols import Symbols
    sy = Symbols(b"car cdr", 256)
    buf = bytearray(b"  hello world hello")
    a = sy.intern(buf, 2, 7)
    b = sy.intern(buf, 14, 19)
    assert a == b and sy.name(a) == "hello"
    assert sy.intern(b"car", 0, 3) == 256
    assert sy.used == 1


def test_reclaimed_names_are_compacted_and_the_index_stays_right():
    from symbols import Symbols
    sy = Symbols(b"car", 64)
    ids = [sy.intern(("sym%d" % k).encode(), 0, len("sym%d" % k)) for k in range(8)]
    marks = bytearray(32)
    for k in (1, 5):
        marks[ids[k] >> 3] |= 1 << (ids[k] & 7)
    assert sy.reclaim(marks) == 6
    assert sy.used == 2
    sy.compact()
    assert sy.top == len("sym1") + len("sym5")
    assert sy.intern(b"sym5", 0, 4) == ids[5]
    assert sy.name(ids[1]) == "sym1"
    # freed IDs are handed out again
    assert sy.intern(b"new", 0, 3) in ids


def test_built_in_names_read_from_a_file_work_as_the_bytes_do(tmp_path):
    # a board with .mpy files keeps the built-in names in names.bin: every
    # lookup, name, reclaim and checksum agrees with the in-memory table
    from binascii import crc32
    import startup
    import builtin_names
    from symbols import Symbols, NUSER
    import struct
    blob = bytes(builtin_names.name_tables(startup.library_path())[0])
    mem = Symbols(blob, 256)
    boff, index = bytes(mem.boff), bytes(mem.bindex)
    (tmp_path / "names.bin").write_bytes(struct.pack("<H", mem.nbuiltin) + boff + blob + index)
    sy = Symbols(str(tmp_path / "names.bin"), 256)
    assert sy.blob is None and sy.boff is None and sy.bindex is None
    assert sy.nbuiltin == mem.nbuiltin
    # the program's index is all the RAM index there is: 64 IDs (what 256
    # name bytes get) in 128 slots
    assert len(sy.ulen) == 64 and len(sy.index) == 128
    for i, nm in enumerate(blob.split(b" ")):
        assert sy.intern(nm, 0, len(nm)) == NUSER + i
        assert sy.name(NUSER + i) == nm.decode()
    ids = [sy.intern(b"x%d" % k, 0, len(b"x%d" % k)) for k in range(40)]
    ids.append(sy.intern(b"cdr-", 0, 4))            # near a built-in name
    assert all(i < NUSER for i in ids) and sy.used == 41
    marks = bytearray(32)
    marks[ids[3] >> 3] |= 1 << (ids[3] & 7)
    assert sy.reclaim(marks) == 40
    sy.compact()
    assert sy.intern(b"x3", 0, 2) == ids[3] and sy.name(ids[3]) == "x3"
    # a program name already in is found in RAM: the file is not read
    reads = []
    real = sy.read_at
    sy.read_at = lambda pos: reads.append(pos) or real(pos)
    assert sy.intern(b"x3", 0, 2) == ids[3] and reads == []
    del sy.read_at
    assert sy.intern(b"string-append", 0, 13) == mem.intern(b"string-append", 0, 13)
    # images check the names by their crc (image.py reads the file in pieces)
    from image import names_crc
    assert names_crc(sy, 7) == crc32(blob, 7) == names_crc(mem, 7)


# -- reader and printer --------------------------------------------------------------

@pytest.mark.parametrize("text,printed", [
    ("(a . b)", "(a . b)"),
    ("(1 2 . 3)", "(1 2 . 3)"),
    ("'x", "(quote x)"),
    ("`(a ,b ,@c)", "(quasiquote (a (unquote b) (unquote-splicing c)))"),
    ("#(1 #t #f ())", "#(1 #t #f ())"),
    ("\"a\\tb\\n\\\"q\\\"\\\\\"", "\"a\\tb\\n\\\"q\\\"\\\\\""),
    ("(#\\a #\\space #\\newline #\\x41 #\\()", "(#\\a #\\space #\\newline #\\A #\\()"),
    ("; comment\n (x #| block #| nested |# |# y)", "(x y)"),
    ("(a #;(ignored datum) b)", "(a b)"),
    ("(#true #false)", "(#t #f)"),
    ("-17", "-17"),
    ("123456789012345678901234567890", "123456789012345678901234567890"),
    ("(+ - ... 1+ a.b)", "(+ - ... 1+ a.b)"),
    ("()", "()"),
    # string escapes: \xHH; is a code point (kept as UTF-8, written as
    # itself), control characters are written back as escapes, a
    # backslash ending a line drops the break and the blanks around it
    ('"\\x3BB;\\x1F600;\\xe9;"', '"\u03bb\U0001f600\u00e9"'),
    ('"a\\x41;\\x1b;\\x7f;\\x0;b"', '"aA\\x1b;\\x7f;\\x0;b"'),
    ('"\\a\\b\\t\\r"', '"\\a\\b\\t\\r"'),
    ('"one \\   \n    two\\\r\nthree"', '"one twothree"'),
])
def test_read_and_write_round_trip(text, printed):
    it = fresh()
    assert it.repr(it.read(text)) == printed


@pytest.mark.parametrize("text,msg", [
    ("(a b", "unexpected end of input"),
    ("\"abc", "unterminated string"),
    (")", "unexpected )"),
    ("(a . )", "unexpected )"),
    ("( . a)", "misplaced ."),
    ("(a . b c)", "more than one datum after ."),
    ("#q", "unknown syntax #q"),
    ("#\\bogus", "unknown character"),
    ('"\\x41"', "needs hex digits and a ;"),
    ('"\\x;"', "needs hex digits and a ;"),
    ('"\\xG1;"', "not a hex digit"),
    ('"\\x110000;"', "no such character: \\x110000;"),
    ('"\\xD800;"', "no such character: \\xd800;"),
    ('"a\\  b"', "must end the line"),
])
def test_reader_errors(text, msg):
    from arena import LispError
    it = fresh()
    with pytest.raises(LispError, match=re.escape(msg)):
        it.read(text)


def test_string_escapes_above_a_byte_are_characters_on_micropython_too(tmp_path):
    # "\x3BB;" was cut to its low byte on MicroPython (and a ValueError on
    # CPython); written back, displayed, and read from a string port by a
    # program whose guard catches the bad escapes
    prog = tmp_path / "escapes.scm"
    prog.write_text('(write "\\x3BB;\\x1F600;") (newline)\n'
                    '(display "\\x3BB;") (newline)\n'
                    '(write (read (open-input-string "\\"\\\\x3BB;\\""))) (newline)\n'
                    '(display (guard (e ((error-object? e) (error-object-message e)))\n'
                    '  (read (open-input-string "\\"\\\\x41\\"")))) (newline)\n')
    want = '"\u03bb\U0001f600"\n\u03bb\n"\u03bb"\nread: a \\x escape in a string needs hex digits and a ;\n'
    it = fresh()
    it.run_string(prog.read_text())
    assert "".join(it.output) == want
    r = run_mote_micropython(prog)
    assert r.returncode == 0 and r.stdout == want, r.stderr


def test_incomplete_input_is_told_apart_for_the_repl():
    from reader import Incomplete
    it = fresh()
    with pytest.raises(Incomplete):
        it.read("(define (f x)\n  (* x")


def test_display_and_write_differ_only_in_escapes():
    it = fresh()
    it.eval_string('(display (list "a" #\\b (vector "c")))')
    it.eval_string('(write (list "a" #\\b (vector "c")))')
    assert "".join(it.output) == '(a b #(c))("a" #\\b #("c"))'


# -- collector ---------------------------------------------------------------------------

def test_collector_frees_garbage_and_keeps_roots():
    from verify import verify
    it = fresh(arena_words=1024)
    it.eval_string("(define keep (list 1 2 3))")
    for _ in range(20):
        it.eval_string("(let loop ((i 0) (a '())) (if (< i 100) (loop (+ i 1) (cons i a)) 0))")
    assert it.stats()["gc_runs"] > 0
    verify(it)
    assert it.eval_string("keep") == "(1 2 3)"


def test_mark_stack_overflow_is_handled_by_rescanning():
    from verify import verify
    it = fresh(arena_words=8192)
    # a wide tree: a vector of 1000 fresh lists overflows the 128-range stack
    it.eval_string("(define v (make-vector 1000 #f))")
    it.eval_string("(let loop ((i 0)) (if (< i 1000) (begin (vector-set! v i (list i i)) "
                   "(loop (+ i 1)))))")
    it.collector.collect()
    verify(it)
    assert it.eval_string("(vector-ref v 999)") == "(999 999)"


def test_a_full_store_is_compacted_before_giving_up():
    from symbols import Symbols
    sy = Symbols(b"car", 16)
    a = sy.intern(b"aaaaaaaa", 0, 8)
    sy.intern(b"bbbbbbbb", 0, 8)
    # the collector (on_full) finds "aaaaaaaa" unreferenced
    marks = bytearray(32)
    sy.on_full = lambda: sy.reclaim(marks)
    c = sy.intern(b"cccccccc", 0, 8)
    assert sy.used == 1 and sy.name(c) == "cccccccc"
    assert sy.top == 8
    assert a in (c, 0, 1)
