/* Task 8: the echo client, run with given stdin bytes against a server of
 * the test's own (a child process of plain system calls), so that the
 * client is graded alone. No student code runs in these tests' process. */
#include "progutil.h"

SL_TASK_PROGRAMS(8, "The echo client");

/* Runs the client with `in` on stdin against the test's echo server on
 * name: it must print `in` back and exit 0, with nothing on stderr. */
static void client_echoes(const char *name, const void *in, size_t len, const char *what)
{
    const char *args[] = {name, NULL};
    char words[300], how[128];
    pu_echo_t e;
    sl_run_t r;
    int rc;

    pu_echo_start(&e, name, 1);
    snprintf(words, sizeof words, PU_CLIENT " %s with %s on stdin", name, what);
    rc = sl_run(&r, PU_CLIENT, args, in, len, 5000);
    sl_prog_check_todo(&r.prog);
    if (rc < 0 && r.timed_out) {
        SL_HINT("After the last line of stdin, half-close: shutdown(fd, SHUT_WR) tells the "
                "server that nothing more comes; it then closes, and the client's read of "
                "what is left ends.")
        {
            SL_FAIL("%s was still running after 5 s (killed); the test's server had "
                    "received %ld of %zu bytes, echoed %ld, and %s", words, e.seen->received,
                    len, e.seen->echoed, e.seen->half_closed ? "seen the half-close"
                                                             : "seen no half-close");
        }
    } else if (rc < 0) {
        sl_harness_fail(__FILE__, __LINE__);
    } else if (!WIFEXITED(r.prog.status) || WEXITSTATUS(r.prog.status) != 0) {
        SL_FAIL("%s %s: expected exit status 0%s", words, sl_prog_how(&r.prog, how, sizeof how),
                sl_last_words(&r.prog));
    } else {
        SL_CHECK_BYTES(words, r.prog.out.data, r.prog.out.len, in, len);
        if (r.prog.err.len)
            SL_FAIL("%s printed %s on stderr: expected nothing", words,
                    sl_bytes(r.prog.err.data, r.prog.err.len));
    }
    sl_run_free(&r);
    pu_echo_stop(&e);
}

SL_TEST(client_echoes_each_line, 3,
        "talk(): for each line of stdin (getline()), send_all() it, then copy_exact() as "
        "many bytes as it had: its echo. At the end of stdin, shutdown(fd, SHUT_WR) and "
        "print what still comes until the server closes; exit 0.")
{
    static const char in[] = "one\ntwo\nthree\n";

    client_echoes(nm_path("srv.sock"), in, sizeof in - 1, "three lines");
}

SL_TEST(client_over_an_abstract_name, 2,
        "unix-echo-client @NAME connects to an abstract name: main() calls ux_connect() "
        "(Task 2), which must give connect() the exact length of the name.")
{
    static const char in[] = "over an abstract name\n";

    client_echoes(nm_abstract("srv"), in, sizeof in - 1, "one line");
}

SL_TEST(client_half_closes_for_the_last_line, 2,
        "A last line without '\\n' is sent like the others; after it, half-close "
        "(shutdown(fd, SHUT_WR)) and print what comes until the end of the stream. "
        "Without the half-close the server waits for more, and so does the client.")
{
    static const char in[] = "first\nno newline at the end";

    client_echoes(nm_abstract("last"), in, sizeof in - 1, "a last line without a newline");
}

SL_TEST(client_any_byte_and_long_lines, 2,
        "Lines may hold any byte (NUL too: send getline()'s length, print with fwrite()), "
        "be empty, or be longer than any buffer (copy_exact() loops).")
{
    static char in[50000 + 64];   /* all of it fits in what the harness keeps of stdout (64 KiB) */
    static const char odd[] = "\n\nnul \0 byte, 0xff \xff byte\n";
    size_t len = 0;

    memcpy(in, odd, sizeof odd - 1);
    len += sizeof odd - 1;
    for (int i = 0; i < 50000; i++)
        in[len++] = (char)('a' + i % 26);
    in[len++] = '\n';
    memcpy(in + len, "short\n", 6);
    len += 6;
    client_echoes(nm_path("bytes.sock"), in, len,
                  "empty lines, a NUL byte, a 0xff byte and a line of 50000 bytes");
}

SL_TEST(client_with_nothing_to_send, 1,
        "With an empty stdin there is nothing to send: half-close at once, read to the end "
        "(nothing comes), exit 0.")
{
    client_echoes(nm_abstract("empty"), "", 0, "nothing");
}

SL_TEST(client_says_why_it_cannot_connect, 2,
        "When ux_connect() fails, print one line on stderr, \"unix-echo-client: what "
        "failed: reason\" (strerror(errno): Connection refused for a stale socket file, No "
        "such file or directory for none), and exit with status 1.")
{
    const char *stale = nm_path("stale.sock"), *none = nm_path("none.sock");
    const char *a1[] = {stale, NULL}, *a2[] = {none, NULL};
    sl_run_t r;

    client_echoes(nm_abstract("works"), "works\n", 6, "one line");
    nm_stale(stale, SOCK_STREAM);
    SL_RUN(&r, PU_CLIENT, a1, "hello\n", 6, 3000);
    if (sl_check_exit(&r, PU_CLIENT " PATH (a stale socket file)", 1))
        sl_check_error_line(&r, PU_CLIENT " PATH (a stale socket file)", strerror(ECONNREFUSED));
    sl_run_free(&r);
    SL_RUN(&r, PU_CLIENT, a2, "hello\n", 6, 3000);
    if (sl_check_exit(&r, PU_CLIENT " PATH (no such file)", 1))
        sl_check_error_line(&r, PU_CLIENT " PATH (no such file)", strerror(ENOENT));
    sl_run_free(&r);
}

SL_TEST(client_says_the_server_closed_early, 1,
        "The server closed the connection before the echo came: copy_exact() returned 1. "
        "That is an error: one line \"unix-echo-client: what failed: reason\" on stderr, "
        "exit status 1.")
{
    const char *name = nm_abstract("closer");
    const char *args[] = {name, NULL};
    pu_echo_t e;
    sl_run_t r;

    client_echoes(nm_abstract("works"), "works\n", 6, "one line");
    pu_echo_start(&e, name, 0);
    SL_RUN(&r, PU_CLIENT, args, "hello\n", 6, 3000);
    pu_echo_stop(&e);
    if (sl_run_status(&r) == 0)
        SL_FAIL(PU_CLIENT " exited with status 0 though the server closed before the echo of "
                "\"hello\\n\": that is a failure (exit status 1, one line on stderr)");
    else if (sl_check_exit(&r, PU_CLIENT " (a server that closes without an echo)", 1))
        sl_check_error_line(&r, PU_CLIENT " (a server that closes without an echo)", NULL);
    sl_run_free(&r);
}

SL_TEST(client_command_line, 1,
        "unix-echo-client NAME: exactly one argument, not empty; anything else is bad "
        "usage, exit status 2 with the usage on stderr.")
{
    static const char *const none[] = {NULL}, *const two[] = {"@a", "@b", NULL},
                            *const empty[] = {"", NULL};

    client_echoes(nm_abstract("works"), "works\n", 6, "one line");
    sl_check_bad_usage(PU_CLIENT, none, "(no arguments)");
    sl_check_bad_usage(PU_CLIENT, two, "@a @b (an argument too many)");
    sl_check_bad_usage(PU_CLIENT, empty, "\"\" (an empty name)");
}
