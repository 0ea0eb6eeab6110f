/* Task 6: peer credentials (ux_peer_cred, ux_peer_allowed). The peers
 * are children of the test that connect to a listener of the test's; one
 * of another uid where the machine gives the test a second uid. */
#include "testutil.h"

SL_TASK(6, "Peer credentials");

/* A child that connects to name (and, with uid not (uid_t)-1, first
 * becomes uid), then waits to be closed. Its pid. */
static pid_t peer_child(const char *name, uid_t uid)
{
    pid_t pid;

    pid = sl_fork();
    if (pid == 0) {
        char c;
        int fd;

        if (uid != (uid_t)-1 && nm_become(uid) < 0)
            _exit(3);
        fd = nm_connect(name, SOCK_STREAM);
        if (fd < 0)
            _exit(2);
        recv(fd, &c, 1, 0);   /* until the test closes */
        _exit(0);
    }
    return pid;
}

SL_TEST(peer_cred_names_the_connecting_process, 4,
        "getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) with a struct ucred "
        "(_GNU_SOURCE): pid, uid and gid of the process that connected, the child here, "
        "not this process (getpid() and getuid() are who you are, not who the peer is).")
{
    const char *name = nm_abstract("cred");
    int lfd = nm_listener(name, SOCK_STREAM, 4), a;
    pid_t child = peer_child(name, (uid_t)-1), pid = 0;
    uid_t uid = 12345;
    gid_t gid = 12345;

    a = sl_accept_within(lfd, 2000);
    if (a < 0)
        SL_FAIL_FATAL("test setup: the child never connected");
    SL_RETURNS(ux_peer_cred(a, &pid, &uid, &gid), 0);
    SL_HINT("The peer's pid is the child's: the kernel took it at connect(). getpid() is "
            "the test's own.")
    {
        SL_CHECK_INT("the pid ux_peer_cred() gave (the child that connected)", pid, child);
    }
    SL_CHECK_INT("the uid ux_peer_cred() gave", uid, geteuid());
    SL_CHECK_INT("the gid ux_peer_cred() gave", gid, getegid());
    pid = 0;
    SL_RETURNS(ux_peer_cred(a, &pid, NULL, NULL), 0);
    SL_CHECK_INT("the pid of ux_peer_cred(fd, &pid, NULL, NULL) (NULL: not wanted)", pid, child);
    close(a);
    sl_reap(child, 2000);
    close(lfd);
}

SL_TEST(peer_cred_of_a_socketpair_and_of_nothing, 2,
        "socketpair() records the credentials of the process that made it, on both ends. A "
        "socket with no peer gives pid 0 (ENOTCONN); a socket that is not AF_UNIX has none "
        "(ask SO_DOMAIN: EAFNOSUPPORT); a descriptor that is not a socket: ENOTSOCK.")
{
    int sv[2], lone = socket(AF_UNIX, SOCK_STREAM, 0), tcp = socket(AF_INET, SOCK_STREAM, 0), p[2];
    pid_t pid = 0;

    tu_socketpair(SOCK_STREAM, sv);
    tu_pipe(p);
    SL_RETURNS(ux_peer_cred(sv[1], &pid, NULL, NULL), 0);
    SL_CHECK_INT("the pid of a socketpair's peer (this process made it)", pid, getpid());
    TU_FAILS_WITH(ux_peer_cred(lone, &pid, NULL, NULL), ENOTCONN);
    TU_FAILS_WITH(ux_peer_cred(tcp, &pid, NULL, NULL), EAFNOSUPPORT);
    TU_FAILS_WITH(ux_peer_cred(p[0], &pid, NULL, NULL), ENOTSOCK);
    TU_FAILS_WITH(ux_peer_cred(-1, &pid, NULL, NULL), EBADF);
    close(sv[0]);
    close(sv[1]);
    close(lone);
    close(tcp);
    close(p[0]);
    close(p[1]);
}

/* With a second uid: a child of that uid connects; ux_peer_cred() must
 * give its uid, and ux_peer_allowed(fd, ours) refuse it. */
static void refuse_a_real_second_uid(void)
{
    const char *name = nm_abstract("other"), *why = NULL;
    uid_t other, uid = 0;
    int lfd, a;
    pid_t child;

    if (!nm_second_uid(&other, &why)) {
        sl_note("a peer of a second uid: skipped, as this test has none (%s); the refusal "
                "was checked with another uid given to ux_peer_allowed() instead", why);
        return;
    }
    lfd = nm_listener(name, SOCK_STREAM, 4);
    child = peer_child(name, other);
    a = sl_accept_within(lfd, 2000);
    if (a < 0)
        SL_FAIL_FATAL("test setup: the child of uid %u never connected", (unsigned)other);
    sl_note("a child of uid %u connected to %s (an abstract name: no permissions, anyone "
            "may connect)", (unsigned)other, name);
    SL_RETURNS(ux_peer_cred(a, NULL, &uid, NULL), 0);
    SL_CHECK_INT("the uid ux_peer_cred() gave for a peer of another user", uid, other);
    SL_HINT("Compare the peer's uid (SO_PEERCRED) with the one allowed, not your own "
            "getuid(): here the peer is another user.")
    {
        TU_FAILS_WITH(ux_peer_allowed(a, geteuid()), EACCES);
        SL_RETURNS(ux_peer_allowed(a, other), 0);
    }
    close(a);
    sl_reap(child, 2000);
    close(lfd);
}

SL_TEST(peer_allowed_refuses_another_uid, 4,
        "ux_peer_allowed(fd, uid): the peer's uid from ux_peer_cred(), compared with uid: 0 "
        "when they are equal, -1 with EACCES when not. Where the test has a second uid, a "
        "peer of that uid must be refused too.")
{
    const char *name = nm_abstract("allow");
    int lfd = nm_listener(name, SOCK_STREAM, 4), a;
    pid_t child = peer_child(name, (uid_t)-1);

    a = sl_accept_within(lfd, 2000);
    if (a < 0)
        SL_FAIL_FATAL("test setup: the child never connected");
    SL_RETURNS(ux_peer_allowed(a, geteuid()), 0);
    TU_FAILS_WITH(ux_peer_allowed(a, geteuid() + 1), EACCES);
    TU_FAILS_WITH(ux_peer_allowed(a, 0 == geteuid() ? 65534 : 0), EACCES);
    TU_FAILS_WITH(ux_peer_allowed(-1, geteuid()), EBADF);
    close(a);
    sl_reap(child, 2000);
    close(lfd);
    refuse_a_real_second_uid();
}
