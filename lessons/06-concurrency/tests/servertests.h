/* servertests.h - the bodies of the program tests that the stream servers
 * share (fork-echo-server, thread-echo-server, pool-echo-server): each
 * st_*() is the body of one test, given the program and the host; the
 * task's file declares the tests, with their points and hints. They drive
 * the servers over sockets only. */
#ifndef SERVERTESTS_H
#define SERVERTESTS_H

#include "ccutil.h"

#define ST_BURST 100

/* 100 clients connect at once, then each sends its own line: each must get
 * exactly its own line back, then the end of the stream. */
static inline void st_burst(const char *name, const char *host, const char *const *args)
{
    sl_server_t s;
    cu_peer_t *p;
    const char *bad;
    int good;

    CU_START(&s, name, host, args);
    p = cu_peers_connect(host, s.port, ST_BURST);
    good = cu_peers_echo(p, ST_BURST, 5000);
    bad = cu_peers_first_bad(p, ST_BURST);
    cu_drain(&s);
    if (s.prog.ended && WIFSIGNALED(s.prog.status) && strstr(name, "thread") != NULL)
        SL_FAIL_FATAL("%s was killed by signal %d (%s) under 100 clients at once: a connection "
                      "passed to a thread by the address of a loop variable? Two threads then "
                      "run, and free, the same request. Hand each thread a request of its own",
                      name, WTERMSIG(s.prog.status), strsignal(WTERMSIG(s.prog.status)));
    cu_still_running(&s, "100 clients at once");
    if (cu_peers_crossed(p, ST_BURST))
        SL_FAIL_FATAL("a connection passed to a thread by the address of a loop variable (or a "
                      "request shared): %s. Of %d clients at once, %d got their own line back",
                      bad, ST_BURST, good);
    if (bad != NULL && cu_peers_no_eof(p, ST_BURST) && strstr(name, "fork") != NULL)
        SL_FAIL_FATAL("the parent not closing the connection: each of %d clients got its echo "
                      "but none the end of the stream once its child had ended", ST_BURST);
    if (bad != NULL)
        SL_FAIL_FATAL("%d clients at once: %d got their own line back then the end of the "
                      "stream; %s", ST_BURST, good, bad);
    sl_note("%d clients at once, each got its own echo, then the end of the stream", ST_BURST);
    cu_peers_free(p, ST_BURST);
    SL_SERVER_STOP(&s);
}

/* Client A connects and sends nothing (its handler waits in recv()); B and
 * C must be served meanwhile. */
static inline void st_blocked(const char *name, const char *host, const char *const *args)
{
    sl_server_t s;
    sl_conn_t a;

    CU_START(&s, name, host, args);
    SL_CONNECT(&a, &s);
    SL_SEND(&a, "A, who says no more");
    SL_EXPECT(&a, "A, who says no more", 2000);
    sl_note("client A is connected, its handler waits for more: B and C must be served");
    cu_echo_once(&s, "B, while A's handler waits\n", 2000);
    cu_echo_once(&s, "C, too\n", 2000);
    sl_conn_close(&a);
    SL_SERVER_STOP(&s);
}

/* A client that half-closes must get its echo, then the end of the stream,
 * at once. */
static inline void st_eof(const char *name, const char *host, const char *const *args)
{
    sl_server_t s;

    CU_START(&s, name, host, args);
    for (int i = 0; i < 3; i++)
        cu_echo_once(&s, "one line, then a half-close\n", 1000);
    SL_SERVER_STOP(&s);
}

/* The number on the server's last "served N requests" line, or -1. */
static inline long st_served(const sl_server_t *s)
{
    const char *at = strstr(s->prog.err.data, ": served ");
    long n = -1;

    while (at != NULL) {
        n = strtol(at + 9, NULL, 10);
        at = strstr(at + 1, ": served ");
    }
    return n;
}

/* Connects and closes n clients one after another from the test, as fast
 * as it can, each sending one byte and reading its echo. */
static inline void st_cycles(sl_server_t *s, int n)
{
    char b;

    for (int i = 0; i < n; i++) {
        int fd = cu_connect_from(s->host, s->port, NULL);

        if (fd < 0)
            SL_FAIL_FATAL("connection %d of %d: connect: %s", i + 1, n, strerror(errno));
        cu_timeout(fd, 2000);
        if (send(fd, "x", 1, MSG_NOSIGNAL) != 1 || recv(fd, &b, 1, 0) != 1) {
            int all = 0, z = cu_zombies(s->prog.pid, &all);

            close(fd);
            cu_still_running(s, "connections one after another");
            if (z > 10)
                SL_FAIL_FATAL("no reaping: connection %d of %d got no echo, and the server has "
                              "%d zombie children (of %d): fork() fails once the process limit "
                              "is reached. Catch SIGCHLD and waitpid() them in a loop", i + 1, n,
                              z, all);
            if (all - z > 10 && all - z >= i - 2)
                SL_FAIL_FATAL("connection %d of %d got no echo within 2 s: %d children still "
                              "running, none ended: does the child _exit() after the request? "
                              "(one that returns from ss_process_fork() goes back into the "
                              "parent's loop instead of ending, until fork() fails at the "
                              "process limit)", i + 1, n, all - z);
            if (all - z > 10)
                SL_FAIL_FATAL("connection %d of %d got no echo within 2 s: %d children still "
                              "running, of %d connections: some children never end. Each one "
                              "serves its client, then _exit()s; is one blocked?", i + 1, n,
                              all - z, i);
            SL_FAIL_FATAL("connection %d of %d: no echo of 1 byte within 2 s", i + 1, n);
        }
        close(fd);
    }
}

/* Waits until the server's descriptors come down to at most want (2 s). */
static inline int st_wait_fds(sl_server_t *s, int want)
{
    double end = sl_now_ms() + sl_scaled_ms(2000);
    int n;

    while ((n = sl_prog_fd_count(&s->prog)) > want && sl_now_ms() < end)
        sl_sleep_ms(10);
    return n;
}

/* The clients of 127.0.0.2 are refused (-d 127.0.0.2), those of 127.0.0.1
 * served, in turn. */
static inline void st_refuses(const char *name, const char *mode)
{
    const char *args[] = {"-d", "127.0.0.2", mode ? "-m" : NULL, mode, NULL};
    sl_server_t s;
    char got[64];
    int eof;

    CU_START(&s, name, "127.0.0.1", args);
    for (int i = 0; i < 3; i++) {
        int fd = cu_connect_from("127.0.0.1", s.port, "127.0.0.2");
        size_t n;

        if (fd < 0)
            SL_FAIL_FATAL("test setup: connect from 127.0.0.2: %s", strerror(errno));
        send(fd, "let me in\n", 10, MSG_NOSIGNAL);
        n = cu_read_all(fd, got, sizeof got, 2000, &eof);
        close(fd);
        if (n > 0 || eof == 0)
            SL_FAIL_FATAL("%s -d 127.0.0.2: a client from 127.0.0.2 got %s%s: verify_request() "
                          "refuses it, and the server closes it at once", name, sl_bytes(got, n),
                          eof ? "" : " and the connection stayed open");
        cu_still_running(&s, "a refused client");
        cu_echo_once(&s, "from 127.0.0.1, after a refused one\n", 2000);
    }
    SL_SERVER_STOP(&s);
}

/* Bad usage: exit 2, usage on stderr. */
static inline void st_bad_usage(const char *name, const char *opt, const char *val)
{
    const char *args[] = {opt, val, NULL};
    char what[64];

    snprintf(what, sizeof what, "with %s %s", opt, val ? val : "");
    sl_check_bad_usage(name, args, what);
}

#endif
