#!/usr/bin/env bash
# run.sh - SAN=thread end to end: lesson 06's reference with the lock of its
# counter taken out (cc_counter_add() in solutions/06-concurrency/
# concurrency.c), graded under ThreadSanitizer in a scratch copy of the
# tree. The grade must lose points, a test's verdict must be ThreadSanitizer's
# data race named in cc_counter_add() at concurrency.c:LINE with the lesson's
# hint for it, and the lesson's tests that never touch the counter must still
# pass. make test grades only the race-free reference under TSan, and the
# self-tests only canned reports: this is the run that proves the chain.
# One line per check; ends with "N passed, N failed", exit 1 if any failed.
#
#   grader/selftest/tsan/run.sh        (from anywhere; MAKE as for make)
set -u
cd "$(dirname "$0")/../../.." || exit 2
: "${MAKE:=make}"
export NO_COLOR=1 LC_ALL=C
lesson=06-concurrency
src=solutions/$lesson/concurrency.c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() {
    failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"
    [ -z "${2:-}" ] || tail -n 15 "$2" | sed 's/^/        | /'
}

[ -f "$src" ] || { echo "run.sh: no $src here (a hand-out?)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "run.sh: python3 is needed (apt-get install -y python3)" >&2; exit 2; }
cp -r Makefile grader lessons skeletons solutions "$tmp/"
# The plant: cc_counter_add() without its lock and unlock; the line the
# race is on is the one that adds.
awk '/^long cc_counter_add\(/ { inside = 1 }
     inside && /pthread_mutex_(un)?lock\(&c->lock\);/ { next }
     inside && /^}/ { inside = 0 }
     { print }' "$src" >"$tmp/$src"
if cmp -s "$src" "$tmp/$src"; then
    fail "the plant: cc_counter_add() without its lock (the function changed shape?)"
    echo "$passed passed, $failed failed"
    exit 1
fi
at=$(grep -n -m1 'c->value += delta' "$tmp/$src" | cut -d: -f1)
log=$tmp/grade.log raw=$tmp/build/solutions/results/$lesson.json
env -C "$tmp" $MAKE -s --no-print-directory grade LESSON="$lesson" IMPL=solutions SAN=thread \
    BUILD=build >"$log" 2>&1
if [ ! -s "$raw" ]; then
    fail "graded under SAN=thread: no results" "$log"
    echo "$passed passed, $failed failed"
    exit 1
fi
read -r p f t _ < <("$tmp/build/grader/sl-report" --summary "$raw")
if [ "$((f + t))" -gt 0 ] && [ "$p" -gt 0 ]; then
    ok "the racy counter loses points under SAN=thread ($p passed, $((f + t)) failed), the rest passes"
else
    fail "the racy counter loses points under SAN=thread, the rest passes ($p passed, $((f + t)) failed)" "$log"
fi
# The first test that the race ended: its verdict and its hint, from the
# results as the driver wrote them (the text report wraps them).
read_race() {
    python3 - "$raw" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["tests"]:
    if "ThreadSanitizer" in t.get("message", ""):
        print(t["message"].split("\n")[0])
        print(t.get("hint", "").replace("\n", " "))
        break
PY
}
{ read -r verdict; read -r hint; } < <(read_race)
want="crashed: ThreadSanitizer: data race, in cc_counter_add at $src:$at"
if [ "${verdict:-}" = "$want" ]; then
    ok "its verdict: $want"
else
    fail "its verdict: $want (got: ${verdict:-none})" "$log"
fi
case ${hint:-} in
    *"no lock between them"*c-\>lock*) ok "with the lesson's hint for a data race: ${hint:0:60}..." ;;
    *) fail "with the lesson's hint for a data race (got: ${hint:-none})" "$log" ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
