/* Task 8: the UDP echo client through the grader's fault injectors: a
 * relay that drops, doubles, reorders and delays datagrams (sl-udp-relay)
 * in front of an echo server of the test's own, and libsl-shortio.so,
 * which makes the client's own socket calls fail with EINTR. Each is
 * seeded: the k-th datagram each way meets the same fate on every run, and
 * the transcript says how to replay it. */
#include "progutil.h"

SL_TASK_PROGRAMS(8, "The UDP echo client");

#define RELAY_SEED "3"

static const char eight[] = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n";

/* Runs the client through a relay with `faults` in front of the test's
 * echo server: stdout must be stdin, exit 0. */
static void through_relay(const char *host, const char *const *faults, const char *words)
{
    sl_server_t px;
    sl_run_t r;
    char what[200], port[8], ms[16];
    int echo_port;
    pid_t echo = pu_echo_start(host, &echo_port);
    const char *args[] = {host, port, "-t", ms, "-r", "10", NULL};

    pu_start_relay(&px, host, pu_where(host, echo_port), RELAY_SEED, faults);
    snprintf(port, sizeof port, "%d", px.port);
    snprintf(ms, sizeof ms, "%d", sl_scaled_ms(40));
    snprintf(what, sizeof what, "udp-echo-client %s %d -t %s -r 10 (through sl-udp-relay, seed "
             "%s, which %s) with eight lines", host, px.port, ms, RELAY_SEED, words);
    if (sl_run(&r, "udp-echo-client", args, eight, sizeof eight - 1, 8000) < 0) {
        sl_prog_check_todo(&r.prog);
        sl_harness_fail(__FILE__, __LINE__);
    }
    sl_prog_check_todo(&r.prog);
    pu_stop_relay(&px);
    pu_echo_stop(echo);
    if (sl_check_exit(&r, what, 0))
        SL_CHECK_BYTES(what, r.prog.out.data, r.prog.out.len, eight, sizeof eight - 1);
    sl_run_free(&r);
}

SL_NET_TEST(client_through_a_lossy_relay, 3, 10000,
            "Through sl-udp-relay datagrams are lost, doubled, held back past the next one "
            "and delayed, both ways: retry after each timeout, take only the reply with the "
            "line's id, drop every copy and late reply, and the output is still exactly the "
            "input.")
{
    static const char *const faults[] = {"--drop", "0.15", "--dup", "0.3", "--reorder", "0.2",
                                         "--delay-ms", "10", NULL};

    through_relay(host, faults, "loses, doubles, reorders and delays datagrams");
}

SL_NET_TEST(client_under_eintr, 2, 6000,
            "Under libsl-shortio.so one socket call in eight fails with EINTR: send again, "
            "poll and receive again with the time left. Never take EINTR for a lost reply "
            "or a reason to give up.")
{
    static char in[20 * 24];
    size_t len = 0;
    sl_shortio_t env;
    sl_prog_t p;
    char words[160], how[128], port[8];
    int echo_port;
    pid_t echo = pu_echo_start(host, &echo_port);
    const char *args[] = {host, port, "-t", "1000", "-r", "0", NULL};

    for (int i = 1; i <= 20; i++)
        len += (size_t)snprintf(in + len, sizeof in - len, "line %d, interrupted?\n", i);
    snprintf(port, sizeof port, "%d", echo_port);
    snprintf(words, sizeof words, "udp-echo-client %s %d -t 1000 -r 0 under libsl-shortio.so, "
             "with twenty lines on stdin", host, echo_port);
    if (sl_prog_start_env(&p, "udp-echo-client", args, 1, sl_shortio_vars(&env, "9", "eintr")) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    signal(SIGPIPE, SIG_IGN);
    if (write(p.in_fd, in, len) != (ssize_t)len)
        SL_FAIL_FATAL("test: cannot write the client's stdin: %s", strerror(errno));
    close(p.in_fd);
    p.in_fd = -1;
    if (sl_prog_wait(&p, sl_deadline(5000)) < 0)
        SL_FAIL_FATAL("%s was still running after 5 s", words);
    sl_prog_check_todo(&p);
    if (!WIFEXITED(p.status) || WEXITSTATUS(p.status) != 0)
        SL_FAIL("%s %s: expected exit status 0; its stderr: %s (with -r 0 a reply taken for "
                "lost after EINTR is the end)", words, sl_prog_how(&p, how, sizeof how),
                sl_bytes(p.err.data, p.err.len));
    else
        SL_CHECK_BYTES(words, p.out.data, p.out.len, in, len);
    sl_prog_free(&p);
    pu_echo_stop(echo);
}
