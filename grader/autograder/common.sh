# shellcheck shell=bash
# common.sh - what setup.sh and run_autograder share (sourced, not run).
# It sits at the root of the autograder bundle, beside them.
#   ag_clean_env          forget variables that would steer make or the grader
#   ag_fix_modes DIR      make the scripts under DIR executable again
#   ag_sanitizers DIR     choose how sanitized code can run here: sets
#                         AG_SAN (empty: as the Makefile finds) and AG_WRAP
#   ag_worst_case META    seconds a lesson takes if every test times out
#   ag_json_message FILE SCORE TEXT   a results.json with no tests, only TEXT

# Make reads its variables from the environment too, and grade.sh its
# options: whatever called us (a make, a CI job) must not choose the build
# folder, the implementation or the lessons of the grading.
ag_clean_env() {
    unset MAKEFLAGS MAKELEVEL MFLAGS MAKEOVERRIDES GNUMAKEFLAGS SOCKLAB_MAKE_PID \
        BUILD IMPL FORMAT LESSON LESSONS ALL_LESSONS OUT JOBS EXPECT HIDDEN SAN V \
        BIGENDIAN HINT QUIET CONFIRM GRADE
}

# Some unzip programs drop the modes a zip keeps: every file that starts
# with "#!" is a script (run_autograder, grader/scripts/*.sh, ...).
ag_fix_modes() {
    local f first
    while IFS= read -r -d '' f; do
        first=
        IFS= read -r -n 2 first <"$f" 2>/dev/null
        [ "$first" = '#!' ] && [ ! -x "$f" ] && chmod +x "$f"
    done < <(find "$1" -path "$1/build" -prune -o -type f -print0)
    return 0
}

# AddressSanitizer of older compilers (gcc 11 on Ubuntu 22.04) crashes at
# start-up, at random, on kernels with high-entropy ASLR
# (vm.mmap_rnd_bits=32): every test would "crash". A trivial sanitized
# program is run 20 times; if it ever fails, it is tried without ASLR
# (setarch -R, inherited by every process of the grading); if that fails
# too, code is graded without sanitizers, and a note says so.
# shellcheck disable=SC2034  # AG_SAN, AG_WRAP, AG_SAN_NOTE: for the caller
ag_sanitizers() {
    local probe=$1/san-probe arch
    AG_SAN='' AG_WRAP=() AG_SAN_NOTE=''
    printf 'int main(void) { return 0; }\n' |
        ${CC:-cc} -fsanitize=address,undefined -x c - -o "$probe" >/dev/null 2>&1 || return 0
    ag_runs_clean "$probe" && return 0
    arch=$(uname -m)
    if setarch "$arch" -R true >/dev/null 2>&1 && ag_runs_clean setarch "$arch" -R "$probe"; then
        AG_WRAP=(setarch "$arch" -R)
        AG_SAN_NOTE="sanitized programs crash at random here (high-entropy ASLR): grading with ASLR off"
        return 0
    fi
    AG_SAN=none
    AG_SAN_NOTE="sanitized programs crash at random here (high-entropy ASLR, and ASLR cannot be turned off): grading without AddressSanitizer and UBSan"
}

ag_runs_clean() {
    local _
    for _ in $(seq 20); do
        timeout 10 "$@" >/dev/null 2>&1 || return 1
    done
}

# The seconds a lesson takes when every test runs into its timeout, one
# test at a time, from its listing ($1: build/meta/L; the third field, in
# ms, of grader/common/protocol.h). Empty if that is not built.
ag_worst_case() {
    local meta=$1
    [ -x "$meta" ] || return 0
    "$meta" --sl-list 2>/dev/null | awk -F'\t' 'NF == 11 { ms += $3 } END { if (NR) printf "%d\n", (ms + 999) / 1000 }'
}

# A results.json of no tests: score $2 and the text $3 (plain ASCII text
# of ours; quotes, backslashes and newlines are escaped).
ag_json_message() {
    local text=$3
    text=${text//\\/\\\\}
    text=${text//\"/\\\"}
    text=${text//$'\n'/\\n}
    text=${text//$'\t'/ }
    printf '{"score": %s, "output": "%s", "visibility": "visible", "stdout_visibility": "visible", "tests": []}\n' \
        "$2" "$text" >"$1.tmp" && mv -f "$1.tmp" "$1"
}
