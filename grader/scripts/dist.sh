#!/usr/bin/env bash
# dist.sh - the student hand-out: build/socklab.tar.gz, every tracked file
# but the solutions and CI. With --check: build it, then prove that it holds
# no solution and that, unpacked on its own, it builds and grades to 0.
set -eu
: "${BUILD:=build}" "${MAKE:=make}"
out=$BUILD/socklab.tar.gz

list_files() {
    if [ -d .git ] && command -v git >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard
    else
        find . -type f -not -path './build/*' | sed 's|^\./||'
    fi | grep -Ev '^(solutions/|\.ci/|build/)' | sort
}

make_dist() {
    local stage
    stage=$(mktemp -d)
    mkdir "$stage/socklab"
    list_files | while IFS= read -r f; do
        [ -e "$f" ] || continue
        mkdir -p "$stage/socklab/$(dirname "$f")"
        cp -p "$f" "$stage/socklab/$f"
    done
    mkdir -p "$BUILD"
    tar -C "$stage" -czf "$out.tmp" socklab
    mv "$out.tmp" "$out"
    rm -rf "$stage"
    echo "socklab: wrote $out ($(tar -tzf "$out" | grep -vc '/$') files, no solutions)"
}

# Fails if any file of the hand-out is, or contains, a solution file.
no_solution_inside() {
    local dir=$1 f
    if tar -tzf "$out" | grep -q '^socklab/solutions/'; then
        echo "dist: solutions/ is in the hand-out" >&2
        return 1
    fi
    for f in $(find solutions -type f -name '*.[ch]' 2>/dev/null); do
        if find "$dir" -type f -exec cmp -s "$f" {} \; -print | grep -q .; then
            echo "dist: a copy of $f is in the hand-out" >&2
            return 1
        fi
    done
}

check_dist() {
    local tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    tar -C "$tmp" -xzf "$out"
    no_solution_inside "$tmp/socklab"
    (cd "$tmp/socklab" && $MAKE --no-print-directory grade EXPECT=zero NO_COLOR=1)
}

make_dist
[ "${1:-}" = --check ] && check_dist
exit 0
