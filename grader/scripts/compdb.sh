#!/usr/bin/env bash
# compdb.sh - join the compile-command fragments every compile leaves
# (build/obj/**/*.o.json) into build/compile_commands.json for editors.
set -eu
: "${BUILD:=build}"
out=$BUILD/compile_commands.json
mkdir -p "$BUILD"
{
    echo '['
    find "$BUILD/obj" -name '*.o.json' -print0 2>/dev/null | sort -z | xargs -0 -r cat | sed '$ s/,$//'
    echo ']'
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "socklab: wrote $out ($(grep -c '"file"' "$out") files)"
