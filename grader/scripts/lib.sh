# lib.sh - what the scripts share (sourced, not run).
#   die STATUS MESSAGE   one line on stderr, then exit
#   run_signalled CMD... run CMD; when a signal that stops a run (Ctrl-C,
#                        kill, a closed terminal) stopped it, stop too:
#                        under make, by handing make the signal (make then
#                        ends quietly), else by dying of it. Any other death
#                        (SIGKILL of the driver by a test) is returned.
#   solution_copy_in DIR prints the first file of solutions/ that DIR holds
#                        a copy of, under whatever name; 1 if none
#   have_git             0 in a git checkout with a commit
#   reference_into L DIR puts in DIR (made anew) what a student who has
#                        finished lesson L hands in: the skeleton's files,
#                        then the solution's over them (a solution holds
#                        only what the student writes), as committed
#                        (without git, as they are here)

die() {
    local status=$1
    shift
    echo "socklab: $*" >&2
    exit "$status"
}

# Ends this script as if by signal number $1.
stop_by_signal() {
    local sig=$1
    if [ -n "${SOCKLAB_MAKE_PID:-}" ]; then
        kill -s "$sig" "$SOCKLAB_MAKE_PID" 2>/dev/null
        exit 0
    fi
    trap - "$sig"
    kill -s "$sig" $$
    exit $((128 + sig))
}

run_signalled() {
    "$@"
    local rc=$?
    case $((rc - 128)) in
        1|2|3|15) stop_by_signal $((rc - 128)) ;;  # HUP, INT, QUIT, TERM: someone stopped us
    esac
    return "$rc"
}

# A file the skeleton has too, byte for byte (the server.c of lessons 03,
# 05 and 08, given whole), is handed out on purpose: it is no solution.
# Empty files are passed over (they say nothing).
solution_copy_in() {
    local dir=$1 f
    [ -d solutions ] || return 1
    while IFS= read -r -d '' f; do
        [ -s "$f" ] || continue
        cmp -s "$f" "skeletons/${f#solutions/}" && continue
        if find "$dir" -type f -size "$(stat -c %s "$f")c" -exec cmp -s "$f" {} \; -print | grep -q .; then
            echo "$f"
            return 0
        fi
    done < <(find solutions -type f -print0)
    return 1
}

have_git() { command -v git >/dev/null 2>&1 && git rev-parse --verify -q HEAD >/dev/null 2>&1; }

# (Extracted with new times, -m: older than a build's objects, the files
# would not be rebuilt.)
reference_into() {
    local lesson=$1 dir=$2 impl
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    for impl in skeletons solutions; do
        if have_git; then
            git archive --format=tar HEAD -- "$impl/$lesson" |
                tar -C "$dir" -xmf - --strip-components=2 || return 1
        else
            cp -R "$impl/$lesson/." "$dir/" || return 1
        fi
    done
}
