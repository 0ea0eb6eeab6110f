#!/usr/bin/env bash
# bench.sh - make bench: the course's server designs side by side under
# load, bulk TCP against iperf3, and how fast the grader grades. Called by
# `make bench` (which builds build/bench/bin first) with BUILD, MAKE,
# QUICK (1: under a minute) and SOCKLAB_MAKE_PID.
#
# Everything runs on this machine, over loopback, bounded in time and
# count. The server gets one core and the load generator another (taskset)
# when there are two; each run is repeated REPS times, interleaved (every
# design once, then again), and the median is shown with the spread.
#
# Writes into build/bench/: results.csv (every figure), bench.md (the page
# make docs includes), bench-rps.{png,svg} and bench-latency.{png,svg}
# (gnuplot), raw/ (each run) and logs/ (each server's and tool's output).
set -u
: "${BUILD:=build}" "${MAKE:=make}" "${QUICK:=}"
. grader/scripts/lib.sh
export LC_ALL=C NO_COLOR=1
out=$BUILD/bench
bin=$out/bin
sol=$out/build/solutions/bin
raw=$out/raw
logs=$out/logs
rm -rf "$raw" "$logs"
mkdir -p "$raw" "$logs" || die 1 "bench: cannot write in $out"

# ---- what a run is ---------------------------------------------------------------
if [ "$QUICK" = 1 ]; then
    REPS=1 DUR=150 HOLD_CONNS=2000 HOLD_MS=300 BULK_BYTES=$((1 << 30)) BULK_SIZES="131072" IPERF_S=1
    WORKLOADS="c1 c100 c1000 open"
    GRADE_LESSONS=01 GRADE_ALL= HANG_LESSON=01 HANG_SCALE=0.02
else
    # Five runs of 600 ms: with three of 300 ms the spread was narrower than
    # this machine's drift from one bench to the next (8 of 56 rows of a
    # rerun fell outside it); five longer ones show the drift they cover.
    REPS=5 DUR=600 HOLD_CONNS=10000 HOLD_MS=1000 BULK_BYTES=$((2 << 30)) BULK_SIZES="16384 131072 1048576" IPERF_S=2
    WORKLOADS="c1 c100 c1000 large open"
    GRADE_LESSONS= GRADE_ALL=1 HANG_LESSON=03 HANG_SCALE=0.05
fi
OPEN_RATE=10000
# Workload: connections, message bytes, rate (0: closed loop), label.
declare -A W_CONNS=([c1]=1 [c100]=100 [c1000]=1000 [large]=1 [open]=100)
declare -A W_SIZE=([c1]=64 [c100]=64 [c1000]=64 [large]=65536 [open]=64)
declare -A W_RATE=([c1]=0 [c100]=0 [c1000]=0 [large]=0 [open]=$OPEN_RATE)
declare -A W_LABEL=([c1]="1 conn" [c100]="100 conns" [c1000]="1000 conns"
                    [large]="64 KiB x 1 conn" [open]="open loop 100 conns")
FLOOR_CPU=0.90   # the load generator at this share of a core or more: a floor

say() { printf '%s\n' "$*"; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
started=$(now)

# ---- the machine ---------------------------------------------------------------------
ncpu=$(nproc 2>/dev/null || echo 1)
model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$model" ] || model=$(uname -m)
kernel="$(uname -s) $(uname -r)"
srv_pin=() lg_pin=() bulk_cpus=() placement="server and load share the machine's one core"
if [ "$ncpu" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
    srv_pin=(taskset -c 1) lg_pin=(taskset -c 0) bulk_cpus=(-C 1,0)
    placement="server on core 1, load generator on core 0 (taskset)"
elif [ "$ncpu" -ge 2 ]; then
    placement="server and load unpinned (no taskset: apt-get install -y util-linux)"
fi
# Servers may hold as many clients as the machine lets them.
ulimit -n "$(ulimit -Hn)" 2>/dev/null
say "socklab: bench$([ "$QUICK" = 1 ] && echo " (QUICK=1)"): $ncpu cores, $model, $kernel"
say "  $placement; $REPS run(s) of $DUR ms each, median and spread"
# Other work on the machine shares the cores: said, since it widens the
# spread. The share of the CPUs busy over half a second before we start.
cpu_line() { awk '$1 == "cpu" { idle = $5 + $6; t = 0; for (i = 2; i <= NF; i++) t += $i; print idle, t }' /proc/stat 2>/dev/null; }
c0=$(cpu_line); sleep 0.5; c1=$(cpu_line)
busy_share=$(awk -v a="$c0" -v b="$c1" 'BEGIN { split(a, x, " "); split(b, y, " ")
    if (y[2] > x[2]) printf "%.0f", 100 * (1 - (y[1] - x[1]) / (y[2] - x[2])) }')
busy=
if [ -n "$busy_share" ] && [ "$busy_share" -ge 15 ]; then
    busy="other work kept the machine's CPUs ${busy_share}% busy as the bench started"
    say "  note: $busy, so the figures vary more"
fi
# at: the seconds since the start, for the progress lines.
at() { printf '[%s s]' "$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')"; }

# ---- what is installed -----------------------------------------------------------------
missing=$(grader/scripts/deps.sh check bench 2>/dev/null)
if [ -n "$missing" ]; then
    cmd="apt-get install -y $missing"
    [ "$(id -u)" = 0 ] || cmd="sudo $cmd"
    say "  not installed: $missing (rows left out). To have them:   $cmd"
fi
have() { command -v "$1" >/dev/null 2>&1; }

# ---- the designs -------------------------------------------------------------------------
# Fields of grader/bench/designs, by design.
declare -A D_LESSON D_PROG D_CONNS D_HOLD D_ARGS D_PATH D_WHY
designs=()
while read -r name lesson prog conns hold args; do
    [[ -z $name || $name == \#* ]] && continue
    designs+=("$name")
    D_LESSON[$name]=$lesson D_PROG[$name]=$prog D_CONNS[$name]=$conns D_HOLD[$name]=$hold
    [ "$args" = - ] && args=
    D_ARGS[$name]=$args
done <grader/bench/designs

# The solutions' servers, built without sanitizers (a sanitized server
# measures the sanitizer): each lesson apart, so one that does not build
# yet leaves the others.
build_lesson() {
    local lesson=$1 progs=() name log=$logs/build-$1.log
    for name in "${designs[@]}"; do
        [ "${D_LESSON[$name]}" = "$lesson" ] && progs+=("$sol/${D_PROG[$name]}")
    done
    if [ ! -d "lessons/$lesson" ] || [ ! -d "solutions/$lesson" ]; then
        echo "not built yet: lesson $lesson is not in this tree"
    elif ! $MAKE -s -j"$ncpu" --no-print-directory SAN=none BUILD="$out/build" \
            $(printf '%s\n' "${progs[@]}" | sort -u) >"$log" 2>&1; then
        echo "not built yet: lesson $lesson does not build (log: $log)"
    fi
}
declare -A L_WHY
for name in "${designs[@]}"; do
    lesson=${D_LESSON[$name]}
    if [ "$lesson" = bench ]; then
        D_PATH[$name]=$bin/${D_PROG[$name]}
        case ${D_PROG[$name]} in
            sl-uv-echo) why="not built: libuv is not installed (apt-get install -y libuv1-dev)" ;;
            sl-event-echo) why="not built: libevent is not installed (apt-get install -y libevent-dev)" ;;
            *) why="not built: make bench-tools failed" ;;
        esac
    else
        D_PATH[$name]=$sol/${D_PROG[$name]}
        [ -n "${L_WHY[$lesson]+set}" ] || L_WHY[$lesson]=$(build_lesson "$lesson")
        why=${L_WHY[$lesson]:-"not built yet: $sol/${D_PROG[$name]} is missing"}
        [ -z "${L_WHY[$lesson]}" ] || D_WHY[$name]=$why   # never an old binary of a lesson that fails now
    fi
    [ -x "${D_PATH[$name]}" ] || D_WHY[$name]=$why
done
for name in "${designs[@]}"; do
    [ -n "${D_WHY[$name]:-}" ] && say "  $name: ${D_WHY[$name]}"
done

# ---- servers -------------------------------------------------------------------------------
srv_pid= srv_port= lg_pid=
# start_server LOG PROGRAM ARGS...: starts it (a process group of its own,
# on the server's core) and waits for its `listening on` line.
start_server() {
    local log=$1 line= i
    shift
    : >"$log.out"
    setsid "${srv_pin[@]}" "$@" -p 0 >"$log.out" 2>>"$log.err" </dev/null &
    srv_pid=$!
    for ((i = 0; i < 250; i++)); do
        line=$(grep -m 1 '^listening on ' "$log.out")
        [ -n "$line" ] && break
        kill -0 "$srv_pid" 2>/dev/null || break
        sleep 0.02
    done
    if [ -z "$line" ]; then
        stop_server
        return 1
    fi
    srv_port=${line##*:}
}

# Stops the server by its pid (SIGTERM: the program contract), then what
# is left of its process group.
stop_server() {
    local i
    [ -n "$srv_pid" ] || return 0
    kill -TERM "$srv_pid" 2>/dev/null
    for ((i = 0; i < 150; i++)); do
        kill -0 "$srv_pid" 2>/dev/null || break
        sleep 0.02
    done
    kill -KILL -- "-$srv_pid" 2>/dev/null
    wait "$srv_pid" 2>/dev/null
    srv_pid=
}
cleanup() {
    stop_server
    [ -z "$lg_pid" ] || kill -TERM "$lg_pid" 2>/dev/null
}
trap cleanup EXIT
trap 'cleanup; stop_by_signal 2' INT
trap 'cleanup; stop_by_signal 15' TERM
trap 'cleanup; stop_by_signal 1' HUP
trap 'cleanup; exit 141' PIPE   # stdout gone (make bench | head): no server is left behind

# The CPU ticks of process $1 and of its children: its own and its reaped
# children's (utime stime cutime cstime), and those of children still there.
cpu_ticks() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{
        pid = $1; rest = $0; sub(/^.*\) /, "", rest); n = split(rest, f, " ")
        if (pid == p) t += f[12] + f[13] + f[14] + f[15]
        else if (f[2] == p) t += f[12] + f[13]
    } END { printf "%d\n", t }'
}
tck=$(getconf CLK_TCK 2>/dev/null || echo 100)

# Picks key=value pairs out of a line: kv LINE KEY... prints the values,
# tab-separated ("-" for a missing key).
kv() {
    local line=$1
    shift
    awk -v keys="$*" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); v[a[1]] = a[2] } }
        END { n = split(keys, k, " "); for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? "\t" : ""), (k[i] in v ? v[k[i]] : "-"); print "" }' <<<"$line"
}

# ---- the load runs -----------------------------------------------------------------------------
# run_load DESIGN WORKLOAD REP: one run of sl-load on the running server;
# a line of raw/runs.tsv.
run_load() {
    local d=$1 w=$2 rep=$3 c=${W_CONNS[$2]} err=$logs/load-$1-$2-$3.err line t0 t1 vals
    local args=(-p "$srv_port" -c "$c" -s "${W_SIZE[$w]}" -d "$DUR" -t 10000)
    [ "${W_RATE[$w]}" = 0 ] || args+=(-r "${W_RATE[$w]}")
    t0=$(cpu_ticks "$srv_pid")
    line=$("${lg_pin[@]}" "$bin/sl-load" "${args[@]}" 2>"$err")
    local rc=$?
    sleep 0.05   # a forking server reaps its children
    t1=$(cpu_ticks "$srv_pid")
    if [ "$rc" != 0 ] || [ -z "$line" ]; then
        printf '%s\t%s\t%s\terror\t-\t-\t-\t-\t-\t-\t-\t%s\n' "$d" "$w" "$rep" \
            "$(head -c 200 "$err" | tr '\t\n' '  ')" >>"$raw/runs.tsv"
        return 1
    fi
    vals=$(kv "$line" rps mbps p50_us p99_us max_us cpu requests late)
    awk -F'\t' -v d="$d" -v w="$w" -v r="$rep" -v c="$c" -v t="$((t1 - t0))" -v hz="$tck" '{
        n = $7 + $8 + c   # every echo the server made, the warm-up included
        printf "%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t\n", d, w, r, $1, $2, $3, $4, $5, $6, t / hz * 1e6 / n
    }' <<<"$vals" >>"$raw/runs.tsv"
}

# run_design DESIGN REP: the design's server, each workload it takes.
run_design() {
    local d=$1 rep=$2 w log=$logs/server-$1 shown=""
    read -r -a extra <<<"${D_ARGS[$d]}"
    for w in $WORKLOADS; do
        [ "${W_CONNS[$w]}" -le "${D_CONNS[$d]}" ] || continue
        if [ -z "$srv_pid" ] && ! start_server "$log" "${D_PATH[$d]}" "${extra[@]}"; then
            printf '%s\t%s\t%s\terror\t-\t-\t-\t-\t-\t-\t-\t%s\n' "$d" "$w" "$rep" \
                "the server did not say listening on (log: $log.err)" >>"$raw/runs.tsv"
            shown+=" ${w}:no-start"
            continue
        fi
        if run_load "$d" "$w" "$rep"; then
            shown+=" $w:$(tail -n 1 "$raw/runs.tsv" | awk -F'\t' '{ printf "%.0f/s", $5 }')"
        else
            shown+=" $w:error"
            stop_server   # a server that failed a run starts afresh
        fi
    done
    stop_server
    printf '  %-15s run %d/%d%s\n' "$d" "$rep" "$REPS" "$shown"
}

say "designs: $WORKLOADS (open loop at $OPEN_RATE requests/s) $(at)"
: >"$raw/runs.tsv"
for ((rep = 1; rep <= REPS; rep++)); do
    for d in "${designs[@]}"; do
        [ -z "${D_WHY[$d]:-}" ] && run_design "$d" "$rep"
    done
done

# ---- idle connections ---------------------------------------------------------------------------
vmrss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# hold DESIGN: HOLD_CONNS idle connections; the server's VmRSS before and
# while they are held, and whether each still echoes after.
hold() {
    local d=$1 log=$logs/hold-$1 base held line i
    read -r -a extra <<<"${D_ARGS[$d]}"
    if ! start_server "$log" "${D_PATH[$d]}" "${extra[@]}"; then
        printf '%s\t%s\t-\t-\t-\t-\terror\tthe server did not start\n' "$d" "$HOLD_CONNS" >>"$raw/hold.tsv"
        return
    fi
    base=$(vmrss "$srv_pid")
    "${lg_pin[@]}" "$bin/sl-load" -p "$srv_port" -c "$HOLD_CONNS" -H "$HOLD_MS" -t 20000 >"$log.load" 2>"$log.load.err" &
    lg_pid=$!
    for ((i = 0; i < 1500; i++)); do
        grep -qs "^held " "$log.load" && break
        kill -0 "$lg_pid" 2>/dev/null || break
        sleep 0.02
    done
    held=$(vmrss "$srv_pid")
    wait "$lg_pid"
    local rc=$? echoed
    lg_pid=
    stop_server
    echoed=$(sed -n 's/.*held=\([0-9]*\).*/\1/p' "$log.load")
    if [ "$rc" != 0 ] || [ -z "$echoed" ]; then
        printf '%s\t%s\t%s\t%s\t-\t-\terror\t%s\n' "$d" "$HOLD_CONNS" "$base" "$held" \
            "$(head -c 200 "$log.load.err" | tr '\t\n' '  ')" >>"$raw/hold.tsv"
        say "  $d: $(head -n 1 "$log.load.err")"
        return
    fi
    awk -v d="$d" -v n="$HOLD_CONNS" -v b="$base" -v h="$held" -v e="$echoed" 'BEGIN {
        printf "%s\t%d\t%d\t%d\t%.1f\t%d\tok\t\n", d, n, b, h, (h - b) * 1024 / n, e }' >>"$raw/hold.tsv"
    say "  $d: $(tail -n 1 "$raw/hold.tsv" | awk -F'\t' '{ printf "%s bytes a connection, %d of %d echo after the hold", $5, $6, $2 }')"
}

say "idle: $HOLD_CONNS connections held, VmRSS of the server $(at)"
: >"$raw/hold.tsv"
for d in "${designs[@]}"; do
    [ "${D_HOLD[$d]}" = hold ] && [ -z "${D_WHY[$d]:-}" ] && hold "$d"
done

# ---- bulk TCP ----------------------------------------------------------------------------------
# iperf3's one stream over loopback, its receiver on the server's core: bytes a second.
iperf() {
    local port log=$logs/iperf3 i gbps
    port=$("$bin/sl-bulk" -F) || return 1
    "${srv_pin[@]}" iperf3 -s -1 -B 127.0.0.1 -p "$port" >"$log.server" 2>&1 </dev/null &
    local spid=$!
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening' "$log.server" 2>/dev/null && break
        sleep 0.02
    done
    timeout 30 "${lg_pin[@]}" iperf3 -c 127.0.0.1 -p "$port" -t "$IPERF_S" -J >"$log.json" 2>"$log.err"
    local rc=$?
    kill -TERM "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
    [ "$rc" = 0 ] || return 1
    gbps=$(awk '/"sum_received"/ { s = 1 } s && /"bits_per_second"/ { gsub(/[^0-9.e+]/, "", $2); print $2 / 8e9; exit }' "$log.json")
    [ -n "$gbps" ] && echo "$gbps"
}

say "bulk: one loopback connection, $((BULK_BYTES >> 20)) MiB a run $(at)"
: >"$raw/bulk.tsv"
if [ -x "$bin/sl-bulk" ]; then
    for ((rep = 1; rep <= REPS; rep++)); do
        for b in $BULK_SIZES; do
            line=$("$bin/sl-bulk" -n "$BULK_BYTES" -b "$b" "${bulk_cpus[@]}" 2>>"$logs/bulk.err")
            [ -n "$line" ] || { say "  sl-bulk failed: $(tail -n 1 "$logs/bulk.err")"; continue; }
            printf 'bulk\t%s\t%s\t%s\n' "$b" "$rep" "$(kv "$line" gbps sends recvs bytes)" >>"$raw/bulk.tsv"
        done
        if have iperf3; then
            if g=$(iperf); then
                printf 'iperf3\t131072\t%s\t%s\t-\t-\t-\n' "$rep" "$g" >>"$raw/bulk.tsv"
            else
                say "  iperf3 failed (log: $logs/iperf3.err)"
            fi
        fi
    done
    awk -F'\t' '{ g[$1 " " $2] = g[$1 " " $2] sprintf(" %.2f", $4) }
        END { for (k in g) printf "  %-16s GB/s:%s\n", k, g[k] }' "$raw/bulk.tsv" | sort
else
    say "  not run: sl-bulk needs solutions/03-tcp"
fi

# ---- grading speed -------------------------------------------------------------------------------
# raw/grade.tsv: WHAT SECONDS STATUS BOUND KIND, KIND "alone" (a make grade
# of one lesson), "all", "part" (a lesson's share of the all-lessons grade,
# sl-run's own time from its results) or "hang".
# grade_time WHAT KIND LOG [ENV...] -- MAKE-ARGS...: a make grade, timed.
grade_time() {
    local what=$1 kind=$2 log=$3 t0 rc
    shift 3
    local envs=()
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    t0=$(now)
    env "${envs[@]}" $MAKE --no-print-directory "$@" >"$log" 2>&1
    rc=$?
    printf '%s\t%s\t%s\t\t%s\n' "$what" "$(elapsed "$t0" "$(now)")" "$rc" "$kind" >>"$raw/grade.tsv"
    say "  $(tail -n 1 "$raw/grade.tsv" | awk -F'\t' '{ printf "%-34s %6.2f s%s", $1, $2, ($3 == 0 ? "" : " (exit " $3 ")") }')"
}

# The sum of the timeouts of a lesson's tests (sl-run --list), in seconds.
timeouts_of() {
    "$1/grader/sl-run" --tests "$1/meta/$2" --list 2>/dev/null | awk '{ s += $4 } END { print s + 0 }'
}

# Each lesson's share of the all-lessons grade (they run one after
# another), from its results; prints the slowest lesson.
lesson_parts() {
    local l secs
    for l in $lessons_here; do
        secs=$(grep -m 1 -o '"seconds": *[0-9.]*' "$BUILD/solutions/results/$l.json" 2>/dev/null | grep -o '[0-9.]*$')
        [ -n "$secs" ] && printf 'lesson %s\t%s\t0\t\tpart\n' "$l" "$secs" >>"$raw/grade.tsv"
    done
    awk -F'\t' '$5 == "part" && $2 > best { best = $2; l = $1 } END { sub(/^lesson /, "", l); print l }' "$raw/grade.tsv"
}

: >"$raw/grade.tsv"
lessons_here=$(cd lessons && ls -d [0-9][0-9]-* 2>/dev/null | tr '\n' ' ')
lesson_of() { (cd lessons && ls -d "$1"-* 2>/dev/null | head -n 1); }
if [ -d solutions ]; then
    say "grading: make grade IMPL=solutions, built first (the time is the grade's alone) $(at)"
    if [ -n "$GRADE_ALL" ]; then gl=$lessons_here; else gl=$(lesson_of "$GRADE_LESSONS"); fi
    $MAKE -s -j"$ncpu" --no-print-directory build IMPL=solutions LESSON="$gl" BUILD="$BUILD" \
        >"$logs/grade-build.log" 2>&1 ||
        say "  note: the build of the solutions failed in part (log: $logs/grade-build.log)"
    if [ -n "$GRADE_ALL" ]; then
        grade_time "all lessons" all "$logs/grade-all.log" -- grade IMPL=solutions BUILD="$BUILD"
        gl=$(lesson_parts)
        awk -F'\t' '$5 == "part" { printf "    %-32s %6.2f s\n", $1, $2 }' "$raw/grade.tsv"
    fi
    [ -z "$gl" ] || grade_time "lesson $gl alone" alone "$logs/grade-$gl.log" -- \
        grade LESSON="$gl" IMPL=solutions BUILD="$BUILD"
fi

# The submission whose every test hangs: a scratch copy of the tree, the
# skeletons as handed out (git HEAD, or a hand-out's pristine copy: never
# the student's own work, whose done tasks would not hang), its TODO()
# planted by grader/bench/hang-todo.c ("becomes: grader/todo/todo.c", the
# hostile corpus's way), graded with the timeouts scaled by HANG_SCALE.
hang_lesson=$(lesson_of "$HANG_LESSON")
if [ -n "$hang_lesson" ]; then
    tree=$out/hang-tree
    rm -rf "$tree" && mkdir -p "$tree"
    cp -r Makefile grader lessons "$tree/"
    if git rev-parse --verify -q HEAD >/dev/null 2>&1 && git cat-file -e HEAD:skeletons 2>/dev/null; then
        git archive --format=tar HEAD -- skeletons | tar -C "$tree" -xf -
    elif [ -f grader/pristine/skeletons.tar.gz ]; then
        tar -C "$tree" -xzf grader/pristine/skeletons.tar.gz
    else
        cp -r skeletons "$tree/"
    fi
    rm -rf "$tree/grader/hostile"
    cp grader/bench/hang-todo.c "$tree/grader/todo/todo.c"
    say "grading: a submission whose every test hangs ($hang_lesson, timeouts x $HANG_SCALE) $(at)"
    if env -C "$tree" $MAKE -s -j"$ncpu" --no-print-directory build LESSON="$hang_lesson" BUILD=build \
            >"$logs/hang-build.log" 2>&1; then
        bound=$(awk -v t="$(timeouts_of "$tree/build" "$hang_lesson")" -v s="$HANG_SCALE" -v j="$ncpu" \
                'BEGIN { printf "%.2f", t * s / j }')
        grade_time "hanging $hang_lesson" hang "$logs/hang-grade.log" SOCKLAB_TIMEOUT_SCALE="$HANG_SCALE" -- \
            -C "$tree" grade LESSON="$hang_lesson" BUILD=build
        awk -F'\t' -v OFS='\t' -v b="$bound" '$5 == "hang" { $4 = b } { print }' "$raw/grade.tsv" >"$raw/grade.tmp" &&
            mv "$raw/grade.tmp" "$raw/grade.tsv"
        say "    its tests' timeouts x $HANG_SCALE, divided by $ncpu jobs: $bound s"
    else
        say "  the scratch tree does not build (log: $logs/hang-build.log)"
    fi
    rm -rf "$tree"
fi

# ---- the results ------------------------------------------------------------------------------------
export BENCH_MACHINE="$ncpu cores, $model, $kernel" BENCH_PLACEMENT=$placement BENCH_REPS=$REPS \
       BENCH_DUR=$DUR BENCH_QUICK=$QUICK BENCH_OPEN_RATE=$OPEN_RATE BENCH_FLOOR=$FLOOR_CPU \
       BENCH_HOLD=$HOLD_CONNS BENCH_JOBS=$ncpu BENCH_HANG_SCALE=$HANG_SCALE BENCH_MISSING=$missing \
       BENCH_RESULTS=$BUILD/solutions/results BENCH_BUSY=$busy
for d in "${designs[@]}"; do printf '%s\t%s\n' "$d" "${D_CONNS[$d]}"; done >"$raw/designs.txt"
for d in "${designs[@]}"; do printf '%s\t%s\n' "$d" "${D_WHY[$d]:-}"; done >"$raw/why.tsv"
for w in $WORKLOADS; do printf '%s\t%s\t%s\n' "$w" "${W_LABEL[$w]}" "${W_CONNS[$w]}"; done >"$raw/workloads.tsv"
grader/bench/report.sh "$out" || die 1 "bench: the report could not be written"
say "socklab: bench done in $(elapsed "$started" "$(now)") s: $out/results.csv, $out/bench.md$(
    [ -f "$out/bench-rps.png" ] && echo ", $out/bench-rps.{png,svg}, $out/bench-latency.{png,svg}")"
