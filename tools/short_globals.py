"""Give each firmware module's private globals shared short names in the
code a board runs.

A module-level function or variable has its name interned as a qstr when
the board loads the .mpy (the globals dict is keyed by it), and a name used
in one module only is a qstr that module alone pays for: `p_list_tail`,
`_bytevector`, `char_name`, about 16 bytes of heap each, some 280 of them
across the firmware. Built for a board, every such name becomes `_a`, `_b`,
... in the order the module defines them, so that the same few short names
serve every module. A name stays as it is when
- another firmware module names it in any way (a name, an attribute, an
  import, a word of a string: `getattr(m, 'CORE')`), or the host tools or
  the tests could reach it (an attribute, an import or a word of a string
  they use: a probe run on a board is a string);
- the module binds it anywhere but at its top level (a parameter, a local,
  a `global` statement, an import, a loop or `except ... as` name);
- it is a class with a base (an exception's name is what a traceback
  prints) or a `__dunder__`.
The same goes for the attributes of a module's own classes (methods and
`self.` attributes: the compiler's `lslots`, `open_level`, ...) that no
other module, tool or test names and that no built-in type has (a `read`
could be a file's): they become `_a`, `_b`, ... too, as attributes. (Not
the attributes several modules share: a mapping for the whole firmware
would need as many new names as attributes, each a qstr of its own.)
Tracebacks on the board then name `_c` rather than `char_name`: they are
for the firmware's developers, whose sources are beside the build.
"""
import ast
import re
from pathlib import Path

from tools.fold_consts import _apply


def _words(tree):
    # Every identifier the module uses, and every word of its strings.
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
        elif isinstance(n, ast.alias):
            out.update((n.name.split(".")[0], n.asname or n.name))
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.keyword) and n.arg:
            out.add(n.arg)
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            out.update(n.names)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.update(re.findall(r"\w+", n.value))
    return out


def _top_level(tree):
    # (names bound by the module's own statements, names bound anywhere
    # else): a def or assignment at the top level, or inside a top-level
    # if/try/for/with, is the module's; anything in a def, lambda, class or
    # comprehension is not.
    mine, elsewhere = {}, set()

    def bound(node):
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                yield n.id

    def scan(stmts):
        for s in stmts:
            if isinstance(s, ast.FunctionDef):
                mine.setdefault(s.name, s)
                for n in ast.walk(s):
                    if isinstance(n, ast.arg):
                        elsewhere.add(n.arg)
                    elif isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                        elsewhere.add(n.id)
                    elif isinstance(n, (ast.Global, ast.Nonlocal)):
                        elsewhere.update(n.names)
                    elif isinstance(n, ast.alias):
                        elsewhere.add((n.asname or n.name).split(".")[0])
                    elif isinstance(n, ast.ExceptHandler) and n.name:
                        elsewhere.add(n.name)
                    elif isinstance(n, ast.FunctionDef) and n is not s:
                        elsewhere.add(n.name)
                    elif isinstance(n, ast.ClassDef):
                        elsewhere.add(n.name)
            elif isinstance(s, ast.ClassDef):
                if s.bases:             # (an exception's name is printed)
                    elsewhere.add(s.name)
                else:
                    mine.setdefault(s.name, s)
                for n in ast.walk(s):
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                        elsewhere.add(n.id)
                    elif isinstance(n, ast.arg):
                        elsewhere.add(n.arg)
            elif isinstance(s, (ast.Import, ast.ImportFrom)):
                for a in s.names:
                    elsewhere.add((a.asname or a.name).split(".")[0])
            elif isinstance(s, (ast.If, ast.Try, ast.For, ast.While, ast.With)):
                if isinstance(s, ast.For):
                    for x in bound(s.target):
                        mine.setdefault(x, s)
                for part in ("body", "orelse", "finalbody"):
                    scan(getattr(s, part, []))
                for hd in getattr(s, "handlers", []):
                    if hd.name:
                        elsewhere.add(hd.name)
                    scan(hd.body)
                for item in getattr(s, "items", []):
                    if item.optional_vars is not None:
                        elsewhere.update(bound(item.optional_vars))
            elif isinstance(s, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                for t in (s.targets if isinstance(s, ast.Assign) else [s.target]):
                    for x in bound(t):
                        mine.setdefault(x, s)       # (the first binding)
            for n in ast.walk(s):
                if isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                                  ast.GeneratorExp)):
                    for m in ast.walk(n):
                        if isinstance(m, ast.arg):
                            elsewhere.add(m.arg)
                        elif isinstance(m, ast.Name) and isinstance(m.ctx, ast.Store):
                            elsewhere.add(m.id)
    scan(tree.body)
    return mine, elsewhere


def outside_words(root):
    """What the host tools' and the tests' Python files could reach of the
    firmware by name: the attributes they use (`startup.library_path`),
    what they import, and every word of their strings but docstrings (a
    probe run on a board is a string). Their own variables, functions,
    comments and docstrings do not count."""
    words = set()
    for d in ("tools", "host_tests"):
        for p in sorted((Path(root) / d).rglob("*.py")):
            tree = ast.parse(p.read_text(encoding="utf-8"))
            docs = set()
            for n in ast.walk(tree):
                if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body \
                        and isinstance(n.body[0], ast.Expr) \
                        and isinstance(n.body[0].value, ast.Constant):
                    docs.add(n.body[0].value)
            for n in ast.walk(tree):
                if isinstance(n, ast.Attribute):
                    words.add(n.attr)
                elif isinstance(n, ast.alias):
                    words.update((n.name.split(".")[-1], n.asname or n.name))
                elif isinstance(n, ast.keyword) and n.arg:
                    words.add(n.arg)
                elif isinstance(n, ast.Constant) and isinstance(n.value, str) and n not in docs:
                    words.update(re.findall(r"\w+", n.value))
    # what the library's Lisp reaches by name: (py-import "netclient"),
    # (py-get obj "Client"), (py-method obj "close" ...)
    lib = (Path(root) / "firmware" / "library.scm").read_text(encoding="utf-8")
    words.update(re.findall(r'\(py-(?:import|get|method|has\?)\s+(?:[^\s()"]+\s+|\([^()]*\)\s+)?"(\w+)"', lib))
    return words


def _short_names():
    # _a .. _z, then _aa, _ab, ...
    letters = "abcdefghijklmnopqrstuvwxyz"
    for c in letters:
        yield "_" + c
    for c in letters:
        for d in letters:
            yield "_" + c + d


# Attributes of MicroPython's built-in types and modules (with CPython's,
# added below): an attribute of that name may be one of theirs.
MICROPYTHON_ATTRS = set("""
const native viper heap_lock heap_unlock mem_info qstr_info stack_use
alloc_emergency_exception_buf schedule opt_level kbd_intr mem_total mem_current
mem_peak ticks_ms ticks_us ticks_cpu ticks_diff ticks_add sleep_ms sleep_us
threshold mem_free mem_alloc readinto print_exception atexit getenv ilistdir
mount umount VfsRom Pin ADC PWM I2C SPI UART Timer irq value freq duty_u16
init deinit scan readfrom writeto readfrom_mem writeto_mem write_readinto
""".split())


def _builtin_attrs():
    import array
    import gc
    import io
    import math
    import os
    import struct
    import sys
    import time
    names = set(MICROPYTHON_ATTRS)
    with open(__file__) as f:
        for o in (str, bytes, bytearray, list, dict, tuple, set, int, float, memoryview,
                  array.array("H"), io.StringIO(), io.BytesIO(), f, sys, gc, os, time,
                  math, struct, Exception, object):
            names.update(dir(o))
    return names


def private_attributes(texts, outside):
    """{module: [names]} of the attributes of each module's own classes
    that only it names (see above)."""
    trees = {m: ast.parse(t, m + ".py") for m, t in texts.items()}
    words = {m: _words(t) for m, t in trees.items()}
    builtin = _builtin_attrs()
    out = {}
    for m, tree in trees.items():
        others = set(outside)
        for o in words:
            if o != m:
                others |= words[o]
        own = set()
        strings = set()
        for n in ast.walk(tree):
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self":
                own.add(n.attr)
            elif isinstance(n, ast.ClassDef):
                own.update(d.name for d in n.body if isinstance(d, ast.FunctionDef))
            elif isinstance(n, ast.Constant) and isinstance(n.value, str):
                strings.update(re.findall(r"\w+", n.value))
        out[m] = sorted(a for a in own if a not in others and a not in builtin
                        and a not in strings and not a.startswith("__") and len(a) > 2)
    return out


def private_globals(texts, outside):
    """{module: [names]} of each module's globals that only it names (see
    above), in the order it defines them."""
    trees = {m: ast.parse(t, m + ".py") for m, t in texts.items()}
    words = {m: _words(t) for m, t in trees.items()}
    out = {}
    for m, tree in trees.items():
        mine, elsewhere = _top_level(tree)
        others = set(outside)
        for o in words:
            if o != m:
                others |= words[o]
        strings = set()
        for n in ast.walk(tree):
            if isinstance(n, ast.Constant) and isinstance(n.value, str):
                strings.update(re.findall(r"\w+", n.value))
        names = [x for x, s in sorted(mine.items(), key=lambda e: (e[1].lineno, e[1].col_offset))
                 if x not in elsewhere and x not in others and x not in strings
                 and not (x.startswith("__") and x.endswith("__"))]
        out[m] = names
    return out


def short_globals(source, name, private, attributes=()):
    """source with the names in private (its module's private globals) and
    in attributes (its classes' private attributes) renamed _a, _b, ...
    (skipping any name the module already uses)."""
    tree = ast.parse(source, name + ".py")
    used = _words(tree)
    fresh = (s for s in _short_names() if s not in used)
    ren = {x: next(fresh) for x in private}
    fresh = (s for s in _short_names() if s not in used)
    aren = {x: next(fresh) for x in attributes}
    if not ren and not aren:
        return source
    edits = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id in ren:
            edits.append((n, ren[n.id]))
        elif isinstance(n, ast.Attribute) and n.attr in aren:
            # the attribute's name ends the node's span
            edits.append((_Span(n.end_lineno, n.end_col_offset - len(n.attr), n.end_col_offset),
                          aren[n.attr]))
    # a def's or class's own name has no node of its own: its span is
    # after the keyword
    lines = source.split("\n")
    named = [(d, ren) for d in _defs(tree)]
    for c in ast.walk(tree):
        if isinstance(c, ast.ClassDef):
            named += [(d, aren) for d in c.body if isinstance(d, ast.FunctionDef)]
    for d, table in named:
        if d.name in table:
            kw = "def " if isinstance(d, ast.FunctionDef) else "class "
            ln = lines[d.lineno - 1].encode("utf-8")
            start = d.col_offset + len(kw)
            if ln[d.col_offset:start + len(d.name)] != (kw + d.name).encode():
                raise ValueError("%s.py:%d: expected '%s%s'" % (name, d.lineno, kw, d.name))
            edits.append((_Span(d.lineno, start, start + len(d.name)), table[d.name]))
    return _apply(source, edits)


class _Span:
    # A span of one line, as _apply takes a node's.
    def __init__(self, line, start, end):
        self.lineno = self.end_lineno = line
        self.col_offset = start
        self.end_col_offset = end


def _defs(tree):
    # The module's own function and class definitions (top level or in a
    # top-level if/try), not methods or nested functions.
    found = []

    def scan(stmts):
        for s in stmts:
            if isinstance(s, (ast.FunctionDef, ast.ClassDef)):
                found.append(s)
            elif isinstance(s, (ast.If, ast.Try, ast.For, ast.While, ast.With)):
                for part in ("body", "orelse", "finalbody"):
                    scan(getattr(s, part, []))
                for hd in getattr(s, "handlers", []):
                    scan(hd.body)
    scan(tree.body)
    return found
