# plot.gp - the plots of make bench, from the data report.awk writes:
#   dir/rps.dat      design, requests a second at 1, 100 and 1000 connections
#   dir/latency.dat  design, p50, p99 and max latency (us), open loop
# into dir/bench-rps.{png,svg} and dir/bench-latency.{png,svg}.
# Run as: gnuplot -e "dir='build/bench'" plot.gp
if (!exists("dir")) dir = "build/bench"

set datafile separator "\t"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top right
set grid ytics
set xtics rotate by -35 nomirror
set border 3
set ytics nomirror

# Each plot in both formats: the page shows the SVG, the PNG is for a look
# from a terminal or a chat.
rps(term, file) = sprintf("set terminal %s; set output '%s'", term, file)
png = (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) ? "pngcairo size 1000,520 font ',10'" : "png size 1000,520"
svg = "svg size 1000,520 dynamic font ',11'"

set title "Requests a second by design (closed loop, 64-byte messages)"
set ylabel "requests a second"
set format y "%.0s%c"
do for [t in "png svg"] {
    eval rps(t eq "png" ? png : svg, dir . "/bench-rps." . t)
    plot dir . "/rps.dat" using 2:xtic(1) title "1 connection" lc rgb "#4878a8", \
         "" using 3 title "100 connections" lc rgb "#e0a030", \
         "" using 4 title "1000 connections" lc rgb "#60a060"
    set output
}

set title "Latency, open loop at a fixed rate (100 connections)"
set ylabel "microseconds (log scale)"
set logscale y
set format y "%g"
do for [t in "png svg"] {
    eval rps(t eq "png" ? png : svg, dir . "/bench-latency." . t)
    plot dir . "/latency.dat" using 2:xtic(1) title "p50" lc rgb "#4878a8", \
         "" using 3 title "p99" lc rgb "#e0a030", \
         "" using 4 title "max" lc rgb "#c05050"
    set output
}
