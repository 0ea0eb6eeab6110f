#!/usr/bin/env bash
# watch.sh - regrade whenever a source file is saved (make watch).
# Uses inotifywait (inotify-tools) when present, else looks every second.
set -u
dirs=(lessons skeletons grader)
[ -d solutions ] && dirs+=(solutions)

stamp() { find "${dirs[@]}" -name '*.[ch]' -newer "$1" -print -quit 2>/dev/null; }

wait_for_change() {
    if command -v inotifywait >/dev/null 2>&1; then
        inotifywait -qq -r -e close_write -e moved_to --include '\.[ch]$' "${dirs[@]}"
    else
        local mark
        mark=$(mktemp)
        while [ -z "$(stamp "$mark")" ]; do sleep 1; done
        rm -f "$mark"
    fi
}

while :; do
    [ -t 1 ] && printf '\033[2J\033[H'
    grader/scripts/grade.sh
    echo "socklab: watching ${dirs[*]} for changes (Ctrl-C to stop)" >&2
    wait_for_change || exit 1
done
