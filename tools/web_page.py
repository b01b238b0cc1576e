"""`mote web`: Mote in a web page, with no install. MicroPython's
WebAssembly port (the npm package in tools/web/package.json) runs the same
firmware/ files in a Web Worker; the page (tools/web/) draws a REPL, an
editor with examples and shareable links, and the simulated board of
tools/sim. `make web` builds it into build/web/ (static files: no
server-side code), `mote web` serves that directory on 127.0.0.1."""

import functools
import http.server
import json
import os
import shutil
import sys
from pathlib import Path

from tools import firmware_image

ROOT = Path(__file__).resolve().parent.parent
WEB_DIR = ROOT / "tools" / "web"
PORT_PACKAGE = WEB_DIR / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
PAGE_FILES = ("index.html", "style.css", "app.js", "worker.js")


class WebError(Exception):
    """Why the page cannot be built or tested here (one line)."""


def build_dir():
    return Path(os.environ.get("MOTE_BUILD_DIR") or ROOT / "build") / "web"


def ensure_modules(out=sys.stderr):
    """tools/web's node modules (`npm ci`), when missing or older than the lock."""
    problem = firmware_image.node_modules_problem(
        WEB_DIR, "@micropython/micropython-webassembly-pyscript/micropython.wasm",
        "npm ci --prefix tools/web", out)
    if problem:
        raise WebError(problem)


def setup():
    """make web-setup: the node modules, and Chromium for the page's tests
    (Debian's package, pinned; installed when root, else the command named)."""
    ensure_modules()
    try:
        firmware_image.ensure_toolchain("chromium")
    except Exception as e:      # not root: the page's tests skip (they fail under CI=true)
        print("web page: %s" % e, file=sys.stderr)


def page_files():
    """path in the worker's filesystem -> text: the firmware (as a board has
    it: sources, library.scm, help.txt), tools/sim, the web profile, webboot."""
    files = {}
    for p in sorted((ROOT / "firmware").iterdir()):
        if p.suffix in (".py", ".scm", ".txt") and p.name not in ("verify.py", "main.py"):
            files["/mote/" + p.name] = p.read_text(encoding="utf-8")
    for p in sorted((ROOT / "tools" / "sim").glob("*.py")):
        files["/sim/" + p.name] = p.read_text(encoding="utf-8")
    profile = (WEB_DIR / "web.json").read_text(encoding="utf-8")
    files["/boards/web.json"] = profile         # Mote's Interp(board='web')
    files["/board.json"] = profile              # the simulated board's
    files["/web/webboot.py"] = (WEB_DIR / "webboot.py").read_text(encoding="utf-8")
    return files


def completion_names():
    """The names Tab completes: the console's (tools/console.py)."""
    from tools.console import host_names
    return sorted(host_names())


def build(out=None):
    """Build the page into out (build/web); returns the directory."""
    ensure_modules()
    out = Path(out or build_dir())
    if out.is_dir():
        shutil.rmtree(out)          # (nothing left of an older build)
    out.mkdir(parents=True)
    for name in PAGE_FILES:
        shutil.copyfile(WEB_DIR / name, out / name)
    for name in ("micropython.mjs", "micropython.wasm"):
        shutil.copyfile(PORT_PACKAGE / name, out / name)
    (out / "files.json").write_text(json.dumps(page_files()), encoding="utf-8")
    (out / "names.json").write_text(json.dumps(completion_names()), encoding="utf-8")
    examples = {p.stem: p.read_text(encoding="utf-8")
                for p in sorted((ROOT / "examples").glob("*.scm"))}
    (out / "examples.json").write_text(json.dumps(examples), encoding="utf-8")
    return out


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the headers that give the page cross-origin
    isolation (so the board's sliders reach a busy worker through shared
    memory) and the WebAssembly and module types."""
    extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map,
                          **{".wasm": "application/wasm", ".mjs": "text/javascript",
                             ".js": "text/javascript", ".json": "application/json"})

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args):
        pass


def server(directory, port=0):
    """An HTTP server of directory on 127.0.0.1 (port 0: any free port)."""
    return http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=str(directory)))


def serve(port=8000, out=sys.stdout):
    d = build()
    srv = server(d, port)
    print("Mote in your browser: http://127.0.0.1:%d/  (Ctrl-C stops)" % srv.server_address[1],
          file=out)
    out.flush()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()
    return 0
