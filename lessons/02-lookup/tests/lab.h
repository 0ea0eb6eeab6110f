/* lab.h - lesson 02's lab: a process with an /etc/hosts of its own, where
 * host names are looked up in that file alone, so that a name with
 * aliases and several addresses of both families resolves the same way on
 * every machine, and no name server is ever asked.
 *
 * lab_enter() gives the calling process (it must be single-threaded) a
 * user namespace and a mount namespace of its own, where a file is bound
 * over /etc/hosts and a small nsswitch.conf ("hosts: files") over
 * /etc/nsswitch.conf. Nothing changes for any other process. Unprivileged
 * users may do this where the kernel allows user namespaces (Debian does;
 * Docker's default seccomp profile and Ubuntu's AppArmor policy do not):
 * elsewhere it fails, and the tests that need the lab skip those checks
 * with a note.
 *
 * Used by the tests (tests/testutil.h, tests/progutil.h) and by the tool
 * with-hosts (lessons/02-lookup/with-hosts.c). */
#ifndef LAB_H
#define LAB_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* The lab's /etc/hosts: documentation addresses only (RFC 5737, RFC 3849).
 * www.lab.example has three addresses of both families, and a line that
 * repeats one of them; web and www are aliases; v6only has IPv6 alone. */
#define LAB_HOSTS                                              \
    "# the /etc/hosts of lesson 02's lab\n"                    \
    "127.0.0.1\tlocalhost\n"                                   \
    "192.0.2.10\twww.lab.example www web\n"                    \
    "192.0.2.11\twww.lab.example\n"                            \
    "2001:db8::10\twww.lab.example www\n"                      \
    "192.0.2.10\twww.lab.example\n"                            \
    "198.51.100.7\tmail.lab.example mail\n"                    \
    "2001:db8::25\tv6only.lab.example v6only\n"

/* Hosts in files alone: no name server is asked. */
#define LAB_NSSWITCH                                           \
    "passwd: files\ngroup: files\nshadow: files\n"             \
    "hosts: files\nnetworks: files\n"                          \
    "protocols: files\nservices: files\n"

/* Writes text to path (which exists); 0 or -1. */
static inline int lab_write(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    size_t len = strlen(text);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = write(fd, text, len);
    close(fd);
    return n == (ssize_t)len ? 0 : -1;
}

/* A new file in /tmp holding text: its path in path (PATH_MAX), or -1. */
static inline int lab_temp_file(char *path, size_t size, const char *text)
{
    size_t len = strlen(text);
    int fd;

    snprintf(path, size, "/tmp/lab-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return -1;
    }
    return close(fd);
}

/* Says in why what failed (with errno's text); returns -1. */
static inline int lab_why(char *why, size_t whysz, const char *what)
{
    snprintf(why, whysz, "%s: %s", what, strerror(errno));
    return -1;
}

/* Gives this (single-threaded) process the lab: the file hosts as its
 * /etc/hosts, looked up alone. 0, or -1 with what failed in why. */
static inline int lab_enter(const char *hosts, char *why, size_t whysz)
{
    char map[64], conf[64];
    unsigned uid = (unsigned)geteuid(), gid = (unsigned)getegid();
    int rc;

    if (access(hosts, R_OK) < 0)
        return lab_why(why, whysz, hosts);
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
        return lab_why(why, whysz, "unshare(CLONE_NEWUSER | CLONE_NEWNS)");
    snprintf(map, sizeof map, "%u %u 1\n", uid, uid);
    if (lab_write("/proc/self/uid_map", map) < 0)
        return lab_why(why, whysz, "/proc/self/uid_map");
    if (lab_write("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
        return lab_why(why, whysz, "/proc/self/setgroups");
    snprintf(map, sizeof map, "%u %u 1\n", gid, gid);
    if (lab_write("/proc/self/gid_map", map) < 0)
        return lab_why(why, whysz, "/proc/self/gid_map");
    /* The type and, for these two, the source are not read: "none" rather
     * than NULL keeps valgrind from counting them as bad pointers. */
    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL);   /* nothing goes out */
    if (lab_temp_file(conf, sizeof conf, LAB_NSSWITCH) < 0)
        return lab_why(why, whysz, "a file in /tmp");
    rc = mount(conf, "/etc/nsswitch.conf", "none", MS_BIND, NULL);
    unlink(conf);   /* the mount keeps it while the process lives */
    if (rc < 0)
        return lab_why(why, whysz, "mount --bind over /etc/nsswitch.conf");
    if (mount(hosts, "/etc/hosts", "none", MS_BIND, NULL) < 0)
        return lab_why(why, whysz, "mount --bind over /etc/hosts");
    return 0;
}

#endif
