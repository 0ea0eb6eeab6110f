#!/usr/bin/env bash
# generate.sh - GitHub Classroom's autograding workflow for the hand-out
# repository, written from the lessons of this tree and their points.
#
#   grader/classroom/generate.sh [OUT]   from the top of the tree; OUT is
#                                        grader/classroom/classroom.yml by
#                                        default, - for standard output
#
# make dist puts grader/classroom/classroom.yml at .github/workflows/ of
# the hand-out, where Classroom runs it on every push of a student. It has
# the shape of Classroom's own workflows: one
# education/autograding-command-grader@v1 step per lesson, whose command
# grades that lesson and exits 0 only when it has full marks (so the step
# earns the lesson's points, its max-score, or none), then
# education/autograding-grading-reporter@v1 with each step's result.
#
# A lesson's points are those of its tests as the hand-out has them: the
# listing of build/meta/L (built here as make grade builds it), less the
# teacher's hidden tests. Run it again when a lesson or a test's points
# change (grader/classroom/check.sh says when it is out of date).
set -eu
: "${BUILD:=build}" "${MAKE:=make}"
out=${1:-grader/classroom/classroom.yml}
die() { echo "socklab: classroom: $*" >&2; exit 1; }
[ -f Makefile ] && [ -d lessons ] || die "run it from the top of the socklab tree"
unset MAKEFLAGS MAKELEVEL MFLAGS LESSON IMPL

# Per lesson: the step's id, its points, and a timeout in minutes: the
# worst case (every test running into its timeout) shared by the runner's
# two cores at least, plus three minutes to build, and five at the least.
steps=() ids=()
mkdir -p "$BUILD/classroom"
for dir in lessons/[0-9][0-9]-*/; do
    lesson=$(basename "$dir")
    $MAKE -s --no-print-directory BUILD="$BUILD" HIDDEN=hidden "$BUILD/meta/$lesson" >/dev/null 2>"$BUILD/classroom/$lesson.log" ||
        die "the tests of $lesson do not build (see $BUILD/classroom/$lesson.log)"
    read -r fields points ms < <("$BUILD/meta/$lesson" --sl-list |
        awk -F'\t' '{ if (NF != 11) bad = 1; if ($11 == 0) { p += $2; ms += $3 } }
                    END { print (bad ? "bad" : "ok"), p + 0, ms + 0 }')
    [ "$fields" = ok ] || die "$BUILD/meta/$lesson --sl-list does not give the 11 fields of grader/common/protocol.h: update generate.sh"
    [ "$points" -gt 0 ] || die "$lesson has no points"
    minutes=$(( (ms / 2000 + 180 + 59) / 60 ))
    [ "$minutes" -ge 5 ] || minutes=5
    [ "$minutes" -le 360 ] || minutes=360
    id=lesson_${lesson//-/_}
    ids+=("$id")
    steps+=("$lesson $id $points $minutes")
done
[ "${#steps[@]}" -gt 0 ] || die "no lessons in lessons/"

emit() {
    cat <<'EOF'
# GitHub Classroom's autograding workflow for the socklab hand-out. Written by
# grader/classroom/generate.sh from the lessons and their points: do not edit
# it, generate it again. make dist puts it at .github/workflows/classroom.yml.
#
# One step per lesson: its command grades that lesson (the report of every
# test is in the step's log) and exits 0 only when the lesson has full marks,
# so the step earns the lesson's points or none. The commands see only PATH
# and HOME: they depend on nothing else.
name: Autograding Tests
'on':
- push
- workflow_dispatch
- repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
    - name: Checkout code
      uses: actions/checkout@v4
    - name: Install what the grader needs
      run: |
        # AddressSanitizer of older compilers crashes at random where ASLR
        # has more entropy (vm.mmap_rnd_bits=32): take it back to 28.
        sudo sysctl -w vm.mmap_rnd_bits=28 || true
        need=$(bash grader/scripts/deps.sh check build)
        if [ -n "$need" ]; then
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends $need
        fi
EOF
    local s lesson id points minutes
    for s in "${steps[@]}"; do
        read -r lesson id points minutes <<<"$s"
        cat <<EOF
    - name: $lesson
      id: $id
      uses: education/autograding-command-grader@v1
      with:
        test-name: $lesson
        setup-command: ''
        command: make grade LESSON=$lesson EXPECT=full
        timeout: $minutes
        max-score: $points
EOF
    done
    echo "    - name: Autograding Reporter"
    echo "      uses: education/autograding-grading-reporter@v1"
    echo "      env:"
    for id in "${ids[@]}"; do
        echo "        ${id^^}_RESULTS: \"\${{steps.$id.outputs.result}}\""
    done
    echo "      with:"
    (IFS=,; echo "        runners: ${ids[*]}")
}

if [ "$out" = - ]; then
    emit
else
    emit >"$out.tmp" && mv "$out.tmp" "$out"
    echo "socklab: wrote $out (${#steps[@]} lessons: $(printf '%s ' "${steps[@]%% *}" | sed 's/ $//'))"
fi
