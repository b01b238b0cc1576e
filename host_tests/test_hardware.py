"""Hardware builtins (firmware/hardware.py) on the simulated board
(tools/sim): pins, ADC, PWM, I2C / SPI / UART, timers and pin interrupts,
each program run on CPython and on the MicroPython unix port. The sim runs
in fast mode (MOTE_SIM=fast: a virtual clock that moves only when the
program sleeps), so the times in its log are exact and no test reads the
wall clock; the one exception is the terminal REPL test, which waits (with
a generous limit) for output to appear."""
import json
import os
import select
import subprocess
import sys
import time

import pytest

from conftest import ROOT, FIRMWARE, BOARDS, run_micropython, micropython_exe

SIM = ROOT / "tools" / "sim"
SHIM = ROOT / "tools" / "cpython"
RUNTIMES = ["cpython", "micropython"]
LED = json.loads((BOARDS / "unix.json").read_text()).get("led", 25)


def mote_cmd():
    """The installed `mote` command, or the CLI module run as a script."""
    exe = os.path.join(os.path.dirname(sys.executable), "mote")
    if os.path.isfile(exe):
        return [exe]
    return [sys.executable, str(ROOT / "tools" / "mote_cli.py")]


def cli_env(**extra):
    env = dict(os.environ)
    for k in ("MOTE_FIRMWARE_DIR", "MOTE_BOARDS_DIR", "MOTE_BUILD_DIR", "MOTE_SIM",
              "MOTE_SIM_SCRIPT", "MOTE_SIM_LOG", "MOTE_SIM_BOARD"):
        env.pop(k, None)
    env.update(extra)
    return env


class Run:
    def __init__(self, proc, log):
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.returncode = proc.returncode
        self.log = log

    def pins(self, pin):
        """(ms, level) of every write to pin."""
        return [(t, v) for t, what, i, v in self.log if what == "pin" and i == pin]

    def lines(self):
        return self.stdout.splitlines()


def parse_log(path):
    out = []
    if path.exists():
        for line in path.read_text().splitlines():
            t, what, ident, value = line.split(" ", 3)
            out.append((int(t), what, int(ident),
                        int(value) if what in ("pin", "freq", "duty") else value))
    return out


def sim(runtime, tmp_path, program, repl=False, script=None, boards=None, args=(), path=()):
    """Run program (a file for `mote.py run`, or the REPL's piped input) on
    the simulated board, with the directories `path` first on Python's
    path; its output, status and the sim's log."""
    log = tmp_path / ("sim-%s.log" % runtime)
    if log.exists():
        log.unlink()
    env = {"MOTE_SIM": "fast", "MOTE_SIM_LOG": str(log),
           "MOTE_BOARDS_DIR": str(boards or BOARDS)}
    if script is not None:
        s = tmp_path / "script.json"
        s.write_text(json.dumps(script))
        env["MOTE_SIM_SCRIPT"] = str(s)
    if repl:
        argv = [str(FIRMWARE / "mote.py"), "repl", "--quiet"]
        stdin = program
    else:
        prog = tmp_path / "prog.scm"
        prog.write_text(program)
        argv = [str(FIRMWARE / "mote.py"), "run", str(prog)]
        stdin = ""
    argv += list(args)
    if runtime == "micropython":
        env["MICROPYPATH"] = ":".join([str(d) for d in path] + [str(SIM), ".frozen"])
        proc = run_micropython(argv, stdin=stdin, env=env, timeout=120)
    else:
        full = dict(os.environ)
        for k in ("MOTE_SIM", "MOTE_SIM_SCRIPT", "MOTE_SIM_LOG", "MOTE_SIM_BOARD"):
            full.pop(k, None)
        full.update(env)
        full["PYTHONPATH"] = os.pathsep.join([str(d) for d in path] + [str(SHIM), str(SIM)])
        proc = subprocess.run([sys.executable] + argv, input=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True,
                              cwd=str(ROOT), env=full, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return Run(proc, parse_log(log))


BLINK = """
(pinmode 25 :output)
(do ((i 0 (+ i 1))) ((= i 5))
  (digitalwrite 25 #t)
  (sleep-ms 500)
  (digitalwrite 25 #f)
  (sleep-ms 500))
(display (millis))
"""


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_blink_toggles_pin_25_ten_times_500_ms_apart(runtime, tmp_path):
    r = sim(runtime, tmp_path, BLINK)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "5000"
    assert r.log[0] == (0, "mode", 25, "out")
    writes = r.pins(25)
    assert [v for t, v in writes] == [1, 0] * 5
    assert [t for t, v in writes] == [500 * k for k in range(10)]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_blink_example_through_mote_run(runtime, tmp_path):
    log = tmp_path / "blink.log"
    if runtime == "micropython" and micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    proc = subprocess.run(mote_cmd() + ["run", str(ROOT / "examples" / "blink.scm"),
                                        "--runtime", runtime],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          cwd=str(ROOT), env=cli_env(MOTE_SIM="fast", MOTE_SIM_LOG=str(log)),
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "blinked 10 times\n"
    entries = parse_log(log)
    assert entries[0] == (0, "mode", LED, "out")
    writes = [(t, v) for t, what, i, v in entries if what == "pin" and i == LED]
    assert writes == [(500 * k, 1 - k % 2) for k in range(20)]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_board_led_uses_the_profiles_led_pin(runtime, tmp_path):
    r = sim(runtime, tmp_path, "(board-led #t) (sleep-ms 10) (board-led 0)")
    assert r.returncode == 0, r.stderr
    assert r.pins(LED) == [(0, 1), (10, 0)]
    # a profile with its LED elsewhere
    boards = tmp_path / "boards"
    boards.mkdir()
    prof = json.loads((BOARDS / "unix.json").read_text())
    prof["led"] = 7
    (boards / "unix.json").write_text(json.dumps(prof))
    r = sim(runtime, tmp_path, "(board-led #t) (board-led #f)", boards=boards)
    assert r.returncode == 0, r.stderr
    assert r.pins(7) == [(0, 1), (0, 0)] and r.pins(LED) == []


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_pinmode_accepts_ulisp_modes(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(pinmode 2 :input-pullup) (pinmode 3 'input-pulldown) (pinmode 4 #t) (pinmode 4 #f)
(pinmode 5 2) (pinmode 6 ':output) (pinmode 6 :input)
(display (list (digitalread 2) (digitalread 3) (digitalread 5)))
(digitalwrite 6 :high)
""")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(#t #f #t)"
    modes = [(i, v) for t, what, i, v in r.log if what == "mode"]
    assert modes == [(2, "in+up"), (3, "in+down"), (4, "out"), (4, "in"), (5, "in+up"),
                     (6, "out"), (6, "in")]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_digitalread_of_a_scripted_toggling_pin(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(pinmode 3 'input)
(define (reads n) (if (= n 0) '() (begin (sleep-ms 50) (let ((v (digitalread 3))) (sleep-ms 50) (cons v (reads (- n 1)))))))
(display (reads 6))
""", script={"pins": {"3": {"toggle": 100}}, "adc": {}})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(#f #t #f #t #f #t)"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_analogread_returns_the_scripted_sequence(runtime, tmp_path):
    r = sim(runtime, tmp_path, "(display (map (lambda (i) (analogread 27)) '(1 2 3 4 5)))",
            script={"adc": {"27": [0, 1000, 40000, 65535]}})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(0 1000 40000 65535 65535)"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_i2c_finds_the_temperature_sensor_and_reads_its_registers(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(display (i2c-scan)) (newline)
(display (i2c-read-reg 72 0 2)) (newline)
(display (i2c-read-reg 72 1 2)) (newline)
(i2c-write 72 (bytevector 1 #x61 #xa0))
(display (i2c-read-reg 72 1 2)) (newline)
(i2c-write 72 (bytevector 0))
(display (i2c-read 72 2)) (newline)
""", script={"temp": -10.25})
    assert r.returncode == 0, r.stderr
    # -10.25 C is -164 steps of 0.0625: 0xF5C, left-justified 0xF5C0
    assert r.lines() == ["(72)", "#u8(245 192)", "#u8(96 160)", "#u8(97 160)", "#u8(245 192)"]
    assert [(i, v) for t, what, i, v in r.log if what == "i2c"] == [(72, "0161a0"), (72, "00")]
    r = sim(runtime, tmp_path, "(display (i2c-read-reg 72 0 2))", script={"temp": 23.5})
    assert r.stdout == "#u8(23 128)"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_spi_transfer_reads_back_through_the_loopback(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(display (spi-transfer (bytevector 1 2 254 255)))
(display (spi-transfer (string->utf8 "AB") 17))
""")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "#u8(1 2 254 255)#u8(65 66)"
    assert [e[1:] for e in r.log] == [("spi", 0, "0102feff"), ("mode", 17, "out"),
                                      ("pin", 17, 0), ("spi", 0, "4142"), ("pin", 17, 1)]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_uart_reads_scripted_input_then_its_loopback(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(display (uart-read 2)) (newline)
(write (utf8->string (uart-read))) (newline)
(display (uart-read)) (newline)
(uart-write "hi")
(uart-write (bytevector 0 255))
(display (uart-read)) (newline)
""", script={"uart": "OK\r\n"})
    assert r.returncode == 0, r.stderr
    assert r.lines() == ["#u8(79 75)", '"\\r\\n"', "#u8()", "#u8(104 105 0 255)"]
    assert [(i, v) for t, what, i, v in r.log if what == "uart"] == [(1, "6869"), (1, "00ff")]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_every_runs_its_thunk_once_a_period_during_a_wait(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(define times '())
(let ((count 0))
  (every-ms 100 (lambda () (set! count (+ count 1)) (set! times (cons (millis) times)))))
(gc)
(sleep-ms 1000)
(display (reverse times)) (newline)
(display (length times))
""")
    assert r.returncode == 0, r.stderr
    assert r.lines() == ["(100 200 300 400 500 600 700 800 900 1000)", "10"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_ulisp_every_with_a_period_is_a_timer_and_srfi1_every_still_works(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(define n 0)
(every 250 (lambda () (set! n (+ n 1))))
(sleep-ms 1000)
(display (list n (every odd? '(1 3 5)) (every odd? '(1 2)) :rising))
""")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(4 #t #f :rising)"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_on_pin_change_fires_on_scripted_edges(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(define seen '())
(define (note-it what) (lambda () (set! seen (cons (list what (millis) (digitalread 3)) seen))))
(on-pin-change 3 'both (note-it 'both))
(sleep-ms 300)
(on-pin-change 3 ':rising (note-it 'rising))
(sleep-ms 300)
(display (reverse seen)) (newline)
(pinmode 6 'output)
(on-pin-change 6 'falling (note-it 'out))
(digitalwrite 6 1) (digitalwrite 6 0)
(sleep-ms 0)
(display (car seen))
""", script={"pins": {"3": {"edges": [[100, 1], [250, 0], [400, 1], [420, 0], [700, 1]]}}})
    assert r.returncode == 0, r.stderr
    # the second on-pin-change of pin 3 replaces the first
    assert r.lines() == ["((both 100 #t) (both 250 #f) (rising 400 #t))", "(out 600 #f)"]


REPORTED = """
(define a 0)
(define b 0)
(every-ms 100 (lambda () (set! a (+ a 1)) (if (= a 2) (car a))))
(every-ms 250 (lambda () (set! b (+ b 1))))
(sleep-ms 500)
(list a b)
(sleep-ms 500)
(list a b)
(stop-timers)
(+ 1 2)
"""


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_an_error_in_a_thunk_is_reported_and_the_rest_go_on(runtime, tmp_path):
    r = sim(runtime, tmp_path, REPORTED, repl=True)
    assert r.returncode == 0, r.stderr
    assert r.lines() == ["0", "1", "Error in every-ms: car: not a pair: 2", "(5 2)",
                         "(10 4)", "3"]


ERRORS = [
    ("(digitalwrite 99 #t)", "digitalwrite: no such pin: 99"),
    ("(digitalread -1)", "digitalread: no such pin: -1"),
    ("(pinmode 25 'sideways)",
     "pinmode: bad mode: sideways (use :input :output :input-pullup :input-pulldown)"),
    ("(pinmode 25 7)",
     "pinmode: bad mode: 7 (use :input :output :input-pullup :input-pulldown)"),
    ("(digitalwrite 25 'medium)", "digitalwrite: bad level: medium (use :low :high)"),
    ("(analogread 3)", "analogread: pin 3 has no ADC"),
    ("(i2c-read 80 2)", "i2c-read: no device at address 0x50"),
    ("(i2c-read-reg 16 0 1)", "i2c-read-reg: no device at address 0x10"),
    ("(i2c-write 200 (bytevector 1))", "i2c-write: bad address: 200"),
    ("(i2c-write 72 5)", "i2c-write: not a bytevector or string: 5"),
    ("(analogwrite 15 300)", "analogwrite: duty not in 0..255: 300"),
    ("(analogwrite-frequency 15 2)", "analogwrite-frequency: bad frequency: 2"),
    ("(note 15 1 9)", "note: octave out of range: 9"),
    ("(every-ms 100 5)", "every-ms: not a procedure: 5"),
    ("(every-ms 0 (lambda () 1))", "every-ms: bad period: 0"),
    ("(on-pin-change 3 'sideways (lambda () 1))",
     "on-pin-change: bad edge: sideways (use :rising :falling :both)"),
    ("(stop-timers 8)", "stop-timers: no such timer: 8"),
    ("(sleep-ms 'a)", "sleep-ms: not an integer: a"),
]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_bad_pins_modes_and_devices_are_lisp_errors(runtime, tmp_path):
    src = "".join(form + "\n" for form, msg in ERRORS) + "(+ 1 2)\n"
    r = sim(runtime, tmp_path, src, repl=True)
    assert r.returncode == 0, r.stderr
    assert r.lines() == ["Error: " + msg for form, msg in ERRORS] + ["3"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_errors_are_catchable_and_a_program_reports_them(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(display (guard (e (#t (error-object-message e))) (i2c-read 80 1)))
(newline)
(digitalwrite 30 #t)
""")
    assert r.returncode == 1
    assert r.stdout == "i2c-read: no device at address 0x50\n"
    assert r.stderr == "Error: digitalwrite: no such pin: 30\n"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_callback_slots_are_few_and_stop_timers_frees_them(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(define n 0)
(define id (every-ms 100 (lambda () (set! n (+ n 1)))))
(sleep-ms 250)
(stop-timers id)
(sleep-ms 500)
n
(do ((i 0 (+ i 1))) ((= i 8)) (every-ms 1000 (lambda () #t)))
(every-ms 1000 (lambda () #t))
(stop-timers)
(every-ms 1000 (lambda () #t))
""", repl=True)
    assert r.returncode == 0, r.stderr
    assert r.lines() == ["2", "Error: every-ms: all 8 slots in use (see stop-timers)", "0"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_for_millis_runs_the_body_once_then_waits_as_ulisp(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(define runs 0)
(define t0 (millis))
(display (for-millis (100) (set! runs (+ runs 1)) (sleep-ms 30)))
(display (list runs (- (millis) t0))) (newline)
(display (for-millis ((* 25 2)) (sleep-ms 80))) (newline)
(display (for-millis () (sleep-ms 20))) (newline)
(display (for-millis (40))) (newline)
(define ticks 0)
(every-ms 10 (lambda () (set! ticks (+ ticks 1))))
(for-millis (100))
(display ticks)
""")
    assert r.returncode == 0, r.stderr
    assert r.lines() == ["100(1 100)", "80", "20", "40", "10"]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_pwm_analogwrite_and_notes(runtime, tmp_path):
    r = sim(runtime, tmp_path, """
(analogwrite 15 128)
(analogwrite-frequency 15 5000)
(note 14 440)
(sleep-ms 100)
(note)
(note 13 9 4)
(note 13 0)
(note 12)
""")
    assert r.returncode == 0, r.stderr
    assert [e[1:] for e in r.log] == [
        ("freq", 15, 1000), ("duty", 15, 128 * 257), ("freq", 15, 5000),
        ("freq", 14, 1000), ("freq", 14, 440), ("duty", 14, 32768), ("duty", 14, 0),
        ("freq", 13, 1000), ("freq", 13, 440), ("duty", 13, 32768), ("duty", 13, 0),
        ("freq", 12, 1000), ("freq", 12, 261), ("duty", 12, 32768)]
    assert r.log[6][0] == 100


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_millis_and_micros_follow_the_clock(runtime, tmp_path):
    r = sim(runtime, tmp_path, "(sleep-ms 1234) (display (list (millis) (micros)))")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "(1234 1234000)"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_sleep_ms_is_interrupted_by_ctrl_c_and_the_session_goes_on(runtime, tmp_path):
    src = """
(define n 0)
(every-ms 100 (lambda () (set! n (+ n 1))))
(sleep-ms 1000)
(display "after")
(list (millis) n)
(+ 1 2)
"""
    r = sim(runtime, tmp_path, src, repl=True, script={"interrupt_at": 250})
    assert r.returncode == 0, r.stderr
    # Ctrl-C at 250 ms ends the sleep there (the timer goes on)
    assert r.lines() == ["0", "", "Interrupted", "after(250 2)", "3"]
    r = sim(runtime, tmp_path, "(sleep-ms 1000) (display 'unreached)", script={"interrupt_at": 400})
    assert r.returncode == 130 and r.stdout == "" and r.stderr == "Interrupted\n"


SIM_DRIVER = r"""
import sys
import machine, micropython, time
events = []
def tick(t):
    events.append(('tick', time.ticks_ms()))
def edge(p):
    events.append(('edge', time.ticks_ms(), p.value()))
machine.script({'pins': {'3': {'toggle': 40}}})
t = machine.Timer(-1, period=30, mode=machine.Timer.PERIODIC, callback=tick)
machine.Pin(3).irq(edge, trigger=machine.Pin.IRQ_RISING)
time.sleep_ms(100)
t.deinit()
time.sleep_ms(100)
print(events)
try:
    machine.I2C(0).readfrom(0x50, 1)
except OSError as e:
    print('OSError', e.args[0])
for bad in (lambda: machine.Pin(40), lambda: machine.ADC(machine.Pin(3)),
            lambda: machine.PWM(machine.Pin(2), freq=1)):
    try:
        bad()
    except ValueError as e:
        print('ValueError', e)
print(machine.Pin('LED').id, machine.I2C(0).scan())
"""


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_simulated_machine_module_itself(runtime, tmp_path):
    drv = tmp_path / "drv.py"
    drv.write_text(SIM_DRIVER)
    env = {"MOTE_SIM": "fast", "MOTE_BOARDS_DIR": str(BOARDS), "MOTE_SIM_LOG": ""}
    if runtime == "micropython":
        env["MICROPYPATH"] = str(SIM) + ":.frozen"
        proc = run_micropython([str(drv)], env=env)
    else:
        full = dict(os.environ, **env)
        full.pop("MOTE_SIM_SCRIPT", None)
        full["PYTHONPATH"] = os.pathsep.join([str(SHIM), str(SIM)])
        proc = subprocess.run([sys.executable, str(drv)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, env=full)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.replace('"', "'").splitlines() == [
        "[('tick', 30), ('edge', 40, 1), ('tick', 60), ('tick', 90), ('edge', 120, 1), "
        "('edge', 200, 1)]",
        "OSError 5",
        "ValueError invalid pin",
        "ValueError Pin doesn't have ADC capabilities",
        "ValueError freq too small",
        "%d [72]" % LED]


# -- the REPL at a terminal: thunks run while it waits for a line -------------------------
def pty_repl(runtime, keys):
    """Run `mote repl` on a pseudo-terminal in the sim's real-time mode; keys
    is a list of (bytes to type, bytes to wait for). Returns the output."""
    pty = pytest.importorskip("pty")
    if runtime == "micropython" and micropython_exe() is None:
        pytest.skip("the MicroPython unix port is not installed (make setup)")
    master, slave = pty.openpty()
    import fcntl
    import termios

    def own_terminal():
        # the pty becomes the REPL's controlling terminal, as a console is,
        # so that a typed Ctrl-C reaches it as SIGINT
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    proc = subprocess.Popen(mote_cmd() + ["repl", "--runtime", runtime], stdin=slave,
                            stdout=slave, stderr=slave, cwd=str(ROOT), env=cli_env(),
                            preexec_fn=own_terminal)
    os.close(slave)
    out = b""
    try:
        for typed, wanted in [(b"", b"> ")] + keys:
            if typed == b"\x03":
                time.sleep(0.5)         # let the runaway thunk start first
            if typed:
                os.write(master, typed)
            start = len(out)            # what is wanted must come after it
            deadline = time.monotonic() + 30
            alternatives = wanted if isinstance(wanted, tuple) else (wanted,)
            while not any(w in out[start:] for w in alternatives):
                assert time.monotonic() < deadline, (wanted, out.decode(errors="replace"))
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        out += os.read(master, 4096)
                    except OSError:
                        break
        os.write(master, b"(exit)\n")
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return out.decode(errors="replace")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_repl_runs_thunks_while_it_waits_at_a_terminal(runtime):
    out = pty_repl(runtime, [
        (b"(define k 0)\n(every-ms 20 (lambda () (set! k (+ k 1))"
         b" (if (= k 2) (car k)) (display \"tick \") (display k) (newline)))\n",
         b"tick 4"),
        (b"(stop-timers)\n(+ 40 2)\n", b"42"),
        # Ctrl-C in a runaway thunk stops the callbacks; the REPL goes on
        (b"(every-ms 20 (lambda () (let loop () (loop))))\n", b"0\r\n"),
        (b"\x03", b"> "),
        (b"(+ 1 2)\n", (b"\n3\r\n", b"> 3\r\n"))])    # echo, ^C's newline: either order
    assert "Error in every-ms: car: not a pair: 2" in out
    assert "tick 1" in out and "tick 3" in out
