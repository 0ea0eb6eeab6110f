#!/usr/bin/env bash
# check.sh - lint lessons (make check). One line per problem, naming the
# file (and line) and the fix; `socklab: check: L: ok (N tests, M points)`
# for a clean lesson. Exit 0 when clean, 1 on any problem, 2 on bad usage
# or a missing tool.
#
#   check.sh [--root DIR] [LESSON...]
#
# LESSON is NN-topic (or NN, or topic); none: $LESSONS, else every lesson.
# --root DIR lints DIR/{lessons,skeletons,solutions} instead of the
# project's: its tests are then compiled here, not by make (the self-test
# of this script, grader/selftest/lint/run.sh, lints a broken fixture).
# Environment: BUILD (build), MAKE (make), LESSONS, CC (cc).
set -u
: "${BUILD:=build}" "${MAKE:=make}" "${CC:=cc}"
proj=$(cd "$(dirname "$0")/../.." && pwd)
. "$proj/grader/scripts/lib.sh"

usage() {
    echo "usage: grader/scripts/check.sh [--root DIR] [LESSON...]" >&2
    echo "  lints each lesson: unique test names, points, hints, tasks, TODOs, tests of every header function" >&2
    exit 2
}

# ---- tools -------------------------------------------------------------------
# Each tool with the Debian package that has it. gcc itself, not $CC: only
# gcc has -aux-info, which lists a header's prototypes reliably.
need_tools() {
    local pair missing=""
    for pair in gcc:gcc nm:binutils objdump:binutils awk:mawk "${MAKE%% *}":make; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
    done
    [ -e /usr/include/CUnit/CUnit.h ] || missing="$missing libcunit1-dev"
    # shellcheck disable=SC2086 # one package a word
    [ -z "$missing" ] || die 2 "check: missing tools: install them with   sudo apt-get install -y $(printf '%s\n' $missing | sort -u | paste -sd' ')"
}

# ---- options -----------------------------------------------------------------
root=""
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
        --root=*) root=${1#--root=}; shift ;;
        -h|--help) usage ;;
        -*) echo "socklab: check: unknown option '$1'" >&2; usage ;;
        *) args+=("$1"); shift ;;
    esac
done
need_tools

# Paths are shown relative to the project (as make shows them), so work from
# there; a --root inside the project is shown relative to it too.
if [ -n "$root" ]; then
    [ -d "$root/lessons" ] || die 2 "check: --root $root: no folder $root/lessons"
    root=$(cd "$root" && pwd)
fi
cd "$proj" || exit 2
case $root in
    "" | "$proj") root="" ;;
    "$proj"/*) root=${root#"$proj"/}/ ;;
    *) root=$root/ ;;
esac

# A lesson's folder name from NN-topic, NN or topic, or nothing.
resolve_lesson() {
    local l
    for l in "${root}lessons/$1" "${root}lessons/$1"-* "${root}lessons/"[0-9][0-9]-"$1"; do
        [ -d "$l" ] && { basename "$l"; return; }
    done
}

if [ ${#args[@]} -eq 0 ]; then
    if [ -n "$root" ] || [ -z "${LESSONS:-}" ]; then
        for l in "${root}lessons/"[0-9][0-9]-*/; do [ -d "$l" ] && args+=("$(basename "$l")"); done
    else
        read -r -a args <<<"$LESSONS"
    fi
fi
[ ${#args[@]} -gt 0 ] || die 2 "check: no lesson in ${root}lessons/"
lessons=()
for a in "${args[@]}"; do
    l=$(resolve_lesson "$a")
    [ -n "$l" ] || die 2 "check: unknown lesson '$a': valid are $(cd "${root}lessons" && echo [0-9][0-9]-*)"
    lessons+=("$l")
done

# ---- gathering: each step leaves a tab-separated file in $work ----------------

# The tests' objects: from make (project) or compiled here (--root), at
# -O1 as make does, so that a static helper no test uses is dropped and its
# calls do not count. The test library is built without sanitizers in a
# folder of its own, so that plain cc links it whatever SAN the project's
# build uses.
build_tests_here() {
    local lib=$BUILD/check/lib/grader/libsltest.a src objs=()
    run_signalled $MAKE -s --no-print-directory BUILD="$BUILD/check/lib" SAN=none "$lib" \
        >"$work/build.log" 2>&1 || return 1
    mkdir -p "$work/obj"
    for src in "$ldir"/tests/*.c; do
        [ -e "$src" ] || continue
        $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -Igrader/include -I"$ldir" \
            -c "$src" -o "$work/obj/$(basename "${src%.c}").o" >>"$work/build.log" 2>&1 || return 1
        objs+=("$work/obj/$(basename "${src%.c}").o")
    done
    $CC -no-pie -o "$work/meta" "${objs[@]}" "$lib" -lcunit \
        -Wl,--unresolved-symbols=ignore-all >>"$work/build.log" 2>&1
}

# The object of a test source file.
test_obj() {
    if [ -n "$root" ]; then echo "$work/obj/$(basename "${1%.c}").o"; else echo "$BUILD/obj/${1%.c}.o"; fi
}

# list.tsv: the tests as the grader lists them (see grader/common/protocol.h).
list_tests() {
    local meta=$BUILD/meta/$lesson
    if [ -n "$root" ]; then
        build_tests_here && meta=$work/meta
    else
        run_signalled $MAKE -s --no-print-directory BUILD="$BUILD" "$meta" >"$work/build.log" 2>&1
    fi || {
        compile_problem "$work/build.log" "$ldir/tests" "the tests do not build without student code"
        return 1
    }
    "$meta" --sl-list >"$work/list.tsv" 2>"$work/list.log" ||
        { echo "$meta: --sl-list failed: $(head -n 1 "$work/list.log")"; : >"$work/list.tsv"; return 1; }
    # The checks read fields by number: a listing of another shape is this
    # script's problem, said once rather than as nonsense about each test.
    if awk -F'\t' 'NF != 11 { exit 1 }' "$work/list.tsv"; then return 0; fi
    echo "grader/scripts/check.sh: $meta --sl-list does not give the 11 fields of grader/common/protocol.h: update check.sh"
    : >"$work/list.tsv"
    return 1
}

# One line for a failed build: the compiler's first error, which names its
# file and line, and what it stops; else WHERE and the log's first line.
compile_problem() {
    local log=$1 where=$2 what=$3 err
    err=$(grep -m1 -E ': (fatal )?error: ' "$log")
    if [ -n "$err" ]; then
        echo "$err ($what)"
    else
        echo "$where: $what: $(grep -m1 -E 'undefined|error' "$log" || head -n 1 "$log")"
    fi
}

# readme.tsv: number, title, line of each "### Task N: Title".
readme_tasks() {
    awk '/^### Task [0-9]+:/ {
        t = $0; sub(/^### Task /, "", t); n = t; sub(/:.*/, "", n)
        sub(/^[0-9]+:[ \t]*/, "", t); sub(/[ \t]*\{#[^}]*\}[ \t]*$/, "", t); sub(/[ \t]+$/, "", t)
        print n "\t" t "\t" FNR }' "$readme" >"$work/readme.tsv"
}

# groups.tsv: number, title, line of each "@name Task N: title" of the header.
header_groups() {
    awk 'match($0, /@name[ \t]+Task [0-9]+:/) {
        t = substr($0, RSTART + RLENGTH); n = substr($0, RSTART, RLENGTH)
        sub(/.*Task /, "", n); sub(/:/, "", n)
        sub(/\*\/.*/, "", t); sub(/^[ \t]+/, "", t); sub(/[ \t]+$/, "", t)
        print n "\t" t "\t" FNR }' "$header" >"$work/groups.tsv"
}

# Prints "name<TAB>line" for each function that an -aux-info file says is
# declared (C) or defined (F), as $2 says, in source file $3: the name is
# the identifier before the parameter list.
aux_functions() {
    awk -v kind="$2" -v src="$3" '
        match($0, /^\/\* [^ ]+:[0-9]+:[NO][CF] \*\//) {
            head = substr($0, 4, RLENGTH - 6); split(head, f, ":")
            if (f[1] != src || substr(f[3], 2, 1) != kind) next
            rest = substr($0, RLENGTH + 1)
            while (match(rest, /[A-Za-z_][A-Za-z0-9_]* \(/)) {
                name = substr(rest, RSTART, RLENGTH - 2)
                rest = substr(rest, RSTART + RLENGTH)
                if (substr(rest, 1, 1) != "*") { print name "\t" f[2]; break }
            }
        }' "$1"
}

# funcs.tsv: name, line of each function the header declares (its own, not
# those of the headers it includes).
header_functions() {
    if ! gcc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Igrader/include \
        -fsyntax-only -aux-info "$work/header.aux" -x c "$header" >"$work/header.log" 2>&1; then
        compile_problem "$work/header.log" "$header" "the header must compile on its own"
        return 1
    fi
    aux_functions "$work/header.aux" C "$header" | sort -u -k1,1 >"$work/funcs.tsv"
}

# defs.tsv: name, file, line of each function the skeleton defines;
# todos.txt: those whose compiled body calls sl_todo(), i.e. that reach a
# TODO(). Compiled at -O0, so no other function is inlined into them, and a
# TODO() in a comment or under #if 0 does not count.
skeleton_functions() {
    local src base
    : >"$work/defs.tsv"
    : >"$work/todos.txt"
    if [ ! -d "$skel" ]; then
        echo "$skel: missing: the lesson needs a skeleton, each function starting with TODO()"
        touch "$work/skel-failed"
        return 1
    fi
    for src in "$skel"/*.c; do
        [ -e "$src" ] || continue
        base=$work/skel-$(basename "${src%.c}")
        if ! gcc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O0 -Igrader/include \
            -I"$ldir" -I"$skel" -aux-info "$base.aux" -c "$src" -o "$base.o" >"$base.log" 2>&1; then
            compile_problem "$base.log" "$src" "$src must build cleanly"
            touch "$work/skel-failed"
            continue
        fi
        aux_functions "$base.aux" F "$src" | awk -v f="$src" -F'\t' '{ print $1 "\t" f "\t" $2 }' >>"$work/defs.tsv"
        objdump -dr "$base.o" | awk '
            /^[0-9a-f]+ <.*>:$/ { fn = $2; gsub(/[<>:]/, "", fn) }
            /R_[A-Z0-9_]+[ \t]+sl_todo([-+]|$)/ { print fn }' >>"$work/todos.txt"
    done
}

# calls.tsv: file, symbol, programs (0/1) for each undefined symbol of
# each test file's object: what its tests call.
test_calls() {
    local file prog obj
    : >"$work/calls.tsv"
    awk -F'\t' '{ print $8 "\t" $7 }' "$work/list.tsv" | sort -u |
        while IFS=$'\t' read -r file prog; do
            obj=$(test_obj "$file")
            [ -f "$obj" ] || continue
            nm -u "$obj" | awk -v f="$file" -v p="$prog" '{ print f "\t" $NF "\t" p }'
        done >"$work/calls.tsv"
}

# ---- checks: each prints one line per problem ---------------------------------

# Unique names, points > 0, a hint. The listing escapes tab, newline and
# backslash; unesc() undoes it where the text itself matters.
check_tests() {
    awk -F'\t' '
        function unesc(s,  o, i, c) {
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c == "\\") { c = substr(s, ++i, 1); c = c == "t" ? "\t" : c == "n" ? "\n" : c }
                o = o c
            }
            return o
        }
        { at = $8 ":" $9 }
        $1 in seen { printf "%s: test '\''%s'\'' has the name of the test at %s: rename one (the grader runs tests by name, so both would run twice)\n", at, $1, seen[$1] }
        !($1 in seen) { seen[$1] = at }
        $2 + 0 <= 0 { printf "%s: test '\''%s'\'' is worth %s points: give SL_TEST more than 0\n", at, $1, $2 }
        unesc($10) !~ /[^ \t\n]/ { printf "%s: test '\''%s'\'' has no hint: give SL_TEST a hint a student can act on\n", at, $1 }
    ' "$work/list.tsv"
}

# Each file's SL_TASK names a task of the README, with its title; every
# README task has tests.
check_test_tasks() {
    local file num title line want
    awk -F'\t' '{ print $8 "\t" $5 "\t" $6 "\t" $9 }' "$work/list.tsv" | sort -t$'\t' -u -k1,1 |
        while IFS=$'\t' read -r file num title line; do
            title=$(printf '%b' "$title")
            line=$(grep -n -m1 -E '^[[:space:]]*SL_TASK(_PROGRAMS)?[[:space:]]*\(' "$file" | cut -d: -f1)
            want=$(awk -F'\t' -v n="$num" '$1 == n { print $2; exit }' "$work/readme.tsv")
            if ! cut -f1 "$work/readme.tsv" | grep -qx "$num"; then
                echo "$file:$line: task $num is not in $readme: add '### Task $num: $title' there, or give SL_TASK a task it has"
            elif [ "$title" != "$want" ]; then
                echo "$file:$line: SL_TASK($num, \"$title\") does not match $readme's 'Task $num: $want': use the README's title"
            fi
        done
    awk -F'\t' -v r="$readme" -v d="$ldir/tests" 'NR == FNR { has[$5] = 1; next }
        !($1 in has) { printf "%s:%s: Task %s has no tests: add a file with SL_TASK(%s, \"%s\") in %s/\n", r, $3, $1, $1, $2, d }
        ' "$work/list.tsv" "$work/readme.tsv"
}

# The README's tasks and the header's groups: the same numbers and titles
# (case aside: a Doxygen group name reads as a phrase, a heading is
# capitalized). A task whose tests all drive programs needs no group: it
# has no function. A task told twice is reported too.
check_task_groups() {
    awk -F'\t' -v r="$readme" -v h="$header" -v listed="$(test -s "$work/list.tsv" && echo 1)" '
        FILENAME ~ /list.tsv$/ { tests[$5]++; if ($7 == 1) prog[$5]++; next }
        FILENAME ~ /readme.tsv$/ {
            if ($1 in rt) printf "%s:%s: Task %s again (first at line %s): number the tasks once each\n", r, $3, $1, rl[$1]
            else { rt[$1] = $2; rl[$1] = $3 }
            next
        }
        {
            if ($1 in gt) { printf "%s:%s: group Task %s again (first at line %s): one @name group per task\n", h, $3, $1, gl[$1]; next }
            gt[$1] = $2; gl[$1] = $3
            if (!($1 in rt))
                printf "%s:%s: @name Task %s: %s is not in %s: add '\''### Task %s: ...'\'' there, or renumber the group\n", h, $3, $1, $2, r, $1
            else if (tolower($2) != tolower(rt[$1]))
                printf "%s:%s: @name Task %s: %s does not match %s:%s '\''Task %s: %s'\'': use the same title\n", h, $3, $1, $2, r, rl[$1], $1, rt[$1]
        }
        END {
            for (n in rt)
                if (listed && !(n in gt) && !(tests[n] > 0 && prog[n] == tests[n]))
                    printf "%s:%s: Task %s has no group in %s: put its functions in /** @name Task %s: %s ... @{ */ ... /** @} */\n", r, rl[n], n, h, n, rt[n]
        }' "$work/list.tsv" "$work/readme.tsv" "$work/groups.tsv"
}

# Every header function: defined in the skeleton with a TODO(), called by a
# test of a file that loads student code. What could not be built (the
# tests, the skeleton) is not checked: that is already said, once.
check_functions() {
    local listed=0 skel_ok=1
    [ -s "$work/list.tsv" ] && listed=1
    [ -e "$work/skel-failed" ] && skel_ok=0
    awk -F'\t' -v h="$header" -v s="$skel" -v d="$ldir/tests" -v listed=$listed -v skel_ok=$skel_ok '
        FILENAME ~ /defs.tsv$/ { if (!($1 in def)) def[$1] = $2 ":" $3; next }
        FILENAME ~ /todos.txt$/ { todo[$1] = 1; next }
        FILENAME ~ /calls.tsv$/ { if ($3 == 0) called[$2] = 1; next }
        {
            if (skel_ok && !($1 in def))
                printf "%s:%s: %s() is defined in no %s/*.c: add it there, its body starting with TODO()\n", h, $2, $1, s
            else if (skel_ok && !($1 in todo))
                printf "%s: %s() has no TODO(): start its body with TODO() so that its tests say '\''not implemented'\''\n", def[$1], $1
            if (listed && !($1 in called))
                printf "%s:%s: no test calls %s(): add one in %s/\n", h, $2, $1, d
        }' "$work/defs.tsv" "$work/todos.txt" "$work/calls.tsv" "$work/funcs.tsv"
}

# Files of SL_TASK_PROGRAMS tests run with no student code: they may not
# call the lesson's functions.
check_program_tests() {
    local file sym line
    awk -F'\t' 'NR == FNR { f[$1] = 1; next } $3 == 1 && ($2 in f) { print $1 "\t" $2 }' \
        "$work/funcs.tsv" "$work/calls.tsv" |
        while IFS=$'\t' read -r file sym; do
            line=$(grep -n -m1 -w "$sym" "$file" | cut -d: -f1)
            echo "$file${line:+:$line}: calls $sym(), but its tests are SL_TASK_PROGRAMS and run with no student code: drive the program instead, or move the test to a file with SL_TASK"
        done
}

# Every program of lesson.mk has its main file in the skeleton (where a
# solution has none, the skeleton's is built for it too: the Makefile's
# impl_file). make itself reads lesson.mk, so += and continued lines count.
check_programs() {
    local mk=$ldir/lesson.mk p line
    [ -f "$mk" ] || return 0
    for p in $(printf 'include %s\n$(info $(%s_PROGRAMS))\nall: ;\n' "$mk" "$lesson" |
               $MAKE -s --no-print-directory -f - all 2>/dev/null); do
        line=$(grep -n -w -- "$p" "$mk" | grep -v -m1 '^[0-9]*:[[:space:]]*#' | cut -d: -f1)
        [ -f "${root}skeletons/$lesson/$p.c" ] ||
            echo "$mk${line:+:$line}: program '$p' has no main file ${root}skeletons/$lesson/$p.c: add it, with its main()"
    done
}

# ---- one lesson ----------------------------------------------------------------

# The lesson's header: lessons/L/<topic>.h, or with '_' for '-' (a topic
# such as event-loop), or the only header there is.
lesson_header() {
    local topic=${lesson#*-} h
    h=("$ldir"/*.h)
    if [ ! -f "$ldir/$topic.h" ] && [ -f "$ldir/${topic//-/_}.h" ]; then
        echo "$ldir/${topic//-/_}.h"
    elif [ ! -f "$ldir/$topic.h" ] && [ ${#h[@]} = 1 ] && [ -f "${h[0]}" ]; then
        echo "${h[0]}"
    else
        echo "$ldir/$topic.h"
    fi
}

# Fills $work; says what is missing or does not compile.
gather() {
    list_tests && test_calls
    if [ ! -f "$readme" ]; then
        echo "$readme: missing: the lesson's text, with a '### Task N: Title' per task"
    else
        readme_tasks
        [ -s "$work/readme.tsv" ] || echo "$readme: no '### Task N: Title' heading: give each task one"
    fi
    if [ ! -f "$header" ]; then
        echo "$header: missing: the lesson's API, shared by skeleton, solution and tests"
    else
        header_groups
        header_functions
    fi
    skeleton_functions
}

check_lesson() {
    lesson=$1
    ldir=${root}lessons/$lesson
    skel=${root}skeletons/$lesson
    header=$(lesson_header)
    readme=$ldir/README.md
    work=$BUILD/check/${root:+root-$(printf %s "$root" | cksum | cut -d' ' -f1)/}$lesson
    rm -rf "$work"
    mkdir -p "$work"
    local f
    for f in list.tsv readme.tsv groups.tsv funcs.tsv calls.tsv; do : >"$work/$f"; done

    {
        gather
        # Without the tests' list every test-based check would only repeat
        # that the tests do not build.
        if [ -s "$work/list.tsv" ]; then
            check_tests
            check_test_tasks
            check_program_tests
        fi
        check_task_groups
        check_functions
        check_programs
    } | tee "$work/problems"

    local n
    n=$(grep -c . "$work/problems")
    if [ "$n" -eq 0 ]; then
        awk -F'\t' -v L="$lesson" '{ p += $2 } END { printf "socklab: check: %s: ok (%d tests, %d points)\n", L, NR, p }' \
            "$work/list.tsv"
        return 0
    fi
    echo "socklab: check: $lesson: $n problem$([ "$n" = 1 ] || echo s)"
    return 1
}

status=0
for lesson in "${lessons[@]}"; do
    check_lesson "$lesson" || status=1
done
exit $status
