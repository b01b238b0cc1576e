# MicroPython's objects in Lisp (py-import, py-get, py-call, ...) and Lisp
# procedures as Python callables. Loaded on the first call of a py-*
# builtin (or of `available`, or when a Python stream is used as a port).
#
# A Python object is a Lisp value through a handle: a PY box [header][index]
# whose index points into it.py_handles, a Python list of the board
# profile's "py_handles" entries. The arena never holds a Python reference.
# The collector itself knows nothing of the table (the core's bytecode
# stays as it was): after a collection, the next new handle finds the
# entries no PY box in the arena names any more and empties them
# (free_entries, one walk over the arena), once the table is half full; a
# full table collects first. Only then is a full table an error. A saved
# image's handles come back stale (index STALE): their objects were the
# old session's.
#
# At the boundary (a copy each time, never a shared buffer):
#   fixnum, bignum <-> int        flonum <-> float      string <-> str (UTF-8)
#   bytevector -> bytes, and bytes or bytearray -> bytevector
#   #t #f <-> True False          () and unspecified -> None -> unspecified
#   char -> str of one character  symbol -> str of its name
#   handle -> its object          procedure -> a callable (below)
#   lists and vectors only on request (py-list py-tuple py-dict, py->list
#   py->vector), one level deep; any other Python object -> a handle.
# In py-call and py-method a keyword symbol followed by a value (:timeout 5)
# is a keyword argument.
#
# A Lisp procedure given to Python is a Procedure: a callable holding a slot
# of %py-procs (a Lisp vector, so the collector keeps the procedure). One
# passed among a call's arguments is lent for that call (sorted's key,
# map's function): its slot is freed when the call returns. One Python
# keeps (a Pin.irq handler, a Timer callback) comes from (py-callback f): a
# handle whose callable lives as long as the handle does. A call from Python
# runs the procedure at once when Mote waits in a py-call (so sorted calls
# the key), or is idle (the embedding API, the REPL waiting for a line). A
# call that cuts into running Lisp (an interrupt handler or a scheduled
# function, which MicroPython runs between any two bytecodes) is queued
# instead, and run at the next safe point: the end of a py-call, a wait of
# sleep-ms, the REPL's next prompt. Its return value is then None.
from arena import (decode, CAR, NEXT, MAXSIZE, LispError, NIL, TRUE, FALSE, UNSPEC, EOF, SYM0, CHAR0, PRIM0,
                   T_INT, T_FLOAT, T_STRING, T_BYTES, T_CHAR, T_CLOSURE, T_VECTOR, T_PY)
from args import name, truth, build_list, arg_index
from builtin_table import base_of
from text import string_of, chars, make_char, BIGCHUNK
from evaluator import run

BASE = base_of('python_tier') + 1   # its first builtin (python_tier.py's rows)
STALE = 0xFFFF                   # the index of a handle from a saved image
NQUEUE = 8                       # calls queued from interrupts, at most
TABLE = 64                       # handles, unless the profile says


class Procedure:
    # A Lisp procedure as a Python callable; slot -1: released.
    def __init__(self, it, slot):
        self.it = it
        self.slot = slot

    def __call__(self, *args):
        return call_back(self, args)


# -- the handle table -----------------------------------------------------------
def handles(it):
    # The table (made on first use, with the rest of this module's state).
    hs = getattr(it, 'py_handles', None)
    if hs is None:
        import sys
        import startup              # (the profile's key; dropped again)
        try:
            n = startup.load_board(it.board['source'], ('py_handles',)).get('py_handles', TABLE)
        finally:
            sys.modules.pop('startup', None)
        hs = it.py_handles = [None] * n
        it.py_next = it.py_dropped = it.py_calls = it.py_runs = 0
        it.py_procs = []            # Procedure by slot of %py-procs
        it.py_lent = []             # those lent to the py-calls under way
        it.py_queue = []            # [Procedure, args]... queued calls
    return hs


def wrap(it, o):
    # A new handle of o (which must not be reachable only from the arena).
    hs = handles(it)
    n = len(hs)
    if it.collector.runs != it.py_runs and 2 * hs.count(None) <= n:
        free_entries(it, False)         # (what the last collection freed)
    k = it.py_next
    for attempt in range(2):
        for j in range(n):
            if hs[k] is None:
                hs[k] = o
                it.py_next = (k + 1) % n
                try:
                    i = it.heap.alloc_box(T_PY, 1, 0)
                except BaseException:
                    hs[k] = None
                    raise
                it.heap.W[i + 1] = k
                return i << 1
            k = (k + 1) % n
        free_entries(it, True)
    raise LispError('Python handle table full: ' + str(n) +
                    ' handles in use ("py_handles" in the board profile)')


def free_entries(it, collect):
    # (Collect, then) empty every entry that no PY box in the arena names.
    if collect:
        it.collector.collect()
    it.py_runs = it.collector.runs
    hs = it.py_handles
    used = bytearray(len(hs))
    each_handle(it, it.heap.top, used)
    for k in range(len(hs)):
        if not used[k]:
            hs[k] = None


def each_handle(it, top, used):
    # One walk over the arena's words 0..top-1 (as room's): note each PY
    # box's index in used, or with used None make the box stale.
    h = it.heap
    W = h.W
    i = 0
    while i < top:
        c = h.code(i)
        if c == CAR:
            i += 2
        elif c == NEXT:
            while h.code(i) == NEXT:
                i += 1
            i += 2 if h.code(i) == CAR else 1
        else:
            if W[i] >> 11 == T_PY:
                if used is None:
                    W[i + 1] = STALE
                elif W[i + 1] < len(used):
                    used[W[i + 1]] = 1
            i += (W[i] & MAXSIZE) + 1


def obj(it, v, who):
    # The Python object of handle v.
    if it.heap.box_type(v) != T_PY:
        raise LispError(name(it, who) + ': not a Python object: ' + it.show(v))
    k = it.heap.W[(v >> 1) + 1]
    hs = getattr(it, 'py_handles', None)
    if k == STALE or hs is None:
        raise LispError(name(it, who) + ': a Python object of an earlier session '
                        '(saved in an image): ' + it.show(v))
    return hs[k]


def forget(it, top):
    # A saved image replaced the arena (words 0..top-1): its handles are
    # stale, and every table entry and lent procedure is the old session's.
    each_handle(it, top, None)
    hs = it.py_handles
    for k in range(len(hs)):
        hs[k] = None
    for p in it.py_procs:
        if p is not None:
            p.slot = -1
    it.py_procs = []
    it.py_lent = []
    it.py_queue = []


def text(it, v):
    # The printed form #<py TYPE 0xID>, #<py module NAME>.
    k = it.heap.W[(v >> 1) + 1]
    hs = getattr(it, 'py_handles', None)
    if k == STALE or hs is None:
        return '#<py stale>'
    o = hs[k]
    t = o.__class__.__name__
    if t == 'module':
        return '#<py module ' + o.__name__ + '>'
    return '#<py ' + t + ' 0x%x>' % id(o)


# -- conversions ------------------------------------------------------------------
def lisp(it, o):
    # The Lisp value of the Python object o.
    c = o.__class__
    h = it.heap
    if o is None:
        return UNSPEC
    if c is bool:
        return TRUE if o else FALSE
    if c is int:
        return h.make_int(o)
    if c is float:
        return h.make_float(o)
    if c is str:
        return string_of(it, o)         # (which says when it is too long)
    if c is bytes or c is bytearray:
        if len(o) > BIGCHUNK:
            raise LispError('bytevector: too long (%d bytes; at most %d)' % (len(o), BIGCHUNK))
        return h.make_string(o, 0, len(o), T_BYTES)
    if c is Procedure and o.it is it and o.slot >= 0:
        return it.heap.W[procs(it) + o.slot]
    return wrap(it, o)


def python(it, v, who):
    # The Python object of the Lisp value v (a procedure is lent: see above).
    if v & 3 == 1:
        return (v >> 2) - 8192
    h = it.heap
    if v & 1:
        if v == TRUE or v == FALSE:
            return v == TRUE
        if v == NIL or v == UNSPEC:
            return None
        if v >= CHAR0:
            return chr((v - CHAR0) >> 2)
        if v >= SYM0:
            return it.symbols.name((v - SYM0) >> 2)
        if PRIM0 <= v < 0x2003:
            return lend(it, v, False)
    else:
        t = h.box_type(v)
        if t == T_INT:
            return h.int_value(v)
        if t == T_FLOAT:
            return h.float_value(v)
        if t == T_STRING:
            return chars(h, v)
        if t == T_BYTES:
            return bytes(h.string_bytes(v))
        if t == T_CHAR:
            return chr(h.int_value(v))
        if t == T_PY:
            return obj(it, v, who)
        if t == T_CLOSURE:
            return lend(it, v, False)
    raise LispError(name(it, who) + ': no Python value for ' + it.show(v) +
                    ' (lists and vectors: py-list, py-tuple, py-dict)')


def elements(it, v, who):
    # The Python values of a list's or vector's elements, as a list.
    h = it.heap
    r = []
    if h.box_type(v) == T_VECTOR:
        for k in range(h.box_size(v)):
            r.append(python(it, h.W[(v >> 1) + 1 + k], who))
        return r
    x = v
    while h.is_pair(x):
        r.append(python(it, h.car(x), who))
        x = h.cdr(x)
    if x != NIL:
        raise LispError(name(it, who) + ': not a list or vector: ' + it.show(v))
    return r


def to_list(it, o, vec, who):
    # A Lisp list (or vector) of what iterating the Python object o gives.
    base = it.sp
    try:
        for x in o:
            it.push(lisp(it, x))
    except LispError:
        it.sp = base
        raise
    except Exception as e:
        it.sp = base
        raise failure(it, who, e)
    n = it.sp - base
    if vec:
        i = it.heap.alloc_box(T_VECTOR, n, 0)
        for k in range(n):
            it.heap.W[i + 1 + k] = it.S[base + k]
        r = i << 1
    else:
        r = build_list(it, base, n, NIL)
    it.sp = base
    return r


def failure(it, who, e):
    # A Python exception as the Lisp error guard catches: who, its type, its text.
    t = str(e)
    return LispError(name(it, who) + ': ' + e.__class__.__name__ + (': ' + t if t else ''))


# -- calling Python -------------------------------------------------------------
def call(it, a, n, op, f=None):
    # Builtin op (or, given f, the call (handle arg ...) at S[a - 1]): Python
    # runs meanwhile, so a call back into Lisp runs at once (py_calls), and
    # the procedures lent to it are released after. Then the calls queued
    # while Lisp ran get their turn.
    handles(it)
    lent = len(it.py_lent)
    it.py_calls += 1
    try:
        if f is None:
            v = FUNCS[op - BASE](it, a, n, op)
        else:
            args, kw = call_args(it, a, n, op)
            v = invoke(it, f, args, kw, op)
    finally:
        it.py_calls -= 1
        while len(it.py_lent) > lent:
            release(it, it.py_lent.pop())
    if it.py_queue and not it.py_calls:
        it.push(v)
        run_pending(it)
        it.sp -= 1
    return v


def invoke(it, f, args, kw, who):
    # f(*args, **kw), with Lisp's view of its value or its exception.
    try:
        r = f(*args) if kw is None else f(*args, **kw)
    except LispError:
        raise                           # a Lisp procedure's error, passed through
    except Exception as e:
        raise failure(it, who, e)
    return lisp(it, r)


def call_args(it, a, n, who):
    # Positional and keyword arguments of S[a:a+n].
    S = it.S
    args = []
    kw = None
    k = a
    while k < a + n:
        v = S[k]
        if v & 3 == 3 and SYM0 <= v < CHAR0 and k + 1 < a + n:
            nm = it.symbols.name((v - SYM0) >> 2)
            if nm[:1] == ':' and len(nm) > 1:
                if kw is None:
                    kw = {}
                kw[nm[1:]] = python(it, S[k + 1], who)
                k += 2
                continue
        args.append(python(it, v, who))
        k += 1
    return args, kw


def key(it, v, who):
    # An attribute or method name: a string or a symbol.
    if v & 3 == 3 and SYM0 <= v < CHAR0:
        return it.symbols.name((v - SYM0) >> 2)
    if it.heap.box_type(v) == T_STRING:
        return chars(it.heap, v)
    raise LispError(name(it, who) + ': not a name (string or symbol): ' + it.show(v))


def apply(it, base, n):
    # (handle arg ...): a callable handle called like a procedure.
    return call(it, base + 1, n, 'py-call', obj(it, it.S[base], 'py-call'))


# -- calling Lisp from Python ------------------------------------------------------
def procs(it):
    # Index in W of %py-procs' first element (the vector is the library's).
    v = it.global_value('%py-procs')
    if it.heap.box_type(v) != T_VECTOR:
        raise LispError('%py-procs: not a vector')
    return (v >> 1) + 1


def lend(it, f, keep):
    # A Procedure for the Lisp procedure f: in it.py_lent (released when
    # the py-call returns) unless kept (py-callback's).
    handles(it)
    ps = it.py_procs
    w = procs(it)
    n = it.heap.box_size(w - 1 << 1)
    j = 0
    while j < len(ps) and ps[j] is not None:
        j += 1
    if j == len(ps):
        if j == n:
            reclaim(it)
            j = 0
            while j < n and ps[j] is not None:
                j += 1
            if j == n:
                raise LispError('all %d Lisp procedures lent to Python are in use '
                                '(%%py-procs; drop py-callback handles)' % n)
        else:
            ps.append(None)
    p = ps[j] = Procedure(it, j)
    it.heap.W[w + j] = f
    if not keep:
        it.py_lent.append(p)
    return p


def release(it, p):
    if p.slot >= 0:
        it.py_procs[p.slot] = None
        it.heap.W[procs(it) + p.slot] = FALSE
        p.slot = -1


def reclaim(it):
    # Release the kept procedures whose py-callback handle was collected.
    free_entries(it, True)
    hs = it.py_handles
    ps = it.py_procs
    for j in range(len(ps)):
        p = ps[j]
        if p is not None and p not in it.py_lent and p not in hs:
            release(it, p)


def call_back(p, args):
    # Procedure.__call__: run it now, or queue it (see the top).
    it = p.it
    if p.slot < 0:
        raise RuntimeError('a Lisp procedure called after its py-call returned '
                           '(give Python (py-callback f) to keep)')
    if not it.py_calls and (it.depth or getattr(it, 'busy', 0) or it.collector.busy):
        q = it.py_queue
        if len(q) < NQUEUE:
            q.append(p)
            q.append(args)
        else:
            it.py_dropped += 1
        return None
    return run_now(it, p, args)


def run_now(it, p, args):
    # The call, as a nested evaluation with nothing lent or queued under it.
    calls = it.py_calls
    base = it.sp
    floor = it.enter()
    fp = it.fp
    env = it.env
    it.depth += 1
    it.py_calls = 0
    try:
        it.push(1)                      # K_TOP
        it.push(it.heap.W[procs(it) + p.slot])
        for x in args:
            it.push(lisp(it, x))
        it.fp = base + 5
        it.env = NIL
        return python(it, run(it, NIL, base + 5), 'callback')
    finally:
        it.py_calls = calls
        it.depth -= 1
        it.leave(base, floor)
        it.fp = fp
        it.env = env


def run_pending(it):
    # Run the queued calls, oldest first; an error is reported and the rest
    # go on (as every-ms's thunks).
    q = it.py_queue
    while q:
        p = q.pop(0)
        args = q.pop(0)
        if p.slot < 0:
            continue                    # released meanwhile
        try:
            run_now(it, p, args)
        except LispError as e:
            it.out('Error in a Python callback: ' + str(e) + '\n')
    if it.py_dropped:
        it.out('%d Python callbacks dropped (more than %d queued)\n' % (it.py_dropped, NQUEUE))
        it.py_dropped = 0


# -- Python streams as ports: read-line write-string display available ---------------
def write(it, port, data):
    o = obj(it, port, 'write-string')
    if data.__class__ is str:
        data = data.encode()
    try:
        if hasattr(o, 'write'):
            o.write(data)
        else:
            o.sendall(data)
    except Exception as e:
        raise failure(it, 'write-string', e)


def read(it, a, n, op):
    # read-line read-char read-string char-ready? on a Python stream (the
    # last argument): a Client of netclient.py, a file, a UART, a socket.
    who = it.prim_name(op)
    o = obj(it, it.S[a + n - 1], op)
    try:
        if who == 'read-line':
            b = o.readline()
            if not b:
                return EOF
            if b[-1:] == b'\n':
                b = b[:-1]
                if b[-1:] == b'\r':
                    b = b[:-1]
            return string_of(it, b)     # ("" for an empty line: EOF came above)
        elif who == 'read-char':
            b = o.read(1)
            if b.__class__ is str:
                b = b.encode()
            if not b:
                return EOF
            if b[0] >= 0xC0:            # the rest of a UTF-8 character
                b += o.read(1 if b[0] < 0xE0 else 2 if b[0] < 0xF0 else 3)
            return make_char(it, ord(decode(b)[0]))
        elif who == 'read-string':
            b = o.read(arg_index(it, it.S[a], op, BIGCHUNK + 1))
        elif who == 'char-ready?':
            return truth(avail(o))
        else:
            raise LispError(who + ': not for a Python stream: ' + it.show(it.S[a + n - 1]))
    except LispError:
        raise
    except Exception as e:
        raise failure(it, op, e)
    if not b:
        return EOF
    if b.__class__ is str:
        b = b.encode()
    return it.heap.make_string(b, 0, len(b))


def avail(o):
    # Bytes ready to read without waiting (at least 1 if any).
    f = getattr(o, 'available', None) or getattr(o, 'any', None)
    if f:
        return f()
    import select
    p = select.poll()
    p.register(o, select.POLLIN)
    return 1 if p.poll(0) else 0


def item(o, k):
    return o[k]


def set_item(o, k, v):
    o[k] = v


# -- the builtins --------------------------------------------------------------------
def p_py(it, a, n, op):
    # py-import py-get py-set! py-call py-method py-ref py-ref-set! py-len
    # py-str py-type py-has?
    k = op - BASE
    S = it.S
    if k == 0:
        nm = key(it, S[a], op)
        m = invoke(it, __import__, (nm,), None, op)
        import sys
        s = sys.modules.get(nm)         # a package's submodule, not the package
        return m if s is None else lisp(it, s)
    o = obj(it, S[a], op)
    if k == 3:
        args, kw = call_args(it, a + 1, n - 1, op)
        return invoke(it, o, args, kw, op)
    if k == 4:
        try:
            f = getattr(o, key(it, S[a + 1], op))
        except AttributeError as e:
            raise failure(it, op, e)
        args, kw = call_args(it, a + 2, n - 2, op)
        return invoke(it, f, args, kw, op)
    if k == 1:
        nm = key(it, S[a + 1], op)
        if n > 2 and not hasattr(o, nm):
            return S[a + 2]                 # the default, as it is
        return invoke(it, getattr, (o, nm), None, op)
    if k == 2:
        invoke(it, setattr, (o, key(it, S[a + 1], op), python(it, S[a + 2], op)), None, op)
        return UNSPEC
    if k == 5:
        return invoke(it, item, (o, python(it, S[a + 1], op)), None, op)
    if k == 6:
        invoke(it, set_item, (o, python(it, S[a + 1], op), python(it, S[a + 2], op)), None, op)
        return UNSPEC
    if k == 7:
        return invoke(it, len, (o,), None, op)
    if k == 8:
        return invoke(it, str, (o,), None, op)
    if k == 9:
        return string_of(it, o.__class__.__name__)
    return truth(invoke(it, hasattr, (o, key(it, S[a + 1], op)), None, op) == TRUE)


def p_convert(it, a, n, op):
    # py->list py->vector py-list py-tuple py-dict py? py-callback
    # py-handles available
    k = op - BASE - 11
    v = it.S[a] if n else NIL
    if k < 2:
        return to_list(it, obj(it, v, op), k, op)
    if k < 4:
        r = elements(it, v, op)
        return wrap(it, r if k == 2 else tuple(r))
    if k == 4:
        h = it.heap
        d = {}
        x = v
        while h.is_pair(x):
            e = h.car(x)
            if not h.is_pair(e):
                raise LispError(name(it, op) + ': not an association list: ' + it.show(v))
            d[python(it, h.car(e), op)] = python(it, h.cdr(e), op)
            x = h.cdr(x)
        return wrap(it, d)
    if k == 5:
        return truth(not v & 1 and it.heap.box_type(v) == T_PY)
    if k == 6:
        if not (v & 3 == 3 and PRIM0 <= v < 0x2003) and it.heap.box_type(v) != T_CLOSURE:
            raise LispError(name(it, op) + ': not a procedure: ' + it.show(v))
        import hardware             # (the REPL runs the queue in its wait: hardware.idle)
        hardware.state(it)
        return wrap(it, lend(it, v, True))
    if k == 7:
        hs = handles(it)
        free_entries(it, True)          # (the live ones)
        return it.heap.make_int(len(hs) - hs.count(None))
    try:
        return it.heap.make_int(avail(obj(it, v, op)))
    except LispError:
        raise
    except Exception as e:
        raise failure(it, op, e)


FUNCS = (p_py, p_py, p_py, p_py, p_py, p_py, p_py, p_py, p_py, p_py, p_py,
         p_convert, p_convert, p_convert, p_convert, p_convert, p_convert, p_convert,
         p_convert, p_convert)
