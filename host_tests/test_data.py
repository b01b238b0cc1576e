"""Hash tables, lists and vectors (firmware/data.py and its library chunks):
what the corpus cannot show (bucket and chain counts as tables grow, key
comparisons per lookup, collections in the middle of growth, long lists on
a small stack, no MicroPython allocation per operation, table bookkeeping)."""
import random

import pytest

from conftest import FIRMWARE, fresh, steady_growth


def ev(it, text):
    return it.eval_string(text)


def caught(it, expr):
    """The message of the error expr raises, caught in Lisp."""
    return ev(it, "(guard (e (#t (error-object-message e))) %s)" % expr)


def value(it, text):
    """The word of a global (or of any expression's value)."""
    return it.eval(it.read(text))


def table_shape(it, name):
    """(equivalence kind, count, number of buckets, chain lengths) of the
    table in global `name`, read straight from the arena."""
    h = it.heap
    W = h.W
    t = value(it, name)
    i = (t >> 1) + 2
    kind = (W[i] >> 2) - 8192
    count = (W[i + 1] >> 2) - 8192
    vec = W[i + 2] >> 1
    nb = W[vec] & 2047
    chains = []
    for b in range(nb):
        c = W[vec + 1 + b]
        n = 0
        while c != 3:                       # NIL
            n += 1
            c = W[(c >> 1) + 1]
        chains.append(n)
    return kind, count, nb, chains


class Comparisons:
    """Counts the key comparisons hash_tables.find and hash-table-delete! make."""

    def __init__(self, monkeypatch):
        import hash_tables
        self.n = 0
        real = hash_tables.same_key

        def counted(it, x, y, kind):
            self.n += 1
            return real(it, x, y, kind)
        monkeypatch.setattr(hash_tables, "same_key", counted)


# -- the table ------------------------------------------------------------------------

def test_family_places_match_the_data_table():
    import builtin_table
    import builtin_names
    import data
    import hash_tables
    for mod, places in ((hash_tables, (("P_MAKE", "make-hash-table", 7),
                                       ("P_REF", "hash-table-ref", 5),
                                       ("P_KEYS", "hash-table-keys", 3), ("P_HASH", "hash", 2))),
                        (data, (("P_LIST_COPY", "list-copy", 4), ("P_LAST_PAIR", "last-pair", 2),
                                ("P_FIRST", "first", 7), ("P_VCOPY", "vector-copy", 5)))):
        names = [e.split(":")[0] for e in builtin_names.table_of(mod.__name__).split()]
        assert len(names) == len(mod.FUNCS)
        assert mod.BASE == builtin_table.base_of(mod.__name__)
        for const, name, count in places:
            first = getattr(mod, const)
            assert names[first] == name, const
            assert len(set(mod.FUNCS[first:first + count])) == 1


def test_library_section_names_are_in_its_chunk_headers():
    # every top-level define of the data section is listed in its chunk's
    # header (or the name would never load)
    text = (FIRMWARE / "library.scm").read_text()
    section = text[text.index(";; ---- lists, vectors, hash tables (data.py) ----"):]
    header = []
    for line in section.splitlines():
        if line.startswith(";;; "):
            header = line.split()[1:]
        elif line.startswith("(define (") or line.startswith("(define-macro ("):
            nm = line.split("(")[2].split()[0].rstrip(")")
            assert nm in header, nm


def test_constructors_record_their_equivalence():
    it = fresh()
    for ctor, kind in (("(make-hash-table)", 2), ("(make-hash-table eq?)", 0),
                       ("(make-hash-table eqv?)", 1), ("(make-hash-table equal?)", 2),
                       ("(make-hash-table string=?)", 3), ("(make-hash-table 100)", 2),
                       ("(make-hash-table eqv? 100)", 1), ("(make-eq-hash-table)", 0),
                       ("(make-eqv-hash-table)", 1), ("(make-equal-hash-table)", 2),
                       ("(make-string-hash-table)", 3), ("(make-strong-eqv-hash-table)", 1),
                       ("(make-strong-eq-hash-table)", 0),
                       ("(alist->hash-table '((a . 1)) eq?)", 0),
                       ("(alist->hash-table '((a . 1)))", 2)):
        ev(it, "(define t %s)" % ctor)
        assert table_shape(it, "t")[0] == kind, ctor
        assert ev(it, "t") == ("#<hash-table 1>" if "alist" in ctor else "#<hash-table 0>")
    # a size hint picks the buckets: up to 2 entries per bucket before growth
    ev(it, "(define t (make-hash-table 1000))")
    assert table_shape(it, "t")[2] == 512
    ev(it, "(define t (make-hash-table))")
    assert table_shape(it, "t")[2] == 8


# -- O(1): buckets and chains ------------------------------------------------------------

@pytest.mark.parametrize("keys,equiv", [
    ("i", "eqv?"),                                              # fixnums
    ("(* i 1000000)", "eqv?"),                                  # bignums
    ("(* i 0.5)", "eqv?"),                                      # floats
    ("(cons i i)", "eq?"),                                      # references
    ("(number->string i)", "string=?"),                         # strings
    ("(list 'k i (number->string i))", "equal?"),               # lists
    ("(vector i (- i))", "equal?"),                             # vectors
])
def test_thousands_of_keys_keep_chains_short(keys, equiv, monkeypatch):
    it = fresh(arena_words=32768)
    n = 2000
    ev(it, "(define t (make-hash-table %s))" % equiv)
    ev(it, "(define ks (make-vector %d))" % n)
    ev(it, "(let loop ((i 0)) (when (< i %d) (vector-set! ks i %s)"
           " (hash-table-set! t (vector-ref ks i) i) (loop (+ i 1))))" % (n, keys))
    kind, count, nb, chains = table_shape(it, "t")
    assert count == n == sum(chains)
    # grown by doubling: at most 2 entries per bucket on average
    assert nb == 1024 and count <= 2 * nb
    assert max(chains) <= 10
    assert sum(c * c for c in chains) / n < 4        # mean chain a found key sits in
    # every key is found, each with a handful of comparisons
    cmp = Comparisons(monkeypatch)
    ev(it, "(define ok #t)")
    ev(it, "(let loop ((i 0)) (when (< i %d) (if (not (eqv? i (hash-table-ref t (vector-ref ks i))))"
           " (set! ok #f)) (loop (+ i 1))))" % n)
    assert ev(it, "ok") == "#t"
    assert cmp.n / n < 3
    # misses cost about a chain each
    cmp.n = 0
    ev(it, "(let loop ((i %d)) (when (< i %d) (hash-table-ref/default t %s #f) (loop (+ i 1))))"
        % (n, 2 * n, keys))
    assert cmp.n / n < 3


def test_consecutive_integers_spread_evenly():
    it = fresh(arena_words=32768)
    ev(it, "(define t (make-hash-table eq?))")
    ev(it, "(let loop ((i 0)) (when (< i 4096) (hash-table-set! t i i) (loop (+ i 1))))")
    kind, count, nb, chains = table_shape(it, "t")
    assert (count, nb) == (4096, 2047)
    assert max(chains) <= 6


def test_growth_stops_at_the_vector_limit():
    it = fresh(arena_words=32768)
    ev(it, "(define t (make-hash-table eqv?))")
    sizes = []
    for upto in (16, 17, 33, 2048, 2049, 4094, 4095, 5000):
        ev(it, "(let loop ((i 0)) (when (< i %d) (hash-table-set! t i (- i)) (loop (+ i 1))))" % upto)
        sizes.append(table_shape(it, "t")[2])
    assert sizes == [8, 16, 32, 1024, 2047, 2047, 2047, 2047]
    assert ev(it, "(hash-table-count t)") == "5000"
    assert ev(it, "(hash-table-ref t 4999)") == "-4999"
    assert ev(it, "(let loop ((i 0) (s 0)) (if (< i 5000) (loop (+ i 1) (+ s (hash-table-ref t i))) s))") \
        == str(-sum(range(5000)))


def test_delete_and_clear_keep_the_count():
    it = fresh()
    ev(it, "(define t (make-hash-table))")
    ev(it, "(let loop ((i 0)) (when (< i 300) (hash-table-set! t (list i) i) (loop (+ i 1))))")
    ev(it, "(let loop ((i 0)) (when (< i 300) (if (odd? i) (hash-table-delete! t (list i)))"
           " (loop (+ i 1))))")
    kind, count, nb, chains = table_shape(it, "t")
    assert count == sum(chains) == 150
    assert ev(it, "(hash-table-ref/default t (list 3) 'gone)") == "gone"
    assert ev(it, "(hash-table-ref t (list 4))") == "4"
    ev(it, "(hash-table-clear! t)")
    assert table_shape(it, "t")[1:3] == (0, 8)       # the big bucket vector is dropped
    assert ev(it, "(hash-table->alist t)") == "()"


# -- the collector ------------------------------------------------------------------------

def test_collections_during_growth_keep_every_entry():
    # a collection at every allocation, on a small arena: including the one
    # that makes the bigger bucket vector while the chains move over
    from verify import verify
    it = fresh(arena_words=3000)
    ev(it, "(define t (make-hash-table string=?))")
    ev(it, "(define (key i) (string-append \"key\" (number->string i)))")
    it.heap.stress = True
    try:
        for lo, hi in ((0, 17), (17, 70), (70, 140)):
            ev(it, "(let loop ((i %d)) (when (< i %d) (hash-table-set! t (key i) (list i))"
                   " (loop (+ i 1))))" % (lo, hi))
            verify(it)
            assert ev(it, "(hash-table-count t)") == str(hi)
            assert ev(it, "(let loop ((i 0)) (cond ((= i %d) #t) ((equal? (hash-table-ref t (key i))"
                          " (list i)) (loop (+ i 1))) (else i)))" % hi) == "#t"
    finally:
        it.heap.stress = False
    assert table_shape(it, "t")[2] == 128          # 140 entries > 2 * 64
    it.collector.collect()
    verify(it)


def test_an_unreachable_table_is_collected():
    # (the last form evaluated stays alive: measure after the same one)
    it = fresh(arena_words=8192)
    ev(it, "(define t #f)")
    ev(it, "(set! t #f)")
    it.collector.collect()
    before = it.stats()["bytes_free"]
    ev(it, "(set! t (make-hash-table))")
    ev(it, "(let loop ((i 0)) (when (< i 500) (hash-table-set! t (list i) i) (loop (+ i 1))))")
    assert before - it.stats()["bytes_free"] > 500 * 12
    ev(it, "(set! t #f)")
    it.collector.collect()
    assert it.stats()["bytes_free"] == before


# -- hashing --------------------------------------------------------------------------------

def test_equal_values_hash_alike_and_circular_keys_end():
    import hash_tables
    it = fresh()
    rnd = random.Random(5)

    def build(depth):
        r = rnd.random()
        if depth > 3 or r < 0.3:
            return rnd.choice(['7', '-3', '12345678901234567890', '"str"', "'sym", "#\\a",
                               "'()", "#t"])
        if r < 0.65:
            return "(list %s)" % " ".join(build(depth + 1) for _ in range(rnd.randint(0, 4)))
        if r < 0.8:
            return "(cons %s %s)" % (build(depth + 1), build(depth + 1))
        return "(vector %s)" % " ".join(build(depth + 1) for _ in range(rnd.randint(0, 3)))

    for _ in range(60):
        src = build(0)
        ev(it, "(define a %s) (define b %s)" % (src, src))
        a = value(it, "a")
        b = value(it, "b")
        assert hash_tables.key_hash(it, a, 2, 0) == hash_tables.key_hash(it, b, 2, 0), src
        assert ev(it, "(= (hash a) (hash b))") == "#t"
    # a long list and a circular one: hashing visits a bounded part
    ev(it, "(define c (list 1 2 3)) (set-cdr! (cddr c) c)")
    assert ev(it, "(integer? (hash c))") == "#t"
    ev(it, "(define t (make-hash-table eq?)) (hash-table-set! t c 'circ)")
    assert ev(it, "(hash-table-ref t c)") == "circ"
    sp = it.sp
    ev(it, "(define long (iota 3000))")
    assert ev(it, "(= (hash long) (hash (list-copy long)))") == "#t"
    assert it.sp == sp


def test_literal_and_built_lists_are_the_same_key():
    it = fresh()
    ev(it, "(define t (make-hash-table))")
    ev(it, "(hash-table-set! t '(1 (2 3) #(4 \"five\")) 'lit)")
    assert ev(it, "(hash-table-ref t (list 1 (list 2 3) (vector 4 (string #\\f #\\i #\\v #\\e))))") \
        == "lit"


# -- calling procedures -----------------------------------------------------------------

def test_failure_and_success_procedures_are_tail_calls():
    it = fresh(stack_words=512)
    ev(it, "(define t (make-hash-table))")
    # a loop through hash-table-ref's thunk runs in constant stack
    assert ev(it, "(define (f n) (if (= n 0) 'done (hash-table-ref t 'no (lambda () (f (- n 1))))))"
                  " (f 5000)") == "done"
    ev(it, "(hash-table-set! t 'k 1)")
    assert ev(it, "(define (g n) (if (= n 0) 'done (hash-table-ref t 'k (lambda () 'x)"
                  " (lambda (v) (g (- n v)))))) (g 5000)") == "done"


def test_walk_may_update_and_delete_entries():
    it = fresh()
    ev(it, "(define t (make-hash-table eqv?))")
    ev(it, "(let loop ((i 0)) (when (< i 100) (hash-table-set! t i i) (loop (+ i 1))))")
    ev(it, "(hash-table-walk t (lambda (k v) (if (odd? k) (hash-table-delete! t k)"
           " (hash-table-set! t k (* v 10)))))")
    assert ev(it, "(hash-table-count t)") == "50"
    assert ev(it, "(hash-table-fold t (lambda (k v acc) (+ v acc)) 0)") == str(10 * sum(range(0, 100, 2)))


def test_member_and_assoc_take_a_predicate():
    it = fresh()
    assert ev(it, "(member 3 '(1 2 3 4) <)") == "(4)"
    assert ev(it, "(assoc 2 '((1 . a) (3 . b)) (lambda (k x) (= (+ k 1) x)))") == "(3 . b)"
    assert ev(it, "(member 3 '(1 2 3 4))") == "(3 4)"
    assert caught(it, "(member 1 '(1) = 4)") == '"member: wrong number of arguments: 4"'
    assert caught(it, "(assoc 1 '(1) =)") == '"caar: not a pair: 1"'


# -- long lists on a small stack -------------------------------------------------------------

N = 3000
LONG = [
    ("(length (filter even? big))", N // 2),
    ("(length (remove even? big))", N // 2),
    ("(fold + 0 big)", sum(range(N))),
    ("(fold-right (lambda (x acc) (+ x acc)) 0 big)", sum(range(N))),
    ("(fold-left + 0 big)", sum(range(N))),
    ("(fold-right (lambda (a b acc) (+ a b acc)) 0 big (take big 1000))", 2 * sum(range(1000))),
    ("(fold (lambda (a b acc) (+ a b acc)) 0 big (take big 1000))", 2 * sum(range(1000))),
    ("(reduce + 0 big)", sum(range(N))),
    ("(length (append-map (lambda (x) (list x x)) big))", 2 * N),
    ("(length (filter-map (lambda (x) (and (odd? x) x)) big))", N // 2),
    ("(length (delete 7 big))", N - 1),
    ("(count odd? big)", N // 2),
    ("(list-index (lambda (x) (= x %d)) big)" % (N - 1), N - 1),
    ("(find (lambda (x) (= x %d)) big)" % (N - 2), N - 2),
    ("(any (lambda (x) (and (= x %d) x)) big)" % (N - 1), N - 1),
    ("(every number? big)", "#t"),
    ("(length (take-while (lambda (x) (< x 2000)) big))", 2000),
    ("(car (drop-while (lambda (x) (< x 2000)) big))", 2000),
    ("(length (list-copy big))", N),
    ("(last big)", N - 1),
    ("(length (take big 2345))", 2345),
    ("(car (reverse! (list-copy big)))", N - 1),
    ("(length (append! (list-copy big) (list-copy big)))", 2 * N),
    ("(call-with-values (lambda () (partition odd? big)) (lambda (a b) (length a)))", N // 2),
    ("(length (delete-duplicates (map (lambda (x) (modulo x 50)) big)))", 50),
    ("(car (sort big >))", N - 1),
    ("(car (sort (reverse big) <))", 0),
    ("(vector-ref (sort (vec 2000) >) 1999)", 0),
    ("(length (merge (take big 1500) (drop big 1500) <))", N),
    ("(vector-ref (vector-map (lambda (x) (* 2 x)) (vec 2000)) 1999)", 3998),
    ("(let ((n 0)) (vector-for-each (lambda (x) (set! n (+ n x))) (vec 2000)) n)", sum(range(2000))),
    ("(vector-count even? (vec 2000))", 1000),
    ("(length (subvector->list (vec 2000) 0 2000))", 2000),
    ("(length (hash-table-keys (alist->hash-table (map (lambda (i) (cons i i)) (take big 1500)))))", 1500),
]


@pytest.mark.parametrize("expr,want", LONG, ids=[e for e, _ in LONG])
def test_long_lists_on_a_small_stack(expr, want):
    # (list->vector spreads its list on the stack: vec builds a vector
    # without it)
    it = fresh(arena_words=32768, stack_words=400)
    ev(it, "(define big (iota %d))" % N)
    ev(it, "(define (vec n) (let ((v (make-vector n))) (let loop ((i 0))"
           " (if (< i n) (begin (vector-set! v i i) (loop (+ i 1))) v))))")
    assert ev(it, expr) == str(want)


def test_sort_is_a_stable_n_log_n_merge_sort():
    it = fresh(arena_words=32768, stack_words=400)
    n = 2000
    xs = []
    x = 7
    for i in range(n):
        x = (x * 1103 + 12345) % 4099
        xs.append(x % 100)
    ev(it, "(define xs (let loop ((i 0) (x 7) (acc '())) (if (= i %d) (reverse acc)"
           " (let ((x (modulo (+ (* x 1103) 12345) 4099))) (loop (+ i 1) x (cons (cons (modulo x 100) i) acc))))))" % n)
    ev(it, "(define calls 0)")
    ev(it, "(define (less? a b) (set! calls (+ calls 1)) (< (car a) (car b)))")
    ev(it, "(define sorted (sort xs less?))")
    want = [i for x, i in sorted((x, i) for i, x in enumerate(xs))]
    assert ev(it, "(map cdr sorted)") == "(" + " ".join(map(str, want)) + ")"
    calls = int(ev(it, "calls"))
    assert calls <= n * 12          # n log2 n = 2000 * 11
    # sorted input: one ascending run, n - 1 comparisons; reversed input
    # without equal neighbours: one descending run
    ev(it, "(set! calls 0) (sort sorted less?)")
    assert ev(it, "calls") == str(n - 1)
    ev(it, "(set! calls 0) (define down (sort (iota %d) >))" % n)
    ev(it, "(sort down (lambda (a b) (set! calls (+ calls 1)) (< a b)))")
    assert ev(it, "calls") == str(n - 1)


def test_sort_on_vectors_is_the_same_stable_sort():
    it = fresh(arena_words=32768, stack_words=400)
    ev(it, "(define v (make-vector 2000))")
    ev(it, "(let loop ((i 0) (x 7)) (when (< i 2000) (let ((x (modulo (+ (* x 1103) 12345) 4099)))"
           " (vector-set! v i (cons (modulo x 100) i)) (loop (+ i 1) x))))")
    ev(it, "(define (less? a b) (< (car a) (car b)))")
    ev(it, "(define sorted (sort (vector->list v) less?))")
    assert ev(it, "(equal? (vector->list (sort v less?)) sorted)") == "#t"
    assert ev(it, "(begin (sort! v less?) (equal? (vector->list v) sorted))") == "#t"
    assert ev(it, "(let loop ((l sorted)) (or (null? (cdr l)) (and (or (< (caar l) (caadr l))"
                  " (and (= (caar l) (caadr l)) (< (cdar l) (cdadr l)))) (loop (cdr l)))))") == "#t"


# -- vectors ------------------------------------------------------------------------------------

def test_vector_copy_bang_handles_overlap_both_ways():
    it = fresh()
    for at, start, end in ((0, 2, 8), (2, 0, 6), (3, 3, 9), (1, 0, 9), (0, 1, 10)):
        ev(it, "(define v (list->vector (iota 10)))")
        ev(it, "(vector-copy! v %d v %d %d)" % (at, start, end))
        want = list(range(10))
        want[at:at + end - start] = list(range(start, end))
        assert ev(it, "v") == "#(" + " ".join(map(str, want)) + ")"


# -- the MicroPython heap ------------------------------------------------------------------------

TABLE_SETUP = (
    '(define t (make-hash-table eqv?))',
    '(define s (make-hash-table string=?))',
    '(define e (make-hash-table))',
    '(let loop ((i 0)) (when (< i 300) (hash-table-set! t i i) (loop (+ i 1))))',
    '(define strs (list->vector (map number->string (iota 50))))',
    '(let loop ((i 0)) (when (< i 50) (hash-table-set! s (vector-ref strs i) i) (loop (+ i 1))))',
    '(define keys (list->vector (map (lambda (i) (list i (* i i) (vector i))) (iota 50))))',
    '(let loop ((i 0)) (when (< i 50) (hash-table-set! e (vector-ref keys i) i) (loop (+ i 1))))',
)
TABLE_FORMS = (
    '(let loop ((i 0)) (if (< i N) (begin (hash-table-set! t (remainder i 300) i) (loop (+ i 1))) i))',
    '(let loop ((i 0)) (if (< i N) (begin (hash-table-ref t (remainder i 300)) (loop (+ i 1))) i))',
    '(let loop ((i 0)) (if (< i N) (begin (hash-table-ref/default t (+ i 1000) 0) (loop (+ i 1))) i))',
    '(let loop ((i 0)) (if (< i N) (begin (hash-table-ref s (vector-ref strs (remainder i 50))) (loop (+ i 1))) i))',
    '(let loop ((i 0)) (if (< i N) (begin (hash-table-set! t 5000 i) (hash-table-delete! t 5000) (loop (+ i 1))) i))',
    '(let loop ((i 0)) (if (< i N) (begin (hash-table-contains? t i) (loop (+ i 1))) i))',
)


def test_table_operations_allocate_nothing_per_step_on_micropython(tmp_path):
    # as test_budgets: running 300 operations must allocate as much
    # MicroPython heap as running 10 (lookups in equal? tables with pair or
    # vector keys are not here)
    growth = steady_growth(tmp_path, TABLE_SETUP, TABLE_FORMS)
    # less than a byte per extra operation (a frame on the heap costs over
    # 100 bytes; a collection the longer run triggers may cost one)
    assert all(g < 290 for g in growth), growth


def test_ranged_vector_to_list_and_fill_for_the_core_rows():
    # data.p_vector_to_list and p_vector_fill take the optional start and
    # end the core rows vector->list:1 and vector-fill!:2 do not (yet)
    import data
    from arena import LispError
    it = fresh()
    ev(it, "(define v (vector 0 1 2 3 4))")

    def call(f, *args):
        base = it.sp
        for x in args:
            it.push(value(it, x))
        try:
            return it.repr(f(it, base, len(args), 0))
        finally:
            it.sp = base
    assert call(data.p_vector_to_list, "v") == "(0 1 2 3 4)"
    assert call(data.p_vector_to_list, "v", "2") == "(2 3 4)"
    assert call(data.p_vector_to_list, "v", "1", "3") == "(1 2)"
    assert call(data.p_vector_to_list, "v", "5") == "()"
    call(data.p_vector_fill, "v", "'x", "1", "3")
    assert ev(it, "v") == "#(0 x x 3 4)"
    call(data.p_vector_fill, "v", "'y", "4")
    assert ev(it, "v") == "#(0 x x 3 y)"
    call(data.p_vector_fill, "v", "0")
    assert ev(it, "v") == "#(0 0 0 0 0)"
    with pytest.raises(LispError, match="start 3 is after end 2"):
        call(data.p_vector_to_list, "v", "3", "2")
    with pytest.raises(LispError, match="index out of range: 6"):
        call(data.p_vector_fill, "v", "1", "6")
