"""Strings, characters, bytevectors, string ports, output and format
(firmware/text.py and its library chunks): what the corpus cannot show
(console input, chunked port buffers, the symbol table filling up, stress
collections in the middle of port output, table bookkeeping)."""
import io
import sys

import pytest

from conftest import fresh


def ev(it, text):
    return it.eval_string(text)


def out(it):
    text = "".join(it.output)
    del it.output[:]
    return text


def caught(it, expr):
    """The message of the error expr raises, caught in Lisp."""
    return ev(it, "(guard (e (#t (error-object-message e))) %s)" % expr)


# -- tables --------------------------------------------------------------------------

def test_family_places_match_the_text_and_ports_tables():
    import strings
    import ports
    import builtin_names
    for mod, places in ((strings, (("P_STRING_CI", "string-ci=?"), ("P_STRING_CASE", "string-upcase"),
                               ("P_STRING_SET", "string-set!"), ("P_STRING_FILL", "string-fill!"),
                               ("P_STRING_COPY_X", "string-copy!"),
                               ("P_STRING_SEARCH", "string-search"),
                               ("P_STRING_INDEX", "string-index"), ("P_STRING_TRIM", "string-trim"),
                               ("P_STRING_PREFIX", "string-prefix?"), ("P_STRING_PAD", "string-pad"),
                               ("P_STRING_VECTOR", "string->vector"),
                               ("P_BYTES_COPY", "bytevector-copy"))),
                        (ports, (("P_CURRENT_PORT", "current-output-port"), ("P_PORTP", "port?"),
                                 ("P_WRITE_SHARED", "write-shared"),
                                 ("P_PORT_OPEN", "input-port-open?"),
                                 ("P_OPEN_BYTES", "open-input-bytevector")))):
        names = [e.split(":")[0] for e in builtin_names.table_of(mod.__name__).split()]
        assert len(names) == len(mod.FUNCS)
        for const, name in places:
            assert names[getattr(mod, const)] == name, const
    # ports.py hands the reading builtins to port_input.py
    import port_input
    names = [e.split(":")[0] for e in builtin_names.table_of("ports").split()]
    for const, name in (("P_READ_CHAR", "read-char"), ("P_OPEN_BYTES", "open-input-bytevector"),
                        ("P_READ_U8", "read-u8")):
        assert names[getattr(port_input, const)] == name, const
    assert [names.index(n) for n in ("read-line", "read-string", "char-ready?", "read",
                                     "read-from-string")] == list(range(17, 22))
    assert [f.__name__ for f in port_input.READERS] == [
        "p_read_line", "p_read_string", "p_char_ready", "p_read", "p_read_from_string"]
    assert {k for k, f in enumerate(ports.FUNCS) if f is ports.p_input} == \
        {names.index(n) for n in ("read-char", "peek-char", "read-line", "read-string",
                                  "char-ready?", "read", "read-from-string",
                                  "open-input-bytevector", "read-u8", "peek-u8")}
    # each family's members share its function
    for mod, first, count in ((strings, strings.P_STRING_CI, 10),
                              (strings, strings.P_STRING_CASE, 3),
                              (strings, strings.P_STRING_INDEX, 3),
                              (strings, strings.P_STRING_TRIM, 4),
                              (ports, ports.P_CURRENT_PORT, 3), (ports, ports.P_PORTP, 3)):
        assert len(set(mod.FUNCS[first:first + count])) == 1


def test_string_procedures_do_not_load_the_ports():
    import sys
    it = fresh()
    for m in ("text", "ports"):
        sys.modules.pop(m, None)
    import builtin_table
    it.prims = builtin_table.functions()
    it.families = [None] * len(builtin_table.FAMILIES)
    assert ev(it, '(string-upcase (string-append "a" "b"))') == '"AB"'
    assert "text" in sys.modules and "ports" not in sys.modules
    assert ev(it, '(let ((p (open-output-string))) (write "x" p) (get-output-string p))') \
        == '"\\"x\\""'
    assert "ports" in sys.modules


def test_text_names_are_builtins_or_library_names():
    import builtin_table
    import builtin_names
    from builtin_names import library_names
    names = [e.split(":")[0] for e in builtin_names.table().split()]
    lib = library_names()[0].split()
    for n in ("string-search", "format", "read-line", "bytevector-append", "get-output-string"):
        assert names.count(n) == 1
    for n in ("string-map", "string-for-each", "with-output-to-string",
              "call-with-output-string", "%string-scan", "%string-trim"):
        assert n in lib and n not in names


# -- strings and chars ---------------------------------------------------------------

def test_strings_are_utf8_and_count_characters():
    it = fresh()
    ev(it, '(define s "a\u03bbb\u20acc\U0001F600")')
    assert ev(it, "(string-length s)") == "6"
    assert ev(it, "(map char->integer (string->list s))") == "(97 955 98 8364 99 128512)"
    assert ev(it, "(string-ref s 3)") == "#\\\u20ac"
    assert ev(it, "(substring s 1 4)") == '"\u03bbb\u20ac"'
    assert ev(it, "(string-copy s 4)") == '"c\U0001F600"'
    assert ev(it, "(string-length (string-append s s))") == "12"
    assert ev(it, "(bytevector-length (string->utf8 s))") == "12"
    assert ev(it, "(string->utf8 s 1 2)") == "#u8(206 187)"
    assert ev(it, "(string-index s #\\c)") == "4"
    assert ev(it, '(string-search "c" s)') == "4"
    assert ev(it, "(string->vector s 4)") == "#(#\\c #\\\U0001F600)"
    assert ev(it, "(list->string (list #\\x3bb #\\x1F600 #\\a))") == '"\u03bb\U0001F600a"'
    assert ev(it, '(string-pad "\u03bbb" 4 #\\\u20ac)') == '"\u20ac\u20ac\u03bbb"'
    assert ev(it, '(string-pad-right "\u03bbb" 1)') == '"\u03bb"'
    assert ev(it, '(string-reverse "a\u03bbb")') == '"b\u03bba"'
    assert ev(it, '(string-split "a\u03bbb\u03bbc" #\\\u03bb)') == '("a" "b" "c")'
    assert ev(it, '(string-trim-both "\u00a0x\u3000")') == '"x"'
    # UTF-8 bytes sort as code points do
    assert ev(it, '(list (string<? "z" "\u03bb") (string<? "\u03bb" "\u20ac"))') == "(#t #t)"


def test_string_set_and_fill_take_any_character():
    it = fresh()
    # make-string leaves room for two bytes a char: any char up to U+07FF
    assert ev(it, "(let ((s (make-string 2))) (string-set! s 0 (integer->char 256)) "
                  "(string-set! s 1 #\\\u03bb) s)") == '"\u0100\u03bb"'
    assert ev(it, "(let ((s (make-string 3 #\\a))) (string-fill! s #\\\u00e9 1) s)") == \
        '"a\u00e9\u00e9"'
    assert ev(it, '(let ((s (make-string 3 #\\\u03bb))) (string-set! s 0 #\\a) '
                  '(string-set! s 1 #\\\u20ac) (list s (string-length s)))') == '("a\u20ac\u03bb" 3)'
    assert ev(it, '(let ((s (make-string 4 #\\b))) (string-copy! s 1 "\u03bb") s)') == \
        '"b\u03bbbb"'
    assert ev(it, '(let ((s (string-copy "a\u03bbcd"))) (string-copy! s 0 "\u00e9f" 0 2) s)') == \
        '"\u00e9fcd"'
    # a string with no room for wider UTF-8 says so, and keeps its text
    ev(it, '(define t (string-copy "ab"))')
    assert caught(it, "(string-set! t 0 #\\\u20ac)") == \
        '"string-set!: no room for the wider UTF-8 characters in: \\"ab\\""'
    assert ev(it, "t") == '"ab"'
    assert ev(it, "(let ((s (make-string 2 #\\a))) (string-set! s 1 (integer->char 255)) "
                  "(char->integer (string-ref s 1)))") == "255"


def test_characters_cover_unicode():
    it = fresh()
    assert ev(it, "(char->integer #\\x1F600)") == "128512"
    assert ev(it, "(list (char? #\\x1F600) (eqv? #\\x20AC (integer->char 8364)) "
                  "(eq? #\\x3bb #\\\u03bb) (char<? #\\x1FFF #\\x2000))") == "(#t #t #t #t)"
    assert ev(it, "(integer->char #x10FFFF)") == "#\\\U0010ffff"
    for bad in ("#xD800", "#x110000", "-1"):
        assert "not a Unicode scalar value" in caught(it, "(integer->char %s)" % bad)
    assert ev(it, "(let ((h (make-equal-hash-table))) (hash-table-set! h #\\x1F600 1) "
                  "(hash-table-ref/default h (integer->char #x1F600) 0))") == "1"
    assert ev(it, "(let ((h (make-eqv-hash-table))) (hash-table-set! h #\\x20AC 1) "
                  "(hash-table-ref/default h (string-ref \"\u20ac\" 0) 0))") == "1"
    # write prints a char as itself; display and write agree on the bytes
    assert ev(it, '(let ((p (open-output-string))) (write #\\x1F600 p) (display #\\x3bb p) '
                  '(write "\u03bb" p) (get-output-string p))') == '"#\\\\\U0001F600\u03bb\\"\u03bb\\""'
    assert ev(it, "(list #\\xA0 #\\x85)") == "(#\\xa0 #\\x85)"


def test_case_and_classes_beyond_ascii():
    it = fresh()
    pairs = "a\u00e0\u00fe\u00ff\u0101\u013a\u017e\u03b1\u03c9\u03cc\u0430\u044f\u0451"
    uppers = "A\u00c0\u00de\u0178\u0100\u0139\u017d\u0391\u03a9\u038c\u0410\u042f\u0401"
    assert ev(it, '(string-upcase "%s")' % pairs) == '"%s"' % uppers
    assert ev(it, '(string-downcase "%s")' % uppers) == '"%s"' % pairs
    assert ev(it, "(map char-upcase (list #\\\u00df #\\\u03c2 #\\\u00b5 #\\\u00d7))") == \
        "(#\\\u00df #\\\u03a3 #\\\u039c #\\\u00d7)"
    assert ev(it, "(char-foldcase #\\\u03c2)") == "#\\\u03c3"
    assert ev(it, '(string-ci=? "\u039b\u038c\u0393\u039f\u03a3" "\u03bb\u03cc\u03b3\u03bf\u03c2")') == "#t"
    assert ev(it, "(map char-alphabetic? (list #\\\u00e9 #\\\u03bb #\\\u4e2d #\\\u00d7 #\\1))") == \
        "(#t #t #t #f #f)"
    assert ev(it, "(map char-upper-case? (list #\\\u00c9 #\\\u00e9 #\\\u0416))") == "(#t #f #t)"
    assert ev(it, "(map char-whitespace? (list #\\xA0 #\\x3000 #\\x2028 #\\x200B))") == \
        "(#t #t #t #f)"


def test_ports_read_and_write_characters():
    it = fresh()
    ev(it, '(define p (open-input-string "\u03bbx\u20ac\U0001F600"))')
    assert ev(it, "(list (peek-char p) (read-char p) (read-char p) (read-char p) "
                  "(peek-char p) (read-char p) (eof-object? (read-char p)))") == \
        "(#\\\u03bb #\\\u03bb #\\x #\\\u20ac #\\\U0001F600 #\\\U0001F600 #t)"
    assert ev(it, '(read-string 2 (open-input-string "\u03bb\u20ac\U0001F600"))') == '"\u03bb\u20ac"'
    assert ev(it, '(let ((p (open-output-string))) (write-char #\\x1F600 p) '
                  '(write-string "a\u03bbbc" p 1 3) (get-output-string p))') == '"\U0001F600\u03bbb"'
    assert ev(it, '(read (open-input-string "#\\\\\u20ac"))') == "#\\\u20ac"


def test_string_set_keeps_the_neighbouring_byte():
    # two bytes share a word: setting one must not disturb the other
    it = fresh()
    ev(it, '(define s (string-copy "abcde"))')
    for k, c in enumerate("VWXYZ"):
        ev(it, "(string-set! s %d #\\%s)" % (k, c))
        assert ev(it, "s") == '"' + "VWXYZ"[:k + 1] + "abcde"[k + 1:] + '"'


def test_string_to_list_takes_a_range():
    # R7RS (string->list s start end): the function takes the range; the
    # core table row decides how many arguments reach it
    import text
    it = fresh()
    s = it.run_string('"hello"')
    it.S[0] = s
    it.S[1] = it.heap.make_int(1)
    it.S[2] = it.heap.make_int(3)
    it.sp = 3
    assert it.repr(text.p_string_to_list(it, 0, 3, 0)) == "(#\\e #\\l)"
    assert it.repr(text.p_string_to_list(it, 0, 2, 0)) == "(#\\e #\\l #\\l #\\o)"
    assert it.repr(text.p_string_to_list(it, 0, 1, 0)) == "(#\\h #\\e #\\l #\\l #\\o)"
    it.sp = 0


def test_case_folding_is_ascii():
    it = fresh()
    assert ev(it, '(string-upcase "abc-xyz_AZ09")') == '"ABC-XYZ_AZ09"'
    # as in Guile: string-ci folds to lower case ("a_" < "ab": 95 < 98),
    # char-ci to upper case (#\_ > #\B: 95 > 66)
    assert ev(it, '(string-ci<? "a_" "AB")') == "#t"
    assert ev(it, '(string-ci<? "A_" "ab")') == "#t"
    assert ev(it, "(char-ci<? #\\_ #\\b)") == "#f"
    assert ev(it, "(char-ci>? #\\_ #\\B)") == "#t"
    assert ev(it, "(char-ci=? #\\[ #\\{)") == "#f"


def intern_until_full(it):
    # Make live program symbols (sym0, sym1, ...) until the table is full;
    # returns the error's message. The guard's library chunks are loaded
    # first: they name their local variables with program symbols.
    ev(it, "(define keep '())")
    ev(it, "(guard (e (#t e)) (raise 'x))")
    return ev(it, """(guard (e (#t (error-object-message e)))
                      (let loop ((i 0))
                        (set! keep (cons (string->symbol (string-append "sym" (number->string i)))
                                         keep))
                        (loop (+ i 1))))""")


def test_string_to_symbol_when_the_symbol_table_is_full():
    # 256 program symbols: the 257th live one is a catchable error naming
    # string->symbol, and the program goes on
    it = fresh()
    msg = intern_until_full(it)
    assert msg.startswith('"string->symbol: symbol table full: 256 symbols in use: \\"sym')
    assert ev(it, "(length keep)") != "0"
    ev(it, "(set! keep '())")
    assert ev(it, '(symbol->string (string->symbol "again"))') == '"again"'
    assert caught(it, '(string->symbol "")') == '"string->symbol: empty name: \\"\\""'


def test_a_small_name_store_gets_fewer_program_symbol_ids():
    # 1,024 name bytes: 192 IDs (names of 5 to 6 bytes fill the store), the
    # index and the ID tables sized for those; the 193rd live symbol is a
    # catchable error and the session goes on
    it = fresh(symbol_bytes=1024)
    assert len(it.symbols.ulen) == len(it.symbols.ustart) == 192
    assert len(it.symbols.index) == 256 and it.stats()["symbols_max"] == 192
    assert intern_until_full(it).startswith('"string->symbol: symbol table full: 192 symbols in use')
    ev(it, "(set! keep '())")
    assert ev(it, "(symbol->string 'again)") == '"again"'
    assert fresh(symbol_bytes=4096).stats()["symbols_max"] == 256


def test_string_to_symbol_when_the_name_store_is_full():
    it = fresh(symbol_bytes=600)
    ev(it, "(guard (e (#t e)) (raise 'x))")
    ev(it, "(define keep '())")
    msg = ev(it, """(guard (e (#t (error-object-message e)))
                      (let loop ((i 0))
                        (set! keep (cons (string->symbol (string-append (make-string 200 #\\a)
                                                                        (number->string i)))
                                         keep))
                        (loop (+ i 1))))""")
    assert msg.startswith('"string->symbol: symbol store full: no room for a 201-byte name: ')
    assert ev(it, "(length keep)") == "2"
    # once the names are garbage the store is compacted and has room again
    ev(it, "(set! keep '())")
    assert ev(it, "(string-length (symbol->string (string->symbol (make-string 250 #\\b))))") \
        == "250"
    assert caught(it, "(string->symbol (make-string 256 #\\c))").startswith(
        '"string->symbol: name longer than 255 bytes: ')


def test_hex_and_named_characters_read_and_print():
    it = fresh()
    for text, printed in (("#\\x41", "#\\A"), ("#\\x7f", "#\\delete"), ("#\\x0", "#\\nul"),
                          ("#\\x20", "#\\space"), ("#\\x", "#\\x"), ("#\\escape", "#\\esc"),
                          ("#\\null", "#\\nul"), ("#\\delete", "#\\delete")):
        assert it.repr(it.read(text)) == printed


# -- bytevectors ---------------------------------------------------------------------

def test_bytevector_literals_read_print_and_compare():
    from arena import T_BYTES
    from reader import Incomplete
    from arena import LispError
    it = fresh()
    v = it.read("#u8( 1 2\n 255 ; comment\n )")
    assert it.heap.box_type(v) == T_BYTES
    assert it.repr(v) == "#u8(1 2 255)"
    assert it.repr(it.read("(a #u8() b)")) == "(a #u8() b)"
    with pytest.raises(Incomplete):
        it.read("#u8(1 2")
    with pytest.raises(LispError, match="not a byte in #u8"):
        it.read("#u8(1 -1)")
    with pytest.raises(LispError, match="not a byte in #u8"):
        it.read("#u8(1 a)")
    assert ev(it, '(equal? "AB" (string->utf8 "AB"))') == "#f"
    assert ev(it, '(equal? (string->utf8 "AB") (bytevector 65 66))') == "#t"
    assert ev(it, "(bytevector? (string->utf8 \"x\"))") == "#t"
    assert ev(it, '(string? (string->utf8 "x"))') == "#f"


# -- output ports ----------------------------------------------------------------------

def chunks(it, port_expr):
    """The chunk strings of a string output port (newest first)."""
    from arena import NIL
    p = it.run_string(port_expr)
    h = it.heap
    lst = h.W[(p >> 1) + 2]
    res = []
    while lst != NIL:
        res.append(h.car(lst))
        lst = h.cdr(lst)
    return res


def test_port_output_fills_chunks_instead_of_one_box_per_write():
    it = fresh()
    ev(it, "(define p (open-output-string))")
    ev(it, "(let loop ((i 0)) (if (< i 1000) (begin (write-char #\\a p) (loop (+ i 1)))))")
    cs = chunks(it, "p")
    # chunks double from 32 bytes up to 1024: 32+64+...+1024 > 1000
    assert 1 < len(cs) <= 6
    assert sum(it.heap.string_len(c) for c in cs) == 1000
    assert ev(it, "(string-length (get-output-string p))") == "1000"
    assert ev(it, '(string=? (get-output-string p) (make-string 1000 #\\a))') == "#t"


def test_port_output_order_and_large_writes():
    it = fresh()
    ev(it, "(define p (open-output-string))")
    ev(it, '(define big (make-string 3000 #\\b))')
    ev(it, '(display "head" p) (display big p) (write "tail" p)')
    assert ev(it, "(string-length (get-output-string p))") == str(4 + 3000 + 6)
    assert ev(it, "(substring (get-output-string p) 0 6)") == '"headbb"'
    assert ev(it, "(substring (get-output-string p) 3002 3010)") == '"bb\\"tail\\""'
    ev(it, "(display big p)")
    assert caught(it, "(get-output-string p)") == \
        '"get-output-string: string too long: 6010 bytes"'


def test_ports_survive_collections_at_every_allocation():
    from verify import verify
    it = fresh(arena_words=2048)
    it.heap.stress = True
    ev(it, "(define p (open-output-string))")
    ev(it, """(let loop ((i 0))
                (if (< i 60)
                    (begin (write (list i "s" #\\c) p) (newline p) (loop (+ i 1)))))""")
    text = it.run_string("(get-output-string p)")
    verify(it)
    expect = "".join('(%d "s" #\\c)\n' % i for i in range(60))
    assert it.heap.string_bytes(text).decode() == expect
    assert ev(it, '(with-output-to-string (lambda () (format #t "~a|~s" "x" "y")))') == '"x|\\"y\\""'
    assert ev(it, '(let ((q (open-input-string "(1 2) (3)"))) (list (read q) (read q) (read q)))') \
        == "((1 2) (3) #<eof>)"
    verify(it)
    it.heap.stress = False


def test_current_output_port_is_the_string_port_inside_with_output_to_string():
    it = fresh()
    assert ev(it, "(let ((inner #f)) (with-output-to-string (lambda () "
                  "(set! inner (current-output-port)))) (output-port? inner))") == "#t"
    assert ev(it, "(with-output-to-string (lambda () (display \"a\" (current-output-port)) "
                  "(display \"b\")))") == '"ab"'
    # the current output port goes back to the console after an error too
    ev(it, "(guard (e (#t #f)) (with-output-to-string (lambda () (car 1))))")
    ev(it, '(display "visible")')
    assert out(it) == "visible"


def test_uncaught_error_inside_with_output_to_string_resets_the_output():
    from arena import LispError
    it = fresh()
    with pytest.raises(LispError):
        ev(it, '(with-output-to-string (lambda () (display "lost") (car 1)))')
    ev(it, '(display "back")')
    assert out(it) == "back"


def test_fresh_line_follows_the_console_column():
    it = fresh()
    ev(it, '(format #t "~&a")')
    ev(it, '(format #t "~&b~%")')
    ev(it, '(display "c\\n")')
    ev(it, '(format #t "~&d")')
    ev(it, "(newline)")
    ev(it, "(display #\\e) (display #\\newline)")
    ev(it, '(format #t "~&f")')
    assert out(it) == "a\nb\nc\nd\ne\nf"


def test_display_and_write_to_the_console_with_and_without_a_port():
    it = fresh()
    ev(it, '(display "x" (current-output-port)) (write "x" (current-output-port)) '
           '(newline (current-output-port)) (write-string "abcdef" (current-output-port) 2 4) '
           '(write-char #\\z) (write-u8 33)')
    assert out(it) == 'x"x"\ncdz!'


def test_format_forms():
    it = fresh()
    assert ev(it, '(format #f "~a/~s/~d/~x/~o/~b" "s" "s" -5 -255 64 -6)') == '"s/\\"s\\"/-5/-ff/100/-110"'
    assert ev(it, '(format "~a" 1)') == '"1"'
    assert ev(it, '(format "~~")') == '"~"'
    ev(it, '(format #t "~a~%" 1)')
    assert out(it) == "1\n"
    assert caught(it, '(format #f "~a")') == '"format: no argument left for ~a"'
    assert caught(it, '(format #f "~Z" 1)') == '"format: unknown directive ~Z"'
    assert caught(it, "(format #t)") == '"format: no format string"'


# -- input -----------------------------------------------------------------------------

def test_console_input_reads_lines_of_stdin(monkeypatch):
    it = fresh()
    monkeypatch.setattr(sys, "stdin", io.StringIO("ab\n(1\n 2) tail\nlast line\n"))
    assert ev(it, "(peek-char)") == "#\\a"
    assert ev(it, "(read-char)") == "#\\a"
    assert ev(it, "(read-line)") == '"b"'
    assert ev(it, "(read)") == "(1 2)"
    assert ev(it, "(read)") == "tail"
    assert ev(it, "(read-line)") == '""'
    assert ev(it, "(read-string 4)") == '"last"'
    assert ev(it, "(read-line (current-input-port))") == '" line"'
    assert ev(it, "(eof-object? (read-char))") == "#t"
    assert ev(it, "(eof-object? (read))") == "#t"
    assert ev(it, "(eof-object? (read-line))") == "#t"


def test_console_read_of_an_unfinished_datum_is_an_error(monkeypatch):
    it = fresh()
    monkeypatch.setattr(sys, "stdin", io.StringIO("(1 2\n"))
    assert caught(it, "(read)") == '"read: unexpected end of input"'
    assert ev(it, "(+ 1 2)") == "3"


def test_string_port_read_keeps_its_position():
    it = fresh()
    ev(it, '(define p (open-input-string "abc (d e) \\"f\\" g"))')
    assert ev(it, "(read-char p)") == "#\\a"
    assert ev(it, "(read p)") == "bc"
    assert ev(it, "(read p)") == "(d e)"
    assert ev(it, "(peek-char p)") == "#\\space"
    assert ev(it, "(read p)") == '"f"'
    assert ev(it, "(read-line p)") == '" g"'
    assert ev(it, "(read p)") == "#<eof>"
    assert ev(it, "(char-ready? p)") == "#t"


def test_format_rejects_directives_it_does_not_know():
    # only letters fold case: ~^ is not ~~, and a control character is not ~%
    from arena import LispError
    it = fresh()
    assert it.eval_string('(format #f "~A~S" 1 "x")') == '"1\\"x\\""'
    for d in ("~^", "~\x05", "~\x06"):
        with pytest.raises(LispError, match="format: unknown directive"):
            it.eval_string('(format #f "%s")' % d)
