#!/usr/bin/env bash
# deps.sh - what socklab needs from Debian, checked and installed.
#   deps.sh check KIND     list what is missing for KIND (build, docs, test, long, bench)
#   deps.sh ensure KIND    install what is missing if we can, else say how
#   deps.sh install        install everything (what `make deps` runs)
set -u

# "package test" pairs: a test is a command name or an absolute file path.
BUILD_DEPS="gcc:gcc make:make libc6-dev:/usr/include/stdio.h
libcunit1-dev:/usr/include/CUnit/CUnit.h libjansson-dev:/usr/include/jansson.h"
DOCS_DEPS="doxygen:doxygen graphviz:dot"
TEST_DEPS="libxml2-utils:xmllint"
LONG_DEPS="valgrind:valgrind"
# make bench: optional; a row whose tool is missing is left out, with the
# apt-get line that brings it (libuv's and libevent's echo servers,
# iperf3 beside the bulk run, the plots, the pinning of server and load).
BENCH_DEPS="libuv1-dev:/usr/include/uv.h libevent-dev:/usr/include/event2/event.h iperf3:iperf3
gnuplot-nox:gnuplot util-linux:taskset"
# What make deps installs: all of the above, inotify-tools for make watch,
# and the real clients the lessons' programs are tried with (nc, socat).
ALL_PACKAGES="gcc make libc6-dev libcunit1-dev libjansson-dev doxygen graphviz libxml2-utils inotify-tools valgrind netcat-openbsd socat"

present() {
    case $1 in
        /*) [ -e "$1" ] ;;
        *) command -v "$1" >/dev/null 2>&1 ;;
    esac
}

missing() {
    local list
    case $1 in
        build) list=$BUILD_DEPS ;;
        docs) list=$DOCS_DEPS ;;
        test) list="$BUILD_DEPS $DOCS_DEPS $TEST_DEPS" ;;
        long) list="$BUILD_DEPS $LONG_DEPS" ;;
        bench) list=$BENCH_DEPS ;;
        *) echo "deps.sh: unknown kind '$1' (valid: build, docs, test, long, bench)" >&2; exit 2 ;;
    esac
    local out="" pair
    for pair in $list; do
        present "${pair#*:}" || out="$out ${pair%%:*}"
    done
    echo "${out# }"
}

# How we may run apt-get here: as root, or with password-less sudo.
as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 99
    fi
}

can_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

# The command that installs $* here, as this user can run it.
install_command() {
    if [ "$(id -u)" = 0 ]; then
        echo "apt-get install -y $*"
    elif command -v sudo >/dev/null 2>&1; then
        echo "sudo apt-get install -y $*"
    else
        echo "su -c 'apt-get install -y $*'   (as root; there is no sudo here)"
    fi
}

install() {
    local pkgs=$*
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "socklab: no apt-get here: install these Debian packages (or your system's equivalents): $pkgs" >&2
        return 1
    fi
    if ! can_install; then
        echo "socklab: installing needs root: run   $(install_command $pkgs)" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    local log
    log=$(mktemp)
    if ! { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends $pkgs; } >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        rm -f "$log"
        echo "socklab: apt-get could not install: $pkgs (run it yourself: $(install_command $pkgs))" >&2
        return 1
    fi
    rm -f "$log"
}

case ${1:-} in
    check)
        missing "${2:-build}" ;;
    ensure)
        need=$(missing "${2:-build}")
        [ -z "$need" ] && exit 0
        if can_install; then
            echo "socklab: installing missing packages through 'make deps': $need" >&2
            install $ALL_PACKAGES || exit 1
            need=$(missing "${2:-build}")
            [ -z "$need" ] || { echo "socklab: still missing after 'make deps': $need" >&2; exit 1; }
        else
            echo "socklab: missing packages: $need. Run:   $(install_command $need)" >&2
            exit 1
        fi ;;
    install)
        need="$(missing test) $(missing long)"
        need=${need# }; need=${need% }
        inotify=$(command -v inotifywait >/dev/null 2>&1 || echo inotify-tools)
        if [ -z "$need$inotify" ]; then
            echo "socklab: every dependency is installed"
            exit 0
        fi
        echo "socklab: installing: $ALL_PACKAGES"
        install $ALL_PACKAGES ;;
    *)
        echo "usage: deps.sh check|ensure [build|docs|test] | install" >&2
        exit 2 ;;
esac
