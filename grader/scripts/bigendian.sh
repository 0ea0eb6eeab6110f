#!/usr/bin/env bash
# bigendian.sh - lesson 01, Task 1 on a big-endian machine. Builds the
# checker lessons/01-addressing/bigendian/check.c with IMPL's
# addressing.c for s390x (static), runs it under qemu-s390x, and says
# whether the four byte-order conversions put the bytes where big-endian
# needs them. On a little-endian host a plain byte swap passes every test
# of the lesson; on s390x htons() does nothing, and such a swap fails.
#
#   grader/scripts/bigendian.sh IMPL        IMPL: skeletons or solutions
#   grader/scripts/bigendian.sh DIR         DIR/01-addressing/addressing.c, e.g.
#                                           a fixture with a planted byte swap
#
# Prints the checker's lines (one per failure, then "N passed, N failed").
# Exit 0: every check passed, or the tools are missing (then one line
# names the Debian packages that enable it, and says "skipped"); 1: a
# check failed, the code does not build for s390x, or the run timed out;
# 2: bad usage.
# Environment: BUILD (build), CROSS_CC (s390x-linux-gnu-gcc), QEMU
# (qemu-s390x, else qemu-s390x-static), TIMEOUT (seconds for the run, 60).
set -u
proj=$(cd "$(dirname "$0")/../.." && pwd)
# A folder given by path is found from where we were called.
arg=${1:-}
case $arg in
    skeletons|solutions|-*|"") ;;
    *) [ -d "$arg" ] && arg=$(cd "$arg" && pwd) ;;
esac
cd "$proj" || exit 2
. grader/scripts/lib.sh
: "${BUILD:=build}" "${CROSS_CC:=s390x-linux-gnu-gcc}" "${TIMEOUT:=60}"
lesson=01-addressing
trap 'stop_by_signal 2' INT
trap 'stop_by_signal 15' TERM

usage() {
    echo "usage: grader/scripts/bigendian.sh skeletons|solutions|DIR" >&2
    echo "  runs Task 1 of lesson $lesson on s390x (big-endian) under qemu" >&2
    exit 2
}
[ $# = 1 ] || usage
case $arg in
    -h|--help) usage ;;
    skeletons|solutions) impl=$arg name=$arg ;;
    /*) [ -f "$arg/$lesson/addressing.c" ] || { echo "socklab: bigendian: $1 holds no $lesson/addressing.c" >&2; usage; }
        impl=$arg name=other-$(printf %s "$arg" | cksum | cut -d' ' -f1) ;;
    *) echo "socklab: bigendian: unknown IMPL '$1'" >&2; usage ;;
esac
[ -f "$impl/$lesson/addressing.c" ] || die 1 "bigendian: $impl/$lesson/addressing.c: no such file"

# ---- the tools: a cross compiler with its C library, and qemu ---------------
if [ -z "${QEMU:-}" ]; then
    QEMU=qemu-s390x
    command -v "$QEMU" >/dev/null 2>&1 || QEMU=qemu-s390x-static
fi
missing=""
command -v "$CROSS_CC" >/dev/null 2>&1 || missing="$missing gcc-s390x-linux-gnu"
[ -e /usr/s390x-linux-gnu/include/stdio.h ] || missing="$missing libc6-dev-s390x-cross"
command -v "$QEMU" >/dev/null 2>&1 || missing="$missing qemu-user"
if [ -n "$missing" ]; then
    echo "socklab: bigendian: skipped: needs${missing} (apt-get install -y${missing})"
    exit 0
fi

# ---- build -------------------------------------------------------------------
out=$BUILD/bigendian/$name
mkdir -p "$out"
bin=$out/check
log=$out/build.log
if ! "$CROSS_CC" -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g \
    -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
    -Igrader/include -I"lessons/$lesson" -I"$impl/$lesson" -static -o "$bin" \
    "lessons/$lesson/bigendian/check.c" "$impl/$lesson/addressing.c" grader/todo/todo.c \
    >"$log" 2>&1; then
    cat "$log"
    die 1 "bigendian: $impl/$lesson/addressing.c does not build for s390x with $CROSS_CC (see above)"
fi

# ---- run -----------------------------------------------------------------------
echo "socklab: bigendian: Task 1 of $impl/$lesson on s390x (big-endian), under $QEMU"
run_signalled timeout --kill-after=5 "$TIMEOUT" "$QEMU" "$bin"
rc=$?
case $rc in
    0) exit 0 ;;
    1) exit 1 ;;
    124|137) die 1 "bigendian: the checker ran for more than ${TIMEOUT}s: stopped (a loop that never ends?)" ;;
    *) die 1 "bigendian: the checker ended with status $rc under $QEMU" ;;
esac
