/* Task 7: the echo server against the grader's fault injectors: a proxy
 * that splits the stream into 1-byte segments, peers that reset, a client
 * that never reads, a client that reads slowly, and libsl-shortio.so,
 * which makes the server's own socket calls return short counts and fail
 * with EINTR. Each is seeded: the transcript says how to replay it. */
#include "progutil.h"

SL_TASK_PROGRAMS(7, "The echo server");

SL_NET_TEST(echo_through_a_proxy_that_splits_bytes, 2, 5000,
            "Through sl-split-proxy every byte comes in a recv() of its own: an echo "
            "server sends back what each recv() returned, however little, and never "
            "waits for a line, a message or a full buffer.")
{
    static const char text[] = "split into bytes\nand sent back\none by one";
    sl_server_t s, px;
    sl_conn_t c;

    PU_SERVER_START(&s, "echo-server", host);
    pu_start_proxy(&px, host, s.where);
    PU_CONNECT(&c, &px);
    PU_SEND(&c, &s, text);
    PU_EXPECT(&c, &s, text, 3000);
    PU_EXCHANGE(&c, &s, "\nand more, after the echo\n");
    PU_SHUTDOWN(&c, &s);
    SL_HINT("Through the proxy, the client half-closed after its bytes came back: the "
            "server must see the end (recv() returns 0) and close the connection.")
    {
        PU_EXPECT_EOF(&c, &s, 2000);
    }
    sl_conn_close(&c);
    SL_SERVER_STOP(&px);
    PU_STOP(&s);
}

/* Runs sl-reset-peer as a client of s: it sends text, reads `read` bytes of
 * the echo, waits after_ms, then resets. */
static void reset_client(sl_server_t *s, const char *text, const char *read, const char *after_ms)
{
    const char *args[] = {"--connect", s->where, "--send", text, "--read", read,
                          "--after-ms", after_ms, "--max-seconds", "3", NULL};
    sl_run_t r;

    if (sl_run(&r, "sl-reset-peer", args, NULL, 0, 4000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    sl_run_free(&r);
}

SL_NET_TEST(echo_survives_peers_that_reset, 2, 5000,
            "sl-reset-peer resets its connection (RST) at different points: before the "
            "echo, in the middle of it, after it. Each time recv() or send() fails with "
            "ECONNRESET or EPIPE: drop that client and serve the next.")
{
    sl_server_t s;

    PU_SERVER_START(&s, "echo-server", host);
    reset_client(&s, "reset before the echo\n", "0", "0");
    reset_client(&s, "reset in the middle of the echo\n", "5", "0");
    reset_client(&s, "reset after the echo\n", "21", "20");
    PU_STILL_SERVING(&s, "three clients of sl-reset-peer");
    PU_ECHO_ONCE(&s, "and the next client\n");
    PU_STOP(&s);
}

SL_NET_TEST(echo_drops_a_client_that_never_reads, 3, 8000,
            "sl-stuck-reader sends and never reads: the server's send() blocks once the "
            "buffers are full, and an iterative server would wait for ever. Set a send "
            "timeout on each client (tcp_set_timeout(fd, 0, 1000)): a send() that waits "
            "that long for room fails with EAGAIN; drop the client.")
{
    /* 64 MiB: more than the socket buffers of both ends can hold, however
     * large they grow, so that the server's sends block. */
    const char *args[] = {"--connect", NULL, "--send", "64M", "--hold-ms", "6000",
                          "--max-seconds", "8", NULL};
    sl_server_t s;
    sl_prog_t stuck;
    sl_conn_t c;
    int got;

    PU_SERVER_START(&s, "echo-server", host);
    args[1] = s.where;
    if (sl_prog_start(&stuck, "sl-stuck-reader", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    got = sl_prog_read(&stuck, "holding after ", sl_deadline(4000));
    if (got != 1 && strstr(stuck.out.data, "the server ")) {
        sl_sleep_ms(50);
        pu_if_ended(&s, "while sl-stuck-reader sent to it", __FILE__, __LINE__);
        SL_HINT("Echo until recv() returns 0; a client that sends and does not read is "
                "dropped only when a send() has waited the whole send timeout.")
        {
            SL_FAIL_FATAL("echo-server ended the connection of sl-stuck-reader while it was "
                          "still sending and reading nothing (sl-stuck-reader said: %s): does "
                          "it stop after one recv()?", sl_bytes(stuck.out.data, stuck.out.len));
        }
    }
    if (got != 1)
        SL_FAIL_FATAL("sl-stuck-reader did not stall within 4 s: echo-server kept taking its "
                      "bytes (it said: %s)", sl_bytes(stuck.out.data, stuck.out.len));
    if (strstr(stuck.out.data, "all sent")) {
        sl_note("the socket buffers held all 64 MiB: the server never had to wait, so "
                "there is nothing to test here");
        sl_prog_free(&stuck);
        SL_SERVER_STOP(&s);
        return;
    }
    sl_note("sl-stuck-reader stalled the server; it keeps its connection for 6 s");
    PU_CONNECT(&c, &s);
    PU_SEND(&c, &s, "is anyone there?\n");
    SL_HINT("A client that reads nothing held the server: its sends blocked, and the "
            "next client got no echo within 3 s. Give each client a send timeout "
            "(tcp_set_timeout(fd, 0, 1000)) and drop it when tcp_send_all() fails.")
    {
        PU_EXPECT(&c, &s, "is anyone there?\n", 3000);
    }
    PU_SHUTDOWN(&c, &s);
    PU_EXPECT_EOF(&c, &s, 2000);
    sl_conn_close(&c);
    sl_prog_free(&stuck);
    PU_STOP(&s);
}

SL_NET_TEST(echo_keeps_every_byte_for_a_slow_reader, 1, 8000,
            "sl-slow-reader sends 4 MiB and keeps reading the echo, 64 KiB every 5 ms: the "
            "server's sends wait for room, and every byte must still come back in order. "
            "Do not drop a client that keeps reading: a send timeout of a second is plenty "
            "for it.")
{
    const char *args[] = {"--connect", NULL, "--send", "4M", "--read-per-tick", "64K",
                          "--tick-ms", "5", "--max-seconds", "6", NULL};
    sl_server_t s;
    sl_run_t r;

    PU_SERVER_START(&s, "echo-server", host);
    args[1] = s.where;
    if (sl_run(&r, "sl-slow-reader", args, NULL, 0, 7000) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (!WIFEXITED(r.prog.status) || WEXITSTATUS(r.prog.status) != 0) {
        char said[700];
        int ended = strstr(r.prog.err.data, "the server ") != NULL;

        snprintf(said, sizeof said, "sl-slow-reader did not get its 4 MiB back exactly: %s",
                 sl_bytes(r.prog.err.data, r.prog.err.len));
        sl_sleep_ms(50);
        pu_if_ended(&s, said, __FILE__, __LINE__);
        if (ended) {
            SL_HINT("Drop a client only when a send() has waited the whole send timeout: "
                    "one that keeps reading gets every byte back. Echo until recv() "
                    "returns 0.")
            {
                SL_FAIL_FATAL("echo-server ended the connection of sl-slow-reader, which kept "
                              "reading, before it had sent back its 4 MiB (%s): does it stop "
                              "after one recv(), or drop a client too soon?", said);
            }
        }
        SL_FAIL("%s", said);
    }
    sl_run_free(&r);
    PU_STILL_SERVING(&s, "a client that read slowly");
    PU_STOP(&s);
}

SL_NET_TEST(echo_under_short_counts_and_eintr, 3, 8000,
            "Under libsl-shortio.so three send() and recv() calls in four move fewer bytes "
            "than asked, and one in eight fails with EINTR: a send that ignores a short "
            "count loses bytes every time. Send with tcp_send_all() (which loops) and take "
            "EINTR from recv() as \"try again\", never as an error.")
{
    static unsigned char data[256 * 1024];
    sl_shortio_t env;
    sl_server_t s;
    sl_conn_t c;

    sl_pattern(data, sizeof data, 77);
    if (sl_server_start_env(&s, "echo-server", host, NULL,
                            sl_shortio_vars(&env, "7", "short,eintr")) < 0)
        pu_start_failed(&s, __FILE__, __LINE__);
    PU_ECHO_ONCE(&s, "a line, cut short\n");
    PU_CONNECT(&c, &s);
    PU_ECHO_BULK(&c, &s, "256 KiB through echo-server under libsl-shortio.so", data,
                 sizeof data, 6000);
    sl_conn_close(&c);
    PU_STOP(&s);
}
