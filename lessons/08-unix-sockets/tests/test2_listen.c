/* Task 2: listening, connecting and stale sockets (ux_remove_stale,
 * ux_listen, ux_connect). The files, servers and clients at the other
 * end are the test's own, in a folder of its own. */
#include "testutil.h"

SL_TASK(2, "Listening, connecting and stale sockets");

/* ux_listen(name, type, backlog) must return a socket, or the test ends. */
static int listen_ok(const char *name, int type, int backlog)
{
    int fd;

    errno = 0;
    fd = ux_listen(name, type, backlog);
    if (fd < 0)
        SL_FAIL_FATAL("ux_listen(\"%s\", %s, %d) returned %s: expected a listening socket",
                      name, tu_type_name(type), backlog, sl_returned(fd, errno));
    return fd;
}

/* The socket lfd must take a connection of the test's to name. */
static void takes_a_client(int lfd, const char *name, int type)
{
    int c = nm_connect(name, type), a;

    if (c < 0) {
        SL_FAIL("a client of the test's cannot connect to %s, where ux_listen() listens: %s",
                name, strerror(errno));
        return;
    }
    a = sl_accept_within(lfd, 1000);
    if (a < 0)
        SL_FAIL("a client connected to %s, but accept() on the socket of ux_listen() got "
                "no connection", name);
    else
        close(a);
    close(c);
}

SL_TEST(listen_on_a_path, 3,
        "ux_listen(path, SOCK_STREAM, n): socket(AF_UNIX, type, 0), bind() to the address "
        "ux_addr() gives, chmod(path, 0600) and listen(): the file is a socket of mode "
        "0600, and a client connects.")
{
    const char *path = nm_path("listen.sock");
    int fd = listen_ok(path, SOCK_STREAM, 4);
    struct stat st;

    SL_CHECK_INT("SO_ACCEPTCONN of the socket of ux_listen() (1: it listens)",
                 tu_option(fd, SO_ACCEPTCONN), 1);
    SL_CHECK_INT("SO_DOMAIN of the socket of ux_listen() (AF_UNIX)", tu_option(fd, SO_DOMAIN),
                 AF_UNIX);
    SL_CHECK_STR("the name the socket of ux_listen() is bound to", nm_bound(fd), path);
    if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
        SL_FAIL("after ux_listen(\"%s\") there is no socket file at that path", path);
    SL_HINT("Between bind() and listen(), chmod(path, 0600): connect() needs write "
            "permission on the socket file, and 0600 leaves it to this user alone. (bind() "
            "makes the file 0777 less the umask: with a umask of 0, anyone could connect.)")
    {
        SL_CHECK_INT("the mode of the socket file (st_mode & 0777, in decimal: 0600 is 384)",
                     st.st_mode & 0777, 0600);
    }
    takes_a_client(fd, path, SOCK_STREAM);
    close(fd);
}

SL_TEST(listen_on_an_abstract_name, 3,
        "ux_listen(\"@NAME\", ...) binds to the address ux_addr() gives, with its exact "
        "length: no file is made, and a client that connects with that length reaches it. "
        "chmod() is for paths only.")
{
    const char *name = nm_abstract("listen");
    int fd = listen_ok(name, SOCK_STREAM, 4);
    const char *bound = nm_bound(fd);

    if (strncmp(bound, name, strlen(name)) == 0 && strlen(bound) > strlen(name))
        SL_FAIL_FATAL("the socket of ux_listen(\"%s\") is bound to %s: the name and NUL "
                      "bytes after it, because bind() was given sizeof(struct sockaddr_un) "
                      "as the length. Every byte up to the length is part of an abstract "
                      "name: give the length ux_addr() returns", name, bound);
    SL_CHECK_STR("the name the socket of ux_listen(\"@...\") is bound to", bound, name);
    takes_a_client(fd, name, SOCK_STREAM);
    close(fd);
}

SL_TEST(listen_seqpacket, 2,
        "ux_listen(name, SOCK_SEQPACKET, n) makes a socket of that type: pass type to "
        "socket() as it is. Any other type than SOCK_STREAM and SOCK_SEQPACKET (a datagram "
        "socket does not listen), or a negative backlog, is EINVAL.")
{
    const char *name = nm_abstract("seq");
    int fd = listen_ok(name, SOCK_SEQPACKET, 4), before;

    SL_CHECK_INT("SO_TYPE of ux_listen(..., SOCK_SEQPACKET, ...)", tu_option(fd, SO_TYPE),
                 SOCK_SEQPACKET);
    takes_a_client(fd, name, SOCK_SEQPACKET);
    close(fd);
    before = sl_fd_count(0);
    TU_FAILS_WITH(ux_listen(nm_abstract("dgram"), SOCK_DGRAM, 4), EINVAL);
    TU_FAILS_WITH(ux_listen(nm_abstract("neg"), SOCK_STREAM, -1), EINVAL);
    TU_FAILS_WITH(ux_listen(NULL, SOCK_STREAM, 4), EINVAL);
    TU_FAILS_WITH(ux_listen("", SOCK_STREAM, 4), EINVAL);
    TU_NO_FD_LEAK(before, "ux_listen() with bad arguments");
}

SL_TEST(listen_replaces_a_stale_socket, 3,
        "A server that died left its socket file: bind() fails with EADDRINUSE. Call "
        "ux_remove_stale(path): it proves the file stale (a connect() refused) and "
        "removes it; then bind() once more.")
{
    const char *path = nm_path("stale.sock");
    int fd;

    nm_stale(path, SOCK_STREAM);
    sl_note("a stale socket file at %s: bound by the test, then closed", path);
    fd = listen_ok(path, SOCK_STREAM, 4);
    takes_a_client(fd, path, SOCK_STREAM);   /* the stale file refused: this one listens */
    close(fd);
}

SL_TEST(listen_leaves_a_file_that_is_not_a_socket, 4,
        "bind() fails with EADDRINUSE whatever is at the path: a file of the user's too. "
        "Never unlink() it: ux_remove_stale() lstat()s first and leaves anything but a "
        "socket alone. ux_listen() then fails with EADDRINUSE.")
{
    const char *path = nm_path("precious.txt"), *dir = nm_path("a-folder");
    int fd, err;

    nm_regular(path, "the user's data\n");
    errno = 0;
    SL_QUIET_CALL(fd, ux_listen(path, SOCK_STREAM, 4));
    err = errno;
    if (fd >= 0)
        close(fd);
    if (!nm_is_socket(path) && nm_inode(path) == 0)
        SL_FAIL_FATAL("ux_listen(\"%s\") removed the regular file that was there (it held "
                      "\"the user's data\\n\"): only a socket file nobody listens on may be "
                      "removed; lstat() it and leave anything else alone", path);
    if (nm_is_socket(path))
        SL_FAIL_FATAL("ux_listen(\"%s\") replaced the regular file that was there with its "
                      "socket: leave a file that is not a socket alone (EADDRINUSE)", path);
    SL_CHECK_STR("the regular file after ux_listen() on its path", nm_contents(path),
                 "the user's data\n");
    SL_CHECK_INT("ux_listen() on a regular file's path: returned", fd, -1);
    if (fd == -1 && err != EADDRINUSE)
        SL_FAIL("ux_listen() on a regular file's path: expected -1 with errno %s, got -1 "
                "with %s: bind() said EADDRINUSE, and ux_remove_stale()'s ENOTSOCK says "
                "only why the file stays; the caller wants bind()'s answer",
                sl_errno_text(EADDRINUSE), sl_errno_text(err));
    if (mkdir(dir, 0700) < 0)
        SL_FAIL_FATAL("test setup: mkdir: %s", strerror(errno));
    errno = 0;
    fd = ux_listen(dir, SOCK_STREAM, 4);
    if (fd >= 0)
        close(fd);
    if (nm_inode(dir) == 0)
        SL_FAIL("ux_listen(\"%s\") removed the folder that was there", dir);
    else if (fd >= 0)
        SL_FAIL("ux_listen(\"%s\") on a folder's path returned a socket", dir);
}

SL_TEST(listen_leaves_a_live_server_alone, 4,
        "A live server's socket file also makes bind() fail with EADDRINUSE: the probe's "
        "connect() succeeds (or says EAGAIN, or EPROTOTYPE). Leave it: ux_listen() fails "
        "with EADDRINUSE, and the server keeps its clients.")
{
    const char *path = nm_path("live.sock");
    int lfd = nm_listener(path, SOCK_STREAM, 4), fd;
    ino_t ino = nm_inode(path);

    sl_note("a live server of the test's listens on %s", path);
    errno = 0;
    fd = ux_listen(path, SOCK_STREAM, 4);
    if (fd >= 0)
        close(fd);
    if (nm_inode(path) != ino || !nm_reaches(path, lfd))
        SL_FAIL_FATAL("ux_listen(\"%s\") removed the socket file of a live server (and %s): "
                      "the server that listens there lost every new client. Probe first: "
                      "only ECONNREFUSED says the file is stale", path,
                      fd >= 0 ? "listened there itself" : "then failed");
    if (fd >= 0)
        SL_FAIL("ux_listen(\"%s\") returned a socket while a live server holds the path", path);
    else if (errno != EADDRINUSE)
        SL_FAIL("ux_listen(\"%s\") on a live server's path: expected -1 with errno %s, got "
                "%s", path, sl_errno_text(EADDRINUSE), sl_returned(-1, errno));
    takes_a_client(lfd, path, SOCK_STREAM);
    close(lfd);
}

SL_TEST(listen_failure_leaves_no_descriptor, 1,
        "Close the socket on every path where ux_listen() or ux_connect() fails: a name in "
        "use, no such folder, nothing listening. Save errno across the close().")
{
    const char *path = nm_path("busy.sock"), *name = nm_abstract("busy");
    int a = nm_listener(path, SOCK_STREAM, 1), b = nm_listener(name, SOCK_STREAM, 1);
    int before = sl_fd_count(0);

    TU_FD_FAILS_WITH(ux_listen(path, SOCK_STREAM, 4), EADDRINUSE);
    TU_FD_FAILS_WITH(ux_listen(name, SOCK_STREAM, 4), EADDRINUSE);
    TU_FD_FAILS_WITH(ux_listen(nm_path("no/such/folder.sock"), SOCK_STREAM, 4), ENOENT);
    TU_FD_FAILS_WITH(ux_connect(nm_path("nothing.sock"), SOCK_STREAM), ENOENT);
    TU_FD_FAILS_WITH(ux_connect(nm_abstract("nobody"), SOCK_STREAM), ECONNREFUSED);
    TU_NO_FD_LEAK(before, "ux_listen() and ux_connect() that failed");
    close(a);
    close(b);
}

SL_TEST(remove_stale_removes_a_stale_socket, 2,
        "ux_remove_stale(path): lstat() says S_ISSOCK(); a non-blocking connect() fails "
        "with ECONNREFUSED: nobody is bound to it any more. unlink() it and return 0.")
{
    static const int types[] = {SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM};

    for (size_t i = 0; i < SL_COUNT(types); i++) {
        char leaf[32];
        const char *path;

        snprintf(leaf, sizeof leaf, "stale-%zu.sock", i);
        path = nm_path(leaf);
        nm_stale(path, types[i]);
        SL_HINT("A stale file of any type refuses a SOCK_STREAM probe with ECONNREFUSED: "
                "one probe does for all.")
        {
            SL_RETURNS(ux_remove_stale(path), 0);
        }
        if (nm_inode(path) != 0)
            SL_FAIL("after ux_remove_stale() of the stale %s socket %s, the file is still "
                    "there", tu_type_name(types[i]), path);
    }
    TU_FAILS_WITH(ux_remove_stale(nm_path("never-was.sock")), ENOENT);
}

SL_TEST(remove_stale_leaves_what_is_not_a_socket, 3,
        "lstat() (not stat(): it follows a symbolic link) and S_ISSOCK(st.st_mode): a "
        "regular file, a folder, a symbolic link (even to a stale socket) is not a socket: "
        "-1 with ENOTSOCK, and the file stays. A connect() to a regular file is refused "
        "too, like a stale socket: the probe alone cannot tell.")
{
    const char *file = nm_path("notes.txt"), *dir = nm_path("folder"),
               *stale = nm_path("target.sock"), *link = nm_path("link.sock");

    nm_regular(file, "keep me\n");
    if (mkdir(dir, 0700) < 0)
        SL_FAIL_FATAL("test setup: mkdir: %s", strerror(errno));
    nm_stale(stale, SOCK_STREAM);
    if (symlink(stale, link) < 0)
        SL_FAIL_FATAL("test setup: symlink: %s", strerror(errno));
    TU_FAILS_WITH(ux_remove_stale(file), ENOTSOCK);
    if (nm_inode(file) == 0)
        SL_FAIL_FATAL("ux_remove_stale(\"%s\") removed a regular file (connect() to it is "
                      "refused, as to a stale socket: lstat() and S_ISSOCK() first)", file);
    SL_CHECK_STR("the regular file after ux_remove_stale()", nm_contents(file), "keep me\n");
    TU_FAILS_WITH(ux_remove_stale(dir), ENOTSOCK);
    if (nm_inode(dir) == 0)
        SL_FAIL("ux_remove_stale(\"%s\") removed a folder", dir);
    TU_FAILS_WITH(ux_remove_stale(link), ENOTSOCK);
    if (nm_inode(link) == 0)
        SL_FAIL("ux_remove_stale(\"%s\") removed a symbolic link (to a stale socket): "
                "lstat() it, stat() follows the link", link);
    if (nm_inode(stale) == 0)
        SL_FAIL("ux_remove_stale(\"%s\"), a symbolic link, removed the socket it points to",
                link);
    TU_FAILS_WITH(ux_remove_stale(NULL), EINVAL);
    TU_FAILS_WITH(ux_remove_stale(""), EINVAL);
    TU_FAILS_WITH(ux_remove_stale("@abstract"), EINVAL);
}

SL_TEST_TIMEOUT(remove_stale_leaves_live_sockets, 3, 4000,
                "A live socket answers the probe: a connection, EAGAIN (a server whose "
                "backlog is full: probe with a SOCK_NONBLOCK socket, or it waits), or "
                "EPROTOTYPE (a live socket of another type). Any of them: leave the file, "
                "-1 with EADDRINUSE. Close the probe.")
{
    const char *path = nm_path("live.sock"), *seq = nm_path("live-seq.sock"),
               *dgram = nm_path("live-dgram.sock"), *full = nm_path("full.sock");
    int a = nm_listener(path, SOCK_STREAM, 4), b = nm_listener(seq, SOCK_SEQPACKET, 4);
    int c = nm_listener(dgram, SOCK_DGRAM, 0), d = nm_listener(full, SOCK_STREAM, 0);
    int filler = -1, before;

    /* Backlog 0 queues one connection: the next one waits (or EAGAIN). */
    for (int i = 0; i < 4 && filler < 0; i++) {
        filler = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        struct sockaddr_un sun;
        socklen_t len = nm_sun(&sun, full);

        if (connect(filler, (struct sockaddr *)&sun, len) < 0) {
            close(filler);
            filler = -1;
        }
    }
    before = sl_fd_count(0);
    TU_FAILS_WITH(ux_remove_stale(path), EADDRINUSE);
    SL_HINT("A SOCK_STREAM probe of a live SOCK_SEQPACKET or SOCK_DGRAM socket fails with "
            "EPROTOTYPE: the socket is alive, only of another type. Only ECONNREFUSED "
            "means stale.")
    {
        TU_FAILS_WITH(ux_remove_stale(seq), EADDRINUSE);
        TU_FAILS_WITH(ux_remove_stale(dgram), EADDRINUSE);
    }
    SL_HINT("A server whose backlog is full: a non-blocking probe's connect() fails with "
            "EAGAIN (a blocking one would wait until the server accepts). It is alive.")
    {
        /* In a child, so that a probe that waits is seen, and named, in time. */
        pid_t pid;
        int st;

        fflush(NULL);
        pid = fork();
        if (pid == 0) {
            errno = 0;
            _exit(ux_remove_stale(full) == -1 && errno == EADDRINUSE ? 0
                  : nm_inode(full) == 0 ? 2 : 1);
        }
        st = sl_reap(pid, 1000);
        if (st < 0)
            SL_FAIL("ux_remove_stale() of a live server whose backlog is full did not return "
                    "within 1 s: a blocking probe waits in connect() until the server "
                    "accepts, which may be never. Make the probe SOCK_NONBLOCK: it then fails "
                    "with EAGAIN, which says alive");
        else if (st == 2)
            SL_FAIL("ux_remove_stale() removed the socket file of a live server whose backlog "
                    "is full (its probe failed with EAGAIN: alive)");
        else if (st != 0)
            SL_FAIL("ux_remove_stale() of a live server whose backlog is full: expected -1 with "
                    "errno EADDRINUSE (the probe says EAGAIN: alive)");
    }
    TU_NO_FD_LEAK(before, "ux_remove_stale() of live sockets (the probe)");
    if (nm_inode(path) == 0 || nm_inode(seq) == 0 || nm_inode(dgram) == 0 || nm_inode(full) == 0)
        SL_FAIL("ux_remove_stale() removed the file of a live socket:%s%s%s%s",
                nm_inode(path) ? "" : " a stream listener's", nm_inode(seq) ? "" : " a "
                "seqpacket listener's", nm_inode(dgram) ? "" : " a bound datagram socket's",
                nm_inode(full) ? "" : " a listener's whose backlog was full");
    close(a);
    close(b);
    close(c);
    close(d);
    if (filler >= 0)
        close(filler);
}

SL_TEST(connect_to_each_kind_of_name, 3,
        "ux_connect(name, type): ux_addr(), socket(AF_UNIX, type, 0), connect() with the "
        "length ux_addr() gave. Return the socket.")
{
    const char *path = nm_path("srv.sock"), *name = nm_abstract("srv");
    int p = nm_listener(path, SOCK_STREAM, 4), a = nm_listener(name, SOCK_SEQPACKET, 4);
    int d = nm_listener(nm_abstract("dg"), SOCK_DGRAM, 0), fd, s;
    char buf[8];

    TU_REQUIRE_FD(fd, ux_connect(path, SOCK_STREAM));
    s = sl_accept_within(p, 1000);
    if (s < 0)
        SL_FAIL("ux_connect(\"%s\", SOCK_STREAM) returned a socket, but the test's server "
                "there got no connection", path);
    else
        close(s);
    close(fd);
    TU_REQUIRE_FD(fd, ux_connect(name, SOCK_SEQPACKET));
    SL_CHECK_INT("SO_TYPE of ux_connect(..., SOCK_SEQPACKET)", tu_option(fd, SO_TYPE),
                 SOCK_SEQPACKET);
    s = sl_accept_within(a, 1000);
    if (s < 0)
        SL_FAIL("ux_connect(\"%s\", SOCK_SEQPACKET) returned a socket, but the test's "
                "server got no connection (an abstract name's length?)", name);
    else
        close(s);
    close(fd);
    TU_REQUIRE_FD(fd, ux_connect(nm_abstract("dg"), SOCK_DGRAM));
    if (send(fd, "hi", 2, 0) != 2 || recv(d, buf, sizeof buf, MSG_DONTWAIT) != 2)
        SL_FAIL("send() on ux_connect(\"@...\", SOCK_DGRAM) did not reach the test's "
                "datagram socket bound to that name");
    close(fd);
    close(p);
    close(a);
    close(d);
}

SL_TEST(connect_says_why_it_cannot, 2,
        "ux_connect() returns connect()'s errno: ECONNREFUSED for a stale socket or a file "
        "that is not a socket, ENOENT for no file, EPROTOTYPE for a socket of another "
        "type; EINVAL for a type it does not take.")
{
    const char *stale = nm_path("stale.sock"), *plain = nm_path("plain.txt"),
               *seq = nm_path("seq.sock");
    int s = nm_listener(seq, SOCK_SEQPACKET, 4);

    nm_stale(stale, SOCK_STREAM);
    nm_regular(plain, "text\n");
    TU_FAILS_WITH(ux_connect(stale, SOCK_STREAM), ECONNREFUSED);
    TU_FAILS_WITH(ux_connect(plain, SOCK_STREAM), ECONNREFUSED);
    TU_FAILS_WITH(ux_connect(seq, SOCK_STREAM), EPROTOTYPE);
    TU_FAILS_WITH(ux_connect(seq, SOCK_RAW), EINVAL);
    TU_FAILS_WITH(ux_connect(NULL, SOCK_STREAM), EINVAL);
    close(s);
}

SL_TEST(socket_file_mode_keeps_other_users_out, 1,
        "A peer of another uid cannot connect to a socket file of mode 0600: connect() "
        "needs write permission on it. The test sets its umask to 0, so that bind() makes "
        "the file 0777: only chmod() keeps others out. (Where the test has no second uid, "
        "it checks the mode only, and says so.)")
{
    const char *why = NULL, *path;
    uid_t other;
    pid_t pid;
    mode_t old_mask;
    int fd, st;

    chmod(nm_dir(), 0711);   /* others may pass through the folder, not list it */
    path = nm_path("mine.sock");
    old_mask = umask(0);   /* bind() then makes the file 0777: only chmod() keeps others out */
    fd = listen_ok(path, SOCK_STREAM, 4);
    umask(old_mask);
    if (!nm_second_uid(&other, &why)) {
        struct stat sb;

        sl_note("a connection from a second uid: skipped, as this test has none (%s); the "
                "file's mode is checked instead", why);
        if (lstat(path, &sb) < 0 || (sb.st_mode & 0777) != 0600)
            SL_FAIL("the socket file of ux_listen() has mode 0%o: expected 0600",
                    (unsigned)(sb.st_mode & 0777));
        close(fd);
        return;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        int c;

        if (nm_become(other) < 0)
            _exit(3);
        c = nm_connect(path, SOCK_STREAM);
        _exit(c >= 0 ? 1 : errno == EACCES ? 0 : 2);
    }
    st = sl_reap(pid, 2000);
    if (st == 1)
        SL_FAIL("a process of uid %u connected to %s, the socket file of ux_listen() (mode "
                "0600 keeps other users out: chmod() between bind() and listen())",
                (unsigned)other, path);
    else if (st != 0)
        SL_FAIL("test: the process of uid %u could not try (status %d)", (unsigned)other, st);
    close(fd);
}
