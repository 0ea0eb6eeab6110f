#!/usr/bin/env bash
# selftest.sh - the check of make batch (run by make test-long, or by hand
# from the top of the tree: grader/batch/selftest.sh). It builds a folder of
# submissions, one of each kind a teacher meets, runs make batch on it, and
# checks the CSV (each student's totals), the results.json files (valid
# JSON, the CSV's points), the class report (well-formed, self-contained,
# escaped, and rendered by a real browser when Debian's chromium is there:
# its screenshot is kept with the output), and that nothing of the grading
# is left running or lying around. Then a second, small batch with a
# submission that hangs checks the wall-clock bound.
#
# The submissions (lessons 01 and 03, or BATCH_LESSONS):
#   good/         a copy of the tree: skeletons/ holds the reference solutions
#   untouched/    a copy of skeletons/ as handed out (NN-topic/ at the top)
#   broken/       lesson 01 does not compile, lesson 03 is the solution
#   hostile/      lesson 01: a constructor that never returns; lesson 03:
#                 its library a symbolic link to the teacher's solution
#   frank/, grace/  lesson 01 with one and two bugs (failed tests, hints)
#   carol.tar.gz  a hand-out tarball (socklab/...) with lesson 01 solved, its
#                 own lessons/ and Makefile tampered with, and a member that
#                 tries to climb out (../)
#   trudy/        lesson 01 #includes the teacher's solution (absolute path)
#   dave/         a git repository: lesson 01 solved in its last commit,
#                 broken in its working tree (not committed)
#   empty/, notes.txt, mallory/ (skeletons/ a link to solutions/): not
#                 submissions
# Output: BUILD/test-logs/batch/ (grades.csv, class.html, class.png, one
# folder per student) and BUILD/test-logs/batch-make.log. One line per check;
# the run ends with "N passed, N failed", exit 1 if any failed.
set -u
: "${BUILD:=build}" "${MAKE:=make}"
. grader/scripts/lib.sh
export NO_COLOR=1 LC_ALL=C
unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES SUBMISSIONS OUT JOBS LESSON TIMEOUT KEEP
read -r -a lessons <<<"${BATCH_LESSONS:-01-addressing 03-tcp}"
l1=${lessons[0]} l3=${lessons[1]:-}
logs=$BUILD/test-logs
out=$(realpath -m "$logs/batch")
# Not batch.log: make test-long keeps this script's own output there, and
# two writers of one file each from its own offset overwrite each other
# (progress lines went missing that way).
blog=$logs/batch-make.log
passed=0 failed=0 skipped=0
ok()   { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"; [ $# -lt 2 ] || printf '%s\n' "$2" | head -n 15 | sed 's/^/        | /'; }
skip() { skipped=$((skipped + 1)); printf '  skip  %s\n' "$1"; }
check() { # check DESCRIPTION COMMAND...: ok when COMMAND succeeds
    local what=$1 msg
    shift
    if msg=$("$@" 2>&1); then ok "$what"; else fail "$what" "$msg"; fi
}

echo "socklab: make batch, checked (grader/batch/selftest.sh)"
for l in "${lessons[@]}"; do
    [ -d "lessons/$l" ] && [ -d "solutions/$l" ] && [ -d "skeletons/$l" ] ||
        die 1 "selftest: lesson $l needs lessons/, solutions/ and skeletons/ here (the teacher's tree)"
done
[ -n "$l3" ] || die 1 "selftest: give two lessons in BATCH_LESSONS"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-batch-test.XXXXXX") || die 1 "no scratch folder"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; stop_by_signal 2' INT
trap 'rm -rf "$tmp"; stop_by_signal 15' TERM
subs=$tmp/submissions
mkdir -p "$subs" "$tmp/scratch" "$logs"
rm -rf "$out"

# ---- the submissions --------------------------------------------------------
planted=()
# plant FILE SED-SCRIPT: edits FILE; says so when the edit changed nothing.
plant() {
    cp "$1" "$1.orig"
    sed -i "$2" "$1"
    cmp -s "$1" "$1.orig" && planted+=("$1: '$2' changed nothing")
    rm -f "$1.orig"
}
mkdir -p "$subs/good/skeletons" "$subs/untouched" "$subs/broken/skeletons" "$subs/hostile/skeletons" \
    "$subs/frank/skeletons" "$subs/grace/skeletons" "$subs/empty" "$subs/mallory"
for l in "$l1" "$l3"; do
    reference_into "$l" "$subs/good/skeletons/$l"
    reference_into "$l" "$subs/broken/skeletons/$l"
done
cp -r "skeletons/$l1" "skeletons/$l3" "$subs/untouched/"
printf '\nint broken(void) { return 0 }\n' >>"$(ls "$subs/broken/skeletons/$l1"/*.c | head -n 1)"
cp -r "solutions/$l1" "skeletons/$l3" "$subs/hostile/skeletons/"
cat >"$subs/hostile/skeletons/$l1/spin.c" <<'EOF'
/* Runs before main() and never returns. */
static void __attribute__((constructor)) spin_forever(void)
{
    for (volatile unsigned long i = 0;; i++) {
    }
}
EOF
lib3=$subs/hostile/skeletons/$l3/${l3#*-}.c # the lesson's library: tcp.c
[ -f "$lib3" ] || planted+=("$lib3: no such file")
rm -f "$lib3"
ln -s "$PWD/solutions/$l3/$(basename "$lib3")" "$lib3"
# trudy/: lesson 01 is the teacher's solution, included by its absolute path.
mkdir -p "$subs/trudy/skeletons"
cp -r "skeletons/$l1" "skeletons/$l3" "$subs/trudy/skeletons/"
for f in "$subs/trudy/skeletons/$l1"/*.c; do
    printf '#include "%s"\n' "$PWD/solutions/$l1/$(basename "$f")" >"$f"
done
for who in frank grace; do
    cp -r "solutions/$l1" "skeletons/$l3" "$subs/$who/skeletons/"
done
plant "$subs/frank/skeletons/$l1/addressing.c" 's/return port != 0 && port < IPPORT_RESERVED;/return port <= IPPORT_RESERVED;/'
plant "$subs/grace/skeletons/$l1/addressing.c" 's/return port != 0 && port < IPPORT_RESERVED;/return port <= IPPORT_RESERVED;/'
plant "$subs/grace/skeletons/$l1/addressing.c" 's/{(uint8_t)(host >> 8), (uint8_t)host}/{(uint8_t)host, (uint8_t)(host >> 8)}/'
echo "see you next week" >"$subs/notes.txt"
ln -s "$PWD/solutions" "$subs/mallory/skeletons"

# carol.tar.gz: the hand-out as make dist lays it out (socklab/...), worked in.
hand=$tmp/carol/socklab
mkdir -p "$hand/skeletons" "$hand/lessons/$l1/tests"
cp -r "skeletons/$l3" "$hand/skeletons/"
cp -r "solutions/$l1" "$hand/skeletons/"
printf 'grade:\n\t@echo "full marks"\n' >"$hand/Makefile"
echo '/* the student removed every test */' >"$hand/lessons/$l1/tests/test1.c"
echo "climbed out" >"$tmp/escape-carol"
tar -C "$tmp/carol" -cf "$tmp/carol.tar" socklab
tar -rPf "$tmp/carol.tar" --transform='s,^.*escape-carol$,../../../../escape-carol,' "$tmp/escape-carol" 2>/dev/null
rm -f "$tmp/escape-carol"
gzip -c "$tmp/carol.tar" >"$subs/carol.tar.gz"

# dave/: a git repository; what counts is its last commit.
dave_git=
if command -v git >/dev/null 2>&1; then
    dave_git=1
    mkdir -p "$subs/dave/skeletons"
    cp -r "solutions/$l1" "skeletons/$l3" "$subs/dave/skeletons/"
    (cd "$subs/dave" && git init -q && git add -A && git -c user.name=dave -c user.email=dave@example.org \
        commit -qm "lesson 01 done") >/dev/null 2>&1 || dave_git=
    printf '\nint oops(void) { return }\n' >>"$subs/dave/skeletons/$l1/addressing.c"
fi
if [ "${#planted[@]}" -eq 0 ]; then
    ok "the submissions are planted (good, untouched, broken, hostile, trudy, frank, grace, carol.tar.gz, dave, empty, notes.txt, mallory)"
else
    fail "planting the submissions' bugs" "$(printf '%s\n' "${planted[@]}")"
fi

# ---- the batch --------------------------------------------------------------
t0=$(date +%s) start_all=$(date +%s)
TMPDIR=$tmp/scratch $MAKE -s --no-print-directory batch BUILD="$BUILD" SUBMISSIONS="$subs" OUT="$out" LESSON="${lessons[*]}" \
    >"$blog" 2>&1 </dev/null
rc=$?
took=$(($(date +%s) - t0))
students="broken carol dave empty frank good grace hostile mallory notes.txt trudy untouched"
[ -n "$dave_git" ] || students=${students/dave /}
if [ "$rc" -eq 0 ] && [ -s "$out/grades.csv" ] && [ -s "$out/class.html" ]; then
    ok "make batch ran to its end in ${took} s and wrote grades.csv and class.html"
else
    fail "make batch (exit $rc; log: $blog): nothing else to check" "$(tail -n 15 "$blog")"
    echo "$passed passed, $failed failed"
    exit 1
fi
missing=
for s in $students; do
    [ -s "$out/$s/results.json" ] && [ -s "$out/$s/grades.csv" ] || missing="$missing $s"
done
[ -z "$missing" ] && ok "a folder per student, each with results.json and its rows" ||
    fail "students without their folder:$missing" "$(ls "$out")"
n=$(grep -c '^socklab: graded [0-9]*/[0-9]*: ' "$blog")
want=$(wc -w <<<"$students")
grep -q "^socklab: graded $want/$want: " "$blog" && [ "$n" -eq "$want" ] &&
    ok "a progress line per student, off a terminal (graded k/$want: NAME POINTS/MAX)" ||
    fail "progress lines: $n of $want" "$(grep -n 'graded' "$blog" | cat -v | cut -c1-300)"

# ---- grades.csv -------------------------------------------------------------
csv=$out/grades.csv
csv_shape() {
    [ "$(head -n 1 "$csv")" = "student,lesson,task,points,max,note" ] || { echo "header: $(head -n 1 "$csv")"; return 1; }
    awk -F, 'NR > 1 && ($4 !~ /^[0-9]+$/ || $5 !~ /^[0-9]+$/ || $4 + 0 > $5 + 0 || $1 == "" || $2 == "" || $3 == "") {
        print "line " NR ": " $0; bad = 1 } END { exit bad }' "$csv"
}
check "grades.csv: the header, and on every row whole points within the max" csv_shape
csv_sums() {
    awk -F, 'NR > 1 {
        if ($2 != "total" && $3 != "total") { task[$1 SUBSEP $2] += $4; taskmax[$1 SUBSEP $2] += $5 }
        else if ($2 != "total") { les[$1] += $4; lesmax[$1] += $5
            if (task[$1 SUBSEP $2] != $4 || taskmax[$1 SUBSEP $2] != $5) { print $1 " " $2 ": tasks add up to " task[$1 SUBSEP $2] "/" taskmax[$1 SUBSEP $2] ", total row " $4 "/" $5; bad = 1 } }
        else if (les[$1] != $4 || lesmax[$1] != $5) { print $1 ": lessons add up to " les[$1] "/" lesmax[$1] ", total row " $4 "/" $5; bad = 1 }
    } END { exit bad }' "$csv"
}
check "grades.csv: each student's tasks add up to the lesson, the lessons to the course" csv_sums

# points STUDENT [LESSON]: "POINTS MAX" of the course, or of one lesson.
points() {
    if [ $# -eq 1 ]; then awk -F, -v s="$1" '$1 == s && $2 == "total" { print $4, $5 }' "$csv"
    else awk -F, -v s="$1" -v l="$2" '$1 == s && $2 == l && $3 == "total" { print $4, $5 }' "$csv"; fi
}
row_note() { awk -F, -v s="$1" -v l="$2" '$1 == s && $2 == l && $3 == "total" { sub(/^([^,]*,){5}/, ""); print }' "$csv"; }
max1=$(awk -F, -v l="$l1" '$1 == "good" && $2 == l && $3 == "total" { print $5 }' "$csv")
max3=$(awk -F, -v l="$l3" '$1 == "good" && $2 == l && $3 == "total" { print $5 }' "$csv")
max=$((max1 + max3))
expect_total() { # expect_total STUDENT POINTS WHY
    local got
    got=$(points "$1")
    [ "$got" = "$2 $max" ] && ok "grades.csv: $1 $2/$max ($3)" || fail "grades.csv: $1 has '$got', expected '$2 $max' ($3)" "$(grep "^$1," "$csv")"
}
if [ -n "$max1" ] && [ -n "$max3" ] && [ "$max1" -gt 0 ] && [ "$max3" -gt 0 ]; then
    expect_total good "$max" "the solutions: full marks"
    expect_total untouched 0 "the skeletons as handed out"
    expect_total broken "$max3" "$l1 does not build, $l3 is full"
    expect_total hostile 0 "a constructor that hangs, a link to the solution not followed"
    expect_total trudy 0 "#include of the teacher's solution: did not build"
    expect_total carol "$max1" "the tarball's $l1, graded with the teacher's tests"
    [ -n "$dave_git" ] && expect_total dave "$max1" "the repository's last commit"
    for s in empty notes.txt mallory; do expect_total "$s" 0 "not a submission"; done
    for s in frank grace; do
        p=$(points "$s" "$l1")
        [ "${p% *}" -gt 0 ] 2>/dev/null && [ "${p% *}" -lt "$max1" ] &&
            ok "grades.csv: $s ${p% *}/$max1 in $l1 (some tests fail)" || fail "grades.csv: $s has '$p' in $l1"
    done
    [ "$(points frank "$l1" | cut -d' ' -f1)" -gt "$(points grace "$l1" | cut -d' ' -f1)" ] 2>/dev/null &&
        ok "grades.csv: grace (two bugs) below frank (one)" || fail "grades.csv: grace not below frank"
else
    fail "grades.csv: no full marks for good, so no maximum to check against" "$(grep '^good,' "$csv")"
fi
notes_ok() {
    local bad=
    [[ $(row_note broken "$l1") == *"did not build"* ]] || bad="$bad broken/$l1"
    [[ $(row_note hostile "$l3") == *"did not build"* ]] || bad="$bad hostile/$l3"
    [[ $(row_note trudy "$l1") == *"did not build"* ]] || bad="$bad trudy/$l1"
    grep -q 'includes a file from solutions/' "$out/trudy/raw/$l1.json" || bad="$bad trudy(why)"
    grep -q 'symbolic link' "$out/hostile/note" 2>/dev/null || bad="$bad hostile(note)"
    for s in empty notes.txt mallory; do
        grep -q "^$s,total,total,0,[0-9]*,\"not graded: " "$csv" || bad="$bad $s"
    done
    grep -q 'no skeletons/ folder' "$out/empty/note" 2>/dev/null || bad="$bad empty(note)"
    grep -q 'not a .tar.gz' "$out/notes.txt/note" 2>/dev/null || bad="$bad notes.txt(note)"
    [ -z "$bad" ] || { echo "missing or wrong notes:$bad"; grep -h . "$out"/*/note; return 1; }
}
check "grades.csv and the notes say what happened (did not build, not graded, link left out)" notes_ok
hostile_verdict() {
    "$tmp/sl-report" --format tsv "$out/hostile/raw/$l1.json" | awk -F'\t' '$4 == "pass" || $7 !~ /before any test/ { print; bad = 1 } END { exit bad }'
}
# The batch's own sl-report is gone with its scratch; build one of ours to read raw results.
if $MAKE -s --no-print-directory BUILD="$tmp/build" "$tmp/build/grader/sl-report" >>"$blog" 2>&1; then
    ln -s "$tmp/build/grader/sl-report" "$tmp/sl-report"
    check "hostile: every test of $l1 says the code hangs before any test runs" hostile_verdict
    carol_tests() {
        local n m
        n=$("$tmp/sl-report" --summary "$out/carol/raw/$l1.json" | awk '{ print $1 + $2 + $3 }')
        m=$("$tmp/sl-report" --summary "$out/good/raw/$l1.json" | awk '{ print $1 + $2 + $3 }')
        [ "$n" = "$m" ] && [ ! -e "$tmp/escape-carol" ] ||
            { echo "carol: $n tests, the teacher's lesson has $m; $(ls "$tmp"/escape-carol 2>&1)"; return 1; }
    }
    check "carol.tar.gz: graded with the teacher's tests, not the tarball's; nothing unpacked outside" carol_tests
else
    fail "building sl-report to read the raw results (log: $blog)"
fi

# ---- results.json -----------------------------------------------------------
json_valid() {
    if command -v jq >/dev/null 2>&1; then jq -e . "$1" >/dev/null
    elif command -v python3 >/dev/null 2>&1; then python3 -m json.tool "$1" >/dev/null
    else grep -q '^{' "$1" && grep -q '"score"' "$1"; fi
}
json_score() {
    if command -v jq >/dev/null 2>&1; then jq -r '.score' "$1"
    else python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["score"])' "$1"; fi
}
results_ok() {
    local s bad=
    for s in $students; do
        json_valid "$out/$s/results.json" 2>&1 || { bad="$bad $s(invalid)"; continue; }
        [ "$(json_score "$out/$s/results.json")" = "$(points "$s" | cut -d' ' -f1)" ] ||
            bad="$bad $s(score $(json_score "$out/$s/results.json") vs CSV $(points "$s"))"
    done
    [ -z "$bad" ] || { echo "results.json:$bad"; return 1; }
}
if command -v jq >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1; then
    check "results.json: valid JSON for every student, its score the CSV's" results_ok
else
    skip "results.json: neither jq nor python3 here to parse JSON"
fi

# ---- class.html ---------------------------------------------------------------
html=$out/class.html
if command -v xmllint >/dev/null 2>&1; then
    check "class.html: well-formed (xmllint, as XML)" xmllint --noout "$html"
    html_parse() {
        xmllint --html --noout "$html" 2>&1 |
            grep -v 'Tag \(header\|main\|footer\|section\|svg\|line\|rect\|text\|title\) invalid' |
            grep -A2 'error' && return 1
        return 0
    }
    check "class.html: no error from xmllint's HTML parser (beyond the HTML5 tags it does not know)" html_parse
else
    skip "class.html: xmllint is not installed (apt-get install -y libxml2-utils)"
fi
self_contained() {
    grep -n -i -E '<script|<link|<img|<iframe|<object|<embed|src=|href=|url\(|@import|https?:' "$html" && return 1
    grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$html" || { echo "no CSP"; return 1; }
}
check "class.html: self-contained (no script, link, image, URL; a CSP that fetches nothing)" self_contained
html_content() {
    local s bad=
    for s in $students "$l1" "$l3"; do grep -q ">$s<" "$html" || bad="$bad $s"; done
    grep -q '<svg class="hist"' "$html" || bad="$bad histogram"
    grep -q 'The tests most students failed' "$html" || bad="$bad failed-tests"
    grep -q 'addr_port_is_privileged\|privileged' "$html" || bad="$bad frank-and-grace's-test"
    [ -z "$bad" ] || { echo "not in class.html:$bad"; return 1; }
}
check "class.html: every student, every lesson, the histograms, the failed tests and their hints" html_content

# Escaping, with a student's folder made by hand: every string a hostile
# results file or folder name can carry.
escaping() {
    local d="$tmp/class/evil<script>alert(1)</script>" page=$tmp/class/class.html
    mkdir -p "$d/raw"
    printf '<b>note</b> & "quotes"\n' >"$d/note"
    cat >"$d/raw/01-x.json" <<'EOF'
{ "lesson": "01-<i>x</i>", "impl": "skeletons", "tests": [
  { "name": "<script>alert(1)</script>", "points": 2, "status": "fail", "task": 1,
    "task_title": "t\" onmouseover=\"alert(1)", "message": "<img src=x onerror=alert(1)>\nline 2",
    "hint": "</td></tr></table><script>alert(2)</script>" },
  { "name": "ok'test", "points": 1, "status": "pass", "task": 2, "task_title": "'quoted'" } ] }
EOF
    "$tmp/sl-report" --format class -o "$page" "$d" || return 1
    grep -n -i -E '<script|<img|<i>|<b>note| onmouseover="' "$page" && return 1
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$page" || { echo "escaped name not found"; return 1; }
    ! command -v xmllint >/dev/null 2>&1 || xmllint --noout "$page"
}
[ -x "$tmp/sl-report" ] && check "class.html: every string of a student's is escaped (names, notes, tests, hints)" escaping

# Debian's chromium renders it: the screenshot is kept with the output.
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
    render() {
        local png=$out/class.png profile=$tmp/chromium size
        mkdir -p "$profile"
        rm -f "$png"
        HOME=$profile timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
            --no-first-run --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$profile" --screenshot="$png" --window-size=1280,800 "file://$html" \
            >"$logs/batch-chromium.log" 2>&1
        [ -s "$png" ] || { echo "no screenshot (see $logs/batch-chromium.log)"; tail -n 5 "$logs/batch-chromium.log"; return 1; }
        size=$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216 + $2*65536 + $3*256 + $4 "x" $5*16777216 + $6*65536 + $7*256 + $8 }')
        [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && [ "$size" = 1280x800 ] ||
            { echo "not a 1280x800 PNG: $size"; return 1; }
        [ "$(stat -c %s "$png")" -gt 20000 ] || { echo "the screenshot is nearly empty ($(stat -c %s "$png") bytes)"; return 1; }
    }
    check "class.html: rendered by $(basename "$browser") at 1280x800, screenshot in $out/class.png" render
else
    skip "class.html: not rendered: chromium is not installed (apt-get install -y chromium)"
fi

# ---- what is left behind --------------------------------------------------------
left_running() {
    local p cwd bad=
    for p in /proc/[0-9]*; do
        cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
        case "$cwd" in "$tmp/scratch"*) bad="$bad ${p#/proc/}($cwd)" ;; esac
    done
    [ -z "$bad" ] || { echo "still running:$bad"; return 1; }
}
check "no process of the batch's left running" left_running
check "no scratch tree left behind" test -z "$(ls -A "$tmp/scratch")"

# ---- a submission that hangs: the wall-clock bound -----------------------------
subs2=$tmp/submissions-2
mkdir -p "$subs2/hangs/skeletons" "$subs2/fine/skeletons"
cp -r "skeletons/$l1" "$subs2/hangs/skeletons/"
for f in $(grep -l '#include "todo.h"' "$subs2/hangs/skeletons/$l1"/*.c); do
    sed -i '/#include "todo.h"/a #undef TODO\n#define TODO() for (;;) { }' "$f"
done
cp -r "solutions/$l1" "$subs2/fine/skeletons/"
t0=$(date +%s)
TMPDIR=$tmp/scratch TIMEOUT=20 $MAKE -s --no-print-directory batch BUILD="$BUILD" SUBMISSIONS="$subs2" OUT="$tmp/out-2" LESSON="$l1" \
    >>"$blog" 2>&1 </dev/null
rc=$?
took=$(($(date +%s) - t0))
bound() {
    [ "$rc" -eq 0 ] || { echo "make batch exited $rc"; return 1; }
    grep -q '^hangs,total,total,0,[0-9]*,".*grading stopped after 20 s' "$tmp/out-2/grades.csv" ||
        { cat "$tmp/out-2/grades.csv"; return 1; }
    [ "$(awk -F, '$1 == "fine" && $2 == "total" { print $4 == $5 }' "$tmp/out-2/grades.csv")" = 1 ] ||
        { echo "fine was not graded in full"; return 1; }
    json_valid "$tmp/out-2/hangs/results.json"
}
check "a submission that hangs is stopped at TIMEOUT=20 s and recorded; the other one graded (${took} s)" bound
check "no process of the second batch left running" left_running

echo "$passed passed, $failed failed ($(($(date +%s) - start_all)) s${skipped:+, $skipped skipped})"
[ "$failed" = 0 ]
