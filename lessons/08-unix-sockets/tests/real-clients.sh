#!/usr/bin/env bash
# real-clients.sh - lesson 08's programs against clients and servers nobody
# here wrote: socat and Python's socket module. Each tool that is not
# installed is skipped with a note; each check prints one line. Exit 0 when
# every check that ran passed, 1 otherwise, 2 on bad usage.
#
#   lessons/08-unix-sockets/tests/real-clients.sh BIN_DIR [TOOLS_DIR]   (the grader's tools: not needed here)
#
# BIN_DIR holds unix-echo-server and unix-echo-client, e.g.
# build/solutions/bin. Socket files go in a temporary folder of its own,
# removed at the end; abstract names carry this script's pid. Every client
# is bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" unix-echo-server unix-echo-client -- "a folder with unix-echo-server and unix-echo-client"
tag=sl08-real-$$

# start NAME [ARGS...]: starts unix-echo-server -u NAME ARGS, waits for its
# line, which must be exactly "listening on unix:NAME".
start() {
    local name=$1 out=$tmp/server-${#pids[@]}.out
    shift
    : >"$out"   # there before the server's shell opens it: grep may look first
    "$bin/unix-echo-server" -u "$name" "$@" >"$out" 2>"$out.err" &
    pids+=($!)
    rc_wait_listening "$out"
    [ "$(head -n 1 "$out")" = "listening on unix:$name" ] ||
        { bad "unix-echo-server -u $name printed '$(head -c 200 "$out")': $(head -c 200 "$out.err")"; return 1; }
}

path=$tmp/echo.sock
start "$path" && start "@$tag" && start "@$tag-seq" -t seqpacket ||
    { echo "lesson 08 programs: the servers did not start"; exit 1; }
head -c 1048576 /dev/urandom >"$tmp/random.bin"

# ---- socat ------------------------------------------------------------------------
if command -v socat >/dev/null 2>&1; then
    want=$'one\ntwo\nno newline at the end'
    got=$(printf '%s' "$want" | timeout 5 socat - "UNIX-CONNECT:$path")
    [ "$got" = "$want" ] && ok "socat UNIX-CONNECT:PATH: lines come back, the last without a newline" ||
        bad "socat UNIX-CONNECT:PATH: got '$got'"
    got=$(printf 'over an abstract name\n' | timeout 5 socat - "ABSTRACT-CONNECT:$tag")
    [ "$got" = "over an abstract name" ] && ok "socat ABSTRACT-CONNECT:NAME: echoes" ||
        bad "socat ABSTRACT-CONNECT:NAME: got '$got'"
    if timeout 10 socat -t 5 - "UNIX-CONNECT:$path" <"$tmp/random.bin" | cmp -s - "$tmp/random.bin"; then
        ok "socat UNIX-CONNECT:PATH: 1 MiB of random bytes comes back exactly"
    else
        bad "socat UNIX-CONNECT:PATH: the 1 MiB did not come back exactly"
    fi
    got=$(printf 'one record' | timeout 5 socat - "ABSTRACT-CONNECT:$tag-seq,type=5")
    [ "$got" = "one record" ] && ok "socat ABSTRACT-CONNECT:NAME,type=5 (SOCK_SEQPACKET): the record comes back" ||
        bad "socat to the seqpacket server: got '$got'"
    # unix-echo-client against socat as the server: it answers each line
    socat "UNIX-LISTEN:$tmp/socat.sock,fork" EXEC:cat >/dev/null 2>&1 &
    pids+=($!)
    for i in $(seq 100); do [ -S "$tmp/socat.sock" ] && break; sleep 0.02; done
    got=$(printf 'to socat\nand back' | timeout 5 "$bin/unix-echo-client" "$tmp/socat.sock")
    st=$?
    [ "$st" = 0 ] && [ "$got" = $'to socat\nand back' ] &&
        ok "unix-echo-client against socat UNIX-LISTEN (EXEC:cat): lines come back, exit 0" ||
        bad "unix-echo-client against socat: exit $st, printed '$got'"
    kill "${pids[-1]}" 2>/dev/null
    wait "${pids[-1]}" 2>/dev/null
    unset 'pids[-1]'
else
    skip "socat" "socat"
fi

# ---- Python's socket module --------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    if timeout 20 python3 - "$path" "$tag" "$bin/unix-echo-client" "$tmp" "$tmp/random.bin" <<'EOF'
import os, socket, subprocess, sys, threading

path, tag, client, tmp, random_file = sys.argv[1:6]
data = open(random_file, "rb").read()
failed = False

def check(what, good):
    global failed
    print("  %s  python3: %s" % ("ok  " if good else "FAIL", what))
    failed = failed or not good

for address, words in ((path, "a path"), ("\0" + tag, "an abstract name")):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(address)
        f = s.makefile("rwb")
        f.write(b"hello from python\n"); f.flush()
        check("unix-echo-server on %s echoes a line (makefile().readline())" % words,
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
        check("unix-echo-server on %s echoes 1 MiB of random bytes, then closes" % words,
              bytes(got) == data)

# descriptors sent to the echo server are no trouble: it echoes the byte
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
    s.settimeout(5)
    s.connect(path)
    r, w = os.pipe()
    socket.send_fds(s, [b"x"], [r, w])
    os.close(r); os.close(w)
    check("unix-echo-server echoes a byte sent with two descriptors (send_fds)",
          s.recv(10) == b"x")

# SEQPACKET: each record back whole, as one
with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
    s.settimeout(5)
    s.connect("\0" + tag + "-seq")
    s.send(b"one"); s.send(b"two")
    a, b = s.recv(100), s.recv(100)
    check("the seqpacket server sends back two records as two records", (a, b) == (b"one", b"two"))

# unix-echo-client against a server written in Python, on a path and on an
# abstract name
for address, arg in ((os.path.join(tmp, "py.sock"), os.path.join(tmp, "py.sock")),
                     ("\0" + tag + "-py", "@" + tag + "-py")):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(address)
    srv.listen()
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
    r = subprocess.run([client, arg], input=text, capture_output=True, timeout=10)
    check("unix-echo-client %s with a Python echo server: exit %d, output %s" %
          ("PATH" if arg[0] != "@" else "@NAME", r.returncode,
           "as sent" if r.stdout == text else repr(r.stdout[:40])),
          r.returncode == 0 and r.stdout == text)
    t.join(5)
    srv.close()
sys.exit(1 if failed else 0)
EOF
    then :; else failed=1; fi
else
    skip "python3" "python3"
fi

rc_stop_all
[ -e "$path" ] && bad "unix-echo-server left its socket file $path after SIGTERM"
[ "$failed" = 0 ] && echo "lesson 08 programs: every real client came through" ||
    echo "lesson 08 programs: some real clients failed (see above)"
exit "$failed"
