#!/usr/bin/env bash
# batch.sh - grade a folder of submissions (make batch). Called by make in
# the teacher's tree with: SUBMISSIONS OUT JOBS LESSONS (resolved names) SAN
# HIDDEN BUILD MAKE [SOCKLAB_MAKE_PID], and from the command line or the
# environment TIMEOUT (seconds per student, default 600), KEEP=1 (keep the
# scratch trees), MAX_MB (largest submission, default 100).
#
# Each entry of SUBMISSIONS (a folder, a .tar.gz or a git repository; names
# starting with '.' are skipped) is one student, named after it (without
# .tar.gz, .tgz or .git). The teacher's tree is copied once and built
# (grader, lessons, the skeletons as handed out, graded: the baseline); each
# student then gets a copy of that with their skeletons/ put in
# (grader/batch/student.sh), graded under a wall-clock bound, JOBS students
# at once (default: one per core), each running cores/JOBS tests at once.
# A submission that is broken, hangs or is hostile is recorded as such, and
# the batch goes on. Written to OUT (default BUILD/batch):
#   grades.csv            student,lesson,task,points,max,note (see below)
#   class.html            the class report (sl-report --format class)
#   batch.log             the baseline's build and grade
#   STUDENT/results.json  Gradescope's results.json
#   STUDENT/raw/*.json    the raw results of each lesson graded
#   STUDENT/note          what happened, when not graded as usual
#   STUDENT/grade.log     what the grade said
#   STUDENT/grades.csv    the student's rows of grades.csv
# grades.csv, per student: a row per task of each lesson (task: its
# number, 0 for tests of no task), a row per lesson (task: total), and a
# row for the course (lesson and task: total); points and max are whole
# points; the note says what happened ("did not build", "not graded: ...").
# A lesson not graded counts 0 of its points. Exit status: 0 when the
# batch ran (whatever the students' scores), 1 when it could not, 2 for a
# bad option.
set -u
: "${SUBMISSIONS:=}" "${OUT:=}" "${JOBS:=}" "${LESSONS:=}" "${SAN:=}" "${HIDDEN:=hidden}"
: "${BUILD:=build}" "${MAKE:=make}" "${TIMEOUT:=600}" "${KEEP:=}" "${MAX_MB:=100}"
. grader/scripts/lib.sh
export LC_ALL=C

# ---- options ----------------------------------------------------------------
[ -n "$SUBMISSIONS" ] ||
    die 2 "make batch needs a folder of submissions: make batch SUBMISSIONS=DIR [OUT=DIR] [JOBS=n] [LESSON=..]"
[ -d "$SUBMISSIONS" ] || die 2 "SUBMISSIONS=$SUBMISSIONS: there is no folder '$SUBMISSIONS'"
[[ $TIMEOUT =~ ^[1-9][0-9]{0,5}$ ]] ||
    die 2 "TIMEOUT=$TIMEOUT: give the seconds one student's grade may take, a whole number"
[[ $MAX_MB =~ ^[1-9][0-9]{0,5}$ ]] || die 2 "MAX_MB=$MAX_MB: give the largest submission in MB, a whole number"
[ -n "$LESSONS" ] || die 2 "no lesson to grade"
for tool in tar timeout realpath; do
    command -v "$tool" >/dev/null 2>&1 || die 1 "make batch needs '$tool' (coreutils, tar)"
done
teacher=$PWD
subs=$(realpath -- "$SUBMISSIONS")
out=$(realpath -m -- "${OUT:-$BUILD/batch}")
case "$out/" in "$subs/"*) die 2 "OUT=$out is inside SUBMISSIONS: choose a folder outside it" ;; esac
case "$subs/" in "$out/"*) die 2 "SUBMISSIONS is inside OUT=$out: choose another OUT" ;; esac
[ -e "$out" ] && [ ! -d "$out" ] && die 2 "OUT=$out is a file: make batch writes a folder"
{ mkdir -p "$out" 2>/dev/null && [ -w "$out" ]; } || die 2 "OUT=$out: cannot write there"

ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
[ "$ncpu" -ge 1 ] 2>/dev/null || ncpu=1

# ---- the students: one per entry, with names safe as a folder and in CSV ----
entries=() names=()
declare -A taken=([grades.csv]=1 [class.html]=1 [class.png]=1 [batch.log]=1)
for e in "$subs"/*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    base=$(basename -- "$e")
    base=${base%.tar.gz}
    base=${base%.tgz}
    base=${base%.git}
    name=$(printf '%s' "$base" | tr -c 'A-Za-z0-9._+@-' '_' | head -c 64)
    [[ $name == [A-Za-z0-9_]* ]] || name=_$name
    n=2 try=$name
    while [ -n "${taken[$try]:-}" ]; do try=$name-$n; n=$((n + 1)); done
    taken[$try]=1
    entries+=("$e")
    names+=("$try")
done
total=${#entries[@]}
[ "$total" -gt 0 ] || die 2 "SUBMISSIONS=$SUBMISSIONS holds no submission (a folder, a .tar.gz or a git repository each)"

at_once=${JOBS:-$ncpu}
[ "$at_once" -le "$total" ] || at_once=$total
test_jobs=$((ncpu / at_once))
[ "$test_jobs" -ge 1 ] || test_jobs=1

# ---- progress: one line on a terminal, a line per step elsewhere -----------
tty=
[ -t 2 ] && tty=1
progress() {
    if [ -n "$tty" ]; then printf '\r\033[Ksocklab: %s' "$*" >&2; else echo "socklab: $*" >&2; fi
}
progress_done() { [ -n "$tty" ] && printf '\r\033[K' >&2; return 0; }

# ---- the scratch space, and stopping ---------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/socklab-batch.XXXXXX") || die 1 "cannot make a scratch folder in ${TMPDIR:-/tmp}"
chmod 755 "$work" # the tests' unprivileged users (as root) must reach the trees
declare -A job_name=()
# shellcheck disable=SC2317  # run by the traps
stop_jobs() {
    local pid
    for pid in "${!job_name[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    wait 2>/dev/null
}
# shellcheck disable=SC2317
cleanup() { [ -n "$KEEP" ] || rm -rf "$work"; }
trap 'progress_done; stop_jobs; cleanup; stop_by_signal 2' INT
trap 'progress_done; stop_jobs; cleanup; stop_by_signal 15' TERM
trap 'progress_done; stop_jobs; cleanup; stop_by_signal 1' HUP
trap cleanup EXIT

# Kills what is left of a student's grade: processes working in its scratch
# tree (a test's supervisor normally takes its processes with it).
leftovers() {
    local p cwd
    for p in /proc/[0-9]*; do
        cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
        case "$cwd/" in "$1/"*) kill -KILL "${p#/proc/}" 2>/dev/null ;; esac
    done
}

# ---- the base tree: the teacher's, built once, and the baseline -------------
base=$work/base
baseline=$work/baseline
mkdir -p "$base" "$baseline"
start=$(date +%s)
progress "batch: building the grader and the lessons once, for all $total submissions"
tar -C "$teacher" -cf - Makefile grader lessons skeletons | tar -C "$base" -xf - ||
    die 1 "cannot copy the tree to $base"
# The solutions stay out of the trees; a link to them lets the grader see
# through a student's #include of one by its absolute path (check-impl.sh
# resolves links), and hide them from the tests (the sandbox mounts over
# solutions/ as it resolves).
[ -d "$teacher/solutions" ] && ln -s "$teacher/solutions" "$base/solutions"
if [ -d "$HIDDEN" ]; then
    { mkdir -p "$base/hidden" && tar -C "$HIDDEN" -cf - . | tar -C "$base/hidden" -xf -; } ||
        die 1 "cannot copy the hidden tests ($HIDDEN)"
fi
base_make() {
    (cd "$base" && unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES GNUMAKEFLAGS SOCKLAB_MAKE_PID \
        BUILD IMPL FORMAT LESSON OUT JOBS EXPECT HIDDEN V SUBMISSIONS TIMEOUT KEEP &&
        QUIET=1 NO_COLOR=1 $MAKE -s --no-print-directory "$@" LESSON="$LESSONS" ${SAN:+SAN="$SAN"}) \
        </dev/null >>"$out/batch.log" 2>&1
}
: >"$out/batch.log"
base_make -j"$ncpu" build IMPL=skeletons # in parallel; whatever fails, grade says
if ! base_make grade IMPL=skeletons FORMAT=tsv OUT=/dev/null JOBS="$ncpu"; then
    progress_done
    tail -n 20 "$out/batch.log" >&2
    die 1 "batch: the teacher's tree did not grade its own skeletons (see $out/batch.log)"
fi
sl_report=$base/build/grader/sl-report
for l in $LESSONS; do
    f=$base/build/skeletons/results/$l.json
    { [ -s "$f" ] && "$sl_report" --summary "$f" >/dev/null 2>&1; } ||
        die 1 "batch: no results for $l from the teacher's own skeleton (see $out/batch.log)"
    cp "$f" "$baseline/$l.json"
done
course_max=$("$sl_report" --summary "$baseline"/*.json | awk '{ print $5 }')

# ---- one student's outputs --------------------------------------------------
note_of() { printf '%s\n' "$2" >>"$out/$1/note"; }

# A results.json of no tests that says $3 (our own words: printable ASCII).
json_note() {
    local text=$3
    text=${text//\\/\\\\}
    text=${text//\"/\\\"}
    text=${text//$'\n'/\\n}
    printf '{"score": 0, "max_score": %s, "output": "%s", "visibility": "visible", "stdout_visibility": "visible", "tests": []}\n' \
        "$2" "$text" >"$1"
}

# The student's rows of grades.csv, the course's total last.
csv_rows() {
    local name=$1 dir=$out/$1 l f zero lnote handed note total_row
    handed=" $(cat "$work/students/$name/handed-out" 2>/dev/null) "
    for l in $LESSONS; do
        if [ -s "$dir/raw/$l.json" ]; then
            f=$dir/raw/$l.json zero=0 lnote=
            [[ $handed == *" $l "* ]] && lnote="not in the submission: graded as handed out"
        else
            f=$baseline/$l.json zero=1 lnote="not graded"
        fi
        "$sl_report" --format tsv "$f" |
            awk -v student="$name" -v lesson="$l" -v zero="$zero" -v note="$lnote" -f grader/batch/csv.awk
    done >"$dir/grades.csv.tmp"
    note=$(paste -sd ';' "$dir/note" 2>/dev/null | sed 's/;/; /g; s/"/""/g')
    total_row=$(awk -F, -v student="$name" -v note="$note" '
        $3 == "total" { p += $4; m += $5 }
        END { printf "%s,total,total,%d,%d,%s\n", student, p, m, note == "" ? "" : "\"" note "\"" }' \
        "$dir/grades.csv.tmp")
    echo "$total_row" >>"$dir/grades.csv.tmp"
    mv "$dir/grades.csv.tmp" "$dir/grades.csv"
}

# After student $1's job ended with status $2: what happened, the raw
# results, results.json, the CSV rows; prints "POINTS/MAX".
finish() {
    local name=$1 rc=$2 dir=$out/$1 tree=$work/students/$1/tree l f missing=
    case $rc in
        0 | 3 | 4) ;;
        124 | 137) note_of "$name" "grading stopped after $TIMEOUT s (TIMEOUT): lessons without results are not graded" ;;
        *) note_of "$name" "the grade ended with status $rc: see grade.log" ;;
    esac
    leftovers "$work/students/$name"
    mkdir -p "$dir/raw"
    for l in $LESSONS; do
        f=$tree/build/skeletons/results/$l.json
        if [ -s "$f" ] && "$sl_report" --summary "$f" >/dev/null 2>&1; then
            cp "$f" "$dir/raw/$l.json"
        else
            [ -s "$f" ] && note_of "$name" "$l: its results file cannot be read: left out"
            missing="$missing $l"
        fi
    done
    if [ "$rc" -ne 0 ] || [ ! -s "$dir/results.json" ]; then
        if [ -n "$(ls -A "$dir/raw")" ]; then
            "$sl_report" --format json --title "socklab (not graded:$missing)" -o "$dir/results.json" \
                "$dir"/raw/*.json 2>>"$dir/grade.log"
        else
            json_note "$dir/results.json" "$course_max" "socklab: $(paste -sd ' ' "$dir/note" 2>/dev/null)"
        fi
    fi
    csv_rows "$name"
    [ -n "$KEEP" ] || rm -rf "${work:?}/students/$name"
    tail -n 1 "$dir/grades.csv" | awk -F, '{ printf "%d/%d\n", $4, $5 }'
}

# ---- the batch --------------------------------------------------------------
running=0 graded=0
start_one() {
    local entry=$1 name=$2 dir=$out/$2
    rm -rf "${dir:?}" "${work:?}/students/$name"
    mkdir -p "$dir" "$work/students/$name"
    BASE=$base LESSONS=$LESSONS SAN=$SAN TEST_JOBS=$test_jobs MAKE=$MAKE MAX_MB=$MAX_MB \
        timeout -k 20 "$TIMEOUT" grader/batch/student.sh "$entry" "$work/students/$name" "$dir" \
        </dev/null >>"$dir/grade.log" 2>&1 &
    job_name[$!]=$name
    running=$((running + 1))
}
reap_one() {
    local pid='' rc name score
    wait -n -p pid
    rc=$?
    [ -n "$pid" ] && [ -n "${job_name[$pid]:-}" ] || return 0
    name=${job_name[$pid]}
    unset "job_name[$pid]"
    running=$((running - 1))
    score=$(finish "$name" "$rc")
    graded=$((graded + 1))
    progress "graded $graded/$total: $name $score"
}
progress "graded 0/$total ($at_once at once, each running $test_jobs test(s) at a time)"
for i in "${!entries[@]}"; do
    while [ "$running" -ge "$at_once" ]; do reap_one; done
    start_one "${entries[$i]}" "${names[$i]}"
done
while [ "$running" -gt 0 ]; do reap_one; done
progress_done

# ---- the class: grades.csv and class.html ----------------------------------
{
    echo "student,lesson,task,points,max,note"
    for name in "${names[@]}"; do cat "$out/$name/grades.csv"; done
} >"$out/grades.csv.tmp" && mv "$out/grades.csv.tmp" "$out/grades.csv"
dirs=()
for name in "${names[@]}"; do dirs+=("$out/$name"); done
"$sl_report" --format class --title "socklab: $(basename -- "$subs")" -o "$out/class.html" "${dirs[@]}" ||
    die 1 "batch: the class report could not be written"
failed=()
for name in "${names[@]}"; do
    [ -n "$(ls -A "$out/$name/raw")" ] || failed+=("$name")
done
took=$(($(date +%s) - start))
msg="batch: $total submission$([ "$total" -eq 1 ] || echo s) graded in $((took / 60))m$((took % 60))s"
[ "${#failed[@]}" -gt 0 ] && msg="$msg (${#failed[@]} not graded: ${failed[*]})"
echo "socklab: $msg" >&2
echo "socklab: wrote $out/grades.csv, $out/class.html and a folder per student" >&2
[ -z "$KEEP" ] || echo "socklab: KEEP=1: the scratch trees are kept in $work/students" >&2
exit 0
