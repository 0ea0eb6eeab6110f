#!/usr/bin/env bash
# progress.sh - the course as a table (make progress): each lesson's points
# from its last grade, done / in progress / not started, and which lesson
# to take next. Called with BUILD, LESSONS (all of them) and MAKE; grades
# first (quietly) when GRADE=1.
set -u
: "${BUILD:=build}" "${MAKE:=make}" "${LESSONS:=}" "${GRADE:=1}"
. grader/scripts/lib.sh
. grader/scripts/pristine.sh
results=$BUILD/skeletons/results

if [ "$GRADE" = 1 ]; then
    BUILD=$BUILD IMPL=skeletons LESSONS="$LESSONS" FORMAT=text QUIET=1 OUT=/dev/null \
        MAKE="$MAKE" grader/scripts/grade.sh >/dev/null 2>&1
fi

# points earned and available in lesson L's last results: "S M", or "".
points() {
    [ -s "$results/$1.json" ] || return 0
    "$BUILD/grader/sl-report" --summary "$results/$1.json" 2>/dev/null | awk '{ print $4, $5 }'
}

next= done_count=0
printf '%-18s %9s  %s\n' lesson points status
for l in $LESSONS; do
    read -r score max < <(points "$l"; echo)
    if [ -z "${max:-}" ]; then
        status="not graded (make grade LESSON=$l)"
    elif [ "$score" = "$max" ]; then
        status=done
        done_count=$((done_count + 1))
    elif [ "$score" != 0 ] || skeleton_changed "$l"; then
        status="in progress"
    else
        status="not started"
    fi
    [ -z "$next" ] && [ "$status" != done ] && next=$l
    printf '%-18s %9s  %s\n' "$l" "${score:-?}/${max:-?}" "$status"
done
if [ -z "$next" ]; then
    echo "socklab: every lesson is done. Well played."
else
    readme=lessons/$next/README.md
    echo "socklab: next: lesson $next: read $readme, work in skeletons/$next/, check with make grade LESSON=${next%%-*}"
fi
