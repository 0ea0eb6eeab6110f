#!/usr/bin/env bash
# watch.sh - regrade whenever a source file is saved (make watch).
# A mark file is touched before each grading, and a file newer than it means
# "grade again": a save during a grading is never missed. inotifywait, when
# present, only wakes the loop at once instead of within a second.
# Called by make with IMPL, LESSONS (resolved names) and ALL_LESSONS (set
# when no LESSON was given); `watch.sh --dirs` only prints what it watches.
set -u
: "${IMPL:=skeletons}" "${LESSONS:=}" "${ALL_LESSONS:=}"
. grader/scripts/lib.sh
# What a grading of IMPL reads: the student's folders and the lessons (text,
# header, tests), each lesson's alone when some were named; the grader too
# for whoever works on the reference (IMPL=solutions).
dirs=("$IMPL" lessons)
if [ -z "$ALL_LESSONS" ] && [ -n "$LESSONS" ]; then
    dirs=()
    for l in $LESSONS; do dirs+=("$IMPL/$l" "lessons/$l"); done
fi
[ "$IMPL" = solutions ] && dirs+=(grader)
if [ "${1:-}" = --dirs ]; then
    echo "${dirs[*]}"
    exit 0
fi
mark=$(mktemp)
trap 'rm -f "$mark"' EXIT
# Ctrl-C ends the watch: quietly, the way lib.sh's stop_by_signal does.
trap 'rm -f "$mark"; stop_by_signal 2' INT
trap 'rm -f "$mark"; stop_by_signal 15' TERM

changed() { [ -n "$(find "${dirs[@]}" -name '*.[ch]' -newer "$mark" -print -quit 2>/dev/null)" ]; }

nap() {
    if command -v inotifywait >/dev/null 2>&1; then
        inotifywait -qq -t 1 -r -e close_write -e moved_to -e create "${dirs[@]}" 2>/dev/null
    else
        sleep 1
    fi
}

while :; do
    touch "$mark"
    [ -t 1 ] && printf '\033[2J\033[H'
    grader/scripts/grade.sh
    echo "socklab: watching ${dirs[*]} for changes (Ctrl-C to stop)" >&2
    until changed; do nap; done
done
