/* Task 7: chat-server, what it does with lines: each complete line goes,
 * unchanged and whole, to every other client; partial lines wait; long
 * lines and clients that leave mid-line. Driven over sockets: no student
 * code runs in these tests' process. */
#include "chatutil.h"

SL_TASK_PROGRAMS(7, "The chat server");

SL_NET_TEST(chat_line_goes_to_every_other_client, 3, 0,
            "Each complete line a client sends goes to every *other* client, unchanged, and "
            "not back to its sender: for each line mux_buf_line() finds in the sender's "
            "input, mux_buf_append() it to the queue of each other client.")
{
    sl_server_t s;
    sl_conn_t c[3];
    int base;

    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 3, base);
    PU_SEND(&c[0], &s, "hello, room\n");
    PU_EXPECT(&c[1], &s, "hello, room\n", 2000);
    PU_EXPECT(&c[2], &s, "hello, room\n", 2000);
    SL_HINT("A line goes to every client but the one that sent it.")
    {
        PU_SILENCE(&c[0], &s, 150);
    }
    PU_SEND(&c[1], &s, "hi, from the second\n");
    PU_EXPECT(&c[0], &s, "hi, from the second\n", 2000);
    PU_EXPECT(&c[2], &s, "hi, from the second\n", 2000);
    SL_HINT("Several lines in one recv() are several lines: pass on each of them, in order.")
    {
        PU_SEND(&c[2], &s, "one\ntwo\nthree\n");
        PU_EXPECT(&c[0], &s, "one\ntwo\nthree\n", 2000);
        PU_EXPECT(&c[1], &s, "one\ntwo\nthree\n", 2000);
    }
    for (int i = 0; i < 3; i++)
        sl_conn_close(&c[i]);
    PU_STOP(&s);
}

SL_NET_TEST(chat_partial_line_waits_for_its_newline, 3, 0, CU_PARTIAL)
{
    sl_server_t s;
    sl_conn_t c[3];
    int base;

    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 3, base);
    PU_SEND(&c[0], &s, "a line in");
    SL_HINT(CU_PARTIAL)
    {
        PU_SILENCE(&c[1], &s, 150);
    }
    PU_SEND(&c[0], &s, " two parts\n");
    PU_EXPECT(&c[1], &s, "a line in two parts\n", 2000);
    PU_EXPECT(&c[2], &s, "a line in two parts\n", 2000);
    sl_note("the first client starts a line, the third sends a whole one, the first ends its");
    PU_SEND(&c[0], &s, "AAA");
    PU_SEND(&c[2], &s, "CCC\n");
    SL_HINT(CU_PARTIAL)
    {
        PU_EXPECT(&c[1], &s, "CCC\n", 2000);
    }
    PU_SEND(&c[0], &s, "aaa\n");
    PU_EXPECT(&c[1], &s, "AAAaaa\n", 2000);
    PU_EXPECT(&c[2], &s, "AAAaaa\n", 2000);
    for (int i = 0; i < 3; i++)
        sl_conn_close(&c[i]);
    PU_STOP(&s);
}

SL_NET_TEST(chat_lines_pass_unchanged, 2, 5000,
            "A line is bytes up to a '\\n': tabs, '\\r' (telnet ends lines with \"\\r\\n\"), NUL, "
            "any byte, and up to MUX_LINE_MAX (64 KiB) long with its newline. Pass it on as "
            "it came, counted by length, never as a C string.")
{
    static const char mixed[] = "tab\there, telnet's end\r\n\nNUL\0inside\n\xff\xfe\x01 bytes\n"
                                "h\xc3\xa9llo w\xc3\xb6rld\n";
    static char longest[MUX_LINE_MAX];
    sl_server_t s;
    sl_conn_t c[2];
    int base;

    memset(longest, 'x', sizeof longest - 1);
    longest[sizeof longest - 1] = '\n';
    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 2, base);
    PU_SEND_BYTES(&c[0], &s, mixed, sizeof mixed - 1);
    PU_EXPECT_BYTES(&c[1], &s, mixed, sizeof mixed - 1, 2000);
    SL_HINT("A line of exactly MUX_LINE_MAX bytes, its newline included, is allowed: "
            "mux_buf_line(&in, MUX_LINE_MAX) finds it.")
    {
        PU_SEND_BYTES(&c[0], &s, longest, sizeof longest);
        PU_EXPECT_BYTES(&c[1], &s, longest, sizeof longest, 3000);
        PU_SEND(&c[0], &s, "and after it\n");
        PU_EXPECT(&c[1], &s, "and after it\n", 2000);
    }
    sl_conn_close(&c[0]);
    sl_conn_close(&c[1]);
    PU_STOP(&s);
}

SL_NET_TEST(chat_long_line_drops_its_sender, 2, 5000,
            "A line longer than MUX_LINE_MAX (64 KiB with its newline) drops its sender: "
            "mux_buf_line() says EMSGSIZE once that many bytes wait with no newline. Nothing "
            "of it goes to the others, who go on chatting.")
{
    static char too_long[MUX_LINE_MAX + 1];
    sl_server_t s;
    sl_conn_t c[3];
    int base;

    memset(too_long, 'y', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\n';
    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 3, base);
    sl_note("the first client sends a line of %zu bytes, one more than MUX_LINE_MAX",
            sizeof too_long);
    PU_SEND_BYTES(&c[0], &s, too_long, sizeof too_long);
    CU_DROPPED(&c[0], &s, 2000, "the client sent a line of 64 KiB and one byte");
    SL_HINT("None of a line too long goes to the others: it never was a line.")
    {
        PU_SILENCE(&c[1], &s, 150);
    }
    PU_STILL_SERVING(&s, "a line too long");
    PU_SEND(&c[1], &s, "that was long\n");
    PU_EXPECT(&c[2], &s, "that was long\n", 2000);
    for (int i = 0; i < 3; i++)
        sl_conn_close(&c[i]);
    PU_STOP(&s);
}

SL_NET_TEST(chat_client_leaving_mid_line, 2, 0,
            "A client that leaves (the end of its stream, or a reset) before the newline of "
            "its line takes that line with it: it never was whole. Drop the client, input "
            "and all; the others go on.")
{
    sl_server_t s;
    sl_conn_t c[4];
    int base;

    PU_SERVER_START(&s, CHAT, host);
    base = pu_fds_of(&s);
    cu_join(&s, c, 4, base);
    PU_SEND(&c[0], &s, "unfinished business");
    PU_SHUTDOWN(&c[0], &s);
    PU_SEND(&c[3], &s, "also unfinished");
    sl_sleep_ms(20);
    sl_conn_reset(&c[3]);
    SL_HINT("The half line of a client that left is not a line: pass nothing on. A partial "
            "line waits in its sender's input for its newline; if the sender leaves first, "
            "it goes with the sender.")
    {
        PU_SILENCE(&c[1], &s, 150);
    }
    SL_HINT("At the end of a client's stream (recv() returns 0), drop it: close its socket.")
    {
        PU_EXPECT_EOF(&c[0], &s, 2000);
    }
    PU_STILL_SERVING(&s, "two clients that left in the middle of a line");
    if (pu_wait_fds(&s, base + 2, 2000) != base + 2)
        SL_FAIL("two of four clients left, but %s holds %d descriptors: expected %d",
                CHAT, pu_fds_of(&s), base + 2);
    PU_SEND(&c[1], &s, "who is left?\n");
    PU_EXPECT(&c[2], &s, "who is left?\n", 2000);
    for (int i = 0; i < 3; i++)
        sl_conn_close(&c[i]);
    PU_STOP(&s);
}
