"""A virtual MicroPython board on a pseudo-terminal.

VirtualBoard runs the MicroPython unix port behind a pty so that host tools
written for real boards (ampy, pyboard.py/mpremote, pyserial terminals) can
talk to it as if it were /dev/ttyACM0.  Nothing in here knows about Mote.

Design
------
Two pty pairs:

* the *client* pty: clients open its slave (the path open() returns).  The
  bridge keeps that slave open itself, so clients may come and go and a board
  with no client attached does not make the master report EIO.
* the *child* pty: a fresh pair per child start.  The unix port only runs
  its board-style friendly/raw REPL (pyexec) when stdin is a terminal, and
  only turns Ctrl-C into KeyboardInterrupt while code runs when the terminal
  delivers SIGINT (ISIG on, pty is the controlling terminal).  Both ptys are
  raw otherwise, so b'\\r\\n' is not turned into b'\\r\\r\\n'.

A bridge thread copies bytes both ways.  The child is started as
``micropython -X heapsize=N -i START`` where START (in the bridge's temp
dir) plays the board's ROM: it mounts the flash directory as ``/``, sets
sys.path like a board's and runs boot.py and (friendly start only) main.py
in __main__'s globals.  The unix port cannot soft-reset, so the child exits
where a board would reset; the bridge then restarts it and reproduces what a
board prints (b'MPY: soft reboot\\r\\n', and after a raw-REPL soft reset the
raw REPL prompt instead of the friendly banner).

Ctrl-C needs care: with ISIG on, a b'\\x03' written while the child runs
code *without* its SIGINT handler installed (start-up, or the instant
between running code and reading the next REPL line) would kill it.  The
bridge therefore holds a Ctrl-C until the child either reads the terminal in
raw mode (ISIG off: the REPL sees a plain character) or has its handler
installed (/proc/PID/status SigCgt), which is what a board does with a
Ctrl-C that arrives between programs.  And the unix port raises the
KeyboardInterrupt from inside its signal handler (MICROPY_ASYNC_KBD_INTR),
wherever the C code is: one landing in the collector leaves the heap locked
(every later allocation fails), one in the allocator corrupts it.  A board
only sets a pending exception.  So a Ctrl-C also waits until the child is
blocked in a system call (reading input, sleeping), where nothing is
half-done, or has run on for BUSY_WAIT (a long computation: the case Ctrl-C
is for, and Mote's evaluation loop does not allocate).
"""

import argparse
import collections
import fcntl
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import termios
import threading
import time
import tty

RAW_BANNER = b'raw REPL; CTRL-B to exit\r\n'
RAW_PROMPT = RAW_BANNER + b'>'
FRIENDLY_PROMPT = b'>>> '
SOFT_REBOOT = b'MPY: soft reboot\r\n'
# The unix port's banner: b'MicroPython <ver> on <date>; linux [...] version'
# b'\r\nType "help()" for more information.\r\n>>> '
BANNER_START = b'MicroPython '
BANNER_END = b'for more information.\r\n' + FRIENDLY_PROMPT

# Restart-loop guard: this many child exits within this many seconds.
LOOP_EXITS = 5
LOOP_WINDOW = 2.0
# How often held input is retried while waiting for the child.
HOLD_POLL = 0.01
# Longest wait for the child's answer to a Ctrl-D before sending more.
EOT_WAIT = 0.5
# Longest a Ctrl-C waits for a running child to block in a system call.
BUSY_WAIT = 0.25

# The board's ROM, run by `micropython -i`.  Everything happens inside a
# function that deletes its own global name first, so the REPL's globals
# hold nothing of ours.  Modules come in via __import__ so no names are bound.
# %(flash)r: host flash dir, %(path)r: sys.path, %(files)r: scripts to run.
# __file__ (this script's temp path) is dropped.  The last argv entry is the
# fd of a pipe to the bridge: b'S' on it says set-up is done, i.e. from then on a Ctrl-C interrupts
# boot.py/main.py rather than the ROM half-way through mounting; b'X' says
# boot.py/main.py raised SystemExit (a board would soft-reset).
START_SCRIPT = '''\
def _vb(v, o, s):
    g = globals()
    del g['_vb']
    g.pop('__file__', None)
    v.umount('/')
    v.mount(v.VfsPosix(%(flash)r), '/')
    o.chdir('/')
    s.path[:] = %(path)r
    p = open(int(s.argv[-1]), 'wb')
    p.write(b'S')
    for n in %(files)r:
        try:
            try:
                o.stat(n)
            except OSError:
                continue
            with open(n) as f:
                c = compile(f.read(), n, 'exec')
            f = None
            exec(c, g)
        except SystemExit:
            # A board soft-resets here, but `micropython -i` would go on to
            # the REPL: ask the bridge to restart us, and wait for it.
            p.write(b'X')
            __import__('time').sleep(60)
        except BaseException as e:
            s.print_exception(e)
_vb(__import__('vfs'), __import__('os'), __import__('sys'))
'''


def _set_raw(fd, isig=False):
    """Raw mode (no echo, no output processing); optionally keep ISIG."""
    tty.setraw(fd, termios.TCSANOW)
    if isig:
        attrs = termios.tcgetattr(fd)
        # NOFLSH: a Ctrl-C must not flush queued input/output (a board's
        # UART does not), e.g. a traceback the bridge has not read yet.
        attrs[3] |= termios.ISIG | termios.NOFLSH
        termios.tcsetattr(fd, termios.TCSANOW, attrs)


def _set_nonblock(fd):
    fl = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, fl | os.O_NONBLOCK)


class _Child:
    """One run of the unix port on its own pty."""

    def __init__(self, argv, env, cwd, raw):
        self.raw = raw              # started by a raw-REPL soft reset
        self.master, slave = pty.openpty()
        _set_raw(slave, isig=True)
        self.ready_r, ready_w = os.pipe()
        try:
            self.proc = subprocess.Popen(
                argv + [str(ready_w)], stdin=slave, stdout=slave,
                stderr=slave, env=env, cwd=cwd, start_new_session=True,
                pass_fds=(ready_w,),
                preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        except BaseException:
            for fd in (self.master, self.ready_r):
                os.close(fd)
            raise
        finally:
            # Only the child holds the slave/pipe end: EIO/EOF means it died.
            os.close(slave)
            os.close(ready_w)
        _set_nonblock(self.master)
        self.setup_done = False     # ROM finished mounting (pipe byte)
        # 'boot': raw restart, swallowing the friendly banner
        # 'enter': sent Ctrl-A, waiting for the raw REPL prompt
        # 'ready': input may flow
        self.state = 'boot' if raw else 'ready'
        self.held = b''             # output held while looking for banner
        # After a Ctrl-D, input is held until the child shows it lives on
        # (a raw REPL answer holds b'\x04'; a friendly prompt) or a short
        # while passes: that Ctrl-D may end this process (soft reset, after
        # b'OK\r\n'), and bytes written behind it would die with it instead
        # of reaching the restarted board.
        self.gate = 0.0
        self.busy_since = 0.0       # a held Ctrl-C found the child running

    def interruptible(self):
        """Would a b'\\x03' now interrupt code (True), be read as a plain
        character (None), or kill the child (False)?"""
        try:
            lflag = termios.tcgetattr(self.master)[3]
        except termios.error:
            return False
        if not lflag & termios.ISIG:
            return None
        try:
            with open('/proc/%d/status' % self.proc.pid) as f:
                for line in f:
                    if line.startswith('SigCgt:'):
                        return bool(int(line.split()[1], 16)
                                    & (1 << (signal.SIGINT - 1)))
        except OSError:
            pass
        return False

    def running(self):
        """Is the child on a CPU (state R), not blocked in a system call?"""
        try:
            with open('/proc/%d/stat' % self.proc.pid) as f:
                return f.read().rsplit(')', 1)[1].split()[0] == 'R'
        except (OSError, IndexError):
            return False

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
        self.proc.wait()
        for fd in (self.master, self.ready_r):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.ready_r = None


class PtyBoard:
    """A board served on a pty by a bridge thread (self._thread) until
    self._stop is set: open() returns the pty path, close() ends it.
    VirtualBoard here and tools/emulated_board.py's EmulatedBoard."""

    def serve_forever(self):
        """Run in the foreground until close() (e.g. from a signal handler)
        or the bridge ends."""
        self.open()
        while not self._stop.wait(0.2):
            if self._thread is None or not self._thread.is_alive():
                break

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()

    def _stop_bridge(self):
        # End the bridge thread: a byte on the wake pipe breaks its select.
        self._stop.set()
        if self._wake_w is not None:
            try:
                os.write(self._wake_w, b'x')
            except OSError:
                pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        self._thread = None

    def _close_fds(self, *names):
        # Close the file descriptors held in these attributes (once).
        for name in names:
            fd = getattr(self, name)
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
                setattr(self, name, None)


class VirtualBoard(PtyBoard):
    """The unix port on a pty, looking like a board's USB serial port."""

    def __init__(self, micropython, heap, flash_dir, module_path=(), env=None):
        self.micropython = micropython
        self.heap = int(heap)
        self.flash_dir = os.path.realpath(flash_dir)
        self.module_path = [os.path.realpath(p) for p in module_path]
        self.env = dict(env or {})
        self.path = None
        self._tmp = None
        self._master = self._slave = None
        self._wake_r = self._wake_w = None
        self._child = None
        self._thread = None
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._inq = b''             # client input not yet given to the child
        self._tail = b''            # last child output, for mode tracking
        self._mode = 'friendly'
        self._exits = collections.deque(maxlen=LOOP_EXITS)
        self._stalled = False       # restart loop: waiting for a key

    # -- public API --------------------------------------------------------

    def open(self):
        """Start the board; return the path clients should open."""
        if self.path:
            return self.path
        os.makedirs(self.flash_dir, exist_ok=True)
        self._tmp = tempfile.mkdtemp(prefix='vboard-')
        self._master, self._slave = pty.openpty()
        _set_raw(self._slave)
        _set_nonblock(self._master)
        self._wake_r, self._wake_w = os.pipe()
        self.path = os.ttyname(self._slave)
        try:
            self._spawn(raw=False)
        except BaseException:
            self.close()
            raise
        self._thread = threading.Thread(target=self._run, name='vboard',
                                        daemon=True)
        self._thread.start()
        return self.path

    def close(self):
        """Kill the child and release everything; safe to call twice."""
        self._stop_bridge()
        if self._child is not None:
            self._child.kill()
            self._child = None
        self._close_fds('_master', '_slave', '_wake_r', '_wake_w')
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


    # -- child management --------------------------------------------------

    def _spawn(self, raw):
        start = os.path.join(self._tmp, 'start.py')
        sys_path = ['', '.frozen', '/lib']
        # After the mount, "/" is the flash dir, so host paths are reached
        # relative to it ("/../x"): VfsPosix hands the joined path to the
        # host, which resolves "..".  This keeps frozen-module dirs
        # importable without mount points showing up in os.listdir('/').
        for p in self.module_path:
            sys_path.append('/' + os.path.relpath(p, self.flash_dir))
        files = ('boot.py',) if raw else ('boot.py', 'main.py')
        script = START_SCRIPT % {
                'flash': self.flash_dir, 'path': sys_path,
                'files': files}
        with open(start, 'w') as f:
            f.write(script)
        env = dict(os.environ)
        env.update(self.env)
        env['MICROPYPATH'] = ':'.join(self.module_path + ['.frozen'])
        argv = [self.micropython, '-X', 'heapsize=%d' % self.heap, '-i', start]
        self._child = _Child(argv, env, self._tmp, raw)
        self._tail = b''
        self._mode = 'raw' if raw else 'friendly'

    def _child_exited(self):
        child = self._child
        raw_reset = self._mode == 'raw' and self._tail.endswith(b'OK\r\n')
        child.kill()
        self._child = None
        now = time.monotonic()
        if not raw_reset:
            # Only unrequested-looking exits count: a client may soft-reset
            # the raw REPL as often as it likes.
            self._exits.append(now)
        if len(self._exits) == LOOP_EXITS and now - self._exits[0] < LOOP_WINDOW:
            # A main.py/boot.py that exits at once would spin forever.
            self._exits.clear()
            self._stalled = True
            self._inq = b''
            self._to_client(b'\r\nvboard: board restarted %d times in %gs; '
                            b'press a key to restart\r\n'
                            % (LOOP_EXITS, LOOP_WINDOW))
            return
        self._restart(raw_reset)

    def _restart(self, raw):
        self._to_client(SOFT_REBOOT)
        try:
            self._spawn(raw)
        except OSError as e:
            self._to_client(b'vboard: cannot restart: %s\r\n'
                            % str(e).encode())
            self._stalled = True

    # -- data flow ---------------------------------------------------------

    def _to_client(self, data):
        # A board with no host attached drops its output rather than block;
        # once the pty buffer is full a write would block, so drop instead.
        try:
            os.write(self._master, data)
        except (BlockingIOError, OSError):
            pass

    def _from_child(self, data):
        child = self._child
        tail = self._tail + data
        # Mode tracking: whichever prompt appeared last wins.
        r, f = tail.rfind(RAW_BANNER), tail.rfind(FRIENDLY_PROMPT)
        if r > f:
            self._mode = 'raw'
        elif f > r:
            self._mode = 'friendly'
        self._tail = tail[-64:]
        if child.state == 'boot':
            # Raw soft reset: pass boot.py's output, swallow the banner.
            held = child.held + data
            end = held.find(BANNER_END)
            if end >= 0:
                start = held.rfind(BANNER_START, 0, end)
                self._to_client(held[:max(start, 0)])
                child.held = b''
                child.state = 'enter'
                os.write(child.master, b'\x01')
                return
            start = held.find(BANNER_START)
            if start < 0:
                # Keep what might be the start of a split banner.
                start = max(0, len(held) - len(BANNER_START) + 1)
                while start < len(held) and not BANNER_START.startswith(held[start:]):
                    start += 1
            self._to_client(held[:start])
            child.held = held[start:]
            return
        if b'\x04' in data or tail.endswith(FRIENDLY_PROMPT):
            child.gate = 0.0    # the Ctrl-D was answered; the child lives
        self._to_client(data)
        if child.state == 'enter' and RAW_PROMPT in tail:
            child.state = 'ready'
        if not child.setup_done and FRIENDLY_PROMPT in tail:
            # The ROM failed before signalling; the REPL is up anyway.
            child.setup_done = True

    def _feed_child(self):
        """Give queued client input to the child as far as it is safe."""
        child = self._child
        if child is None or not self._inq or not child.setup_done:
            return
        while self._inq:
            if child.gate:
                if time.monotonic() < child.gate:
                    return
                child.gate = 0.0
            if child.state != 'ready':
                # Raw restart in progress: everything, Ctrl-C included,
                # waits for the raw REPL prompt.  (A Ctrl-C could not be
                # aimed at boot.py reliably: signals land asynchronously,
                # and one landing in the ROM between files or after it
                # would break the restart.)
                return
            cut = self._inq.find(b'\x03')
            if cut == 0:
                how = child.interruptible()
                if how is False:
                    return
                if how and child.running():
                    now = time.monotonic()
                    if not child.busy_since:
                        child.busy_since = now
                    if now - child.busy_since < BUSY_WAIT:
                        return
                child.busy_since = 0.0
                n = 1
            else:
                n = len(self._inq) if cut < 0 else cut
            eot = self._inq.find(b'\x04', 0, n)
            if eot >= 0:
                n = eot + 1
            try:
                n = os.write(child.master, self._inq[:n])
            except OSError:   # includes BlockingIOError: retried on poll
                return
            if self._inq[n - 1:n] == b'\x04':
                child.gate = time.monotonic() + EOT_WAIT
            self._inq = self._inq[n:]

    def _run(self):
        try:
            self._loop()
        except Exception as e:  # keep the reason visible to the client
            try:
                self._to_client(b'\r\nvboard: bridge failed: %s\r\n'
                                % repr(e).encode())
            except Exception:
                pass
            raise

    def _loop(self):
        while not self._stop.is_set():
            child = self._child
            fds = [self._master, self._wake_r]
            if child is not None:
                fds += [child.master]
                if child.ready_r is not None:
                    fds.append(child.ready_r)
            # Held input is retried by polling: what it waits for (the
            # child's termios/signal state) produces no event.
            timeout = HOLD_POLL if (self._inq and child is not None) else None
            rlist = select.select(fds, [], [], timeout)[0]
            if self._wake_r in rlist:
                os.read(self._wake_r, 64)
            if child is not None and child.ready_r in rlist:
                msg = os.read(child.ready_r, 64)
                if b'S' in msg:
                    child.setup_done = True
                if b'X' in msg:
                    self._child_exited()
                    continue
                if not msg:
                    # EOF: the child is dying or dropped the pipe; its pty
                    # tells us the rest.
                    os.close(child.ready_r)
                    child.ready_r = None
            if child is not None and child.master in rlist:
                try:
                    data = os.read(child.master, 4096)
                except BlockingIOError:
                    data = None
                except OSError:
                    data = b''      # EIO: the child's side is gone
                if data:
                    self._from_child(data)
                elif data == b'':
                    self._child_exited()
            if self._master in rlist:
                try:
                    data = os.read(self._master, 4096)
                except (BlockingIOError, OSError):
                    data = b''
                if data:
                    if self._stalled:
                        self._stalled = False
                        self._restart(False)
                    else:
                        self._inq += data
            self._feed_child()


def _find_micropython(name):
    if os.sep in name:
        return name if os.access(name, os.X_OK) and os.path.isfile(name) else None
    found = shutil.which(name)
    if found:
        return found
    # Fall back to the one installed next to this Python (the project venv).
    local = os.path.join(os.path.dirname(sys.executable), name)
    return local if os.access(local, os.X_OK) else None


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog='vboard',
        description='Run the MicroPython unix port as a board on a pty.')
    ap.add_argument('--heap', type=int, default=256 * 1024,
                    help='heap size in bytes (default %(default)s)')
    ap.add_argument('--dir', required=True, help="flash directory (the board's /)")
    ap.add_argument('--path', action='append', default=[],
                    help='directory of frozen modules (repeatable)')
    ap.add_argument('--micropython', default='micropython',
                    help='unix port executable')
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return e.code
    exe = _find_micropython(args.micropython)
    if exe is None:
        sys.stderr.write('vboard: micropython not found: %s\n' % args.micropython)
        return 2
    if args.heap <= 0:
        sys.stderr.write('vboard: bad --heap: %d\n' % args.heap)
        return 2
    try:
        os.makedirs(args.dir, exist_ok=True)
    except OSError as e:
        sys.stderr.write('vboard: bad --dir %s: %s\n' % (args.dir, e.strerror))
        return 2
    if not os.path.isdir(args.dir) or not os.access(args.dir, os.W_OK):
        sys.stderr.write('vboard: bad --dir %s: not a writable directory\n' % args.dir)
        return 2
    for p in args.path:
        if not os.path.isdir(p):
            sys.stderr.write('vboard: bad --path %s: not a directory\n' % p)
            return 2
    board = VirtualBoard(exe, args.heap, args.dir, args.path)

    def stop(signum, frame):
        board._stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        path = board.open()
        sys.stdout.write(path + '\n')
        sys.stdout.flush()
        board.serve_forever()
    except OSError as e:
        sys.stderr.write('vboard: %s\n' % e)
        return 2
    finally:
        board.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
