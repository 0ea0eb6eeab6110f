/* Task 8: the echo client against the grader's fault injectors: a proxy
 * that splits the stream into 1-byte segments, a server that resets, and
 * libsl-shortio.so, which makes the client's own socket calls return short
 * counts and fail with EINTR. The echo server is the test's own. */
#include "progutil.h"

SL_TASK_PROGRAMS(8, "The echo client");

static const char lines[] = "first line\nsecond, a bit longer line\n\nafter an empty one\n"
                            "and the last, with no newline";

/* The client r must have exited 0 with exactly want on stdout; `words`
 * names the run. */
static void printed(sl_run_t *r, const char *words, const void *want, size_t want_len)
{
    char how[SL_PROG_HOW_MAX];

    if (!WIFEXITED(r->prog.status) || WEXITSTATUS(r->prog.status) != 0) {
        SL_HINT(pu_client_hint(&r->prog))
        {
            SL_FAIL("%s %s: expected exit status 0%s", words,
                    sl_prog_how(&r->prog, how, sizeof how), sl_last_words(&r->prog));
        }
    } else {
        SL_CHECK_BYTES(words, r->prog.out.data, r->prog.out.len, want, want_len);
    }
}

SL_NET_TEST(client_through_a_proxy_that_splits_bytes, 2, 6000,
            "Through sl-split-proxy the echo comes one byte per recv(): the line reader "
            "gathers bytes until the '\\n'. Print each line once it is complete, and the "
            "rest after the half-close.")
{
    sl_server_t px;
    sl_run_t r;
    char words[160];
    pu_echo_t e;
    const char *args[3] = {host, NULL, NULL};

    pu_echo_start(&e, host);
    pu_start_proxy(&px, host, e.where);
    args[1] = sl_port_text(px.port);
    snprintf(words, sizeof words, "echo-client %s %d (through sl-split-proxy) with five lines "
             "on stdin", host, px.port);
    PU_CLIENT_RUN(&r, args, lines, sizeof lines - 1, 5000, &e);
    printed(&r, words, lines, sizeof lines - 1);
    sl_run_free(&r);
    SL_SERVER_STOP(&px);
    pu_echo_stop(&e);
}

SL_NET_TEST(client_reset_by_its_server, 2, 5000,
            "sl-reset-peer reads the first line and resets the connection: tcp_read_line() "
            "fails with ECONNRESET. Say so in one line, \"echo-client: what failed: "
            "reason\", and exit with status 1: stop at the first error (a send() after it "
            "fails with EPIPE, and without MSG_NOSIGNAL kills the client with SIGPIPE).")
{
    const char *rp_args[] = {"--read", "6", "--max-seconds", PU_FAULT_SECONDS, NULL};
    sl_server_t rp;
    sl_run_t r;
    pu_echo_t e;
    char words[160];
    const char *args[3] = {host, NULL, NULL};

    /* The client must work first: one that cannot even connect fails too,
     * with one line and status 1, and would pass what follows. */
    pu_echo_start(&e, host);
    args[1] = sl_port_text(e.port);
    PU_CLIENT_RUN(&r, args, "works\n", 6, 5000, &e);
    snprintf(words, sizeof words, "echo-client %s %d with one line on stdin", host, e.port);
    printed(&r, words, "works\n", 6);
    sl_run_free(&r);
    pu_echo_stop(&e);
    SL_SERVER_START_ARGS(&rp, "sl-reset-peer", host, rp_args);
    args[1] = sl_port_text(rp.port);
    snprintf(words, sizeof words, "echo-client %s %d (a server that resets) with two lines "
             "on stdin", host, rp.port);
    SL_RUN(&r, "echo-client", args, "hello\nworld\n", 12, 4000);
    if (WIFSIGNALED(r.prog.status) && WTERMSIG(r.prog.status) == SIGPIPE)
        SL_FAIL("%s was killed by SIGPIPE: it sent on a connection that had been reset; stop "
                "at the first error, and send with MSG_NOSIGNAL (tcp_send_all() does)", words);
    else if (sl_check_exit(&r, words, 1))
        sl_check_error_line(&r, words, NULL);
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
    sl_shortio_t env;
    sl_run_t r;
    char words[160];
    pu_echo_t e;
    const char *args[3] = {host, NULL, NULL};

    memcpy(in, lines, sizeof lines - 1);
    len = sizeof lines - 1;
    in[len++] = '\n';
    for (int i = 0; i < 30000; i++)
        in[len++] = (char)('a' + i % 26);
    in[len++] = '\n';
    pu_echo_start(&e, host);
    args[1] = sl_port_text(e.port);
    snprintf(words, sizeof words, "echo-client %s %d under libsl-shortio.so, with six lines "
             "(one of 30000 bytes) on stdin", host, e.port);
    PU_CLIENT_RUN_ENV(&r, args, in, len, 6000, &e, sl_shortio_vars(&env, "9", "short,eintr"));
    printed(&r, words, in, len);
    sl_run_free(&r);
    pu_echo_stop(&e);
}
