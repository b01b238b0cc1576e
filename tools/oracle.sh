#!/bin/sh
# Regenerate host_tests/corpus/NAME.out from NAME.scm using GNU Guile,
# which is the reference ("oracle") for the expected output.
#
# Usage: tools/oracle.sh [--check] [FILE.scm ...]
#   (no args)   regenerate every .out in host_tests/corpus
#   --check     do not write anything; report .out files that differ
#   FILE.scm    only process the given files
# Only Guile's stdout goes into a .out file.  If Guile writes anything to
# stderr (warnings, errors) or exits non-zero, the .out is left untouched
# and the script fails.

set -u

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
corpus="$here/../host_tests/corpus"

GUILE=${GUILE:-guile}
if ! command -v "$GUILE" >/dev/null 2>&1; then
    echo "oracle.sh: '$GUILE' not found; install GNU Guile 3 (e.g. apt-get install guile-3.0)" >&2
    exit 2
fi

check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi

if [ $# -eq 0 ]; then
    set -- "$corpus"/*.scm
fi

# Keep Guile quiet and deterministic: no auto-compilation (and so no
# "compiling ..." notes), no deprecation warnings, the C locale in UTF-8
# (a program may print non-ASCII text: Mote's strings are UTF-8).
GUILE_AUTO_COMPILE=0
GUILE_WARN_DEPRECATED=no
LC_ALL=C.UTF-8
export GUILE_AUTO_COMPILE GUILE_WARN_DEPRECATED LC_ALL

tmp_out=$(mktemp) || exit 2
tmp_err=$(mktemp) || exit 2
trap 'rm -f "$tmp_out" "$tmp_err"' EXIT INT TERM

status=0
count=0
for scm in "$@"; do
    if [ ! -f "$scm" ]; then
        echo "oracle.sh: no such file: $scm" >&2
        status=1
        continue
    fi
    out="${scm%.scm}.out"
    # Mote-only programs (behaviour Guile does not define, or defines
    # differently) keep a hand-written .out: their first line says so.
    if head -n 1 "$scm" | grep -q '^;; mote-only'; then
        continue
    fi
    "$GUILE" -q --no-auto-compile -s "$scm" >"$tmp_out" 2>"$tmp_err" </dev/null
    rc=$?
    if [ $rc -ne 0 ] || [ -s "$tmp_err" ]; then
        echo "oracle.sh: $scm: guile exit status $rc, stderr:" >&2
        sed 's/^/    /' "$tmp_err" >&2
        status=1
        continue
    fi
    if [ $check -eq 1 ]; then
        if ! cmp -s "$tmp_out" "$out"; then
            echo "oracle.sh: $out is out of date" >&2
            status=1
        fi
    else
        cp "$tmp_out" "$out"
    fi
    count=$((count + 1))
done

if [ $check -eq 1 ]; then
    echo "oracle.sh: checked $count file(s)"
else
    echo "oracle.sh: wrote $count .out file(s)"
fi
exit $status
