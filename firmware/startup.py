# Start-up: the board's profile (boards/NAME.json; a board's own is
# board.json beside the firmware, or frozen into a firmware image) and a
# new interpreter's tables. Used by Interp() and dropped again: its
# bytecode is needed only then.
import gc
import sys
from array import array
from arena import Heap, words, LispError, NIL, UNBOUND, PRIM0
from symbols import Symbols, NUSER
from collector import Collector
from compiler import Compiler, NKW
import builtin_table


def here():
    return __file__.rsplit('/', 1)[0] if '/' in __file__ else '.'


def frozen(name, module='motedata'):
    # An attribute of a module a build generates: motedata, the data a
    # firmware image freezes (flash, not RAM): LIBRARY (library.scm), HELP
    # (help.txt), BOARD (the board profile); motenames, every board build's
    # NAMES (see builtin_names.name_tables). None without it. (There is no such file
    # here to import by name.)
    try:
        return getattr(__import__(module), name, None)
    except ImportError:
        return None


def library_path():
    # library.scm: built-ins written in Mote, loaded a chunk at a time on
    # first use (so a board holds in RAM only the ones a program uses).
    for p in ('', '/lib', '.'):
        p = (p or here()) + '/library.scm'
        try:
            open(p).close()
            return p
        except OSError:
            pass
    return None


def library_source():
    # The library: its bytes frozen into the firmware, else its path (or None).
    lib = frozen('LIBRARY')
    return library_path() if lib is None else lib


DEFAULTS = {'arena_words': 8192, 'stack_words': 8192, 'symbol_bytes': 2048,
            'heap': 131072}
# What the firmware reads of a board profile: the rest (descriptions, build
# and install settings, measurements) is the host tools', and would cost a
# small board's heap 2 KB kept.
PROFILE_KEYS = ('name', 'heap', 'arena_words', 'stack_words', 'symbol_bytes', 'stress',
                'led', 'pins', 'adc', 'pwm', 'i2c', 'spi', 'uart', 'image', 'safe_pin',
                'tier_frames', 'tier_procedures')
# The hardware's keys: hardware.py reads them from the profile again when a
# program first uses the hardware, rather than Interp keep them (0.6 KB).
HARDWARE_KEYS = ('led', 'pins', 'adc', 'pwm', 'i2c', 'spi', 'uart')


def load_board(name, keys=None):
    # Board profile: boards/NAME.json; for name 'board' (or None) the
    # board's own board.json. Without the file, the profile frozen into the
    # firmware (motedata.BOARD) when it is that board's (or name is
    # 'board'). Only PROFILE_KEYS (or keys) are kept; sizes fall back to
    # DEFAULTS.
    if name is None:
        name = 'board'
    fz = frozen('BOARD')
    if fz and name == fz.get('name'):
        prof = dict(fz)
    else:
        prof = read_board(name)
        if prof is None:
            if fz and name == 'board':
                prof = dict(fz)
            elif name == 'unix':
                prof = {'name': 'unix'}
            else:
                raise LispError('unknown board: ' + name)
    kept = {}
    for k in keys or PROFILE_KEYS:
        if k in prof:
            kept[k] = prof[k]
    for k in DEFAULTS:
        if k not in kept:
            kept[k] = DEFAULTS[k]
    return kept


def read_board(name):
    # NAME.json from the first of the places a profile may be, or None.
    import json
    import os
    env = getattr(os, 'getenv', None)     # the unix port's; boards have none
    env = env and env('MOTE_BOARDS_DIR')
    # $MOTE_BOARDS_DIR, three places under the firmware's directory, two on
    # the board (one tuple constant: no qstr for each)
    places = ('', '/../boards', '/boards', '', '/boards', '/lib/boards')
    for k in range(6):
        d = env if k == 0 else here() + places[k] if k < 4 else places[k]
        if d:
            try:
                with open(d + '/' + name + '.json') as f:
                    return json.loads(f.read())     # json.load reads a byte at a time
            except OSError:
                pass
    return None


def setup(it, board, sizes):
    # Interp(board, **sizes): the profile, the name tables, the arrays.
    prof = load_board(board)
    for k in sizes:
        prof[k] = sizes[k]
    for k in HARDWARE_KEYS:
        prof.pop(k, None)
    prof['source'] = board or 'board'     # (what hardware.py reads them from)
    it.board = prof
    # built-in names first (keywords, builtins, library procedures;
    # the names live only in the symbol table's blob)
    it.library = library_source()     # library.scm, found once
    pre = frozen('NAMES', 'motenames')
    # Only what is copied out of it stays: dropping the module lets a
    # board collect the tables' bytes once the symbol index has them.
    sys.modules.pop('motenames', None)
    if pre:
        # as a build computed them (see builtin_names.name_tables)
        blob, it.arity, nprims, macros, tables = pre
        if blob.__class__ is str:
            blob = here() + '/' + blob      # a file beside the firmware
    else:
        import builtin_names
        blob, it.arity, nprims, macros = builtin_names.name_tables(it.library)
        del sys.modules['builtin_names']
        tables = None
    it.prims = builtin_table.functions()
    it.families = [None] * len(builtin_table.FAMILIES)
    it.symbols = Symbols(blob, prof['symbol_bytes'], tables)
    blob = tables = None
    sy = it.symbols
    it.lib_first = NUSER + NKW + nprims     # first library name's ID
    if pre:
        it.lib_macros = bytearray(macros)
    else:
        it.lib_macros = bytearray(sy.nbuiltin + NUSER - it.lib_first)
        for m in macros:
            it.lib_macros[sy.intern(m, 0, len(m)) - it.lib_first] = 1
    macros = pre = None
    it.G = words(NUSER + sy.nbuiltin, UNBOUND)
    # each builtin's value is itself (PRIM0 + 4 * number), set by C
    memoryview(it.G)[NUSER + NKW:NUSER + NKW + nprims] = \
        array('H', range(PRIM0, PRIM0 + (nprims << 2), 4))
    # the start-up garbage goes before the big arrays are placed, so
    # that they take the lowest runs and leave the rest of the heap in
    # one piece (extension modules load there); no more collections
    # until start-up is done: what follows makes little garbage, and on
    # a Pico each collection of a heap of .mpy code costs milliseconds
    gc.collect()
    builtin_table.compacting(False)
    it.heap = Heap(prof['arena_words'])
    n = prof['stack_words']
    it.S = words(n)
    it.sp = 0
    it.fp = 0
    it.env = NIL
    it.stack_limit = n - 64
    it.rpos = 0
    it.last_info = 0
    it.tbase = 0          # a builtin's TAILCALL: where the call starts
    it.gensyms = 0
    it.depth = 0          # nesting of eval (autoload, macro expansion)
    it.loading = []       # library names whose chunks are loading
    it.floor = 0          # continuations may not escape below this
    it.temp_macros = []   # let-syntax macros of the form being run
    # a mark stack of 32..128 ranges, by the arena's size: when it
    # overflows the collector rescans (slower, never wrong)
    it.collector = Collector(it, min(128, max(32, prof['arena_words'] >> 6)))
    it.heap.collector = it.collector.collect
    it.symbols.on_full = it.collector.collect
    it.compiler = Compiler(it)
    it.out = sys.stdout.write
    it.heap.stress = int(prof.get('stress') or 0)
    it.compact = prof['heap'] < 262144
    builtin_table.compacting(it.compact)
