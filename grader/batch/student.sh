#!/usr/bin/env bash
# student.sh ENTRY SCRATCH OUTDIR - one submission of a batch. batch.sh runs
# it in the teacher's tree, under `timeout`, several at once, with in the
# environment: BASE (the tree built once, to copy), LESSONS (the lessons to
# grade), SAN, TEST_JOBS (tests at once), MAKE, MAX_MB (largest submission).
#
# ENTRY is a folder holding skeletons/ or NN-topic/ folders (or one folder
# down: an unpacked hand-out), a .tar.gz (make dist's hand-out, worked in),
# or a git repository (its last commit, cloned with --depth 1 from the
# path; nothing else of the student's repository is run or read). Only the
# student's lesson folders are taken, and of them only plain files and
# folders: SCRATCH/tree is a copy of BASE (the teacher's Makefile, grader/,
# lessons/, hidden/ and what they built) with them as its skeletons/.
# A lesson the submission lacks is graded as handed out.
#
# Then make grade FORMAT=json writes OUTDIR/results.json; the raw results
# stay in SCRATCH/tree/build/skeletons/results for batch.sh. What happened
# on the way goes to OUTDIR/note (one line each), what make grade said to
# OUTDIR/grade.log, the lessons graded as handed out to SCRATCH/handed-out.
# Exit status: 0 graded, 3 not a submission (nothing graded), 4 make grade
# failed.
set -u
entry=$1 scratch=$2 outdir=$3
: "${BASE:?}" "${LESSONS:?}" "${SAN:=}" "${TEST_JOBS:=1}" "${MAKE:=make}" "${MAX_MB:=100}"
export LC_ALL=C
tree=$scratch/tree
log=$outdir/grade.log

# A note is our own words, and parts of tool messages that may quote the
# student's file names: kept to one line of printable ASCII.
note() { printf '%s\n' "$*" | LC_ALL=C tr -c '[:print:]\n' '?' | head -c 400 | head -n 1 >>"$outdir/note"; }
not_a_submission() {
    note "not graded: $*"
    exit 3
}

# Does folder $1 hold a lesson folder of ours?
has_lessons() {
    local l
    for l in $LESSONS; do
        [ -d "$1/$l" ] && [ ! -L "$1/$l" ] && return 0
    done
    return 1
}

# The folder of the student's lesson folders in $1: its skeletons/ (a
# copy of the tree), that of the one folder in it (an unpacked hand-out),
# or $1 itself or a folder in it holding NN-topic/ folders (a copy of
# skeletons/). Never through a symbolic link.
find_skeletons() {
    local top=$1 d
    for d in "$top/skeletons" "$top"/*/skeletons; do
        [ -d "$d" ] && [ ! -L "$d" ] && [ ! -L "$(dirname "$d")" ] && { echo "$d"; return 0; }
    done
    for d in "$top" "$top"/*; do
        [ -d "$d" ] && [ ! -L "$d" ] && has_lessons "$d" && { echo "$d"; return 0; }
    done
    return 1
}

is_bare_repo() {
    [ -f "$1/HEAD" ] && [ -d "$1/objects" ] && [ -d "$1/refs" ]
}

# Clones repository $1 into $2: the last commit only, over the file
# protocol alone (no network), with no configuration but ours, no hooks,
# and symbolic links checked out as plain files.
clone() {
    local src
    src=$(realpath -- "$1") || return 1
    GIT_TERMINAL_PROMPT=0 GIT_ALLOW_PROTOCOL=file GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null \
        timeout 120 git -c safe.directory='*' -c core.symlinks=false -c protocol.file.allow=always \
        clone --quiet --depth 1 --no-tags --template= -- "file://$src" "$2" >>"$log" 2>&1 || return 1
    echo "socklab: batch: graded commit $(git -C "$2" rev-parse --short HEAD 2>/dev/null) of $1" >>"$log"
}

# Unpacks tar archive $1 (gzip or not) into $2, within MAX_MB unpacked; the
# first complaint of tar, if any, goes to the note.
untar() {
    local max=$((MAX_MB * 1024 * 1024)) bytes err
    bytes=$(timeout 120 tar -xOf "$1" 2>/dev/null | head -c $((max + 1)) | wc -c)
    [ "$bytes" -le "$max" ] || not_a_submission "the archive unpacks to more than $MAX_MB MB"
    mkdir -p "$2"
    if ! err=$(timeout 120 tar -xf "$1" -C "$2" --no-same-owner --no-same-permissions 2>&1 >/dev/null); then
        # tar's first complaint that is not a warning or its last word
        err=$(grep -v -e 'Removing leading' -e 'Exiting with failure' <<<"$err" | head -n 1)
        [ -n "$(ls -A "$2")" ] || not_a_submission "not a tar archive that unpacks (${err:-tar failed})"
        note "the archive unpacked with errors, the rest is graded: ${err:-tar failed}"
    fi
    return 0
}

# Copies lesson folder $1 to $2: plain files and folders only, with fresh
# times and ordinary modes. Counts what it left out in $dropped.
dropped=0
copy_plain() {
    local src=$1 dest=$2 n
    mkdir -p "$dest"
    n=$(find "$src" -mindepth 1 ! -type f ! -type d -print | wc -l)
    dropped=$((dropped + n))
    (cd "$src" && find . -mindepth 1 \( -type f -o -type d \) -print0) |
        tar -C "$src" --null --no-recursion -T - -cf - |
        tar -C "$dest" -xf - --no-same-owner --no-same-permissions -m
    chmod -R u+rwX,go+rX,go-w "$dest"
}

mkdir -p "$outdir" "$scratch"
# ---- the submission ---------------------------------------------------------
if [ -d "$entry" ] && { [ -d "$entry/.git" ] || is_bare_repo "$entry"; }; then
    clone "$entry" "$scratch/repo" || not_a_submission "a git repository that cannot be cloned (see grade.log)"
    top=$scratch/repo
elif [ -d "$entry" ]; then
    top=$entry
elif [ -f "$entry" ] && [[ $entry == *.tar.gz || $entry == *.tgz || $entry == *.tar ]]; then
    untar "$entry" "$scratch/unpacked"
    top=$scratch/unpacked
elif [ -f "$entry" ]; then
    not_a_submission "a file that is not a .tar.gz: a submission is a folder, a .tar.gz (make dist's) or a git repository"
else
    not_a_submission "neither a folder nor a file"
fi
skel=$(find_skeletons "$top") ||
    not_a_submission "no skeletons/ folder and no lesson folder (${LESSONS// /, }) in the submission"
kb=$(du -sk -- "$skel" 2>/dev/null | cut -f1)
[ "${kb:-0}" -le $((MAX_MB * 1024)) ] || not_a_submission "its skeletons are larger than $MAX_MB MB"

# ---- the tree: the teacher's, with the student's lessons --------------------
mkdir -p "$tree"
tar -C "$BASE" --exclude=./skeletons --exclude=./build/skeletons --exclude=./build/obj/skeletons \
    -cf - . | tar -C "$tree" -xf - || { note "not graded: the grader's tree could not be copied (disk full?)"; exit 4; }
mkdir -p "$tree/skeletons"
found=0 handed_out=
for l in $LESSONS; do
    if [ -d "$skel/$l" ] && [ ! -L "$skel/$l" ]; then
        copy_plain "$skel/$l" "$tree/skeletons/$l"
        found=$((found + 1))
    else
        [ -L "$skel/$l" ] && note "$l: skeletons/$l is a symbolic link: not followed"
        cp -R "$BASE/skeletons/$l" "$tree/skeletons/$l"
        handed_out="$handed_out $l"
    fi
done
[ "$found" -gt 0 ] || not_a_submission "no lesson folder (${LESSONS// /, }) in its skeletons/"
[ -n "$handed_out" ] && note "not in the submission, graded as handed out:$handed_out"
echo "${handed_out# }" >"$scratch/handed-out"
[ "$dropped" -gt 0 ] && note "left out $dropped symbolic link(s) or special file(s): only plain files are graded"

# ---- the grade --------------------------------------------------------------
# Nothing of the batch's own make (its command line, its variables) may
# reach this one.
lessons=$LESSONS san=$SAN jobs=$TEST_JOBS make=$MAKE
unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES GNUMAKEFLAGS SOCKLAB_MAKE_PID BUILD IMPL FORMAT \
    LESSON LESSONS OUT JOBS EXPECT HIDDEN SAN V BIGENDIAN HINT CONFIRM GRADE ALL_LESSONS \
    SUBMISSIONS TIMEOUT KEEP BASE TEST_JOBS MAX_MB MAKE
cd "$tree" || exit 4
QUIET=1 NO_COLOR=1 $make -s --no-print-directory grade FORMAT=json OUT="$outdir/results.json" \
    LESSON="$lessons" JOBS="$jobs" ${san:+SAN="$san"} </dev/null >>"$log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    note "make grade failed (exit $rc): see grade.log"
    exit 4
fi
exit 0
