/* Task 8: the UDP echo client, run with given stdin bytes against a server
 * of the test's own (a scripted one in the test's process, or a plain echo
 * server in a child), so that the client is graded alone. The scripted
 * server notes each datagram the client sends, with the kernel's time of
 * arrival, and answers as each test needs. No student code runs in these
 * tests' process. */
#include "progutil.h"

SL_TASK_PROGRAMS(8, "The UDP echo client");

/* The client's arguments: HOST PORT -t MS -r RETRIES (MS scaled). */
typedef struct client_args {
    const char *argv[7];
    char port[8], ms[16], retries[8];
} client_args_t;

static const char *const *client_args(client_args_t *a, const char *host, int port, int ms,
                                      int retries)
{
    snprintf(a->port, sizeof a->port, "%d", port);
    snprintf(a->ms, sizeof a->ms, "%d", sl_scaled_ms(ms));
    snprintf(a->retries, sizeof a->retries, "%d", retries);
    a->argv[0] = host;
    a->argv[1] = a->port;
    a->argv[2] = "-t";
    a->argv[3] = a->ms;
    a->argv[4] = "-r";
    a->argv[5] = a->retries;
    a->argv[6] = NULL;
    return a->argv;
}

/* Runs the client against the scripted server s with stdin `in` (its
 * words in `what`); it must exit 0 with stdout equal to its stdin and
 * nothing on stderr. 1 if so. */
static int client_echoes(pu_script_t *s, const char *host, const char *in, size_t len, int ms,
                         int retries, int run_ms, const char *what)
{
    client_args_t a;
    sl_prog_t p;
    char words[200];
    int ok = 0;

    snprintf(words, sizeof words, "udp-echo-client %s %d -t %d -r %d with %s on stdin", host,
             s->port, sl_scaled_ms(ms), retries, what);
    if (pu_script_run(s, &p, client_args(&a, host, s->port, ms, retries), in, len, run_ms) < 0)
        SL_FAIL("%s was still running after %.0f ms (it was killed)%s", words, s->ran_ms,
                pu_script_story(s, ms, retries));
    else if (sl_check_prog_exit(&p, words, 0)) {
        ok = SL_CHECK_BYTES(words, p.out.data, p.out.len, in, len);
        if (p.err.len) {
            SL_FAIL("%s printed %s on stderr: expected nothing", words,
                    sl_bytes(p.err.data, p.err.len));
            ok = 0;
        }
    }
    sl_prog_free(&p);
    return ok;
}

static const char lines[] = "one\ntwo\nthree\n";

SL_NET_TEST(client_echoes_each_line, 3, 0,
            "udp_connect(HOST, PORT); for each line of stdin (getline(), its '\\n' included): "
            "udp_request() with an id of its own, then fwrite() the reply and fflush(stdout). "
            "At the end of stdin, exit 0.")
{
    pu_script_t s;

    pu_script_init(&s, host, pu_policy_echo, 0);
    if (client_echoes(&s, host, lines, sizeof lines - 1, 1000, 2, 3000, "three lines")) {
        SL_HINT("Each line goes in one datagram of its own, with an id of its own: no line "
                "split over several datagrams, no two lines in one.")
        {
            SL_CHECK_INT("the requests (datagrams of distinct ids) the server got for three "
                         "lines", pu_lines_sent(&s), 3);
        }
    }
    pu_script_free(&s);
}

SL_NET_TEST(client_sends_an_id_with_each_line, 2, 0,
            "Each datagram is the request id in decimal, one space, then the line as read, "
            "its '\\n' included (udp_frame()): \"1 one\\n\", \"2 two\\n\"... Each line has an "
            "id of its own, so that a late reply to one line is never taken for another's.")
{
    static const char *const want[] = {"one\n", "two\n", "three\n"};
    pu_script_t s;

    pu_script_init(&s, host, pu_policy_echo, 0);
    client_echoes(&s, host, lines, sizeof lines - 1, 1000, 2, 3000, "three lines");
    for (int i = 0; i < s.count && i < PU_SEEN; i++)
        if (s.seen[i].id < 0)
            SL_FAIL_FATAL("datagram %d the server got was %s: expected the request id, a "
                          "space, then the line (\"%d one\\n\", say)", i + 1,
                          sl_bytes(s.seen[i].data, s.seen[i].len), i + 1);
    for (int line = 1; line <= 3; line++) {
        int at = pu_seen_index(&s, line, 1), i = line - 1;
        const pu_seen_t *d;

        if (at < 0)
            SL_FAIL_FATAL("the server got %d line%s, not 3: %s", pu_lines_sent(&s),
                          pu_lines_sent(&s) == 1 ? "" : "s",
                          "each line goes in a datagram with an id of its own (a counter); "
                          "lines with the same id count as one");
        d = &s.seen[at];
        if (d->len - d->head != strlen(want[i]) ||
            memcmp(d->data + d->head, want[i], strlen(want[i])) != 0)
            SL_FAIL_FATAL("the request of line %d (id %ld) carried %s after its id: expected "
                          "the line as read, %s, newline included", line, d->id,
                          sl_bytes(d->data + d->head, d->len - d->head),
                          sl_bytes(want[i], strlen(want[i])));
    }
    pu_script_free(&s);
}

SL_NET_TEST(client_any_bytes_and_long_lines, 2, 5000,
            "Lines may hold any byte (NUL too: send the length getline() returned, print with "
            "fwrite()), be empty, be 60000 bytes long (a buffer of UDP_BUFFER_SIZE holds any "
            "reply), or end without a newline at the end of stdin.")
{
    static char in[70000];
    static const char odd[] = "\n\nnul \0 byte, 0xff \xff byte\n";
    size_t len = 0;
    pu_script_t s;

    memcpy(in + len, odd, sizeof odd - 1);
    len += sizeof odd - 1;
    for (int i = 0; i < 60000; i++)
        in[len++] = (char)('a' + i % 26);
    in[len++] = '\n';
    memcpy(in + len, "the last, with no newline", 25);
    len += 25;
    pu_script_init(&s, host, pu_policy_echo, 0);
    if (client_echoes(&s, host, in, len, 300, 2, 4000,
                      "empty lines, a NUL byte, a 0xff byte, a line of 60000 bytes, a last "
                      "line without a newline") && pu_lines_sent(&s) != 5)
        SL_FAIL("the five lines went as %d requests: one line, one request, however long "
                "(getline() reads a line of any length; a fixed buffer cuts it in pieces)",
                pu_lines_sent(&s));
    pu_script_free(&s);
}

SL_NET_TEST(client_with_nothing_to_send, 1, 0,
            "With an empty stdin there is nothing to send: send no datagram, print nothing, "
            "exit 0.")
{
    pu_script_t s;

    pu_script_init(&s, host, pu_policy_echo, 0);
    if (client_echoes(&s, host, "", 0, 1000, 2, 3000, "nothing"))
        SL_CHECK_INT("datagrams the server got from a client with an empty stdin", s.count, 0);
    pu_script_free(&s);
}

/* Echoes; when line 2 first comes, notes what the client had printed. */
static void policy_note_stdout(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    long id = pu_id_of(d, len, NULL);

    (void)k;
    if (pu_line_of(s, id) == 2 && pu_tries_of(s, id) == 1) {
        sl_prog_read(s->prog, NULL, sl_deadline(0));
        s->arg = (long)s->prog->out.len;
        sl_note("when line 2 came, the client had printed %ld bytes", s->arg);
    }
    pu_script_send(s, d, len);
}

SL_TEST(client_prints_each_reply_at_once, 1,
        "Print each reply as soon as it comes: fflush(stdout) after each. Into a pipe stdout "
        "is block-buffered, and without a flush nothing shows until the client exits: a "
        "person reading its output through `| tee` sees no reply to the line typed.")
{
    pu_script_t s;

    pu_script_init(&s, "127.0.0.1", policy_note_stdout, -1);
    if (client_echoes(&s, "127.0.0.1", lines, sizeof lines - 1, 1000, 2, 3000, "three lines"))
        if (s.arg < 4)
            SL_FAIL("when line 2 reached the server, udp-echo-client had printed %ld bytes of "
                    "the echo of line 1 (\"one\\n\", 4 bytes): it must print each reply, and "
                    "fflush(stdout), before it sends the next line", s.arg < 0 ? 0 : s.arg);
    pu_script_free(&s);
}

/* ---- loss, retries, backoff ------------------------------------------------------ */

/* Drops line 2's first datagram, echoes the rest. */
static void policy_drop_second(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    long id = pu_id_of(d, len, NULL);

    (void)k;
    if (pu_line_of(s, id) == 2 && pu_tries_of(s, id) == 1) {
        sl_note("the server drops it, on purpose");
        return;
    }
    pu_script_send(s, d, len);
}

SL_NET_TEST(client_retries_a_lost_request, 3, 0,
            "A datagram may be lost on the way (here, line 2's: the server dropped it). After "
            "-t MS with no reply, send the same datagram again, same id, and wait again: "
            "udp_request() with the -r RETRIES of the command line.")
{
    const int ms = 100;
    pu_script_t s;
    int first, again, next;

    pu_script_init(&s, host, policy_drop_second, 0);
    client_echoes(&s, host, lines, sizeof lines - 1, ms, 3, 3000,
                  "three lines (the server drops the first datagram of line 2)");
    first = pu_seen_index(&s, 2, 1);
    again = pu_seen_index(&s, 2, 2);
    next = pu_seen_index(&s, 3, 1);
    if (first < 0)
        SL_FAIL_FATAL("the server never got line 2 (a datagram with a second id)");
    if (again < 0 && next >= 0)
        SL_FAIL_FATAL("after line 2's datagram was lost, the client sent %s, with another "
                      "id: a retry is the same datagram, with the same id, so that a late "
                      "reply to the first try still counts", sl_bytes(s.seen[next].data,
                      s.seen[next].len));
    if (again < 0)
        SL_FAIL_FATAL("after line 2's datagram was lost, the client never sent it again: "
                      "after -t %d ms with no reply, send the same datagram again",
                      sl_scaled_ms(ms));
    if (s.seen[again].len != s.seen[first].len ||
        memcmp(s.seen[again].data, s.seen[first].data,
               s.seen[first].len < PU_SEEN_BYTES ? s.seen[first].len : PU_SEEN_BYTES))
        SL_FAIL("line 2 was sent as %s, and after it was lost as %s: a retry is the same "
                "datagram", sl_bytes(s.seen[first].data, s.seen[first].len),
                sl_bytes(s.seen[again].data, s.seen[again].len));
    else if (s.seen[again].at_ms - s.seen[first].at_ms < 0.8 * sl_scaled_ms(ms))
        SL_FAIL("line 2 went again %.0f ms after its first try: expected a wait of -t %d ms "
                "first", s.seen[again].at_ms - s.seen[first].at_ms, sl_scaled_ms(ms));
    pu_script_free(&s);
}

/* Echoes line 1 (each try of it), and nothing else. */
static void policy_first_only(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    (void)k;
    if (pu_line_of(s, pu_id_of(d, len, NULL)) == 1)
        pu_script_send(s, d, len);
}

SL_TEST_TIMEOUT(client_backs_off_then_gives_up, 3, 5000,
                "With no reply, try 1 + RETRIES times in all, waiting twice as long after "
                "each try (-t 30: 30, 60, 120, 240 ms); then say which line got no reply on "
                "stderr (\"udp-echo-client: line 2: no reply after 4 tries: Connection timed "
                "out\") and exit with status 1. Read no more lines.")
{
    const int ms = sl_scaled_ms(30);
    pu_script_t s;
    client_args_t a;
    sl_prog_t p;
    long id;
    int tries;

    pu_script_init(&s, "127.0.0.1", policy_first_only, 0);
    if (pu_script_run(&s, &p, client_args(&a, "127.0.0.1", s.port, 30, 3), "first\nsecond\nthird\n",
                      19, 4000) < 0)
        SL_FAIL_FATAL("udp-echo-client -t %d -r 3, with a server that answers line 1 and then "
                      "nothing, was still running after %.0f ms (it was killed)%s", ms, s.ran_ms,
                      pu_script_story(&s, 30, 3));
    if (sl_check_prog_exit(&p, "udp-echo-client -t 30 -r 3 (the server answers line 1 only)", 1)) {
        sl_check_prog_error_line(&p, "udp-echo-client, giving up on line 2", strerror(ETIMEDOUT));
        SL_CHECK_BYTES("the stdout of udp-echo-client, which gave up on line 2", p.out.data,
                       p.out.len, "first\n", 6);
    }
    sl_prog_free(&p);
    for (int i = 0; i < s.count && i < PU_SEEN; i++)
        if (s.seen[i].id < 0)
            SL_FAIL_FATAL("the client sent %s, with no id: each request carries its id (digits "
                          "and a space) before the line", sl_bytes(s.seen[i].data, s.seen[i].len));
    if (pu_seen_index(&s, 2, 1) < 0)
        SL_FAIL_FATAL("the server got %d line%s: expected line 1, then line 2 and its retries",
                      pu_lines_sent(&s), pu_lines_sent(&s) == 1 ? "" : "s");
    id = s.seen[pu_seen_index(&s, 2, 1)].id;
    tries = pu_tries_of(&s, id);
    if (tries != 4)
        SL_FAIL("line 2 (id %ld) was sent %d time%s: -r 3 is 3 retries after the first try, 4 "
                "sends in all", id, tries, tries == 1 ? "" : "s");
    if (pu_lines_sent(&s) > 2) {
        const pu_seen_t *third = &s.seen[pu_seen_index(&s, 3, 1)];

        SL_FAIL("after line 2 got no reply, the client sent line 3, %s: it must give up on "
                "the line it could not get through, not go on with the next",
                sl_bytes(third->data, third->len));
    }
    for (int t = 2; t <= tries && t <= 4; t++) {
        const pu_seen_t *before = &s.seen[pu_seen_index(&s, 2, t - 1)];
        const pu_seen_t *now = &s.seen[pu_seen_index(&s, 2, t)];
        double gap = now->at_ms - before->at_ms, want = ms * (double)(1 << (t - 2));

        if (gap < 0.8 * want || gap > 1.5 * want + sl_scaled_ms(50)) {
            SL_FAIL("try %d of line 2 came %.0f ms after try %d: expected a wait of %.0f ms "
                    "(-t %d, doubled after each try: %d, %d, %d ms)%s", t, gap, t - 1, want, ms,
                    ms, 2 * ms, 4 * ms, gap < 0.8 * want ? "" : "; a wait this long is not -t "
                    "doubled: start at -t, and multiply by 2 (not more) after each try");
            break;
        }
    }
    if (tries == 4) {
        double span = s.seen[pu_seen_index(&s, 2, 4)].at_ms - s.seen[pu_seen_index(&s, 2, 1)].at_ms;

        if (span > 1.5 * 7 * ms + 2 * sl_scaled_ms(50))
            SL_FAIL("the 4 tries of line 2 took %.0f ms from the first to the last: waits of "
                    "%d + %d + %d ms are %d ms; waits that do not double, or grow faster, take "
                    "longer", span, ms, 2 * ms, 4 * ms, 7 * ms);
    }
    pu_script_free(&s);
}

/* ---- duplicates, stale replies, junk ------------------------------------------------ */

static unsigned char prev[PU_BUFFER];
static size_t prev_len;

/* Before each echo, sends again the echo it sent last: a late copy. */
static void policy_stale_copy_first(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    if (k > 0) {
        sl_note("the server sends again its previous echo, then this one");
        pu_script_send(s, prev, prev_len);
    }
    pu_script_send(s, d, len);
    memcpy(prev, d, len);
    prev_len = len;
}

SL_NET_TEST(client_ignores_a_copy_of_an_earlier_reply, 3, 0,
            "The network may deliver a reply twice, the second copy late: it then waits on "
            "the socket when the next line's request goes. Take only the reply with the id "
            "of the line just sent; a copy of an earlier reply is dropped, never printed as "
            "the next line's echo.")
{
    static const char in[] = "first\nsecond\nthird\nfourth\n";
    pu_script_t s;

    pu_script_init(&s, host, policy_stale_copy_first, 0);
    SL_HINT("Each reply after the first came after a copy of the reply before it: a client "
            "that takes the first datagram that comes prints line N-1 for line N. Check the "
            "id of each datagram against the id of the line sent.")
    {
        client_echoes(&s, host, in, sizeof in - 1, 1000, 2, 3000,
                      "four lines (each echo follows a copy of the one before)");
    }
    pu_script_free(&s);
}

/* Keeps quiet at the first try of each line, and answers its second try
 * twice. */
static void policy_retry_answered_twice(pu_script_t *s, int k, const unsigned char *d,
                                        size_t len)
{
    long id = pu_id_of(d, len, NULL);
    int tries = pu_tries_of(s, id);

    (void)k;
    if (tries == 1) {
        sl_note("the server keeps quiet, on purpose");
        return;
    }
    if (tries == 2) {
        sl_note("the server answers this try twice");
        pu_script_send(s, d, len);
    }
    pu_script_send(s, d, len);
}

SL_NET_TEST(client_prints_each_reply_once, 3, 0,
            "A line sent again may get a reply to each try, and the network may double any "
            "reply: print the first reply with the line's id, once. The other copies stay "
            "queued, and are dropped while the next line waits for its own id: never print "
            "them, never take them for the next line's reply.")
{
    static const char in[] = "first\nsecond\nthird\n";
    pu_script_t s;

    pu_script_init(&s, host, policy_retry_answered_twice, 0);
    SL_HINT("Each line got two equal replies, both with its id: a client that prints every "
            "datagram that comes, or takes the second copy for the next line's reply, shows a "
            "line twice. udp_request() returns the first reply with the id; the next call "
            "drops the copy, since it waits for another id.")
    {
        client_echoes(&s, host, in, sizeof in - 1, 50, 3, 2500,
                      "three lines (the server answers each line's retry twice)");
    }
    pu_script_free(&s);
}

/* Answers the first try of each id with the right payload and another
 * id; answers a retry with the echo. */
static void policy_wrong_id_first(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    size_t head = 0;
    long id = pu_id_of(d, len, &head);

    (void)k;
    if (id >= 0 && pu_tries_of(s, id) == 1) {
        sl_note("the server answers with the same line and id %ld", id + 100);
        pu_script_reply(s, id + 100, d + head, len - head);
        return;
    }
    pu_script_send(s, d, len);
}

SL_NET_TEST(client_checks_the_reply_id, 2, 0,
            "A reply is known by its id, not by what it says: a datagram with the same line "
            "and another id is not the reply. Drop it, wait out the timeout, send again. "
            "(Two equal lines have equal echoes: only the id tells them apart.)")
{
    static const char in[] = "same\nsame\n";
    pu_script_t s;

    pu_script_init(&s, host, policy_wrong_id_first, 0);
    client_echoes(&s, host, in, sizeof in - 1, 50, 3, 3000,
                  "two equal lines (the first answer to each has the line but another id)");
    for (int i = 0; i < s.count && i < PU_SEEN; i++)
        if (s.seen[i].id < 0)
            SL_FAIL_FATAL("datagram %d the client sent was %s, with no id: each request "
                          "carries an id (digits and a space), and only a reply with that id "
                          "is taken", i + 1, sl_bytes(s.seen[i].data, s.seen[i].len));
    for (int i = 0, line = 0; i < s.count && i < PU_SEEN; i++) {
        if (i > 0 && s.seen[i].id == s.seen[i - 1].id)
            continue;   /* a retry of the line before */
        line++;
        if (s.seen[i].id >= 0 && pu_tries_of(&s, s.seen[i].id) < 2) {
            SL_FAIL("line %d (id %ld) was sent once: the server answered it with the same line "
                    "and id %ld, which the client took for the reply; take only a reply with "
                    "the line's own id", line, s.seen[i].id, s.seen[i].id + 100);
            break;
        }
    }
    pu_script_free(&s);
}

/* Before each echo: datagrams that are no reply at all. */
static void policy_junk_first(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    static unsigned char junk[2000];

    (void)k;
    sl_pattern(junk, sizeof junk, 3);
    pu_script_send(s, "no id here", 10);
    pu_script_send(s, "", 0);
    pu_script_send(s, junk, sizeof junk);
    pu_script_send(s, "99999999999 eleven digits", 25);
    pu_script_send(s, "12", 2);
    pu_script_send(s, d, len);
}

SL_NET_TEST(client_ignores_junk, 2, 0,
            "Anyone may send to the client's port, anything: datagrams with no id, empty "
            "ones, binary ones, ids too long. udp_unframe() rejects them: drop them and wait "
            "on for the reply. Never crash, never print them.")
{
    pu_script_t s;

    pu_script_init(&s, host, policy_junk_first, 0);
    client_echoes(&s, host, lines, sizeof lines - 1, 1000, 2, 3000,
                  "three lines (five datagrams of junk before each echo)");
    pu_script_free(&s);
}

/* Answers only retries (junk of another id comes meanwhile). */
static void policy_retries_only(pu_script_t *s, int k, const unsigned char *d, size_t len)
{
    long id = pu_id_of(d, len, NULL);

    (void)k;
    if (id >= 0 && pu_tries_of(s, id) >= 2)
        pu_script_send(s, d, len);
}

SL_NET_TEST(client_times_out_from_its_send, 2, 0,
            "The wait for a reply ends -t MS after the send, however many other datagrams "
            "come meanwhile: compute the deadline once and give poll() the time left. A wait "
            "that starts again with each dropped datagram never ends while junk comes.")
{
    pu_script_t s;
    client_args_t a;
    sl_prog_t p;

    pu_script_init(&s, host, policy_retries_only, 0);
    s.chatter_ms = 30;
    sl_note("once the client has sent, the server sends it \"999999 junk\\n\" every 30 ms, "
            "and answers only a retry");
    if (pu_script_run(&s, &p, client_args(&a, host, s.port, 100, 3), "hello\n", 6, 2000) < 0) {
        SL_FAIL("udp-echo-client -t %d never sent its line again (the server got %d "
                "datagram%s in 2 s): while junk of another id came every 30 ms, its wait for "
                "the reply started again with each one", sl_scaled_ms(100), s.count,
                s.count == 1 ? "" : "s");
    } else if (sl_check_prog_exit(&p, "udp-echo-client -t 100 (junk every 30 ms, only a retry "
                                      "answered)", 0)) {
        SL_CHECK_BYTES("the stdout of udp-echo-client", p.out.data, p.out.len, "hello\n", 6);
    }
    sl_prog_free(&p);
    pu_script_free(&s);
}

/* ---- errors --------------------------------------------------------------------------- */

SL_NET_TEST(client_says_why_it_is_refused, 2, 5000,
            "Where nobody listens, the first datagram brings back an ICMP port unreachable: "
            "udp_request() returns ECONNREFUSED at once. Say so in one line on stderr "
            "(\"udp-echo-client: line 1: Connection refused\"), exit 1, without waiting out "
            "the retries.")
{
    pu_script_t s;
    sl_run_t r;
    client_args_t a;
    char what[120];
    double t0;

    pu_script_init(&s, host, pu_policy_echo, 0);
    if (!client_echoes(&s, host, "works\n", 6, 1000, 2, 3000, "one line"))
        SL_FAIL_FATAL("the client must work with a server first");
    pu_script_free(&s);
    int port = sl_closed_port(host, SOCK_DGRAM);
    snprintf(what, sizeof what, "udp-echo-client %s %d -t %d -r 4 (nobody there)", host, port,
             sl_scaled_ms(400));
    t0 = sl_now_ms();
    int rc = sl_run(&r, "udp-echo-client", client_args(&a, host, port, 400, 4), "hello\n", 6, 3000);
    double took = sl_now_ms() - t0;
    sl_prog_check_todo(&r.prog);
    if (rc < 0 && r.timed_out)
        SL_FAIL_FATAL("%s was still running after %.0f ms (it was killed): the refusal came "
                      "with the first datagram; udp_request() returns ECONNREFUSED at once, and "
                      "the client gives up then", what, took);
    if (rc < 0)
        sl_harness_fail(__FILE__, __LINE__);
    if (sl_check_exit(&r, what, 1)) {
        sl_check_error_line(&r, what, strerror(ECONNREFUSED));
        if (r.prog.out.len)
            SL_FAIL("%s printed %s on stdout: expected nothing", what,
                    sl_bytes(r.prog.out.data, r.prog.out.len));
        if (took > sl_scaled_ms(1500))
            SL_FAIL("%s took %.0f ms to give up: the refusal came with the first try; give up "
                    "at once", what, took);
    }
    sl_run_free(&r);
}

SL_TEST(client_says_a_line_is_too_long, 1,
        "A line that cannot go in one datagram (70000 bytes, past 65507) fails with "
        "EMSGSIZE: say which line in one line on stderr, exit 1. Never cut a line over "
        "several datagrams.")
{
    static char in[6 + 70001];
    pu_script_t s;
    client_args_t a;
    sl_prog_t p;
    const char *what = "udp-echo-client with a line of 70000 bytes after \"first\\n\"";

    memcpy(in, "first\n", 6);
    memset(in + 6, 'x', 70000);
    in[6 + 70000] = '\n';
    pu_script_init(&s, "127.0.0.1", pu_policy_echo, 0);
    if (pu_script_run(&s, &p, client_args(&a, "127.0.0.1", s.port, 300, 1), in, sizeof in,
                      3000) < 0)
        SL_FAIL_FATAL("%s was still running after %.0f ms (it was killed)%s", what, s.ran_ms,
                      pu_script_story(&s, 300, 1));
    if (sl_check_prog_exit(&p, what, 1)) {
        SL_CHECK_BYTES("its stdout (the echo of \"first\\n\", then nothing)", p.out.data,
                       p.out.len, "first\n", 6);
        sl_check_prog_error_line(&p, what, strerror(EMSGSIZE));
    }
    if (pu_lines_sent(&s) != 1)
        SL_FAIL("the server got %d requests: expected 1, for \"first\\n\" (a line too long "
                "for a datagram is not sent at all, not even in part)", pu_lines_sent(&s));
    sl_prog_free(&p);
    pu_script_free(&s);
}

SL_TEST(client_command_line, 1,
        "udp-echo-client HOST PORT [-t MS] [-r RETRIES]: the port a number from 1 to 65535, "
        "MS a number from 1, RETRIES from 0; anything else is bad usage, exit status 2 with "
        "the usage on stderr.")
{
    static const char *const none[] = {NULL}, *const one[] = {"127.0.0.1", NULL},
                            *const three[] = {"127.0.0.1", "7", "8", NULL},
                            *const letters[] = {"127.0.0.1", "seven", NULL},
                            *const zero[] = {"127.0.0.1", "0", NULL},
                            *const big[] = {"127.0.0.1", "65536", NULL},
                            *const t0[] = {"127.0.0.1", "7", "-t", "0", NULL},
                            *const tx[] = {"127.0.0.1", "7", "-t", "soon", NULL},
                            *const rneg[] = {"127.0.0.1", "7", "-r", "-1", NULL},
                            *const tnone[] = {"127.0.0.1", "7", "-t", NULL},
                            *const unknown[] = {"127.0.0.1", "7", "-x", NULL};
    pu_script_t s;

    pu_script_init(&s, "127.0.0.1", pu_policy_echo, 0);
    if (!client_echoes(&s, "127.0.0.1", "works\n", 6, 1000, 2, 3000, "one line"))
        SL_FAIL_FATAL("the client must work with a server first");
    pu_script_free(&s);
    sl_check_bad_usage("udp-echo-client", none, "(no arguments)");
    sl_check_bad_usage("udp-echo-client", one, "127.0.0.1 (no port)");
    sl_check_bad_usage("udp-echo-client", three, "127.0.0.1 7 8 (an argument too many)");
    sl_check_bad_usage("udp-echo-client", letters, "127.0.0.1 seven (a port that is not a number)");
    sl_check_bad_usage("udp-echo-client", zero, "127.0.0.1 0 (port 0: no server has it)");
    sl_check_bad_usage("udp-echo-client", big, "127.0.0.1 65536 (a port too large)");
    sl_check_bad_usage("udp-echo-client", t0, "127.0.0.1 7 -t 0 (a timeout of 0 ms)");
    sl_check_bad_usage("udp-echo-client", tx,
                       "127.0.0.1 7 -t soon (a timeout that is not a number)");
    sl_check_bad_usage("udp-echo-client", rneg, "127.0.0.1 7 -r -1 (negative retries)");
    sl_check_bad_usage("udp-echo-client", tnone, "127.0.0.1 7 -t (no value after -t)");
    sl_check_bad_usage("udp-echo-client", unknown, "127.0.0.1 7 -x (an unknown option)");
}

SL_TEST_TIMEOUT(client_says_why_it_cannot_resolve, 1, 15000,
                "A host that does not resolve is an error: one line \"udp-echo-client: what "
                "failed: reason\" on stderr, exit status 1.")
{
    static const char *const args[] = {"no-such-host.invalid", "7", NULL};
    pu_script_t s;
    sl_run_t r;

    pu_script_init(&s, "127.0.0.1", pu_policy_echo, 0);
    if (!client_echoes(&s, "127.0.0.1", "works\n", 6, 1000, 2, 3000, "one line"))
        SL_FAIL_FATAL("the client must work with a server first");
    pu_script_free(&s);
    SL_RUN(&r, "udp-echo-client", args, "hello\n", 6, 12000);
    if (sl_check_exit(&r, "udp-echo-client no-such-host.invalid 7 (a name that never resolves)",
                      1))
        sl_check_error_line(&r, "udp-echo-client no-such-host.invalid 7", NULL);
    sl_run_free(&r);
}
