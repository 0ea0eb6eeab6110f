#!/usr/bin/env bash
# real-clients.sh - lesson 04's programs against clients and servers nobody
# here wrote: Python's socket module, OpenBSD netcat and socat, and through
# the grader's sl-udp-relay as its README shows. Each tool that is not
# installed is skipped with a note; each check prints one line. Exit 0 when
# every check that ran passed, 1 otherwise, 2 on bad usage.
#
#   lessons/04-udp/tests/real-clients.sh BIN_DIR [TOOLS_DIR]
#
# BIN_DIR holds udp-echo-server and udp-echo-client, e.g.
# build/solutions/bin; TOOLS_DIR holds sl-udp-relay (default
# build/grader/bin). Everything runs on loopback (127.0.0.1, ::1 and, for
# broadcast, 127.255.255.255) on ports the kernel picks; every program is
# bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" udp-echo-server udp-echo-client -- "a folder with udp-echo-server, udp-echo-client; TOOLS_DIR, one with sl-udp-relay"
tools=${2:-$(dirname "$0")/../../../build/grader/bin}

# start NAME ARGS...: starts a server, sets $port to where it listens.
start() {
    local name=$1 out
    out=$tmp/$(basename "$1")-$RANDOM.out
    shift
    : >"$out"   # there before the server writes it: the wait below reads it at once
    "$name" "$@" >"$out" 2>"$out.err" &
    pids+=($!)
    rc_wait_listening "$out"
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] || { bad "$name $* printed no listening line: $(head -c 200 "$out.err")"; return 1; }
}

# A free UDP port on loopback (bound, then closed).
free_port() {
    python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
        echo $((20000 + RANDOM % 20000))
}

start "$bin/udp-echo-server" -b 127.0.0.1 -p 0 && p4=$port
start "$bin/udp-echo-server" -b ::1 -p 0 && p6=$port
[ "$failed" = 0 ] || { echo "lesson 04 programs: the servers did not start"; exit 1; }

# ---- Python's socket module --------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    if timeout 20 python3 - "$p4" "$p6" "$bin/udp-echo-client" <<'EOF'
import os, socket, subprocess, sys, threading

p4, p6 = int(sys.argv[1]), int(sys.argv[2])
client = sys.argv[3]
failed = False

def check(what, good):
    global failed
    print("  %s  python3: %s" % ("ok  " if good else "FAIL", what))
    failed = failed or not good

for host, port in (("127.0.0.1", p4), ("::1", p6)):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        for data, words in ((b"hello from python", "a datagram"), (b"", "an empty datagram"),
                            (os.urandom(65507), "65507 random bytes")):
            s.sendto(data, (host, port))
            got, frm = s.recvfrom(65536)
            check("udp-echo-server on %s echoes %s, from its own port" % (host, words),
                  got == data and frm[1] == port)

# udp-echo-client against an echo server written in Python, which checks
# the form of each request: an id, a space, the line.
for host in ("127.0.0.1", "::1"):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    srv = socket.socket(fam, socket.SOCK_DGRAM)
    srv.bind((host, 0))
    seen = []
    def serve():
        srv.settimeout(3)
        try:
            while True:
                d, a = srv.recvfrom(65536)
                seen.append(d)
                srv.sendto(d, a)
        except OSError:
            pass
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    text = b"one\ntwo\n\nlast, with no newline"
    r = subprocess.run([client, host, str(srv.getsockname()[1]), "-t", "300"], input=text,
                       capture_output=True, timeout=10)
    check("udp-echo-client %s with a Python echo server: exit %d, output %s" %
          (host, r.returncode, "as sent" if r.stdout == text else repr(r.stdout[:40])),
          r.returncode == 0 and r.stdout == text)
    check("udp-echo-client %s sent %s" % (host, seen),
          seen == [b"1 one\n", b"2 two\n", b"3 \n", b"4 last, with no newline"])
    srv.close()
sys.exit(1 if failed else 0)
EOF
    then :; else failed=1; fi
else
    skip "python3" "python3"
fi

# ---- OpenBSD netcat ------------------------------------------------------------
if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-u'; then
    got=$(printf 'one line\n' | timeout 5 nc -u -w1 -W1 127.0.0.1 "$p4")
    [ "$got" = "one line" ] && ok "nc -u 127.0.0.1: udp-echo-server echoes a line" ||
        bad "nc -u 127.0.0.1: got '$got'"
    got=$(printf 'six\n' | timeout 5 nc -u -w1 -W1 -6 ::1 "$p6")
    [ "$got" = "six" ] && ok "nc -u -6 ::1: udp-echo-server echoes" || bad "nc -u -6 ::1: got '$got'"
    # udp-echo-client against nc -u -l as the server: nc answers "1 from nc"
    np=$(free_port)
    ( printf '1 from nc\n'; sleep 1 ) | timeout 4 nc -u -l 127.0.0.1 "$np" >"$tmp/nc-server.out" 2>/dev/null &
    ncpid=$!
    sleep 0.3
    got=$(printf 'to nc\n' | timeout 5 "$bin/udp-echo-client" 127.0.0.1 "$np" -t 3000 -r 0)
    st=$?
    kill "$ncpid" 2>/dev/null
    wait "$ncpid" 2>/dev/null
    if [ "$st" = 0 ] && [ "$got" = "from nc" ] && grep -qx '1 to nc' "$tmp/nc-server.out"; then
        ok "udp-echo-client against nc -u -l: sends \"1 to nc\", prints the payload of \"1 from nc\""
    else
        bad "udp-echo-client against nc -u -l: exit $st, printed '$got', nc got '$(head -c 60 "$tmp/nc-server.out")'"
    fi
else
    skip "nc" "OpenBSD netcat (Debian: netcat-openbsd)"
fi

# ---- socat ------------------------------------------------------------------------
if command -v socat >/dev/null 2>&1; then
    got=$(printf 'by socat\n' | timeout 5 socat -t 0.5 - UDP:127.0.0.1:"$p4")
    [ "$got" = "by socat" ] && ok "socat - UDP:127.0.0.1: udp-echo-server echoes" || bad "socat UDP: got '$got'"
    got=$(printf 'by socat 6\n' | timeout 5 socat -t 0.5 - "UDP6:[::1]:$p6")
    [ "$got" = "by socat 6" ] && ok "socat - UDP6:[::1]: udp-echo-server echoes" || bad "socat UDP6: got '$got'"
    sp=$(free_port)
    timeout 6 socat UDP4-RECVFROM:"$sp",bind=127.0.0.1,fork PIPE 2>/dev/null &
    helpers+=($!)
    sleep 0.3
    got=$(printf 'one\ntwo\n' | timeout 5 "$bin/udp-echo-client" 127.0.0.1 "$sp" -t 300)
    [ "$got" = $'one\ntwo' ] && ok "udp-echo-client against socat UDP4-RECVFROM,fork PIPE: both lines" ||
        bad "udp-echo-client against socat's echo: got '$got'"
    # broadcast on loopback, as the README shows
    bp=$(free_port)
    timeout 3 socat -u UDP4-RECV:"$bp",bind=127.255.255.255 - >"$tmp/bcast.out" 2>/dev/null &
    helpers+=($!)
    sleep 0.3
    printf 'no option\n' | timeout 2 socat - UDP4-DATAGRAM:127.255.255.255:"$bp" 2>"$tmp/bcast.err"
    printf 'to all\n' | timeout 2 socat - UDP4-DATAGRAM:127.255.255.255:"$bp",broadcast 2>/dev/null
    sleep 0.3
    if grep -q 'Permission denied' "$tmp/bcast.err" && grep -qx 'to all' "$tmp/bcast.out" &&
       ! grep -q 'no option' "$tmp/bcast.out"; then
        ok "socat to 127.255.255.255: EACCES without broadcast, delivered with it"
    else
        bad "socat broadcast on loopback: got '$(cat "$tmp/bcast.out")', said '$(head -c 100 "$tmp/bcast.err")'"
    fi
else
    skip "socat" "socat"
fi

# ---- through sl-udp-relay, as the README shows ----------------------------------
if [ -x "$tools/sl-udp-relay" ]; then
    if start "$tools/sl-udp-relay" -p 0 --to 127.0.0.1:"$p4" --drop 0.2 --dup 0.2 --seed 3 --max-seconds 20; then
        want=$(seq 10)
        got=$(seq 10 | timeout 20 "$bin/udp-echo-client" 127.0.0.1 "$port" -t 100 -r 8)
        [ "$got" = "$want" ] && ok "udp-echo-client through sl-udp-relay (drop 0.2, dup 0.2): all 10 lines" ||
            bad "udp-echo-client through sl-udp-relay: got '$(echo "$got" | tr '\n' ' ' | head -c 80)'"
    fi
else
    printf '  note  sl-udp-relay skipped: not in %s (make build first)\n' "$tools"
fi

# every server must exit 0 on SIGTERM
for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || continue
    wait "$p"
    st=$?
    [ "$st" = 0 ] || bad "a server (pid $p) exited with status $st after SIGTERM"
done
pids=()
[ "$failed" = 0 ] && echo "lesson 04 programs: every real client came through" ||
    echo "lesson 04 programs: some real clients failed (see above)"
exit "$failed"
