/* Task 8: the echo client against the grader's fault injectors: a proxy
 * that splits the stream into 1-byte segments, a server that resets, and
 * libsl-shortio.so, which makes the client's own socket calls return short
 * counts and fail with EINTR. The echo server is the test's own. */
#include "progutil.h"

SL_TASK_PROGRAMS(8, "The echo client");

static const char lines[] = "first line\nsecond, a bit longer line\n\nafter an empty one\n"
                            "and the last, with no newline";

SL_NET_TEST(client_through_a_proxy_that_splits_bytes, 2, 6000,
            "Through sl-split-proxy the echo comes one byte per recv(): the line reader "
            "gathers bytes until the '\\n'. Print each line once it is complete, and the "
            "rest after the half-close.")
{
    sl_server_t px;
    sl_run_t r;
    char to[80], words[160];
    int port;
    pid_t echo = pu_echo_start(host, &port);
    const char *args[3] = {host, NULL, NULL};

    snprintf(to, sizeof to, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
    pu_start_proxy(&px, host, to);
    args[1] = pu_port(px.port);
    snprintf(words, sizeof words, "echo-client %s %d (through sl-split-proxy) with five lines "
             "on stdin", host, px.port);
    PU_RUN(&r, "echo-client", args, lines, sizeof lines - 1, 5000);
    if (pu_exited(&r, words, 0))
        SL_CHECK_BYTES(words, r.prog.out.data, r.prog.out.len, lines, sizeof lines - 1);
    sl_run_free(&r);
    SL_SERVER_STOP(&px);
    pu_echo_stop(echo);
}

SL_NET_TEST(client_reset_by_its_server, 2, 5000,
            "sl-reset-peer reads a few bytes and resets the connection: tcp_read_line() or "
            "tcp_send_all() fails with ECONNRESET (or EPIPE). Say so in one line, "
            "\"echo-client: what failed: reason\", and exit with status 1; never hang, "
            "never die of SIGPIPE.")
{
    const char *rp_args[] = {"--read", "6", "--max-seconds", PU_FAULT_SECONDS, NULL};
    sl_server_t rp;
    sl_run_t r;
    char words[160];
    const char *args[3] = {host, NULL, NULL};

    SL_SERVER_START_ARGS(&rp, "sl-reset-peer", host, rp_args);
    args[1] = pu_port(rp.port);
    snprintf(words, sizeof words, "echo-client %s %d (a server that resets) with two lines "
             "on stdin", host, rp.port);
    PU_RUN(&r, "echo-client", args, "hello\nworld\n", 12, 4000);
    if (WIFSIGNALED(r.prog.status) && WTERMSIG(r.prog.status) == SIGPIPE)
        SL_FAIL("%s was killed by SIGPIPE: it sent on a connection that was reset; send "
                "with MSG_NOSIGNAL (tcp_send_all() does) and stop at the first error", words);
    else if (pu_exited(&r, words, 1))
        pu_one_error_line(&r, words, NULL);
    sl_run_free(&r);
    sl_prog_free(&rp.prog);
}

SL_NET_TEST(client_under_short_counts_and_eintr, 2, 8000,
            "Under libsl-shortio.so the client's send() and recv() calls move fewer bytes "
            "than asked and fail with EINTR: send with tcp_send_all(), read with "
            "tcp_read_line(), and the output is still exactly the input.")
{
    static char in[40000];
    size_t len = 0;
    pu_env_t env;
    sl_prog_t p;
    char words[160], how[128];
    int port;
    pid_t echo = pu_echo_start(host, &port);
    const char *args[3] = {host, NULL, NULL};

    memcpy(in, lines, sizeof lines - 1);
    len = sizeof lines - 1;
    in[len++] = '\n';
    for (int i = 0; i < 30000; i++)
        in[len++] = (char)('a' + i % 26);
    in[len++] = '\n';
    args[1] = pu_port(port);
    snprintf(words, sizeof words, "echo-client %s %d under libsl-shortio.so, with six lines "
             "(one of 30000 bytes) on stdin", host, port);
    if (sl_prog_start_env(&p, "echo-client", args, 1, pu_shortio_env(&env, "9", "short,eintr")) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    signal(SIGPIPE, SIG_IGN);   /* a client that died early: EPIPE, not death */
    if (write(p.in_fd, in, len) != (ssize_t)len)
        SL_FAIL_FATAL("test: cannot write the client's stdin: %s", strerror(errno));
    close(p.in_fd);
    p.in_fd = -1;
    if (sl_prog_wait(&p, sl_deadline(6000)) < 0)
        SL_FAIL_FATAL("%s was still running after 6 s: does it stop at the end of its input?",
                      words);
    sl_prog_check_todo(&p);
    if (!WIFEXITED(p.status) || WEXITSTATUS(p.status) != 0)
        SL_FAIL("%s %s: expected exit status 0; its stderr: %s", words,
                sl_prog_how(&p, how, sizeof how), pu_show(p.err.data, p.err.len));
    else
        SL_CHECK_BYTES(words, p.out.data, p.out.len, in, len);
    sl_prog_free(&p);
    pu_echo_stop(echo);
}
