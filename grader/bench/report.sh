#!/usr/bin/env bash
# report.sh OUT - the results of make bench from OUT/raw (bench.sh's runs):
# OUT/results.csv, the plots OUT/bench-rps.{png,svg} and
# OUT/bench-latency.{png,svg} (gnuplot, where it is installed) and the docs
# page OUT/bench.md; the targets, one a line, on stdout. The settings and
# the machine come from the environment (BENCH_*, set by bench.sh).
set -u
out=$1
raw=$out/raw
here=$(dirname "$0")
export LC_ALL=C

# The slowest tests of each lesson graded (for the note on a missed
# target): "SUM;NAME (S s), ..." from the grade's results.
slow() {
    local f l
    for f in "${BENCH_RESULTS:-build/solutions/results}"/*.json; do
        [ -f "$f" ] || continue
        l=$(basename "$f" .json)
        grep -o '"name": *"[^"]*"\|"seconds": *[0-9.]*' "$f" | awk -v l="$l" -F'"' '
            /"name"/ { n = $4; next }
            n != "" { split($0, a, ": *"); s = a[2] + 0; sum += s; t[n] = s; n = "" }
            END {
                printf "%s\t%.1f;", l, sum
                for (k = 0; k < 3; k++) {
                    best = ""; for (x in t) if (best == "" || t[x] > t[best]) best = x
                    if (best == "") break
                    printf "%s%s (%.1f s)", (k ? ", " : ""), best, t[best]; delete t[best]
                }
                print ""
            }'
    done
}
slow >"$raw/slow.tsv"

inputs=("$raw/designs.txt" "$raw/why.tsv" "$raw/workloads.tsv" "$raw/runs.tsv" "$raw/hold.tsv"
        "$raw/bulk.tsv" "$raw/grade.tsv" "$raw/slow.tsv")
for f in "${inputs[@]}"; do [ -f "$f" ] || : >"$f"; done
awk -F'\t' -v out="$out" -v mode=dat -f "$here/report.awk" "${inputs[@]}" || exit 1

export BENCH_PLOTS=
rm -f "$out"/bench-*.png "$out"/bench-*.svg
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "  no plots: gnuplot is not installed (apt-get install -y gnuplot-nox); the CSV and the page are written"
elif [ "$(wc -l <"$out/rps.dat")" -lt 2 ]; then
    echo "  no plots: no design was measured"
elif gnuplot -e "dir='$out'" "$here/plot.gp" >"$out/logs/gnuplot.log" 2>&1; then
    BENCH_PLOTS=1
else
    echo "  no plots: gnuplot failed (log: $out/logs/gnuplot.log)"
fi
awk -F'\t' -v out="$out" -v mode=report -f "$here/report.awk" "${inputs[@]}"
