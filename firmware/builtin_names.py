# The names and arities of every built-in procedure, family by family:
# the core's (primitives.FUNCS, in this order), then each extension
# module's (its FUNCS, in order; builtin_table.FAMILIES counts them). Each
# name carries its arity: name:N exactly N, name:N- N or more, name:N-M
# from N to M arguments. Families that share one function (the function
# gets the builtin's number, op) stand together in order. Only what
# computes the name tables reads this (a build's motenames, the host
# tools, Mote without motenames, which drops it again): a board's Mote
# gets them from motenames and never imports it.

CORE = ('apply:2- +:0- -:1- <:1- >:1- =:1- <=:1- >=:1- cons:2 '
        '*:0- quotient:2 remainder:2 modulo:2 abs:1 '
        'min:1- max:1- gcd:0- lcm:0- expt:2 zero?:1 positive?:1 negative?:1 '
        'odd?:1 even?:1 list:0- length:1 append:0- reverse:1 list-tail:2 '
        'list-ref:2 memq:2 memv:2 member:2-3 assq:2 assv:2 assoc:2-3 '
        'null?:1 not:1 pair?:1 symbol?:1 string?:1 char?:1 boolean?:1 procedure?:1 '
        'vector?:1 number?:1 integer?:1 exact?:1 list?:1 set-car!:2 set-cdr!:2 '
        'car:1 cdr:1 caar:1 cadr:1 cdar:1 cddr:1 caaar:1 caadr:1 cadar:1 caddr:1 cdaar:1 '
        'cdadr:1 cddar:1 cdddr:1 eq?:2 eqv?:2 equal?:2 symbol->string:1 '
        'string->symbol:1 string-length:1 string-ref:2 substring:2-3 '
        'string-append:0- string-copy:1-3 string=?:1- string<?:1- string>?:1- '
        'string<=?:1- string>=?:1- string->list:1-3 list->string:1 string:0- '
        'make-string:1-2 string->number:1-2 number->string:1-2 '
        'char->integer:1 integer->char:1 char=?:1- char<?:1- char>?:1- '
        'char<=?:1- char>=?:1- char-upcase:1 char-downcase:1 '
        'char-alphabetic?:1 char-numeric?:1 char-whitespace?:1 '
        'char-upper-case?:1 char-lower-case?:1 vector:0- make-vector:1-2 '
        'vector-ref:2 vector-set!:3 vector-length:1 vector->list:1-3 '
        'list->vector:1 vector-fill!:2-4 display:1-2 write:1-2 error:1- newline:0-1 '
        'gc:0 room:0 exit:0-1')

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
     '%eval:1 interaction-environment:0 %scope:0-2 %global:1 emergency-exit:0-1'),
    ('numeric',
     '/:1- exact->inexact:1 inexact:1 inexact->exact:1 exact:1 floor:1 '
     'ceiling:1 round:1 truncate:1 floor/:2 truncate/:2 floor-quotient:2 '
     'floor-remainder:2 truncate-quotient:2 truncate-remainder:2 '
     'square:1 inexact?:1 real?:1 rational?:1 complex?:1 '
     'exact-integer?:1 exact-nonnegative-integer?:1 nan?:1 infinite?:1 '
     'finite?:1 numerator:1 denominator:1'),
    ('elementary',
     'sqrt:1 exact-integer-sqrt:1 exp:1 log:1-2 sin:1 cos:1 tan:1 asin:1 acos:1 '
     'atan:1-2 bitwise-and:0- logand:0- bitwise-ior:0- bitwise-or:0- '
     'logior:0- bitwise-xor:0- logxor:0- bitwise-not:1 lognot:1 '
     'arithmetic-shift:2 ash:2 bit-count:1 logcount:1 random:1 '
     'random-seed:1'),
    ('strings',
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
     'string->utf8:1-3 bytevector-append:0-'),
    ('ports',
     'open-input-string:1 '
     'open-output-string:0 get-output-string:1 current-output-port:0 '
     'current-error-port:0 current-input-port:0 port?:1 input-port?:1 '
     'output-port?:1 close-port:1 close-input-port:1 close-output-port:1 '
     'write-string:1-4 write-char:1-2 write-u8:1-2 read-char:0-1 '
     'peek-char:0-1 read-line:0-1 read-string:1-2 char-ready?:0-1 '
     'read:0-1 read-from-string:1 eof-object:0 eof-object?:1 format:1- '
     'write-shared:1-2 write-simple:1-2 input-port-open?:1 output-port-open?:1 '
     'binary-port?:1 open-input-bytevector:1 open-output-bytevector:0 '
     'get-output-bytevector:1 read-u8:0-1 peek-u8:0-1'),
    ('hash_tables',
     'make-hash-table:0-2 make-eq-hash-table:0-1 make-eqv-hash-table:0-1 '
     'make-equal-hash-table:0-1 make-string-hash-table:0-1 '
     'make-strong-eqv-hash-table:0-1 make-strong-eq-hash-table:0-1 '
     'alist->hash-table:1-3 hash-table?:1 hash-table-ref:2-4 '
     'hash-table-ref/default:3 hash-table/get:3 hash-table-contains?:2 '
     'hash-table-exists?:2 hash-table-set!:3 hash-table/put!:3 '
     'hash-table-delete!:2 hash-table/remove!:2 hash-table-count:1 '
     'hash-table-size:1 hash-table-keys:1 hash-table-values:1 '
     'hash-table->alist:1 hash-table-clear!:1 hash-table-copy:1-2 '
     '%hash-table-buckets:1 hash:1-2 string-hash:1-2'),
    ('data',
     '%arg-error:3 list-copy:1 alist-copy:1 take:2 list-head:2 last-pair:1 last:1 '
     'first:1 second:1 third:1 fourth:1 fifth:1 drop:2 list-set!:3 '
     'delete:2-3 delete!:2-3 delete-duplicates:1-2 iota:1-3 append!:0- '
     'reverse!:1 vector-copy:1-3 subvector:3 vector-head:2 vector-tail:2 '
     'subvector->list:3 vector-grow:2 vector-copy!:3-5 vector-append:0-'),
    ('system',
     '%ticks:0 current-jiffy:0 jiffies-per-second:0 current-second:0 '
     'apropos:1 apropos-list:1 %elapsed:1 help:1 %read-file:1 file-exists?:1 '
     'delete-file:1 get-environment-variable:1 get-environment-variables:0 '
     'command-line:0'),
    ('hardware',
     'pinmode:2 digitalwrite:2 digitalread:1 analogread:1 analogwrite:2 '
     'analogwrite-frequency:2 note:0-3 board-led:1 millis:0 micros:0 '
     'sleep-ms:1 %wait-since:2 i2c-scan:0 i2c-read:2 i2c-write:2 '
     'i2c-read-reg:3 spi-transfer:1-2 uart-write:1 uart-read:0-1 every-ms:2 '
     'on-pin-change:3 stop-timers:0-1'),
    ('image',
     'save-image:0-1 load-image:0'),
    ('python_tier',
     '%pycode:2 '
     # MicroPython's objects (interop.py)
     'py-import:1 py-get:2-3 py-set!:3 py-call:1- py-method:2- py-ref:2 py-ref-set!:3 '
     'py-len:1 py-str:1 py-type:1 py-has?:2 py->list:1 py->vector:1 py-list:1 '
     'py-tuple:1 py-dict:1 py?:1 py-callback:1 py-handles:0 available:1'),
)


def rows_of_names():
    # The table, row by row: the core's, then each extension's. (Not joined
    # into one string kept in RAM: Interp reads it once, at start-up.)
    return [CORE] + [t for m, t in EXTENSIONS]


def table():
    return ' '.join(rows_of_names())


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


# -- the name tables of a build (motenames) and of Mote without one ------------
def library_rows(lib):
    # The names the library defines, one space apart (its chunk headers:
    # ';;; name ...' lines, single-spaced), and the names of its macros,
    # marked by a line starting '(define-macro (': the compiler loads those
    # when it meets one. Found by bytes.find, not line by line.
    names = bytearray()
    macros = []
    from autoload import windows, line_at, line_end
    f = open(lib, 'rb') if isinstance(lib, str) else None
    try:
        for buf, end, base in windows(lib, f) if lib else ():
            m = memoryview(buf)
            p = 0
            while True:
                p = line_at(buf, b';;; ', p, end)
                if p < 0:
                    break
                e = line_end(buf, p, end)
                q = e
                while q > p + 4 and buf[q - 1] <= 32:     # a trailing CR or space
                    q -= 1
                if names:
                    names.append(32)
                names.extend(m[p + 4:q])
                p = e
            p = 0
            while True:
                p = line_at(buf, b'(define-macro (', p, end)
                if p < 0:
                    break
                e = p + 15
                while e < end and buf[e] > 32 and buf[e] != 41:     # up to ')'
                    e += 1
                macros.append(bytes(buf[p + 15:e]))
                p = e
    finally:
        if f:
            f.close()
    return names, macros


def library_names():
    from startup import library_source
    names, macros = library_rows(library_source())
    return bytes(names).decode(), [m.decode() for m in macros]


def name_tables(lib):
    # The built-in names (keywords, builtins, the library's procedures) as
    # one blob, the builtins' arities, how many builtins, and the names of
    # the library's macros. A board build keeps these, with the symbol
    # index, in the module motenames (tools/mote_cli.py: names_module):
    # computing them is most of a Pico's start-up.
    from compiler import KEYWORDS
    lib, macros = library_rows(lib)
    rows = [KEYWORDS.encode()]
    for r in rows_of_names():
        rows.append(r.encode())
    rows.append(lib)
    lib = None
    size, nprims = name_blob(rows, None, None)
    blob = bytearray(size)
    arity = bytearray(nprims)
    name_blob(rows, blob, arity)
    return blob, bytes(arity), nprims, macros


def name_blob(rows, blob, arity):
    # The built-in names of rows (bytes of names one space apart, with
    # ':arity' after a builtin's) written into blob one space apart, and
    # builtins' arities into arity, a byte each (lo | hi << 3, hi 31 for
    # any number; the evaluator checks calls against it): no Python string
    # per name (hundreds of them would cost 20 KB of a board's heap), and C
    # (find, slice copies) goes over the characters. With blob None only
    # measures. Returns (bytes used, number of names with arity).
    pos = -1
    nar = 0
    for r in rows:
        n = len(r)
        m = memoryview(r)
        i = 0
        while i < n:
            c = r.find(b':', i)
            e = n if c < 0 else c       # names up to a builtin's arity
            pos += 1                    # the space before them
            if blob is not None:
                if pos:
                    blob[pos - 1] = 32
                blob[pos:pos + e - i] = m[i:e]
            pos += e - i
            if c < 0:
                break
            j = r.find(b' ', c)
            if j < 0:
                j = n
            if arity is not None:
                # N, N- (N or more) or N-M
                lo = 0
                c += 1
                while c < j and r[c] != 45:
                    lo = lo * 10 + r[c] - 48
                    c += 1
                hi = lo if c == j else 31 if c + 1 == j else 0
                c += 1
                while c < j:
                    hi = hi * 10 + r[c] - 48
                    c += 1
                if lo > 7 or hi < lo or hi > 31 or hi == 31 and r[j - 1] != 45:
                    raise ValueError('arity out of range: ' + r[i:j].decode())
                arity[nar] = lo | hi << 3
            nar += 1
            i = j + 1
    return pos, nar
