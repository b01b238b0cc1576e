"""tools/short_params.py: a board's copy of the firmware names parameters
_1, _2, ... and behaves exactly as the sources do."""
import ast

from tools.short_params import short_params, keyword_names, project_keywords
from tools.fold_consts import fold_dir
from tools.mote_cli import firmware_dir, ROOT

SRC = """\
def scale(it, value, factor, who):
    total = value * factor
    parts = [value for value in range(3)]      # a comprehension's own name
    return (it, total, parts, who)


def config(board, quiet=False):
    return (board, quiet)


def main(argv, Interp=None):
    if Interp is None:
        from collections import OrderedDict as Interp
    return Interp, argv


def outer(items, key):
    return sorted(items, key=lambda x: x[key])


class Box:
    def put(self, thing, _2):
        self.thing = thing
        return _2
"""


def params(source, fn):
    tree = ast.parse(source)
    f = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == fn)
    return [a.arg for a in f.args.args]


def b_put_ok(out):
    env = {}
    exec(compile(out, "m", "exec"), env)
    box = env["Box"]()
    return box.put(5, 6) == 6 and box.thing == 5


def test_parameters_are_renamed_and_the_code_means_the_same():
    out = short_params(SRC, "m", {"quiet"})
    assert params(out, "scale") == ["it", "_2", "_3", "_4"]
    # a keyword some call passes is kept; so are a function holding a
    # lambda, and a new name the function already uses
    assert params(out, "config") == ["_1", "quiet"]
    assert params(out, "outer") == ["items", "key"]
    # a parameter an import binds again keeps its name (the import's)
    assert params(out, "main") == ["_1", "Interp"]
    assert params(out, "put") == ["self", "thing", "_3"]    # (thing: _2 is taken)
    assert b_put_ok(out)
    assert out.count("\n") == SRC.count("\n")
    a, b = {}, {}
    exec(compile(SRC, "m", "exec"), a)
    exec(compile(out, "m", "exec"), b)
    assert a["scale"](1, 2, 3, "w") == b["scale"](1, 2, 3, "w") == (1, 6, [0, 1, 2], "w")
    assert b["config"]("x", quiet=True) == ("x", True)
    assert b["outer"]([(2,), (1,)], 0) == [(1,), (2,)]
    assert b["main"]([1])[0].__name__ == "OrderedDict"


def test_keywords_are_collected_from_calls():
    trees = [ast.parse("f(1, board='b', **opts)\ng(x=2)\n")]
    assert keyword_names(trees) == {"board", "x"}


def test_the_firmware_compiles_with_short_parameters():
    keywords = project_keywords(ROOT)
    assert {"board", "quiet"} <= keywords
    renamed = 0
    for m, text in fold_dir(firmware_dir()).items():
        out = short_params(text, m, keywords)
        compile(out, m + ".py", "exec")
        renamed += out.count("_1") - text.count("_1")
    assert renamed > 100
