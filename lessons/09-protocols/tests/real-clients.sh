#!/usr/bin/env bash
# real-clients.sh - lesson 09's clients against servers nobody here wrote:
# Python's http.server (and a small Gopher server on Python's
# socketserver), Node.js's http module (chunked bodies), and socat serving
# canned responses. Each tool that is not installed is skipped with a
# note; each check prints one line. With
# VALGRIND=1 (and valgrind installed) every client runs under memcheck.
# Exit 0 when every check that ran passed, 1 otherwise, 2 on bad usage.
#
#   lessons/09-protocols/tests/real-clients.sh BIN_DIR [TOOLS_DIR]   (the grader's tools: not needed here)
#
# BIN_DIR holds http-get and gopher-get, e.g. build/solutions/bin.
# Everything runs on loopback (127.0.0.1) on ports the kernel picks; every
# client and server is bounded by timeout(1).
set -u
. "$(dirname "$0")/../../../grader/scripts/real-clients-lib.sh"
rc_begin "${1:-}" http-get gopher-get -- "a folder with http-get and gopher-get"

vg=()
if [ "${VALGRIND:-0}" = 1 ]; then
    if command -v valgrind >/dev/null 2>&1; then
        vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99)
    else
        skip "valgrind" valgrind
    fi
fi
# run NAME ARGS...: the client, bounded, under valgrind when asked.
run() { local name=$1; shift; timeout 30 "${vg[@]}" "$bin/$name" "$@"; }

# A free port on 127.0.0.1 (bound, then closed).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_port PORT: until something accepts there (at most 5 s).
wait_port() {
    local i
    for i in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# ---- http-get against python3 -m http.server ---------------------------------
if command -v python3 >/dev/null 2>&1; then
    www=$tmp/www
    mkdir -p "$www/sub"
    head -c 3000000 /dev/urandom >"$www/big.bin"
    printf 'index of sub\n' >"$www/sub/index.html"
    port=$(free_port)
    timeout 60 python3 -m http.server --bind 127.0.0.1 --directory "$www" "$port" \
        >"$tmp/http.log" 2>&1 &
    pids+=($!)
    if wait_port "$port"; then
        if run http-get "http://127.0.0.1:$port/big.bin" -o "$tmp/big.copy" 2>"$tmp/err" &&
            cmp -s "$www/big.bin" "$tmp/big.copy"; then
            ok "http-get: 3 MB from python3 http.server, byte for byte (-o FILE)"
        else bad "http-get: 3 MB from python3 http.server: $(head -c 300 "$tmp/err")"; fi
        if [ "$(run http-get "http://127.0.0.1:$port/big.bin" 2>"$tmp/err" | cksum)" = "$(cksum <"$www/big.bin")" ]; then
            ok "http-get: the same to stdout"
        else bad "http-get: the same to stdout: $(head -c 300 "$tmp/err")"; fi
        if [ "$(run http-get "http://127.0.0.1:$port/sub" 2>"$tmp/err")" = "index of sub" ]; then
            ok "http-get: http.server's 301 /sub -> /sub/ followed"
        else bad "http-get: the 301 of /sub: $(head -c 300 "$tmp/err")"; fi
        run http-get "http://127.0.0.1:$port/none" -o "$tmp/none" >/dev/null 2>"$tmp/err"
        st=$?
        if [ "$st" = 1 ] && grep -q 404 "$tmp/err" && [ ! -e "$tmp/none" ] &&
            [ -z "$(ls "$tmp" | grep '^none')" ]; then
            ok "http-get: a 404 said on stderr, exit 1, no file"
        else bad "http-get: a 404: exit $st, stderr $(head -c 300 "$tmp/err")"; fi
    else
        bad "python3 -m http.server did not listen on port $port"
    fi
else
    skip "http-get against python3 http.server" python3
fi

# ---- http-get against socat: a keep-alive server, chunked ---------------------
if command -v socat >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n1a;x=y\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\n' >"$tmp/chunked"
    port=$(free_port)
    timeout 20 socat -T 5 "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
        SYSTEM:"cat '$tmp/chunked'; sleep 4" 2>/dev/null &
    pids+=($!)
    if wait_port "$port"; then
        start=$(date +%s%N)
        out=$(run http-get "http://127.0.0.1:$port/" 2>"$tmp/err")
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        if [ "$out" = abcdefghijklmnopqrstuvwxyz ] && [ "$ms" -lt 3000 ]; then
            ok "http-get: a chunked body from socat, which keeps the connection open ($ms ms)"
        else bad "http-get: chunked from socat: got '$out' in $ms ms: $(head -c 300 "$tmp/err")"; fi
    else
        bad "socat did not listen on port $port"
    fi
else
    skip "http-get against socat" "socat (or python3)"
fi

# ---- http-get against Node.js's http module: chunked bodies, a relative redirect --
if command -v node >/dev/null 2>&1; then
    cat >"$tmp/server.js" <<'JS'
const http = require('http');
const big = Buffer.alloc(2000000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 9)) & 255;
if (process.argv[2] === 'write') { process.stdout.write(big); return; }
const srv = http.createServer((req, res) => {
  if (req.url === '/dir/redirect') { res.writeHead(302, {Location: '../chunked'}); res.end(); return; }
  if (req.url === '/chunked') {   // no Content-Length: Node sends it chunked
    res.write(big.subarray(0, 1000000));
    setTimeout(() => { res.write(big.subarray(1000000)); res.end(); }, 50);
    return;
  }
  res.writeHead(404); res.end('no such page\n');
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
setTimeout(() => process.exit(0), 30000);
JS
    node "$tmp/server.js" write >"$tmp/node.want"
    timeout 40 node "$tmp/server.js" >"$tmp/node.port" 2>"$tmp/node.log" &
    pids+=($!)
    for i in $(seq 100); do [ -s "$tmp/node.port" ] && break; sleep 0.05; done
    port=$(head -1 "$tmp/node.port")
    if [ -n "$port" ] && run http-get "http://127.0.0.1:$port/dir/redirect" -o "$tmp/node.got" 2>"$tmp/err" &&
        cmp -s "$tmp/node.want" "$tmp/node.got"; then
        ok "http-get: 2 MB chunked from Node.js after a redirect to ../chunked, byte for byte"
    else bad "http-get: chunked from Node.js (port ${port:-none}): $(head -c 300 "$tmp/err")"; fi
else
    skip "http-get against Node.js" node
fi

# ---- gopher-get against a small Gopher server on Python's socketserver ---------
if command -v python3 >/dev/null 2>&1; then
    port=$(free_port)
    cat >"$tmp/gopher.py" <<'EOF'
import socketserver, sys

port = int(sys.argv[1])
MENU = ("iA Gopher server of Python's socketserver\t\terror.host\t1\r\n"
        "0About\t/about.txt\t127.0.0.1\t%d\r\n"
        "1Docs\t/docs\t127.0.0.1\t%d\r\n.\r\n" % (port, port)).encode()
ABOUT = b"About this server.\r\n..dots stay\r\n.\r\n"

class Gopher(socketserver.StreamRequestHandler):
    def handle(self):
        selector = self.rfile.readline().rstrip(b"\r\n")
        if selector in (b"", b"/docs"):
            self.wfile.write(MENU)
        elif selector == b"/about.txt":
            self.wfile.write(ABOUT)
        else:
            self.wfile.write(b"3'" + selector + b"' does not exist\terror\terror.host\t1\r\n.\r\n")

socketserver.TCPServer.allow_reuse_address = True
with socketserver.ThreadingTCPServer(("127.0.0.1", port), Gopher) as server:
    server.serve_forever()
EOF
    timeout 60 python3 "$tmp/gopher.py" "$port" >"$tmp/gopher.log" 2>&1 &
    pids+=($!)
    if wait_port "$port"; then
        want=$(printf "A Gopher server of Python's socketserver\n[0] About\t127.0.0.1 %s /about.txt\n[1] Docs\t127.0.0.1 %s /docs" "$port" "$port")
        if [ "$(run gopher-get 127.0.0.1 "$port" 2>"$tmp/err")" = "$want" ]; then
            ok "gopher-get: the top menu of a python3 Gopher server"
        else bad "gopher-get: the top menu: $(head -c 300 "$tmp/err")"; fi
        if [ "$(run gopher-get 127.0.0.1 "$port" /about.txt 2>"$tmp/err")" = "$(printf 'About this server.\n.dots stay')" ]; then
            ok "gopher-get: a text, its '.' line off and '..' unstuffed"
        else bad "gopher-get: a text: $(head -c 300 "$tmp/err")"; fi
        run gopher-get 127.0.0.1 "$port" /nope >/dev/null 2>"$tmp/err"
        st=$?
        if [ "$st" = 1 ] && grep -q 'does not exist' "$tmp/err"; then
            ok "gopher-get: a missing selector said, exit 1"
        else bad "gopher-get: a missing selector: exit $st, $(head -c 300 "$tmp/err")"; fi
    else
        bad "the python3 Gopher server did not listen on port $port"
    fi
else
    skip "gopher-get against a python3 Gopher server" python3
fi

[ "$failed" = 0 ] && echo "lesson 09 clients: every check that ran passed" || echo "lesson 09 clients: some checks failed"
exit "$failed"
