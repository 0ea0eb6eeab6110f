#!/usr/bin/env bash
# check-impl.sh IMPL GRADER_OBJS... -- IMPL_OBJS...
# Run before a lesson's test binary is linked. The student's code shares a
# process with the grader, so it may not define a global symbol that the
# grader, CUnit, jansson or the C library define (defining
# CU_assertImplementation, say, would silence every check), and code other
# than solutions/ may not include a file from solutions/. One line per
# problem, naming the source file; exit 1 if there is any.
set -u
impl=$1
shift
grader=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do grader+=("$1"); shift; done
shift
: "${CC:=cc}"

defined() { nm -g --defined-only "$@" 2>/dev/null | awk 'NF >= 3 { print $3 }'; }

taken=$(mktemp)
trap 'rm -f "$taken"' EXIT
{
    defined "${grader[@]}"
    for lib in libc.so.6 libcunit.so libjansson.so; do
        path=$($CC -print-file-name=$lib)
        [ -e "$path" ] && nm -D --defined-only "$path" 2>/dev/null | awk '{ print $NF }' | sed 's/@.*//'
    done
} | sort -u >"$taken"

status=0
for obj in "$@"; do
    src=${obj#*/obj/}
    src=${src%.o}.c
    for sym in $(defined "$obj" | sort -u | comm -12 - "$taken"); do
        echo "$src: error: defines '$sym', a name the grader or a library it uses defines too: make your function static, or rename it"
        status=1
    done
    if [ "$impl" != solutions ] && [ -f "${obj%.o}.d" ] &&
        grep -q '\(^\|[ /]\)solutions/' "${obj%.o}.d"; then
        echo "$src: error: includes a file from solutions/: write your own code"
        status=1
    fi
done
exit $status
