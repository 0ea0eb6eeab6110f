# real-clients-lib.sh - what every lesson's tests/real-clients.sh shares
# (sourced, not run): its check lines, a scratch folder, the servers it
# starts and stops. Each script runs its programs against clients and
# servers nobody here wrote (python3, nc, socat, ...), on loopback only.
#
#   rc_begin BIN_DIR PROGRAM... -- USAGE
#       checks that BIN_DIR holds each PROGRAM (else prints USAGE, exit 2);
#       sets bin (its absolute path), tmp (a scratch folder, removed at the
#       end), pids (servers) and helpers (other processes: both killed at
#       the end if still running) and failed
#   ok TEXT, bad TEXT, skip WHAT TOOL   one check line each (bad: failed=1)
#   rc_start NAME HOST [ARG...]        starts $bin/NAME -b HOST -p 0 ARG...;
#       sets port to where it listens, or says why not and returns 1
#   rc_wait_listening OUT              waits (3 s at most) until OUT, the
#       stdout of the last server started, holds its listening line, or the
#       server has ended
#   rc_stop_all                        SIGTERM to each server: each must exit 0
#   rc_end WHAT                        the last line, then exit 0 or 1

ok()   { printf '  ok    %s\n' "$1"; }
bad()  { printf '  FAIL  %s\n' "$1"; failed=1; }
skip() { printf '  note  %s skipped: %s is not installed\n' "$1" "$2"; }

rc_cleanup() {
    local p
    for p in "${pids[@]}" "${helpers[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}

rc_begin() {
    local dir=$1 p all usage
    shift
    all="$*"
    usage=${all##*-- }
    for p in "$@"; do
        [ "$p" = -- ] && break
        [ -n "$dir" ] && [ -x "$dir/$p" ] || { echo "usage: $0 BIN_DIR   ($usage)" >&2; exit 2; }
    done
    bin=$(cd "$dir" && pwd)
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/socklab-real-XXXXXX")
    pids=()     # the servers: rc_stop_all wants each to exit 0 on SIGTERM
    helpers=()  # socat and the like: killed at the end
    failed=0
    trap rc_cleanup EXIT
}

rc_start() {
    local name=$1 host=$2 out
    shift 2
    out=$tmp/$name-${host//:/_}-${#pids[@]}.out
    : >"$out"   # there before the server's shell opens it: grep may look first
    "$bin/$name" -b "$host" -p 0 "$@" >"$out" 2>"$out.err" &
    pids+=($!)
    rc_wait_listening "$out"
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] || {
        bad "$name -b $host $* printed no listening line: $(head -c 200 "$out.err")"
        return 1
    }
}

rc_wait_listening() {
    local i
    for i in $(seq 150); do
        grep -q '^listening on ' "$1" && return
        kill -0 "${pids[-1]}" 2>/dev/null || return   # it ended: no line will come
        sleep 0.02
    done
}

rc_stop_all() {
    local p st
    for p in "${pids[@]}"; do
        kill -TERM "$p" 2>/dev/null
        wait "$p"
        st=$?
        [ "$st" = 0 ] || bad "a server (pid $p) exited with status $st after SIGTERM"
    done
    pids=()
}

rc_end() {
    if [ "$failed" = 0 ]; then
        echo "$1: every real client came through"
    else
        echo "$1: some real clients failed (see above)"
    fi
    exit "$failed"
}
