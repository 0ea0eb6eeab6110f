/* names.h - what both kinds of lesson 08 tests share: a folder of the
 * test's own for socket files (short: sun_path holds 108 bytes), removed
 * when the test ends however it ends; abstract names no other test uses;
 * Unix-domain addresses, listeners and connections made with the test's
 * own code (never the student's); and a second uid, where the machine
 * gives the test one. */
#ifndef NAMES_H
#define NAMES_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* setresuid(), getresuid(): include this file first */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/TestRun.h>

#include "sl_harness.h"
#include "sl_checks.h"
#include "sl_sockets.h"
#include "sl_util.h"
#include "sl_test.h"

#define NM_SUN_OFFSET offsetof(struct sockaddr_un, sun_path)

/* ---- the test's folder -------------------------------------------------------
 * /tmp/sl08-XXXXXX, made on first use. CUnit calls its test-complete
 * handler once the body has returned or a fatal check has ended it, so
 * the folder goes either way (a crash leaves it: under the grader's
 * namespaces /tmp is the test's own, and goes with it). */

static char nm_dir_path[64];
static pid_t nm_dir_owner;

static inline void nm_dir_remove(void)
{
    DIR *d;
    struct dirent *e;
    char path[sizeof nm_dir_path + sizeof e->d_name + 2];

    if (!nm_dir_path[0] || getpid() != nm_dir_owner)
        return;
    d = opendir(nm_dir_path);
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", nm_dir_path, e->d_name);
        if (unlink(path) < 0)
            rmdir(path);   /* a folder a test made */
    }
    if (d)
        closedir(d);
    chmod(nm_dir_path, 0700);
    rmdir(nm_dir_path);
    nm_dir_path[0] = '\0';
}

static inline void nm_on_complete(const CU_pTest test, const CU_pSuite suite,
                                  const CU_pFailureRecord failure)
{
    (void)test;
    (void)suite;
    (void)failure;
    nm_dir_remove();
}

/* The test's folder, made on first use. */
static inline const char *nm_dir(void)
{
    if (!nm_dir_path[0]) {
        snprintf(nm_dir_path, sizeof nm_dir_path, "/tmp/sl08-XXXXXX");
        if (mkdtemp(nm_dir_path) == NULL) {
            nm_dir_path[0] = '\0';
            SL_FAIL_FATAL("test setup: cannot make a folder in /tmp: %s", strerror(errno));
        }
        nm_dir_owner = getpid();
        CU_set_test_complete_handler(nm_on_complete);
    }
    return nm_dir_path;
}

/* DIR/leaf, in a static buffer (one of a few used in turn). */
static inline const char *nm_path(const char *leaf)
{
    static char bufs[8][160];
    static unsigned next;
    char *b = bufs[next++ % 8];

    snprintf(b, sizeof bufs[0], "%s/%s", nm_dir(), leaf);
    return b;
}

/* "@sl08-PID-leaf": an abstract name no other test uses (each test has a
 * network namespace of its own under the grader, and its own pid). */
static inline const char *nm_abstract(const char *leaf)
{
    static char bufs[8][120];
    static unsigned next;
    char *b = bufs[next++ % 8];

    snprintf(b, sizeof bufs[0], "@sl08-%d-%s", (int)getpid(), leaf);
    return b;
}

/* ---- addresses, by the test's own code -------------------------------------- */

/* Fills sun from a name ("@..." abstract): its exact length. */
static inline socklen_t nm_sun(struct sockaddr_un *sun, const char *name)
{
    size_t n = strlen(name);

    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (name[0] == '@') {
        memcpy(sun->sun_path + 1, name + 1, n - 1);
        return (socklen_t)(NM_SUN_OFFSET + n);
    }
    memcpy(sun->sun_path, name, n + 1);
    return (socklen_t)(NM_SUN_OFFSET + n + 1);
}

/* An address as text, every NUL of an abstract name as '@', in a static
 * buffer (one of a few in turn): what ss(8) would show. */
static inline const char *nm_text(const struct sockaddr_un *sun, socklen_t len)
{
    static char bufs[4][120];
    static unsigned next;
    char *b = bufs[next++ % 4];
    size_t n = len > NM_SUN_OFFSET ? len - NM_SUN_OFFSET : 0, i;

    if (n > sizeof sun->sun_path)
        n = sizeof sun->sun_path;
    if (n == 0)
        return "(unnamed)";
    if (sun->sun_path[0] != '\0')
        n = strnlen(sun->sun_path, n);
    for (i = 0; i < n && i < sizeof bufs[0] - 1; i++)
        b[i] = sun->sun_path[i] == '\0' ? '@' : sun->sun_path[i];
    b[i] = '\0';
    return b;
}

/* The name fd is bound to, as text ("(unnamed)", "@x", "/tmp/..."). */
static inline const char *nm_bound(int fd)
{
    struct sockaddr_un sun;
    socklen_t len = sizeof sun;

    if (getsockname(fd, (struct sockaddr *)&sun, &len) < 0)
        return "(getsockname failed)";
    return nm_text(&sun, len);
}

/* A socket of the test's listening on name; ends the test if it cannot. */
static inline int nm_listener(const char *name, int type, int backlog)
{
    struct sockaddr_un sun;
    socklen_t len = nm_sun(&sun, name);
    int fd = socket(AF_UNIX, type, 0);

    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) < 0 ||
        (type != SOCK_DGRAM && listen(fd, backlog) < 0))
        SL_FAIL_FATAL("test setup: cannot bind to %s: %s", name, strerror(errno));
    return fd;
}

/* A connection of the test's to name, or -1 with errno. */
static inline int nm_connect(const char *name, int type)
{
    struct sockaddr_un sun;
    socklen_t len = nm_sun(&sun, name);
    int fd = socket(AF_UNIX, type, 0);

    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sun, len) < 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Leaves a stale socket file at path: bound, then closed. */
static inline void nm_stale(const char *path, int type)
{
    close(nm_listener(path, type, 1));
}

/* The inode of what is at path (lstat), 0 if nothing. */
static inline ino_t nm_inode(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 ? st.st_ino : 0;
}

/* Does a connection to path reach the listener lfd (the test's own, not
 * another socket bound there since)? 1 yes. */
static inline int nm_reaches(const char *path, int lfd)
{
    struct sockaddr_un sun;
    socklen_t len = nm_sun(&sun, path);
    int c = socket(AF_UNIX, SOCK_STREAM, 0), a = -1;
    struct pollfd p = {.fd = lfd, .events = POLLIN};

    if (c >= 0 && connect(c, (struct sockaddr *)&sun, len) == 0 &&
        poll(&p, 1, sl_scaled_ms(300)) > 0)
        a = accept(lfd, NULL, NULL);
    if (a >= 0)
        close(a);
    if (c >= 0)
        close(c);
    return a >= 0;
}

/* Is there a socket at path? */
static inline int nm_is_socket(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Writes a regular file at path with text; ends the test if it cannot. */
static inline void nm_regular(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
        SL_FAIL_FATAL("test setup: cannot write %s: %s", path, strerror(errno));
}

/* What a regular file at path holds (up to 255 bytes), "" if none. */
static inline const char *nm_contents(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    size_t n = 0;

    if (f != NULL) {
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    return buf;
}

/* ---- descriptors ---------------------------------------------------------------- */

static inline int nm_is_cloexec(int fd)
{
    int f = fcntl(fd, F_GETFD);

    return f >= 0 && (f & FD_CLOEXEC);
}

/* ---- a second uid ----------------------------------------------------------------
 * A peer of another uid needs a process that can become one: as root
 * (CAP_SETUID), user nobody; an unprivileged process whose saved uid
 * differs from its own (setresuid(2) lets it switch to that one). Under
 * the grader as root every test runs as an unprivileged uid of its own,
 * with none: the tests that need one then say so and check what they can. */

/* The uid a child of this test can become, into *uid: 1, or 0 if none
 * (why, in words, in *why). */
static inline int nm_second_uid(uid_t *uid, const char **why)
{
    uid_t r, e, s;

    if (getresuid(&r, &e, &s) == 0 && s != e) {
        *uid = s;
        return 1;
    }
    if (e == 0 && setgroups(0, NULL) == 0) {   /* only root may: a probe */
        *uid = 65534;
        return 1;
    }
    *why = e == 0 ? "it runs as root, but may not change its groups (no CAP_SETGID)"
                  : "it runs as an unprivileged uid, with no second uid it may switch to";
    return 0;
}

/* In a child: become uid (and group nobody) for good; 0, or -1. */
static inline int nm_become(uid_t uid)
{
    if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(65534) < 0))
        return -1;
    return setresuid(uid, uid, uid);
}

#endif
