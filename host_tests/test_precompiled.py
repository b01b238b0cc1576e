"""library.scm compiled at build time (tools/precompile.py) and loaded by
firmware/precompiled.py: the same procedures and macros as reading and
compiling the text, with no reading or compiling on the board, a
consistent arena under collection and Ctrl-C, and the text again where
the compiled file does not match library.scm."""
import shutil
import struct
import sys

import pytest

from conftest import FIRMWARE, fresh

EXPRS = ("(map (lambda (x) (* x x)) '(1 2 3))", "(assoc 2.0 '((1 . a) (2 . b)) =)",
         "(let-values (((a b) (values 1 2))) (list a b))",
         "(do ((i 0 (+ i 1)) (s '() (cons i s))) ((= i 3) s))",
         "(case 3 ((1 2) 'low) ((3 4) 'mid) (else 'high))", "(string-join '(\"a\" \"b\") \",\")",
         "(vector-map + #(1 2) #(10 20))", "(call-with-output-string (lambda (p) (write 'x p)))",
         "(fold + 0 '(1 2 3))", "(list-sort < '(3 1 2))",
         "(define-record-type point (make-point x y) point? (x px)) (px (make-point 3 4))",
         "(guard (e ((string? e) e)) (raise \"oops\"))", "(reduce max 0 '(3 9 2))",
         "(let loop ((i 0)) (if (< i 3) (loop (+ i 1)) (delete 2 '(1 2 3))))",
         "(force (delay (+ 1 2)))", "(string-upcase \"abc\")", "(iota 5)",
         "(hash-table-ref/default (alist->hash-table '((a . 1))) 'a 0)")


@pytest.fixture(scope="module")
def blob():
    sys.path.insert(0, str(FIRMWARE.parent))
    from tools.precompile import library_blob
    return library_blob()


def library_dir(tmp_path, blob):
    """library.scm and library.bin in tmp_path; the path of library.scm"""
    shutil.copyfile(str(FIRMWARE / "library.scm"), str(tmp_path / "library.scm"))
    (tmp_path / "library.bin").write_bytes(blob)
    return str(tmp_path / "library.scm")


def reads_while(thunk):
    """(the reads autoload made while thunk ran, its value)"""
    import reader
    count = [0]
    read = reader.read

    def counting(*a):
        count[0] += 1
        return read(*a)
    reader.read = counting          # (autoload imports it afresh at each load on a board;
    if "autoload" in sys.modules:   # CPython keeps it)
        sys.modules["autoload"].read = counting
    try:
        v = thunk()
        return count[0], v
    finally:
        reader.read = read
        if "autoload" in sys.modules:
            sys.modules["autoload"].read = read


def test_every_chunk_is_compiled_and_loads_with_no_reading(tmp_path, blob):
    size, n = struct.unpack_from("<IH", blob)
    assert size == (FIRMWARE / "library.scm").stat().st_size
    it = fresh()
    assert n == len(it.lib_macros)
    assert all(struct.unpack_from("<II", blob, 6 + 8 * k)[1] for k in range(n))
    other = fresh()
    read_text, text = reads_while(lambda: [other.eval_string(e) for e in EXPRS])
    it.library = library_dir(tmp_path, blob)
    reads, got = reads_while(lambda: [it.eval_string(e) for e in EXPRS])
    assert got == text
    assert reads == 0 and read_text > 30


def test_every_library_name_loads_compiled_as_it_does_from_text(tmp_path, blob):
    lib = library_dir(tmp_path, blob)
    from arena import SYM0
    a = fresh()
    b = fresh()
    b.library = lib
    for it in (a, b):
        for k in range(len(it.lib_macros)):
            it.autoload(SYM0 + ((it.lib_first + k) << 2))
    for k in range(len(a.lib_macros)):
        name = a.symbols.name(a.lib_first + k)
        if not a.lib_macros[k]:
            assert a.eval_string("(procedure? %s)" % name) == b.eval_string(
                "(procedure? %s)" % name), name


def test_a_library_changed_since_the_build_is_read_again(tmp_path, blob):
    lib = library_dir(tmp_path, blob)
    with open(lib, "a") as f:
        f.write("\n")
    it = fresh()
    it.library = lib
    reads, v = reads_while(lambda: it.eval_string("(fold + 0 '(1 2 3))"))
    assert v == "6" and reads > 0


def test_loading_under_a_collection_at_every_few_allocations(tmp_path, blob):
    from verify import verify
    it = fresh(arena_words=4096, stress=5)
    it.library = library_dir(tmp_path, blob)
    assert [it.eval_string(e) for e in EXPRS[:10]] == [fresh().eval_string(e) for e in EXPRS[:10]]
    assert it.stats()["gc_runs"] > 50
    verify(it)


def test_ctrl_c_while_a_compiled_chunk_loads_leaves_a_consistent_arena(tmp_path, blob):
    from verify import verify
    from conftest import LineCut
    lib = library_dir(tmp_path, blob)
    cutter = LineCut(("precompiled.py",))
    src = "(list-sort < (delete 2 (iota 5)))"

    def run(cut):
        it = fresh(arena_words=4096)
        it.library = lib
        it.eval_string("(define kept (list 1 \"two\" #(3)))")
        v = cutter.run(cut, lambda: it.eval_string(src))
        if v is None:
            it.recover()
            verify(it)
            assert it.eval_string("kept") == '(1 "two" #(3))'
            v = it.eval_string(src)         # loads it again, whole
        return v

    assert run(-1) == "(0 1 3 4)"
    total = cutter.count
    for cut in range(1, total, max(1, total // 40)):
        assert run(cut) == "(0 1 3 4)"


COMPILED_PROGRAMS = ("05_closures", "09_bignums", "20_macros_syntax_rules", "22_define_macro",
                     "25_promises_params_records", "31_float_arith", "45_hash_tables",
                     "53_data_programs", "56_macros_hygiene_r7rs")


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_a_compiled_program_runs_as_its_text_does(tmp_path, runtime):
    # `mote compile` (macros it defines run at compile time, nothing else);
    # `mote.py run` and (load ...) run the result with no reading there
    import subprocess
    from conftest import ROOT, run_mote_micropython
    for name in COMPILED_PROGRAMS:
        src = ROOT / "host_tests" / "corpus" / (name + ".scm")
        out = tmp_path / (name + ".moc")
        r = subprocess.run([sys.executable, str(ROOT / "tools" / "mote_cli.py"), "compile",
                            str(src), "-o", str(out)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, cwd=str(ROOT))
        assert r.returncode == 0, r.stderr
        assert out.read_bytes().startswith(b"\x00mote compiled")
        if runtime == "cpython":
            r = subprocess.run([sys.executable, str(FIRMWARE / "mote.py"), "run", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, cwd=str(ROOT))
        else:
            r = run_mote_micropython(out)
        assert r.stdout == src.with_suffix(".out").read_text(), (name, r.stderr[-300:])


def test_compiling_a_program_runs_none_of_it_but_its_macros(tmp_path, capsys):
    sys.path.insert(0, str(FIRMWARE.parent))
    from tools.precompile import file_blob
    src = tmp_path / "p.scm"
    src.write_text("(define-syntax twice (syntax-rules () ((_ e) (begin e e))))\n"
                   "(twice (display \"hi\"))\n(define (spin) (let loop () (loop)))\n")
    blob = file_blob(str(src))          # (an endless loop would be the board's to run)
    assert capsys.readouterr().out == ""
    (tmp_path / "p.moc").write_bytes(blob)
    it = fresh()
    it.eval_string('(load "%s")' % (tmp_path / "p.moc"))
    assert "".join(it.output) == "hihi"
    assert it.eval_string("(procedure? spin)") == "#t"
    assert "cannot open" in it.eval_string(
        '(guard (e (#t (error-object-message e))) (load "%s"))' % (tmp_path / "missing.moc"))
    (tmp_path / "t.scm").write_text("(define from-text 5)")
    it.eval_string('(load "%s")' % (tmp_path / "t.scm"))
    assert it.eval_string("from-text") == "5"


def test_a_program_that_does_not_compile_is_named_with_its_error(tmp_path):
    import subprocess
    from conftest import ROOT
    src = tmp_path / "bad.scm"
    src.write_text("(define (f x) (+ x 1))\n(if)\n")
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "mote_cli.py"), "compile", str(src)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       cwd=str(ROOT))
    assert r.returncode != 0 and "bad.scm" in r.stderr and "if" in r.stderr
    assert not (tmp_path / "bad.moc").exists()
