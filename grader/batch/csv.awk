# csv.awk - the rows of grades.csv for one lesson of one student, from the
# lines of `sl-report --format tsv` (lesson, task, test, status, points
# earned, points it is worth, message). Run by grader/scripts/batch.sh with:
#   -v student=NAME -v lesson=NN-topic   the names to write (safe words)
#   -v zero=1                            count no points (a lesson not graded)
#   -v note=TEXT                         said on the lesson's total row
# Writes, for each task of the lesson in task order (0: tests of no task),
#   student,lesson,TASK,points,max,
# then the lesson's total,
#   student,lesson,total,points,max,"note"
# where the note, when none is given, says that the lesson did not build,
# that the grader failed in some tests, or what every failed test said when
# they all said the same (code that hangs before main(), say).
BEGIN { FS = "\t" }
NF >= 6 {
    task = $2 + 0
    if (!(task in worth)) tasks[++n] = task
    earned = zero ? 0 : $5 + 0
    got[task] += earned
    worth[task] += $6 + 0
    sum += earned
    max += $6 + 0
    tests++
    unbuilt += $4 == "build"
    errors += $4 == "error"
    if ($4 != "pass") {
        failing++
        if (failing == 1) { how = $4; what = $7 }
        alike += $4 == how && $7 == what
    }
}
END {
    for (i = 2; i <= n; i++) {
        v = tasks[i]
        for (j = i - 1; j >= 1 && tasks[j] > v; j--) tasks[j + 1] = tasks[j]
        tasks[j + 1] = v
    }
    for (i = 1; i <= n; i++)
        printf "%s,%s,%d,%d,%d,\n", student, lesson, tasks[i], got[tasks[i]], worth[tasks[i]]
    if (note == "" && tests > 0 && unbuilt == tests)
        note = "did not build"
    else if (note == "" && errors > 0)
        note = "grader error in " errors " tests: grade again"
    else if (note == "" && failing >= 3 && alike == failing && how != "todo")
        note = "all " failing " failed tests: " what
    printf "%s,%s,total,%d,%d,%s\n", student, lesson, sum, max, quoted(note)
}
function quoted(s) {
    if (s == "") return ""
    gsub(/"/, "\"\"", s)
    return "\"" s "\""
}
