# report.awk - the results of make bench, from the raw runs that bench.sh
# wrote (build/bench/raw/*.tsv): medians and spreads, then, by mode,
#   mode=dat     the plots' data: OUT/rps.dat, OUT/latency.dat
#   mode=report  OUT/results.csv, OUT/bench.md (the docs page), and the
#                targets on stdout
# Run as: awk -F'\t' -v out=DIR -v mode=MODE -f report.awk designs.txt
#         why.tsv workloads.tsv runs.tsv hold.tsv bulk.tsv grade.tsv slow.tsv
# The machine and the settings come from the environment (BENCH_*).

# ---- numbers -------------------------------------------------------------------
# The median, minimum and maximum of the values of key k in V[k, 1..N[k]].
function stats(k,    n, i, j, t, a) {
    n = N[k] + 0
    if (n == 0) { MED = MIN = MAX = ""; return 0 }
    for (i = 1; i <= n; i++) a[i] = V[k, i] + 0
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    MIN = a[1]; MAX = a[n]
    MED = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    return n
}
function add(k, v) { if (v != "-" && v != "") V[k, ++N[k]] = v }
function med(k) { return stats(k) ? MED : "" }
# Half the range of the runs, as a share of the median: "±3%".
function spread(k,    n) {
    n = stats(k)
    if (n < 2 || MED == 0) return ""
    return sprintf(" ±%d%%", int((MAX - MIN) / 2 / MED * 100 + 0.5))
}
function rate(v) {
    if (v == "") return "-"
    if (v >= 1e6) return sprintf("%.2fM", v / 1e6)
    if (v >= 1e4) return sprintf("%.0fk", v / 1e3)
    if (v >= 1e3) return sprintf("%.1fk", v / 1e3)
    return sprintf("%.0f", v)
}
function us(v) {
    if (v == "") return "-"
    if (v >= 1e6) return sprintf("%.2f s", v / 1e6)
    if (v >= 1e3) return sprintf("%.1f ms", v / 1e3)
    return sprintf("%.0f µs", v)
}
function pct(v) { return sprintf("%.0f%%", v * 100) }
# Text for the page: no character Markdown or Doxygen would take as markup.
function clean(s) { gsub(/[|<>\\@#*_`$]/, " ", s); return s }
# A note as a sentence: a capital first, a full stop last.
function sentence(s) { return toupper(substr(s, 1, 1)) substr(s, 2) (s ~ /\.$/ ? "" : ".") }
function csvq(s) { gsub(/"/, "\"\"", s); return "\"" s "\"" }

# ---- reading -----------------------------------------------------------------------
FILENAME ~ /designs.txt$/ { D[++nd] = $1; DC[$1] = $2; next }
FILENAME ~ /why.tsv$/ { WHY[$1] = $2; next }
FILENAME ~ /workloads.tsv$/ { W[++nw] = $1; WL[$1] = $2; WC[$1] = $3; next }
FILENAME ~ /runs.tsv$/ {
    k = $1 SUBSEP $2
    if ($4 != "ok") { ERRS[k]++; if (!(k in ERR)) ERR[k] = $12; next }
    add(k SUBSEP "rps", $5); add(k SUBSEP "mbps", $6); add(k SUBSEP "p50", $7)
    add(k SUBSEP "p99", $8); add(k SUBSEP "max", $9); add(k SUBSEP "lgcpu", $10)
    add(k SUBSEP "srvus", $11)
    next
}
FILENAME ~ /hold.tsv$/ {
    HD[++nh] = $1; HN[$1] = $2; HB[$1] = $3; HH[$1] = $4; HP[$1] = $5; HE[$1] = $6
    HS[$1] = $7; HNOTE[$1] = $8
    next
}
FILENAME ~ /bulk.tsv$/ {
    k = $1 SUBSEP $2
    if (!(k in BK)) { BK[k] = 1; BKO[++nb] = k }
    add(k SUBSEP "gbps", $4)
    if ($5 != "-" && $7 > 0) { add(k SUBSEP "sends", $5 / $7 * 1e9); add(k SUBSEP "recvs", $6 / $7 * 1e9) }
    next
}
FILENAME ~ /grade.tsv$/ { G[++ng] = $1; GS[$1] = $2; GRC[$1] = $3; GB[$1] = $4; GK[$1] = $5; next }
FILENAME ~ /slow.tsv$/ { SLOW[$1] = $2; next }

# ---- the figures a target needs ------------------------------------------------------
function m(d, w, what) { return med(d SUBSEP w SUBSEP what) }
function floor_of(d, w,    c) { c = m(d, w, "lgcpu"); return c != "" && c >= FLOOR }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }

# ---- the plots' data -----------------------------------------------------------------------
function write_dat(    i, d, f) {
    f = out "/rps.dat"
    print "# design\t1\t100\t1000" > f
    for (i = 1; i <= nd; i++) {
        d = D[i]
        if (WHY[d] != "") continue
        printf "%s\t%s\t%s\t%s\n", d, or_dash(m(d, "c1", "rps")), or_dash(m(d, "c100", "rps")),
            or_dash(m(d, "c1000", "rps")) > f
    }
    close(f)
    f = out "/latency.dat"
    print "# design\tp50\tp99\tmax" > f
    for (i = 1; i <= nd; i++) {
        d = D[i]
        if (WHY[d] != "" || m(d, "open", "p50") == "") continue
        printf "%s\t%s\t%s\t%s\n", d, m(d, "open", "p50"), m(d, "open", "p99"), m(d, "open", "max") > f
    }
    close(f)
}
function or_dash(v) { return v == "" ? "-" : v }

# ---- results.csv -------------------------------------------------------------------------------
function csv(section, subject, workload, metric, unit, k, note,    n) {
    n = stats(k)
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n", section, subject, csvq(workload), metric, unit,
        MED, MIN, MAX, n, csvq(note) > CSV
}
function csv1(section, subject, workload, metric, unit, v, note) {
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n", section, subject, csvq(workload), metric, unit,
        v, v, v, (v == "" ? 0 : 1), csvq(note) > CSV
}
function write_csv(    i, j, d, w, k, note, g) {
    CSV = out "/results.csv"
    print "section,subject,workload,metric,unit,median,min,max,runs,note" > CSV
    csv1("machine", "cores", "", "count", "", ENVIRON["BENCH_JOBS"], ENVIRON["BENCH_MACHINE"])
    csv1("machine", "placement", "", "", "", "", ENVIRON["BENCH_PLACEMENT"])
    csv1("machine", "runs", "", "duration", "ms", ENVIRON["BENCH_DUR"], ENVIRON["BENCH_QUICK"] == 1 ? "QUICK=1" : "")
    for (i = 1; i <= nd; i++) {
        d = D[i]
        if (WHY[d] != "") { csv1("design", d, "", "status", "", "", WHY[d]); continue }
        for (j = 1; j <= nw; j++) {
            w = W[j]; k = d SUBSEP w
            if (N[k SUBSEP "rps"] + ERRS[k] == 0) continue
            note = (k in ERR) ? ERRS[k] " failed run(s): " ERR[k] : ""
            if (floor_of(d, w)) note = note (note ? "; " : "") "load generator saturated: a floor"
            csv("design", d, WL[w], "rps", "requests/s", k SUBSEP "rps", note)
            csv("design", d, WL[w], "mbps", "MB/s", k SUBSEP "mbps", "")
            csv("design", d, WL[w], "p50", "us", k SUBSEP "p50", "")
            csv("design", d, WL[w], "p99", "us", k SUBSEP "p99", "")
            csv("design", d, WL[w], "max", "us", k SUBSEP "max", "")
            csv("design", d, WL[w], "load_cpu", "cores", k SUBSEP "lgcpu", "")
            csv("design", d, WL[w], "server_cpu", "us/request", k SUBSEP "srvus", "")
        }
    }
    for (i = 1; i <= nh; i++) {
        d = HD[i]
        csv1("idle", d, HN[d] " idle connections", "bytes_per_conn", "bytes", HP[d] == "-" ? "" : HP[d],
             HS[d] == "ok" ? "VmRSS " HB[d] " kB before, " HH[d] " kB held" : HNOTE[d])
        csv1("idle", d, HN[d] " idle connections", "echoed_after", "connections", HE[d] == "-" ? "" : HE[d], "")
    }
    for (i = 1; i <= nb; i++) {
        split(BKO[i], p, SUBSEP)
        csv("bulk", p[1], p[2] " B buffers", "gbps", "GB/s", BKO[i] SUBSEP "gbps", "")
        if (N[BKO[i] SUBSEP "sends"]) {
            csv("bulk", p[1], p[2] " B buffers", "send_calls", "per GB", BKO[i] SUBSEP "sends", "")
            csv("bulk", p[1], p[2] " B buffers", "recv_calls", "per GB", BKO[i] SUBSEP "recvs", "")
        }
    }
    for (i = 1; i <= ng; i++) {
        g = G[i]
        csv1("grading", g, "", "seconds", "s", GS[g], (GRC[g] == 0 ? "" : "make grade exited " GRC[g]) \
             (GB[g] != "" ? "bound (timeouts / jobs) " GB[g] " s" : ""))
    }
    for (i = 1; i <= nt; i++)
        csv1("target", TN[i], "", "measured", TU[i], TV[i], TM[i] ": " TWHY[i])
    close(CSV)
}

# ---- targets ---------------------------------------------------------------------------------------
# target NAME WANT VALUE UNIT MET WHY: one line of the targets' table.
function target(name, want, v, unit, met, why) {
    nt++; TN[nt] = name; TW[nt] = want; TV[nt] = v; TU[nt] = unit
    TM[nt] = (v == "") ? "not measured" : (met ? "met" : "missed")
    TWHY[nt] = why
}
function reactor_targets(    w, r, a, b, why, ca, cb, i, ref, lib) {
    for (i = 1; i <= 2; i++) {
        w = i == 1 ? "c100" : "c1000"
        a = m("reactor-epoll", w, "rps"); b = m("epoll-loop", w, "rps")
        r = ratio(a, b)
        ca = m("reactor-epoll", w, "srvus"); cb = m("epoll-loop", w, "srvus")
        why = ""
        if (WHY["reactor-epoll"] != "") why = "reactor-epoll " WHY["reactor-epoll"]
        else if (r != "" && (floor_of("reactor-epoll", w) || floor_of("epoll-loop", w)))
            why = sprintf("the load generator was saturated (%s of a core), so both figures are floors; by server CPU per request the reactor does %.2f times the work of the loop for the same CPU (%.1f against %.1f µs a request)",
                          pct(m("reactor-epoll", w, "lgcpu")), ratio(cb, ca), ca, cb)
        else if (r != "" && r < 0.95)
            why = sprintf("the reactor spends %.1f µs of CPU per request against the loop's %.1f: %.1f µs more for its dispatch (callbacks, buffers, bookkeeping per event)",
                          ca, cb, ca - cb)
        target("reactor-epoll / epoll-loop, " WL[w], "at least 0.95", r == "" ? "" : sprintf("%.3f", r), "ratio",
               r != "" && r >= 0.95, why)
        for (lib = 1; lib <= 2; lib++) {
            ref = lib == 1 ? "libuv" : "libevent"
            r = ratio(a, m(ref, w, "rps"))
            why = WHY[ref] != "" ? ref " " WHY[ref] : (WHY["reactor-epoll"] != "" ? "reactor-epoll " WHY["reactor-epoll"] : "")
            if (why == "" && r != "" && (floor_of("reactor-epoll", w) || floor_of(ref, w)))
                why = sprintf("the load generator was saturated, so both figures are floors; by server CPU per request the reactor does %.2f times the work for the same CPU (%.1f against %.1f µs a request)",
                              ratio(m(ref, w, "srvus"), m("reactor-epoll", w, "srvus")), m("reactor-epoll", w, "srvus"), m(ref, w, "srvus"))
            else if (why == "" && r != "" && r < 1.4)
                why = sprintf("by server CPU per request the reactor does %.2f times the work of %s for the same CPU (%.1f against %.1f µs a request): %s",
                              ratio(m(ref, w, "srvus"), m("reactor-epoll", w, "srvus")), ref, m("reactor-epoll", w, "srvus"), m(ref, w, "srvus"),
                              ratio(m(ref, w, "srvus"), m("reactor-epoll", w, "srvus")) < 1.4 ? \
                              "the two do about the same work a message (one readiness wait, one read, one write), so what is left between them is dispatch and buffering" : \
                              "it does less work a message, but the rates also vary by" spread("reactor-epoll" SUBSEP w SUBSEP "rps") " and" spread(ref SUBSEP w SUBSEP "rps") " between runs here")
            target("reactor-epoll / " ref ", " WL[w], "1.4 to 2 (2 cores)", r == "" ? "" : sprintf("%.3f", r), "ratio",
                   r != "" && r >= 1.4, why)
        }
    }
}
function other_targets(    v, why, b, ip, i, g, worst, wl, all, hang) {
    v = HP["reactor-epoll"]; if (v == "-" || HS["reactor-epoll"] != "ok") v = ""
    why = WHY["reactor-epoll"] != "" ? "reactor-epoll " WHY["reactor-epoll"] : \
          (HS["reactor-epoll"] != "" && HS["reactor-epoll"] != "ok" ? clean(HNOTE["reactor-epoll"]) : "")
    if (v != "" && v > 64)
        why = sprintf("VmRSS grew %d kB for %d connections: %.0f bytes each that the reactor keeps per idle connection (its connection record and whatever it allocates at accept rather than at the first read); the plain loop keeps %s",
                      HH["reactor-epoll"] - HB["reactor-epoll"], HN["reactor-epoll"], v, HP["epoll-loop"] == "" ? "-" : HP["epoll-loop"] " bytes")
    target("user memory per idle connection (reactor-epoll, " ENVIRON["BENCH_HOLD"] ")", "at most 64 bytes", v, "bytes", v != "" && v <= 64, why)
    b = med("bulk" SUBSEP "131072" SUBSEP "gbps"); ip = med("iperf3" SUBSEP "131072" SUBSEP "gbps")
    v = ratio(b, ip)
    why = ip == "" ? "iperf3 is not installed (apt-get install -y iperf3)" : ""
    if (v != "" && v < 0.9)
        why = sprintf("lesson 03's send-all made %.0f send() and %.0f recv() calls a GB with 128 KiB buffers, as many writes as iperf3's; the runs vary by%s (sl-bulk) and%s (iperf3) here, so a loopback stream's copy, not the calls, sets the pace",
                      med("bulk" SUBSEP "131072" SUBSEP "sends"), med("bulk" SUBSEP "131072" SUBSEP "recvs"),
                      spread("bulk" SUBSEP "131072" SUBSEP "gbps"), spread("iperf3" SUBSEP "131072" SUBSEP "gbps"))
    target("bulk: sl-bulk / iperf3 (128 KiB buffers)", "at least 0.9", v == "" ? "" : sprintf("%.3f", v), "ratio", v != "" && v >= 0.9, why)
    worst = ""; wl = ""
    for (i = 1; i <= ng; i++) {
        g = G[i]
        if (GK[g] == "alone") { if (worst == "" || GS[g] > worst) { worst = GS[g]; wl = substr(g, 8); sub(/ alone$/, "", wl) } }
        else if (GK[g] == "all") all = GS[g]
        else if (GK[g] == "hang") hang = g
    }
    why = (worst != "" && worst >= 3) ? sprintf("lesson %s: its tests ran %s s in all, %.1f s a job on %d jobs; the slowest: %s",
                                               wl, SLOWSUM(wl), SLOWSUM(wl) / ENVIRON["BENCH_JOBS"], ENVIRON["BENCH_JOBS"], SLOWTOP(wl)) : ""
    target("one lesson of the reference graded (" (wl == "" ? "none" : wl) (ENVIRON["BENCH_QUICK"] == 1 ? "" : ", the slowest") ")", "under 3 s", worst, "s", worst != "" && worst < 3, why)
    why = (all != "" && all >= 30) ? sprintf("the lessons run one after another and their times add up: %s", parts()) : ""
    if (ENVIRON["BENCH_QUICK"] == 1 && all == "") why = "not run with QUICK=1"
    target("all lessons of the reference graded", "under 30 s", all, "s", all != "" && all < 30, why)
    if (hang != "") {
        v = GS[hang]
        why = (v > GB[hang] * 1.1 + 1) ? sprintf("%.1f s over its tests' timeouts divided by the jobs (%.1f s)", v - GB[hang], GB[hang]) : ""
        target("a submission that hangs in every test (" substr(hang, 9) ", timeouts x " ENVIRON["BENCH_HANG_SCALE"] ")",
               sprintf("within %.1f s, its timeouts / jobs, plus a little", GB[hang]), v, "s", v <= GB[hang] * 1.1 + 1, why)
    }
}
# The lessons' shares of the all-lessons grade, the largest first.
function parts(    i, g, s, a, n, j, t, out) {
    for (i = 1; i <= ng; i++) if (GK[G[i]] == "part") a[++n] = G[i]
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && GS[a[j]] + 0 < GS[t] + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    for (i = 1; i <= n; i++) out = out (i > 1 ? ", " : "") substr(a[i], 8) " " sprintf("%.1f", GS[a[i]]) " s"
    return out
}
function SLOWSUM(l,    a) { split(SLOW[l], a, ";"); return a[1] }
function SLOWTOP(l,    s) { s = SLOW[l]; sub(/^[^;]*;/, "", s); return s }

# ---- bench.md ---------------------------------------------------------------------------------------
function P(s) { print s > MD }
function cell(d, w, what,    k, v, s) {
    k = d SUBSEP w
    if (WC[w] + 0 > DC[d] + 0) return DC[d] == 1 ? "n/a: one client at a time" : "n/a: " DC[d] " clients at once"
    if (N[k SUBSEP what] == 0) return (k in ERR) ? "error" : "-"
    v = med(k SUBSEP what)
    s = (what == "mbps") ? sprintf("%.0f MB/s", v) : rate(v)
    return (floor_of(d, w) && what == "rps" ? "≥ " : "") s spread(k SUBSEP what) ((k in ERR) ? " (" ERRS[k] " failed)" : "")
}
function design_table(    i, j, d, w, row, hdr, sep) {
    hdr = "| design |"; sep = "|---|"
    for (j = 1; j <= nw; j++) if (W[j] != "open") { hdr = hdr " " WL[W[j]] " |"; sep = sep "---:|" }
    P(hdr " server CPU a request (100 conns) |"); P(sep "---:|")
    for (i = 1; i <= nd; i++) {
        d = D[i]
        if (WHY[d] != "") { P("| " d " | " clean(WHY[d]) " |"); continue }
        row = "| " d " |"
        for (j = 1; j <= nw; j++) {
            w = W[j]
            if (w == "open") continue
            row = row " " cell(d, w, w == "large" ? "mbps" : "rps") (w == "large" && nagle(d) ? " (Nagle)" : "") " |"
        }
        row = row " " (m(d, "c100", "srvus") == "" ? "-" : sprintf("%.1f µs", m(d, "c100", "srvus"))) " |"
        P(row)
    }
}
# The large messages' echo waits for delayed ACKs: its median round trip
# is 30 ms or more, where the others take well under one.
function nagle(d) { return m(d, "large", "p50") != "" && m(d, "large", "p50") >= 30000 }
function nagle_note(    i, names) {
    for (i = 1; i <= nd; i++) if (WHY[D[i]] == "" && nagle(D[i])) names = names (names ? ", " : "") D[i]
    if (names == "") return
    P("")
    P("(Nagle) " names ": each 64 KiB echo took 40 ms or so, Nagle's algorithm meeting delayed acknowledgements. The server writes the echo in pieces smaller than a segment (loopback's is about 64 KiB) without TCP_NODELAY; the first piece goes out, the next wait until it is acknowledged, and the client, which has nothing to send until the whole echo is back, acknowledges only when its delayed-ACK timer fires. A server that writes what it read in one call of 64 KiB, or sets TCP_NODELAY, does not wait.")
}
function latency_table(    i, d, k) {
    P("| design | p50 | p99 | max | achieved |"); P("|---|---:|---:|---:|---:|")
    for (i = 1; i <= nd; i++) {
        d = D[i]; k = d SUBSEP "open"
        if (WHY[d] != "" || N[k SUBSEP "p50"] + ERRS[k] == 0) continue
        if (N[k SUBSEP "p50"] == 0) { P("| " d " | error: " clean(ERR[k]) " | | | |"); continue }
        P("| " d " | " us(m(d, "open", "p50")) " | " us(m(d, "open", "p99")) " | " us(m(d, "open", "max")) " | " rate(m(d, "open", "rps")) "/s |")
    }
}
function hold_table(    i, d) {
    if (nh == 0) { P("Not run: no server of the idle hold is built."); return }
    P("| server | connections | VmRSS before | VmRSS held | bytes a connection | echo after the hold |")
    P("|---|---:|---:|---:|---:|---:|")
    for (i = 1; i <= nh; i++) {
        d = HD[i]
        if (HS[d] != "ok") { P("| " d " | " HN[d] " | error: " clean(HNOTE[d]) " | | | |"); continue }
        P("| " d " | " HN[d] " | " HB[d] " kB | " HH[d] " kB | " sprintf("%.0f", HP[d]) " | " HE[d] " of " HN[d] " |")
    }
}
function bulk_table(    i, p, k) {
    if (nb == 0) { P("Not run: sl-bulk needs solutions/03-tcp."); return }
    P("| sender | buffer | GB/s | send() a GB | recv() a GB |"); P("|---|---:|---:|---:|---:|")
    for (i = 1; i <= nb; i++) {
        k = BKO[i]; split(k, p, SUBSEP)
        P("| " (p[1] == "bulk" ? "lesson 03 send-all / read-exact" : "iperf3, one stream") " | " p[2] / 1024 " KiB | " \
          sprintf("%.2f", med(k SUBSEP "gbps")) spread(k SUBSEP "gbps") " | " \
          (N[k SUBSEP "sends"] ? sprintf("%.0f", med(k SUBSEP "sends")) : "-") " | " \
          (N[k SUBSEP "recvs"] ? sprintf("%.0f", med(k SUBSEP "recvs")) : "-") " |")
    }
}
function grade_table(    i, g) {
    if (ng == 0) { P("Not run: this tree has no solutions."); return }
    P("| make grade | seconds | |"); P("|---|---:|---|")
    for (i = 1; i <= ng; i++) {
        g = G[i]
        P("| " (GK[g] == "hang" ? "a submission whose every test hangs, " substr(g, 9) : g) \
          " | " sprintf("%.2f", GS[g]) " | " (GRC[g] != 0 ? "exit " GRC[g] " " : "") \
          (GK[g] == "part" ? "its share of all lessons (sl-run)" : "") (GK[g] == "alone" ? "make grade LESSON=" substr(g, 8, 2) : "") \
          (GK[g] == "hang" ? sprintf("its timeouts x %s, divided by %d jobs: %.2f s", ENVIRON["BENCH_HANG_SCALE"], ENVIRON["BENCH_JOBS"], GB[g]) : "") " |")
    }
}
function target_table(    i, missed) {
    P("| target | wanted | measured | |"); P("|---|---|---:|---|")
    for (i = 1; i <= nt; i++)
        P("| " TN[i] " | " TW[i] " | " (TV[i] == "" ? "-" : TV[i] " " (TU[i] == "ratio" ? "" : TU[i])) " | " TM[i] " |")
    P("")
    for (i = 1; i <= nt; i++) {
        if (TM[i] == "met" || TWHY[i] == "") continue
        if (!missed++) P("Where a target is missed or not measured:"); 
        P("")
        P("- " TN[i] ": " TM[i] (TM[i] == "missed" ? " by " miss_by(i) : "") ". " sentence(clean(TWHY[i])))
    }
    if (!missed) P("Every target is met.")
}
function miss_by(i,    want, v) {
    v = TV[i] + 0
    if (TW[i] ~ /^at least/) { want = substr(TW[i], 10) + 0; return sprintf("%.1f%% (%.3f, not %.2f)", (want - v) / want * 100, v, want) }
    if (TW[i] ~ /^at most/) { want = substr(TW[i], 9) + 0; return sprintf("%.0f bytes (%.0f%% over)", v - want, (v - want) / want * 100) }
    if (TW[i] ~ /^under/) { want = substr(TW[i], 7) + 0; return sprintf("%.1f s (%.0f%% over)", v - want, (v - want) / want * 100) }
    if (TW[i] ~ /^1.4/) return sprintf("%.0f%% (%.2f, not 1.4)", (1.4 - v) / 1.4 * 100, v)
    return sprintf("%.1f s", v - (TW[i] ~ /within/ ? substr(TW[i], 8) + 0 : 0))
}
function write_md(    q) {
    MD = out "/bench.md"
    q = ENVIRON["BENCH_QUICK"] == 1
    P("# Benchmarks: the server designs side by side {#bench}")
    P("")
    P("Measured by `make bench" (q ? " QUICK=1" : "") "` on " ENVIRON["BENCH_MACHINE"] "; " ENVIRON["BENCH_PLACEMENT"] \
      ". Each figure is the median of " ENVIRON["BENCH_REPS"] (ENVIRON["BENCH_REPS"] == 1 ? " run" : " runs") " of " ENVIRON["BENCH_DUR"] " ms" \
      (ENVIRON["BENCH_REPS"] > 1 ? ", with half their spread (max - min) as ±" : "") \
      ". Every figure, with its minimum and maximum, is in `" out "/results.csv`." \
      (q ? " QUICK=1 runs fewer rows, once, briefly: take its figures as a sketch." : "") \
      (ENVIRON["BENCH_BUSY"] != "" ? " Note: " ENVIRON["BENCH_BUSY"] ", so these figures vary more than they would on a quiet one." : ""))
    P("")
    P("How to read it. Each design is one of the course's echo servers (lessons 03, 05, 06 and 07), or a reference built for the bench: a plain hand-written epoll loop (the floor the lesson 07 reactor is held against) and echo servers on libuv and libevent. The load generator, sl-load, keeps N connections busy on one thread: in the closed loop each connection sends its next 64-byte message once the echo of the last is back, so requests a second measure how fast a design turns a message around; with 1000 connections the latency is mostly queueing. A figure marked ≥ was limited by the load generator itself (it used " pct(FLOOR) " of its core or more): the server can do at least that, and its CPU time per request (the last column, its connects included) is then the fairer comparison. The open-loop table sends " rate(ENVIRON["BENCH_OPEN_RATE"]) " requests a second at fixed times whatever the server does, and counts each latency from the time the request was due, so a server that stalls shows up in p99 and max instead of hiding by slowing the load (no coordinated omission). The iterative server of lesson 03 serves one client at a time, and the thread pool of lesson 06 as many as it has threads (each keeps its client until the client leaves), so they have no figure where there are more connections than that. Differences within the spread are noise; a machine with other cores, caches or kernel gives other figures, but mostly the same order.")
    P("")
    P("## Requests a second")
    P("")
    design_table()
    nagle_note()
    P("")
    if (ENVIRON["BENCH_PLOTS"] == 1) { P("@image html bench-rps.svg \"Requests a second by design and connections\""); P("") }
    P("## Latency under load (open loop, " rate(ENVIRON["BENCH_OPEN_RATE"]) " requests a second over 100 connections)")
    P("")
    latency_table()
    P("")
    if (ENVIRON["BENCH_PLOTS"] == 1) { P("@image html bench-latency.svg \"Latency percentiles, open loop\""); P("") }
    P("## Idle connections")
    P("")
    P("The server's resident memory (VmRSS) before " ENVIRON["BENCH_HOLD"] " connections are opened and while they are held idle; then each must still echo. Socket buffers are the kernel's and not in VmRSS: this is the memory the server itself keeps for a connection.")
    P("")
    hold_table()
    P("")
    P("## Bulk TCP")
    P("")
    P("One loopback connection: lesson 03's tcp_send_all() and tcp_read_exact() with buffers of each size, against iperf3 sending one stream, each end on its own core. The calls are counted: bigger buffers mean fewer trips into the kernel.")
    P("")
    bulk_table()
    P("")
    P("## Grading speed")
    P("")
    P("Wall time of `make grade` for the reference solutions, built beforehand, with one job a core; and of a submission whose every TODO() hangs for ever, graded with its tests' timeouts scaled down (SOCKLAB_TIMEOUT_SCALE) so that the bench stays short.")
    P("")
    grade_table()
    P("")
    P("## Targets")
    P("")
    target_table()
    if (ENVIRON["BENCH_MISSING"] != "") {
        P("")
        P("Not installed here, so their rows are left out: " ENVIRON["BENCH_MISSING"] " (`apt-get install -y " ENVIRON["BENCH_MISSING"] "`).")
    }
    close(MD)
}

END {
    FLOOR = ENVIRON["BENCH_FLOOR"] + 0
    if (mode == "dat") { write_dat(); exit }
    reactor_targets()
    other_targets()
    write_csv()
    write_md()
    for (i = 1; i <= nt; i++)
        printf "  %-7s %s: %s (wanted %s)\n", TM[i], TN[i], TV[i] == "" ? "-" : TV[i], TW[i]
}
