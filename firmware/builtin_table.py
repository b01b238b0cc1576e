# The builtins by number: primitives.py's, then each extension module's,
# in this order (their names and arities: builtin_names.py). An extension
# module is imported only when one of its builtins is first called: its
# bytecode is RAM on a board. A module's FUNCS holds its functions in the
# order of its rows, and its BASE (base_of) is the number of its first row:
# its family functions use op - BASE to tell their members apart.
import primitives

LOADERS = []    # (module, first builtin, builtins, loader) per extension


# Each extension module and how many rows it has (checked against
# builtin_names.py by host_tests/test_budgets.py).
FAMILIES = (
    ('control', 35),
    ('arith', 52),
    ('text', 75),
    ('data', 56),
    ('system', 9),
    ('hardware', 22),
    ('image', 2),
)


def base_of(module):
    # Number of the module's first builtin.
    n = len(primitives.FUNCS)
    for m, k in FAMILIES:
        if m == module:
            return n
        n += k
    raise KeyError(module)


def functions():
    # The builtins' functions, by number (Interp.prims): the core's, then
    # for each extension row a loader that imports its module on first call
    # and puts the module's functions in their places.
    fs = list(primitives.FUNCS)
    LOADERS[:] = []
    for m, n in FAMILIES:
        f = loader(m, len(fs), n)
        LOADERS.append((m, len(fs), n, f))
        fs.extend([f] * n)
    return fs


def compacting(on):
    # While bytecode loads, and always on a small board, collect often (see
    # mote.py); otherwise only when the heap is full, MicroPython's default
    # and the fastest where there is room.
    import gc
    try:
        gc.threshold(4096 if on else -1)
    except AttributeError:      # CPython
        pass


def loader(module, base, n):
    def load(it, a, k, op):
        compacting(True)
        try:
            funcs = __import__(module).FUNCS
        except MemoryError:
            # A small board's heap may hold the core and only some of the
            # extension modules: unload the others and try once more.
            unload(it, module)
            funcs = __import__(module).FUNCS
        finally:
            compacting(it.compact)
        if len(funcs) != n:
            raise ImportError(module + ': FUNCS and its table rows differ')
        for j in range(n):
            it.prims[base + j] = funcs[j]
        return it.prims[op](it, a, k, op)
    return load


def unload(it, keep):
    # Put the loaders back in place of every loaded extension module but
    # `keep` and control (which the others import), and drop the modules,
    # so that their bytecode can be collected. Allocates nothing: it runs
    # when the heap is full.
    import gc
    import sys
    for m, base, n, f in LOADERS:
        if m != keep and m != 'control' and m in sys.modules:
            for j in range(n):
                it.prims[base + j] = f
            del sys.modules[m]
    gc.collect()
