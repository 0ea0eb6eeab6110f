#!/usr/bin/env bash
# test.sh - the project's own tests (make test). Each check prints one line;
# the run ends with "N passed, N failed" (the grader's self-tests count one
# each) and exits 1 if anything failed.
set -u
: "${BUILD:=build}" "${MAKE:=make}" "${LESSONS:=}"
. grader/scripts/lib.sh
export NO_COLOR=1
logs=$BUILD/test-logs
mkdir -p "$logs"
passed=0 failed=0
# Stopped, it stops the hostile corpus running beside it (started below).
stop_hostile() { [ -z "${hostile_pid:-}" ] || kill "$hostile_pid" 2>/dev/null; }
trap 'stop_hostile; stop_by_signal 2' INT
trap 'stop_hostile; stop_by_signal 15' TERM

ok()   { passed=$((passed + ${2:-1})); printf '  ok    %s\n' "$1"; }
# A failure shows its log's failed checks, each with what follows it (a
# long log's tail alone may hide them), then the log's last lines.
fail() {
    failed=$((failed + ${2:-1})); printf '  FAIL  %s (log: %s)\n' "$1" "$3"
    if grep -q '^ *FAIL ' "$3" 2>/dev/null; then
        { grep -A 12 '^ *FAIL ' "$3" | head -n 60; echo '[...]'; tail -n 10 "$3"; } | sed 's/^/        | /'
    else
        tail -n 30 "$3" | sed 's/^/        | /'
    fi
}
note() { printf '  note  %s\n' "$1"; }

# check NAME LOG COMMAND...: one check, its output kept in LOG.
check() {
    local name=$1 log=$logs/$2.log
    shift 2
    if timeout --foreground 600 "$@" >"$log" 2>&1; then ok "$name" 1; else fail "$name" 1 "$log"; fi
}

have_solutions() { [ -d solutions ]; }
impls="skeletons"
have_solutions && impls="skeletons solutions"
impl_words=${impls/ / and }

targets() {  # everything one build must produce, for IMPLs $*
    local t="selftest" l i
    for i in "$@"; do for l in $LESSONS; do t="$t lesson-$l-$i"; done; done
    echo "$t"
}

# selftests LABEL BUILD [SAN]: the grader's self-tests, graded by the grader
# itself (one process each); every self-test counts as one check.
selftests() {
    local label=$1 build=$2 san=${3:-} st=$2/test-results/selftest.json key
    key=selftest-${label//[^a-z]/}
    mkdir -p "$(dirname "$st")"
    rm -f "$st"
    timeout --foreground 300 "$build/grader/sl-run" --tests "$build/grader/selftest" -l selftest -i grader \
        --bin "$build/grader/fixture-bin" --tools "$build/grader/bin" \
        ${san:+--sanitized} -q -o "$st" >"$logs/$key.log" 2>&1
    if [ ! -s "$st" ]; then
        fail "grader self-tests ($label) did not run" 1 "$logs/$key.log"
        return
    fi
    local p f t _
    read -r p f t _ < <("$BUILD/grader/sl-report" --summary "$st")
    "$BUILD/grader/sl-report" --color never "$st" >"$logs/$key.txt" 2>&1
    if [ "$((f + t))" = 0 ]; then
        ok "grader self-tests ($label): $p passed" "$p"
    else
        passed=$((passed + p))
        fail "grader self-tests ($label): $((f + t)) of $((p + f + t)) failed" "$((f + t))" "$logs/$key.txt"
    fi
}

# grade LABEL KEY ROOT BUILD IMPL EXPECT [VAR=value...]: every lesson of
# IMPL, graded in folder ROOT, as expected (full, zero, or "" for any).
grade() {
    local label=$1 key=$2 root=$3 build=$4 impl=$5 expect=$6 l what
    shift 6
    what='builds, scores 0'
    [ "$expect" = full ] && what='full marks'
    [ -z "$expect" ] && what='builds and grades'
    for l in $LESSONS; do
        check "$label: $l $what" "$key-$l" env -C "$root" BUILD="$build" IMPL="$impl" \
            LESSONS="$l" EXPECT="$expect" FORMAT=text QUIET=1 MAKE="$MAKE" "$@" \
            grader/scripts/grade.sh
    done
}

# Every test of the skeletons' results must be "not implemented": an
# unfinished task fails at once, never by a timeout or a crash.
all_todo() {
    local root=$1 build=$2 l r
    for l in $LESSONS; do
        r=$root/$build/skeletons/results/$l.json
        if [ -s "$r" ] && ! "$BUILD/grader/sl-report" --format tsv "$r" | awk -F'\t' '$4 != "todo"' | grep -q .; then
            ok "skeletons: $l fails every test at once with 'not implemented'"
        else
            "$BUILD/grader/sl-report" --format tsv "$r" >"$logs/todo-$l.log" 2>&1
            fail "skeletons: $l has a test that is not 'not implemented'" 1 "$logs/todo-$l.log"
        fi
    done
}

# A copy of the tree whose skeletons are the committed ones (git HEAD, or a
# hand-out's pristine copy), never the student's edits. Prints its root.
pristine_tree() {
    local tmp=$1
    mkdir -p "$tmp/socklab"
    cp -r Makefile grader lessons "$tmp/socklab/"
    if git rev-parse --verify -q HEAD >/dev/null 2>&1; then
        git archive --format=tar HEAD -- skeletons | tar -C "$tmp/socklab" -xf - && echo "git HEAD"
    elif [ -f grader/pristine/skeletons.tar.gz ]; then
        tar -C "$tmp/socklab" -xzf grader/pristine/skeletons.tar.gz && echo "the hand-out"
    fi
}

echo "socklab: make test"
ncpu=$(nproc 2>/dev/null || echo 2)
check "build with ${CC:-cc} (-Werror): grader, self-tests, $impl_words" build-gcc \
    $MAKE -j"$ncpu" --no-print-directory BUILD="$BUILD" $(targets $impls)
if command -v clang >/dev/null 2>&1; then
    check "build with clang (-Werror): grader, self-tests, $impl_words" build-clang \
        $MAKE -j"$ncpu" --no-print-directory CC=clang BUILD="$BUILD/clang" $(targets $impls)
else
    note "build with clang skipped: clang is not installed (apt-get install -y clang)"
fi

san=$($MAKE -s --no-print-directory BUILD="$BUILD" print-san 2>/dev/null)
selftests "under ${san:-no} sanitizers" "$BUILD" "$([ "${san:-none}" != none ] && echo 1)"

# The hostile corpus (grader/hostile): student code that attacks the
# grader (hangs, crashes, fork loops, forged records, daemons), each case
# graded once with the grader's namespaces; make test-long grades the
# other modes (as nobody, and with no namespaces at all). Its grades wait
# on the cases' hangs and timeouts far more than they compute, so it runs
# beside the checks below and is reported at the end; its budgets are
# wide enough for that load. Not beside the self-tests: some of those
# time the grader against its budgets, on a machine left to them.
hostile_pid=
if [ -x grader/hostile/run.sh ]; then
    env HOSTILE_MODES=ns BUILD="$BUILD" MAKE="$MAKE" timeout --foreground 600 \
        grader/hostile/run.sh >"$logs/hostile.log" 2>&1 &
    hostile_pid=$!
fi

# The solutions at full marks under ASan and UBSan (make test-long grades
# them with SAN=none too); the lessons with threads (lesson.mk sets
# L_TSAN := 1) under ThreadSanitizer as well.
tsan_lessons() {
    local l
    for l in $LESSONS; do grep -qs '^ *'"$l"'_TSAN *:\?= *1' "lessons/$l/lesson.mk" && echo "$l"; done
}
if have_solutions; then
    grade "solutions (sanitized)" solutions . "$BUILD" solutions full
    tsan=$(tsan_lessons)
    [ -z "$tsan" ] || LESSONS=$tsan grade "solutions (ThreadSanitizer)" solutions-tsan . \
        "$BUILD/tsan" solutions full SAN=thread
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
from=$(pristine_tree "$tmp")
if [ -n "$from" ]; then
    [ -n "$(git status --porcelain -- skeletons 2>/dev/null)" ] &&
        note "skeletons/ has changes of yours: they are not looked at here (make grade grades them)"
    grade "skeletons as in $from" skeletons "$tmp/socklab" build skeletons zero
    all_todo "$tmp/socklab" build
    # The lint reads skeletons too: the committed ones, like the check above.
    check "lint: make check of $LESSONS (skeletons as in $from)" lint env -C "$tmp/socklab" \
        BUILD=build MAKE="$MAKE" LESSONS="$LESSONS" grader/scripts/check.sh
    check "lint self-test: each planted problem is found" lint-self env -C "$tmp/socklab" \
        BUILD=build MAKE="$MAKE" grader/selftest/lint/run.sh
else
    note "no committed skeletons to check (no git repository, no grader/pristine/): skipped"
fi

# A teacher's hidden test (hidden/NN-topic/, here the example of the
# self-tests) is graded with the lesson and shown by Gradescope after the
# due date.
# Its student-visible summary counts only the tests the student can see.
hidden_tests() {
    local b=$BUILD/hidden log=$logs/hidden.log
    env BUILD="$b" IMPL=solutions LESSONS=01-addressing EXPECT=full FORMAT=text QUIET=1 \
        MAKE="$MAKE HIDDEN=grader/selftest/hidden" grader/scripts/grade.sh >"$log" 2>&1 &&
        "$b/grader/sl-report" --format json "$b/solutions/results/01-addressing.json" \
            >"$b/results.json" 2>>"$log" &&
        grep -c '"visibility": "after_due_date"' "$b/results.json" | grep -qx 1 &&
        grep -q 'Not counted here: 1 hidden test(s)' "$b/results.json"
}
case " $LESSONS " in *" 01-addressing "*)
    if have_solutions && hidden_tests; then ok "hidden tests: graded with their lesson, shown after the due date"
    elif have_solutions; then fail "hidden tests: not graded, or not marked hidden" 1 "$logs/hidden.log"; fi ;;
esac

# Each lesson's programs against clients and servers nobody here wrote
# (python3, nc, socat, ...; each skipped with a note where it is not
# installed): lessons/L/tests/real-clients.sh BIN_DIR TOOLS_DIR.
if have_solutions; then
    for l in $LESSONS; do
        [ -x "lessons/$l/tests/real-clients.sh" ] || continue
        check "$l: the programs with clients and servers nobody here wrote (tests/real-clients.sh)" \
            "real-clients-$l" "lessons/$l/tests/real-clients.sh" "$BUILD/solutions/bin" "$BUILD/grader/bin"
    done
fi

# Lesson 01's byte order on a big-endian machine (s390x under qemu), where
# the tools are installed: the reference passes, a plain swap fails.
bigendian() {
    local log=$logs/bigendian.log
    grader/scripts/bigendian.sh solutions >"$log" 2>&1
    local rc=$?
    if grep -q 'skipped' "$log"; then
        note "big-endian check skipped: $(grep -o 'needs.*' "$log" | head -n 1)"
        return
    fi
    [ "$rc" = 0 ] && ok "big-endian (s390x under qemu): solutions pass Task 1 of 01-addressing" ||
        fail "big-endian (s390x under qemu): solutions fail Task 1 of 01-addressing" 1 "$log"
    if grader/scripts/bigendian.sh grader/selftest/bigendian >"$log.swap" 2>&1; then
        fail "big-endian: a plain byte swap passes Task 1 on s390x" 1 "$log.swap"
    else
        ok "big-endian: a plain byte swap fails Task 1 on s390x"
    fi
}
case " $LESSONS " in *" 01-addressing "*) have_solutions && bigendian ;; esac

# make progress and make reset, in a clone: a changed skeleton is "in
# progress", reset puts it back as committed and keeps a backup.
progress_and_reset() {
    local r=$tmp/reset l
    git clone -q . "$r" 2>/dev/null || return 1
    l=$(cd "$r/skeletons" && ls -d [0-9][0-9]-* | head -n 1)
    echo '/* a student was here */' >>"$r/skeletons/$l/$(cd "$r/skeletons/$l" && ls *.c | head -n 1)"
    # the scores of the skeletons graded above; the change is what counts
    (cd "$r" && BUILD=$tmp/socklab/build LESSONS="$LESSONS" GRADE=0 grader/scripts/progress.sh) |
        grep -q "^$l .* in progress" &&
        (cd "$r" && $MAKE --no-print-directory reset LESSON="$l" CONFIRM=yes) &&
        (cd "$r" && git diff --quiet -- skeletons && ls -d skeletons/"$l".backup-* >/dev/null)
}
if [ -n "$from" ] && git rev-parse --verify -q HEAD >/dev/null 2>&1; then
    if progress_and_reset >"$logs/progress.log" 2>&1; then
        ok "make progress sees a lesson in progress, make reset puts it back (a backup kept)"
    else
        fail "make progress or make reset" 1 "$logs/progress.log"
    fi
fi

if [ -n "$hostile_pid" ]; then
    if wait "$hostile_pid"; then
        ok "hostile corpus: each case of grader/hostile graded as its manifest says ($(tail -n 1 "$logs/hostile.log"))"
    else
        fail "hostile corpus: a case of grader/hostile is not graded as its manifest says" 1 "$logs/hostile.log"
    fi
fi

# The Classroom workflow is committed (a teacher reads and edits it) and
# generated from the lessons: a lesson added or repointed must regenerate it.
if [ -d grader/classroom ]; then
    if BUILD="$BUILD" grader/classroom/generate.sh - 2>&1 | diff - grader/classroom/classroom.yml >"$logs/classroom-yml.log"; then
        ok "grader/classroom/classroom.yml is current"
    else
        fail "grader/classroom/classroom.yml is out of date: run grader/classroom/generate.sh" 1 "$logs/classroom-yml.log"
    fi
fi

if command -v doxygen >/dev/null 2>&1; then
    check "docs: Doxygen builds with no warning" docs $MAKE --no-print-directory BUILD="$BUILD" docs
fi
# The hand-out holds no solution (make test-long also unpacks it, builds
# it on its own and grades it to 0).
if have_solutions; then
    check "dist: the hand-out holds no solution" dist \
        env BUILD="$BUILD" MAKE="$MAKE" grader/scripts/dist.sh
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
