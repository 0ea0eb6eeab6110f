/* Task 7: the UDP echo server behind the grader's fault injectors: a relay
 * that drops, doubles, reorders and delays datagrams (sl-udp-relay), and
 * libsl-shortio.so, which makes the server's own socket calls fail with
 * EINTR. Each is seeded: the transcript says how to replay it. */
#include "progutil.h"

SL_TASK_PROGRAMS(7, "The UDP echo server");

#define RELAY_SEED "4"

SL_NET_TEST(server_through_a_lossy_relay, 2, 6000,
            "Through sl-udp-relay datagrams are lost, doubled, reordered and delayed, both "
            "ways: the server sees doubles and stale datagrams and echoes each as it comes. "
            "The test's client sends again when an echo is lost; every one must come back "
            "unchanged.")
{
    static const char *const faults[] = {"--drop", "0.15", "--dup", "0.2", "--reorder", "0.2",
                                         "--delay-ms", "10", NULL};
    sl_server_t s, px;
    sl_udp_t u;
    unsigned char got[PU_BUFFER];
    char text[40];
    int resent = 0;

    SL_SERVER_START(&s, "udp-echo-server", host);
    pu_start_relay(&px, host, s.where, RELAY_SEED, faults);
    PU_UDP_OPEN(&u, &px);
    for (int i = 1; i <= 10; i++) {
        int len = snprintf(text, sizeof text, "datagram %d of 10", i), ok = 0;

        for (int try = 0, wait = 40; try < 10 && !ok; try++, wait = wait < 320 ? 2 * wait : 640) {
            double end = sl_now_ms() + sl_scaled_ms(wait);

            resent += try > 0;
            PU_UDP_SEND(&u, &s, text, (size_t)len);
            while (!ok && sl_now_ms() < end) {
                size_t n = 0;
                int r = sl_udp_recv(&u, got, sizeof got, &n, (int)(end - sl_now_ms()) + 1);

                if (r < 0)
                    pu_step_failed(&s, __FILE__, __LINE__);
                if (r == 0)
                    break;
                ok = n == (size_t)len && memcmp(got, text, n) == 0;
                if (!ok && (n < 9 || memcmp(got, "datagram ", 9) != 0))
                    SL_FAIL_FATAL("through the relay, the server sent %s, which no one sent it",
                                  sl_bytes(got, n));
            }
        }
        if (!ok) {
            pu_if_ended(&s, "behind sl-udp-relay", __FILE__, __LINE__);
            SL_FAIL_FATAL("\"%s\" got no echo in 10 tries (waiting 40 ms, then twice as long "
                          "each time) through sl-udp-relay (seed %s): the server must echo "
                          "every datagram that reaches it, doubles and late ones too", text,
                          RELAY_SEED);
        }
    }
    sl_note("all 10 came back (%d sent again after a loss)", resent);
    sl_udp_close(&u);
    pu_stop_relay(&px);
    PU_STILL_SERVING(&s, "a client behind a lossy relay");
    PU_STOP(&s);
}

SL_NET_TEST(server_under_eintr, 2, 6000,
            "Under libsl-shortio.so one socket call in eight fails with EINTR: nothing was "
            "received or sent, try again. A server that takes EINTR from sendto() for a lost "
            "echo, or for a reason to stop, fails here every time.")
{
    sl_shortio_t env;
    sl_server_t s;
    sl_udp_t u;
    char text[40];

    if (sl_server_start_env(&s, "udp-echo-server", host, NULL,
                            sl_shortio_vars(&env, "5", "eintr")) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    PU_UDP_OPEN(&u, &s);
    for (int i = 1; i <= 40; i++) {
        int len = snprintf(text, sizeof text, "datagram %d, interrupted?", i);

        PU_UDP_SEND(&u, &s, text, (size_t)len);
        SL_HINT("Under libsl-shortio.so a call of the server's failed with EINTR, and this "
                "datagram got no echo: udp_recv_from() and udp_send_to() call again after "
                "EINTR.")
        {
            PU_UDP_EXPECT(&u, &s, text, (size_t)len, 1000);
        }
    }
    sl_udp_close(&u);
    PU_STILL_SERVING(&s, "40 datagrams under libsl-shortio.so");
    PU_STOP(&s);
}
