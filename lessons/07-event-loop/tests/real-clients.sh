#!/usr/bin/env bash
# real-clients.sh - lesson 07's servers against clients nobody here wrote:
# Python's socket and selectors modules, OpenBSD netcat and socat, each
# server on each backend (select, poll, epoll). Each tool that is not
# installed is skipped with a note; each check prints one line. Exit 0
# when every check that ran passed, 1 otherwise, 2 on bad usage.
#
#   lessons/07-event-loop/tests/real-clients.sh BIN_DIR [TOOLS_DIR]   (the grader's tools: not needed here)
#
# BIN_DIR holds reactor-echo-server and reactor-chat-server, e.g.
# build/solutions/bin. Everything runs on loopback (127.0.0.1 and ::1) on
# ports the kernel picks; every client is bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" reactor-echo-server reactor-chat-server -- "a folder with reactor-echo-server and reactor-chat-server"
backends="select poll epoll"

# The ports, by name: e4_select (echo, 127.0.0.1, select), c6_epoll (chat, ::1, epoll), ...
declare -A P
for b in $backends; do
    rc_start reactor-echo-server 127.0.0.1 --backend "$b" && P[e4_$b]=$port
    rc_start reactor-echo-server ::1 --backend "$b" && P[e6_$b]=$port
    rc_start reactor-chat-server 127.0.0.1 --backend "$b" && P[c4_$b]=$port
    rc_start reactor-chat-server ::1 --backend "$b" && P[c6_$b]=$port
done
[ "$failed" = 0 ] || { echo "lesson 07 servers: they did not start"; exit 1; }
head -c 1048576 /dev/urandom >"$tmp/random.bin"

# ---- Python: many clients at once, with the selectors module ------------------
if command -v python3 >/dev/null 2>&1; then
    args=()
    for b in $backends; do args+=("$b" "${P[e4_$b]}" "${P[e6_$b]}" "${P[c4_$b]}" "${P[c6_$b]}"); done
    if timeout 60 python3 - "${args[@]}" <<'EOF'
import selectors, socket, sys, time

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

def chat(host, port, backend):
    a, b, c = (socket.create_connection((host, port), timeout=5) for _ in range(3))
    time.sleep(0.2)                      # the server accepts all three
    a.sendall(b"hello fr")
    time.sleep(0.2)
    a.sendall(b"om a\r\n")
    b.sendall(b"and from b\n")
    got_b, got_c = lines_of(b, 1), lines_of(c, 2)
    check("reactor-chat-server --backend %s on %s: a line in two pieces, and a telnet \\r\\n, "
          "reach the others whole" % (backend, host), got_b == b"hello from a\r\n" and
          sorted(got_c.splitlines(True)) == sorted([b"hello from a\r\n", b"and from b\n"]))
    a.settimeout(0.3)
    try:
        own = a.recv(100)
    except socket.timeout:
        own = b"(nothing)"
    check("reactor-chat-server --backend %s on %s: a's own line does not come back to it"
          % (backend, host), own == b"and from b\n")
    for s in (a, b, c):
        s.close()

argv = sys.argv[1:]
for i in range(0, len(argv), 5):
    backend, e4, e6, c4, c6 = argv[i], int(argv[i + 1]), int(argv[i + 2]), int(argv[i + 3]), int(argv[i + 4])
    for host, port in (("127.0.0.1", e4), ("::1", e6)):
        check("reactor-echo-server --backend %s on %s echoes 50 clients at once, their lines in pieces"
              % (backend, host), crowd_echo(host, port, 50))
    for host, port in (("127.0.0.1", c4), ("::1", c6)):
        chat(host, port, backend)
sys.exit(1 if failed else 0)
EOF
    then :; else failed=1; fi
else
    skip "python3" "python3"
fi

# ---- OpenBSD netcat: a chat of three nc, and echo --------------------------------
if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-N'; then
    for b in $backends; do
        for pair in "127.0.0.1 ${P[c4_$b]}" "::1 ${P[c6_$b]}"; do
            set -- $pair
            host=$1 port=$2
            # Three nc clients: each says one line after the others have
            # joined, listens a while, then leaves (-N: a half-close at the
            # end of its input, as Ctrl-D). Each must see the other two
            # lines, not its own.
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
            [ "$good" = 1 ] && ok "nc $host: three nc clients chat through reactor-chat-server --backend $b" ||
                bad "nc $host, --backend $b: ann saw '$(tr '\n' '|' <"$tmp/nc-ann.out")', bob '$(tr '\n' '|' <"$tmp/nc-bob.out")'"
        done
        got=$(printf 'one\ntwo\nno newline at the end' | timeout 5 nc -N 127.0.0.1 "${P[e4_$b]}")
        [ "$got" = $'one\ntwo\nno newline at the end' ] &&
            ok "nc -N 127.0.0.1: reactor-echo-server --backend $b echoes, the last line without a newline" ||
            bad "nc -N to reactor-echo-server --backend $b: got '$got'"
        got=$(printf 'six\n' | timeout 5 nc -N -6 ::1 "${P[e6_$b]}")
        [ "$got" = "six" ] && ok "nc -N -6 ::1: reactor-echo-server --backend $b echoes" ||
            bad "nc -6 to reactor-echo-server --backend $b: got '$got'"
    done
else
    skip "nc" "OpenBSD netcat (with -N; Debian: netcat-openbsd)"
fi

# ---- socat: bulk through the echo servers ----------------------------------------
if command -v socat >/dev/null 2>&1; then
    for b in $backends; do
        for a in "TCP:127.0.0.1:${P[e4_$b]}" "TCP6:[::1]:${P[e6_$b]}"; do
            if timeout 10 socat -t 5 - "$a" <"$tmp/random.bin" | cmp -s - "$tmp/random.bin"; then
                ok "socat $a (--backend $b): 1 MiB of random bytes comes back exactly"
            else
                bad "socat $a (--backend $b): the 1 MiB did not come back exactly"
            fi
        done
    done
else
    skip "socat" "socat"
fi

rc_stop_all
rc_end "lesson 07 servers"
