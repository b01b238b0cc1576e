"""Move the firmware's error messages out of a board's heap into a file.

A board that runs .mpy files from its filesystem copies every string
constant of a module into its heap when it imports it: a 30-character
message costs about 50 bytes there (a string object and its data), and
Mote has some 200 of them, nearly all raised only when something has gone
wrong. Built for such a board, each string constant in a `raise`
statement, or in a call of one of the error helpers (ERROR_HELPERS), whose
text is long enough to be worth a file read, becomes `err_text(N)`: text
N of texts.bin, which arena.err_text reads when the error is raised (as
MicroPython itself keeps its own messages compressed). The sources stay
as they are: CPython, the quick unix runs and the frozen firmware images
(whose strings are in flash) use the text in place.

texts.bin: [u16 n][n + 1 u16 offsets from the file's start][the texts,
UTF-8], little-endian.
"""
import ast
import struct

from tools.fold_consts import _apply

# Functions that make an error from their text arguments.
ERROR_HELPERS = ("err", "fail")
# Shorter texts, and ones MicroPython keeps as qstrs anyway (identifiers),
# stay: a call costs bytecode too.
MIN_LENGTH = 8
HOME = "arena"      # the module that defines err_text


def _moved(tree):
    # The string constants of tree to move, each once (a raise may hold a
    # helper's call), in source order.
    found = {}
    for node in ast.walk(tree):
        inside = isinstance(node, ast.Raise)
        if isinstance(node, ast.Call):
            f = node.func
            inside = (f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")) in ERROR_HELPERS
        if inside:
            for sub in ast.walk(node):
                if (isinstance(sub, ast.Constant) and isinstance(sub.value, str)
                        and len(sub.value) >= MIN_LENGTH and not sub.value.isidentifier()):
                    found[id(sub)] = sub
    return sorted(found.values(), key=lambda n: (n.lineno, n.col_offset))


def move_texts(sources, skip=()):
    """sources: {module name: source}. Returns ({module name: source with
    its error texts replaced by err_text(N)}, the bytes of texts.bin).
    Each distinct text is stored once; the modules in skip stay as they are."""
    numbers = {}
    texts = []
    out = dict(sources)
    for m in sorted(sources):
        if m in skip:
            continue
        tree = ast.parse(sources[m], m + ".py")
        edits = []
        for node in _moved(tree):
            if node.value not in numbers:
                numbers[node.value] = len(texts)
                texts.append(node.value.encode("utf-8"))
            edits.append((node, "err_text(%d)" % numbers[node.value]))
        if edits and m != HOME:
            # after the module's first import, on its line, so that every
            # line keeps its number
            # (or, with no import, at the end)
            first = next((n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))), None)
            if first is not None:
                edits.append((first, ast.get_source_segment(sources[m], first)
                              + "; from %s import err_text" % HOME))
        text = _apply(sources[m], edits)
        if edits and m != HOME and first is None:
            text = text.rstrip("\n") + "\nfrom %s import err_text\n" % HOME
        out[m] = text
    return out, texts_file(texts)


def texts_file(texts):
    """The bytes of texts.bin holding texts (a list of bytes)."""
    n = len(texts)
    offsets = [2 + 2 * (n + 1)]
    for t in texts:
        offsets.append(offsets[-1] + len(t))
    if offsets[-1] > 0xFFFF:
        raise ValueError("texts.bin: %d bytes of texts, more than 16-bit offsets reach" % offsets[-1])
    return struct.pack("<%dH" % (n + 2), n, *offsets) + b"".join(texts)
