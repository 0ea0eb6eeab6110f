#!/usr/bin/env bash
# reset.sh - make reset LESSON=L: puts the hand-out's skeletons/L back, after
# asking, and keeps the student's version as skeletons/L.backup-DATE.
# Without a terminal it asks nothing: it needs CONFIRM=yes.
set -u
: "${LESSONS:=}" "${CONFIRM:=}"
. grader/scripts/lib.sh
. grader/scripts/pristine.sh

set -- $LESSONS
[ $# = 1 ] || die 2 "make reset needs one lesson: make reset LESSON=NN"
lesson=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pristine_skeleton "$lesson" "$tmp" ||
    die 1 "there is no hand-out copy of skeletons/$lesson here (no git history, no grader/pristine/)"
if [ -d "skeletons/$lesson" ] && diff -rq "$tmp/$lesson" "skeletons/$lesson" >/dev/null 2>&1; then
    echo "socklab: skeletons/$lesson is as handed out already: nothing to do"
    exit 0
fi
backup=skeletons/$lesson.backup-$(date +%Y%m%d-%H%M%S)
if [ "$CONFIRM" != yes ]; then
    [ -t 0 ] || die 2 "make reset replaces your skeletons/$lesson: run it in a terminal to confirm, or add CONFIRM=yes"
    printf 'socklab: put back the hand-out'"'"'s skeletons/%s? Yours is kept as %s. [y/N] ' "$lesson" "$backup"
    read -r answer
    case $answer in y|Y|yes|YES) ;; *) echo "socklab: nothing changed"; exit 0 ;; esac
fi
[ -d "skeletons/$lesson" ] && mv "skeletons/$lesson" "$backup"
cp -r "$tmp/$lesson" "skeletons/$lesson"
echo "socklab: skeletons/$lesson is as handed out${backup:+; yours is in $backup}"
