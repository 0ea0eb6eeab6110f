#!/usr/bin/env bash
# test.sh - the project's own tests (make test). Each check prints one line;
# the run ends with "N passed, N failed" (the grader's self-tests count one
# each) and exits 1 if anything failed.
set -u
: "${BUILD:=build}" "${MAKE:=make}" "${LESSONS:=}"
export NO_COLOR=1
logs=$BUILD/test-logs
mkdir -p "$logs"
passed=0 failed=0

ok()   { passed=$((passed + ${2:-1})); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + ${2:-1})); printf '  FAIL  %s (log: %s)\n' "$1" "$3"; tail -n 30 "$3" | sed 's/^/        | /'; }

# check NAME LOG COMMAND...: one check, its output kept in LOG.
check() {
    local name=$1 log=$logs/$2.log
    shift 2
    if timeout 600 "$@" >"$log" 2>&1; then ok "$name" 1 "$log"; else fail "$name" 1 "$log"; fi
}

# Counts "status": lines of raw results files that say pass, and the rest.
count_results() {
    local p t
    p=$(cat "$@" | grep -c '^      "status": "pass"')
    t=$(cat "$@" | grep -c '^      "status": ')
    echo "$p $((t - p))"
}

have_solutions() { [ -d solutions ]; }

targets() {  # everything one build must produce, for IMPLs $*
    local t="grader $1/grader/selftest $1/grader/fixtures" l i
    shift
    for i in "$@"; do for l in $LESSONS; do t="$t lesson-$l-$i"; done; done
    echo "$t"
}

impls="skeletons"
have_solutions && impls="skeletons solutions"

echo "socklab: make test"
check "build with ${CC:-cc} (-Werror): grader, $impls" build-gcc \
    $MAKE --no-print-directory BUILD="$BUILD" $(targets "$BUILD" $impls)
if command -v clang >/dev/null 2>&1; then
    check "build with clang (-Werror): grader, $impls" build-clang \
        $MAKE --no-print-directory CC=clang BUILD="$BUILD/clang" $(targets "$BUILD/clang" $impls)
else
    echo "  skip  build with clang: clang is not installed (sudo apt-get install -y clang)"
fi

# The grader's self-tests: run by the grader itself, one process each.
st=$BUILD/test-results/selftest.json
mkdir -p "$(dirname "$st")"
rm -f "$st"
timeout 300 "$BUILD/grader/selftest" -l selftest -i grader -o "$st" >"$logs/selftest.log" 2>&1
if [ -s "$st" ]; then
    read -r p f < <(count_results "$st")
    "$BUILD/grader/sl-report" --color never "$st" >"$logs/selftest.txt" 2>&1
    [ "$f" = 0 ] && ok "grader self-tests: $p passed" "$p" ||
        { passed=$((passed + p)); fail "grader self-tests: $f of $((p + f)) failed" "$f" "$logs/selftest.txt"; }
else
    fail "grader self-tests did not run" 1 "$logs/selftest.log"
fi

# grade LABEL KEY BUILD IMPL EXPECT [make args]: every lesson of IMPL as expected.
grade() {
    local label=$1 key=$2 build=$3 impl=$4 expect=$5 l what
    shift 5
    what='builds, scores 0'
    [ "$expect" = full ] && what='full marks'
    [ -z "$expect" ] && what='builds and grades'
    for l in $LESSONS; do
        check "$label: $l $what" "$key-$l" env BUILD="$build" IMPL="$impl" \
            LESSONS="$l" EXPECT="$expect" FORMAT=text QUIET=1 MAKE="$MAKE $*" \
            grader/scripts/grade.sh
    done
}

if have_solutions; then
    grade solutions solutions "$BUILD" solutions full
    grade skeletons skeletons "$BUILD" skeletons zero
    for l in $LESSONS; do   # an unfinished task must fail at once, not hang
        r=$BUILD/skeletons/results/$l.json
        if [ -s "$r" ] && ! grep '^      "status": ' "$r" | grep -qv '"todo"'; then
            ok "skeletons: $l fails every test at once with 'not implemented'"
        else
            fail "skeletons: $l has a test that is not 'not implemented'" 1 "$r"
        fi
    done
else
    # A hand-out: skeletons/ is the student's work, whatever its score.
    echo "  note  a hand-out (no solutions/): skeletons/ is your work, graded as it is"
    grade skeletons skeletons "$BUILD" skeletons ""
fi
have_solutions && grade "solutions under ASan+UBSan" asan "$BUILD/asan" solutions full \
    SAN=address,undefined

if command -v doxygen >/dev/null 2>&1; then
    check "docs: Doxygen builds with no warning" docs $MAKE --no-print-directory BUILD="$BUILD" docs
fi
if have_solutions; then
    check "dist: the hand-out holds no solution, builds and scores 0" dist \
        env BUILD="$BUILD" MAKE="$MAKE" grader/scripts/dist.sh --check
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
