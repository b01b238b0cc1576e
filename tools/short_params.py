"""Give the parameters of the firmware's functions shared short names in
the code a board runs.

A .mpy keeps each function's parameter names (for keyword arguments), and a
board interns every one it loads as a qstr: some 80 names (`who`, `fname`,
`store_bytes`, ...) that cost its heap about a kilobyte, and bring nearer the
point where MicroPython allocates its next, larger qstr pool. Built for a
board, each function's parameters become `_1`, `_2`, ... by position (the
same few names in every module), and every use of them in its body with
them. Left as they are: `self` and `it`, which name the same thing
everywhere and are used as names elsewhere anyway; any parameter whose name
some call passes as a keyword anywhere in the project (KEYWORD_SOURCES);
`*args` and `**kwargs`; a parameter the body binds again otherwise than
by assignment (`from mote import Interp` when Interp is None); and the
functions that hold a nested function, lambda or class, which could see
the old names. The sources stay as they
are.
"""
import ast
from pathlib import Path

from tools.fold_consts import _apply

KEEP = ("self", "it")


def keyword_names(trees):
    """Every name passed as a keyword argument in the parsed trees."""
    return {k.arg for t in trees for n in ast.walk(t) if isinstance(n, ast.Call)
            for k in n.keywords if k.arg}


def _nested(fn):
    return any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef))
               for body in fn.body for n in ast.walk(body))


def _renames(fn, keywords):
    # {old: new} for fn's parameters. A name the body binds otherwise than
    # as a plain name (an import, `except ... as`, global) stays.
    used = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
    bound = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.alias):
            bound.add((n.asname or n.name).split(".")[0])
        elif isinstance(n, ast.ExceptHandler) and n.name:
            bound.add(n.name)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            bound.update(n.names)
    out = {}
    for k, a in enumerate(fn.args.args):
        new = "_%d" % (k + 1)
        if a.arg in KEEP or a.arg in keywords or a.arg in bound or new in used:
            continue
        out[a.arg] = new
    return out


def short_params(source, name, keywords):
    """source with the parameters of its functions renamed (see above)."""
    tree = ast.parse(source, name + ".py")
    edits = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef) or _nested(fn):
            continue
        ren = _renames(fn, keywords)
        if not ren:
            continue
        for a in fn.args.args:
            if a.arg in ren:
                if a.annotation is not None:    # (its span would hold it)
                    raise ValueError("%s.py: parameter annotations are not expected" % name)
                edits.append((a, ren[a.arg]))
        for body in fn.body:
            for n in ast.walk(body):
                if isinstance(n, ast.Name) and n.id in ren:
                    edits.append((n, ren[n.id]))
    return _apply(source, edits)


def project_keywords(root):
    """keyword_names of every Python file of the project under root."""
    trees = []
    for d in ("firmware", "tools", "host_tests"):
        for p in sorted((Path(root) / d).rglob("*.py")):
            try:
                trees.append(ast.parse(p.read_text(encoding="utf-8")))
            except SyntaxError:
                pass
    return keyword_names(trees)
