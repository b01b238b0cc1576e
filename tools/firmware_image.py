"""Real MicroPython builds from the tree in MICROPY_DIR: rp2 firmware images
with Mote frozen in (or stock), and a 32-bit unix-port micropython.

    firmware_uf2(board, kind="mote")  build/firmware-BOARD[-stock]/firmware.uf2
    unix32()                          build/unix32/micropython
    ensure_toolchain("rp2" | "unix32")
    setup()                           toolchains and the emulator's node modules
    uf2_from_bin(data, family_id) / parse_uf2(data)

Every build is cached under MOTE_CACHE (default ~/.cache/mote), keyed by a
hash of what goes into it, so a stale result is never used and a fresh clone
of the repository on the same machine reuses it:

    micropython-TREE/        copy of MICROPY_DIR (its makefiles write into
                             their own tree) with TREE_FIXES applied and
                             mpy-cross built in it
    unix32-KEY/              the 32-bit unix port: build/, build.log
    rp2-TREE/BOARD-KIND/     one incremental rp2 build per board and kind:
                             frozen/ (the sources frozen), native/ (.mpy
                             compiled to machine code), manifest.py, build.log
    images/BOARD-KIND-KEY/   a finished image: firmware.bin .elf .uf2, size.txt

Build progress goes to stderr in a few lines; full logs stay in the cache.
"""

import ast
import collections
import contextlib
import fcntl
import hashlib
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------- constants

# Debian 12 packages, pinned: the versions these builds were checked with.
APT_PACKAGES = {
    "rp2": ["gcc-arm-none-eabi=15:12.2.rel1-1", "libnewlib-arm-none-eabi=3.3.0-1.3+deb12u1"],
    "unix32": ["gcc-multilib=4:12.2.0-3"],
    "valgrind": ["valgrind=1:3.19.0-1"],     # mote bench --count
    "chromium": ["chromium=150.0.7871.100-1~deb12u1"],   # the web page's tests
}

# mote board name -> MicroPython board, the -march of its native code (the
# architecture its firmware reports in sys.implementation._mpy; for RP2350
# the port compiles its own frozen bytecode with armv7m, a subset) and the
# UF2 family its boot ROM accepts.
RP2_BOARDS = {
    "rp2040": {"mp_board": "RPI_PICO", "march": "armv6m", "family": 0xE48BFF56},
    "rp2350": {"mp_board": "RPI_PICO2", "march": "armv7emsp", "family": 0xE48BFF59},
}
KINDS = ("mote", "stock", "romfs")
FLASH_BASE = 0x10000000
JOBS = "-j2"

# Modules compiled to machine code: the interpreter's inner loops. Frozen,
# their code runs from flash and costs no RAM.
NATIVE_MODULES = ("evaluator", "arena", "collector")
HOST_ONLY = ("verify.py",)          # firmware/ modules a board never needs
BOOT_MODULE = "mote_boot"           # firmware/main.py, frozen under this name
FROZEN_OPT = 3                      # mpy-cross -O3, as `mote build` compiles

UNIX32_ARGS = ["VARIANT=standard", "MICROPY_FORCE_32BIT=1", "MICROPY_PY_FFI=0",
               "MICROPY_PY_BTREE=0", "MICROPY_PY_SSL=0", "MICROPY_SSL_MBEDTLS=0",
               "MICROPY_SSL_AXTLS=0"]
UNIX32_MANIFEST = 'include("$(MPY_DIR)/extmod/asyncio")\n'

# Part of every cache key: bump when this file changes what it produces.
FORMAT_VERSION = "2"

# Make runs by this process, by what they built ("mpy-cross", "unix32",
# "rp2040-mote", ...): lets tests see that a second call hit the cache.
BUILD_RUNS = collections.Counter()

# Fixes made to the cached copy of the tree (MICROPY_DIR itself is never
# written): (file, text, replacement). v1.28's mpy-tool.py aligns frozen
# Thumb native code to 2 bytes, yet the runtime reads the first word of a
# native function (its prelude index, py/objfun.h) with a 32-bit load: on
# the RP2040's Cortex-M0+ an unaligned load is a HardFault.
TREE_FIXES = (
    ("tools/mpy-tool.py",
     '            # ARMVxxM or RV{32,64}IMC -- two byte align.\n'
     '            self.fun_data_attributes += " __attribute__ ((aligned (2)))"\n',
     '            # ARMVxxM or RV{32,64}IMC -- word align: the first word is read as one.\n'
     '            self.fun_data_attributes += " __attribute__ ((aligned (4)))"\n'),
    # Lets a board's mpconfigboard.h choose the float type (the stock
    # boards do not: their builds are unchanged).
    ("ports/rp2/mpconfigport.h",
     "#define MICROPY_FLOAT_IMPL                      (MICROPY_FLOAT_IMPL_FLOAT)\n",
     "#ifndef MICROPY_FLOAT_IMPL\n"
     "#define MICROPY_FLOAT_IMPL                      (MICROPY_FLOAT_IMPL_FLOAT)\n"
     "#endif\n"),
)

# The Mote images' board: the port's own board files plus these. The rp2
# port's floats are single precision; Mote's flonums are IEEE doubles
# everywhere else (the arena stores 64 bits, the corpus prints doubles), so
# its images compute in double: the same box on the heap (a 16-byte GC
# block either way). Double arithmetic and libm come from the compiler's
# libraries (libgcc, newlib): the pico-sdk's boot-ROM versions are faster
# but flush subnormals to zero, give inf for inf - inf, and are
# an ulp off in tan and acos (measured on the emulated Pico). The port's
# linker script copies all of libgcc and libm into RAM for speed: 40 KB of
# heap with double libm in it, so the Mote board's copy keeps them in flash.
MOTE_BOARD_H = """
// Mote firmware image (tools/firmware_image.py): doubles, as on every other Mote
#define MICROPY_FLOAT_IMPL (MICROPY_FLOAT_IMPL_DOUBLE)
"""
# Stock MicroPython with a ROMFS partition (kind 'romfs'; `mote flash
# --romfs`): the port puts it just below the filesystem (RPI_PICO: at
# 0x60000, under the filesystem's 0xA0000), where the stock image (about
# 340 KB) leaves room; the filesystem keeps its place and size.
ROMFS_BYTES = 256 * 1024
ROMFS_BOARD_H = """
// Stock MicroPython with a ROMFS partition (tools/firmware_image.py)
#define MICROPY_HW_ROMFS_BYTES (%d)
""" % ROMFS_BYTES
# Where the filesystem starts in the flash of RPI_PICO (the port's default:
# 1408 KiB at the end of 2 MiB), the board the emulator runs.
FS_OFFSET = {"rp2040": 0xA0000}


def romfs_offset(board):
    """Flash offset of the ROMFS partition of the board's 'romfs' image."""
    return FS_OFFSET[board] - ROMFS_BYTES


MOTE_BOARD_CMAKE = """
# Mote firmware image (tools/firmware_image.py): IEEE doubles from libgcc/newlib
set(PICO_DEFAULT_DOUBLE_IMPL pico_double_compiler)
set(MICROPY_BOARD_LINKER_SCRIPT ${MICROPY_BOARD_DIR}/memmap_mote.ld)
"""

# UF2 (https://github.com/microsoft/uf2): 512-byte blocks of 256 data bytes.
UF2_MAGIC_START0 = 0x0A324655
UF2_MAGIC_START1 = 0x9E5D5157
UF2_MAGIC_END = 0x0AB16F30
UF2_FLAG_FAMILY_ID = 0x00002000
UF2_PAYLOAD = 256
UF2_HEADER = struct.Struct("<8I")
UF2_DATA_AREA = 476

Uf2Block = collections.namedtuple(
    "Uf2Block", "flags address payload_size block_no num_blocks family_id payload")


def _error(message):
    """The CLI's one-line error (mote_cli.UsageError: `mote: ...`, exit 2)."""
    from tools.mote_cli import UsageError
    return UsageError(message)


def _say(message):
    print("mote firmware: %s" % message, file=sys.stderr)
    sys.stderr.flush()


# ------------------------------------------------------------- locations

def micropython_dir():
    value = os.environ.get("MICROPY_DIR")
    path = Path(value) if value else ROOT.parent / "shared" / "upstream" / "micropython"
    return path.resolve()


def cache_root():
    value = os.environ.get("MOTE_CACHE")
    return (Path(value) if value else Path.home() / ".cache" / "mote").expanduser().resolve()


def _repo_build_dir():
    from tools.mote_cli import build_dir
    return build_dir()


def _digest(*parts):
    """SHA-256 hex of the parts (bytes, str, or JSON-able values), each
    length-prefixed so that no two different lists of parts collide."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, str):
            part = part.encode("utf-8")
        elif not isinstance(part, (bytes, bytearray)):
            part = json.dumps(part, sort_keys=True).encode("utf-8")
        h.update(b"%d:" % len(part))
        h.update(part)
    return h.hexdigest()


def upstream_id():
    """UPSTREAM.txt: the MicroPython release and submodule commits of the tree."""
    path = micropython_dir() / "UPSTREAM.txt"
    if not path.is_file():
        raise _error("no MicroPython tree at %s (set MICROPY_DIR to a v1.28.0 tree "
                     "with UPSTREAM.txt)" % micropython_dir())
    return path.read_bytes()


@contextlib.contextmanager
def _locked(path):
    """Hold an exclusive lock on the file `path` (another process building
    the same thing waits, then finds the result in the cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path), "a") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _call_logged(argv, log, cwd=None, env=None):
    """Run argv with its output appended to the file log: its exit status."""
    with open(str(log), "a") as f:
        f.write("\n$ %s\n" % " ".join(argv))
        f.flush()
        return subprocess.call(argv, cwd=None if cwd is None else str(cwd), env=env,
                               stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)


def _run_logged(argv, log, cwd=None, env=None):
    """_call_logged; on failure print the log's tail to stderr and raise."""
    rc = _call_logged(argv, log, cwd, env)
    if rc != 0:
        tail = log.read_text(errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        raise _error("%s failed (exit %d); full log: %s" % (os.path.basename(argv[0]), rc, log))


def _install_file(src, dest):
    """Copy src to dest atomically: a running copy of dest is not disturbed,
    and two threads or processes installing at once each write their own
    temporary file (one shared one could still be open for writing when the
    other is renamed and executed: ETXTBSY)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_file() and dest.read_bytes() == src.read_bytes():
        return dest
    tmp = dest.with_name(".%s.%d.%d.tmp" % (dest.name, os.getpid(), threading.get_ident()))
    shutil.copy2(str(src), str(tmp))
    os.replace(str(tmp), str(dest))
    return dest


# ------------------------------------------------------------- toolchains

def _compiles(argv, source):
    """True if the compiler command argv (output and input appended) builds
    the C program `source`."""
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, "t.c")
        with open(c, "w") as f:
            f.write(source)
        try:
            return subprocess.call(argv + ["-o", os.path.join(d, "t"), c],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0
        except OSError:
            return False


def toolchain_problem(kind):
    """What is missing for building `kind` ('rp2', 'unix32'), or None."""
    if kind == "rp2":
        if not shutil.which("arm-none-eabi-gcc"):
            return "arm-none-eabi-gcc is not installed"
        # newlib: a program using the C library links for the Cortex-M0+
        if not _compiles(["arm-none-eabi-gcc", "-mcpu=cortex-m0plus", "-mthumb",
                          "--specs=nosys.specs"],
                         "#include <string.h>\nint main(void) { return (int)strlen(\"x\"); }\n"):
            return "arm-none-eabi-gcc cannot link with newlib"
        return None
    if kind == "unix32":
        if not shutil.which("gcc"):
            return "gcc is not installed"
        if not _compiles(["gcc", "-m32"],
                         "#include <stdio.h>\nint main(void) { return puts(\"x\") < 0; }\n"):
            return "gcc cannot build 32-bit programs (-m32)"
        return None
    if kind == "valgrind":
        return None if shutil.which("valgrind") else "valgrind is not installed"
    if kind == "chromium":
        return None if os.path.isfile("/usr/bin/chromium") else "chromium is not installed"
    raise ValueError("unknown toolchain %r" % kind)


def _build_tools_problem():
    missing = [t for t in ("make", "cmake", "gcc") if not shutil.which(t)]
    return ("not installed: " + ", ".join(missing)) if missing else None


def ensure_toolchain(kind):
    """Make sure the compilers for `kind` are there: as root, install the
    pinned Debian packages; otherwise fail naming the command to run."""
    tools = _build_tools_problem()
    if tools:
        raise _error("%s (needed to build MicroPython): run `apt-get install -y make cmake gcc`"
                     % tools)
    problem = toolchain_problem(kind)
    if problem is None:
        return
    install = ["apt-get", "install", "-y"] + APT_PACKAGES[kind]
    if os.geteuid() != 0:
        raise _error("%s: run `sudo %s`" % (problem, " ".join(install)))
    _say("%s; installing %s" % (problem, " ".join(APT_PACKAGES[kind])))
    log = cache_root() / "apt.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if _call_logged(install, log, env=env) != 0:
        # a fresh machine's package lists may not know these versions yet
        _run_logged(["apt-get", "update"], log, env=env)
        _run_logged(install, log, env=env)
    problem = toolchain_problem(kind)
    if problem:
        raise _error("%s even after `%s` (log: %s)" % (problem, " ".join(install), log))


def node_modules_problem(directory, marker, command, out=sys.stderr):
    """`npm ci` in directory (`command`, as a person would type it) when
    its node modules are missing (no marker file under node_modules) or
    older than its lock file (as `npm ci` leaves
    node_modules/.package-lock.json); None, or why it failed."""
    modules = Path(directory) / "node_modules"
    installed = modules / ".package-lock.json"
    lock = Path(directory) / "package-lock.json"
    if (modules / marker).is_file() and installed.is_file() \
            and installed.stat().st_mtime >= lock.stat().st_mtime:
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed (needed for `%s`)" % command
    print(command, file=out)
    out.flush()
    done = subprocess.run([npm, "ci", "--prefix", str(directory)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0 or not (modules / marker).is_file():
        tail = done.stdout.decode("utf-8", "replace").strip().splitlines()[-1:]
        return "`%s` failed%s" % (command, (": " + tail[0]) if tail else "")
    return None


def setup():
    """make firmware-setup: the toolchains, and the rp2040 emulator's node
    modules (npm ci) when they are missing or older than its lock file."""
    ensure_toolchain("rp2")
    ensure_toolchain("unix32")
    from tools.emulated_board import ensure_emulator
    ensure_emulator()


# ------------------------------------------------------------- the tree

def micropython_tree():
    """The cached copy of MICROPY_DIR (keyed by its UPSTREAM.txt) with
    mpy-cross built in it."""
    tree = cache_root() / ("micropython-" + _digest(upstream_id(), TREE_FIXES)[:16])
    done = tree / ".mote-ready"
    if done.is_file():
        return tree
    with _locked(tree.with_name(tree.name + ".lock")):
        if done.is_file():
            return tree
        if tree.exists():
            shutil.rmtree(str(tree))        # an interrupted copy or build
        _say("copying %s to %s" % (micropython_dir(), tree))
        partial = tree.with_name(tree.name + ".partial")
        if partial.exists():
            shutil.rmtree(str(partial))
        shutil.copytree(str(micropython_dir()), str(partial), symlinks=True)
        # the source may be read-only (CI); the copy is built in, so writable
        for d, dirs, files in os.walk(str(partial)):
            for name in [d] + [os.path.join(d, f) for f in files]:
                if not os.path.islink(name):
                    os.chmod(name, os.stat(name).st_mode | 0o200)
        for name, text, replacement in TREE_FIXES:
            path = partial / name
            source = path.read_text()
            if source.count(text) != 1:
                raise _error("%s is not the v1.28.0 file this tool fixes (MICROPY_DIR %s)"
                             % (name, micropython_dir()))
            path.write_text(source.replace(text, replacement))
        os.rename(str(partial), str(tree))
        _say("building mpy-cross")
        BUILD_RUNS["mpy-cross"] += 1
        _run_logged(["make", "-C", str(tree / "mpy-cross"), JOBS], tree / "mpy-cross.log")
        done.write_text("ok\n")
    return tree


def tree_mpy_cross():
    return micropython_tree() / "mpy-cross" / "build" / "mpy-cross"


# ------------------------------------------------------------- unix32

def unix32():
    """Path of a 32-bit unix-port micropython (build/unix32/micropython),
    built once per MicroPython tree and build command."""
    ensure_toolchain("unix32")
    tree = micropython_tree()
    key = _digest(FORMAT_VERSION, upstream_id(), UNIX32_ARGS, UNIX32_MANIFEST)[:16]
    work = cache_root() / ("unix32-" + key)
    exe = work / "build" / "micropython"
    done = work / ".mote-ready"
    if not done.is_file():
        with _locked(work.with_name(work.name + ".lock")):
            if not done.is_file():
                _build_unix32(tree, work)
                _check_unix32(exe)
                done.write_text("ok\n")
    return _install_file(exe, _repo_build_dir() / "unix32" / "micropython")


def _build_unix32(tree, work):
    work.mkdir(parents=True, exist_ok=True)
    manifest = work / "manifest.py"
    manifest.write_text(UNIX32_MANIFEST)
    lib = work / "mpy-lib"     # stands in for micropython-lib: nothing required from it
    lib.mkdir(exist_ok=True)
    (lib / "README.md").write_text("No micropython-lib packages: only extmod/asyncio is frozen.\n")
    log = work / "build.log"
    log.write_text("")
    _say("building the 32-bit unix port (log: %s)" % log)
    start = time.time()
    BUILD_RUNS["unix32"] += 1
    _run_logged(["make", "-C", str(tree / "ports" / "unix"), JOBS] + UNIX32_ARGS
                + ["FROZEN_MANIFEST=%s" % manifest, "MPY_LIB_DIR=%s" % lib,
                   "BUILD=%s" % (work / "build")], log)
    _say("built the 32-bit unix port in %.0f s" % (time.time() - start))


def _check_unix32(exe):
    """The build is a 32-bit x86 MicroPython that honours -X heapsize."""
    from tools.board_link import arch_of
    heap = 100 * 1024
    proc = subprocess.run(
        [str(exe), "-X", "heapsize=%d" % heap, "-c",
         "import sys, gc; print(sys.implementation._mpy, sys.maxsize, "
         "gc.mem_free() + gc.mem_alloc())"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=60)
    try:
        mpy, maxsize, total = (int(x) for x in proc.stdout.split())
    except ValueError:
        raise _error("%s does not run: %s" % (exe, proc.stdout.strip()[-200:]))
    if arch_of(mpy) != "x86" or maxsize != 2**31 - 1:
        raise _error("%s is not a 32-bit x86 build (arch %s, sys.maxsize %d)"
                     % (exe, arch_of(mpy), maxsize))
    if not heap // 2 < total <= heap:
        raise _error("%s ignores -X heapsize (asked %d, has %d)" % (exe, heap, total))


# ------------------------------------------------------------- UF2

def uf2_from_bin(data, family_id, base=FLASH_BASE):
    """A UF2 file writing `data` to flash from `base`, 256 bytes a block."""
    count = (len(data) + UF2_PAYLOAD - 1) // UF2_PAYLOAD
    blocks = []
    for n in range(count):
        chunk = data[n * UF2_PAYLOAD:(n + 1) * UF2_PAYLOAD]
        blocks.append(UF2_HEADER.pack(UF2_MAGIC_START0, UF2_MAGIC_START1, UF2_FLAG_FAMILY_ID,
                                      base + n * UF2_PAYLOAD, UF2_PAYLOAD, n, count, family_id)
                      + chunk.ljust(UF2_DATA_AREA, b"\0")
                      + struct.pack("<I", UF2_MAGIC_END))
    return b"".join(blocks)


def parse_uf2(data):
    """The blocks of a UF2 file (ValueError if it is not one)."""
    if len(data) % 512:
        raise ValueError("UF2 size %d is not a multiple of 512" % len(data))
    blocks = []
    for off in range(0, len(data), 512):
        fields = UF2_HEADER.unpack_from(data, off)
        (end,) = struct.unpack_from("<I", data, off + 508)
        if fields[:2] != (UF2_MAGIC_START0, UF2_MAGIC_START1) or end != UF2_MAGIC_END:
            raise ValueError("block %d: bad magic" % (off // 512))
        size = fields[4]
        payload = data[off + 32:off + 32 + size]
        blocks.append(Uf2Block(fields[2], fields[3], size, fields[5], fields[6], fields[7],
                               payload))
    return blocks


# ------------------------------------------------------------- frozen Mote

# Runs at boot. MicroPython runs a frozen main.py in preference to one on the
# filesystem (pyexec_file_if_exists looks for the frozen module first), so a
# user's own /main.py is started from here.
BOOT_SOURCE = """\
# Frozen boot file of the Mote image (tools/firmware_image.py). A frozen
# main.py shadows /main.py, so this one runs the user's /main.py when there
# is one, and otherwise starts Mote (firmware/main.py, frozen as %(boot)s).
import os
try:
    user_main = os.stat('/main.py')[0] & 0x8000
except OSError:
    user_main = 0
del os
if user_main:
    del user_main
    execfile('/main.py')
else:
    del user_main
    import %(boot)s
""" % {"boot": BOOT_MODULE}


def compact_library(src):
    """library.scm as the Mote image freezes it: the forms and the ';;; name'
    chunk headers as they are, without comment lines, blank lines and
    indentation (12 KB of flash; the compiled library, LIBRARY_CODE, is
    what a board runs, the text what it falls back on). A line that starts
    inside a string stays as it is (the console's balancer says where)."""
    from tools.console import scan
    out = []
    state = (0, False, 0)
    for line in src.decode("utf-8").splitlines():
        if not state[1] and not line.startswith(";;; "):
            line = line.lstrip()
            if not line or line.startswith(";"):
                continue
        out.append(line)
        state = scan(line + "\n", state)
    return ("\n".join(out) + "\n").encode("utf-8")


def motedata_source(library, help_text, board, code=None):
    """motedata.py: the data files as bytes constants (frozen, they stay in
    flash), the library compiled (LIBRARY_CODE, tools/precompile.py) and the
    board profile, which on a board otherwise is board.json."""
    return ("# Generated by tools/firmware_image.py: firmware/library.scm (and compiled), "
            "firmware/help.txt and\n# the board profile, frozen into the image.\n"
            "LIBRARY = %r\nHELP = %r\nBOARD = %r\n" % (bytes(library), bytes(help_text), board)
            + ("LIBRARY_CODE = %r\n" % bytes(code) if code else ""))


def folded_inf_nan(source, filename="<source>"):
    """(line, text) of each numeric constant expression in the Python source
    that is inf, nan or -0.0: mpy-cross folds it to one float constant, for
    which MicroPython v1.28's tools/mpy-tool.py writes invalid C (`inf`) or,
    for -0.0, `(mp_float_t)-0`: an integer zero, so the frozen value is 0.0."""
    found = []

    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = value(node.operand)
            return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult,
                                                                  ast.Div, ast.Pow)):
            a, b = value(node.left), value(node.right)
            if a is None or b is None:
                return None
            try:
                if isinstance(node.op, ast.Add):
                    return a + b
                if isinstance(node.op, ast.Sub):
                    return a - b
                if isinstance(node.op, ast.Mult):
                    return a * b
                if isinstance(node.op, ast.Div):
                    return a / b
                if isinstance(a, float) or isinstance(b, float):
                    return a ** b
            except (ArithmeticError, ValueError):
                return None
        return None

    lines = source.splitlines()
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, (ast.Constant, ast.UnaryOp, ast.BinOp)):
            v = value(node)
            if isinstance(v, float) and (math.isinf(v) or math.isnan(v)
                                         or (v == 0.0 and math.copysign(1.0, v) < 0)):
                found.append((node.lineno, lines[node.lineno - 1].strip()))
    # an expression's operands are reported once, with it
    return sorted(set(found))


def mote_sources(board, profile=None):
    """name -> bytes of every file frozen into the Mote image for `board`
    (the generated main.py and motedata.py included), from firmware/ as it
    is now; the board's profile (or `profile`) as the image uses it."""
    from tools.mote_cli import firmware_dir, image_profile, load_board
    src = firmware_dir()
    from tools.fold_consts import fold_dir, FoldError
    try:
        texts = fold_dir(src)
    except FoldError as e:
        raise _error("firmware/%s" % e)
    files = {}
    for stem in sorted(texts):
        if stem + ".py" in HOST_ONLY:
            continue
        name = BOOT_MODULE + ".py" if stem == "main" else stem + ".py"
        files[name] = texts[stem].encode("utf-8")
    if BOOT_MODULE + ".py" not in files:
        raise _error("no firmware/main.py in %s" % src)
    for name in ("library.scm", "help.txt"):
        if not (src / name).is_file():
            raise _error("no firmware/%s in %s" % (name, src))
    from tools.mote_cli import names_module, library_code
    files["motenames.py"] = names_module().encode()
    files["main.py"] = BOOT_SOURCE.encode()
    files["motedata.py"] = motedata_source(compact_library((src / "library.scm").read_bytes()),
                                           (src / "help.txt").read_bytes(),
                                           image_profile(profile or load_board(board)),
                                           library_code()).encode()
    problems = []
    for name, data in sorted(files.items()):
        shown = "main.py" if name == BOOT_MODULE + ".py" else name
        for line, text in folded_inf_nan(data.decode("utf-8"), name):
            problems.append("firmware/%s:%d: `%s`" % (shown, line, text))
    if problems:
        raise _error("%s: a constant that folds to inf, nan or -0.0 cannot be frozen (MicroPython "
                     "v1.28's mpy-tool.py writes invalid C for it, or 0.0 for -0.0); compute it at run time, "
                     "e.g. float('inf')" % "; ".join(problems))
    return files


def frozen_manifest(work, files):
    """The manifest: the port's own frozen modules, the Mote modules as
    bytecode, the native modules as the .mpy files compiled here."""
    frozen, native = work / "frozen", work / "native"
    lines = ["# Generated by tools/firmware_image.py: Mote frozen into MicroPython.",
             'include("$(PORT_DIR)/boards/manifest.py")']
    for name in sorted(files):
        stem = name[:-3]
        if stem in NATIVE_MODULES:
            lines.append('freeze_mpy("%s", "%s.mpy")' % (native, stem))
        else:
            lines.append('freeze("%s", "%s", opt=%d)' % (frozen, name, FROZEN_OPT))
    return "\n".join(lines) + "\n"


def native_flags(march):
    return ["-march=%s" % march, "-X", "emit=native", "-O%d" % FROZEN_OPT]


def _stage(work, files, march, mpy_cross):
    """Write the sources into work/frozen (a file's mtime changes only when
    its bytes do: makemanifest recompiles by mtime) and compile the native
    modules into work/native."""
    frozen, native = work / "frozen", work / "native"
    for d in (frozen, native):
        d.mkdir(parents=True, exist_ok=True)
    for p in frozen.iterdir():
        if p.name not in files:
            p.unlink()
    for name, data in files.items():
        p = frozen / name
        if not p.is_file() or p.read_bytes() != data:
            p.write_bytes(data)
    for p in native.iterdir():
        p.unlink()
    for stem in NATIVE_MODULES:
        proc = subprocess.run([str(mpy_cross)] + native_flags(march)
                              + ["-s", stem + ".py", "-o", str(native / (stem + ".mpy")),
                                 stem + ".py"],
                              cwd=str(frozen), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True)
        if proc.returncode != 0:
            raise _error("mpy-cross %s %s.py: %s" % (" ".join(native_flags(march)), stem,
                                                     proc.stdout.strip()[-300:]))


# ------------------------------------------- ports this machine cannot build

def stage_frozen(board, out_dir):
    """Everything a MicroPython build of another port (ESP32: ESP-IDF, which
    this machine cannot fetch) needs to freeze Mote in: out_dir/frozen (the
    sources, motenames, motedata with the board's profile, main.py),
    out_dir/native (the native modules compiled for the board's -march by
    the upstream tree's mpy-cross) and out_dir/manifest.py, which includes
    the port's own manifest. The profile's "firmware" sizes, else its
    "romfs" ones (measured with the code out of the heap, as frozen code
    is). Returns the manifest's path. Untested on a board: see boards/ESP32.md."""
    from tools.mote_cli import load_board
    prof = load_board(board)
    if "firmware" not in prof and "romfs" in prof:
        prof = dict(prof, firmware=prof["romfs"])
    files = mote_sources(board, prof)
    out_dir = Path(out_dir)
    _stage(out_dir, files, prof["march"], tree_mpy_cross())
    manifest = out_dir / "manifest.py"
    manifest.write_text(frozen_manifest(out_dir, files))
    return manifest


# ------------------------------------------------------------- rp2 images

def _gcc_version(compiler):
    try:
        return subprocess.run([compiler, "--version"], stdout=subprocess.PIPE,
                              universal_newlines=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return ""


def firmware_uf2(board, kind="mote"):
    """Path of build/firmware-BOARD[-stock]/firmware.uf2 for the board
    ('rp2040', 'rp2350'): kind 'mote' has Mote frozen in and boots into it,
    'stock' is plain MicroPython. firmware.bin, firmware.elf and size.txt
    lie beside it."""
    if board not in RP2_BOARDS:
        raise _error("no firmware image for board %r (known: %s)"
                     % (board, ", ".join(sorted(RP2_BOARDS))))
    if kind not in KINDS:
        raise ValueError("kind must be one of %s" % (KINDS,))
    spec = RP2_BOARDS[board]
    ensure_toolchain("rp2")
    tree = micropython_tree()
    work = tree.parent / ("rp2-" + tree.name.split("-", 1)[1]) / ("%s-%s" % (board, kind))
    files = mote_sources(board) if kind == "mote" else {}
    manifest = frozen_manifest(work, files) if kind == "mote" else ""
    if kind != "stock":
        make_args = ["BOARD_DIR=%s" % mote_board_dir(tree, work, spec["mp_board"], kind), JOBS]
    else:
        make_args = ["BOARD=%s" % spec["mp_board"], JOBS]
    image = cache_root() / "images" / ("%s-%s-%s" % (
        board, kind, image_key(spec, make_args, manifest, files)))
    if not (image / "firmware.uf2").is_file():
        with _locked(work.with_name(work.name + ".lock")):
            if not (image / "firmware.uf2").is_file():
                _build_image(tree, work, image, board, kind, spec, files, manifest, make_args)
                _prune_images(board, kind, keep=image)
    out = _repo_build_dir() / ("firmware-" + board + ("" if kind == "mote" else "-" + kind))
    for name in ("firmware.bin", "firmware.elf", "size.txt", "firmware.uf2"):
        _install_file(image / name, out / name)
    if kind == "romfs" and board in FS_OFFSET:
        end = (out / "firmware.bin").stat().st_size
        if end > romfs_offset(board):
            raise _error("the %s romfs image (%d bytes) overlaps its ROMFS partition at 0x%x"
                         % (board, end, romfs_offset(board)))
    return out / "firmware.uf2"


def mote_board_dir(tree, work, mp_board, kind="mote"):
    """work/board/MP_BOARD: the port's board MP_BOARD with MOTE_BOARD_H and
    MOTE_BOARD_CMAKE added to its mpconfigboard.h and .cmake (same name:
    the build's BOARD is it); for kind 'romfs', ROMFS_BOARD_H only."""
    src = tree / "ports" / "rp2" / "boards" / mp_board
    dest = work / "board" / mp_board
    dest.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        text = f.read_bytes()
        if f.name == "mpconfigboard.h":
            text += (MOTE_BOARD_H if kind == "mote" else ROMFS_BOARD_H).encode()
        elif f.name == "mpconfigboard.cmake" and kind == "mote":
            text += MOTE_BOARD_CMAKE.encode()
        _write_if_changed(dest / f.name, text)
    platform = "rp2040" if mp_board == "RPI_PICO" else "rp2350"
    ld = (tree / "ports" / "rp2" / ("memmap_mp_%s.ld" % platform)).read_text()
    _write_if_changed(dest / "memmap_mote.ld", mote_linker_script(ld).encode())
    return dest


def mote_linker_script(ld):
    """The port's linker script with libgcc and libm code left in flash."""
    lines = ld.splitlines(True)
    moved = 0
    for k, line in enumerate(lines):
        if "EXCLUDE_FILE(" in line and "*libgcc.a:" in line and "*libm.a:" in line:
            lines[k] = line.replace("*libgcc.a:", "").replace("*libm.a:", "")
            moved += 1
    if moved != 2:      # .text and .rodata
        raise _error("the rp2 linker script is not the v1.28.0 one this tool adapts")
    return "".join(lines)


def _write_if_changed(path, data):
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def image_key(spec, make_args, manifest, files):
    """The cache key of an image: everything that goes into it (the tree,
    the compiler, the board, the make arguments, the manifest, each frozen
    file's bytes, the native modules' flags)."""
    return _digest(FORMAT_VERSION, upstream_id(), TREE_FIXES, _gcc_version("arm-none-eabi-gcc"),
                   spec, make_args, MOTE_BOARD_H, MOTE_BOARD_CMAKE, ROMFS_BOARD_H, manifest, native_flags(spec["march"]),
                   *[part for name in sorted(files) for part in (name, files[name])])[:16]


IMAGES_KEPT = 4     # cached images per board and kind (each a few MB)


def _prune_images(board, kind, keep):
    """Forget all but the newest IMAGES_KEPT images of the board and kind."""
    images = sorted((cache_root() / "images").glob("%s-%s-*" % (board, kind)),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in images[IMAGES_KEPT:]:
        if old != keep and not old.name.endswith(".partial"):
            shutil.rmtree(str(old), ignore_errors=True)


def _build_image(tree, work, image, board, kind, spec, files, manifest, make_args):
    work.mkdir(parents=True, exist_ok=True)
    build = work / "build"
    argv = ["make", "-C", str(tree / "ports" / "rp2")] + make_args + ["BUILD=%s" % build]
    if kind == "mote":
        _stage(work, files, spec["march"], tree / "mpy-cross" / "build" / "mpy-cross")
        (work / "manifest.py").write_text(manifest)
        argv.append("FROZEN_MANIFEST=%s" % (work / "manifest.py"))
        # regenerate the frozen modules even if only the manifest changed
        # (makemanifest decides by the frozen files' mtimes alone)
        stale = build / "frozen_content.c"
        if stale.exists():
            stale.unlink()
    # CMAKE_ARGS from the environment: on make's command line it would
    # replace the rp2 Makefile's own (which carries the board and manifest).
    # No picotool (it would be downloaded): the UF2 is written here.
    env = dict(os.environ, CMAKE_ARGS="-DPICO_NO_PICOTOOL=1")
    log = work / "build.log"
    log.write_text("")
    _say("building %s (%s, %s) in %s (log: %s)" % (spec["mp_board"], board, kind, build, log))
    start = time.time()
    BUILD_RUNS["%s-%s" % (board, kind)] += 1
    _run_logged(argv, log, env=env)
    seconds = time.time() - start
    data = (build / "firmware.bin").read_bytes()
    tmp = image.with_name(image.name + ".partial")
    if tmp.exists():
        shutil.rmtree(str(tmp))
    tmp.mkdir(parents=True)
    shutil.copy2(str(build / "firmware.bin"), str(tmp / "firmware.bin"))
    shutil.copy2(str(build / "firmware.elf"), str(tmp / "firmware.elf"))
    (tmp / "size.txt").write_text(_size_report(build, board, kind, len(data), seconds))
    (tmp / "firmware.uf2").write_bytes(uf2_from_bin(data, spec["family"]))
    if image.exists():
        shutil.rmtree(str(image))
    os.rename(str(tmp), str(image))
    _say("built %s %s in %.0f s: firmware.bin %d bytes" % (board, kind, seconds, len(data)))


def _size_report(build, board, kind, bin_size, seconds):
    """size.txt: the ELF's sections, the frozen content's size (from
    mpy-tool's summary) and each frozen module's .mpy size."""
    lines = ["%s (%s): firmware.bin %d bytes, built in %.0f s" % (board, kind, bin_size, seconds)]
    try:
        lines.append(subprocess.run(["arm-none-eabi-size", str(build / "firmware.elf")],
                                    stdout=subprocess.PIPE, universal_newlines=True).stdout.rstrip())
    except OSError:
        pass
    content = build / "frozen_content.c"
    mpys = []
    if content.is_file():
        for line in content.read_text(errors="replace").splitlines():
            if line.startswith("total: "):
                lines.append("frozen content (mpy-tool total): %s bytes" % line.split()[1])
            elif line.startswith("// - original source file: "):
                mpys.append(Path(line.split(": ", 1)[1]))
    lines.append("frozen .mpy files:")
    for p in sorted(set(mpys)):
        if p.is_file():
            shown = p.relative_to(build.parent) if build.parent in p.parents else p
            lines.append("  %7d  %s" % (p.stat().st_size, shown))
    return "\n".join(lines) + "\n"
