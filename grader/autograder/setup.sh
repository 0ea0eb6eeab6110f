#!/usr/bin/env bash
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder's image (Ubuntu 22.04, its default base image). It installs
# the Debian packages the grader needs, builds the grader and the lessons'
# tests (hidden ones included) ahead of time, and grades the skeletons once:
# a problem shows here, when the bundle is uploaded, and each submission
# then builds only the student's code.
#   SOCKLAB_AUTOGRADER_ROOT=DIR   the autograder's folder (default /autograder)
#   SOCKLAB_AUTOGRADER_NO_APT=1   never run apt-get: stop if a package is missing
# Run by sh rather than by its #! line: bash it is all the same.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
root=${SOCKLAB_AUTOGRADER_ROOT:-/autograder}
src=$root/source
tree=$src/socklab
say() { echo "socklab setup: $*"; }
fail() { echo "socklab setup: $*" >&2; exit 1; }
[ -f "$src/autograder.conf" ] && [ -f "$src/common.sh" ] && [ -f "$tree/Makefile" ] ||
    fail "no autograder bundle in $src (autograder.conf, common.sh, socklab/): is SOCKLAB_AUTOGRADER_ROOT right?"
. "$src/common.sh"
. "$src/autograder.conf"
ag_clean_env
ag_fix_modes "$tree"

# CUnit is in Ubuntu's universe component: an image whose sources lack it
# gets it added (one-line sources.list entries, or deb822 .sources files).
add_universe() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] && sed -i -E '/^deb[[:space:]]/{/[[:space:]]universe([[:space:]]|$)/!s/[[:space:]]main([[:space:]]|$)/ main universe\1/}' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && sed -i -E '/^Components:/{/universe/!s/$/ universe/}' "$f"
    done
    return 0
}

# What the grader needs and this machine lacks, as deps.sh knows it:
# gcc, make, libc6-dev, libcunit1-dev, libjansson-dev (all in Ubuntu 22.04).
missing=$(bash "$tree/grader/scripts/deps.sh" check build)
if [ -n "$missing" ]; then
    [ "${SOCKLAB_AUTOGRADER_NO_APT:-}" = 1 ] && fail "missing packages: $missing (and SOCKLAB_AUTOGRADER_NO_APT=1)"
    [ "$(id -u)" = 0 ] || fail "missing packages: $missing: installing them needs root"
    say "installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || fail "apt-get update failed"
    if ! apt-cache policy libcunit1-dev 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        add_universe && apt-get update -qq
    fi
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing || fail "apt-get could not install: $missing"
    missing=$(bash "$tree/grader/scripts/deps.sh" check build)
    [ -z "$missing" ] || fail "still missing after apt-get: $missing"
fi

cd "$tree" || fail "cannot enter $tree"
mkdir -p build
ag_sanitizers build
[ -n "$AG_SAN_NOTE" ] && say "note: $AG_SAN_NOTE"
say "building the grader and the tests of $SOCKLAB_LESSONS"
"${AG_WRAP[@]}" make -s --no-print-directory build IMPL=skeletons LESSON="$SOCKLAB_LESSONS" ${AG_SAN:+SAN=$AG_SAN} ||
    fail "the grader or the lessons' tests do not build (see above)"

# The skeletons as handed out must build and score 0: this proves the
# image can grade (sandbox, sanitizers) before any student submits.
say "grading the skeletons once: they must build and score 0"
"${AG_WRAP[@]}" make -s --no-print-directory grade LESSON="$SOCKLAB_LESSONS" EXPECT=zero JOBS=1 QUIET=1 \
    FORMAT=tsv OUT="$tree/build/setup-skeletons.tsv" ${AG_SAN:+SAN=$AG_SAN} ||
    fail "the skeletons do not grade to 0 here (see above, and $tree/build/skeletons/logs/)"
note=$(grep -h -m1 'note:' build/skeletons/logs/*.run.log 2>/dev/null | head -n 1)
[ -n "$note" ] && say "${note/#sl-run: /}"

# How long a submission may take: every test running into its timeout.
total=0
for lesson in $SOCKLAB_LESSONS; do
    s=$(ag_worst_case "build/meta/$lesson")
    total=$((total + ${s:-0}))
done
say "a submission whose every test times out takes about $total s to grade (one test at a time); this bundle allows itself $SOCKLAB_BUDGET s"
[ "$total" -gt "$SOCKLAB_BUDGET" ] &&
    say "note: such a submission gets the lessons graded in time, and the others not (make one assignment per lesson, or raise the assignment's timeout and rebuild with SOCKLAB_AUTOGRADER_BUDGET)"
say "ready"
exit 0
