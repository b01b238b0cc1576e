# The builtins by number: primitives.py's, then each extension module's,
# in this order (their names and arities: builtin_names.py). An extension
# module is imported only when one of its builtins is first called: its
# bytecode is RAM on a board. A module's FUNCS holds its functions in the
# order of its rows, and its BASE (base_of) is the number of its first row:
# its family functions use op - BASE to tell their members apart; its CORE
# (arith, numeric, text, data) the functions of the core rows that name it.
import primitives

# Each extension module (how many rows each has is below, in the same
# order; both are checked against builtin_names.py by test_budgets.py);
# one without rows of its own has core rows, and is here so that unload
# can drop it. (Names and counts apart: a tuple of pairs would cost a
# board 0.2 KB of heap.)
FAMILIES = (
    'control',
    'arith',            # core rows only: + - * ... (numeric.py has the rest)
    'numeric',
    'elementary',
    'number_syntax',    # core rows only: string->number number->string
    'text',             # core rows only: string-length ... (strings.py has the rest)
    'strings',
    'ports',
    'hash_tables',
    'data',
    'system',
    'hardware',
    'image',
    'python_tier',      # procedures compiled to Python (translator.py); interop.py's rows
)


NCORE = len(primitives.FUNCS)       # the core's rows; the families' follow
# Each family row's family (its place in FAMILIES), a byte a row, and each
# family's first row (its BASE): the interpreter keeps a list of the core's
# functions and one entry per family (its FUNCS, or None), not a list of
# every builtin's function (1 KB on a board).
ROW_FAMILY = bytearray()
FIRST = []
for _f in range(len(FAMILIES)):
    FIRST.append(NCORE + len(ROW_FAMILY))
    ROW_FAMILY.extend(bytes((_f,)) * (38, 0, 27, 25, 0, 0, 50, 35, 28, 28, 14, 22, 2, 21)[_f])
del _f


def base_of(module):
    # Number of the module's first builtin.
    for f in range(len(FAMILIES)):
        if FAMILIES[f] == module:
            return FIRST[f]
    raise KeyError(module)


def functions():
    # The core builtins' functions, by number (Interp.prims). Every row
    # whose module is not loaded holds `load`, which loads it on the
    # first call (as the evaluator calls it for a family whose entry in
    # Interp.families is None).
    fs = list(primitives.FUNCS)
    for op in range(NCORE):
        if fs[op].__class__ is str:
            fs[op] = load
    return fs


def module_of(op):
    # Name of the module holding builtin op's code.
    if op < NCORE:
        return primitives.FUNCS[op]
    return FAMILIES[ROW_FAMILY[op - NCORE]]


def compacting(on):
    # While bytecode loads, and always on a small board, collect often (see
    # mote.py); otherwise only when the heap is full, MicroPython's default
    # and the fastest where there is room.
    import gc
    try:
        gc.threshold(4096 if on else -1)
    except AttributeError:      # CPython
        pass


def load(it, a, k, op):
    # The first call of a builtin whose module is not loaded: import the
    # module, put its functions in their rows, and make the call.
    module = module_of(op)
    compacting(True)
    try:
        m = __import__(module)
    except MemoryError:
        # A small board's heap may hold the core and only some of the
        # extension modules: unload the others and try once more.
        unload(it, module)
        m = __import__(module)
    finally:
        compacting(it.compact)
    place(it, module, getattr(m, 'CORE', ()), m.FUNCS)
    return function(it, op)(it, a, k, op)


def function(it, op):
    # The function builtin op calls now: `load` while its module is not
    # loaded. (The evaluator does the same inline: no frame per call.)
    if op < NCORE:
        return it.prims[op]
    f = ROW_FAMILY[op - NCORE]
    fs = it.families[f]
    return load if fs is None else fs[op - FIRST[f]]


def place(it, module, core, family):
    # Put the functions of module's core rows in it.prims and its FUNCS in
    # it.families, or `load` and None for empty tuples.
    rows = primitives.FUNCS
    j = 0
    for op in range(NCORE):
        if rows[op] == module:
            it.prims[op] = core[j] if core else load
            j += 1
    for f in range(len(FAMILIES)):
        if FAMILIES[f] == module:
            it.families[f] = family or None


def unload(it, keep):
    # Put `load` back in the rows of every loaded builtin module but `keep`
    # and control (which the others import), and drop the modules, so that
    # their bytecode can be collected. Allocates nothing: it runs when the
    # heap is full.
    import gc
    import sys
    for m in FAMILIES:
        if m != keep and m != 'control' and m in sys.modules:
            place(it, m, (), ())
            del sys.modules[m]
    gc.collect()
