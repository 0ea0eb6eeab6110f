/* Task 6: request and reply (udp_frame, udp_unframe, udp_request). The
 * server is a scripted peer of the test's in a child process: it answers,
 * keeps quiet, answers twice, sends other ids or junk, as each test needs,
 * and notes when each datagram came (the kernel's time of arrival), so
 * that the retries and their spacing can be checked. */
#include <limits.h>

#include "testutil.h"

SL_TASK(6, "Request and reply");

/* ---- udp_frame and udp_unframe ------------------------------------------------- */

SL_TEST(frame_writes_id_space_payload, 2,
        "The datagram is the id in decimal (snprintf(\"%lu \", (unsigned long)id)), one "
        "space, then the payload's bytes, copied with memcpy() (they may hold NUL): its "
        "length is returned, and no NUL is added.")
{
    static const struct {
        uint32_t id;
        const char *data;
        size_t len;
        const char *want;
        size_t wlen;
    } cases[] = {
        {17, "hello\n", 6, "17 hello\n", 9},
        {0, "zero", 4, "0 zero", 6},
        {4294967295u, "", 0, "4294967295 ", 11},
        {7, "a\0b", 3, "7 a\0b", 5},
    };
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        size_t cap = cases[i].wlen;
        char *out = sl_alloc(cap), what[80];
        ssize_t n;

        errno = 0;
        n = udp_frame(cases[i].id, cases[i].len ? cases[i].data : NULL, cases[i].len, out, cap);
        snprintf(what, sizeof what, "udp_frame(%lu, %s) into exactly %zu bytes",
                 (unsigned long)cases[i].id, sl_bytes_brief(cases[i].data, cases[i].len), cap);
        if (n != (ssize_t)cases[i].wlen)
            SL_FAIL("%s returned %s: expected %zu", what, tu_result(n, errno), cases[i].wlen);
        else
            SL_CHECK_BYTES(what, out, (size_t)n, cases[i].want, cases[i].wlen);
        sl_free(out);
    }
}

SL_TEST(frame_rejects_what_does_not_fit, 1,
        "Check that header and payload fit in cap before writing anything: EMSGSIZE if not "
        "(a cap of exactly their length is enough). A NULL out, or NULL data with a length, "
        "is EINVAL.")
{
    char out[16];

    SL_REQUIRE(udp_frame(123, "abcd", 4, out, 8), 8);
    SL_ASSERT_FAILS_WITH(udp_frame(123, "abcd", 4, out, 7), EMSGSIZE);
    SL_ASSERT_FAILS_WITH(udp_frame(4294967295u, "", 0, out, 10), EMSGSIZE);
    SL_ASSERT_FAILS_WITH(udp_frame(1, "abcd", 4, NULL, 8), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_frame(1, NULL, 4, out, 8), EINVAL);
}

SL_TEST(unframe_reads_id_and_payload, 2,
        "Read 1 to 10 digits, then a space: the id is their value, the payload all that "
        "follows the space (any bytes, spaces included, maybe none). *data points into the "
        "datagram; the payload's length is returned.")
{
    static const struct { const char *d; size_t len; unsigned long id; size_t off; } cases[] = {
        {"17 hello", 8, 17, 3},
        {"007 x y", 7, 7, 4},
        {"5 ", 2, 5, 2},
        {"4294967295 max", 14, 4294967295ul, 11},
        {"0 \0bin\n", 7, 0, 2},
    };
    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        char *d = sl_alloc(cases[i].len), what[80];
        const void *data = NULL;
        uint32_t id = 12345;
        ssize_t n;

        memcpy(d, cases[i].d, cases[i].len);
        snprintf(what, sizeof what, "udp_unframe(%s)", sl_bytes_brief(cases[i].d, cases[i].len));
        errno = 0;
        n = udp_unframe(d, cases[i].len, &id, &data);
        if (n != (ssize_t)(cases[i].len - cases[i].off))
            SL_FAIL("%s returned %s: expected %zu, the payload's length", what,
                    tu_result(n, errno), cases[i].len - cases[i].off);
        else if (id != cases[i].id)
            SL_FAIL("%s set the id to %lu: expected %lu", what, (unsigned long)id, cases[i].id);
        else if (data != d + cases[i].off)
            SL_FAIL("%s set *data to %s: expected it to point %zu bytes into the datagram, past "
                    "the id and its space", what,
                    data == NULL ? "NULL" : "another place", cases[i].off);
        sl_free(d);
    }
}

SL_TEST(unframe_rejects_malformed, 2,
        "Anything that does not start with 1 to 10 digits and a space is EBADMSG: no "
        "digits, no space after them, a sign or a blank first, a value past 4294967295, "
        "11 digits. A datagram has no NUL at its end: never read past len (no strtoul()).")
{
    static const char *const bad[] = {"", "hello", "17", "17hello", " 17 x", "+17 x", "-1 x",
                                      "0x10 x", "4294967296 x", "12345678901 x", "17\tx"};
    const void *data;
    uint32_t id;

    SL_REQUIRE(udp_unframe("17 ok", 5, &id, &data), 2);
    for (size_t i = 0; i < SL_COUNT(bad); i++) {
        size_t len = strlen(bad[i]);
        char *d = sl_alloc(len), what[80];

        memcpy(d, bad[i], len);
        snprintf(what, sizeof what, "udp_unframe(%s)", sl_bytes_brief(bad[i], len));
        errno = 0;
        ssize_t n = udp_unframe(d, len, &id, &data);
        SL_CHECK_FAILS(what, n, errno, EBADMSG);
        sl_free(d);
    }
    SL_HINT("An empty datagram may come as NULL with length 0: do not pass a NULL pointer to "
            "memcpy() or read through it; check the length first.")
    {
        SL_ASSERT_FAILS_WITH(udp_unframe(NULL, 0, &id, &data), EBADMSG);
    }
    SL_ASSERT_FAILS_WITH(udp_unframe("17 ok", 5, NULL, &data), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_unframe("17 ok", 5, &id, NULL), EINVAL);
}

/* ---- scripts of the peer (run in its child process) ---------------------------- */

static void script_echo(int fd, int k, const unsigned char *d, size_t len,
                        const struct sockaddr *from, socklen_t fl, long arg)
{
    (void)k;
    (void)arg;
    sendto(fd, d, len, 0, from, fl);
}

static void script_silent(int fd, int k, const unsigned char *d, size_t len,
                          const struct sockaddr *from, socklen_t fl, long arg)
{
    (void)fd, (void)k, (void)d, (void)len, (void)from, (void)fl, (void)arg;
}

/* Drops the first datagram, echoes the others. */
static void script_drop_first(int fd, int k, const unsigned char *d, size_t len,
                              const struct sockaddr *from, socklen_t fl, long arg)
{
    if (k > 0)
        script_echo(fd, k, d, len, from, fl, arg);
}

/* Echoes each datagram twice. */
static void script_twice(int fd, int k, const unsigned char *d, size_t len,
                         const struct sockaddr *from, socklen_t fl, long arg)
{
    script_echo(fd, k, d, len, from, fl, arg);
    script_echo(fd, k, d, len, from, fl, arg);
}

/* Before the reply "ID pong": replies with the ids before and after, a
 * datagram without an id, an empty one, an id with no space. */
static void script_noise(int fd, int k, const unsigned char *d, size_t len,
                         const struct sockaddr *from, socklen_t fl, long arg)
{
    long id = tu_id_of(d, len);
    char text[32];
    int n;

    (void)k, (void)arg;
    tu_peer_reply(fd, id + 1, "not yours", 9, from, fl);
    tu_peer_reply(fd, id - 1, "stale", 5, from, fl);
    sendto(fd, "no id at all", 12, 0, from, fl);
    sendto(fd, "", 0, 0, from, fl);
    n = snprintf(text, sizeof text, "%ld", id);
    sendto(fd, text, (size_t)n, 0, from, fl);
    tu_peer_reply(fd, id, "pong", 4, from, fl);
}

/* After the first datagram, junk of another id every 20 ms for 1500 ms. */
static void script_chatter(int fd, int k, const unsigned char *d, size_t len,
                           const struct sockaddr *from, socklen_t fl, long arg)
{
    long id = tu_id_of(d, len);

    (void)arg;
    if (k > 0)
        return;
    for (int i = 0; i < 75; i++) {
        tu_peer_reply(fd, id + 1000, "junk", 4, from, fl);
        sl_sleep_ms(20);
    }
}

/* Replies "ID pong" after arg ms. */
static void script_late(int fd, int k, const unsigned char *d, size_t len,
                        const struct sockaddr *from, socklen_t fl, long arg)
{
    (void)k;
    sl_sleep_ms((int)arg);
    tu_peer_reply(fd, tu_id_of(d, len), "pong", 4, from, fl);
}

/* Replies with a payload of arg bytes. */
static void script_big(int fd, int k, const unsigned char *d, size_t len,
                       const struct sockaddr *from, socklen_t fl, long arg)
{
    char big[256];

    (void)k;
    sl_pattern(big, sizeof big, 5);
    tu_peer_reply(fd, tu_id_of(d, len), big, (size_t)arg, from, fl);
}

/* Replies with the largest payload a datagram holds after its "ID ". */
static void script_largest(int fd, int k, const unsigned char *d, size_t len,
                           const struct sockaddr *from, socklen_t fl, long arg)
{
    static unsigned char big[UDP_MAX_DATAGRAM];
    long id = tu_id_of(d, len);
    int h = snprintf(NULL, 0, "%ld ", id);

    (void)k, (void)arg;
    sl_pattern(big, sizeof big, 9);
    tu_peer_reply(fd, id, big, UDP_MAX_DATAGRAM - (size_t)h, from, fl);
}

/* ---- helpers ------------------------------------------------------------------- */

/* A request to the peer pr on host, through a socket of the test's
 * connected to it: what udp_request() returned, errno in *err, the time it
 * took in *ms. */
SL_TEST(next_wait_doubles_up_to_the_cap, 1,
        "udp_next_wait(prev) is 2 * prev, but never more than UDP_WAIT_MAX_MS (60000): "
        "compare prev with UDP_WAIT_MAX_MS / 2 before multiplying, so that a huge prev "
        "cannot overflow and come back small or negative.")
{
    static const struct { long prev, want; } cases[] = {
        {1, 2}, {25, 50}, {500, 1000}, {29999, 59998}, {30000, 60000}, {30001, 60000},
        {40000, 60000}, {60000, 60000}, {1000000, 60000}, {LONG_MAX / 2 + 1, 60000},
        {LONG_MAX, 60000},
    };

    for (size_t i = 0; i < SL_COUNT(cases); i++) {
        char what[64];

        snprintf(what, sizeof what, "udp_next_wait(%ld)", cases[i].prev);
        SL_CHECK_INT(what, udp_next_wait(cases[i].prev), cases[i].want);
    }
}

static ssize_t request(int fd, uint32_t id, const char *req, void *reply, size_t cap,
                       int timeout_ms, int retries, int *err, double *ms)
{
    double t0 = sl_now_ms();
    ssize_t n;

    errno = 0;
    n = udp_request(fd, id, req, strlen(req), reply, cap, timeout_ms, retries);
    *err = errno;
    *ms = sl_now_ms() - t0;
    sl_note("udp_request(id %lu, %s, timeout %d ms, %d retries) returned %s after %.0f ms",
            (unsigned long)id, sl_bytes_brief(req, strlen(req)), timeout_ms, retries,
            tu_result(n, *err), *ms);
    return n;
}

/* Checks that the peer got `want` datagrams (or more, when `more` is
 * not 0: a slow machine may make a try time out before its reply came),
 * each the framed request "ID REQ". */
static void peer_got(const tu_peer_t *pr, int want, int more, uint32_t id, const char *req,
                     const char *why)
{
    char framed[64];
    int flen = snprintf(framed, sizeof framed, "%lu %s", (unsigned long)id, req);

    if (pr->count < want || (pr->count > want && !more))
        SL_FAIL("the peer got %d datagram%s: expected %d (%s)", pr->count,
                pr->count == 1 ? "" : "s", want, why);
    for (int i = 0; i < pr->count; i++)
        if (pr->note[i].len != (size_t)flen ||
            memcmp(pr->note[i].head, framed, (size_t)flen) != 0) {
            SL_FAIL("datagram %d the peer got was %s: expected %s, the id, a space and the "
                    "request (udp_frame()); a retry sends the very same datagram", i + 1,
                    sl_bytes_brief(pr->note[i].head, pr->note[i].len < TU_NOTE_BYTES ? pr->note[i].len
                                                                               : TU_NOTE_BYTES),
                    sl_bytes_brief(framed, (size_t)flen));
            break;
        }
}

/* ---- udp_request ----------------------------------------------------------------- */

SL_NET_TEST(request_gets_its_reply, 3, 0,
            "udp_request() frames the request (udp_frame()), sends it on the connected "
            "socket, waits with poll() for a datagram, unframes it, and returns the payload "
            "of the one with its id, copied into reply.")
{
    tu_peer_t pr;
    char *reply = sl_alloc(16);
    int err, fd;
    double ms;

    tu_peer_start(&pr, host, script_echo, 0);
    fd = tu_connected_to(host, pr.port);
    ssize_t n = request(fd, 5, "ping", reply, 16, sl_scaled_ms(1000), 2, &err, &ms);
    tu_peer_stop(&pr);
    if (n != 4)
        SL_FAIL_FATAL("udp_request(id 5, \"ping\") to an echo peer returned %s: expected 4, "
                      "the payload of the reply \"5 ping\"", tu_result(n, err));
    SL_CHECK_BYTES("the reply udp_request() returned", reply, 4, "ping", 4);
    peer_got(&pr, 1, 1, 5, "ping", "one request, answered at once");
    close(fd);
    sl_free(reply);
}

SL_NET_TEST(request_takes_a_reply_of_any_size, 2, 0,
            "A request and its reply may be as large as a datagram: 60000 bytes out, and back "
            "the largest payload that fits after its id. Frame the request into, and receive "
            "into, buffers of UDP_BUFFER_SIZE bytes, not 512 or 1500: a datagram that does "
            "not fit is cut, and a cut reply can never be the answer.")
{
    unsigned char *req = sl_alloc(60000), *reply = sl_alloc(UDP_BUFFER_SIZE);
    unsigned char *want = sl_alloc(UDP_MAX_DATAGRAM);
    const size_t largest = UDP_MAX_DATAGRAM - 6;   /* after "12346 " */
    tu_peer_t pr;
    int err, fd;
    ssize_t n;

    sl_pattern(req, 60000, 21);
    tu_peer_start(&pr, host, script_echo, 0);
    fd = tu_connected_to(host, pr.port);
    errno = 0;
    n = udp_request(fd, 12345, req, 60000, reply, UDP_BUFFER_SIZE, sl_scaled_ms(300), 1);
    err = errno;
    sl_note("udp_request(id 12345, 60000 bytes, timeout 300 ms, 1 retry) returned %s",
            tu_result(n, err));
    tu_peer_stop(&pr);
    close(fd);
    if (n != 60000)
        SL_FAIL_FATAL("udp_request(id 12345, 60000 bytes) to an echo peer returned %s: expected "
                      "60000, the payload of the echo \"12345 ...\" (60006 bytes)%s",
                      tu_result(n, err), n < 0 && err == ETIMEDOUT ? "; the peer echoed it, so "
                      "a buffer smaller than the datagram cut the echo, and the cut reply was "
                      "dropped" : "");
    SL_CHECK_BYTES("the reply of 60000 bytes", reply, 60000, req, 60000);
    sl_pattern(want, UDP_MAX_DATAGRAM, 9);
    tu_peer_start(&pr, host, script_largest, 0);
    fd = tu_connected_to(host, pr.port);
    errno = 0;
    n = udp_request(fd, 12346, "big?", 4, reply, UDP_BUFFER_SIZE, sl_scaled_ms(300), 1);
    err = errno;
    sl_note("udp_request(id 12346, \"big?\") returned %s", tu_result(n, err));
    tu_peer_stop(&pr);
    close(fd);
    if (n != (ssize_t)largest)
        SL_FAIL("udp_request(id 12346, \"big?\") to a peer whose reply is a datagram of 65507 "
                "bytes returned %s: expected %zu, its payload%s", tu_result(n, err), largest,
                n < 0 && err == ETIMEDOUT ? "; a buffer smaller than the datagram cut it" : "");
    else
        SL_CHECK_BYTES("the reply of 65501 bytes", reply, largest, want, largest);
    sl_free(req);
    sl_free(reply);
    sl_free(want);
}

SL_NET_TEST(request_sends_again_after_a_loss, 3, 0,
            "When no reply came within the timeout, send the same datagram again (same id) "
            "and wait again: the first one was lost (here, the peer dropped it on purpose).")
{
    const int timeout = sl_scaled_ms(60);
    tu_peer_t pr;
    char reply[16];
    int err, fd;
    double ms;

    tu_peer_start(&pr, host, script_drop_first, 0);
    fd = tu_connected_to(host, pr.port);
    ssize_t n = request(fd, 9, "again?", reply, sizeof reply, timeout, 3, &err, &ms);
    tu_peer_stop(&pr);
    if (n != 6)
        SL_FAIL_FATAL("udp_request(id 9, \"again?\", timeout %d ms, 3 retries) to a peer that "
                      "drops the first datagram returned %s: expected 6 (send again after the "
                      "timeout)", timeout, tu_result(n, err));
    SL_CHECK_BYTES("the reply", reply, 6, "again?", 6);
    peer_got(&pr, 2, 1, 9, "again?", "the lost first try and a retry");
    if (pr.count >= 2 && pr.note[1].at_ms - pr.note[0].at_ms < 0.8 * timeout)
        SL_FAIL("the retry came %.0f ms after the first try: expected it after the timeout "
                "of %d ms, not before", pr.note[1].at_ms - pr.note[0].at_ms, timeout);
    close(fd);
}

SL_TEST_TIMEOUT(request_backs_off_then_gives_up, 3, 4000,
                "After each timeout send again and wait twice as long (25, 50, 100, 200 ms), "
                "1 + retries sends in all; then return -1 with errno ETIMEDOUT. A fixed wait "
                "floods a server that is only slow; a wait that grows faster, or starts "
                "longer, makes the client slow for nothing.")
{
    const int timeout = sl_scaled_ms(25), slack = sl_scaled_ms(50);
    tu_peer_t pr;
    char reply[16];
    int err, fd;
    double ms;

    tu_peer_start(&pr, "127.0.0.1", script_silent, 0);
    fd = tu_connected_to("127.0.0.1", pr.port);
    ssize_t n = request(fd, 77, "hello?", reply, sizeof reply, timeout, 3, &err, &ms);
    tu_peer_stop(&pr);
    SL_CHECK_FAILS("udp_request() to a peer that never answers (timeout 25 ms, 3 retries)", n,
                   err, ETIMEDOUT);
    peer_got(&pr, 4, 0, 77, "hello?", "the first try and 3 retries");
    for (int i = 1; i < pr.count && i < 4; i++) {
        double gap = pr.note[i].at_ms - pr.note[i - 1].at_ms;
        double want = timeout * (double)(1 << (i - 1));

        if (gap < 0.8 * want || gap > 1.5 * want + slack) {
            SL_FAIL("try %d came %.0f ms after try %d: expected a wait of %.0f ms before it "
                    "(the timeout, doubled after each try: %d, %d, %d ms)%s", i + 1, gap, i,
                    want, timeout, 2 * timeout, 4 * timeout,
                    gap < 0.8 * want ? "" : "; a wait this long is not the timeout doubled: "
                    "start at timeout_ms, and multiply by 2 (not more) after each try");
            break;
        }
    }
    if (n < 0 && err == ETIMEDOUT && ms < 0.8 * 15 * timeout)
        SL_FAIL("udp_request() gave up after %.0f ms: expected it to wait for a reply to the "
                "last try too, %d + %d + %d + %d ms in all", ms, timeout, 2 * timeout,
                4 * timeout, 8 * timeout);
    else if (n < 0 && err == ETIMEDOUT && ms > 1.5 * 15 * timeout + 2 * slack)
        SL_FAIL("udp_request() gave up after %.0f ms: the waits of 4 tries, %d + %d + %d + %d "
                "ms, are %d ms in all; waits that do not double (a fixed one), or grow faster "
                "than doubling, take longer", ms, timeout, 2 * timeout, 4 * timeout,
                8 * timeout, 15 * timeout);
    close(fd);
}

SL_NET_TEST(request_drops_other_datagrams, 3, 0,
            "Take only a datagram with the request's id: drop replies with other ids (late "
            "ones, or those of another request), datagrams with no id, empty ones, without "
            "a word, and wait on for the right one.")
{
    tu_peer_t pr;
    char reply[32];
    int err, fd;
    double ms;

    tu_peer_start(&pr, host, script_noise, 0);
    fd = tu_connected_to(host, pr.port);
    ssize_t n = request(fd, 40, "ping", reply, sizeof reply, sl_scaled_ms(300), 2, &err, &ms);
    tu_peer_stop(&pr);
    if (n < 0)
        SL_FAIL_FATAL("udp_request(id 40) returned %s: expected 4, the payload of \"40 pong\", "
                      "which came after \"41 not yours\", \"39 stale\", \"no id at all\", an "
                      "empty datagram and \"40\"", tu_result(n, err));
    if (n != 4 || memcmp(reply, "pong", 4) != 0)
        SL_FAIL("udp_request(id 40) returned %s: expected \"pong\", the payload of \"40 pong\"; "
                "it took a datagram that was not the reply to id 40 (check the id of each "
                "datagram, and drop those udp_unframe() rejects)", sl_bytes_brief(reply, (size_t)n));
    close(fd);
}

SL_NET_TEST(request_drops_a_late_copy, 2, 0,
            "The network may deliver a reply twice: the first copy answers request 1, the "
            "second waits on the socket. Request 2 must drop it (its id is 1) and wait for "
            "its own reply, not count a copy as the reply to the next request.")
{
    tu_peer_t pr;
    char reply[16];
    int err, fd;
    double ms;

    tu_peer_start(&pr, host, script_twice, 0);
    fd = tu_connected_to(host, pr.port);
    ssize_t n = request(fd, 1, "one", reply, sizeof reply, sl_scaled_ms(300), 2, &err, &ms);
    if (n != 3)
        SL_FAIL_FATAL("udp_request(id 1, \"one\") returned %s: expected 3", tu_result(n, err));
    sl_sleep_ms(20);   /* the second copy of "1 one" is on the socket now */
    n = request(fd, 2, "two", reply, sizeof reply, sl_scaled_ms(300), 2, &err, &ms);
    tu_peer_stop(&pr);
    if (n < 0)
        SL_FAIL_FATAL("udp_request(id 2, \"two\") returned %s: expected 3, \"two\"",
                      tu_result(n, err));
    if (n != 3 || memcmp(reply, "two", 3) != 0)
        SL_FAIL("udp_request(id 2, \"two\") returned %s: the second copy of the reply to "
                "request 1 was taken for the reply to request 2", sl_bytes_brief(reply, (size_t)n));
    close(fd);
}

SL_TEST_TIMEOUT(request_waits_from_its_own_send, 2, 4000,
                "Each wait ends at a deadline set when the request is sent: a datagram that "
                "is dropped does not start the wait again. Compute the deadline once "
                "(CLOCK_MONOTONIC) and give poll() the time left.")
{
    const int timeout = sl_scaled_ms(100);
    tu_peer_t pr;
    char reply[16];
    int err, fd;
    double ms;

    tu_peer_start(&pr, "127.0.0.1", script_chatter, 0);
    fd = tu_connected_to("127.0.0.1", pr.port);
    ssize_t n = request(fd, 3, "quiet?", reply, sizeof reply, timeout, 0, &err, &ms);
    tu_peer_stop(&pr);
    SL_HINT("Take only the datagram with the request's id: unframe each one that comes, and "
            "drop it (then wait on, until the same deadline) when udp_unframe() rejects it or "
            "its id is another.")
    {
        if (n >= 0)
            SL_FAIL_FATAL("udp_request(id 3, timeout 100 ms, 0 retries) returned %s, %s: it "
                          "took \"1003 junk\", a datagram with another id, as the reply",
                          tu_result(n, err),
                          sl_bytes_brief(reply, (size_t)n < sizeof reply ? (size_t)n : sizeof reply));
    }
    SL_CHECK_FAILS("udp_request(timeout 100 ms, 0 retries) to a peer that sends junk of "
                   "another id every 20 ms for 1.5 s", n, err, ETIMEDOUT);
    if (ms > 1200)
        SL_FAIL("udp_request() with a timeout of %d ms returned after %.0f ms, once the junk "
                "stopped: each datagram dropped started the wait again", timeout, ms);
    else if (ms > 2 * timeout + sl_scaled_ms(100))
        SL_FAIL("udp_request() with a timeout of %d ms and 0 retries returned after %.0f ms, "
                "while junk still came: its one wait is timeout_ms long, from its send", timeout,
                ms);
    close(fd);
}

SL_TEST_TIMEOUT(request_is_not_stopped_by_signals, 2, 4000,
                "A signal makes poll() (or recv()) fail with EINTR: that is no error. Wait on "
                "with the time left until the same deadline; neither return EINTR, nor start "
                "the whole timeout again.")
{
    tu_peer_t pr;
    char reply[16];
    int err, fd, ticks;
    double ms;

    tu_peer_start(&pr, "127.0.0.1", script_late, 60);
    fd = tu_connected_to("127.0.0.1", pr.port);
    tu_timer_start(1000, -1, -1, NULL, 0, -1, -1);
    ssize_t n = request(fd, 8, "ping", reply, sizeof reply, sl_scaled_ms(1500), 0, &err, &ms);
    ticks = sl_timer_stop();
    tu_peer_stop(&pr);
    close(fd);
    if (n != 4)
        SL_FAIL_FATAL("udp_request() under a signal every millisecond (%d came), with the reply "
                      "60 ms late, returned %s: expected 4, \"pong\"", ticks, tu_result(n, err));
    tu_peer_start(&pr, "127.0.0.1", script_silent, 0);
    fd = tu_connected_to("127.0.0.1", pr.port);
    tu_timer_start(1000, -1, -1, NULL, 0, -1, 1500);
    n = request(fd, 9, "ping", reply, sizeof reply, sl_scaled_ms(50), 0, &err, &ms);
    ticks = sl_timer_stop();
    tu_peer_stop(&pr);
    SL_CHECK_FAILS("udp_request(timeout 50 ms, 0 retries) to a silent peer, under a signal "
                   "every millisecond", n, err, ETIMEDOUT);
    if (ms > 1000)
        SL_FAIL("it returned after %.0f ms, once the signals stopped (%d came): after each "
                "EINTR poll() must get the time left, not the whole timeout", ms, ticks);
    close(fd);
}

SL_NET_TEST(request_refused_at_once, 2, 0,
            "When the next call on the socket fails with ECONNREFUSED (an ICMP port "
            "unreachable: nobody listens there), return -1 with ECONNREFUSED at once: "
            "retries cannot help.")
{
    tu_peer_t pr;
    char reply[16];
    int err, fd;
    double ms;

    tu_peer_start(&pr, host, script_echo, 0);
    fd = tu_connected_to(host, pr.port);
    ssize_t n = request(fd, 1, "up?", reply, sizeof reply, sl_scaled_ms(300), 1, &err, &ms);
    tu_peer_stop(&pr);
    close(fd);
    if (n != 3)
        SL_FAIL_FATAL("udp_request(id 1, \"up?\") to an echo peer returned %s: expected 3",
                      tu_result(n, err));
    fd = tu_connected_to(host, sl_closed_port(host, SOCK_DGRAM));
    sl_stderr_capture_begin();
    n = request(fd, 2, "up?", reply, sizeof reply, sl_scaled_ms(100), 3, &err, &ms);
    sl_stderr_capture_end(__FILE__, __LINE__, "udp_request");
    SL_CHECK_FAILS("udp_request() to a closed port (timeout 100 ms, 3 retries)", n, err,
                   ECONNREFUSED);
    if (ms > sl_scaled_ms(500))
        SL_FAIL("it returned after %.0f ms: the refusal came with the first try; return at "
                "once instead of waiting out the timeouts", ms);
    close(fd);
}

SL_TEST(request_reply_too_long, 1,
        "A reply whose payload is longer than cap does not fit: copy its first cap bytes "
        "and return -1 with EMSGSIZE, never a cut reply as if it were whole.")
{
    tu_peer_t pr;
    char *reply = sl_alloc(10), want[256];
    int err, fd;
    double ms;

    sl_pattern(want, sizeof want, 5);
    tu_peer_start(&pr, "127.0.0.1", script_big, 10);
    fd = tu_connected_to("127.0.0.1", pr.port);
    ssize_t n = request(fd, 4, "ten", reply, 10, sl_scaled_ms(300), 1, &err, &ms);
    if (n != 10)
        SL_FAIL_FATAL("udp_request() with room for 10 bytes, to a peer that replies with 10, "
                      "returned %s: expected 10", tu_result(n, err));
    tu_peer_stop(&pr);
    close(fd);
    tu_peer_start(&pr, "127.0.0.1", script_big, 100);
    fd = tu_connected_to("127.0.0.1", pr.port);
    n = request(fd, 5, "hundred", reply, 10, sl_scaled_ms(300), 1, &err, &ms);
    tu_peer_stop(&pr);
    SL_CHECK_FAILS("udp_request() with room for 10 bytes, to a peer that replies with 100", n,
                   err, EMSGSIZE);
    SL_CHECK_BYTES("the first 10 bytes of the reply that did not fit", reply, 10, want, 10);
    close(fd);
    sl_free(reply);
}

SL_TEST(request_rejects_bad_input, 1,
        "Check the arguments before sending anything: a timeout of 0 or less, negative "
        "retries, a NULL buffer with a length: EINVAL. A request that cannot fit in a "
        "datagram is EMSGSIZE; a socket that is not connected, EDESTADDRREQ.")
{
    static char huge[UDP_BUFFER_SIZE];
    tu_peer_t pr;
    char reply[16];
    int err, fd, unconnected = tu_udp("127.0.0.1");
    double ms;

    tu_peer_start(&pr, "127.0.0.1", script_echo, 0);
    fd = tu_connected_to("127.0.0.1", pr.port);
    ssize_t n = request(fd, 1, "ok", reply, sizeof reply, sl_scaled_ms(300), 1, &err, &ms);
    if (n != 2)
        SL_FAIL_FATAL("udp_request(id 1, \"ok\") to an echo peer returned %s: expected 2",
                      tu_result(n, err));
    SL_ASSERT_FAILS_WITH(udp_request(fd, 2, "ok", 2, reply, sizeof reply, 0, 1), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_request(fd, 2, "ok", 2, reply, sizeof reply, 100, -1), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_request(fd, 2, NULL, 2, reply, sizeof reply, 100, 0), EINVAL);
    SL_ASSERT_FAILS_WITH(udp_request(fd, 2, "ok", 2, NULL, 8, 100, 0), EINVAL);
    TU_FAILS_WITH("udp_request() of a request of 65536 bytes (more than a datagram holds)",
                  udp_request(fd, 2, huge, sizeof huge, reply, sizeof reply, 100, 0), EMSGSIZE);
    TU_FAILS_WITH("udp_request() on a socket that is not connected",
                  udp_request(unconnected, 2, "ok", 2, reply, sizeof reply, 100, 0),
                  EDESTADDRREQ);
    tu_peer_stop(&pr);
    close(fd);
    close(unconnected);
}
