#!/usr/bin/env bash
# autograder.sh - make autograder: a Gradescope autograder bundle, a zip
# (OUT, default $BUILD/autograder.zip) with at its root:
#   setup.sh, run_autograder, common.sh   from grader/autograder/
#   autograder.conf                       the lessons it grades, its time budget
#   socklab/                              the teacher's tree as committed (git
#                                         archive HEAD; without git, the folder)
#                                         without build/, solutions/ and .ci/,
#                                         plus hidden/: the hidden tests of its
#                                         lessons (HIDDEN, default hidden/)
# Called by make with BUILD MAKE LESSONS (resolved names) ALL_LESSONS (set
# when no LESSON was given) HIDDEN OUT CC.
# SOCKLAB_AUTOGRADER_BUDGET=S sets the seconds a grading may take (default
# 540, under Gradescope's default limit of 10 minutes).
# The zip is written by grader/autograder/sl-zip.c (no zip program needed).
set -eu
: "${BUILD:=build}" "${MAKE:=make}" "${LESSONS:=}" "${ALL_LESSONS:=}" "${HIDDEN:=hidden}" "${OUT:=}" "${CC:=cc}"
. grader/scripts/lib.sh
. grader/autograder/common.sh
out=${OUT:-$BUILD/autograder.zip}
budget=${SOCKLAB_AUTOGRADER_BUDGET:-540}
[[ $budget =~ ^[1-9][0-9]{1,4}$ ]] ||
    die 2 "autograder: SOCKLAB_AUTOGRADER_BUDGET=$budget: give the seconds a grading may take (10 to 99999)"
[ -n "$LESSONS" ] || die 2 "autograder: no lessons to grade"
[ "$HIDDEN" = hidden ] || [ -d "$HIDDEN" ] || die 2 "autograder: HIDDEN=$HIDDEN: there is no such folder"
[ -d "$(dirname -- "$out")" ] || die 2 "autograder: OUT=$out: there is no folder '$(dirname -- "$out")'"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/bundle
mkdir -p "$stage/socklab"

# ---- the teacher's tree ------------------------------------------------------------
if command -v git >/dev/null 2>&1 && git rev-parse --verify -q HEAD >/dev/null 2>&1; then
    if [ -n "$(git status --porcelain --untracked-files=no -- . ':(exclude)solutions' 2>/dev/null)" ]; then
        echo "socklab: autograder: note: uncommitted changes are not in the bundle (it packs HEAD)" >&2
    fi
    git archive --format=tar HEAD -- . ':(exclude)solutions' ':(exclude).ci' ':(exclude)hidden' \
        ':(exclude)build' | tar -C "$stage/socklab" -xf -
    from="commit $(git rev-parse --short HEAD)"
else
    tar -C . --exclude=./build --exclude=./solutions --exclude=./.ci --exclude=./.git \
        --exclude=./hidden -cf - . | tar -C "$stage/socklab" -xf -
    from="the folder $(pwd)"
fi
# A lesson being written (in the folder, not yet committed) is left out of
# the whole course, and stops a bundle that names it.
kept=
for lesson in $LESSONS; do
    if [ -d "$stage/socklab/lessons/$lesson" ]; then
        kept="$kept${kept:+ }$lesson"
    elif [ -n "$ALL_LESSONS" ]; then
        echo "socklab: autograder: note: lesson $lesson is left out: it is not in $from" >&2
    else
        die 1 "autograder: lesson $lesson is not in $from (commit it first)"
    fi
done
LESSONS=$kept
[ -n "$LESSONS" ] || die 1 "autograder: no lesson of $from to grade"

# ---- the hidden tests of the bundle's lessons ------------------------------------------
nhidden=0
if [ -d "$HIDDEN" ]; then
    for lesson in $LESSONS; do
        [ -d "$HIDDEN/$lesson" ] || continue
        mkdir -p "$stage/socklab/hidden"
        cp -R "$HIDDEN/$lesson" "$stage/socklab/hidden/$lesson"
        nhidden=$((nhidden + $(find "$HIDDEN/$lesson" -name '*.c' | wc -l)))
    done
    for d in "$HIDDEN"/*/; do
        [ -d "$d" ] || continue
        d=$(basename "$d")
        [[ " $LESSONS " == *" $d "* ]] ||
            echo "socklab: autograder: note: $HIDDEN/$d is left out (not a lesson of this bundle)" >&2
    done
fi

# ---- the scripts at the root, and what they grade ---------------------------------------
cp grader/autograder/setup.sh grader/autograder/run_autograder grader/autograder/common.sh "$stage/"
chmod 755 "$stage/setup.sh" "$stage/run_autograder"
chmod 644 "$stage/common.sh"
cat >"$stage/autograder.conf" <<EOF
# autograder.conf - written by make autograder; read by setup.sh and run_autograder.
SOCKLAB_LESSONS="$LESSONS"
SOCKLAB_BUDGET=$budget
SOCKLAB_BUILT_FROM="$from"
EOF

# ---- no solution inside, under whatever name --------------------------------------
[ ! -e "$stage/socklab/solutions" ] || die 1 "autograder: solutions/ is in the bundle"
if f=$(solution_copy_in "$stage"); then
    die 1 "autograder: a copy of $f is in the bundle"
fi

# ---- the zip ---------------------------------------------------------------------------
zip_tool=$BUILD/autograder/sl-zip
if [ ! -x "$zip_tool" ] || [ grader/autograder/sl-zip.c -nt "$zip_tool" ]; then
    mkdir -p "$BUILD/autograder"
    $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -Wall -Wextra -Werror \
        grader/autograder/sl-zip.c -o "$zip_tool" || die 1 "autograder: grader/autograder/sl-zip.c does not build"
fi
"$zip_tool" -c "$out" "$stage" || die 1 "autograder: could not write $out"
files=$(find "$stage" -type f | wc -l)
echo "socklab: wrote $out ($files files from $from; lessons $LESSONS; $nhidden hidden test file(s); no solutions)"

# ---- how long a grading may take -------------------------------------------------------
# From the lessons' listings, as make grade builds them (the hidden tests of
# hidden/ included; those of another HIDDEN folder are not counted).
total=0 parts=
for lesson in $LESSONS; do
    $MAKE -s --no-print-directory BUILD="$BUILD" HIDDEN=hidden "$BUILD/meta/$lesson" >/dev/null 2>&1 || continue
    s=$(ag_worst_case "$BUILD/meta/$lesson")
    [ -n "$s" ] || continue
    total=$((total + s))
    parts="$parts${parts:+, }$lesson $s s"
done
if [ -n "$parts" ]; then
    echo "socklab: autograder: if every test timed out, one at a time: $parts (limit $budget s per submission)"
    [ "$total" -le "$budget" ] ||
        echo "socklab: autograder: note: over the limit, such a submission would get only its first lessons graded: make one assignment per lesson (make autograder LESSON=NN), or raise the assignment's timeout on Gradescope and SOCKLAB_AUTOGRADER_BUDGET with it" >&2
fi
exit 0
