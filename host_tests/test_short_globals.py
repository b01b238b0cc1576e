"""tools/short_globals.py: a board's copy of the firmware names each
module's private globals and its classes' private attributes _a, _b, ...
and behaves exactly as the sources do."""
import ast

from tools.short_globals import (private_globals, private_attributes, short_globals,
                                 outside_words, _words)
from tools.fold_consts import fold_dir
from tools.mote_cli import firmware_dir, ROOT

LIB = """\
LIMIT = 3
TABLE = (1, 2)


def helper(x):
    return x + LIMIT


def shared(x):
    return helper(x) * 2


def shadowed(y):
    return y


def uses_shadow(shadowed):
    return shadowed


def named_in_text():
    return 'named_in_text'


class Box:
    def __init__(self, items):
        self.items = items
        self.total = 0

    def bump(self):
        self.total += len(self.items)
        self.items.append(self.total)
        return self._step()

    def _step(self):
        return self.total + TABLE[0]


for _k in range(2):
    LIMIT += 1
del _k
"""

USER = """\
from lib import shared, Box


def run():
    b = Box([1])
    b.bump()
    return shared(1), b.items
"""


def renamed(texts, outside=()):
    private = private_globals(texts, set(outside))
    attributes = private_attributes(texts, set(outside))
    out = {m: short_globals(t, m, private[m], attributes[m]) for m, t in texts.items()}
    return out, private, attributes


def test_private_globals_and_attributes_are_found():
    _, private, attributes = renamed({"lib": LIB, "user": USER})
    # shared, Box and bump are the other module's; a parameter is named
    # shadowed; named_in_text is a word of a string (getattr could use it);
    # classes keep their names; append is a list's
    assert private["lib"] == ["LIMIT", "TABLE", "helper", "uses_shadow", "_k"]
    assert private["user"] == ["run"]
    # bump is the user's too; items is a dict's attribute (and append a
    # list's): a list could be what has it
    assert attributes == {"lib": ["_step", "total"], "user": []}


def test_renamed_code_behaves_the_same():
    out, _, _ = renamed({"lib": LIB, "user": USER})
    lib = out["lib"]
    assert "helper" not in lib and "LIMIT" not in lib and "total" not in lib
    assert "def _c(x):" in lib and "def _d(shadowed):" in lib
    assert "def _a(self):" in lib and "self._b += len(self.items)" in lib
    assert "def shadowed(y):" in lib and "class Box:" in lib and "def bump(self):" in lib
    assert out["user"] == USER.replace("def run", "def _a")
    assert lib.count("\n") == LIB.count("\n")       # line numbers stay true
    results = []
    for text in (LIB, lib):
        env = {}
        exec(compile(text, "lib", "exec"), env)
        b = env["Box"]([1])
        results.append((b.bump(), b.items, env["shared"](1), env["named_in_text"]()))
    assert results[0] == results[1] == (2, [1, 1], 12, "named_in_text")


def test_names_the_tools_or_tests_use_stay():
    _, private, attributes = renamed({"lib": LIB, "user": USER}, {"helper", "total"})
    assert "helper" not in private["lib"] and "TABLE" in private["lib"]
    assert attributes["lib"] == ["_step"]


def test_the_firmware_renamed_keeps_what_other_modules_use():
    texts = fold_dir(firmware_dir())
    outside = outside_words(ROOT)
    private = private_globals(texts, outside)
    attributes = private_attributes(texts, outside)
    assert sum(len(v) for v in private.values()) > 200 and len(attributes["compiler"]) > 10
    # (every name, attribute, import and string word: comments aside)
    words = {m: _words(ast.parse(t)) for m, t in texts.items()}
    for m in texts:
        for name in private[m] + attributes[m]:
            assert not any(name in words[o] for o in texts if o != m), (m, name)
            assert name not in outside
    # what other modules, the tools and tests name stays, and what a
    # built-in type has
    assert "Heap" not in private["arena"] and "intern" not in attributes["symbols"]
    assert "CORE" not in private["arith"] and "seek" not in attributes["symbols"]
    for m, t in texts.items():
        out = short_globals(t, m, private[m], attributes[m])
        ast.parse(out)
        assert out.count("\n") == t.count("\n")
