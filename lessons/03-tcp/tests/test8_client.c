/* Task 8: the echo client, run with given stdin bytes against an echo
 * server of the test's own (a child process of plain system calls), so
 * that the client is graded alone. No student code runs in these tests'
 * process. */
#include "progutil.h"

SL_TASK_PROGRAMS(8, "The echo client");

/* Runs `echo-client HOST PORT` against the test's echo server on host
 * with stdin `in`; its stdout must be `want` and its exit status 0, with
 * nothing on stderr. `what` names the input in words. */
static void client_echoes(const char *host, const void *in, size_t len, const void *want,
                          size_t want_len, const char *what)
{
    sl_run_t r;
    const char *args[3] = {host, NULL, NULL};
    char words[200], how[128];
    pu_echo_t e;

    pu_echo_start(&e, host);
    args[1] = sl_port_text(e.port);
    snprintf(words, sizeof words, "echo-client %s %d with %s on stdin", host, e.port, what);
    PU_CLIENT_RUN(&r, args, in, len, 5000, &e);
    if (!WIFEXITED(r.prog.status) || WEXITSTATUS(r.prog.status) != 0) {
        SL_HINT(pu_client_hint(&r.prog))
        {
            SL_FAIL("%s %s: expected exit status 0%s", words,
                    sl_prog_how(&r.prog, how, sizeof how), sl_last_words(&r.prog));
        }
    } else {
        SL_CHECK_BYTES(words, r.prog.out.data, r.prog.out.len, want, want_len);
        if (r.prog.err.len)
            SL_FAIL("%s printed %s on stderr: expected nothing", words,
                    sl_bytes(r.prog.err.data, r.prog.err.len));
    }
    sl_run_free(&r);
    pu_echo_stop(&e);
}

SL_NET_TEST(client_echoes_each_line, 3, 0,
            "Connect with tcp_connect(HOST, PORT); for each line of stdin (getline()): "
            "tcp_send_all() it, then read its echo with tcp_read_line() and write it to "
            "stdout. At the end of stdin: shutdown(SHUT_WR), print what still comes until "
            "the end of the stream, exit 0.")
{
    static const char in[] = "one\ntwo\nthree\n";

    client_echoes(host, in, sizeof in - 1, in, sizeof in - 1, "three lines");
}

SL_NET_TEST(client_half_closes_for_the_last_line, 3, 0,
            "A last line without '\\n' has no end the server could see: send it, then "
            "half-close (shutdown(fd, SHUT_WR)) and read until the end of the stream, "
            "printing what comes. Without the half-close the server waits for more, and "
            "so does the client, for ever.")
{
    static const char in[] = "first\nno newline at the end";

    client_echoes(host, in, sizeof in - 1, in, sizeof in - 1, "a last line without a newline");
}

SL_NET_TEST(client_reads_to_the_end_after_the_half_close, 1, 0,
            "After the half-close, read until tcp_read_line() returns 0, the end of the "
            "stream, printing every piece: a last line longer than your buffer comes in "
            "several (EMSGSIZE, then the rest), not in one.")
{
    static char in[6 + 10000];

    memcpy(in, "first\n", 6);
    for (size_t i = 6; i < sizeof in; i++)
        in[i] = (char)('A' + i % 26);
    client_echoes(host, in, sizeof in, in, sizeof in,
                  "a last line of 10000 bytes without a newline");
}

SL_NET_TEST(client_any_byte_and_long_lines, 2, 0,
            "Lines may hold any byte (NUL too: write with fwrite() and the length, not "
            "printf(\"%s\")), be empty, or be longer than any buffer: a line that does not "
            "fit comes from tcp_read_line() in pieces (EMSGSIZE); print each piece.")
{
    static char in[3 * 20000];
    size_t len = 0;

    static const char odd[] = "\n\nnul \0 byte, 0xff \xff byte\n";

    memcpy(in + len, odd, sizeof odd - 1);
    len += sizeof odd - 1;
    for (int i = 0; i < 20000; i++)
        in[len++] = (char)('a' + i % 26);
    in[len++] = '\n';
    memcpy(in + len, "short\n", 6);
    len += 6;
    client_echoes(host, in, len, in, len,
                  "empty lines, a NUL byte, a 0xff byte and a line of 20000 bytes");
}

SL_NET_TEST(client_with_nothing_to_send, 1, 0,
            "With an empty stdin there is nothing to send: half-close at once, read to the "
            "end of the stream (nothing comes), exit 0.")
{
    client_echoes(host, "", 0, "", 0, "nothing");
}

SL_NET_TEST(client_says_why_it_cannot_connect, 2, 0,
            "When tcp_connect() fails, print one line on stderr, \"echo-client: what "
            "failed: reason\" (strerror(errno): Connection refused), and exit with status "
            "1. Nothing goes to stdout.")
{
    sl_run_t r;
    const char *args[3] = {host, NULL, NULL};
    char what[96];
    pu_echo_t e;

    /* The client must work first (a stub gets no points here); then a
     * port nothing listens on: that of the test's server, stopped. */
    client_echoes(host, "works\n", 6, "works\n", 6, "one line");
    pu_echo_start(&e, host);
    pu_echo_stop(&e);
    args[1] = sl_port_text(e.port);
    snprintf(what, sizeof what, "echo-client %s %s (nothing listens there)", host, args[1]);
    SL_RUN(&r, "echo-client", args, "hello\n", 6, 3000);
    if (sl_check_exit(&r, what, 1)) {
        sl_check_error_line(&r, what, strerror(ECONNREFUSED));
        if (r.prog.out.len)
            SL_FAIL("%s printed %s on stdout: expected nothing", what,
                    sl_bytes(r.prog.out.data, r.prog.out.len));
    }
    sl_run_free(&r);
}

/* A server of the test's own on host: it accepts one client, reads its
 * first line and closes without echoing it. Its pid; *port set. */
static pid_t closer_start(const char *host, int *port)
{
    struct addrinfo hints, *res;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char buf[16];
    int lfd;
    pid_t pid;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, "0", &hints, &res) != 0)
        SL_FAIL_FATAL("test setup: \"%s\" is not an address", host);
    lfd = socket(res->ai_family, SOCK_STREAM, 0);
    if (lfd < 0 || bind(lfd, res->ai_addr, res->ai_addrlen) < 0 || listen(lfd, 4) < 0) {
        freeaddrinfo(res);
        SL_FAIL_FATAL("test setup: cannot listen on %s: %s", host, strerror(errno));
    }
    freeaddrinfo(res);
    getsockname(lfd, (struct sockaddr *)&ss, &len);
    getnameinfo((struct sockaddr *)&ss, len, NULL, 0, buf, sizeof buf, NI_NUMERICSERV);
    *port = atoi(buf);
    pid = sl_fork();
    if (pid == 0) {
        int fd = accept(lfd, NULL, NULL);
        char c = 0;

        while (fd >= 0 && c != '\n' && (recv(fd, &c, 1, 0) == 1 || errno == EINTR))
            ;
        close(fd);   /* all it sent was read: a FIN, not a reset */
        for (;;)
            pause();
    }
    close(lfd);
    sl_note("the test's server on %s port %d reads one line and closes without an echo", host,
            *port);
    return pid;
}

SL_NET_TEST(client_says_the_server_closed_early, 1, 0,
            "The server closed the connection before the echo came: tcp_read_line() "
            "returned 0 while a line was awaited. That is an error: say so in one line, "
            "\"echo-client: what failed: reason\", and exit with status 1.")
{
    sl_run_t r;
    const char *args[3] = {host, NULL, NULL};
    char what[160];
    int port;
    pid_t closer;

    client_echoes(host, "works\n", 6, "works\n", 6, "one line");
    closer = closer_start(host, &port);
    args[1] = sl_port_text(port);
    snprintf(what, sizeof what, "echo-client %s %d (a server that reads the line and closes "
             "without an echo) with one line on stdin", host, port);
    SL_RUN(&r, "echo-client", args, "hello\n", 6, 4000);
    kill(closer, SIGKILL);
    waitpid(closer, NULL, 0);
    if (sl_run_status(&r) == 0)
        SL_FAIL("%s exited with status 0: the end of the stream came instead of the echo of "
                "\"hello\\n\", and that is a failure (exit status 1, one line on stderr), not "
                "the end of the work", what);
    else if (sl_check_exit(&r, what, 1))
        sl_check_error_line(&r, what, NULL);
    sl_run_free(&r);
}

SL_TEST(client_command_line, 1,
        "echo-client HOST PORT, exactly two arguments, the port a number from 1 to 65535 "
        "in decimal digits alone: anything else is bad usage, exit status 2 with the usage "
        "on stderr. getaddrinfo() takes \"+7\" as 7 and \"\" as 0: check before.")
{
    static const char *const none[] = {NULL}, *const one[] = {"127.0.0.1", NULL},
                            *const three[] = {"127.0.0.1", "7", "8", NULL},
                            *const letters[] = {"127.0.0.1", "seven", NULL},
                            *const trailing[] = {"127.0.0.1", "7x", NULL},
                            *const plus[] = {"127.0.0.1", "+7", NULL},
                            *const empty[] = {"127.0.0.1", "", NULL},
                            *const zero[] = {"127.0.0.1", "0", NULL},
                            *const big[] = {"127.0.0.1", "65536", NULL};

    client_echoes("127.0.0.1", "works\n", 6, "works\n", 6, "one line");
    sl_check_bad_usage("echo-client", none, "(no arguments)");
    sl_check_bad_usage("echo-client", one, "127.0.0.1 (no port)");
    sl_check_bad_usage("echo-client", three, "127.0.0.1 7 8 (an argument too many)");
    sl_check_bad_usage("echo-client", letters, "127.0.0.1 seven (a port that is not a number)");
    sl_check_bad_usage("echo-client", trailing, "127.0.0.1 7x (a number, then a letter)");
    sl_check_bad_usage("echo-client", plus, "127.0.0.1 +7 (a sign: digits alone)");
    sl_check_bad_usage("echo-client", empty, "127.0.0.1 \"\" (an empty port)");
    sl_check_bad_usage("echo-client", zero, "127.0.0.1 0 (port 0: no server has it)");
    sl_check_bad_usage("echo-client", big, "127.0.0.1 65536 (a port too large)");
}

SL_TEST_TIMEOUT(client_says_why_it_cannot_resolve, 1, 15000,
                "A host that does not resolve is an error: one line \"echo-client: what "
                "failed: reason\" on stderr, exit status 1.")
{
    static const char *const args[] = {"no-such-host.invalid", "7", NULL};
    sl_run_t r;

    client_echoes("127.0.0.1", "works\n", 6, "works\n", 6, "one line");
    SL_RUN(&r, "echo-client", args, "hello\n", 6, 12000);
    if (sl_check_exit(&r, "echo-client no-such-host.invalid 7 (a name that never resolves)", 1))
        sl_check_error_line(&r, "echo-client no-such-host.invalid 7", NULL);
    sl_run_free(&r);
}
