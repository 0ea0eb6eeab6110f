#!/usr/bin/env bash
# real-clients.sh - lesson 03's programs against clients and servers nobody
# here wrote: Python's socket module, OpenBSD netcat and socat. Each tool
# that is not installed is skipped with a note; each check prints one line.
# Exit 0 when every check that ran passed, 1 otherwise, 2 on bad usage.
#
#   lessons/03-tcp/tests/real-clients.sh BIN_DIR [TOOLS_DIR]   (the grader's tools: not needed here)
#
# BIN_DIR holds greet-server, echo-server and echo-client, e.g.
# build/solutions/bin. Everything runs on loopback (127.0.0.1 and ::1) on
# ports the kernel picks; every client is bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" greet-server echo-server echo-client -- "a folder with greet-server, echo-server, echo-client"

rc_start echo-server 127.0.0.1 && p4=$port
rc_start echo-server ::1 && p6=$port
rc_start greet-server 127.0.0.1 && g4=$port
rc_start greet-server ::1 && g6=$port
[ "$failed" = 0 ] || { echo "lesson 03 programs: the servers did not start"; exit 1; }
head -c 1048576 /dev/urandom >"$tmp/random.bin"

# ---- Python's socket module --------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    if timeout 20 python3 - "$p4" "$p6" "$g4" "$g6" "$bin/echo-client" "$tmp/random.bin" <<'EOF'
import socket, subprocess, sys, threading

p4, p6, g4, g6 = (int(a) for a in sys.argv[1:5])
client, random_file = sys.argv[5], sys.argv[6]
data = open(random_file, "rb").read()
failed = False

def check(what, good):
    global failed
    print("  %s  python3: %s" % ("ok  " if good else "FAIL", what))
    failed = failed or not good

for host, port, gport in (("127.0.0.1", p4, g4), ("::1", p6, g6)):
    with socket.create_connection((host, port), timeout=5) as s:
        f = s.makefile("rwb")
        f.write(b"hello from python\n"); f.flush()
        check("echo-server on %s echoes a line (makefile().readline())" % host,
              f.readline() == b"hello from python\n")
        f.close()
        got = bytearray()
        def reader():
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got.extend(chunk)
        t = threading.Thread(target=reader)
        t.start()
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        t.join(10)
        check("echo-server on %s echoes 1 MiB of random bytes, then closes" % host,
              bytes(got) == data)
    with socket.create_connection((host, gport), timeout=5) as g:
        greeting = g.makefile("rb").read()
        check("greet-server on %s greets and closes" % host,
              greeting == b"Thank you for connecting\n")

# echo-client against a server written in Python
for host in ("127.0.0.1", "::1"):
    srv = socket.create_server((host, 0), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    port = srv.getsockname()[1]
    def serve():
        c, _ = srv.accept()
        with c:
            while True:
                chunk = c.recv(4096)
                if not chunk:
                    break
                c.sendall(chunk)
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    text = b"one\ntwo\n\nlast, with no newline"
    r = subprocess.run([client, host, str(port)], input=text, capture_output=True, timeout=10)
    check("echo-client %s with a Python echo server: exit %d, output %s" %
          (host, r.returncode, "as sent" if r.stdout == text else repr(r.stdout[:40])),
          r.returncode == 0 and r.stdout == text)
    t.join(5)
    srv.close()
sys.exit(1 if failed else 0)
EOF
    then :; else failed=1; fi
else
    skip "python3" "python3"
fi

# ---- OpenBSD netcat ------------------------------------------------------------
if command -v nc >/dev/null 2>&1 && nc -h 2>&1 | grep -q -- '-N'; then
    want=$'one\ntwo\nno newline at the end'
    got=$(printf '%s' "$want" | timeout 5 nc -N 127.0.0.1 "$p4")
    [ "$got" = "$want" ] && ok "nc -N 127.0.0.1: echo-server echoes lines, the last without a newline" ||
        bad "nc -N 127.0.0.1: got '$got'"
    got=$(printf 'six\n' | timeout 5 nc -N -6 ::1 "$p6")
    [ "$got" = "six" ] && ok "nc -N -6 ::1: echo-server echoes" || bad "nc -6 ::1: got '$got'"
    got=$(timeout 5 nc 127.0.0.1 "$g4" </dev/null)
    [ "$got" = "Thank you for connecting" ] && ok "nc 127.0.0.1: greet-server greets" ||
        bad "nc to greet-server: got '$got'"
    # echo-client against nc as the server: nc answers one line, then ends
    ( printf 'from nc\n'; sleep 1 ) | timeout 5 nc -l 127.0.0.1 "$((p4 + 1))" >"$tmp/nc-server.out" 2>/dev/null &
    ncpid=$!
    sleep 0.3
    got=$(printf 'to nc\n' | timeout 5 "$bin/echo-client" 127.0.0.1 "$((p4 + 1))")
    st=$?
    wait "$ncpid" 2>/dev/null
    if [ "$st" = 0 ] && [ "$got" = "from nc" ] && grep -qx 'to nc' "$tmp/nc-server.out"; then
        ok "echo-client against nc -l: sends its line, prints the answer"
    elif ! grep -q . "$tmp/nc-server.out" && [ "$st" != 0 ]; then
        printf '  note  echo-client against nc -l skipped: port %s was not free\n' "$((p4 + 1))"
    else
        bad "echo-client against nc -l: exit $st, printed '$got'"
    fi
else
    skip "nc" "OpenBSD netcat (with -N; Debian: netcat-openbsd)"
fi

# ---- socat ------------------------------------------------------------------------
if command -v socat >/dev/null 2>&1; then
    for a in "TCP:127.0.0.1:$p4" "TCP6:[::1]:$p6"; do
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
rc_end "lesson 03 programs"
