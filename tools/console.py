"""The serial console: `mote repl --port P` talks to Mote's REPL on a board.

The protocol is Mote's REPL as it is (firmware/repl.py), nothing added:

  * The board does not echo. It reads a line at a time; after a line that
    leaves a form incomplete it prints the continuation prompt, exactly two
    spaces; after a line that completes it, the output of evaluating it and
    then the prompt `NNN> ` (NNN: free pairs). Errors print `Error: ...`.
  * A \\x03 byte is Ctrl-C: while it evaluates it prints `\\nInterrupted\\n`
    and a prompt; while it waits for a line, `\\n` and a prompt.
  * `(exit)` leaves Mote for MicroPython's `>>> `; there a \\x04 byte (Ctrl-D)
    soft-resets the board, whose main.py prints the banner `Mote Scheme on
    BOARD. ...` and a prompt.
  * Lines end in \\n or \\r\\n; both are accepted.

Flow control: the console sends one line, then waits for the board's answer
before sending the next, as the board has no handshake of its own and a
small UART buffer. The answer has arrived when what came ends with the prompt
the host-side balancer expects (`  ` or `NNN> `) and nothing more comes for
QUIET seconds; the other prompt is accepted after ODD_QUIET (the balancer and
the board's reader can disagree on odd input such as a trailing `#;`).
Output is shown as it arrives, the prompt itself never: the console draws
its own, mirroring the board's. As output is not ended by a newline before the
prompt, `(display 12)` arrives as `1216000> `: the digits that belong to the
prompt are taken to be the split whose number is nearest the previous prompt's.

Piped stdin (not a tty): no prompt_toolkit, no banner, no prompts; the input
is sent with the same flow control and only the board's output printed. The
exit status is 0 at the end of the input, as for a REPL, even if an `Error:`
was printed (1 if the input ended inside a form).
"""

import codecs
import os
import re
import sys
import threading
import time

from tools.board_link import BoardError

# Mote starts its prompt on a line of its own, or right after the last
# prompt when it read an empty line (it does not echo the newline)
PROMPT_RE = re.compile(r'(?:^|(?<=\n)|(?<=\d> ))(\d+)> $')
BANNER_RE = re.compile(r'(?:MPY: soft reboot\n)?Mote Scheme on [^\n]*\n(\d+> )?')
BANNER = 'Mote Scheme on '
CONT = '  '
PY_PROMPT = '>>> '
QUIET = 0.05        # seconds of silence after a prompt: the answer is complete
ODD_QUIET = 0.4     # the same for the prompt the balancer did not expect
SETTLE = 0.4        # seconds of silence that end the handshake
HOLD_FLUSH = 0.2    # held-back digits/spaces shown after this long (not a prompt)
RECONNECT = 30.0
HELP = """Commands:
  :load FILE   send FILE form by form (stops at the first error)
  :reset       restart Mote on the board (soft reset)
  :help        this text
  :quit        leave (also Ctrl-D on an empty line)
Keys: Enter sends once the parentheses balance (else a new line); Tab completes
a name; Up/Down recall history; Ctrl-C clears the line, or interrupts the
board while it is busy."""


class ConsoleError(BoardError):
    """A one-line problem for the user (the CLI prints `mote: <msg>`)."""


class Lost(Exception):
    """The port went away (and came back) in the middle of an exchange."""


# ------------------------------------------------------------ the balancer

def scan(text, state=(0, False, 0), brackets=None):
    """Carry the reader state (depth, in a string, #| depth) over text;
    append (index, char) of each counted parenthesis to brackets."""
    depth, instr, block = state
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if instr:
            if c == '\\':
                i += 1
            elif c == '"':
                instr = False
        elif block:
            if text.startswith('|#', i):
                block -= 1
                i += 1
            elif text.startswith('#|', i):
                block += 1
                i += 1
        elif c == '"':
            instr = True
        elif c == ';':
            while i < n and text[i] != '\n':
                i += 1
        elif c == '#' and i + 1 < n and text[i + 1] == '|':
            block = 1
            i += 1
        elif c == '#' and i + 1 < n and text[i + 1] == '\\':
            i += 2                      # #\( #\) #\; #\" are characters
        elif c in '()':
            depth += 1 if c == '(' else -1
            if brackets is not None:
                brackets.append((i, c))
        i += 1
    return depth, instr, block


def complete(state):
    # A stray `)` counts as complete: the board reports it.
    return state[0] <= 0 and not state[1] and not state[2]


def balanced(text):
    return complete(scan(text))


def matching(text, pos):
    """Index of the parenthesis matching the one at pos, or None."""
    marks = []
    scan(text, brackets=marks)
    stack, pairs = [], {}
    for i, c in marks:
        if c == '(':
            stack.append(i)
        elif stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs.get(pos)


def split_prompt(text):
    """(output, prompt) for text ending in a prompt (`NNN> ` on a line of
    its own, or the continuation prompt)."""
    m = PROMPT_RE.search(text)
    if not m:
        return text[:-len(CONT)], CONT
    return text[:m.start()], m.group(1) + '> '


def host_names():
    # The builtins and library.scm's names, without asking the board.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for p in (os.path.join(root, 'firmware'), os.path.join(root, 'tools', 'cpython')):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        import builtin_names
        names = set()
        names.update(w.split(':')[0] for w in builtin_names.table().split())
        rows, macros = builtin_names.library_names()
        names.update(rows.split())
        names.update(macros)
        return set(n for n in names if not n.startswith('%'))
    except Exception:               # a console without the firmware beside it
        return set()


# ---------------------------------------------------------------- the link

class Link:
    """The port, a reader thread that owns reading it, and the exchanges.
    While idle the reader shows what arrives (timers printing, a reset);
    during an exchange the main thread takes it."""

    def __init__(self, port, baudrate, show):
        self.port, self.baudrate, self.show = port, baudrate, show
        self.ser = self.open()
        self.lock = threading.Lock()
        self.text = ''                  # received, decoded, not yet taken
        self.last_rx = time.monotonic()
        self.busy = False
        self.gen = 0                    # bumped at each reconnection
        self.dead = None                # ConsoleError once the port is gone
        self.prompt = None              # the board's last prompt
        self.on_dead = None
        self.after_banner, self.first_held = False, 0
        # a board still booting when the console connects prints its banner
        # after the handshake: only a reset after the first form is news
        self.in_session = self.in_handshake = False
        self.dec = codecs.getincrementaldecoder('utf-8')('replace')
        threading.Thread(target=self.reader, daemon=True).start()

    def open(self):
        import serial
        try:
            return serial.Serial(self.port, self.baudrate, timeout=0.05)
        except (serial.SerialException, OSError, ValueError) as e:
            raise ConsoleError('cannot open %s: %s' % (self.port, getattr(e, 'strerror', None) or e))

    def reader(self):
        while self.dead is None:
            try:
                data = self.ser.read(self.ser.in_waiting or 1)
            except Exception:           # SerialException, OSError: it vanished
                self.reconnect()
                continue
            if data and not self.text:
                self.first_held = time.monotonic()
            if data or self.text:
                self.received(data)

    def received(self, data):
        text = self.dec.decode(data)
        with self.lock:
            self.text = (self.text + text).replace('\r\n', '\n')
            if data:
                self.last_rx = time.monotonic()
            if self.busy:
                return
            # Bytes come a few at a time: keep back a last line that may
            # become the banner (or the prompt after it), to recognise it.
            cut = self.text.rfind('\n') + 1
            tail = self.text[cut:]
            if tail and (BANNER.startswith(tail[:len(BANNER)]) or tail.endswith('\r')
                         or self.after_banner and re.match(r'\d*>? ?$', tail)) \
                    and time.monotonic() - self.first_held < HOLD_FLUSH:
                text, self.text = self.text[:cut], tail
            else:
                text, self.text = self.text, ''
        if text:
            self.show_idle(text)

    def show_idle(self, text):
        m = BANNER_RE.search(text)
        self.after_banner = bool(m) or self.after_banner and not text.strip()
        if m:
            self.show(text[:m.start()] + ('[mote: board reset]\n' if self.in_session else ''))
            self.prompt = m.group(1) or self.prompt
            text = text[m.end():]
        m = re.match(r'\d+> $', text)
        if m and self.after_banner:      # the prompt after a banner split off
            self.prompt, text, self.after_banner = text, '', False
        if text:
            self.show(text)

    def reconnect(self):
        if self.dead is not None:
            return
        self.show('\n[mote: %s disconnected; reconnecting...]\n' % self.port)
        try:
            self.ser.close()
        except Exception:
            pass
        end = time.monotonic() + RECONNECT
        while time.monotonic() < end:
            time.sleep(0.5)
            try:
                self.ser = self.open()
            except ConsoleError:
                continue
            self.gen += 1
            self.show('[mote: reconnected]\n')
            return
        self.dead = ConsoleError('%s disconnected and did not come back' % self.port)
        if self.on_dead:
            self.on_dead(self.dead)

    def write(self, data):
        gen = self.gen
        try:
            self.ser.write(data)
            self.ser.flush()
        except Exception:
            pass                        # the reader notices, reconnects
        else:
            return
        while self.gen == gen and self.dead is None:
            time.sleep(0.05)
        raise self.dead or Lost()

    def take(self):
        with self.lock:
            text, self.text = self.text, ''
        return text

    def exchange(self, data, expect_more=False, out=None, timeout=None):
        """Send data (a line, or a control byte) and wait for the board's
        answer; returns its output (the prompt, stored in self.prompt, cut
        off). out(text) shows output while it arrives. On Ctrl-C here, \\x03
        goes to the board and the wait goes on for its prompt."""
        with self.lock:
            self.busy = True
            self.in_session = self.in_session or not self.in_handshake
        gen, got, shown, cand = self.gen, '', 0, None
        try:
            self.write(data)
            start = time.monotonic()
            while True:
                try:
                    time.sleep(0.01)
                    if self.dead:
                        raise self.dead
                    if self.gen != gen:
                        raise Lost()
                    new = self.take()
                    got += new
                    quiet = time.monotonic() - self.last_rx
                    if got.endswith(PY_PROMPT) and quiet > ODD_QUIET:
                        self.prompt = PY_PROMPT
                        return got[:-len(PY_PROMPT)]
                    ends = CONT if got.endswith(CONT) else PROMPT_RE.search(got) and 'p'
                    if ends and new:
                        cand = len(got)
                    # The answer: a prompt at the end and then silence; or a
                    # prompt followed by what a timer printed after it.
                    if ends and quiet > (QUIET if (ends == CONT) == expect_more else ODD_QUIET) \
                            or cand and not ends and quiet > ODD_QUIET:
                        full, self.prompt = split_prompt(got[:cand])
                        if out:
                            out(full[shown:] + got[cand:])
                        return full
                    # Show all but a tail that may be (the start of) a prompt.
                    hold = len(re.search(r'[0-9> ]*$', got[:cand]).group(0))
                    hold += len(got) - cand if cand else 0
                    if quiet > HOLD_FLUSH and not ends and not cand:
                        hold = 0
                    if out and len(got) - hold > shown:
                        out(got[shown:len(got) - hold])
                        shown = len(got) - hold
                    if timeout and time.monotonic() - start > timeout:
                        return None
                except KeyboardInterrupt:
                    self.write(b'\x03')
        finally:
            with self.lock:
                self.busy = False
                leftover, self.text = self.text, ''
            if leftover:
                self.show_idle(leftover)

    def wait_for(self, pattern, seconds):
        # Read (busy) until pattern matches what came; the text, or None.
        with self.lock:
            self.busy = True
        got, end = '', time.monotonic() + seconds
        try:
            while time.monotonic() < end:
                time.sleep(0.02)
                got += self.take()
                m = re.search(pattern, got)
                if m and time.monotonic() - self.last_rx > QUIET:
                    return got
            return None
        finally:
            with self.lock:
                self.busy = False

    def handshake(self, note):
        """Get the board to Mote's prompt: a newline answered by a prompt, a
        Ctrl-C if it holds a half form, Ctrl-D if it sits at `>>> `."""
        # a board just reset may take seconds to boot Mote: wait for the
        # newline's answer before interrupting anything
        self.in_handshake = True
        try:
            self.handshake_steps(note)
            self.settle()
        finally:
            self.in_handshake = False

    def settle(self):
        # A board found booting answers the newline from the old session or
        # the boot; its banner and prompt may follow: take them here, before
        # the first form, so they are not taken for its answer.
        with self.lock:
            self.busy = True
        got, end = '', time.monotonic() + 10
        try:
            while time.monotonic() - self.last_rx < SETTLE and time.monotonic() < end:
                time.sleep(0.02)
                got += self.take()
            got += self.take()
        finally:
            with self.lock:
                self.busy = False
        m = PROMPT_RE.search(got)
        if m:
            self.prompt = m.group(0)

    def handshake_steps(self, note):
        for attempt, seconds in ((b'\n', 10), (b'\x03', 3)):
            self.take()
            ans = self.exchange(attempt, timeout=seconds)
            if ans is not None:
                break
        else:
            raise ConsoleError('no answer from %s (is Mote running on it? try resetting the board)'
                               % self.port)
        if self.prompt == CONT:
            self.exchange(b'\x03')
        if self.prompt == PY_PROMPT:
            note("[mote: the board is at MicroPython's >>> prompt; starting Mote (Ctrl-D)]\n")
            self.soft_reset()

    def soft_reset(self):
        with self.lock:
            self.busy = True
        try:
            self.write(b'\x04')
        finally:
            with self.lock:
                self.busy = False
        got = self.wait_for(r'Mote Scheme on [^\n]*\n(?:.|\n)*?(\d+)> $', 15)
        if got is None:
            raise ConsoleError('Mote did not start on %s after a soft reset' % self.port)
        self.prompt = PROMPT_RE.search(got).group(0)
        # what booting printed before the banner (an autorun's output)
        boot = got[:got.rfind('Mote Scheme on')]
        if 'soft reboot' in boot:
            boot = boot[boot.rfind('soft reboot'):].partition('\n')[2]
        return boot

    def reset(self):
        self.exchange(b'\x03')
        if self.prompt != PY_PROMPT:
            self.exchange(b'(exit)\n')
        return self.soft_reset()

    def send_lines(self, lines, out=None, progress=None, stop=True):
        """Send lines with flow control; returns (answer text, index of the
        line where the first Error: appeared, or None)."""
        state, answers = (0, False, 0), []
        for k, line in enumerate(lines):
            state = scan(line + '\n', state)
            ans = self.exchange((line + '\n').encode(), not complete(state), out)
            answers.append(ans)
            if progress:
                progress(k)
            if self.prompt == PY_PROMPT or (stop and 'Error:' in ans):
                return ''.join(answers), k
        return ''.join(answers), None


# ------------------------------------------------------------- the console

def out(text):
    sys.stdout.write(text)
    sys.stdout.flush()


class Console:
    """The interactive side: prompt_toolkit for editing, history, Tab and
    parenthesis matching; commands; the exchange's output to the screen."""

    def __init__(self, link, history_path):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory
        from prompt_toolkit.key_binding import KeyBindings
        self.link = link
        self.names, self.board_names, self.stale = host_names(), set(), True
        self.gen = link.gen
        kb = KeyBindings()

        @kb.add('enter')
        @kb.add('c-j')              # Enter typed ahead, read in cooked mode
        def enter(event):
            # Enter sends a balanced form (or a :command), else starts a line.
            b = event.current_buffer
            if b.text.lstrip().startswith(':') or balanced(b.text):
                b.validate_and_handle()
            else:
                b.insert_text('\n')

        path = os.path.expanduser(history_path or '~/.mote_history')
        self.session = PromptSession(
            history=FileHistory(path), multiline=True, key_bindings=kb,
            completer=_completer(self), complete_while_typing=False,
            input_processors=[_paren_processor()],
            prompt_continuation=lambda width, line, soft: CONT.rjust(width))

    def fetch_names(self):
        # The board's globals, silently: (apropos-list "") prints a list.
        try:
            ans = self.link.exchange(b'(apropos-list "")\n')
        except Lost:
            return
        m = re.search(r'\(([^()]*)\)\s*$', ans)
        if m:
            self.board_names, self.stale = set(m.group(1).split()), False

    def loop(self):
        from prompt_toolkit.patch_stdout import patch_stdout

        def dead(err):
            app = self.session.app
            if app.is_running:
                app.loop.call_soon_threadsafe(lambda: app.exit(exception=err))
        self.link.on_dead = dead
        out('Mote console on %s. :help for commands, Ctrl-D to leave.\n' % self.link.port)
        with patch_stdout(raw=True):
            while True:
                try:
                    text = self.session.prompt(lambda: self.link.prompt or '> ')
                except KeyboardInterrupt:
                    continue
                except EOFError:
                    return 0
                if self.link.dead:
                    raise self.link.dead
                try:
                    if self.gen != self.link.gen:       # reconnected while idle
                        self.gen = self.link.gen
                        self.link.handshake(out)
                    if text.strip().startswith(':'):
                        if self.command(text.strip()) == 'quit':
                            return 0
                    else:
                        self.link.send_lines(text.split('\n'), out, stop=False)
                        self.stale = self.stale or 'define' in text
                except Lost:
                    self.gen = self.link.gen
                    out('[mote: that input was cut off by the reconnection]\n')
                    self.link.handshake(out)
                if self.link.prompt == PY_PROMPT:
                    out("[mote: Mote exited; the board is at MicroPython's >>> prompt]\n")
                    return 0

    def command(self, cmd):
        name, _, arg = cmd.partition(' ')
        arg = arg.strip()
        if name in (':quit', ':q', ':exit'):
            return 'quit'
        elif name == ':help':
            out(HELP + '\n')
        elif name == ':reset':
            out(self.link.reset().replace('\r\n', '\n'))
            self.stale = True
            out('[mote: Mote restarted]\n')
        elif name == ':load' and arg:
            self.load(os.path.expanduser(arg))
            self.stale = True
        else:
            out('[mote: unknown command %s; :help lists them]\n' % cmd.split()[0]
                if name != ':load' else '[mote: :load FILE]\n')

    def load(self, path):
        try:
            with open(path, encoding='utf-8') as f:
                src = f.read()
        except (OSError, UnicodeError) as e:
            out('[mote: cannot read %s: %s]\n' % (path, getattr(e, 'strerror', None) or e))
            return
        # Blank and comment lines between forms are not sent: one exchange
        # each for nothing. Keep the file's line numbers for the report.
        lines, numbers, starts, state, start = [], [], [], (0, False, 0), 1
        for n, line in enumerate(src.split('\n'), 1):
            if complete(state):
                if not line.strip() or line.lstrip().startswith(';'):
                    continue
                start = n
            state = scan(line + '\n', state)
            lines.append(line)
            numbers.append(n)
            starts.append(start)
        total, done = len(src.encode()), [0, False]
        sizes = [len(line.encode()) + 1 for line in lines]

        def bar(k):
            done[0] += sizes[k]
            fill = 30 * done[0] // max(total, 1)
            out('%s\r[%s%s] %d/%d bytes' % ('\n' if done[1] else '', '#' * fill,
                                            '-' * (30 - fill), done[0], total))
            done[1] = False

        def show(text):
            out('\r%s\r%s' % (' ' * 60, text))
            done[1] = not text.endswith('\n')
        _, err = self.link.send_lines(lines, show, bar, stop=True)
        out('\r%s\r' % (' ' * 60))
        if err is not None:
            out('[mote: %s: stopped at the error in the form at line %d (line %d sent last)]\n'
                % (path, starts[err], numbers[err]))
        elif not complete(state):
            self.link.exchange(b'\x03')
            out('[mote: %s ends inside a form (from line %d); not evaluated]\n' % (path, start))
        else:
            out('[mote: loaded %s]\n' % path)


def _completer(console):
    from prompt_toolkit.completion import Completer, Completion

    class Names(Completer):
        def get_completions(self, document, event):
            word = re.search(r'[^\s()\'"`,;]*$', document.text_before_cursor).group(0)
            if not word:
                return
            if console.stale:
                console.fetch_names()
            for n in sorted(console.names | console.board_names):
                if n.startswith(word):
                    yield Completion(n, -len(word))
    return Names()


def _paren_processor():
    from prompt_toolkit.layout.processors import Processor, Transformation
    from prompt_toolkit.layout.utils import explode_text_fragments

    class Parens(Processor):
        # The parenthesis at (or just before) the cursor and its match, by
        # the balancer: parentheses in strings, comments and #\( do not count.
        def apply_transformation(self, ti):
            doc = ti.document
            text, cur = doc.text, doc.cursor_position
            for pos in (cur, cur - 1):
                if 0 <= pos < len(text) and text[pos] in '()':
                    other = matching(text, pos)
                    if other is not None:
                        break
            else:
                return Transformation(ti.fragments)
            frags = explode_text_fragments(ti.fragments)
            for p, cls in ((pos, 'cursor'), (other, 'other')):
                row, col = doc.translate_index_to_position(p)
                if row == ti.lineno and col < len(frags):
                    frags[col] = (frags[col][0] + ' class:matching-bracket.' + cls, frags[col][1])
            return Transformation(frags)
    return Parens()


def piped(link):
    data = sys.stdin.read()
    lines = data.split('\n')
    if data.endswith('\n'):
        lines.pop()
    link.send_lines(lines, out, stop=False)
    if not complete(scan(data)) and link.prompt == CONT:
        link.exchange(b'\x03')
        sys.stderr.write('mote: the input ended inside a form\n')
        return 1
    return 0


def run(port, history_path=None, baudrate=115200, interactive=None):
    """Talk to Mote on port; returns the exit status. Raises ConsoleError
    for a problem to report on one line."""
    if interactive is None:
        interactive = sys.stdin.isatty()
    if interactive:
        os.environ.setdefault('PROMPT_TOOLKIT_NO_CPR', '1')   # no cursor-position queries
    link = Link(port, baudrate, out)
    try:
        link.handshake(lambda msg: sys.stderr.write(msg))
        if not interactive:
            return piped(link)
        return Console(link, history_path).loop()
    except KeyboardInterrupt:
        return 130
    finally:
        link.dead = link.dead or ConsoleError('closed')
        try:
            link.ser.close()
        except Exception:
            pass

