#!/usr/bin/env bash
# simulate.sh - make autograder's Gradescope bundle, tried without
# Gradescope. It builds a bundle (with the example hidden test of
# grader/selftest/hidden), unpacks it into a fake /autograder in a
# temporary folder, runs its setup.sh (without apt-get: this machine has the
# packages) and then its run_autograder on several submissions, and checks
# each results.json: valid, the right score, hidden tests hidden.
#
#   grader/autograder/simulate.sh        from the top of the tree
#
#   LESSON=..   the lessons to bundle, as for make (default: all of them;
#               the hidden-test check needs lesson 01)
#   KEEP=1      keep the temporary folder, and say where it is
#   MAKE, CC, BUILD as for make
#
# Prints one line per check and ends with "N passed, N failed"; exits 1 if
# a check failed. As root, the tests run under uids of their own, as on
# Gradescope; it runs as an unprivileged user too.
set -u
: "${MAKE:=make}" "${CC:=cc}" "${BUILD:=build}" "${LESSON:=}" "${KEEP:=}"
export NO_COLOR=1
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-autograder.XXXXXX") || exit 1
logs=$tmp/logs
mkdir -p "$logs"
finish() {
    if [ -n "$KEEP" ]; then echo "  note  kept $tmp"; else rm -rf "$tmp"; fi
}
trap finish EXIT

ok()   { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {
    failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 25 "$2" | sed 's/^/        | /'
    return 0
}
note() { printf '  note  %s\n' "$1"; }
# check NAME LOG COMMAND...: the command's success is the check's.
check() {
    local name=$1 log=$2
    shift 2
    if "$@" >"$log" 2>&1; then ok "$name"; else fail "$name" "$log"; fi
}
done_now() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
    exit
}

# ---- a checker of results.json, with jansson (no python3 or jq needed) --------------
checker=$tmp/results-check
check "the results.json checker builds (jansson)" "$logs/checker.log" \
    $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Werror \
    grader/autograder/results-check.c -o "$checker" -ljansson
[ -x "$checker" ] || done_now

# ---- the bundle ------------------------------------------------------------------------
zip=$tmp/autograder.zip
check "make autograder writes the bundle" "$logs/bundle.log" \
    $MAKE --no-print-directory autograder ${LESSON:+LESSON="$LESSON"} HIDDEN=grader/selftest/hidden \
    BUILD="$BUILD" OUT="$zip"
[ -s "$zip" ] || done_now

# ---- a fake /autograder -----------------------------------------------------------
ag=$tmp/autograder
mkdir -p "$ag/source"
if command -v unzip >/dev/null 2>&1; then
    check "the bundle unpacks (unzip)" "$logs/unzip.log" unzip -q "$zip" -d "$ag/source"
elif command -v python3 >/dev/null 2>&1; then
    check "the bundle unpacks (python3 zipfile)" "$logs/unzip.log" python3 -m zipfile -e "$zip" "$ag/source"
else
    check "the bundle unpacks (sl-zip -x: no unzip or python3 here)" "$logs/unzip.log" \
        "$BUILD/autograder/sl-zip" -x "$zip" "$ag/source"
fi
lessons=$(sed -n 's/^SOCKLAB_LESSONS="\(.*\)"$/\1/p' "$ag/source/autograder.conf" 2>/dev/null)
[ -n "$lessons" ] || { fail "the bundle has no autograder.conf naming its lessons" "$logs/unzip.log"; done_now; }
list=$tmp/list.txt
"$BUILD/autograder/sl-zip" -l "$zip" >"$list" 2>"$logs/list.log"
root_script() { awk -v f="$1" '$3 == f && $1 ~ /^0?[7531]/ { found = 1 } END { exit !found }' "$list"; }
if root_script setup.sh && root_script run_autograder; then
    ok "the bundle has setup.sh and run_autograder at its root, executable"
else
    fail "the bundle has no executable setup.sh and run_autograder at its root" "$list"
fi
if awk '$3 ~ /^socklab\/(solutions|build|\.git)\// { bad = 1 } END { exit bad }' "$list" &&
    grep -q 'no solutions' "$logs/bundle.log"; then
    ok "the bundle holds the teacher's tree without solutions/ and build/"
else
    fail "the bundle holds solutions/, build/ or .git/" "$list"
fi
hidden_in=0
case " $lessons " in *" 01-addressing "*)
    hidden_in=1
    if awk '$3 ~ /^socklab\/hidden\/01-addressing\/.*\.c$/ { found = 1 } END { exit !found }' "$list"; then
        ok "the bundle holds the hidden tests (hidden/01-addressing/)"
    else
        fail "the bundle lacks the hidden tests of HIDDEN=grader/selftest/hidden" "$list"
    fi ;;
*) note "lesson 01 is not in this bundle: the hidden-test checks are skipped" ;;
esac

# An unpacker that drops the modes: setup.sh and run_autograder restore them.
find "$ag/source/socklab" -type f -perm -u+x -exec chmod a-x {} +
cp "$ag/source/run_autograder" "$ag/run_autograder" && chmod 755 "$ag/run_autograder"
export SOCKLAB_AUTOGRADER_ROOT=$ag
check "setup.sh (no apt-get) builds the grader and the tests, and grades the skeletons to 0" \
    "$logs/setup.log" env SOCKLAB_AUTOGRADER_NO_APT=1 bash "$ag/source/setup.sh"
if [ -x "$ag/source/socklab/grader/scripts/grade.sh" ]; then
    ok "setup.sh makes the scripts executable again (an unzip that drops modes)"
else
    fail "setup.sh leaves grader/scripts/grade.sh not executable" "$logs/setup.log"
fi

# Where sanitized programs crash at random (high-entropy ASLR), the bundle
# grades with ASLR off, or else without sanitizers: stand-ins for the
# compiler make probe programs that fail unless ASLR is off, or always.
mkdir -p "$tmp/probe"
printf '#!/bin/sh\nout=; while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done\nprintf "%%s\\n" "$PROG" | %s -x c - -o "$out"\n' \
    "$CC" >"$tmp/probe/cc"
chmod +x "$tmp/probe/cc"
aslr_off='#include <stdio.h>
int main(void) { unsigned p = 0; FILE *f = fopen("/proc/self/personality", "r");
  return f && fscanf(f, "%x", &p) == 1 && (p & 0x0040000) ? 0 : 1; }'
probe() { (. "$ag/source/common.sh"; CC=$tmp/probe/cc PROG=$1 ag_sanitizers "$tmp/probe"; echo "${AG_WRAP[*]:-}|${AG_SAN:-}"); }
want_wrap="setarch $(uname -m) -R|"
setarch "$(uname -m)" -R true 2>/dev/null || want_wrap="|none"
got1=$(probe "$aslr_off" 2>&1) got2=$(probe 'int main(void) { return 1; }' 2>&1)
if [ "$got1" = "$want_wrap" ] && [ "$got2" = "|none" ]; then
    ok "sanitized programs that crash at start-up: graded with ASLR off, else without sanitizers"
else
    echo "with ASLR off: '$got1' (want '$want_wrap'); never: '$got2' (want '|none')" >"$logs/probe.log"
    fail "the sanitizer probe of common.sh" "$logs/probe.log"
fi

# What the lessons are worth, from their listings as setup.sh built them.
max=0 ntests=0 nhidden=0
declare -A points
for l in $lessons; do
    read -r p n h < <("$ag/source/socklab/build/meta/$l" --sl-list 2>/dev/null |
        awk -F'\t' 'NF == 11 { p += $2; n++; h += ($11 == 1) } END { print p + 0, n + 0, h + 0 }')
    points[$l]=$p
    max=$((max + p)) ntests=$((ntests + n)) nhidden=$((nhidden + h))
done
[ "$ntests" -gt 0 ] || { fail "the bundle's lessons list no tests" "$logs/setup.log"; done_now; }
[ "$hidden_in" = 1 ] && [ "$nhidden" = 0 ] && fail "the hidden test is not among lesson 01's tests" "$logs/setup.log"

# ---- submissions ------------------------------------------------------------------
. "$(dirname "$0")/../scripts/lib.sh"  # have_git, reference_into
# tree_into DIR: the tree as committed (without solutions/), as a student has it.
tree_into() {
    mkdir -p "$1"
    if have_git; then
        git archive --format=tar HEAD -- . ':(exclude)solutions' ':(exclude).ci' | tar -C "$1" -xf -
    else
        tar -C . --exclude=./build --exclude=./solutions --exclude=./.git -cf - . | tar -C "$1" -xf -
    fi
}
# grade_submission KEY: run_autograder on $ag/submission; sets rc, secs, res
# (the checker's line, empty if results.json is not valid) and out (its stdout).
grade_submission() {
    local key=$1 t0
    rm -rf "$ag/results" "$ag/work"
    t0=$(date +%s)
    timeout 1200 "$ag/run_autograder" >"$logs/$key.out" 2>"$logs/$key.err"
    rc=$?
    secs=$(($(date +%s) - t0))
    res=$("$checker" "$ag/results/results.json" 2>"$logs/$key.check") || res=
    cp "$ag/results/results.json" "$logs/$key.json" 2>/dev/null
    cat "$logs/$key.err" >>"$logs/$key.out"
}
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$res"; }
new_submission() { rm -rf "$ag/submission"; mkdir -p "$ag/submission"; }

if [ -d solutions ]; then
    # The reference, as a whole hand-out in a top folder (an unpacked make dist).
    new_submission
    tree_into "$ag/submission/socklab"
    for l in $lessons; do
        rm -rf "$ag/submission/socklab/skeletons/$l"
        reference_into "$l" "$ag/submission/socklab/skeletons/$l"
    done
    grade_submission reference
    if [ "$rc" = 0 ] && [ -n "$res" ] && [ "$(field score)" = "$max" ] && [ "$(field max_score)" = "$max" ] &&
        [ "$(field tests)" = "$ntests" ] && [ "$(field failed)" = 0 ]; then
        ok "the reference solutions (a whole tree) get full marks: $max/$max points, $ntests tests, in $secs s"
    else
        fail "the reference solutions: exit $rc, ${res:-no valid results.json} (want score=$max max_score=$max tests=$ntests)" \
            "$logs/reference.out"
    fi
    if [ "$hidden_in" = 1 ]; then
        if [ -n "$res" ] && [ "$(field after_due_date)" = "$nhidden" ] && [ "$(field other)" = 0 ] &&
            [ "$(field visible)" = "$((ntests - nhidden))" ]; then
            ok "hidden tests are marked after_due_date ($nhidden), every other test visible"
        else
            fail "hidden tests: ${res:-no valid results.json} (want after_due_date=$nhidden)" "$logs/reference.check"
        fi
    fi
    budget=$(sed -n 's/^SOCKLAB_BUDGET=//p' "$ag/source/autograder.conf")
    if [ "$secs" -le "${budget:-540}" ]; then
        ok "the reference is graded within the bundle's budget ($secs s of ${budget:-540} s)"
    else
        fail "the reference took $secs s, over the bundle's budget of ${budget:-540} s" "$logs/reference.out"
    fi
else
    note "no solutions/ here (a hand-out): the full-marks checks are skipped"
fi

# The skeletons as handed out, in a whole repository at the top whose own
# Makefile, lessons/ and grader/ claim full marks: they must not be used.
new_submission
tree_into "$ag/submission"
printf 'grade:\n\t@echo "{\\"score\\": 999, \\"tests\\": []}" > $(SOCKLAB_AUTOGRADER_ROOT)/results/results.json\n' \
    >"$ag/submission/Makefile"
printf '#!/bin/sh\necho "{\\"score\\": 999, \\"tests\\": []}" > "$SOCKLAB_AUTOGRADER_ROOT/results/results.json"\n' \
    >"$ag/submission/grader/scripts/grade.sh"
for l in $lessons; do
    rm -f "$ag/submission/lessons/$l/tests/"*.c
done
grade_submission skeleton
if [ "$rc" = 0 ] && [ -n "$res" ] && [ "$(field score)" = 0 ] && [ "$(field max_score)" = "$max" ] &&
    [ "$(field tests)" = "$ntests" ] && [ "$(field failed)" = "$ntests" ]; then
    ok "untouched skeletons score 0/$max, the submission's own Makefile, lessons/ and grader/ unused"
else
    fail "the skeletons: exit $rc, ${res:-no valid results.json} (want score=0 max_score=$max tests=$ntests)" \
        "$logs/skeleton.out"
fi

# One lesson's folder alone at the top: that lesson is graded as submitted,
# the others as handed out.
first=${lessons%% *}
if [ -d solutions ]; then
    new_submission
    reference_into "$first" "$ag/submission/$first"
    grade_submission folder
    if [ "$rc" = 0 ] && [ -n "$res" ] && [ "$(field score)" = "${points[$first]}" ] &&
        [ "$(field max_score)" = "$max" ] && { [ "$first" = "$lessons" ] || grep -q 'graded as handed out' "$logs/folder.out"; }; then
        ok "a lone $first/ folder is graded: ${points[$first]}/$max points, the other lessons as handed out"
    else
        fail "a lone $first/ folder: exit $rc, ${res:-no valid results.json} (want score=${points[$first]})" "$logs/folder.out"
    fi
fi

# Nothing to grade: a results.json all the same, saying what to submit.
new_submission
echo "my homework" >"$ag/submission/notes.txt"
grade_submission empty
if [ -n "$res" ] && [ "$(field score)" = 0 ] && [ "$(field tests)" = 0 ] && grep -q 'No lesson folder' "$logs/empty.json"; then
    ok "a submission with no lesson folder gets a results.json that says what to submit"
else
    fail "a submission with no lesson folder: exit $rc, ${res:-no valid results.json}" "$logs/empty.out"
fi

# No process of the gradings outlives them (programs run from the tree, or
# from the private copies the grader makes as root).
left=
for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    case $exe in "$ag"/* | /tmp/socklab-run-*) left="$left ${p#/proc/}:$exe" ;; esac
done
if [ -z "$left" ]; then ok "no process of the gradings is left"; else fail "processes left:$left"; fi

done_now
