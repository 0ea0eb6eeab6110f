/* sandbox.c - process isolation for tests (see sandbox.h). Linux only:
 * subreaper, network namespaces. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SB_NOGROUP 65534

static int drop_privileges_ok; /* root: tests run as unprivileged uids */
static char private_copy[64];   /* programs copied where the tests reach them */
static uid_t run_uid_base;      /* this run's first test uid */

double sb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return rc;
}

/* Copies one file, mode 0755. */
static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    char buf[1 << 16];
    ssize_t n = 0;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            n = -1;
    int rc = in < 0 || out < 0 || n < 0 ? -1 : 0;
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0)
        rc = -1;
    return rc;
}

/* Can others (user nobody) search every directory from / down to path? */
static int reachable_by_others(const char *path)
{
    char buf[PATH_MAX];
    if (!realpath(path, buf))
        return 0;
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        struct stat st;
        *p = '\0';
        int ok = stat(buf, &st) == 0 && (st.st_mode & S_IXOTH);
        *p = c;
        if (!ok)
            return 0;
        if (c == '\0')
            return 1;
    }
}

int sb_jobs_share_uid(void)
{
    return !drop_privileges_ok;
}

/* Copies the executable regular files of src into dst (created 0755). */
static int copy_programs(const char *src, const char *dst)
{
    DIR *d = opendir(src);
    if (!d)
        return -1;
    int rc = mkdir(dst, 0755) < 0 ? -1 : chmod(dst, 0755);
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        char from[PATH_MAX + NAME_MAX + 2], to[PATH_MAX + NAME_MAX + 2];
        struct stat st;
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        if (stat(from, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR))
            rc = copy_file(from, to);
    }
    closedir(d);
    return rc;
}

/* Where the test binary's sibling programs (SOCKLAB_EXE_DIR) and the
 * lesson's programs (SOCKLAB_BIN_DIR, ../bin) are for the tests. As root,
 * tests run as other uids: if those cannot reach the build folder (a tree
 * under /root, say), they get a private copy in /tmp instead. */
static void locate_programs(const char *exe_dir)
{
    char bin[PATH_MAX + 8], copy[PATH_MAX];
    snprintf(bin, sizeof bin, "%s/../bin", exe_dir);
    if (!drop_privileges_ok || reachable_by_others(exe_dir)) {
        setenv("SOCKLAB_EXE_DIR", exe_dir, 1);
        setenv("SOCKLAB_BIN_DIR", bin, 1);
        return;
    }
    snprintf(private_copy, sizeof private_copy, "/tmp/socklab-run-XXXXXX");
    if (!mkdtemp(private_copy) || chmod(private_copy, 0755) < 0)
        return;
    snprintf(copy, sizeof copy, "%s/tests", private_copy);
    copy_programs(exe_dir, copy);
    setenv("SOCKLAB_EXE_DIR", copy, 1);
    snprintf(copy, sizeof copy, "%s/bin", private_copy);
    if (copy_programs(bin, copy) == 0)
        setenv("SOCKLAB_BIN_DIR", copy, 1);
}

void sb_finish(void)
{
    if (private_copy[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", private_copy);
        if (system(cmd) != 0)
            fprintf(stderr, "grader: could not remove %s\n", private_copy);
        private_copy[0] = '\0';
    }
}

int sb_init(int want_netns)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    run_uid_base = SB_UID_BASE + 64u * ((unsigned)getpid() % 32768u);
    drop_privileges_ok = geteuid() == 0;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        locate_programs(exe);
    }
    if (!want_netns || geteuid() != 0)
        return 0;
    if (unshare(CLONE_NEWNET) < 0)
        return 0;
    return loopback_up() == 0;
}

/* Tasks (threads count) that user uid runs now. */
static unsigned long tasks_of(uid_t uid)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    unsigned long n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[300];
        struct stat st;
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/task", e->d_name);
        if (stat(path, &st) == 0 && st.st_uid == uid)
            n += st.st_nlink > 2 ? (unsigned long)st.st_nlink - 2 : 1;
    }
    closedir(d);
    return n;
}

static int set_limit(int resource, rlim_t value)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) < 0)
        return -1;
    if (rl.rlim_max != RLIM_INFINITY && value > rl.rlim_max)
        value = rl.rlim_max;
    rl.rlim_cur = rl.rlim_max = value;
    return setrlimit(resource, &rl);
}

static int drop_privileges(uid_t uid)
{
    if (setgroups(0, NULL) < 0 || setgid(SB_NOGROUP) < 0 || setuid(uid) < 0)
        return -1;
    return 0;
}

static int null_stdin(void)
{
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = dup2(fd, STDIN_FILENO);
    if (fd != STDIN_FILENO)
        close(fd);
    return rc < 0 ? -1 : 0;
}

int sb_enter(const sb_limits_t *lim)
{
    if (setpgid(0, 0) < 0 || null_stdin() < 0)
        return -1;
    if (drop_privileges_ok && drop_privileges(run_uid_base + lim->job % 64u) < 0)
        return -1;
    rlim_t cpu = (rlim_t)lim->timeout_s + 2;
    uid_t uid = geteuid();
    if (set_limit(RLIMIT_CORE, 0) < 0 || set_limit(RLIMIT_CPU, cpu) < 0 ||
        set_limit(RLIMIT_NOFILE, lim->nofile) < 0 ||
        set_limit(RLIMIT_FSIZE, 64UL << 20) < 0)
        return -1;
    if (lim->mem_bytes && set_limit(RLIMIT_AS, lim->mem_bytes) < 0)
        return -1;
    if (lim->nproc && set_limit(RLIMIT_NPROC, tasks_of(uid) + lim->nproc) < 0)
        return -1;
    return 0;
}

void sb_close_from(int lowfd)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        for (long fd = lowfd, max = sysconf(_SC_OPEN_MAX); fd < max; fd++)
            close((int)fd);
        return;
    }
    int fds[256], n = 0, self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd >= lowfd && fd != self)
            fds[n++] = fd;
    }
    closedir(d);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    if (n == 256)
        sb_close_from(lowfd); /* there were more */
}

/* Parent pid from /proc/PID/stat: the field after the ")" of the name. */
static pid_t parent_of(const char *pid)
{
    char path[300], buf[512];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    char state;
    int ppid;
    if (!p || sscanf(p + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
}

int sb_kill_children(pid_t keep)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    pid_t me = getpid();
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid != keep && parent_of(e->d_name) == me && kill(pid, SIGKILL) == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* Reaps every child that has ended; returns how many. */
static int reap_ready(void)
{
    int n = 0;
    while (waitpid(-1, NULL, WNOHANG) > 0)
        n++;
    return n;
}

int sb_sweep(pid_t pgid, double max_s)
{
    double end = sb_now() + max_s;
    int reaped = 0;
    for (;;) {
        if (pgid > 0)
            kill(-pgid, SIGKILL);
        sb_kill_children(0);
        int n = reap_ready();
        reaped += n;
        if (n == 0) {
            if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
                return reaped;
            if (sb_now() > end)
                return reaped;
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
}

const char *sb_signal_desc(int sig, char *buf, size_t bufsz)
{
    static const struct { int sig; const char *name; } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},
        {SIGFPE, "SIGFPE"}, {SIGILL, "SIGILL"}, {SIGKILL, "SIGKILL"},
        {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}, {SIGPIPE, "SIGPIPE"},
        {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGHUP, "SIGHUP"},
        {SIGALRM, "SIGALRM"}, {SIGQUIT, "SIGQUIT"}, {SIGTRAP, "SIGTRAP"},
        {SIGSYS, "SIGSYS"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"},
    };
    const char *name = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            name = names[i].name;
    if (name)
        snprintf(buf, bufsz, "%s (%s)", name, strsignal(sig));
    else
        snprintf(buf, bufsz, "signal %d (%s)", sig, strsignal(sig));
    return buf;
}
