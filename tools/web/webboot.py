# Mote in the web page's worker (tools/web/worker.js runs this with
# MicroPython's WebAssembly port): the interpreter on the `web` profile,
# tools/sim's machine with its pins and ADC wired to the page (the js
# module `webboard`), and what the page asks of it: run a form, say how
# much memory is used, save and restore the session.
import sys
sys.path.insert(0, '/mote')         # (the sim reads the web profile as /board.json)
sys.path.insert(0, '/sim')
import gc
import webboard
import machine
from mote import Interp
from arena import LispError
from reader import Incomplete

_log = machine.log


def log(what, ident, value):
    # Every pin write of the simulated board also goes to the page.
    _log(what, ident, value)
    if what == 'pin':
        webboard.pin(ident, value)


machine.log = log


class PageADC(machine.ADC):
    # An ADC pin reads the page's slider.
    def read_u16(self):
        return webboard.adc(self.id)


machine.ADC = PageADC
it = Interp(board='web')
it.out = webboard.out


def run(src):
    # Evaluate every form of src as the REPL does: each value shown, an
    # error reported (the session goes on). True if all went well.
    import repl
    it.busy = 1                 # (Python's callbacks wait for a safe point)
    try:
        it.run_bytes(src.encode(), lambda v: repl.show(it, v, it.out))
        return True
    except Incomplete:
        it.out('Error: the input ends inside a form\n')
    except LispError as e:
        it.out('Error: ' + str(e) + '\n')
    except MemoryError:
        import command          # (as the REPL: the families unloaded, the session kept)
        it.out('Error: ' + command.out_of_memory(it) + '\n')
        return False
    except RuntimeError as e:
        it.out('Error: ' + str(e) + '\n')
    finally:
        it.busy = 0
    it.recover()
    return False


def idle():
    # The page is idle: deliver the simulated board's events and run the
    # every-ms and on-pin-change thunks (and Python's calls) that came due.
    machine.idle()
    st = getattr(it, 'hw_state', None)
    if st is not None or getattr(it, 'py_queue', None):
        import hardware
        hardware.service(it, True)
    return bool(st is not None and any(st[1]))


def stats():
    # What the page shows: the prompt's free pairs, the arena and the heap.
    s = it.stats()
    gc.collect()
    arena = 2 * s['arena_words']
    return '%d %d %d %d' % (s['pairs_free'], arena - s['bytes_free'], arena, gc.mem_alloc())


def save():
    # The session as an image (/mote.img), for the page to keep.
    import image
    image.save(it)


def restore():
    # The session the page kept (written to /mote.img).
    import image
    image.load(it)
