#!/usr/bin/env bash
# dist.sh - the student hand-out: build/socklab.tar.gz, the committed tree
# (git archive HEAD) without solutions/ and .ci/. Every run checks that no
# solution file is inside; with --check it also unpacks it and proves that,
# on its own, it builds, grades to 0, and reports a lesson that does not
# build as such. `--check-only FILE` checks a hand-out made before.
set -eu
: "${BUILD:=build}" "${MAKE:=make}"
out=$BUILD/socklab.tar.gz
# The unpacked hand-out builds in a folder of its own, build/ as a
# student's does, whatever BUILD the caller has (make test BUILD=build-x):
# given on make's command line, it wins over the caller's, in the
# environment and in MAKEFLAGS alike.
hb=build
. grader/scripts/lib.sh
die() { echo "socklab: dist: $*" >&2; exit 1; }  # dist's own, over lib.sh's

make_dist() {
    if ! command -v git >/dev/null 2>&1 || ! git rev-parse --verify -q HEAD >/dev/null 2>&1; then
        [ -d solutions ] || die "this is a hand-out already: make dist packs the teacher's repository (with solutions/), not a hand-out"
        die "make dist needs the project's git repository (it packs what is committed)"
    fi
    if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
        echo "socklab: dist: note: uncommitted changes are not in the hand-out (it packs HEAD)" >&2
    fi
    mkdir -p "$BUILD"
    local tmp
    tmp=$(mktemp -d)
    git archive --format=tar --prefix=socklab/ HEAD -- . ':(exclude)solutions' ':(exclude).ci' \
        ':(exclude)hidden' ':(exclude).github' \
        >"$tmp/dist.tar"
    # The skeletons as handed out, for make test and make reset in the hand-out.
    mkdir -p "$tmp/socklab/grader/pristine"
    git archive --format=tar HEAD -- skeletons | gzip -9n >"$tmp/socklab/grader/pristine/skeletons.tar.gz"
    tar -C "$tmp" -rf "$tmp/dist.tar" socklab/grader/pristine/skeletons.tar.gz
    # GitHub Classroom's autograding workflow, where GitHub runs it from (the
    # teacher's own .github/ stays out: its workflows would run for students).
    if git cat-file -e HEAD:grader/classroom/classroom.yml 2>/dev/null; then
        mkdir -p "$tmp/socklab/.github/workflows"
        git show HEAD:grader/classroom/classroom.yml >"$tmp/socklab/.github/workflows/classroom.yml"
        tar -C "$tmp" -rf "$tmp/dist.tar" socklab/.github/workflows/classroom.yml
    fi
    gzip -9n <"$tmp/dist.tar" >"$out.tmp"
    rm -rf "$tmp"
    mv "$out.tmp" "$out"
}

# Fails if the hand-out holds solutions/ or a copy of any solution file
# (solution_copy_in, grader/scripts/lib.sh).
no_solution_inside() {
    local tmp f
    tar -tzf "$out" | grep -q '^socklab/solutions/' && die "solutions/ is in $out"
    tmp=$(mktemp -d)
    tar -C "$tmp" -xzf "$out"
    if f=$(solution_copy_in "$tmp"); then
        rm -rf "$tmp"
        die "a copy of $f is in $out"
    fi
    rm -rf "$tmp"
}

# In the unpacked hand-out: grades to 0; a lesson that does not build is
# reported, with the compiler's error, and the grade still ends normally.
check_dist() {
    local lesson src  # tmp is global: the EXIT trap removes it after a die
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN EXIT
    tar -C "$tmp" -xzf "$out"
    (cd "$tmp/socklab" && $MAKE --no-print-directory grade EXPECT=zero BUILD="$hb")
    lesson=$(cd "$tmp/socklab/skeletons" && ls -d [0-9][0-9]-* | head -n 1)
    src=$(ls "$tmp/socklab/skeletons/$lesson/"*.c | head -n 1)
    echo 'this is not C;' >>"$src"
    (cd "$tmp/socklab" && $MAKE --no-print-directory grade LESSON="$lesson" QUIET=1 BUILD="$hb") >/dev/null
    # Read through the report tool: every test "build", the compiler's
    # words in the text report.
    local raw=$tmp/socklab/$hb/skeletons/results/$lesson.json report=$tmp/socklab/$hb/grader/sl-report
    "$report" --format tsv "$raw" | awk -F'\t' '$4 != "build" { bad = 1 } END { exit bad }' &&
        "$report" --color never "$raw" | grep -q 'this is not C' ||
        die "a lesson that does not build is not reported as such (see $raw)"
    echo "socklab: dist: a lesson that does not build is reported, with the compiler's error"
}

if [ "${1:-}" = --check-only ]; then
    [ -f "${2:-}" ] || die "--check-only needs a hand-out made before (e.g. $out)"
    out=$2
    check_dist
    exit 0
fi
make_dist
no_solution_inside
echo "socklab: wrote $out ($(tar -tzf "$out" | grep -vc '/$') files, no solutions)"
[ "${1:-}" = --check ] && check_dist
exit 0
