"""Mote in a web page (tools/web, tools/web_page.py): the page built as
`make web` builds it, served on 127.0.0.1 with `mote web`'s server, and
driven in headless Chromium (Debian's, through playwright-core from npm:
tools/web/test_page.mjs). One run of the page; each test checks a part of
what it saw. Skipped where Chromium is not installed, except under CI=true,
where that fails."""
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import ROOT

SCRIPT = ROOT / "tools" / "web" / "test_page.mjs"


def chromium():
    path = os.environ.get("MOTE_CHROMIUM", "/usr/bin/chromium")
    if not os.path.isfile(path) or not shutil.which("node"):
        why = "Chromium (%s) or node is not installed: `mote web --setup` as root" % path
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    return path


@pytest.fixture(scope="module")
def seen(tmp_path_factory):
    chromium()
    from tools import web_page
    web_page.ensure_modules()
    site = web_page.build(tmp_path_factory.mktemp("web"))
    srv = web_page.server(site)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    # the screenshot the README shows: MOTE_SCREENSHOT=docs/web-page.png to renew it
    shot = Path(os.environ.get("MOTE_SCREENSHOT") or site / "screenshot.png")
    try:
        r = subprocess.run(["node", str(SCRIPT), "http://127.0.0.1:%d/" % srv.server_address[1],
                            str(shot)], cwd=str(SCRIPT.parent), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
    finally:
        srv.shutdown()
        srv.server_close()
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    got["screenshot"] = shot
    got["site"] = site
    return got


def test_the_page_loads_and_answers_at_a_prompt_with_free_memory(seen):
    assert seen["errors"] == []
    assert seen["crossOriginIsolated"] is True          # (mote web's headers)
    assert seen["prompt"].endswith("> ") and int(seen["prompt"][:-2]) > 1000
    assert seen["sum"].endswith("(+ 1 2)\n3\n")
    # multi-line input: Enter inside an open form goes on to the next line
    assert seen["multiline"].endswith("(list 1\n2)\n(1 2)\n")
    assert seen["memory"].startswith("arena: ") and "MicroPython heap: " in seen["memory"]


def test_tab_completion_paren_matching_and_history(seen):
    assert seen["completed"] == "(string-append"
    assert seen["matched"] == "()"                      # the outer pair, cursor at the end
    assert seen["matchedInner"][0] == 2
    assert seen["history"] == "(define kept 42)"


def test_the_blink_example_blinks_the_led_while_it_runs(seen):
    assert seen["busyWhileBlinking"] == "1" and seen["togglesWhileRunning"] >= 3
    assert seen["pin25High"] is True
    assert seen["togglesAfter"] == 20                    # 10 blinks: on and off
    assert seen["screenshot"].stat().st_size > 10000


def test_stop_interrupts_an_endless_loop_and_keeps_the_definitions(seen):
    assert seen["busyInLoop"] == "1"
    assert seen["afterStop"].endswith("kept\n42\n")


def test_a_shared_link_opens_with_its_program(seen):
    assert seen["sharedEditor"] == seen["sharedProgram"]


def test_the_board_slider_and_every_in_real_time(seen):
    assert seen["adcDefault"].endswith("(analogread 26)\n32768\n")
    assert seen["adcMoved"].endswith("(analogread 26)\n1234\n")
    # 1.5 s of an idle page with a 100 ms timer (the browser's clock: loose)
    assert 5 <= int(seen["ticks"].splitlines()[-1]) <= 20, seen["ticks"]


def test_the_examples_run(seen):
    assert set(seen["menu"]) == {p.stem for p in (ROOT / "examples").glob("*.scm")}
    want = {"fib": "6765", "macro": "243", "hash-tables": "((the . 3) (and . 2)",
            "strings": "(#t #f)", "guard": "caught: division by zero:"}
    for name, text in want.items():
        assert text in seen["examples"][name] and "Error" not in seen["examples"][name], name


def test_fib_20_in_the_browser(seen):
    lines = seen["fib"].splitlines()
    assert lines[-1] == "6765" and lines[-2].startswith("Time: ")


def test_the_page_is_static_files(seen):
    names = sorted(p.name for p in seen["site"].iterdir())
    assert {"index.html", "app.js", "worker.js", "micropython.wasm", "micropython.mjs",
            "files.json", "names.json"} <= set(names)
    files = json.loads((seen["site"] / "files.json").read_text())
    assert "/mote/mote.py" in files and "/mote/library.scm" in files and "/sim/machine.py" in files


FAKE_WEBBOARD = """
OUT = []
def out(text):
    OUT.append(text)
def pin(p, v):
    pass
def adc(p):
    return 0
"""

WEBBOOT_DRIVER = """
import sys, webboard, webboot
assert webboot.run('(string-upcase "a")')
had = 'strings' in sys.modules
def full(*args):
    raise MemoryError
webboot.it.run_bytes = full
print(had, webboot.run('(+ 1 2)'), 'strings' in sys.modules)
print(''.join(webboard.OUT))
"""


def test_the_worker_meets_a_full_heap_as_the_repl_does(tmp_path):
    # webboot.run (no browser needed: CPython with the page's js module
    # faked): MicroPython's heap running out unloads the builtin families
    # and says so as the console does, and the session goes on
    import sys
    (tmp_path / "webboard.py").write_text(FAKE_WEBBOARD)
    (tmp_path / "driver.py").write_text(WEBBOOT_DRIVER)
    path = [tmp_path, ROOT / "tools" / "web", ROOT / "firmware", ROOT / "tools" / "cpython",
            ROOT / "tools" / "sim"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(p) for p in path),
               MOTE_BOARDS_DIR=str(ROOT / "tools" / "web"), MOTE_SIM_BOARD="web", MOTE_SIM="fast")
    r = subprocess.run([sys.executable, str(tmp_path / "driver.py")], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "True False False", lines
    assert "Error: out of memory (MicroPython heap; the arena still has room)" in r.stdout
