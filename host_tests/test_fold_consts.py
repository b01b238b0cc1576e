"""tools/fold_consts.py: the firmware's constants folded into the code a
board runs, and nothing else changed."""
import sys

import pytest

from tools.fold_consts import fold_consts, fold_dir, FoldError
from tools.mote_cli import firmware_dir


def run(src, name, monkeypatch):
    # Import the folded modules (and a compat with const) under their names.
    import types
    import sys
    compat = types.ModuleType("compat")
    compat.const = lambda x: x
    monkeypatch.setitem(sys.modules, "compat", compat)
    for m, text in src:
        mod = types.ModuleType(m)
        monkeypatch.setitem(sys.modules, m, mod)
        exec(compile(text, m, "exec"), mod.__dict__)
    return sys.modules[name]


A = """\
from compat import const
NIL = const(3)
SYM0 = const(0x4003)          # symbol 0
NEG = const(-8192)
WORD = const(SYM0 + 4 * NIL)
NAME = 'not a number'


def is_nil(x):
    return x == NIL
"""

B = """\
from compat import const
from a import (NIL, WORD,
               NEG, is_nil)
import a
K = const(WORD - 1)


def f(x):
    return (x + NEG, K, a.SYM0, is_nil(x), a.NAME, 'NIL')
"""


def test_uses_become_numbers_and_definitions_and_imports_go(monkeypatch):
    out = fold_consts({"a": A, "b": B})
    assert "const(" not in out["a"] and "const(" not in out["b"].replace("import const", "")
    assert "return x == 3" in out["a"]
    assert "from a import is_nil" in out["b"]
    assert "(x + (-8192), 16398, 16387, is_nil(x), a.NAME, 'NIL')" in out["b"]
    # line numbers stay true
    for m, text in (("a", A), ("b", B)):
        assert out[m].count("\n") == text.count("\n")
    b = run([("a", out["a"]), ("b", out["b"])], "b", monkeypatch)
    assert b.f(3) == (3 - 8192, 16398, 16387, True, "not a number", "NIL")
    assert not hasattr(b, "NIL") and not hasattr(b, "K") and not hasattr(sys.modules["a"], "NIL")


@pytest.mark.parametrize("body", [
    "def g(NIL):\n    return NIL\n",
    "def g():\n    NIL = 4\n    return NIL\n",
    "def g():\n    return [NIL for NIL in (1, 2)]\n",
    "def g():\n    global NIL\n",
])
def test_a_rebound_constant_is_an_error_naming_it(body):
    with pytest.raises(FoldError, match=r"a\.py:\d+: NIL is a constant"):
        fold_consts({"a": A + body})


def test_a_constant_defined_from_itself_is_an_error():
    with pytest.raises(FoldError, match="in terms of itself"):
        fold_consts({"a": "X = const(Y)\nY = const(X)\n"})


def test_the_folded_firmware_keeps_no_integer_constant_and_still_compiles():
    folded = fold_dir(firmware_dir())
    for m, text in folded.items():
        compile(text, m, "exec")
        for line in text.splitlines():
            assert not (line[:1].isalpha() and "= const(" in line and "import" not in line), (m, line)
