"""help.txt: one line per name a user can call, and (help 'name)."""
from conftest import FIRMWARE, fresh

HELP = FIRMWARE / "help.txt"


def callable_names():
    # every non-% builtin, every library name (';;; name ...' chunk headers)
    # and every special form but the compiler's internal #-names
    import builtin_table
    import builtin_names
    import compiler
    names = set()
    for entry in builtin_names.table().split():
        names.add(entry.rsplit(":", 1)[0])
    for line in (FIRMWARE / "library.scm").read_text().splitlines():
        if line.startswith(";;; "):
            names.update(line.split()[1:])
    names.update(compiler.KEYWORDS.split())
    return {n for n in names if not n.startswith("%") and not n.startswith("#")}


def help_lines():
    return HELP.read_text().splitlines()


def test_every_name_has_exactly_one_line():
    lines = help_lines()
    names = [line.split(" ", 1)[0] for line in lines]
    wanted = callable_names()
    missing = sorted(wanted - set(names))
    assert not missing, "no help.txt line for: " + " ".join(missing)
    dups = sorted({n for n in names if names.count(n) > 1})
    assert not dups, "more than one help.txt line for: " + " ".join(dups)
    extra = sorted(set(names) - wanted)
    assert not extra, "help.txt lines for names Mote does not define: " + " ".join(extra)


def test_lines_are_sorted_short_ascii_and_well_formed():
    lines = help_lines()
    assert lines == sorted(lines)
    for line in lines:
        assert line.isascii(), line
        assert len(line) < 120, line
        name, sep, desc = line.partition(" ")
        assert name and sep and desc.strip() == desc and desc, line
        # a call template first, naming the thing described
        assert desc.startswith("(" + name) or desc.startswith("(test " + name), line
        assert ": " in desc, line


def test_help_prints_arity_and_description():
    it = fresh()
    it.eval_string("(help 'car)")
    out = "".join(it.output)
    assert out == "car: builtin procedure, 1 argument\n  (car pair): the first element of pair.\n"


def test_help_of_library_procedure_macro_and_special_form():
    it = fresh()
    it.eval_string("(help 'map)")
    it.eval_string("(help 'guard)")
    it.eval_string("(help 'if)")
    out = "".join(it.output)
    assert "map: procedure, 2 or more arguments\n  (map proc list1 list2 ...):" in out
    assert "guard: macro\n  (guard (var clause ...) body ...):" in out
    assert "if: special form\n  (if test then [else]):" in out


def test_help_of_unknown_name():
    it = fresh()
    it.eval_string("(help 'no-such-procedure)")
    assert "".join(it.output) == "no-such-procedure: not defined\n"
