# System builtins: memory report (room), clocks, apropos, help, reading a
# file for load (or running one `mote compile` made). help's descriptions live in help.txt, read only when asked
# for (a small board may leave the file out).
import time
from arena import (decode, LispError, NIL, TRUE, FALSE, UNSPEC, SYM0, CHAR0, UNBOUND, PRIM0,
                   T_CLOSURE, CAR, NEXT, MAXSIZE)
from args import arg_string, name, build_list
from symbols import NUSER
from compiler import NKW
from builtin_table import base_of
from text import string_of

BASE = base_of('system')         # number of its first builtin
KINDS = ('free', 'strings', 'bignums', 'vectors', 'closures', 'frames',
         'floats', 'bytevectors', 'records', 'characters', 'python objects')


def ticks_ms():
    # MicroPython's wrapping millisecond clock, or CPython's clock
    try:
        return time.ticks_ms()
    except AttributeError:
        return int(time.time() * 1000) & 0x3FFFFFFF


def ticks_diff(a, b):
    try:
        return time.ticks_diff(a, b)
    except AttributeError:
        return a - b


def room(it):
    # Memory use by kind: one walk over the arena.
    h = it.heap
    words = [0] * (2 + len(KINDS))      # pairs, list words, box types
    words[2] = h.n - h.top              # untouched words are free
    i = 0
    while i < h.top:
        c = h.code(i)
        if c == CAR:
            words[0] += 2
            i += 2
        elif c == NEXT:
            j = i
            while h.code(j) == NEXT:
                j += 1
            j += 2 if h.code(j) == CAR else 1
            words[1] += j - i
            i = j
        else:
            t = (h.W[i] >> 11) & 15
            s = (h.W[i] & MAXSIZE) + 1
            words[2 + t] += s
            i += s
    out = it.out
    out('arena: ' + str(2 * h.n) + ' bytes\n')
    labels = ('pairs', 'list cells') + KINDS
    for k in range(len(labels)):
        if words[k]:
            out('  ' + labels[k] + ': ' + str(2 * words[k]) + ' bytes\n')
    st = it.stats()
    out('symbols: ' + str(st['symbols_used']) + ' of ' + str(NUSER) + ' ids, ' +
        str(it.symbols.top) + ' of ' + str(len(it.symbols.names)) + ' name bytes\n')
    out('stack: ' + str(len(it.S)) + ' words\n')
    out('interpreter tables: ' + str(st['bytes_total'] - 2 * h.n) + ' bytes\n')
    out('collections: ' + str(st['gc_runs']) + '\n')


def p_clock(it, a, n, op):
    # %ticks current-jiffy jiffies-per-second current-second
    op -= BASE
    if op == 2:
        return it.heap.make_int(1000)
    if op == 3:                     # inexact, as R7RS has it
        return it.heap.make_float(float(time.time()))
    return it.heap.make_int(ticks_ms())


def p_elapsed(it, a, n, op):
    # (%elapsed t0): milliseconds since the %ticks value t0
    return it.heap.make_int(ticks_diff(ticks_ms(), it.heap.int_value(it.S[a])))


def bound_names(it, part):
    # Names of every bound global, builtin and library procedure containing
    # part, sorted.
    sy = it.symbols
    out = []
    for i in range(NUSER + sy.nbuiltin):
        # globals with a value, special forms, library names
        if it.G[i] != UNBOUND or i >= it.lib_first or NUSER <= i < NUSER + NKW:
            nm = sy.name(i)
            if nm and part in nm and nm[0] not in '%#':
                out.append(nm)
    out.sort()
    return out


def p_apropos(it, a, n, op):
    # (apropos "str") prints the names; apropos-list returns them as symbols
    v = it.S[a]
    if v & 3 == 3 and SYM0 <= v < CHAR0:
        part = it.symbols.name((v - SYM0) >> 2)
    else:
        part = decode(it.heap.string_bytes(arg_string(it, v, op)))
    names = bound_names(it, part)
    if op - BASE == 4:
        for nm in names:
            it.out(nm + '\n')
        return UNSPEC
    base = it.sp
    for nm in names:
        b = nm.encode()
        it.push(it.symbol(b, 0, len(b)))
    r = build_list(it, base, it.sp - base, NIL)
    it.sp = base
    return r


def help_line(nm):
    # The description of nm in help.txt (frozen into the firmware, else the
    # file), or None.
    try:
        text = getattr(__import__('motedata'), 'HELP', None)    # made by the build
    except ImportError:
        text = None
    if text is not None:
        key = (nm + ' ').encode()
        p = 0
        if not text.startswith(key):
            p = text.find(b'\n' + key) + 1
            if not p:
                return None
        e = text.find(b'\n', p)
        return bytes(text[p + len(key):e if e >= 0 else len(text)]).decode().strip()
    p = __file__.rsplit('/', 1)[0] + '/help.txt' if '/' in __file__ else 'help.txt'
    try:
        with open(p) as f:
            for line in f:
                if line.startswith(nm + ' '):
                    return line[len(nm) + 1:].strip()
    except OSError:
        return 'no help here (help.txt is not installed)'
    return None


def arity_text(it, v, sym):
    # How a global is called: builtin arity, closure parameters, or syntax.
    h = it.heap
    if v & 3 == 3 and PRIM0 <= v < 0x2003:
        pid = (v - PRIM0) >> 2
        lo = it.arity[pid] & 7
        hi = it.arity[pid] >> 3
        what = str(lo) if lo == hi else (str(lo) + ' or more' if hi == 31
                                         else str(lo) + ' to ' + str(hi))
        return 'builtin procedure, ' + what + ' argument' + ('' if what == '1' else 's')
    if h.box_type(v) == T_CLOSURE:
        info = h.W[(v >> 1) + 1] >> 2
        req = str(info & 63)
        return 'procedure, ' + (req + ' or more' if info & 64 else req) + ' argument' + \
            ('' if req == '1' and not info & 64 else 's')
    if h.record_kind(v) == 6:
        return 'macro'
    i = (sym - SYM0) >> 2
    if NUSER <= i < NKW + NUSER:
        return 'special form'
    return 'variable'


def p_help(it, a, n, op):
    # (help 'name): how to call it and what it does
    s = it.S[a]
    if s & 3 != 3 or not SYM0 <= s < CHAR0:
        raise LispError('help: not a symbol: ' + it.show(s) + " (try (help 'car))")
    i = (s - SYM0) >> 2
    nm = it.symbols.name(i)
    v = it.G[i]
    if v == UNBOUND and i >= it.lib_first:
        v = it.autoload(s)
    if v == UNBOUND and not NUSER <= i < NUSER + NKW:
        it.out(nm + ': not defined\n')
        return UNSPEC
    it.out(nm + ': ' + arity_text(it, v, s) + '\n')
    d = help_line(nm)
    if d:
        it.out('  ' + d + '\n')
    return UNSPEC


def p_read_file(it, a, n, op):
    # (%read-file "path"): the file's bytes as a string, for load; a file
    # `mote compile` made (its forms compiled, precompiled.py) is run
    # instead, and its text is ""
    path = decode(it.heap.string_bytes(arg_string(it, it.S[a], op)))
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError:
        raise LispError(name(it, 'load') + ': cannot open ' + path)
    if data.startswith(b'\x00mote compiled'):
        import sys
        import precompiled
        base = it.sp
        floor = it.enter()
        try:
            precompiled.run(it, memoryview(data)[len(precompiled.MAGIC):])
        finally:
            it.leave(base, floor)
            sys.modules.pop('precompiled', None)
        data = b''
    return it.heap.make_string(data, 0, len(data))


def p_os(it, a, n, op):
    # file-exists? delete-file get-environment-variable
    # get-environment-variables command-line. A board has no environment
    # (#f and '()) and no command line but Mote's name; the unix port has
    # both (`mote run FILE ARG...` gives ("FILE" "ARG" ...)).
    import os
    import sys
    k = op - BASE - P_OS
    if k < 3:
        s = decode(it.heap.string_bytes(arg_string(it, it.S[a], op)))
    if k == 0:
        try:
            os.stat(s)
            return TRUE
        except OSError:
            return FALSE
    if k == 1:
        try:
            os.remove(s)
        except OSError:
            raise LispError('delete-file: cannot delete ' + s)
        return UNSPEC
    if k == 2:
        v = os.getenv(s) if hasattr(os, 'getenv') else None
        return FALSE if v is None else string_of(it, v.encode())
    if k == 3:
        # (only CPython lists them: MicroPython has no os.environ)
        env = getattr(os, 'environ', {})
        base = it.sp
        for key in env:
            it.push(string_of(it, key.encode()))
            it.push(string_of(it, env[key].encode()))
            it.S[it.sp - 2] = it.heap.cons(it.S[it.sp - 2], it.S[it.sp - 1])
            it.sp -= 1
        v = build_list(it, base, it.sp - base, NIL)
        it.sp = base
        return v
    argv = getattr(sys, 'argv', None) or []
    if 'run' in argv:
        argv = argv[argv.index('run') + 1:]
    base = it.sp
    for s in argv or ['mote']:
        it.push(string_of(it, s.encode()))
    v = build_list(it, base, it.sp - base, NIL)
    it.sp = base
    return v


FUNCS = (p_clock, p_clock, p_clock, p_clock, p_apropos, p_apropos, p_elapsed,
         p_help, p_read_file, p_os, p_os, p_os, p_os, p_os)
P_OS = 9
