# pristine.sh - the skeletons as handed out (sourced, not run).
#   pristine_skeleton L DIR   puts the hand-out's skeletons/L into DIR/L:
#                             from git HEAD, else the hand-out's copy
#                             (grader/pristine/skeletons.tar.gz); 1 if neither
#   skeleton_changed L        0 if skeletons/L differs from the hand-out's

pristine_skeleton() {
    local lesson=$1 dir=$2
    mkdir -p "$dir"
    if git rev-parse --verify -q HEAD >/dev/null 2>&1 &&
        git cat-file -e "HEAD:skeletons/$lesson" 2>/dev/null; then
        git archive --format=tar HEAD -- "skeletons/$lesson" | tar -C "$dir" -xf - --strip-components=1
    elif [ -f grader/pristine/skeletons.tar.gz ]; then
        tar -C "$dir" -xzf grader/pristine/skeletons.tar.gz --strip-components=1 "skeletons/$lesson" 2>/dev/null
    else
        return 1
    fi
}

skeleton_changed() {
    local lesson=$1 tmp rc
    tmp=$(mktemp -d)
    if ! pristine_skeleton "$lesson" "$tmp"; then
        rm -rf "$tmp"
        return 1
    fi
    diff -rq "$tmp/$lesson" "skeletons/$lesson" >/dev/null 2>&1
    rc=$?
    rm -rf "$tmp"
    [ "$rc" != 0 ]
}
