#!/usr/bin/env bash
# run.sh - proves that grader/scripts/check.sh (make check) catches every
# problem it looks for. It lints the fixture lesson next to this script,
# lessons/99-broken, which has one planted problem of each kind (each
# marked PLANTED in its file), and checks that each is reported as one line
# naming its file and line, and nothing else; then that the real lesson 01
# is clean. One line per check; ends with "N passed, N failed", exit 1 if
# any failed.
#
#   grader/selftest/lint/run.sh        (from anywhere; BUILD, MAKE as for make)
set -u
here=grader/selftest/lint
cd "$(dirname "$0")/../../.." || exit 2
: "${BUILD:=build}" "${MAKE:=make}"
export BUILD MAKE
lesson=$here/lessons/99-broken
tests=$lesson/tests
skel=$here/skeletons/99-broken
out=$(mktemp)
trap 'rm -f "$out" "$out.matched"' EXIT
: >"$out.matched"
passed=0 failed=0

ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {
    failed=$((failed + 1))
    printf '  FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/        | /'
}

# The line of FILE where TEXT first appears: line numbers are read from the
# fixture, so editing it does not break this script.
line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }

# expect WHAT FILE TEXT-IN-FILE WORDS: check.sh printed a line that starts
# with FILE:LINE (LINE: where TEXT-IN-FILE is) and holds WORDS.
expect() {
    local what=$1 at=$2:$(line_of "$2" "$3") words=$4 hit
    hit=$(grep -n -F -- "$at: " "$out" | grep -F -- "$words" | head -n 1)
    if [ -n "$hit" ]; then
        echo "${hit%%:*}" >>"$out.matched"
        ok "$what"
    else
        fail "$what: no line '$at: ...$words...'" \
            "$(grep -F -- "$2" "$out" || echo "(no line names $2)")"
    fi
}

echo "socklab: lint self-test"

# ---- the broken fixture -------------------------------------------------------
grader/scripts/check.sh --root "$here" >"$out" 2>&1
rc=$?
[ "$rc" = 1 ] && ok "a lesson with problems: exit status 1" ||
    fail "a lesson with problems: exit status $rc, not 1" "$(cat "$out")"

expect "duplicate test name across files" "$tests/test1b_add_more.c" "SL_TEST(add_small" \
    "has the name of the test at $tests/test1_add.c:$(line_of "$tests/test1_add.c" "SL_TEST(add_small")"
expect "a test worth 0 points" "$tests/test1_add.c" "SL_TEST(add_zero_points" "worth 0 points"
expect "a test with a blank hint" "$tests/test1_add.c" "SL_TEST(add_no_hint" "has no hint"
expect "SL_TASK of a task the README lacks" "$tests/test7_ghost.c" "SL_TASK(" "task 7 is not in"
expect "SL_TASK title unlike the README's" "$tests/test1b_add_more.c" "SL_TASK(" \
    "SL_TASK(1, \"Addition\") does not match"
expect "a README task with no tests" "$lesson/README.md" "### Task 5" "Task 5 has no tests"
expect "a header group titled unlike the README" "$lesson/broken.h" "@name Task 2" "does not match"
expect "a header group the README lacks" "$lesson/broken.h" "@name Task 4" "is not in"
expect "a skeleton function with no TODO() (one in a comment only)" "$skel/broken.c" \
    "int brk_sub(" "brk_sub() has no TODO()"
expect "a header function the skeleton does not define" "$lesson/broken.h" "int brk_div(" \
    "brk_div() is defined in no"
expect "a header function no test calls" "$lesson/broken.h" "int brk_mul(" "no test calls brk_mul()"
expect "a SL_TASK_PROGRAMS file that calls the header" "$tests/test3_serve.c" "brk_add(" \
    "calls brk_add()"
expect "a program with no main file in the skeleton" "$lesson/lesson.mk" "    brk-client" \
    "$skel/brk-client.c"

# Every other line would be a false alarm: Task 3 (programs only) needs no
# header group, brk_add() and brk_neg() are clean.
extra=$(grep -n . "$out" | grep -v -F 'socklab: check: 99-broken:' |
        grep -v -E "^($(sort -u "$out.matched" | paste -sd'|'))(:|$)")
[ -z "$extra" ] && ok "nothing else reported" || fail "unexpected lines" "$extra"
n=$(grep -c -v '^socklab: check: ' "$out")
grep -qx "socklab: check: 99-broken: $n problems" "$out" && ok "the summary counts the $n problems" ||
    fail "no line 'socklab: check: 99-broken: $n problems'" "$(grep '^socklab: check: ' "$out")"

# ---- usage ---------------------------------------------------------------------
grader/scripts/check.sh --no-such-option >"$out" 2>&1
rc=$?
[ "$rc" = 2 ] && ok "bad usage: exit status 2" || fail "bad usage: exit status $rc, not 2" "$(cat "$out")"
grader/scripts/check.sh --root "$here" 42-nothing >"$out" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q "unknown lesson '42-nothing'" "$out" && ok "an unknown lesson: exit status 2" ||
    fail "an unknown lesson: exit status $rc, not 2" "$(cat "$out")"

# ---- the real lesson 01 ----------------------------------------------------------
grader/scripts/check.sh 01-addressing >"$out" 2>&1
rc=$?
[ "$rc" = 0 ] && grep -q '^socklab: check: 01-addressing: ok ([0-9]* tests, [0-9]* points)$' "$out" &&
    ok "lesson 01 is clean: $(sed -n 's/.*: ok (\(.*\))$/\1/p' "$out")" ||
    fail "lesson 01 is not clean (exit status $rc)" "$(cat "$out")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
