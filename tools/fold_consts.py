"""Fold the firmware's integer constants into the code a board runs.

mpy-cross folds a `NAME = const(v)` only inside its own module, and still
keeps a public NAME as a module global (a qstr and a dict entry) so that
other modules can import it; each `from arena import NIL` then costs the
importer a dict entry and every use a global lookup. On a board that keeps
.mpy code in RAM the firmware's 245 constants cost about 10 KB that way.
Built for a board, every module's sources pass through here first: each
use of a constant (its own, one imported by `from M import NAME`, or
`M.NAME` after `import M`) becomes the number, and the definitions and
imports of constants go. The sources themselves stay as they are (CPython
and the unix port's quick runs import them directly).

A constant must be a module-level `NAME = const(expression)` whose value is
an int; a module that rebinds such a name, or takes it as a parameter, is
an error here rather than a wrong program on the board.
"""
import ast


class FoldError(ValueError):
    pass


def _module_consts(tree):
    # name -> expression of each module-level NAME = const(expression).
    found = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "const"
                and len(node.value.args) == 1):
            found[node.targets[0].id] = node.value.args[0]
    return found


class _Values:
    """The int value of every constant of every module, computed on demand
    (a constant may be defined from another module's)."""

    def __init__(self, trees):
        self.trees = trees
        self.exprs = {m: _module_consts(t) for m, t in trees.items()}
        self.imported = {m: _imported_consts(t, self.exprs) for m, t in trees.items()}
        self.done = {}

    def value(self, module, name, seen=()):
        key = (module, name)
        if key in self.done:
            return self.done[key]
        if key in seen:
            raise FoldError("%s.py: constant %s is defined in terms of itself" % (module, name))
        expr = self.exprs[module][name]
        env = {}
        for node in ast.walk(expr):
            if isinstance(node, ast.Name):
                n = node.id
                if n in self.exprs[module]:
                    env[n] = self.value(module, n, seen + (key,))
                elif n in self.imported[module]:
                    src, orig = self.imported[module][n]
                    env[n] = self.value(src, orig, seen + (key,))
        try:
            v = eval(compile(ast.Expression(expr), module, "eval"), {"__builtins__": {}}, env)
        except Exception as e:  # noqa: BLE001 - any failure is the source's
            raise FoldError("%s.py: cannot compute constant %s: %s" % (module, name, e))
        self.done[key] = v if isinstance(v, int) and not isinstance(v, bool) else None
        return self.done[key]

    def ints(self, module):
        # name -> value of the module's own int constants
        out = {}
        for n in self.exprs[module]:
            v = self.value(module, n)
            if v is not None:
                out[n] = v
        return out


def _imported_consts(tree, exprs):
    # local name -> (module, name) for each `from M import NAME [as local]`
    # of a constant of another firmware module M (anywhere in the module).
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in exprs and not node.level:
            for a in node.names:
                if a.name in exprs[node.module]:
                    out[a.asname or a.name] = (node.module, a.name)
    return out


def _module_imports(tree, modules):
    # local name -> module for each `import M [as local]` of a firmware module
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in modules:
                    out[a.asname or a.name] = a.name
    return out


def _literal(v):
    return "(%d)" % v if v < 0 else "%d" % v


def _check_not_rebound(module, tree, names, defs):
    # A folded name must mean its constant everywhere in the module.
    for node in ast.walk(tree):
        bad = None
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            if node.id in names and node not in defs:
                bad = node.id
        elif isinstance(node, ast.arg) and node.arg in names:
            bad = node.arg
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bad = next((n for n in node.names if n in names), None)
        elif isinstance(node, ast.keyword) and node.arg in names:
            bad = node.arg
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            bad = node.name
        if bad:
            raise FoldError("%s.py:%d: %s is a constant, but it is rebound or used as a "
                            "name here; rename one of them" % (module, node.lineno, bad))


def fold_consts(sources):
    """sources: {module name: source text} of the firmware's modules.
    Returns the same dict with every int constant folded in."""
    trees = {}
    for m, text in sources.items():
        try:
            trees[m] = ast.parse(text, m + ".py")
        except SyntaxError as e:
            raise FoldError("%s.py:%s: SyntaxError: %s" % (m, e.lineno, e.msg))
    values = _Values(trees)
    out = {}
    for m, text in sources.items():
        out[m] = _fold_module(m, text, trees[m], values)
    return out


def _fold_module(m, text, tree, values):
    own = values.ints(m)
    fold = dict(own)
    for local, (src, name) in values.imported[m].items():
        v = values.value(src, name)
        if v is not None:
            fold[local] = v
    modules = _module_imports(tree, values.exprs)
    defs = set()
    edits = []          # (start, end, replacement) in bytes of the source
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in own
                and values.exprs[m].get(node.targets[0].id) is getattr(node.value, "args", [None])[0]):
            defs.add(node.targets[0])
            edits.append((node, "pass"))
    _check_not_rebound(m, tree, fold, defs)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in values.exprs and not node.level:
            keep = [a for a in node.names if (a.asname or a.name) not in fold
                    or values.imported[m].get(a.asname or a.name) != (node.module, a.name)]
            if len(keep) != len(node.names):
                names = ", ".join(a.name + (" as " + a.asname if a.asname else "") for a in keep)
                edits.append((node, "from %s import %s" % (node.module, names) if keep else "pass"))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in fold:
            edits.append((node, _literal(fold[node.id])))
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
              and node.value.id in modules and isinstance(node.ctx, ast.Load)):
            v = values.ints(modules[node.value.id]).get(node.attr)
            if v is not None:
                edits.append((node, _literal(v)))
    return _apply(text, edits)


def _apply(text, edits):
    # Replace each node's source span (ast positions count UTF-8 bytes);
    # a replacement keeps the span's line count, so line numbers stay
    # true. Spans inside one already replaced are skipped.
    data = text.encode("utf-8")
    starts = [0]
    for i, b in enumerate(data):
        if b == 10:
            starts.append(i + 1)
    spans = []
    for node, new in edits:
        a = starts[node.lineno - 1] + node.col_offset
        b = starts[node.end_lineno - 1] + node.end_col_offset
        spans.append((a, -b, new, node.end_lineno - node.lineno))
    spans.sort()
    out = []
    pos = 0
    for a, nb, new, lines in spans:
        if a < pos:
            continue        # inside a span already replaced
        out.append(data[pos:a])
        out.append((new + "\n" * lines).encode("utf-8"))
        pos = -nb
    out.append(data[pos:])
    return b"".join(out).decode("utf-8")


def fold_dir(src):
    """{module name: folded source} of every module in the directory src."""
    return fold_consts({p.stem: p.read_text(encoding="utf-8") for p in src.glob("*.py")})
