#!/usr/bin/env bash
# grader/hostile/run.sh - the hostile corpus: each case of
# grader/hostile/manifest planted in a scratch copy of its lesson's
# skeleton and graded with `make grade`, then checked: exit status, time
# within the budget, results that parse and hold what the manifest says,
# reports intact and honest, no forged file in place of the grader's, and
# no process of the case left.
#
#   grader/hostile/run.sh [CASE...]      (from the project's root; all cases
#                                         by default)
#
# One line per check; the run ends with "N passed, N failed" and exits 1 if
# any failed. Cases run one after another, each grade with JOBS=2 (or the
# case's "jobs"), as root and as nobody, with namespaces and without. The
# grader is built once, in a base copy of the tree (Makefile, grader and
# lessons as they are here, skeletons as committed), which each case's
# copy starts from, so a case rebuilds only the file it changed.
#
# Environment: MAKE (make), BUILD (build: the logs go to
# $BUILD/test-logs/hostile/), HOSTILE_KEEP=1 keeps the scratch trees,
# HOSTILE_TREE=head takes Makefile, grader and lessons as committed too
# (by default they are taken as they are here, the grader being tested,
# and the skeletons as committed, as make test grades them);
# HOSTILE_TREE=work takes the skeletons as they are here too;
# HOSTILE_MODES="ns basic" grades only in those modes (make test: ns, each
# case once; make test-long: the other two; by default all three).
set -u
cd "$(dirname "$0")/../.." || exit 2
: "${MAKE:=make}" "${BUILD:=build}"
export NO_COLOR=1 LC_ALL=C
hostile=grader/hostile
logs=$BUILD/test-logs/hostile
mkdir -p "$logs" || exit 2
logs=$(cd "$logs" && pwd)
passed=0 failed=0 knowns=0

ok()   { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
bad()  { failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | head -n 12 | sed 's/^/        | /'; }
note() { printf '  note  %s\n' "$1"; }
# A known grader bug (a "known:" line of the manifest): said, not counted.
known() { knowns=$((knowns + 1)); printf '  known %s\n' "$1"; [ -z "${2:-}" ] || printf '%s\n' "$2" | head -n 4 | sed 's/^/        | /'; }
# check NAME DETAIL CONDITION...: ok if CONDITION (a command) succeeds.
check() { local name=$1 detail=$2; shift 2; if "$@"; then ok "$name"; else bad "$name" "$detail"; fi; }

now() { echo "${EPOCHREALTIME:-$(date +%s.%N)}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- the manifest -------------------------------------------------------------
declare -A budget modes rules
order=()
current=
while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    [[ $line =~ ^[[:space:]]*$ ]] && continue
    if [[ $line =~ ^case[[:space:]] ]]; then
        read -r _ current b m <<<"$line"
        order+=("$current")
        budget[$current]=$b modes[$current]=$m rules[$current]=
    elif [ -n "$current" ]; then
        rules[$current]+="${line#"${line%%[![:space:]]*}"}"$'\n'
    fi
done <"$hostile/manifest"

selected=("$@")
[ "${#selected[@]}" -gt 0 ] || selected=("${order[@]}")
for c in "${selected[@]}"; do
    [ -n "${budget[$c]:-}" ] || { echo "run.sh: no case '$c' in $hostile/manifest" >&2; exit 2; }
    [ -f "$hostile/$c.c" ] || { echo "run.sh: case '$c' has no file $hostile/$c.c" >&2; exit 2; }
done

for tool in flock timeout awk; do
    command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: needs $tool" >&2; exit 2; }
done
have_xmllint=; command -v xmllint >/dev/null 2>&1 && have_xmllint=1

# As root, modes nobody and basic run as nobody (setpriv, else su).
as_nobody=
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    as_nobody=1
    nobody_uid=$(id -u nobody) nobody_gid=$(id -g nobody)
fi

echo "socklab: the hostile corpus (grader/hostile, ${#selected[@]} cases)"
tmp=$(mktemp -d /tmp/socklab-hostile.XXXXXX) || exit 2
chmod 755 "$tmp"   # as root, the tests' own uids must reach the tree
cleanup() { [ -n "${HOSTILE_KEEP:-}" ] && echo "run.sh: kept $tmp" >&2 || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the base tree: built once -----------------------------------------------
base=$tmp/base
mkdir -p "$base"
if [ "${HOSTILE_TREE:-}" = head ]; then
    git archive --format=tar HEAD -- Makefile grader lessons | tar -C "$base" -xf - || exit 2
else
    cp -r Makefile grader lessons "$base/"
fi
rm -rf "$base/grader/hostile"   # the corpus is no part of what is graded
if [ "${HOSTILE_TREE:-}" = work ]; then
    cp -r skeletons "$base/" && from="this tree"
elif git rev-parse --verify -q HEAD >/dev/null 2>&1 && git cat-file -e HEAD:skeletons 2>/dev/null; then
    git archive --format=tar HEAD -- skeletons | tar -C "$base" -xf - && from="git HEAD"
elif [ -f grader/pristine/skeletons.tar.gz ]; then
    tar -C "$base" -xzf grader/pristine/skeletons.tar.gz && from="the hand-out"
else
    cp -r skeletons "$base/" && from="this tree"
fi
lessons=$(for c in "${selected[@]}"; do
              sed -nE 's/^.*(replaces: [a-z_0-9]+ in|adds:|becomes:) skeletons\/([0-9][0-9]-[a-z0-9-]+)\/.*$/\2/p' "$hostile/$c.c" | head -n 1
          done | sort -u)
start=$(now)
if env -C "$base" $MAKE -s --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" build BUILD=build \
        LESSON="$lessons" >"$logs/base-build.log" 2>&1; then
    ok "the base tree (skeletons as in $from) builds: $(echo $lessons) in $(elapsed "$start" "$(now)") s"
else
    bad "the base tree does not build (log: $logs/base-build.log)" "$(tail -n 12 "$logs/base-build.log")"
    echo "$passed passed, $failed failed"
    exit 1
fi
report=$base/build/grader/sl-report   # the trusted renderer, out of the cases' reach
declare -A listing
for l in $lessons; do
    listing[$l]=$("$base/build/grader/sl-run" --tests "$base/build/meta/$l" --list | awk '{ print $1, $2 }' | sort)
done

# ---- processes of a case --------------------------------------------------------
# Is the mark file locked (a process of the case still alive)?
mark_held() { ! flock -n -x "$1" true 2>/dev/null; }

# The pids of processes whose environment holds the tag, or whose working
# folder or program is under the folder: the grade's, the case's.
tagged() {
    local tag=$1 dir=$2
    {
        grep -lzx -- "HOSTILE_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null
        ls -l /proc/[0-9]*/cwd /proc/[0-9]*/exe 2>/dev/null | grep -F -- " -> $dir" |
            grep -oE '/proc/[0-9]+/'
    } | sed -nE 's|^/proc/([0-9]+)/.*|\1|p' | sort -un | grep -vx -e "$$" -e "$BASHPID"
}

# leftovers TAG DIR MARK: nothing of the case may run once make has
# returned. What is found is said, then killed, by pid.
leftovers() {
    local tag=$1 dir=$2 mark=$3 pids held= p out=
    mark_held "$mark" && held=1
    pids=$(tagged "$tag" "$dir")
    [ -z "$held$pids" ] && return 0
    for p in $pids; do
        out+="pid $p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-100)), state $(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)"$'\n'
    done
    [ -n "$held" ] && out+="the case's mark file is still locked"$'\n'
    echo "$out"
    for p in $pids; do kill -KILL "$p" 2>/dev/null; done
    return 1
}

# The check of the checker: a process that holds a mark, and has the tag,
# is seen; once killed, it is not.
selfcheck() {
    local d=$tmp/selfcheck tag="hostile-selfcheck-$$" pid seen=
    mkdir -p "$d" && : >"$d/mark"
    (exec 9<"$d/mark" && flock -s 9 && HOSTILE_TAG=$tag exec sleep 60) </dev/null >/dev/null 2>&1 &
    pid=$!
    for _ in 1 2 3 4 5 6 7 8 9 10; do mark_held "$d/mark" && break; sleep 0.1; done
    mark_held "$d/mark" && [ -n "$(tagged "$tag" "$d")" ] && seen=1
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do mark_held "$d/mark" || break; sleep 0.1; done
    [ -n "$seen" ] && ! mark_held "$d/mark" && [ -z "$(tagged "$tag" "$d")" ]
}
check "the leftover check sees a process that holds a case's mark, and not once it is gone" "" selfcheck

# ---- planting -------------------------------------------------------------------
# plant CASE TREE: puts the case in the tree, and next to it the corpus's
# headers (mark.h as hostile_mark.h...); prints the lesson.
plant() {
    local c=$1 tree=$2 src=$hostile/$1.c head func file
    head=$(sed -n '1,20p' "$src")
    if [[ $head =~ replaces:\ ([a-z_0-9]+)\ in\ ([^ [:space:]]+) ]]; then
        func=${BASH_REMATCH[1]} file=${BASH_REMATCH[2]}
        [ -f "$tree/$file" ] || { echo "no file $file in the skeleton" >&2; return 1; }
        awk -v f="$func" -v src="$src" '
            state == 0 && $0 ~ ("^[A-Za-z_].*[ *]" f "\\(") && $0 !~ /;[[:space:]]*$/ {
                while ((getline l < src) > 0) print l
                state = 1; next
            }
            state == 1 { if ($0 ~ /^}/) state = 2; next }
            { print }
            END { exit state == 2 ? 0 : 1 }' "$tree/$file" >"$tree/$file.new" ||
            { echo "no definition of $func in $file" >&2; return 1; }
        mv "$tree/$file.new" "$tree/$file"
    elif [[ $head =~ adds:\ ([^ [:space:]]+) ]]; then
        file=${BASH_REMATCH[1]}
        [ ! -e "$tree/$file" ] || { echo "$file is there already" >&2; return 1; }
        cp "$src" "$tree/$file"
    elif [[ $head =~ becomes:\ ([^ [:space:]]+) ]]; then
        file=${BASH_REMATCH[1]}
        [ -f "$tree/$file" ] || { echo "no file $file in the skeleton" >&2; return 1; }
        cp "$src" "$tree/$file"
    else
        echo "$src says none of 'replaces: FUNCTION in FILE', 'adds: FILE', 'becomes: FILE'" >&2
        return 1
    fi
    local h
    for h in "$hostile"/*.h; do
        cp "$h" "$tree/$(dirname "$file")/hostile_$(basename "$h")"
    done
    echo "$file" | sed -E 's|^skeletons/([^/]+)/.*|\1|'
}

# ---- one grade of one case ------------------------------------------------------
# grade_case CASE MODE
grade_case() {
    local c=$1 mode=$2 dir=$tmp/$1.$2 tree lesson tag rc t0 secs kind who=""
    local label="$c ($mode)" log
    tree=$dir/tree
    log=$logs/$c.$mode
    mkdir -p "$tree"
    cp -a "$base/." "$tree/"
    if ! lesson=$(plant "$c" "$tree" 2>"$log.plant"); then
        bad "$label: the case cannot be planted" "$(cat "$log.plant")"
        return
    fi
    : >"$tree/hostile-mark"
    chmod 644 "$tree/hostile-mark"
    tag="hostile-$c-$mode-$$-$RANDOM"
    local jobs
    jobs=$(rules_for "$c" ns | awk '$1 == "jobs" { print $2 }')
    local envs=(HOSTILE_TAG="$tag" HOSTILE_MARK="$tree/hostile-mark" HOME="$tree" JOBS="${jobs:-2}")
    [ "$mode" = basic ] && envs+=(SOCKLAB_SANDBOX=basic)
    local run=(env -C "$tree" "${envs[@]}" $MAKE --no-print-directory grade BUILD=build LESSON="$lesson"
               FORMAT=json OUT="$tree/results.json")
    if [ "$mode" != ns ] && [ -n "$as_nobody" ]; then
        chown -R "$nobody_uid:$nobody_gid" "$dir"
        who=" as nobody"
        if command -v setpriv >/dev/null 2>&1; then
            run=(setpriv --reuid="$nobody_uid" --regid="$nobody_gid" --clear-groups "${run[@]}")
        else
            run=(su nobody -s /bin/bash -c "$(printf '%q ' "${run[@]}")")
        fi
    fi
    local had_autograder=; [ -e /autograder ] && had_autograder=1
    # While it runs, a watcher notes whether the case's processes were seen
    # holding their mark: proof that the leftover check can see them.
    rm -f "$dir.seen"
    (while [ ! -e "$dir.done" ]; do
         mark_held "$tree/hostile-mark" && : >"$dir.seen"
         sleep 0.05
     done) </dev/null >/dev/null 2>&1 &
    local watcher=$!
    t0=$(now)
    timeout -k 5 $((budget[$c] * 3 + 20)) "${run[@]}" >"$log.grade" 2>&1
    rc=$?
    secs=$(elapsed "$t0" "$(now)")
    : >"$dir.done"
    wait "$watcher" 2>/dev/null
    # What the grade had: namespaces (ns) or not (basic), and files
    # read-only to the tests (ro) or not, as sl-run noted.
    local runlog=$tree/build/skeletons/logs/$lesson.run.log ro=1
    kind=ns
    grep -qE 'no private namespaces here|namespaces turned off' "$runlog" 2>/dev/null && kind=basic ro=
    grep -q 'files are not isolated' "$runlog" 2>/dev/null && ro=

    # No process of the case may be left: looked at first, before anything
    # else can let one finish.
    local left seen="it was never seen holding its mark: too quick"
    [ -e "$dir.seen" ] && seen="it was seen running during the grade"
    if left=$(leftovers "$tag" "$tree" "$tree/hostile-mark"); then
        ok "$label: no process of the case is left ($seen)"
    else
        bad "$label: processes of the case outlived the grade (killed now)" "$left"
    fi
    local how="with namespaces"
    [ "$kind" = basic ] && how="without namespaces"
    [ -z "$ro" ] && [ "$kind" = ns ] && how="with namespaces, files not isolated"
    if [ "$mode" = basic ] && [ "$kind" != basic ]; then
        bad "$label: SOCKLAB_SANDBOX=basic was not honoured: the tests had namespaces"
    elif [ "$mode" != basic ] && [ "$kind" = basic ]; then
        note "$label: this machine gives the grader no namespaces: graded without"
    fi
    check "$label: make grade$who, $how, exits 0" "exit status $rc; log: $log.grade
$(tail -n 8 "$log.grade")" [ "$rc" = 0 ]
    check "$label: graded in $secs s (budget ${budget[$c]} s)" "" \
        awk -v s="$secs" -v b="${budget[$c]}" 'BEGIN { exit !(s <= b) }'

    local raw=$tree/build/skeletons/results/$lesson.json out=$tree/results.json
    if ! "$report" --format tsv "$raw" >"$log.tsv" 2>"$log.err" || ! "$report" --summary "$raw" >"$log.sum" 2>>"$log.err"; then
        bad "$label: sl-run's results do not parse" "$(cat "$log.err")"
        return
    fi
    if awk -F'\t' '$4 == "build"' "$log.tsv" | grep -q .; then
        bad "$label: the case does not build" "$(grep -m3 'error' "$tree/build/skeletons/logs/$lesson.build.log")"
        return
    fi
    local names
    names=$(awk -F'\t' -v l="$lesson" '{ print ($1 == l ? "" : "lesson " $1 ": ") $3, $6 }' "$log.tsv" | sort)
    check "$label: the results hold each of the lesson's $(wc -l <<<"${listing[$lesson]}") tests once, with its points" \
        "$(diff <(echo "${listing[$lesson]}") <(echo "$names") | head -n 8)" \
        [ "$names" = "${listing[$lesson]}" ]
    reports_intact "$label" "$raw" "$out" "$log"
    verdicts "$label" "$c" "$kind" "$log"
    extras "$label" "$c" "$kind" "$log" "$raw" "$out" "$tree" "$ro"
    if [ -z "$had_autograder" ] && [ -e /autograder ]; then
        bad "$label: the case made /autograder on this machine" "$(ls -lR /autograder 2>&1 | head)"
    fi
    [ -n "${HOSTILE_KEEP:-}" ] || rm -rf "$dir"
}

# reports_intact LABEL RAW OUT LOG: the text, JUnit and JSON reports of the
# results render, and are clean; OUT is exactly what sl-report makes of
# sl-run's results.
reports_intact() {
    local label=$1 raw=$2 out=$3 log=$4 why=""
    "$report" --format text --color never --width 100 "$raw" >"$log.txt" 2>>"$log.err" || why+="the text report does not render; "
    "$report" --format junit "$raw" >"$log.xml" 2>>"$log.err" || why+="the JUnit report does not render; "
    "$report" --format json "$raw" >"$log.json" 2>>"$log.err" || why+="the JSON report does not render; "
    local f
    for f in "$log.txt" "$log.xml" "$log.json" "$raw"; do
        iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || why+="$(basename "$f") is not valid UTF-8; "
        grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$f" && why+="$(basename "$f") holds control characters; "
    done
    if [ -n "$have_xmllint" ]; then
        xmllint --noout "$log.xml" 2>>"$log.err" || why+="the JUnit report is not well-formed XML; "
    fi
    if [ ! -f "$out" ]; then
        why+="no OUT file (results.json); "
    elif ! cmp -s "$out" "$log.json"; then
        why+="OUT (results.json) is not sl-report's rendering of sl-run's results; "
    fi
    check "$label: the reports (text, JUnit, OUT as JSON) are intact and OUT is the grader's" \
        "${why}log: $log.err" [ -z "$why" ]
}

# The rules of case C that hold for sandbox KIND (ns or basic), one a line,
# without their prefix.
rules_for() {
    local c=$1 kind=$2 r
    while IFS= read -r r; do
        [ -n "$r" ] || continue
        local known=
        [[ $r == known:* ]] && known="known " r=${r#known:} r=${r#"${r%%[![:space:]]*}"}
        case $r in
            ns:*) [ "$kind" = ns ] && echo "$known${r#ns:}" ;;
            basic:*) [ "$kind" = basic ] && echo "$known${r#basic:}" ;;
            *) echo "$known$r" ;;
        esac
    done <<<"${rules[$c]}" | sed -E 's/^[[:space:]]+//'
}

# verdicts LABEL CASE KIND LOG: each verdict line of the manifest, and the
# honesty of the score.
verdicts() {
    local label=$1 c=$2 kind=$3 log=$4
    local -a lines=() pats=() stats=() res=() isknown=()
    local r kw tests st re k
    while IFS= read -r r; do
        k=
        [[ $r == known\ * ]] && k=1 r=${r#known }
        read -r kw tests st re <<<"$r"
        [ "$kw" = verdict ] || continue
        lines+=("$tests $st${re:+ $re}") pats+=("$tests") stats+=("$st") res+=("$re") isknown+=("$k")
    done < <(rules_for "$c" "$kind")
    lines+=("(the others) todo") pats+=("*") stats+=("todo") res+=("") isknown+=("")
    local -a count=() wrong=()
    local i name status earned worth msg expect_points=0 got_points=0 bad_pass=""
    while IFS=$'\t' read -r _ _ name status earned worth msg; do
        for i in "${!pats[@]}"; do
            if governs "${pats[$i]}" "$name"; then
                count[$i]=$((${count[$i]:-0} + 1))
                local why=""
                [[ "|${stats[$i]}|" == *"|$status|"* ]] || why="status $status"
                if [ -n "${res[$i]}" ] && ! grep -qE -- "${res[$i]}" <<<"$msg"; then why+="${why:+, }message"; fi
                if [ "$status" = pass ] && [ "$earned" != "$worth" ]; then why+="${why:+, }passed with $earned of $worth points"; fi
                if [ "$status" != pass ] && [ "$earned" != 0 ]; then why+="${why:+, }$earned points for a $status"; fi
                [ -n "$why" ] && wrong[$i]+="$name: $why: $status: $msg"$'\n'
                if [ "${stats[$i]}" = pass ]; then expect_points=$((expect_points + worth)); fi
                if [ "$status" = pass ] && [[ "|${stats[$i]}|" != *"|pass|"* ]]; then bad_pass+="$name "; fi
                break
            fi
        done
        got_points=$((got_points + earned))
    done <"$log.tsv"
    local last=$((${#lines[@]} - 1))
    for i in "${!lines[@]}"; do
        local what="${count[$i]:-0} test(s) ${pats[$i]//,/, }: ${stats[$i]}${res[$i]:+ /${res[$i]}/}"
        if [ "$i" = "$last" ]; then   # the implicit rule: the rest stop at their TODO()
            [ "${count[$i]:-0}" = 0 ] && continue
            what="the other ${count[$i]} tests: todo"
        fi
        if [ "${count[$i]:-0}" = 0 ]; then
            bad "$label: ${pats[$i]}: no such test in the results (the manifest is wrong)"
        elif [ -n "${isknown[$i]}" ] && [ -n "${wrong[$i]:-}" ]; then
            known "$label: $what" "${wrong[$i]}"
        elif [ -n "${isknown[$i]}" ]; then
            bad "$label: $what: holds now: drop its 'known:' in the manifest"
        elif [ -z "${wrong[$i]:-}" ]; then
            ok "$label: $what"
        else
            bad "$label: $what" "${wrong[$i]}"
        fi
    done
    local sum_points honest=
    read -r _ _ _ sum_points _ <"$log.sum"
    [ -z "$bad_pass" ] && [ "$got_points" = "$expect_points" ] && [ "$sum_points" = "$expect_points" ] && honest=1
    check "$label: score $got_points, the points of the tests that should pass ($expect_points); no test passes that should not" \
        "passed but should not: ${bad_pass:-none}; sl-report --summary: $(cat "$log.sum")" [ -n "$honest" ]
}

# Does the pattern list (comma-separated shell patterns) name the test?
governs() {
    local - p IFS=,
    set -f
    for p in $1; do
        # shellcheck disable=SC2053
        [[ $2 == $p ]] && return 0
    done
    return 1
}

# extras LABEL CASE KIND LOG RAW OUT TREE RO: detail, smaller, forged.
extras() {
    local label=$1 c=$2 kind=$3 log=$4 raw=$5 out=$6 tree=$7 ro=$8 r kw tests re
    while IFS= read -r r; do
        r=${r#known }
        read -r kw tests re <<<"$r"
        case $kw in
            detail)
                if [ -z "$have_xmllint" ]; then
                    note "$label: detail of $tests not checked: xmllint is not installed"
                    continue
                fi
                local t names missing=""
                names=$(awk -F'\t' '{ print $3 }' "$log.tsv")
                for t in $names; do
                    governs "$tests" "$t" || continue
                    xmllint --xpath "string(//testcase[@name='$t'])" "$log.xml" 2>/dev/null |
                        sed -E 's/^[[:space:]]+//' | grep -qE -- "$re" || missing+="$t "
                done
                check "$label: the report of ${tests//,/, } shows /$re/" "not in: $missing" [ -z "$missing" ] ;;
            smaller)
                local f big=""
                for f in "$raw" "$out" "$log.txt" "$log.xml"; do
                    [ "$(wc -c <"$f")" -lt "$tests" ] || big+="$(basename "$f"): $(wc -c <"$f") bytes; "
                done
                check "$label: the results and reports are each under $tests bytes" "$big" [ -z "$big" ] ;;
            forged)
                local word=$tests hits
                hits=$(grep -lF -- "$word" "$raw" "$out" 2>/dev/null)
                check "$label: no forged $word in the grader's results or OUT" "$hits" [ -z "$hits" ]
                hits=$(cd "$tree" && grep -rlIF --exclude='*.c' --exclude='*.h' -- "$word" . 2>/dev/null)
                if [ -n "$ro" ]; then
                    check "$label: the tree was read-only to the tests: no forged file in it" "$hits" [ -z "$hits" ]
                elif [ -n "$hits" ]; then
                    note "$label: without namespaces the case could write $(echo $hits) (files are not isolated: docs/grader.md)"
                fi ;;
        esac
    done < <(rules_for "$c" "$kind")
}

# ---- the corpus ------------------------------------------------------------------
for c in "${selected[@]}"; do
    for m in ${modes[$c]}; do
        case $m in
            ns|nobody|basic) ;;
            *) bad "$c: unknown mode '$m' in the manifest"; continue ;;
        esac
        case " ${HOSTILE_MODES:-ns nobody basic} " in *" $m "*) ;; *) continue ;; esac
        if [ "$m" = nobody ] && [ -z "$as_nobody" ]; then
            note "$c ($m): skipped: run.sh runs as $(id -un), not root, so this would be mode ns again"
            continue
        fi
        if [ "$m" = basic ] && [ -z "$as_nobody" ] && [ "$(id -u)" = 0 ]; then
            note "$c ($m): there is no user nobody here: graded as root"
        fi
        grade_case "$c" "$m"
    done
done

[ "$knowns" = 0 ] || echo "($knowns known grader bugs, not counted: see the 'known:' lines of $hostile/manifest)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
