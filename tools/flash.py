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

from tools.board_link import CHUNK, BoardError, BoardLink

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


def board_manifest(link):
    """The manifest an earlier flash left on the board: {} if there is
    none, or a damaged one."""
    try:
        old = json.loads(link.read_file(BOARD_MANIFEST).decode() or "{}")
    except (BoardError, ValueError):
        return {}
    return old if isinstance(old, dict) else {}


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
        old = board_manifest(link)
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


# ------------------------------------------------------------------ ROMFS

# On the board, in a fresh MicroPython: the ROMFS partition's size and the
# SHA-256 of its first n bytes (what an earlier deploy left), or an error.
ROMFS_QUERY = """
import vfs, hashlib, binascii
def _mote_romfs(n):
    k = vfs.rom_ioctl(1) if hasattr(vfs, 'rom_ioctl') else -1
    if not isinstance(k, int) or k <= 0:
        print('NOROMFS')
        return
    d = vfs.rom_ioctl(2, 0)
    size = d.ioctl(4, 0) * d.ioctl(5, 0) if hasattr(d, 'ioctl') else len(d)
    h = hashlib.sha256()
    m = memoryview(d)
    if n <= size:
        for a in range(0, n, 4096):
            h.update(m[a:min(n, a + 4096)])
    print('ROMFS', size, binascii.hexlify(h.digest()).decode())
"""


def romfs_image(folder, names):
    """A VfsRom image (MicroPython's ROMFS format) of the named files of
    folder, flat, in name order; board.json with the profile's "romfs"
    sizes (tools/mote_cli.image_profile)."""
    from mpremote.romfs import VfsRomWriter
    from tools.mote_cli import image_profile
    rom = VfsRomWriter()
    for name in sorted(names):
        data = (folder / name).read_bytes()
        if name == "board.json":
            data = json.dumps(image_profile(json.loads(data.decode()), "romfs"),
                              sort_keys=True).encode()
        rom.mkfile(name, data)
    return rom.finalise()


def romfs_partition(link, image):
    """(partition size, whether it already holds image) on the board."""
    import hashlib
    link.run(ROMFS_QUERY)
    out = link.run("_mote_romfs(%d)" % len(image)).decode("utf-8", "replace").split()
    size = int(out[1])
    if len(image) > size:
        raise BoardError("the ROMFS image (%d bytes) is bigger than the board's partition "
                         "(%d bytes)" % (len(image), size))
    return size, out[2] == hashlib.sha256(image).hexdigest()


def write_romfs(link, image, progress):
    """Erase the partition's blocks the image needs and write it, through
    the partition's block device (or vfs.rom_ioctl where it has none), in
    whole chunks (flash is programmed in pages: the last one is padded)."""
    import base64
    link.run("import vfs, binascii\ntry:\n vfs.umount('/rom')\nexcept OSError:\n pass\n"
             "_mote_d = vfs.rom_ioctl(2, 0)\n_mote_b = hasattr(_mote_d, 'ioctl')\n"
             "_mote_bs = _mote_d.ioctl(5, 0) if _mote_b else 4096")
    blockdev = link.eval("_mote_b") == "True"
    block = int(link.eval("_mote_bs"))
    if blockdev:
        link.run("for _mote_k in range(%d):\n _mote_d.ioctl(6, _mote_k)"
                 % ((len(image) + block - 1) // block))
        chunk = min(block, CHUNK)       # a command the board takes in time, as write_file
    else:
        chunk = max(CHUNK, int(link.eval("vfs.rom_ioctl(3, 0, %d)" % len(image))))
    for a in range(0, len(image), chunk):
        piece = image[a:a + chunk]
        data = base64.b64encode(piece + bytes(chunk - len(piece))).decode()
        if blockdev:
            link.run("_mote_d.writeblocks(%d, binascii.a2b_base64(%r), %d)"
                     % (a // block, data, a % block))
        else:
            link.run("vfs.rom_ioctl(4, 0, %d, binascii.a2b_base64(%r))" % (a, data))
        progress(len(piece))
    if not blockdev:
        link.run("vfs.rom_ioctl(5, 0)")


def _deploy_romfs(link, build):
    arch = link.arch()
    link.run(ROMFS_QUERY)
    if link.run("_mote_romfs(0)").split()[:1] != [b"ROMFS"]:
        raise BoardError("%s has no ROMFS partition: its firmware was built without one "
                         "(for the Pico: mote firmware --romfs)" % link.port)
    folder, local = build(arch)
    on_fs = {"main.py": local["main.py"]}
    image = romfs_image(folder, [n for n in local if n not in on_fs])
    size, same = romfs_partition(link, image)
    if not same:
        bar = Progress(len(image), 1)
        bar.file("ROMFS image")
        write_romfs(link, image, bar.advance)
        bar.file_done()
        bar.finish()
        if not romfs_partition(link, image)[1]:
            raise BoardError("verify failed: the ROMFS partition differs from the image "
                             "after writing it")
    shadows = sorted(set(local) | set(board_manifest(link)))
    on_board = link.hashes(shadows)
    removed = [n for n in shadows if on_board.get(n) and n not in on_fs]
    for name in removed:
        link.remove(name)
    if on_board.get("main.py") != on_fs["main.py"]:
        link.write_file("main.py", (folder / "main.py").read_bytes())
    link.write_file(BOARD_MANIFEST, json.dumps(on_fs, sort_keys=True).encode())
    return folder, local, image, size, same, removed


def flash_romfs(port, build, out=None):
    """`mote flash --romfs`: the build in the board's ROMFS partition (its
    bytecode and data then stay in flash, not in the heap), main.py alone on
    the filesystem, the filesystem copies that would shadow /rom removed,
    and Mote restarted from /rom. Deploys only when the partition holds
    something else. Returns 0."""
    out = out or sys.stdout
    with BoardLink(port) as link:
        link.enter_raw()            # a fresh MicroPython: nothing runs from /rom
        try:
            folder, local, image, size, same, removed = _deploy_romfs(link, build)
        except BoardError:
            link.start_main()       # leave the board running what it had
            link.wait_for_mote()
            raise
        link.start_main()
        trouble = link.wait_for_mote()
        out.write("flashed %s: ROMFS image of %d files (%d bytes of %d) %s, %d file%s "
                  "removed from the filesystem\n"
                  % (port, len(local) - 1, len(image), size,
                     "unchanged" if same else "written and verified",
                     len(removed), "" if len(removed) == 1 else "s"))
        if trouble and trouble.startswith("main.py"):
            raise BoardError("flashed, but Mote did not start: " + trouble)
        out.write(("note: " + trouble if trouble else "Mote is running on %s from /rom" % port)
                  + "\n")
    return 0
