#!/usr/bin/env bash
# grade.sh - build each lesson of IMPL, run its tests with sl-run, render
# the report with sl-report. Called by `make grade` / `make hint` with:
# BUILD IMPL FORMAT OUT JOBS LESSONS (resolved names) SAN MAKE [HINT=1]
# [EXPECT=full|zero] [QUIET=1] [SOCKLAB_MAKE_PID].
# A lesson that does not build is reported as such; the others still grade.
set -u
: "${BUILD:=build}" "${IMPL:=skeletons}" "${FORMAT:=text}" "${OUT:=}" "${SAN:=}"
: "${JOBS:=}" "${MAKE:=make}" "${HINT:=}" "${EXPECT:=}" "${QUIET:=}"
. grader/scripts/lib.sh
results=$BUILD/$IMPL/results
logs=$BUILD/$IMPL/logs

# OUT must be a file we can write, checked before any work is done.
if [ -n "$OUT" ]; then
    [ -d "$OUT" ] && die 2 "OUT=$OUT is a folder: name a file in it, e.g. OUT=${OUT%/}/results.json"
    dir=$(dirname -- "$OUT")
    [ -d "$dir" ] || die 2 "OUT=$OUT: there is no folder '$dir'"
    [ -w "$dir" ] || die 2 "OUT=$OUT: you may not write in the folder '$dir'"
    if [ -e "$OUT" ] && [ ! -c "$OUT" ] && [ ! -p "$OUT" ] && ! { [ -f "$OUT" ] && [ -w "$OUT" ]; }; then
        die 2 "OUT=$OUT: this file cannot be written"
    fi
fi
first_run=
[ -d "$results" ] || first_run=1
mkdir -p "$results" "$logs"
say() { [ -n "$QUIET" ] || echo "$*" >&2; }

# Progress goes to a terminal only, on one line that the report then replaces.
progress() { [ -z "$QUIET" ] && [ -t 2 ] && printf '\r\033[Ksocklab: %s' "$*" >&2; }
progress_done() { [ -z "$QUIET" ] && [ -t 2 ] && printf '\r\033[K' >&2; }
# Ctrl-C (or kill): end the progress line, then stop quietly (lib.sh).
trap 'progress_done; stop_by_signal 2' INT
trap 'progress_done; stop_by_signal 15' TERM
trap 'progress_done; stop_by_signal 1' HUP

# Runs a build of student code within bounds: the compiler reads what the
# student wrote (#include "/dev/zero" never ends), so it gets at most 4 GiB,
# 5 minutes of CPU per process and 10 minutes in all.
bounded() {
    ( ulimit -v 4194304 -t 300 2>/dev/null; exec timeout --foreground 600 "$@" )
}

# build_into LOG TARGET...: builds the targets, several files at once; if
# that fails, once more one file at a time, so that LOG holds the
# compiler's first error alone, not mixed with another file's.
build_into() {
    local log=$1
    shift
    bounded $MAKE -s -j"$ncpu" --no-print-directory BUILD="$BUILD" SAN="$SAN" "$@" >"$log" 2>&1 ||
        bounded $MAKE -s --no-print-directory BUILD="$BUILD" SAN="$SAN" "$@" >"$log" 2>&1
}
ncpu=$(nproc 2>/dev/null || echo 2)

# Each program of the lesson on its own: one that does not build fails the
# tests that run it ("there is no program ..."), not the whole lesson, and
# is named here with the compiler's first error. Its old binary is removed,
# so no test runs what the student has since changed.
build_programs() {
    local lesson=$1 p plog first
    for p in $($MAKE -s --no-print-directory print-programs-"$lesson" print-given-"$lesson"); do
        plog=$logs/$lesson.$p.build.log
        if ! build_into "$plog" "$BUILD/$IMPL/bin/$p"; then
            rm -f "$BUILD/$IMPL/bin/$p"
            first=$(grep -m1 -E 'error:|undefined reference' "$plog")
            progress_done
            echo "socklab: $p did not build, so its tests fail: ${first:-see $plog}" >&2
        fi
    done
}

# A build log for the report: the compiler's words, not make's own lines.
compiler_words() { grep -v '^make\(\[[0-9]*\]\)\?: \*\*\*' "$1" >"$1.shown"; }

# The sanitizers in use: as asked, else what the Makefile finds the compiler has.
[ -n "$SAN" ] || SAN=$($MAKE -s --no-print-directory BUILD="$BUILD" print-san)
# The grader is ours and builds clean: in parallel, with no second try
# (the lessons' builds, through build_into, try again one file at a time).
if ! $MAKE -s -j"$ncpu" --no-print-directory BUILD="$BUILD" SAN="$SAN" grader >"$logs/grader.log" 2>&1; then
    progress_done
    cat "$logs/grader.log" >&2
    die 1 "the grader itself did not build (see above)"
fi

san=()
[ "$SAN" != none ] && san=(--sanitized)
# make hint needs the earliest failure only: the tasks in order, up to the
# first that fails (no reruns), into a file of its own (the last grade's
# results stay whole), and no lesson after the first that fails.
until=() suffix=
[ -n "$HINT" ] && until=(--until-failure) suffix=.hint
files=() missing=0
for lesson in $LESSONS; do
    json=$results/$lesson$suffix.json
    log=$logs/$lesson.build.log
    rm -f "$json"
    progress "building $lesson ($IMPL)"
    if build_into "$log" "$BUILD/meta/$lesson" "$BUILD/$IMPL/tests/$lesson"; then
        build_programs "$lesson"
        progress "grading $lesson ($IMPL)"
        run_signalled "$BUILD/grader/sl-run" --tests "$BUILD/meta/$lesson" \
            --impl-tests "$BUILD/$IMPL/tests/$lesson" --bin "$BUILD/$IMPL/bin" \
            --tools "$BUILD/grader/bin" \
            --src "$IMPL/$lesson" "${san[@]}" "${until[@]}" -i "$IMPL" -o "$json" ${JOBS:+-j "$JOBS"} \
            ${QUIET:+-q} 2>"$logs/$lesson.run.log"
    elif $MAKE -s --no-print-directory BUILD="$BUILD" SAN="$SAN" "$BUILD/meta/$lesson" >"$log.meta" 2>&1; then
        compiler_words "$log"
        run_signalled "$BUILD/grader/sl-run" --tests "$BUILD/meta/$lesson" -l "$lesson" \
            -i "$IMPL" --build-failed "$log.shown" -o "$json" 2>"$logs/$lesson.run.log"
    fi
    if [ -s "$json" ]; then
        files+=("$json")
        if [ -n "$HINT" ]; then
            read -r _ nfailed ntodo _ < <("$BUILD/grader/sl-report" --summary "$json")
            [ "$((${nfailed:-0} + ${ntodo:-0}))" -gt 0 ] && break
        fi
    else
        progress_done
        echo "socklab: no results for $lesson: the grader failed (see $log, $log.meta and $logs/$lesson.run.log)" >&2
        missing=1
    fi
done
progress_done
# A note of the driver's (reduced isolation) is worth one line, once.
for lesson in $LESSONS; do
    note=$(grep -s -m1 'note:' "$logs/$lesson.run.log") && { echo "${note/#sl-run:/socklab:}" >&2; break; }
done

# Keep the editor's compile_commands.json in step with what was built.
[ "$BUILD" = build ] && BUILD=$BUILD grader/scripts/compdb.sh >/dev/null 2>&1

[ "${#files[@]}" -gt 0 ] || exit 1
args=(--format "$FORMAT")
[ -n "$OUT" ] && args+=(--out "$OUT")
[ -n "$HINT" ] && args=(--hint)
[ -n "$EXPECT" ] && args+=(--expect "$EXPECT")
"$BUILD/grader/sl-report" "${args[@]}" "${files[@]}" || exit
# BIGENDIAN=1: lesson 01's byte order on s390x too (qemu), where a plain
# byte swap that passes on this little-endian machine fails.
if [ -n "${BIGENDIAN:-}" ] && [[ " $LESSONS " == *" 01-addressing "* ]]; then
    grader/scripts/bigendian.sh "$IMPL" >&2 || missing=1
fi
[ -n "$OUT" ] && [ -z "$HINT" ] && say "socklab: wrote $OUT ($FORMAT)"
# The whole course: which lesson to take next (and, the first time, how).
if [ -n "${ALL_LESSONS:-}" ] && [ "$FORMAT" = text ] && [ -z "$OUT$HINT$QUIET" ] && [ "$IMPL" = skeletons ]; then
    [ -n "$first_run" ] && say "socklab: new here? every test starts as 'not implemented': pick a lesson (01 is the first), read its README, and fill in its skeleton"
    BUILD=$BUILD LESSONS="$LESSONS" GRADE=0 grader/scripts/progress.sh 2>/dev/null | tail -n 1 >&2
fi
exit "$missing"
