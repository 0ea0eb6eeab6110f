/* sandbox.c - process isolation for tests (see sandbox.h). Linux only:
 * namespaces, subreapers, /proc. */
#define _GNU_SOURCE
#include "sandbox.h"
#include "clock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SB_NOGROUP 65534
#define SB_NPROC_SPARE 16    /* processes above the soft limit, for the sanitizers */
#define SB_ROOMY_NPROC 65536 /* a driver's process limit that tests never fill */

static int drop_privileges_ok;  /* root: tests run as unprivileged uids */
static char private_copy[64];   /* files copied where the tests reach them */
static unsigned shared_count;   /* names given inside private_copy */
static uid_t run_uid_base;      /* this run's first test uid */
static int clone_flags;         /* namespaces for each supervisor; 0: none */
static int in_namespace;        /* this process is a namespace's pid 1 */
static char why_basic[160];
static char why_files[160];
static int isolate_files;          /* a read-only machine, /tmp of its own */
static char share_dir[PATH_MAX];   /* writable in tests all the same */
static char hidden_dir[PATH_MAX];  /* hidden from tests: solutions/ */

int sb_jobs_share_uid(void)
{
    /* In a user namespace of its own, a test's processes count against
     * its own limit (the kernel counts per user namespace since 5.14), and
     * against the driver's own limit above it: shared only when that one
     * is small (a driver that runs inside a test, as the self-tests do). */
    struct rlimit rl;
    int roomy = getrlimit(RLIMIT_NPROC, &rl) == 0 &&
                (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SB_ROOMY_NPROC);
    return !drop_privileges_ok && !((clone_flags & CLONE_NEWUSER) && roomy);
}

const char *sb_why_basic(void)
{
    return why_basic;
}

const char *sb_why_files(void)
{
    return why_files;
}

int sb_share_dir(const char *dir)
{
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return -1;
    snprintf(share_dir, sizeof share_dir, "%s", real);
    return 0;
}

void sb_hide_dir(const char *dir)
{
    char real[PATH_MAX];
    struct stat st;
    if (realpath(dir, real) && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(hidden_dir, sizeof hidden_dir, "%s", real);
}

int sb_in_namespace(void)
{
    return in_namespace;
}

/* ---- namespaces ---------------------------------------------------------- */

/* clone() with no new stack: a fork() into new namespaces. The driver is
 * single-threaded, so skipping fork()'s atfork handlers is safe. */
static pid_t clone_into(int flags)
{
    return (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = (ssize_t)strlen(text), n = write(fd, text, (size_t)len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == len ? 0 : -1;
}

/* In a new user namespace: map our own uid and gid (the only mapping an
 * unprivileged process may write), so files and signals keep working. */
static int map_ids(uid_t uid, gid_t gid)
{
    char line[64];
    snprintf(line, sizeof line, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
    if (write_file("/proc/self/uid_map", line) < 0)
        return -1;
    if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
        return -1;
    snprintf(line, sizeof line, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
    return write_file("/proc/self/gid_map", line);
}

static int loopback_up(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
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

/* In a new mount namespace of a new PID namespace: a /proc of its own, so
 * that pids read there are the ones this namespace's kill() and wait()
 * use, and the test sees no process but its own. Nothing propagates out. */
static int private_proc(void)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return -1;
    return mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* The new mount API (Linux 5.2, 5.12), by number: glibc 2.35 has no
 * wrappers, and <linux/mount.h> clashes with <sys/mount.h> before 2.36. */
#define SB_OPEN_TREE_CLONE 1
#define SB_OPEN_TREE_CLOEXEC O_CLOEXEC
#define SB_MOVE_MOUNT_F_EMPTY_PATH 0x4
#define SB_MOUNT_ATTR_RDONLY 0x1
struct sb_mount_attr {
    unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/* Makes each folder of path (absolute) that is missing. */
static void make_folders(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    mkdir(buf, 0755);
}

/* A fresh, bounded tmpfs on dir (if dir exists). */
static int fresh_tmpfs(const char *dir, const char *opts)
{
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
        return 0;
    return mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

/* A detached copy of the mounts at dir (open_tree), or -1. */
static long clone_tree(const char *dir)
{
    return syscall(SYS_open_tree, AT_FDCWD, dir,
                   SB_OPEN_TREE_CLONE | SB_OPEN_TREE_CLOEXEC | AT_RECURSIVE);
}

/* Puts a copy made by clone_tree() back at dir (made where a fresh tmpfs
 * hid it), read-only unless writable. */
static int put_back(long tree, const char *dir, int writable)
{
    struct sb_mount_attr ro = {.attr_set = SB_MOUNT_ATTR_RDONLY};
    if (!writable &&
        syscall(SYS_mount_setattr, (int)tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &ro, sizeof ro) < 0)
        return -1;
    make_folders(dir);
    int rc = (int)syscall(SYS_move_mount, (int)tree, "", AT_FDCWD, dir, SB_MOVE_MOUNT_F_EMPTY_PATH);
    close((int)tree);
    return rc;
}

/* Is dir in a folder that gets a fresh tmpfs (/tmp, /dev/shm)? */
static int under_scratch(const char *dir)
{
    return strncmp(dir, "/tmp/", 5) == 0 || strncmp(dir, "/dev/shm/", 9) == 0;
}

/* In a test's mount namespace: every file of the machine read-only, a /tmp
 * and /dev/shm of its own (gone with it), solutions/ hidden. The project's
 * folder, if it lives in /tmp, is put back (read-only), and so is the
 * shared folder (the self-tests' scratch), writable. */
static int private_files(void)
{
    char here[PATH_MAX];
    if (!getcwd(here, sizeof here))
        return -1;
    long tree = under_scratch(here) ? clone_tree(here) : -2;
    long share = share_dir[0] ? clone_tree(share_dir) : -2;
    struct sb_mount_attr ro = {.attr_set = SB_MOUNT_ATTR_RDONLY};
    struct sb_mount_attr rw = {.attr_clr = SB_MOUNT_ATTR_RDONLY};
    /* /proc (ours, just mounted) stays writable: a test that runs the
     * grader again (the self-tests) mounts a proc of its own, which the
     * kernel allows only over one as permissive. */
    if (tree == -1 || share == -1 ||
        syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &ro, sizeof ro) < 0 ||
        syscall(SYS_mount_setattr, AT_FDCWD, "/proc", 0, &rw, sizeof rw) < 0 ||
        fresh_tmpfs("/tmp", "size=512m,mode=1777") < 0 ||
        fresh_tmpfs("/dev/shm", "size=64m,mode=1777") < 0 ||
        (tree >= 0 && put_back(tree, here, 0) < 0) ||
        (hidden_dir[0] && mount("tmpfs", hidden_dir, "tmpfs", MS_RDONLY, "size=4k") < 0) ||
        (share >= 0 && put_back(share, share_dir, 1) < 0))
        return -1;
    /* The working folder was found before the mounts: find it again, so
     * that relative paths see them. */
    return chdir(here);
}

/* In the child of clone_into(): make the namespaces usable. */
static int ns_ready(int flags, uid_t uid, gid_t gid)
{
    if ((flags & CLONE_NEWUSER) && map_ids(uid, gid) < 0)
        return -1;
    if ((flags & CLONE_NEWNS) && private_proc() < 0)
        return -1;
    if ((flags & CLONE_NEWNS) && isolate_files && private_files() < 0)
        return -1;
    if ((flags & CLONE_NEWNET) && loopback_up() < 0)
        return -1;
    return 0;
}

/* Can a supervisor be started in these namespaces? Tried once, for real. */
static int ns_work(int flags)
{
    uid_t uid = geteuid();
    gid_t gid = getegid();
    pid_t pid = clone_into(flags);
    if (pid == 0)
        _exit(ns_ready(flags, uid, gid) < 0 ? 1 : 0);
    if (pid < 0)
        return -1;
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        errno = EPERM;
        return -1;
    }
    return 0;
}

static void choose_namespaces(int want_ns, int want_netns)
{
    int flags = CLONE_NEWPID | CLONE_NEWNS | (want_netns ? CLONE_NEWNET : 0);
    if (geteuid() != 0)
        flags |= CLONE_NEWUSER;
    if (!want_ns) {
        snprintf(why_basic, sizeof why_basic, "namespaces turned off (SOCKLAB_SANDBOX=basic)");
        return;
    }
    isolate_files = 1;
    if (ns_work(flags) == 0) {
        clone_flags = flags;
        return;
    }
    isolate_files = 0;
    snprintf(why_files, sizeof why_files, "files are not isolated here");
    if (ns_work(flags) == 0 || ns_work(flags &= ~CLONE_NEWNS) == 0) {
        clone_flags = flags;
        return;
    }
    snprintf(why_basic, sizeof why_basic, "no private namespaces here (clone: %s)",
             strerror(errno));
}

pid_t sb_spawn(void)
{
    if (!clone_flags)
        return fork();
    uid_t uid = geteuid();
    gid_t gid = getegid();
    pid_t pid = clone_into(clone_flags);
    if (pid != 0)
        return pid;
    in_namespace = 1;
    if (ns_ready(clone_flags, uid, gid) < 0)
        _exit(125);
    return 0;
}

/* A random number: runs in different containers (often with the same
 * small pid) get different blocks of uids. */
static unsigned random_number(void)
{
    unsigned n = 0;
    if (getrandom(&n, sizeof n, 0) != (ssize_t)sizeof n)
        n = (unsigned)getpid() ^ (unsigned)(clk_now() * 1e6);
    return n;
}

sb_level_t sb_init(int want_ns, int want_netns)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    run_uid_base = SB_UID_BASE + 256u * (random_number() % 8192u);
    drop_privileges_ok = geteuid() == 0;
    choose_namespaces(want_ns, want_netns);
    return clone_flags ? SB_NAMESPACES : SB_BASIC;
}

/* ---- files the tests' uid can reach ------------------------------------ */

/* Copies one file with its mode's execute bits. */
static int copy_file(const char *from, const char *to, mode_t mode)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    char buf[1 << 16];
    ssize_t n = 0;
    int bad = out >= 0 && fchmod(out, mode) < 0; /* the umask may have taken bits off */
    while (!bad && in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            n = -1;
    int rc = bad || in < 0 || out < 0 || n < 0 ? -1 : 0;
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0)
        rc = -1;
    return rc;
}

/* Can others run every program in dir (a umask of 077 makes the build's
 * programs 0700 in folders others may search)? Files that are no program
 * (no execute bit for their owner) do not count. */
static int files_runnable_by_others(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int ok = d != NULL;
    while (ok && (e = readdir(d))) {
        char path[PATH_MAX + NAME_MAX + 2];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR))
            ok = (st.st_mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH);
    }
    if (d)
        closedir(d);
    return ok;
}

/* Can others (user nobody) search every directory from / down to path,
 * and read and run path, or each file in it when it is a folder? */
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
        int ok = stat(buf, &st) == 0 &&
                 (S_ISDIR(st.st_mode) ? (st.st_mode & S_IXOTH)
                                      : (st.st_mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH));
        *p = c;
        if (!ok)
            return 0;
        if (c == '\0')
            return !S_ISDIR(st.st_mode) || files_runnable_by_others(buf);
    }
}

/* Copies the regular files of src into dst (created 0755). */
static int copy_dir(const char *src, const char *dst)
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
        if (stat(from, &st) == 0 && S_ISREG(st.st_mode))
            rc = copy_file(from, to, 0755);
    }
    closedir(d);
    return rc;
}

/* A folder for the private copy, where programs may run (not noexec):
 * /var/tmp first (a test's namespace gets a /tmp of its own), then /tmp,
 * then /dev/shm. */
static int make_private_copy(void)
{
    static const char *const places[] = {"/var/tmp", "/tmp", "/dev/shm"};
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        struct statvfs fs;
        if (statvfs(places[i], &fs) < 0 || (fs.f_flag & (ST_NOEXEC | ST_RDONLY)))
            continue;
        snprintf(private_copy, sizeof private_copy, "%s/socklab-run-XXXXXX", places[i]);
        if (mkdtemp(private_copy) && chmod(private_copy, 0755) == 0)
            return 0;
    }
    private_copy[0] = '\0';
    errno = ENOSPC;
    return -1;
}

int sb_share(const char *path, char *out, size_t outsz)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    if (!drop_privileges_ok || reachable_by_others(path)) {
        snprintf(out, outsz, "%s", path);
        return 0;
    }
    if (!private_copy[0] && make_private_copy() < 0)
        return -1;
    const char *base = strrchr(path, '/');
    snprintf(out, outsz, "%s/%u-%s", private_copy, shared_count++, base ? base + 1 : path);
    return S_ISDIR(st.st_mode) ? copy_dir(path, out) : copy_file(path, out, 0755);
}

void sb_finish(void)
{
    if (private_copy[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf -- '%s'", private_copy);
        if (system(cmd) != 0)
            fprintf(stderr, "sl-run: could not remove %s\n", private_copy);
        private_copy[0] = '\0';
    }
}

/* ---- entering the sandbox ----------------------------------------------- */

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

/* Sets a soft and a hard limit, never above the hard limit in force. */
static int set_limits(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl;
    if (getrlimit(resource, &rl) < 0)
        return -1;
    if (rl.rlim_max != RLIM_INFINITY && hard > rl.rlim_max)
        hard = rl.rlim_max;
    rl.rlim_cur = soft < hard ? soft : hard;
    rl.rlim_max = hard;
    return setrlimit(resource, &rl);
}

static int set_limit(int resource, rlim_t value)
{
    return set_limits(resource, value, value);
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
    if (setsid() < 0 || null_stdin() < 0)
        return -1;
    if (drop_privileges_ok && drop_privileges(run_uid_base + lim->job % 256u) < 0)
        return -1;
    /* CPU: SIGXCPU at the soft limit (a verdict the supervisor can name),
     * SIGKILL only a second later. */
    rlim_t cpu = (rlim_t)lim->timeout_s + 1;
    uid_t uid = geteuid();
    if (set_limit(RLIMIT_CORE, 0) < 0 || set_limits(RLIMIT_CPU, cpu, cpu + 1) < 0 ||
        set_limit(RLIMIT_NOFILE, lim->nofile) < 0 ||
        set_limit(RLIMIT_FSIZE, 64UL << 20) < 0)
        return -1;
    if (lim->mem_bytes && set_limit(RLIMIT_AS, lim->mem_bytes) < 0)
        return -1;
    /* Processes: a little room above the soft limit, which the test side
     * takes for LeakSanitizer's own thread once the body has returned. */
    rlim_t nproc = tasks_of(uid) + lim->nproc;
    if (lim->nproc && set_limits(RLIMIT_NPROC, nproc, nproc + SB_NPROC_SPARE) < 0)
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

/* ---- cleaning up --------------------------------------------------------- */

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

/* SIGKILL to every child of this process (found in /proc). */
static void kill_children(void)
{
    DIR *d = opendir("/proc");
    if (!d)
        return;
    pid_t me = getpid();
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && parent_of(e->d_name) == me)
            kill((pid_t)atoi(e->d_name), SIGKILL);
    }
    closedir(d);
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
    double end = clk_now() + max_s;
    int reaped = 0;
    for (;;) {
        if (in_namespace) {
            kill(-1, SIGKILL); /* pid 1 of a namespace: everyone else in it */
        } else {
            if (pgid > 0)
                kill(-pgid, SIGKILL);
            kill_children();
        }
        int n = reap_ready();
        reaped += n;
        if (n == 0) {
            if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
                return reaped;
            if (clk_now() > end)
                return reaped;
            clk_sleep(0.001);
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
