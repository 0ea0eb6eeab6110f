/* chatutil.h - helpers of the tests of chat-server (Task 7): a room of
 * clients that joins for sure (a line goes to the clients the server has
 * accepted, so the tests wait for that), a client that must be dropped,
 * and the hints that name the usual mistakes. */
#ifndef CHATUTIL_H
#define CHATUTIL_H

#include "echotests.h"

#define CHAT "chat-server"

/* The hint for a line that came before its end. */
#define CU_PARTIAL                                                            \
    "A partial line was passed on before its newline came. Keep each client's bytes in "  \
    "its own input buffer, and pass on only what mux_buf_line() says is a whole line: "  \
    "the rest of it may come much later, and another client's line would land in the "   \
    "middle of it."

/* The hint for a room that one client held up. */
#define CU_HELD_UP                                                            \
    "One client held up the room. Never send to a client with a blocking send: make "  \
    "every accepted socket non-blocking, queue each line (mux_buf_append() with "       \
    "MUX_QUEUE_MAX) and mux_flush() what the socket takes; a client whose queue is full " \
    "reads too slowly: drop it."

/* Waits until server s holds at least want descriptors: each client it has
 * accepted holds one. Ends the test if that does not come. */
static inline void cu_accepted(sl_server_t *s, int want, const char *who)
{
    double end = sl_deadline(2000) * 1000.0;
    int n;

    while ((n = pu_fds_of(s)) < want && sl_now_ms() < end) {
        pu_drain(s);
        sl_sleep_ms(2);
    }
    if (n < want) {
        pu_if_ended(s, who, __FILE__, __LINE__);
        SL_FAIL_FATAL("%s connected, but %s holds %d descriptors after 2 s, fewer than the %d "
                      "it needs for them: does it accept every client that waits?", who,
                      s->prog.name, n, want);
    }
}

/* Connects n clients, and waits until the server has accepted them all. */
static inline void cu_join(sl_server_t *s, sl_conn_t *c, int n, int base)
{
    char who[48];

    for (int i = 0; i < n; i++)
        PU_CONNECT(&c[i], s);
    snprintf(who, sizeof who, "%d client%s", n, n == 1 ? "" : "s");
    cu_accepted(s, base + n, who);
}

/* Reads and throws away what comes on c until none comes for quiet_ms. */
static inline size_t cu_drain(sl_conn_t *c, int quiet_ms)
{
    char buf[65536];
    size_t total = 0;
    ssize_t n;

    for (;;) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN};

        if (poll(&p, 1, quiet_ms) <= 0)
            break;
        n = recv(c->fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        total += (size_t)n;
    }
    sl_note("%s: read and set aside %zu bytes", c->label, total);
    return total;
}

/* The server must drop client c (EOF or a reset) within ms; what it sent
 * before does not matter. */
static inline void cu_dropped(sl_conn_t *c, sl_server_t *s, int ms, const char *why,
                              const char *file, int line)
{
    double end = sl_deadline(ms) * 1000.0;
    char buf[65536];

    for (;;) {
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        int left = (int)(end - sl_now_ms());
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left) <= 0)
            break;
        n = recv(c->fd, buf, sizeof buf, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            sl_note("%s: %s %s", c->label, s->prog.name, n == 0 ? "closed it" : "reset it");
            return;
        }
    }
    pu_if_ended(s, why, file, line);
    sl_fail_at(file, line, 1, "%s: %s kept the connection of that client open for %d ms: "
               "drop it (close its socket)", why, s->prog.name, sl_scaled_ms(ms));
}
#define CU_DROPPED(c, s, ms, why) cu_dropped((c), (s), (ms), (why), __FILE__, __LINE__)

#endif
