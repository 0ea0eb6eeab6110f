/* Task 5: forking (ss_process_fork), in the test's process: the request
 * runs in a child of the test, which tells the client what it sees. */
#include "fwutil.h"

SL_TASK(5, "Forking");

static int listener_fd = -1;

/* Says whether the child still holds the listening socket, then echoes. */
static int tell_and_echo(ss_request_t *req)
{
    char buf[256];
    ssize_t n;
    const char *says = fcntl(listener_fd, F_GETFD) < 0 ? "listener closed\n" : "listener open\n";

    if (ss_send(req, says, strlen(says)) < 0)
        return -1;
    while ((n = recv(req->fd, buf, sizeof buf, 0)) > 0)
        if (ss_send(req, buf, (size_t)n) < 0)
            return -1;
    return (int)n;
}

static const ss_handler_t tell_handler = {NULL, tell_and_echo, NULL};

SL_TEST_TIMEOUT(fork_child_closes_the_listener_parent_the_connection, 4, 6000,
                "ss_process_fork(): after fork(), the child closes srv->fd (the listener: it "
                "serves one client), runs ss_run_request() and _exit()s; the parent closes "
                "req->fd (the child has its own copy) and frees the request. While the "
                "parent's copy is open, the client never sees the end of the stream.")
{
    fw_server_t f;
    ss_request_t *req;
    char got[128];
    int eof, c, status;
    size_t n;
    pid_t pid;

    fw_make(&f, SOCK_STREAM, SS_FORK, &tell_handler);
    listener_fd = f.srv.fd;
    c = cu_connect(f.port);
    sl_sleep_ms(20);
    req = calloc(1, sizeof *req);
    req->server = &f.srv;
    req->peerlen = sizeof req->peer;
    req->fd = accept(f.srv.fd, (struct sockaddr *)&req->peer, &req->peerlen);
    if (req->fd < 0)
        SL_FAIL_FATAL("test setup: accept: %s", strerror(errno));
    snprintf(req->peer_text, sizeof req->peer_text, "the test's client");
    {
        int fd = req->fd, rc;
        pid_t me = getpid();

        rc = ss_process_fork(&f.srv, req);
        if (getpid() != me)
            _exit(99);   /* the child came back here: the parent says so below */
        SL_CHECK_INT("ss_process_fork()", rc, 0);
        SL_HINT("The parent closes the connected socket once the child has it: else the "
                "parent runs out of descriptors after a few thousand clients, and no client "
                "ever sees the end of the stream.")
        {
            if (fcntl(fd, F_GETFD) >= 0)
                SL_FAIL("the parent not closing the connection: after ss_process_fork() the "
                        "parent still has the connected socket (descriptor %d) open", fd);
        }
    }
    SL_CHECK_INT("srv.forked after one ss_process_fork()", f.srv.forked, 1);
    send(c, "ping\n", 5, MSG_NOSIGNAL);
    shutdown(c, SHUT_WR);
    n = cu_read_all(c, got, sizeof got, 2000, &eof);
    close(c);
    pid = wait(&status);
    if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 99)
        SL_FAIL_FATAL("the child returned from ss_process_fork(): it must _exit() once "
                      "ss_run_request() has run, never return into the server's loop (the test "
                      "ended that child)");
    SL_HINT("The child closes the listening socket first: it serves one client, and must not "
            "keep the server's port open once the server has gone.")
    {
        if (n >= 14 && memcmp(got, "listener open\n", 14) == 0)
            SL_FAIL("the child did not close the listener: it still held srv->fd when it ran "
                    "the request");
    }
    SL_CHECK_BYTES("what the client got from the child", got, n, "listener closed\nping\n", 21);
    if (eof != 1)
        SL_FAIL("the parent not closing the connection: the client got its echo but no end of "
                "the stream after the child ended (the parent's copy of the socket keeps it open)");
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        SL_FAIL("the child of a request that was served should _exit(0): it ended with status "
                "0x%x", status);
    fw_end(&f);
    ss_server_close(&f.srv);
}
