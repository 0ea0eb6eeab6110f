#!/usr/bin/env bash
# real-clients.sh - lesson 06's servers against clients nobody here wrote:
# Python's socket module (threads of clients at once), OpenBSD netcat and
# socat. Each tool that is not installed is skipped with a note; each check
# prints one line. Exit 0 when every check that ran passed, 1 otherwise, 2
# on bad usage.
#
#   lessons/06-concurrency/tests/real-clients.sh BIN_DIR [TOOLS_DIR]   (the grader's tools: not needed here)
#
# BIN_DIR holds fork-echo-server, thread-echo-server, pool-echo-server and
# udp-framework-echo-server, e.g. build/solutions/bin. Everything runs on
# loopback (127.0.0.1 and ::1) on ports the kernel picks; every client is
# bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" fork-echo-server thread-echo-server pool-echo-server udp-framework-echo-server -- "a folder with fork-echo-server, thread-echo-server, pool-echo-server, udp-framework-echo-server"

rc_start fork-echo-server 127.0.0.1 && f4=$port
rc_start fork-echo-server ::1 && f6=$port
rc_start thread-echo-server 127.0.0.1 && t4=$port
rc_start thread-echo-server ::1 && t6=$port
rc_start pool-echo-server 127.0.0.1 -t 3 -q 8 && p4=$port
rc_start pool-echo-server ::1 && p6=$port
rc_start udp-framework-echo-server 127.0.0.1 && us4=$port
rc_start udp-framework-echo-server ::1 -m fork && uf6=$port
rc_start udp-framework-echo-server 127.0.0.1 -m thread && ut4=$port
[ "$failed" = 0 ] || { echo "lesson 06 servers: they did not start"; exit 1; }
head -c 1048576 /dev/urandom >"$tmp/random.bin"

# ---- Python: many clients at once, each in a thread of the client --------------
if command -v python3 >/dev/null 2>&1; then
    if timeout 60 python3 - "$f4" "$f6" "$t4" "$t6" "$p4" "$p6" "$us4" "$uf6" "$ut4" <<'EOF'
import socket, sys, threading

f4, f6, t4, t6, p4, p6, us4, uf6, ut4 = (int(a) for a in sys.argv[1:10])
failed = False

def check(what, good):
    global failed
    print("  %s  python3: %s" % ("ok  " if good else "FAIL", what))
    failed = failed or not good

def one(host, port, i, results):
    try:
        with socket.create_connection((host, port), timeout=10) as s:
            msg = b"client %d: " % i + b"x" * (i * 37 % 3000) + b"\n"
            s.sendall(msg)
            s.shutdown(socket.SHUT_WR)
            got = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            results[i] = got == msg
    except OSError:
        results[i] = False

def crowd(host, port, n):
    results = [False] * n
    ts = [threading.Thread(target=one, args=(host, port, i, results)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return all(results)

for name, host, port in (("fork-echo-server", "127.0.0.1", f4), ("fork-echo-server", "::1", f6),
                         ("thread-echo-server", "127.0.0.1", t4), ("thread-echo-server", "::1", t6),
                         ("pool-echo-server -t 3 -q 8", "127.0.0.1", p4),
                         ("pool-echo-server", "::1", p6)):
    check("%s on %s: 60 clients at once, each its own echo and the end" % (name, host),
          crowd(host, port, 60))

def dgrams(host, port):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(2)
        for i in range(20):
            msg = b"datagram %d" % i
            s.sendto(msg, (host, port))
            if s.recv(65536) != msg:
                return False
        big = bytes(range(256)) * 200
        s.sendto(big, (host, port))
        return s.recv(65536) == big

for mode, host, port in (("serial", "127.0.0.1", us4), ("fork", "::1", uf6), ("thread", "127.0.0.1", ut4)):
    check("udp-framework-echo-server -m %s on %s: 20 datagrams and one of 51200 bytes come back"
          % (mode, host), dgrams(host, port))
sys.exit(1 if failed else 0)
EOF
    then :; else failed=1; fi
else
    skip "python3" "python3"
fi

# ---- OpenBSD netcat ----------------------------------------------------------------
if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-N'; then
    for a in "127.0.0.1 $f4 fork-echo-server" "::1 $t6 thread-echo-server" "127.0.0.1 $p4 pool-echo-server"; do
        set -- $a
        got=$(printf 'one\ntwo\nno newline at the end' | timeout 5 nc -N "$1" "$2")
        [ "$got" = $'one\ntwo\nno newline at the end' ] && ok "nc -N $1: $3 echoes, and ends the connection after the half-close" ||
            bad "nc -N to $3 on $1: got '$got'"
    done
    got=$(printf 'by udp\n' | timeout 3 nc -u -w 1 127.0.0.1 "$ut4")
    [ "$got" = "by udp" ] && ok "nc -u 127.0.0.1: udp-framework-echo-server -m thread answers" ||
        bad "nc -u to udp-framework-echo-server -m thread: got '$got'"
    got=$(printf 'six\n' | timeout 3 nc -6 -u -w 1 ::1 "$uf6")
    [ "$got" = "six" ] && ok "nc -6 -u ::1: udp-framework-echo-server -m fork answers" ||
        bad "nc -6 -u to udp-framework-echo-server -m fork: got '$got'"
else
    skip "nc" "OpenBSD netcat (with -N; Debian: netcat-openbsd)"
fi

# ---- socat: bulk through the stream servers ---------------------------------------
if command -v socat >/dev/null 2>&1; then
    for a in "TCP:127.0.0.1:$f4" "TCP6:[::1]:$f6" "TCP:127.0.0.1:$t4" "TCP6:[::1]:$t6" "TCP:127.0.0.1:$p4" "TCP6:[::1]:$p6"; do
        if timeout 10 socat -t 5 - "$a" <"$tmp/random.bin" | cmp -s - "$tmp/random.bin"; then
            ok "socat $a: 1 MiB of random bytes comes back exactly"
        else
            bad "socat $a: the 1 MiB did not come back exactly"
        fi
    done
    got=$(printf 'socat datagram' | timeout 3 socat -t 1 - "UDP:127.0.0.1:$us4")
    [ "$got" = "socat datagram" ] && ok "socat UDP:127.0.0.1: udp-framework-echo-server -m serial answers" ||
        bad "socat UDP to udp-framework-echo-server: got '$got'"
else
    skip "socat" "socat"
fi

rc_stop_all
rc_end "lesson 06 servers"
