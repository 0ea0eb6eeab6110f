#!/usr/bin/env bash
# real-clients.sh - lesson 05's servers against clients nobody here wrote:
# Python's socket and selectors modules, OpenBSD netcat and socat. Each tool
# that is not installed is skipped with a note; each check prints one line.
# Exit 0 when every check that ran passed, 1 otherwise, 2 on bad usage.
#
#   lessons/05-select/tests/real-clients.sh BIN_DIR [TOOLS_DIR]   (the grader's tools: not needed here)
#
# BIN_DIR holds select-echo-server, poll-echo-server and chat-server, e.g.
# build/solutions/bin. Everything runs on loopback (127.0.0.1 and ::1) on
# ports the kernel picks; every client is bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" select-echo-server poll-echo-server chat-server -- "a folder with select-echo-server, poll-echo-server, chat-server"

rc_start select-echo-server 127.0.0.1 && s4=$port
rc_start select-echo-server ::1 && s6=$port
rc_start poll-echo-server 127.0.0.1 && p4=$port
rc_start poll-echo-server ::1 && p6=$port
rc_start chat-server 127.0.0.1 && c4=$port
rc_start chat-server ::1 && c6=$port
[ "$failed" = 0 ] || { echo "lesson 05 servers: they did not start"; exit 1; }
head -c 1048576 /dev/urandom >"$tmp/random.bin"

# ---- Python: many clients at once, with the selectors module ------------------
if command -v python3 >/dev/null 2>&1; then
    if timeout 30 python3 - "$s4" "$s6" "$p4" "$p6" "$c4" "$c6" <<'EOF'
import selectors, socket, sys, time

s4, s6, p4, p6, c4, c6 = (int(a) for a in sys.argv[1:7])
failed = False

def check(what, good):
    global failed
    print("  %s  python3: %s" % ("ok  " if good else "FAIL", what))
    failed = failed or not good

def crowd_echo(host, port, n):
    """n clients at once, each sending three lines in pieces, in turn."""
    socks = [socket.create_connection((host, port), timeout=5) for _ in range(n)]
    texts = [b"client %d line one\nclient %d line two\nclient %d ends\n" % (i, i, i) for i in range(n)]
    for piece in range(3):
        for s, t in zip(socks, texts):
            s.sendall(t[piece * len(t) // 3:(piece + 1) * len(t) // 3])
    sel = selectors.DefaultSelector()
    got = {}
    for s in socks:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        got[s] = b""
    end = time.time() + 10
    while time.time() < end and any(len(got[s]) < len(t) for s, t in zip(socks, texts)):
        for key, _ in sel.select(0.5):
            chunk = key.fileobj.recv(65536)
            if chunk:
                got[key.fileobj] += chunk
    good = all(got[s] == t for s, t in zip(socks, texts))
    for s in socks:
        s.close()
    return good

for name, host, port in (("select-echo-server", "127.0.0.1", s4), ("select-echo-server", "::1", s6),
                         ("poll-echo-server", "127.0.0.1", p4), ("poll-echo-server", "::1", p6)):
    check("%s on %s echoes 50 clients at once, their lines in pieces" % (name, host),
          crowd_echo(host, port, 50))

def lines_of(s, n, timeout=5):
    """Reads until n lines came (or the timeout): the bytes."""
    s.settimeout(timeout)
    data = b""
    try:
        while data.count(b"\n") < n:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data

for host, port in (("127.0.0.1", c4), ("::1", c6)):
    a, b, c = (socket.create_connection((host, port), timeout=5) for _ in range(3))
    time.sleep(0.2)                      # the server accepts all three
    a.sendall(b"hello fr")
    time.sleep(0.2)
    a.sendall(b"om a\r\n")
    b.sendall(b"and from b\n")
    got_b, got_c = lines_of(b, 1), lines_of(c, 2)
    check("chat-server on %s: a line in two pieces, and a telnet \\r\\n, reach the others whole"
          % host, got_b == b"hello from a\r\n" and
          sorted(got_c.splitlines(True)) == sorted([b"hello from a\r\n", b"and from b\n"]))
    a.settimeout(0.3)
    try:
        own = a.recv(100)
    except socket.timeout:
        own = b"(nothing)"
    check("chat-server on %s: a's own line does not come back to it" % host,
          own == b"and from b\n")
    for s in (a, b, c):
        s.close()
sys.exit(1 if failed else 0)
EOF
    then :; else failed=1; fi
else
    skip "python3" "python3"
fi

# ---- OpenBSD netcat: a chat of three nc ----------------------------------------
if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-N'; then
    for pair in "127.0.0.1 $c4" "::1 $c6"; do
        set -- $pair
        host=$1 port=$2
        # Three nc clients: each says one line after the others have joined,
        # listens a while, then leaves (-N: a half-close at the end of its
        # input, as Ctrl-D). Each must see the other two lines, not its own.
        ncs=()
        for who in ann bob cyd; do
            ( sleep 0.3; printf 'this is %s\n' "$who"; sleep 0.7 ) |
                timeout 5 nc -N "$host" "$port" >"$tmp/nc-$who.out" 2>&1 &
            ncs+=($!)
        done
        wait "${ncs[@]}" 2>/dev/null
        good=1
        for who in ann bob cyd; do
            for other in ann bob cyd; do
                if [ "$other" = "$who" ]; then
                    grep -q "this is $other" "$tmp/nc-$who.out" && good=0
                else
                    grep -qx "this is $other" "$tmp/nc-$who.out" || good=0
                fi
            done
        done
        [ "$good" = 1 ] && ok "nc $host: three nc clients chat through chat-server, each sees the others' lines" ||
            bad "nc $host: three nc clients: ann saw '$(tr '\n' '|' <"$tmp/nc-ann.out")', bob '$(tr '\n' '|' <"$tmp/nc-bob.out")'"
    done
    got=$(printf 'one\ntwo\nno newline at the end' | timeout 5 nc -N 127.0.0.1 "$p4")
    [ "$got" = $'one\ntwo\nno newline at the end' ] && ok "nc -N 127.0.0.1: poll-echo-server echoes, the last line without a newline" ||
        bad "nc -N to poll-echo-server: got '$got'"
    got=$(printf 'six\n' | timeout 5 nc -N -6 ::1 "$s6")
    [ "$got" = "six" ] && ok "nc -N -6 ::1: select-echo-server echoes" || bad "nc -6 to select-echo-server: got '$got'"
else
    skip "nc" "OpenBSD netcat (with -N; Debian: netcat-openbsd)"
fi

# ---- socat: bulk through the echo servers ----------------------------------------
if command -v socat >/dev/null 2>&1; then
    for a in "TCP:127.0.0.1:$s4" "TCP6:[::1]:$s6" "TCP:127.0.0.1:$p4" "TCP6:[::1]:$p6"; do
        if timeout 10 socat -t 5 - "$a" <"$tmp/random.bin" | cmp -s - "$tmp/random.bin"; then
            ok "socat $a: 1 MiB of random bytes comes back exactly"
        else
            bad "socat $a: the 1 MiB did not come back exactly"
        fi
    done
else
    skip "socat" "socat"
fi

rc_stop_all
rc_end "lesson 05 servers"
