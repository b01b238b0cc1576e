# The table of every built-in procedure: the core table of primitives.py,
# then each extension module's rows, in this order. Each row is a name with
# its arity (name:N exactly N, name:N- N or more, name:N-M from N to M).
# The names are here, not in the modules, so that a module is imported only
# when one of its builtins is first called: its bytecode is RAM on a board.
# A module's FUNCS holds its functions in the order of its rows, and its
# BASE (base_of) is the number of its first row: its family functions use
# op - BASE to tell their members apart.
import primitives

LOADERS = []    # (module, first builtin, builtins, loader) per extension


EXTENSIONS = (
    ('control',
     'call/cc:1 call-with-current-continuation:1 %cont-check:1 '
     '%cont-winders:1 %escape:2 %winders:0 %set-winders!:1 %handlers:0 '
     '%set-handlers!:1 %current-output:0 %set-current-output!:1 '
     'values:0- %spread-values:2 error-object?:1 '
     'error-object-message:1 error-object-irritants:1 %uncaught:1 '
     '%make-error:2 %make-promise:2 %make-param:2 %make-record-type:2 promise?:1 '
     '%promise-done?:1 %promise-value:1 %param-converter:1 '
     '%promise-set!:3 %param-set!:2 %record:1- %record?:2 '
     '%record-ref:4-5 %define-macro:2-3 %macro-transformer:1 gensym:0-1 '
     '%eval:1 interaction-environment:0'),
    ('arith',
     '/:1- exact->inexact:1 inexact:1 inexact->exact:1 exact:1 floor:1 '
     'ceiling:1 round:1 truncate:1 floor/:2 truncate/:2 floor-quotient:2 '
     'floor-remainder:2 truncate-quotient:2 truncate-remainder:2 sqrt:1 '
     'exact-integer-sqrt:1 exp:1 log:1-2 sin:1 cos:1 tan:1 asin:1 acos:1 '
     'atan:1-2 square:1 inexact?:1 real?:1 rational?:1 complex?:1 '
     'exact-integer?:1 exact-nonnegative-integer?:1 nan?:1 infinite?:1 '
     'finite?:1 bitwise-and:0- logand:0- bitwise-ior:0- bitwise-or:0- '
     'logior:0- bitwise-xor:0- logxor:0- bitwise-not:1 lognot:1 '
     'arithmetic-shift:2 ash:2 bit-count:1 logcount:1 random:1 '
     'random-seed:1 numerator:1 denominator:1'),
    ('text',
     'string-ci=?:1- string-ci<?:1- string-ci>?:1- string-ci<=?:1- '
     'string-ci>=?:1- char-ci=?:1- char-ci<?:1- char-ci>?:1- '
     'char-ci<=?:1- char-ci>=?:1- char-foldcase:1 digit-value:1 '
     'string-upcase:1 string-downcase:1 string-foldcase:1 string-set!:3 '
     'bytevector-u8-set!:3 string-fill!:2-4 bytevector-fill!:2-4 '
     'string-copy!:3-5 bytevector-copy!:3-5 string-search:2-3 '
     'string-contains:2-4 string-index:2-4 string-rindex:2-4 '
     'string-count:2-4 string-trim:1-4 string-trim-left:1-4 '
     'string-trim-right:1-4 string-trim-both:1-4 string-prefix?:2 '
     'string-suffix?:2 string-null?:1 string-reverse:1 string-split:2 '
     'string-join:1-3 string-pad:2-3 string-pad-right:2-3 '
     'string->vector:1-3 vector->string:1-3 symbol=?:1- bytevector:0- '
     'make-bytevector:1-2 bytevector?:1 bytevector-u8-ref:2 '
     'bytevector-length:1 bytevector-copy:1-3 utf8->string:1-3 '
     'string->utf8:1-3 bytevector-append:0- open-input-string:1 '
     'open-output-string:0 get-output-string:1 current-output-port:0 '
     'current-error-port:0 current-input-port:0 port?:1 input-port?:1 '
     'output-port?:1 close-port:1 close-input-port:1 close-output-port:1 '
     'write-string:1-4 write-char:1-2 write-u8:1-2 read-char:0-1 '
     'peek-char:0-1 read-line:0-1 read-string:1-2 char-ready?:0-1 '
     'read:0-1 read-from-string:1 eof-object:0 eof-object?:1 format:1-'),
    ('data',
     'make-hash-table:0-2 make-eq-hash-table:0-1 make-eqv-hash-table:0-1 '
     'make-equal-hash-table:0-1 make-string-hash-table:0-1 '
     'make-strong-eqv-hash-table:0-1 make-strong-eq-hash-table:0-1 '
     'alist->hash-table:1-3 hash-table?:1 hash-table-ref:2-4 '
     'hash-table-ref/default:3 hash-table/get:3 hash-table-contains?:2 '
     'hash-table-exists?:2 hash-table-set!:3 hash-table/put!:3 '
     'hash-table-delete!:2 hash-table/remove!:2 hash-table-count:1 '
     'hash-table-size:1 hash-table-keys:1 hash-table-values:1 '
     'hash-table->alist:1 hash-table-clear!:1 hash-table-copy:1-2 '
     '%hash-table-buckets:1 hash:1-2 string-hash:1-2 %arg-error:3 '
     'list-copy:1 alist-copy:1 take:2 list-head:2 last-pair:1 last:1 '
     'first:1 second:1 third:1 fourth:1 fifth:1 drop:2 list-set!:3 '
     'delete:2-3 delete!:2-3 delete-duplicates:1-2 iota:1-3 append!:0- '
     'reverse!:1 vector-copy:1-3 subvector:3 vector-head:2 vector-tail:2 '
     'subvector->list:3 vector-grow:2 vector-copy!:3-5 vector-append:0-'),
    ('system',
     '%ticks:0 current-jiffy:0 jiffies-per-second:0 current-second:0 '
     'apropos:1 apropos-list:1 %elapsed:1 help:1 %read-file:1'),
    ('hardware',
     'pinmode:2 digitalwrite:2 digitalread:1 analogread:1 analogwrite:2 '
     'analogwrite-frequency:2 note:0-3 board-led:1 millis:0 micros:0 '
     'sleep-ms:1 %wait-since:2 i2c-scan:0 i2c-read:2 i2c-write:2 '
     'i2c-read-reg:3 spi-transfer:1-2 uart-write:1 uart-read:0-1 every-ms:2 '
     'on-pin-change:3 stop-timers:0-1'),
    ('image',
     'save-image:0-1 load-image:0'),
)



def rows():
    # The table, row by row: the core's, then each extension's. (Not joined
    # into one string kept in RAM: Interp reads it once, at start-up.)
    return [primitives.TABLE] + [t for m, t in EXTENSIONS]


def table():
    return ' '.join(rows())


def table_of(module):
    for m, t in EXTENSIONS:
        if m == module:
            return t
    raise KeyError(module)


def count(row):
    # Number of names in a row (one space apart): found by C, with no
    # Python string per name (bytes: str.find from an index walks the
    # characters up to it).
    row = row.encode()
    n = 1
    i = row.find(b' ')
    while i >= 0:
        n += 1
        i = row.find(b' ', i + 1)
    return n


def base_of(module):
    # Number of the module's first builtin.
    n = count(primitives.TABLE)
    for m, t in EXTENSIONS:
        if m == module:
            return n
        n += count(t)
    raise KeyError(module)


def functions():
    # The builtins' functions, by number (Interp.prims): the core's, then
    # for each extension row a loader that imports its module on first call
    # and puts the module's functions in their places.
    fs = list(primitives.FUNCS)
    LOADERS[:] = []
    for m, t in EXTENSIONS:
        n = count(t)
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
