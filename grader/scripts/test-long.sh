#!/usr/bin/env bash
# test-long.sh - the long checks (make test-long), run after make test:
# the solutions graded with SAN=none; each lesson's programs (the
# reference) under valgrind, which must find no memory error and no leak in
# any program a test starts; then the Gradescope and GitHub Classroom
# uploads, run as those platforms run them; the grader's self-tests with
# SAN=none; a data race planted in lesson 06, graded under SAN=thread;
# make dist's hand-out built and graded on its own; then the
# hostile corpus in the modes make test leaves out (grader/hostile: hangs, crashes, fork loops, forged
# records, daemons) in the modes make test leaves out; then make batch over a
# class of submissions, its page rendered in chromium. Each check prints
# one line; the run ends with "N passed, N failed", exit 1 if any failed.
set -u
: "${BUILD:=build}" "${MAKE:=make}" "${LESSONS:=}"
. grader/scripts/lib.sh
export NO_COLOR=1
logs=$BUILD/test-logs
plain=$BUILD/plain
mkdir -p "$logs"
passed=0 failed=0
trap 'stop_by_signal 2' INT
trap 'stop_by_signal 15' TERM

ok()   { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
# A failure shows the failed checks of its log, each with what follows it
# (a long log's tail alone may hide them), then the log's last lines.
fail() {
    failed=$((failed + 1)); printf '  FAIL  %s (log: %s)\n' "$1" "$2"
    { grep -A 12 '^ *FAIL ' "$2" | head -n 60; echo '[...]'; tail -n 15 "$2"; } | sed 's/^/        | /'
}

# The lessons that have programs (lesson.mk lists them).
program_lessons() {
    local l
    for l in $LESSONS; do
        grep -qs '_PROGRAMS' "lessons/$l/lesson.mk" && echo "$l"
    done
}

# Valgrind reports through the exit status: a server then fails to exit 0
# after SIGTERM, a client's status is wrong, and the test says so. No vgdb:
# in a test's PID namespace every program is pid 3 or so, and vgdb's shared
# files in /tmp would collide.
VALGRIND="valgrind -q --vgdb=no --leak-check=full --show-leak-kinds=definite,indirect"
VALGRIND="$VALGRIND --errors-for-leak-kinds=definite,indirect --error-exitcode=99"

under_valgrind() {
    local l=$1 json=$plain/test-results/valgrind-$l.json
    mkdir -p "$(dirname "$json")"
    $MAKE -s --no-print-directory BUILD="$plain" SAN=none grader "lesson-$l-solutions" \
        >"$logs/valgrind-build-$l.log" 2>&1 || return 1
    SOCKLAB_PROG_WRAP=$VALGRIND SOCKLAB_TIMEOUT_SCALE=8 timeout --foreground 1800 \
        "$plain/grader/sl-run" --tests "$plain/meta/$l" --impl-tests "$plain/solutions/tests/$l" \
        --bin "$plain/solutions/bin" --tools "$plain/grader/bin" -i solutions -q -j 2 \
        -o "$json" >"$logs/valgrind-$l.log" 2>&1 &&
        "$plain/grader/sl-report" --color never --expect full "$json" >>"$logs/valgrind-$l.log" 2>&1
}

echo "socklab: make test-long"
ncpu=$(nproc 2>/dev/null || echo 2)
if $MAKE -j"$ncpu" --no-print-directory SAN=none BUILD="$plain" selftest \
    $(for l in $LESSONS; do printf 'lesson-%s-skeletons lesson-%s-solutions ' "$l" "$l"; done) \
    >"$logs/build-plain.log" 2>&1; then
    ok "build with SAN=none (-Werror): grader, self-tests, skeletons and solutions"
else
    fail "build with SAN=none (-Werror): grader, self-tests, skeletons and solutions" "$logs/build-plain.log"
fi
# The solutions at full marks built with SAN=none too (make test grades
# them sanitized): no test leans on a sanitizer to pass.
for l in $LESSONS; do
    if env BUILD="$plain" IMPL=solutions LESSONS="$l" EXPECT=full FORMAT=text QUIET=1 SAN=none \
        MAKE="$MAKE" grader/scripts/grade.sh >"$logs/solutions-plain-$l.log" 2>&1; then
        ok "solutions (SAN=none): $l full marks"
    else
        fail "solutions (SAN=none): $l full marks" "$logs/solutions-plain-$l.log"
    fi
done
if ! command -v valgrind >/dev/null 2>&1; then
    echo "  FAIL  valgrind is not installed (apt-get install -y valgrind, or make deps)"
    failed=$((failed + 1))
else
    for l in $(program_lessons); do
        if under_valgrind "$l"; then
            ok "valgrind: $l's programs, under every test: no memory error, no leak"
        else
            fail "valgrind: $l's programs under its tests" "$logs/valgrind-$l.log"
        fi
    done
fi
# The teacher's two uploads, run as their platforms run them: the Gradescope
# bundle in a fake /autograder, the Classroom workflow's commands with only
# PATH and HOME. Each prints its own checks; one line here for each.
platform() {
    local name=$1 log=$logs/$2.log
    shift 2
    if env MAKE="$MAKE" "$@" >"$log" 2>&1; then
        ok "$name ($(tail -n 1 "$log"))"
    else
        fail "$name" "$log"
    fi
}
platform "Gradescope: make autograder's bundle, set up and run as Gradescope does" \
    autograder grader/autograder/simulate.sh
platform "GitHub Classroom: the hand-out's workflow, its commands run as Classroom does" \
    classroom grader/classroom/check.sh

# The grader's self-tests built with SAN=none (make test runs them
# sanitized), graded by the grader itself.
plain_selftests() {
    local st=$plain/test-results/selftest.json p f t _
    $MAKE -s -j"$(nproc 2>/dev/null || echo 2)" --no-print-directory BUILD="$plain" SAN=none selftest &&
        mkdir -p "$(dirname "$st")" && rm -f "$st" &&
        timeout --foreground 300 "$plain/grader/sl-run" --tests "$plain/grader/selftest" -l selftest \
            -i grader --bin "$plain/grader/fixture-bin" --tools "$plain/grader/bin" -q -o "$st" || true
    [ -s "$st" ] || return 1
    "$plain/grader/sl-report" --color never "$st"
    read -r p f t _ < <("$plain/grader/sl-report" --summary "$st")
    echo "$p passed, $((f + t)) failed"
    [ "$((f + t))" = 0 ]
}
if plain_selftests >"$logs/selftest-none.log" 2>&1; then
    ok "grader self-tests with SAN=none ($(tail -n 1 "$logs/selftest-none.log"))"
else
    fail "grader self-tests with SAN=none" "$logs/selftest-none.log"
fi
platform "ThreadSanitizer end to end: a race planted in lesson 06's counter is the verdict, named, with its hint" \
    tsan-plant grader/selftest/tsan/run.sh
platform "dist: the hand-out unpacked on its own builds, grades to 0, reports a lesson that does not build" \
    dist-check env BUILD="$BUILD" grader/scripts/dist.sh --check

platform "hostile corpus, as nobody and with no namespaces (make test did the namespaced mode)" \
    hostile env HOSTILE_MODES="nobody basic" BUILD="$BUILD" grader/hostile/run.sh
platform "make batch: a class of good, broken and hostile submissions, the CSV and the class page" \
    batch env BUILD="$BUILD" grader/batch/selftest.sh

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
