#!/usr/bin/env bash
# grade.sh - build each lesson of IMPL, run its tests, render the report.
# Called by `make grade` / `make hint` with: BUILD IMPL FORMAT OUT JOBS
# LESSONS (resolved names) MAKE [HINT=1] [EXPECT=full|zero] [QUIET=1].
# A lesson that does not build is reported as such; the others still grade.
set -u
: "${BUILD:=build}" "${IMPL:=skeletons}" "${FORMAT:=text}" "${OUT:=}"
: "${JOBS:=}" "${MAKE:=make}" "${HINT:=}" "${EXPECT:=}" "${QUIET:=}"
results=$BUILD/$IMPL/results
logs=$BUILD/$IMPL/logs
mkdir -p "$results" "$logs"

say() { [ -n "$QUIET" ] || echo "$*" >&2; }

# Runs a grader binary; when it was stopped by a signal (Ctrl-C), stop too.
run() {
    "$@"
    local rc=$?
    if [ "$rc" -gt 128 ]; then
        kill -s "$(kill -l "$rc")" $$ 2>/dev/null
        exit "$rc"
    fi
    return "$rc"
}

if ! $MAKE -s --no-print-directory BUILD="$BUILD" grader >"$logs/grader.log" 2>&1; then
    cat "$logs/grader.log" >&2
    echo "socklab: the grader itself did not build (see above)" >&2
    exit 1
fi

files=() missing=0
for lesson in $LESSONS; do
    json=$results/$lesson.json
    log=$logs/$lesson.build.log
    rm -f "$json"
    if $MAKE -s --no-print-directory BUILD="$BUILD" "lesson-$lesson-$IMPL" >"$log" 2>&1; then
        say "socklab: grading $lesson ($IMPL)"
        run "$BUILD/$IMPL/tests/$lesson" -i "$IMPL" -o "$json" ${JOBS:+-j "$JOBS"}
    else
        say "socklab: $lesson ($IMPL) did not build; its tests all fail"
        $MAKE -s --no-print-directory BUILD="$BUILD" "$BUILD/meta/$lesson" >"$log.meta" 2>&1 &&
            run "$BUILD/meta/$lesson" -l "$lesson" -i "$IMPL" --build-failed "$log" -o "$json"
    fi
    if [ -s "$json" ]; then
        files+=("$json")
    else
        echo "socklab: no results for $lesson: the grader failed (see $log and $log.meta)" >&2
        missing=1
    fi
done

# Keep the editor's compile_commands.json in step with what was built.
[ "$BUILD" = build ] && BUILD=$BUILD grader/scripts/compdb.sh >/dev/null 2>&1

[ "${#files[@]}" -gt 0 ] || exit 1
args=(--format "$FORMAT")
[ -n "$OUT" ] && args+=(--out "$OUT")
[ -n "$HINT" ] && args=(--hint)
[ -n "$EXPECT" ] && args+=(--expect "$EXPECT")
"$BUILD/grader/sl-report" "${args[@]}" "${files[@]}" || exit
exit "$missing"
