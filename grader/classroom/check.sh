#!/usr/bin/env bash
# check.sh - GitHub Classroom's workflow, checked as Classroom runs it,
# without GitHub: in an unpacked hand-out, each lesson step's command is run
# with nothing but PATH and HOME in its environment (all that
# autograding-command-grader passes on) and must exit non-zero on the
# skeleton as handed out, and on a solution with one file of the skeleton
# put back, and 0 on the reference solution: the step earns the lesson's
# points only with full marks.
#
#   grader/classroom/check.sh [HANDOUT.tar.gz]   from the top of the teacher's
#                                                tree (default: make dist's)
#   KEEP=1 keeps the temporary folder; MAKE, BUILD as for make
#
# Prints one line per check and ends with "N passed, N failed"; exits 1 if
# a check failed.
set -u
: "${MAKE:=make}" "${BUILD:=build}" "${KEEP:=}"
export NO_COLOR=1
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-classroom.XXXXXX") || exit 1
logs=$tmp/logs
mkdir -p "$logs"
trap 'if [ -n "$KEEP" ]; then echo "  note  kept $tmp"; else rm -rf "$tmp"; fi' EXIT
ok()   { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {
    failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"
    [ -n "${2:-}" ] && [ -f "$2" ] && tail -n 25 "$2" | sed 's/^/        | /'
    return 0
}
note() { printf '  note  %s\n' "$1"; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }
unset MAKEFLAGS MAKELEVEL MFLAGS LESSON IMPL
home=${HOME:-$tmp/home}
mkdir -p "$home"

# ---- in the teacher's tree: the committed workflow is current ---------------------
if grader/classroom/generate.sh - >"$tmp/expected.yml" 2>"$logs/generate.log" &&
    cmp -s "$tmp/expected.yml" grader/classroom/classroom.yml; then
    ok "grader/classroom/classroom.yml is up to date with the lessons and their points"
else
    diff "$tmp/expected.yml" grader/classroom/classroom.yml >>"$logs/generate.log" 2>&1
    fail "grader/classroom/classroom.yml is out of date: run grader/classroom/generate.sh" "$logs/generate.log"
fi

# ---- the hand-out -------------------------------------------------------------------
handout=${1:-}
if [ -z "$handout" ]; then
    handout=$tmp/dist/socklab.tar.gz
    if $MAKE --no-print-directory dist BUILD="$tmp/dist" >"$logs/dist.log" 2>&1; then
        ok "make dist writes the hand-out"
    else
        fail "make dist fails" "$logs/dist.log"
        finish
    fi
fi
mkdir -p "$tmp/h"
tar -C "$tmp/h" -xzf "$handout" || { fail "cannot unpack $handout"; finish; }
h=$tmp/h/socklab
wf=$h/.github/workflows/classroom.yml
if [ -f "$wf" ]; then
    ok "the hand-out has .github/workflows/classroom.yml"
else
    fail "the hand-out has no .github/workflows/classroom.yml (grader/scripts/dist.sh puts it there)"
    finish
fi
if (cd "$h" && grader/classroom/generate.sh - >"$tmp/handout.yml" 2>"$logs/handout-generate.log") &&
    cmp -s "$tmp/handout.yml" "$wf"; then
    ok "the hand-out's workflow is what generate.sh makes of the hand-out's lessons"
else
    diff "$tmp/handout.yml" "$wf" >>"$logs/handout-generate.log" 2>&1
    fail "the hand-out's workflow does not match its lessons" "$logs/handout-generate.log"
fi

# The steps as the workflow has them: id, test name, command, timeout,
# max-score (one line each, tab-separated); then the reporter's runners and
# the environment it reads their results from.
awk '
    /^    - name: / { flush(); uses = ""; id = ""; tn = ""; cmd = ""; to = ""; ms = "" }
    /^      id: / { id = $2 }
    /^      uses: / { uses = $2 }
    /^        test-name: / { tn = $2 }
    /^        command: / { sub(/^        command: /, ""); cmd = $0 }
    /^        timeout: / { to = $2 }
    /^        max-score: / { ms = $2 }
    /^        runners: / { print "runners\t" $2 > "/dev/stderr" }
    /^        [A-Z0-9_]+_RESULTS: / { sub(/^ +/, ""); print "env\t" $0 > "/dev/stderr" }
    function flush() {
        if (uses == "education/autograding-command-grader@v1")
            print id "\t" tn "\t" cmd "\t" to "\t" ms
    }
    END { flush() }
' "$wf" >"$tmp/steps.tsv" 2>"$tmp/reporter.tsv"
grep -q '^    - name: Autograding Reporter' "$wf" && grep -q 'uses: education/autograding-grading-reporter@v1' "$wf" ||
    fail "the workflow has no education/autograding-grading-reporter@v1 step"

# One step per lesson of the hand-out, worth the lesson's points.
bad=
lessons=$(cd "$h/lessons" && ls -d [0-9][0-9]-* 2>/dev/null)
for l in $lessons; do
    line=$(awk -F'\t' -v l="$l" '$2 == l' "$tmp/steps.tsv")
    [ -n "$line" ] || { bad="$bad $l: no step;"; continue; }
    IFS=$'\t' read -r id _ cmd to ms <<<"$line"
    (cd "$h" && $MAKE -s --no-print-directory "build/meta/$l") >>"$logs/meta.log" 2>&1 ||
        { bad="$bad $l: its tests do not build;"; continue; }
    want=$("$h/build/meta/$l" --sl-list | awk -F'\t' '$11 == 0 { p += $2 } END { print p + 0 }')
    [ "$ms" = "$want" ] || bad="$bad $l: max-score $ms, the lesson has $want points;"
    [[ $id =~ ^[a-z_][a-z0-9_]*$ ]] || bad="$bad $l: id '$id';"
    [[ $to =~ ^[0-9]+$ ]] && [ "$to" -ge 1 ] && [ "$to" -le 360 ] || bad="$bad $l: timeout '$to';"
    [ -n "$cmd" ] || bad="$bad $l: no command;"
done
[ "$(wc -l <"$tmp/steps.tsv")" = "$(echo $lessons | wc -w)" ] || bad="$bad steps for lessons the hand-out has not;"
if [ -z "$bad" ]; then
    ok "one autograding-command-grader step per lesson ($(echo $lessons | wc -w)), each worth the lesson's points"
else
    fail "the lesson steps:$bad"
fi
ids=$(cut -f1 "$tmp/steps.tsv" | paste -sd, -) tab=$'\t'
bad=
[ "$(awk -F'\t' '$1 == "runners" { print $2 }' "$tmp/reporter.tsv")" = "$ids" ] || bad=" runners are not $ids;"
for id in $(cut -f1 "$tmp/steps.tsv"); do
    grep -qxF "env${tab}${id^^}_RESULTS: \"\${{steps.$id.outputs.result}}\"" "$tmp/reporter.tsv" ||
        bad="$bad no ${id^^}_RESULTS;"
done
if [ -z "$bad" ]; then ok "the reporter reads every step's result"; else fail "the reporter:$bad" "$wf"; fi

# ---- each step's command, as Classroom runs it ------------------------------------
. "$(dirname "$0")/../scripts/lib.sh"  # have_git, reference_into
# run_step KEY MINUTES COMMAND ENV...: the command in the hand-out, with only ENV.
run_step() {
    local key=$1 minutes=$2 cmd=$3
    shift 3
    (cd "$h" && timeout "${minutes}m" env -i "$@" sh -c "$cmd") >"$logs/$key.log" 2>&1
}
while IFS=$'\t' read -r id l cmd to ms; do
    skel=$h/skeletons/$l
    cp -R "$skel" "$tmp/skeleton-$l"
    if run_step "$l-skeleton" "$to" "$cmd" PATH="$PATH"; then
        fail "$l: '$cmd' exits 0 on the skeleton as handed out" "$logs/$l-skeleton.log"
    else
        ok "$l: the step's command fails on the skeleton as handed out (PATH only)"
    fi
    [ -d "solutions/$l" ] || { note "$l: no solution here: the full-marks checks are skipped"; continue; }
    reference_into "$l" "$skel"
    if run_step "$l-solution" "$to" "$cmd" PATH="$PATH" HOME="$home"; then
        ok "$l: the step's command exits 0 on the reference solution (PATH and HOME only)"
    else
        fail "$l: '$cmd' fails on the reference solution" "$logs/$l-solution.log"
    fi
    # One file of the skeleton back in the solution: not full marks any more.
    # (The first that differs: a file given whole, such as server.c, is the
    # same in both.)
    first=
    for f in $(cd "$tmp/skeleton-$l" && ls *.c 2>/dev/null); do
        cmp -s "$tmp/skeleton-$l/$f" "$skel/$f" || { first=$f; break; }
    done
    if [ "$(cd "$skel" && ls *.c 2>/dev/null | wc -l)" -ge 2 ] && [ -n "$first" ]; then
        cp "$tmp/skeleton-$l/$first" "$skel/$first" && touch "$skel/$first"
        if run_step "$l-partial" "$to" "$cmd" PATH="$PATH" HOME="$home"; then
            fail "$l: '$cmd' exits 0 with $first as handed out (not full marks)" "$logs/$l-partial.log"
        else
            ok "$l: the step's command fails short of full marks ($first as handed out)"
        fi
    fi
    rm -rf "$skel" && cp -R "$tmp/skeleton-$l" "$skel" && find "$skel" -type f -exec touch {} +
done <"$tmp/steps.tsv"

finish
