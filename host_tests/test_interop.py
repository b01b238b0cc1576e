"""MicroPython's objects in Lisp (firmware/interop.py) and the network
procedures over them (library.scm, firmware/netclient.py): handles,
conversions, calls both ways, the handle table and its collection, and a
loopback HTTP server fetched with http-get and with-client. Each program runs
on CPython and on the MicroPython unix port; the emulated Pico's run is in
test_pico.py (Mote firmware) and test_romfs.py (stock firmware)."""
import http.server
import threading
import time

import pytest

from conftest import FIRMWARE, fresh, run_micropython
import test_hardware

RUNTIMES = ["cpython", "micropython"]

# A Python module the programs import (py-import "pyhelper").
HELPER = '''
class Thing:
    def __init__(self):
        self.x = 1

    def scale(self, a, b=0, *, factor=1):
        return (a + b) * factor

    def get_x(self):
        return self.x

    def fail(self):
        raise ValueError("bad thing")

    def keep(self, f):
        self.kept = f

    def fire(self, *args):
        return self.kept(*args)


def apply(f, *args):
    return f(*args)


thing = Thing()
'''


def run(runtime, tmp_path, program, sim=False):
    """Run program with `mote.py run` on runtime, on test_hardware's
    simulated board (`machine`), with pyhelper importable; (stdout, stderr,
    code)."""
    (tmp_path / "pyhelper.py").write_text(HELPER)
    r = test_hardware.sim(runtime, tmp_path, program, path=[tmp_path])
    return r.stdout, r.stderr, r.returncode


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_modules_math_json_struct_and_the_conversions(runtime, tmp_path):
    out, err, rc = run(runtime, tmp_path, r"""
(define math (py-import "math"))
(define json (py-import "json"))
(define struct (py-import "struct"))
(write (list (py? math) (py? 1) (py-type math) (py-has? math "pi") (py-has? math 'nope)))
(newline)
(display math) (newline)
(write (py-call (py-get math "sqrt") 2.0)) (newline)
(write ((py-get math "sqrt") 16)) (newline)
(write (py-call (py-get math "floor") 7.5)) (newline)
(write (py-call (py-get json "dumps") (py-dict (list (cons "a" 1))))) (newline)
(write (py->list (py-call (py-get json "loads") "[1, 2.5, \"x\", true, false, null, 123456789012345678901234567890]")))
(newline)
(write (py-call (py-get struct "pack") "<HH" 1 2)) (newline)
(write (py->vector (py-call (py-get struct "unpack") "<HH" (bytevector 1 0 2 0)))) (newline)
(write (py-call (py-get json "dumps") (py-list (list "caf\xe9;" #\a 'sym (/ 1 2) (expt 2 70) '() #t)))) (newline)
(define t (py-tuple (vector 1 "b")))
(write (list (py-len t) (py-ref t 1) (py-str t) (py-type t))) (newline)
(define d (py-dict '(("k" . 1))))
(py-ref-set! d "k" 42)
(write (py-ref d "k")) (newline)
""")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == '(#t #f "module" #t #f)'
    assert lines[1] == "#<py module math>"
    assert lines[2:5] == ["1.4142135623730951", "4.0", "7"]
    assert lines[5] == '"{\\"a\\": 1}"'
    assert lines[6] == '(1 2.5 "x" #t #f #<unspecified> 123456789012345678901234567890)'
    assert lines[7] == "#u8(1 0 2 0)"
    assert lines[8] == "#(1 2)"
    # (CPython's json escapes the e-acute, MicroPython's writes it as it is)
    assert lines[9] in ('"[\\"caf\\\\u00e9\\", \\"a\\", \\"sym\\", 0.5, 1180591620717411303424, null, true]"',
                        '"[\\"caf\u00e9\\", \\"a\\", \\"sym\\", 0.5, 1180591620717411303424, null, true]"'), lines[9]
    assert lines[10] == '(2 "b" "(1, \'b\')" "tuple")'
    assert lines[11] == "42"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_attributes_keywords_and_python_errors_caught_by_guard(runtime, tmp_path):
    out, err, rc = run(runtime, tmp_path, """
(define h (py-import "pyhelper"))
(define thing (py-get h "thing"))
(write (py-get thing "x")) (newline)
(py-set! thing "x" 5)
(write (list (py-get thing "x") (py-method thing "get_x"))) (newline)
(write (py-method thing "scale" 2 :b 3 :factor 10)) (newline)
(write (py-call (py-get thing "scale") 2 :factor 3)) (newline)
(write (py-get thing "missing" 'no-such)) (newline)
(define (message thunk) (guard (e ((error-object? e) (error-object-message e))) (thunk)))
(write (message (lambda () (py-method thing "fail")))) (newline)
(write (message (lambda () (py-get thing "missing")))) (newline)
(write (message (lambda () (py-import "no_such_module_here")))) (newline)
(write (message (lambda () (py-call (py-get thing "scale") 1 :wrong 2)))) (newline)
(write (message (lambda () (py-list (list (list 1 2)))))) (newline)
(write (message (lambda () (py-get 42 "x")))) (newline)
(define keep (make-vector 100 'x))
(write (vector-length keep)) (newline)
""")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0:5] == ["1", "(5 5)", "50", "6", "no-such"]
    assert lines[5] == '"py-method: ValueError: bad thing"'
    assert lines[6].startswith('"py-get: AttributeError: ') and "missing" in lines[6]
    assert lines[7].split(":")[:2] in (['"py-import', ' ImportError'], ['"py-import', ' ModuleNotFoundError'])
    assert "no_such_module_here" in lines[7]
    assert lines[8].startswith('"py-call: TypeError: ')
    assert lines[9] == '"py-list: no Python value for (1 2) (lists and vectors: py-list, py-tuple, py-dict)"'
    assert lines[10] == '"py-get: not a Python object: 42"'
    assert lines[11] == "100"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_handles_are_freed_by_the_collector(runtime, tmp_path):
    # the unix profile's table has 64 entries: 10,000 handles in a loop
    # reuse them; 100 live ones fill it, a clear error, and the REPL's
    # definitions (and the table) come back once they are dropped
    out, err, rc = run(runtime, tmp_path, """
(define base (py-handles))
(do ((i 0 (+ i 1))) ((= i 10000)) (py-list (list i)))
(write (list base (py-handles))) (newline)
(define keep '())
(write (guard (e (#t (error-object-message e)))
  (do ((i 0 (+ i 1))) ((= i 100)) (set! keep (cons (py-list (list i)) keep)))))
(newline)
(write (list (length keep) (py-handles))) (newline)
(set! keep '())
(write (py-handles)) (newline)
(write (py->list (py-list '(1 2 3)))) (newline)
""")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "(0 0)"
    assert lines[1] == '"Python handle table full: 64 handles in use (\\"py_handles\\" in the board profile)"'
    assert lines[2] == "(64 64)"
    assert lines[3:] == ["0", "(1 2 3)"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_lisp_procedures_called_from_python(runtime, tmp_path):
    out, err, rc = run(runtime, tmp_path, """
(define b (py-import "builtins"))
(define h (py-import "pyhelper"))
(define thing (py-get h "thing"))
; a sort key, lent for the call
(write (py->list (py-call (py-get b "sorted") (py-list '(3 1 2)) :key (lambda (x) (- x)))))
(newline)
(write (py-call (py-get h "apply") + 1 2 3)) (newline)
(write (py-call (py-get h "apply") (lambda (s) (string-append s "!")) "hi")) (newline)
; a lent procedure used after its call returned: a clear error
(write (guard (e (#t (error-object-message e)))
  (py->list (py-call (py-get b "map") (lambda (x) (* x x)) (py-list '(1 2 3))))))
(newline)
; kept with py-callback, it works later
(define sq (py-callback (lambda (x) (* x x))))
(write (py->list (py-call (py-get b "map") sq (py-list '(1 2 3))))) (newline)
(define total 0)
(py-method thing "keep" (py-callback (lambda (n) (set! total (+ total n)) total)))
(write (list (py-method thing "fire" 5) (py-method thing "fire" 7) total)) (newline)
; a Lisp error in the callback comes back through Python unchanged
(write (guard (e (#t (error-object-message e)))
  (py-call (py-get h "apply") (lambda () (car 5)))))
(newline)
(display sq) (newline)
""")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0:3] == ["(3 2 1)", "6", '"hi!"']
    assert lines[3] == ('"py->list: RuntimeError: a Lisp procedure called after its py-call '
                        'returned (give Python (py-callback f) to keep)"')
    assert lines[4] == "(1 4 9)"
    assert lines[5] == "(5 12 12)"
    assert lines[6] == '"car: not a pair: 5"'
    assert lines[7].startswith("#<py Procedure 0x")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_timer_callback_is_queued_and_runs_in_the_waits(runtime, tmp_path):
    # machine.Timer (the simulated board's, as on a Pico) calls a Lisp
    # procedure: each tick comes while Lisp runs (in sleep-ms), so it is
    # queued and runs at sleep-ms's next check, at the tick's own time
    out, err, rc = run(runtime, tmp_path, """
(define machine (py-import "machine"))
(define ticks '())
(define cb (py-callback (lambda (t) (set! ticks (cons (millis) ticks)))))
(define tm (py-call (py-get machine "Timer") -1 :period 100 :callback cb))
(sleep-ms 1000)
(py-method tm "deinit")
(sleep-ms 300)
(write (reverse ticks))
""", sim=True)
    assert rc == 0, err
    assert out.splitlines() == ["(100 200 300 400 500 600 700 800 900 1000)"]


def test_calls_from_python_run_at_once_when_idle_else_wait_for_a_safe_point():
    import interop
    it = fresh()
    it.eval_string("(define n 0) (define add (py-callback (lambda (x) (set! n (+ n x)) n)))"
                   " (define twice (py-callback (lambda (x) (* 2 x))))")
    add = interop.python(it, it.global_value("add"), "test")
    twice = interop.python(it, it.global_value("twice"), "test")
    # the embedding API, Mote idle: at once, with the value
    assert twice(21) == 42 and add(1) == 1
    # an interrupt while Lisp runs (depth > 0, no py-call under way): queued
    it.depth += 1
    try:
        assert add(5) is None and add(6) is None
        assert it.eval_string("n") == "1"
    finally:
        it.depth -= 1
    assert len(it.py_queue) == 4
    # the next safe point (here: a py-call's end) runs them, oldest first
    it.eval_string("(py-len (py-list '()))")
    assert it.py_queue == [] and it.eval_string("n") == "12"
    # a dropped handle: the kept procedure goes with it
    it.eval_string("(set! add #f)")
    interop.reclaim(it)
    with pytest.raises(RuntimeError):
        add(1)
    assert twice(4) == 8


def test_handles_in_a_saved_image_come_back_stale(tmp_path):
    it = fresh(image=str(tmp_path / "mote.img"))
    it.eval_string('(define m (py-import "math")) (define l (list m 1))')
    it.eval_string("(save-image)")
    it.eval_string('(define other (py-list (list 1 2)))')
    it.eval_string("(load-image)")
    assert it.eval_string("(cadr l)") == "1"
    assert it.eval_string("(car l)") == "#<py stale>"
    assert "earlier session" in it.eval_string(
        '(guard (e (#t (error-object-message e))) (py-get (car l) "pi"))')
    # new handles do not take the stale ones' places
    assert it.eval_string('(py-type (py-list (list 1)))') == '"list"'
    assert it.eval_string("(py-handles)") == "0"


def test_interop_is_loaded_on_first_use_only(tmp_path):
    # on the unix port: a program without Python objects loads neither
    # module (their bytecode is RAM on a board); py-import loads interop,
    # and only the network procedures load netclient
    script = tmp_path / "lazy.py"
    script.write_text(
        "import sys\nsys.path.insert(0, %r)\nimport mote\n"
        "it = mote.Interp()\n"
        "def loaded():\n"
        "    print(sorted(m for m in ('interop', 'netclient') if m in sys.modules))\n"
        "it.run_string('(define (f x) (* x 2)) (f 21) (display (list 1 2))')\n"
        "loaded()\n"
        "it.run_string('(py-import \"math\")')\n"
        "loaded()\n"
        "print(len(it.py_handles))\n"
        "it.run_string('(guard (e (#t #f)) (wifi-ip))')\n"
        "loaded()\n" % str(FIRMWARE))
    r = run_micropython([str(script)])
    assert r.stdout.splitlines() == ["(1 2)[]", "['interop']", "64", "['interop', 'netclient']"], \
        r.stdout + r.stderr


# -- sockets -------------------------------------------------------------------------

PAGE = b"Hello from the loopback\nsecond line\n"


class LoopbackServer:
    """An HTTP server on 127.0.0.1 that answers at most `limit` requests
    and stops by itself after `seconds` (it never outlives the test)."""

    def __init__(self, limit=8, seconds=120):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(h):
                self.paths.append(h.path)
                if h.path == "/hello":
                    h.send_response(200)
                    h.send_header("Content-Length", str(len(PAGE)))
                    h.end_headers()
                    h.wfile.write(PAGE)
                else:
                    h.send_error(404, "Not Found")

            def log_message(h, *args):
                pass

        self.paths = []
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 0.2
        self.port = self.server.server_address[1]
        self.deadline = time.monotonic() + seconds
        self.limit = limit
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            while len(self.paths) < self.limit and time.monotonic() < self.deadline:
                self.server.handle_request()
        finally:
            self.server.server_close()


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_http_get_and_with_client_from_a_loopback_server(runtime, tmp_path):
    srv = LoopbackServer(limit=3)
    out, err, rc = run(runtime, tmp_path, r"""
(define url "http://127.0.0.1:PORT")
(write (http-get (string-append url "/hello"))) (newline)
(write (guard (e (#t (error-object-message e))) (http-get (string-append url "/missing"))))
(newline)
(with-client (s "127.0.0.1" PORT)
  (write-string "GET /hello HTTP/1.0\r\n" s)
  (display "Host: 127.0.0.1\r\n\r\n" s)
  (write (read-line s)) (newline)
  (let loop () (unless (equal? (read-line s) "") (loop)))
  (write (read-line s)) (newline)
  (write (> (available s) 0)) (newline)
  (write (read-char s)) (newline)
  (write (read-string 3 s)) (newline)
  (write (read-line s)) (newline)
  (write (eof-object? (read-line s))) (newline))
(write (guard (e (#t (error-object-message e))) (wifi-connect "net" "pw"))) (newline)
""".replace("PORT", str(srv.port)))
    srv.thread.join(10)
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == '"Hello from the loopback\\nsecond line\\n"'
    assert lines[1] == '"py-call: OSError: HTTP/1.0 404 Not Found"'
    assert lines[2].startswith('"HTTP/1.0 200')
    assert lines[3:9] == ['"Hello from the loopback"', "#t", "#\\s", '"eco"', '"nd line"', "#t"]
    assert lines[9] == '"py-call: OSError: no WiFi here (this MicroPython has no network.WLAN)"'
    assert srv.paths == ["/hello", "/missing", "/hello"]


# -- on a board (the emulated Pico: test_pico.py with the Mote image,
# test_romfs.py with stock MicroPython) -----------------------------------------

PICO_PROGRAM = b"""
(define machine (py-import "machine"))
(define Pin (py-get machine "Pin"))
(define led (py-call Pin 25 (py-get Pin "OUT")))
; the pin's output level, as the RP2040's SIO GPIO_OUT register holds it
(define (level) (if (odd? (quotient (py-ref (py-get machine "mem32") #xd0000010) 33554432)) 1 0))
(py-method led "value" 1)
(define on (level))
(py-method led "value" 0)
(write (list on (level) (py-type led))) (newline)
(define free (py-call (py-get (py-import "gc") "mem_free")))
(write (and (integer? free) (> free 10000))) (newline)
(define ticks 0)
(define cb (py-callback (lambda (t) (set! ticks (+ ticks 1)))))
(define tm (py-call (py-get machine "Timer") :period 20 :callback cb))
(sleep-ms 300)
(py-method tm "deinit")
(write (>= ticks 5)) (newline)
(write (guard (e (#t (error-object-message e))) (py-method led "no_such_method"))) (newline)
; micropython-lib's DS18x20 driver (frozen into the Pico's firmware) on a
; 1-Wire bus: the emulator has no sensor on it, so the scan finds none
(define ow (py-call (py-get (py-import "onewire") "OneWire") (py-call Pin 22)))
(define sensors (py-call (py-get (py-import "ds18x20") "DS18X20") ow))
(write (py->list (py-method sensors "scan"))) (newline)
"""


def check_interop_on_board(port):
    """PICO_PROGRAM on the board at port: a Pin driven from Lisp, gc.mem_free,
    a machine.Timer calling a Lisp procedure, a Python error caught, a
    micropython-lib sensor driver."""
    from tools.board_link import BoardLink
    from tools.board_run import run_program
    got = []
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=False, timeout=20)
        rc = run_program(link, PICO_PROGRAM, got.append, timeout=600)
        link.start_main()
    lines = b"".join(got).decode().splitlines()
    assert rc == 0 and lines[:3] == ['(1 0 "Pin")', "#t", "#t"], lines
    assert lines[3].startswith('"py-method: AttributeError: ') and "no_such_method" in lines[3]
    assert lines[4:] == ["()"], lines


def test_a_collection_frees_the_entries_of_dropped_handles():
    # the entries of handles the collector freed are emptied by the next
    # new handle once the table is half full (the objects go with them),
    # and a Python error leaves a sound arena
    from verify import verify
    it = fresh()
    it.eval_string("(define keep (map (lambda (i) (py-list (list i))) (iota 40)))")
    assert 64 - it.py_handles.count(None) == 40
    it.eval_string("(set! keep (list-head keep 3)) (gc)")
    assert 64 - it.py_handles.count(None) == 40        # not yet looked at
    it.eval_string("(define one (py-list '(1)))")
    assert 64 - it.py_handles.count(None) == 4
    assert it.eval_string('(guard (e (#t (error-object-message e)))'
                          ' (py-call (py-get (py-import "math") "sqrt") -1))') == \
        '"py-call: ValueError: math domain error"'
    verify(it)
    assert it.eval_string("(map py->list keep)") == "((0) (1) (2))"
