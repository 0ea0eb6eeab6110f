/* Task 7: reactor-chat-server, on the line receiver, once per backend.
 * The contract of lesson 05's chat-server: each complete line to every
 * other client, unchanged; partial lines wait; a slow reader is dropped;
 * a line over 64 KiB drops its sender. No student code runs here. */
#include "crowd.h"

SL_TASK_PROGRAMS(7, "The chat server");

static const char *const no_args[] = {NULL};

#define CHAT_LINE_MAX (64 * 1024)      /* PR_LINE_MAX: this file sees no header of the lesson */

#define PARTIAL_HINT                                                           \
    "A partial line was passed on before its newline came: the line receiver keeps a "    \
    "client's bytes until the '\\n' (lr->in), and calls line_received() only for whole "  \
    "lines."

#define DROPPED_HINT                                                           \
    "The first part of a line that came in two recv()s was lost: only the bytes after it "  \
    "arrived. The line receiver appends each chunk without a '\\n' to the client's "         \
    "partial line (lr->in), kept across calls, and passes on the whole line once the "      \
    "'\\n' comes."

#define OWN_LINE_HINT                                                          \
    "A client got back its own line: line_received() writes to every member of the room "   \
    "but the sender (lr), and the sender hears nothing of its own lines."

/* Expects want on c; on a failure, the hint that fits what came instead:
 * only tail (the part after a partial line: that line's start was lost),
 * own (the bytes c itself sent: its line came back), else PARTIAL_HINT. */
static void expect_line_at(sl_conn_t *c, const char *want, const char *tail, const char *own,
                           const char *file, int line)
{
    char got[96];
    const char *why, *hint = PARTIAL_HINT;

    if (sl_conn_expect(c, want, strlen(want), 2000) == 0)
        return;
    why = sl_harness_error();
    if (own != NULL && strstr(why, (snprintf(got, sizeof got, "got \"%s", own), got)) != NULL)
        hint = OWN_LINE_HINT;
    else if (tail != NULL &&
             strstr(why, (snprintf(got, sizeof got, "got \"%s", tail), got)) != NULL)
        hint = DROPPED_HINT;
    sl_hint_set(hint);
    sl_harness_fail(file, line);
}
#define EXPECT_LINE(c, want, tail, own) expect_line_at((c), (want), (tail), (own), __FILE__, __LINE__)

/* Connects n clients and waits until the server holds a descriptor for
 * each (a line goes only to the clients it has accepted). */
static void join(sl_server_t *s, sl_conn_t *c, int n)
{
    int base = sl_prog_fd_count(&s->prog), got;

    for (int i = 0; i < n; i++)
        SL_CONNECT(&c[i], s);
    got = cr_fds_settle(s, base + n, 2000);
    if (got < base + n) {
        CR_ALIVE(s, "clients connected");
        SL_FAIL_FATAL("%d clients connected, but %s holds %d descriptors after 2 s, fewer than "
                      "the %d it needs for them: does it accept every client that waits?", n,
                      s->prog.name, got, base + n);
    }
}

static void leave(sl_conn_t *c, int n)
{
    for (int i = 0; i < n; i++)
        sl_conn_close(&c[i]);
}

RT_SERVERS(chat_line_goes_to_every_other_client, 3, 0,
           "Each complete line goes to every *other* client, unchanged, and not back to its "
           "sender: line_received() writes the line and its '\\n' to each other member of the "
           "room (the factory's list).")
{
    sl_server_t s;
    sl_conn_t c[3];

    CR_START(&s, CHAT, backend, host, no_args);
    join(&s, c, 3);
    SL_SEND(&c[0], "hello, room\n");
    SL_EXPECT(&c[1], "hello, room\n", 2000);
    SL_EXPECT(&c[2], "hello, room\n", 2000);
    SL_HINT("A line goes to every client but the one that sent it.")
    {
        if (sl_conn_expect_silence(&c[0], 150) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    SL_HINT("Several lines in one recv() are several lines: pass on each of them, in order.")
    {
        SL_SEND(&c[2], "one\ntwo\nthree\n");
        SL_EXPECT(&c[0], "one\ntwo\nthree\n", 2000);
        SL_EXPECT(&c[1], "one\ntwo\nthree\n", 2000);
    }
    SL_HINT("A line goes out unchanged: a telnet '\\r' before the '\\n' stays (the line "
            "receiver takes off the '\\n' alone, and line_received() writes the line and its "
            "'\\n').")
    {
        SL_SEND(&c[2], "telnet\r\n");
        SL_EXPECT(&c[0], "telnet\r\n", 2000);
        SL_EXPECT(&c[1], "telnet\r\n", 2000);
    }
    leave(c, 3);
    CR_STOP(&s);
}

RT_SERVERS(chat_partial_line_waits_for_its_newline, 3, 0, PARTIAL_HINT)
{
    sl_server_t s;
    sl_conn_t c[3];

    CR_START(&s, CHAT, backend, host, no_args);
    join(&s, c, 3);
    SL_SEND(&c[0], "a line in");
    SL_HINT(PARTIAL_HINT)
    {
        if (sl_conn_expect_silence(&c[1], 150) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    SL_SEND(&c[0], " two parts\n");
    EXPECT_LINE(&c[1], "a line in two parts\n", " two parts", NULL);
    EXPECT_LINE(&c[2], "a line in two parts\n", " two parts", NULL);
    sl_note("the first client starts a line, the third sends a whole one, the first ends its");
    SL_SEND(&c[0], "AAA");
    SL_SEND(&c[2], "CCC\n");
    EXPECT_LINE(&c[1], "CCC\n", NULL, NULL);
    SL_SEND(&c[0], "aaa\n");
    EXPECT_LINE(&c[1], "AAAaaa\n", "aaa", NULL);
    EXPECT_LINE(&c[2], "AAAaaa\n", "aaa", "CCC");
    leave(c, 3);
    CR_STOP(&s);
}

RT_SERVERS(chat_long_line_drops_its_sender, 2, 5000,
           "A line longer than PR_LINE_MAX (64 KiB with its '\\n') drops its sender: the line "
           "receiver calls line_too_long() (by default pr_abort()), at the '\\n' or as soon as "
           "64 KiB have come with no '\\n'. Nothing of it goes to the others, who go on "
           "chatting; a line of exactly 64 KiB passes.")
{
    static char longest[CHAT_LINE_MAX], too_long[CHAT_LINE_MAX + 1];
    sl_server_t s;
    sl_conn_t c[4];

    memset(longest, 'x', sizeof longest - 1);
    longest[sizeof longest - 1] = '\n';
    memset(too_long, 'y', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\n';
    CR_START(&s, CHAT, backend, host, no_args);
    join(&s, c, 4);
    SL_SEND_BYTES(&c[0], longest, sizeof longest);
    SL_EXPECT_BYTES(&c[1], longest, sizeof longest, 3000);
    SL_EXPECT_BYTES(&c[2], longest, sizeof longest, 3000);
    SL_SEND_BYTES(&c[0], too_long, sizeof too_long);
    SL_HINT("A line of 64 KiB and one byte must drop its sender (close its connection).")
    {
        if (!cr_dropped(&c[0], 2000))
            SL_FAIL("%s kept the sender of a line of 64 KiB + 1 byte for 2 s", CHAT);
    }
    SL_HINT("None of a line too long goes to the others: it never was a line.")
    {
        if (sl_conn_expect_silence(&c[1], 150) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    memset(too_long, 'z', sizeof too_long);
    SL_SEND_BYTES(&c[3], too_long, sizeof too_long);   /* 64 KiB + 1, and no '\n' */
    SL_HINT("64 KiB with no newline must drop the sender too, before any newline comes: "
            "check the length of the partial line as bytes come, not only at the '\\n' (else "
            "a client that never sends one grows the buffer without end).")
    {
        if (!cr_dropped(&c[3], 2000))
            SL_FAIL("%s kept a client that sent 64 KiB + 1 bytes with no newline for 2 s", CHAT);
    }
    SL_HINT("Two clients were dropped, and a line of the others must still go round. If it "
            "does not, or the server crashed or spins here, the room may still hold a dropped "
            "client: connection_lost() must unlink it, for its slot is zeroed (its `next` "
            "with it, cutting the list) and given to the next client on that descriptor, "
            "which then joins the room a second time (a cycle: a broadcast without end).")
    {
        SL_SEND(&c[1], "that was long\n");
        SL_EXPECT(&c[2], "that was long\n", 2000);
    }
    leave(c, 4);
    CR_STOP(&s);
}

/* A client whose receive buffer is 4 KiB (set before it connects, so that
 * the kernel does not grow it): what it does not read waits in the server. */
static void connect_small(sl_conn_t *c, const sl_server_t *s)
{
    int fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), small = 4096;

    memset(c, 0, sizeof *c);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small) < 0 ||
        connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) < 0)
        SL_FAIL_FATAL("could not connect a slow reader to %s: %s", s->where, strerror(errno));
    c->fd = fd;
    snprintf(c->label, sizeof c->label, "slow reader");
    snprintf(c->peer, sizeof c->peer, "%s", s->where);
}

#define FLOOD_MAX (32L << 20)   /* bytes of lines, at most */

RT_SERVERS(chat_slow_reader_is_dropped, 3, 9000,
           "A client that reads nothing while the room floods must not hold up the others nor "
           "make the server's memory grow without end: once its output would pass PR_OUT_HIGH, "
           "pr_abort() it. The others keep getting every line.")
{
    static char line[1001];
    sl_server_t s;
    sl_conn_t c[3];
    double start, end;
    long got = 0, flood = 0;
    int base, dropped = 0;

    memset(line, 'f', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    CR_START(&s, CHAT, backend, host, no_args);
    base = sl_prog_fd_count(&s.prog);
    join(&s, c, 2);
    connect_small(&c[2], &s);
    if (cr_fds_settle(&s, base + 3, 2000) != base + 3)
        SL_FAIL_FATAL("%s did not accept the third client within 2 s", CHAT);
    sl_note("client 1 floods 1000-byte lines until the server drops client 3 (at most 32 MiB); "
            "client 2 reads them; client 3 reads nothing");
    start = sl_now_ms();
    end = start + sl_scaled_ms(5000);
    while (flood < FLOOD_MAX && sl_now_ms() < end) {
        char buf[65536];
        ssize_t n;

        SL_SEND_BYTES(&c[0], line, sizeof line);
        flood += (long)sizeof line;
        while ((n = recv(c[1].fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
            got += n;
        if (flood % (256L * (long)sizeof line) == 0 && sl_prog_fd_count(&s.prog) < base + 3) {
            dropped = 1;   /* the server closed one: the slow reader, or the test fails below */
            break;
        }
    }
    sl_note("client 1 sent %ld bytes; client 2 got %ld meanwhile", flood, got);
    SL_HINT("A slow reader held up the room: the flood stalled. Never wait for a client: "
            "queue with pr_write(), and pr_abort() a client whose output passes PR_OUT_HIGH.")
    {
        if (!dropped && sl_now_ms() >= end)
            SL_FAIL("client 1 could not send its lines in 5 s (%ld bytes sent) while client 3 "
                    "read nothing", flood);
    }
    SL_HINT("A client that never reads must be dropped once PR_OUT_HIGH waits for it. If the "
            "server's memory did not grow either, the bytes its socket did not take were "
            "dropped: they must wait in the transport (pr_pending() counts them).")
    {
        if (!cr_dropped(&c[2], 3000))
            SL_FAIL("%s kept a client that read none of %ld MiB of lines", CHAT, flood >> 20);
    }
    SL_SEND(&c[0], "after the flood\n");
    SL_HINT("The client that reads kept getting every line: it must get the last one too.")
    {
        char buf[65536];
        double stop = sl_now_ms() + sl_scaled_ms(3000);
        ssize_t n;

        while (got < flood + 16 && sl_now_ms() < stop) {
            struct pollfd p = {.fd = c[1].fd, .events = POLLIN};

            if (poll(&p, 1, 100) == 1 && (n = recv(c[1].fd, buf, sizeof buf, 0)) > 0)
                got += n;
        }
        SL_CHECK_INT("bytes client 2 got: every line, and the last", got, flood + 16);
    }
    leave(c, 3);
    CR_STOP(&s);
}

RT_SERVERS(chat_client_leaving_mid_line, 2, 0,
           "A client that leaves (the end of its stream, or a reset) before the newline of its "
           "line takes that line with it; the others go on. connection_lost() takes the client "
           "out of the room and frees its partial line (pr_line_release()).")
{
    sl_server_t s;
    sl_conn_t c[4];
    int base;

    CR_START(&s, CHAT, backend, host, no_args);
    base = sl_prog_fd_count(&s.prog);
    join(&s, c, 4);
    SL_SEND(&c[0], "unfinished business");
    sl_conn_shutdown(&c[0]);
    SL_SEND(&c[3], "also unfinished");
    sl_sleep_ms(20);
    sl_conn_reset(&c[3]);
    SL_HINT("The half line of a client that left is not a line: pass nothing on.")
    {
        if (sl_conn_expect_silence(&c[1], 150) < 0)
            sl_harness_fail(__FILE__, __LINE__);
    }
    SL_EXPECT_EOF(&c[0], 2000);
    SL_CHECK_INT("descriptors once two of four clients left", cr_fds_settle(&s, base + 2, 2000),
                 base + 2);
    SL_SEND(&c[1], "who is left?\n");
    SL_EXPECT(&c[2], "who is left?\n", 2000);
    leave(c, 3);
    SL_HINT("Each line the server printed on stderr is `reactor-chat-server: what failed: "
            "reason`, and a client that leaves or resets is no failure of the server's: the "
            "library itself prints nothing (it tells its caller: a return value, errno, "
            "connection_lost()'s err). A perror(\"recv\") or a debug line in proto.c or "
            "line.c breaks the form.")
    {
        sl_check_err_lines(&s.prog);
    }
    CR_STOP(&s);
}
