#!/usr/bin/env bash
# check-impl.sh IMPL GRADER_OBJS... -- IMPL_OBJS...
# Run before a lesson's test binary is linked. The student's code shares a
# process with the test side of the grader, so it may not:
#  - define a global symbol that the grader, CUnit, jansson or the C library
#    define (defining CU_assertImplementation, say, would silence every
#    check), nor a sanitizer's hook (__lsan_*, __asan_*, __ubsan_*,
#    __sanitizer_*: one returning 0 would hide every leak);
#  - call into the grader or CUnit (sl_*, CU_*: only sl_todo, which TODO()
#    calls), the sanitizers' controls, or the calls that reach into another
#    process or load code (ptrace, process_vm_*, pidfd_getfd, dlopen, dlsym);
#  - hold assembly (asm, .incbin could pull any file into the binary);
#  - include a file from solutions/ (unless it is solutions/).
# These raise the bar; they do not make the test process a sandbox (see
# docs/grader.md). One line per problem, naming the source file; exit 1 if
# there is any.
set -u
impl=$1
shift
grader=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do grader+=("$1"); shift; done
shift
: "${CC:=cc}"

defined() { nm -g --defined-only "$@" 2>/dev/null | awk 'NF >= 3 { print $3 }'; }
undefined() { nm -u "$@" 2>/dev/null | awk '{ print $NF }' | sed 's/@.*//'; }

taken=$(mktemp)
trap 'rm -f "$taken"' EXIT
{
    defined "${grader[@]}"
    for lib in libc.so.6 libcunit.so libjansson.so; do
        path=$($CC -print-file-name=$lib)
        [ -e "$path" ] && nm -D --defined-only "$path" 2>/dev/null | awk '{ print $NF }' | sed 's/@.*//'
    done
} | sort -u >"$taken"

solutions=$(realpath -m solutions)
hidden=$(realpath -m "${HIDDEN:-hidden}")
status=0
problem() { echo "$1: error: $2"; status=1; }

# Names of symbols the student may not define, and may not use.
hooks='^(__lsan_|__asan_|__ubsan_|__sanitizer_|__msan_|__tsan_)'
forbidden='^((CU_|sl_).*|__lsan_.*|__sanitizer_(set|install)_.*|ptrace|process_vm_readv|process_vm_writev|pidfd_getfd|dlopen|dlmopen|dlsym|dlvsym)$'

for obj in "$@"; do
    src=${obj#*/obj/}
    src=${src%.o}.c
    for sym in $(defined "$obj" | sort -u | comm -12 - "$taken"); do
        problem "$src" "defines '$sym', a name the grader or a library it uses defines too: make your function static, or rename it"
    done
    for sym in $(defined "$obj" | grep -E "$hooks" | sort -u); do
        problem "$src" "defines '$sym', a hook of the sanitizers that grade your code: remove it"
    done
    for sym in $(undefined "$obj" | grep -E "$forbidden" | grep -vx sl_todo | sort -u); do
        problem "$src" "calls '$sym': code under test may not call into the grader, the sanitizers or other processes"
    done
    if [ -f "$src" ] && grep -qE '(^|[^A-Za-z0-9_])(__asm__|__asm|asm)([^A-Za-z0-9_]|$)|\.incbin' "$src"; then
        problem "$src" "holds assembly (asm): write C"
    fi
    if [ "$impl" != solutions ] && [ -f "${obj%.o}.d" ]; then
        # every file the compiler read, resolved (a symbolic link too)
        for dep in $(sed 's/\\$//; s/^[^:]*://' "${obj%.o}.d" | tr ' ' '\n' | grep -v '^$' | sort -u); do
            case $(realpath -m "$dep") in
                "$solutions"/*) problem "$src" "includes a file from solutions/: write your own code"; break ;;
                "$hidden"/*) problem "$src" "includes a hidden test: write your own code"; break ;;
            esac
        done
    fi
done
exit $status
