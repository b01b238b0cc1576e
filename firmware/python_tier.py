# Mote's second tier: the builtin %pycode, and what `define` calls (this
# family's other rows are MicroPython's objects: p_python). A
# global procedure that the machine would only walk (locals, fixnum
# arithmetic, tests, calls by name) is translated to one MicroPython
# function (translator.py, loaded only meanwhile) and run from then on by
# tier_runtime.py. Boards with less than TIER_HEAP bytes of MicroPython
# heap leave it off unless their profile's tier_procedures says how many
# procedures to translate: then this small module is all it costs.
from compat import const
from arena import UNSPEC
from builtin_table import base_of

BASE = base_of('python_tier')   # number of its first builtin
TIER_HEAP = const(200000)


def p_pycode(it, a, n, op):
    # (%pycode K orig): the body of a translated procedure. The evaluator
    # also calls this with n = -1 when it defines the closure a as a global.
    # (Few locals: it runs at every call of a translated procedure from the
    # machine, and a bigger frame would go on MicroPython's heap.)
    t = getattr(it, 'tier', None)
    if t is None:
        t = start(it, n)
        if t is None:
            return UNSPEC
    if n < 0:
        return t.defined(a)
    return t.enter(a)


def start(it, n):
    # The tier's runtime, unless this is a definition and the tier is off.
    prof = it.board
    if n < 0 and not prof.get('tier_procedures', 16 if prof.get('heap', 0) >= TIER_HEAP else 0):
        return None
    import tier_runtime
    it.tier = tier_runtime.Tier(it)
    return it.tier


def p_python(it, a, n, op):
    # py-import py-get ... available: interop.py's, loaded on first use. Its
    # rows are this family's so that the core names no module more (each
    # name costs a board a qstr, and the next one a whole qstr pool).
    import interop
    return interop.call(it, a, n, op)


FUNCS = (p_pycode,) + (p_python,) * 20
