"""`mote flash`: put a board's build on the board, sending only what changed.

The build (`mote build`) carries manifest.json, the SHA-256 of every file.
The board computes the same digests of the files it has (board_link.hashes),
so a file goes up only when its bytes differ: a second flash sends nothing,
and a flash that was cut off is repaired by the next one (uploads go to a
temporary name first). The manifest is written to the board last, as
/mote-manifest.json, once every file has been read back and matches; the
next flash uses it only to remove files an earlier build put there and this
one no longer has (never the user's own files, such as a saved image).
"""

import json
import sys

from tools.board_link import BoardError, BoardLink

BOARD_MANIFEST = "mote-manifest.json"


class Progress:
    """A one-line progress bar on stderr (a line per file when stderr is not
    a terminal): bytes sent of the total, files sent of the count."""

    def __init__(self, total_bytes, total_files, stream=None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total, self.files = max(total_bytes, 1), total_files
        self.sent = self.done = 0
        self.name = ""

    def file(self, name):
        self.name = name
        if not self.tty:
            self.stream.write("uploading %s\n" % name)
            self.stream.flush()

    def advance(self, n):
        self.sent += n
        if self.tty:
            width = 30
            fill = width * self.sent // self.total
            self.stream.write("\r[%s%s] %d/%d bytes, %d/%d files %-16s"
                              % ("#" * fill, "-" * (width - fill), self.sent, self.total,
                                 self.done, self.files, self.name[:16]))
            self.stream.flush()

    def file_done(self):
        self.done += 1
        self.advance(0)

    def finish(self):
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def flashed_profile(port):
    """The name in the board.json an earlier flash left on the board, or None."""
    with BoardLink(port) as link:
        link.enter_raw(soft_reset=False)
        name = (link.profile() or {}).get("name")
    return name if isinstance(name, str) else None


def plan(local, on_board, old_manifest):
    """(names to upload, names to remove): files whose digest differs, and
    files an earlier flash installed that this build does not have."""
    upload = sorted(n for n, digest in local.items() if on_board.get(n) != digest)
    remove = sorted(n for n in old_manifest if n not in local and on_board.get(n))
    return upload, remove


def flash(port, build, out=None):
    """Flash the build function's output to the board on port. build(arch)
    compiles the firmware for the architecture the board reports and
    returns (directory, manifest dict). Prints a summary; returns 0."""
    out = out or sys.stdout
    with BoardLink(port) as link:
        link.enter_raw()
        arch = link.arch()
        folder, local = build(arch)
        try:
            old = json.loads(link.read_file(BOARD_MANIFEST).decode() or "{}")
        except (BoardError, ValueError):     # no manifest yet, or a damaged one
            old = {}
        if not isinstance(old, dict):
            old = {}
        on_board = link.hashes(sorted(set(local) | set(old)))
        upload, remove = plan(local, on_board, old)
        sizes = {n: (folder / n).stat().st_size for n in upload}
        bar = Progress(sum(sizes.values()), len(upload))
        for name in upload:
            bar.file(name)
            link.write_file(name, (folder / name).read_bytes(), bar.advance)
            bar.file_done()
        bar.finish()
        for name in remove:
            link.remove(name)
        if upload:
            check = link.hashes(upload)
            bad = [n for n in upload if check.get(n) != local[n]]
            if bad:
                raise BoardError("verify failed: %s differs on the board after upload"
                                 % ", ".join(bad))
        if upload or remove or old != local:
            link.write_file(BOARD_MANIFEST, json.dumps(local, sort_keys=True).encode())
        link.start_main()
        trouble = link.wait_for_mote()
        out.write("flashed %s: %d file%s (%d bytes) uploaded, %d unchanged, %d removed%s\n"
                  % (port, len(upload), "" if len(upload) == 1 else "s", sum(sizes.values()),
                     len(local) - len(upload), len(remove),
                     "; verified" if upload else ""))
        if trouble and trouble.startswith("main.py"):
            raise BoardError("flashed, but Mote did not start: " + trouble)
        out.write(("note: " + trouble if trouble else "Mote is running on %s" % port) + "\n")
    return 0
