/**
 * @file sandbox.h
 * @brief Isolating a test: private namespaces where the machine allows,
 *        its own process group, limits, an unprivileged uid as root, and
 *        killing everything it started when it ends.
 *
 * Each test's supervisor is started with sb_spawn(). Where the kernel lets
 * it (root, or unprivileged user namespaces), the supervisor is the first
 * process (pid 1) of a private PID namespace with a private network
 * namespace (only loopback, up): nothing in the test can see or signal a
 * process outside it, reach another machine, or outlive the supervisor.
 * Elsewhere (a container that forbids namespaces) it is a plain child that
 * is a subreaper, and the sweep finds what the test left behind.
 */
#ifndef SL_SANDBOX_H
#define SL_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

/** First uid tests run as when the grader runs as root (no account needed). */
#define SB_UID_BASE 1990000000u

/** Limits one test process runs under. */
typedef struct sb_limits {
    double timeout_s;        /**< wall clock; also sets the CPU limit */
    unsigned long mem_bytes; /**< address space; 0 for none (sanitizers) */
    unsigned long nofile;    /**< open descriptors */
    unsigned long nproc;     /**< processes above those the user already has */
    unsigned job;            /**< which parallel job: as root, each job runs
                                  under a uid of its own, so one test's
                                  processes never count against another's */
} sb_limits_t;

/** How isolated tests are (sb_init() finds out). */
typedef enum sb_level {
    SB_BASIC,     /**< process groups, limits and a subreaper only */
    SB_NAMESPACES /**< a private PID and network namespace per test */
} sb_level_t;

/**
 * @brief Prepares this process to run tests: makes it a subreaper and finds
 *        out whether namespaces can be used here.
 * @param want_ns 0 to never use namespaces (SOCKLAB_SANDBOX=basic).
 * @param want_netns 0 to keep the tests in this network namespace.
 * @return the isolation tests will get.
 */
sb_level_t sb_init(int want_ns, int want_netns);

/** @brief Why namespaces are not in use ("" when they are). */
const char *sb_why_basic(void);

/** @brief Why files are not isolated though namespaces are ("" when they are:
 *  tests then see every file read-only, a /tmp and /dev/shm of their own). */
const char *sb_why_files(void);

/**
 * @brief Names a folder tests may write in all the same (before sb_init()),
 *        e.g. the self-tests' scratch folder under /tmp.
 * @return 0, or -1 with errno set (it does not exist).
 */
int sb_share_dir(const char *dir);

/** @brief Names a folder tests may not see (before sb_init()): solutions/. */
void sb_hide_dir(const char *dir);

/**
 * @brief A path to @p path (a file or a folder of programs) that the tests'
 *        uid can use. As root, tests run unprivileged: when they could not
 *        reach @p path (a tree under /root, mode 700) it is copied into a
 *        private folder under /tmp, removed by sb_finish().
 * @param path the file or folder.
 * @param out where to write the usable path.
 * @param outsz size of @p out.
 * @return 0, or -1 with errno set.
 */
int sb_share(const char *path, char *out, size_t outsz);

/** @brief Removes what sb_share() copied. */
void sb_finish(void);

/**
 * @brief Starts a test's supervisor: like fork(), but in private
 *        namespaces when sb_init() found them usable.
 * @return in the parent the child's pid (or -1 with errno set); in the
 *         child 0, once its namespaces are ready.
 */
pid_t sb_spawn(void);

/** @brief Is this process the pid 1 of a test's namespace? */
int sb_in_namespace(void);

/**
 * @brief In a freshly forked test process, before exec: own session (so
 *        its own process group, no controlling terminal, and where the
 *        kernel groups sessions for the scheduler, autogroup, its own
 *        share of the CPU: a fork loop in one test cannot starve the
 *        tests beside it), stdin from /dev/null, no core files, the limits, and (as root) an
 *        unprivileged uid of the job's own (SB_UID_BASE + 256 * (a random
 *        number % 8192) + job % 256, so two runs at once, in containers
 *        too, do not share uids) with group nogroup.
 * @return 0, or -1 with errno set.
 */
int sb_enter(const sb_limits_t *lim);

/**
 * @brief Closes every descriptor from @p lowfd up, so a test inherits
 *        nothing of the grader's (pipes, files of whoever started it).
 * @param lowfd first descriptor to close.
 */
void sb_close_from(int lowfd);

/**
 * @brief Kills process group @p pgid and every other process this one may
 *        reap (its children and, as a subreaper or a namespace's pid 1,
 *        every orphan that came back to it), and reaps them all.
 *
 * Returns when this process has no child left, or after @p max_s seconds.
 * @param pgid the group to kill; 0 for none.
 * @param max_s upper bound on the time spent.
 * @return number of processes reaped.
 */
int sb_sweep(pid_t pgid, double max_s);

/**
 * @brief Do the tests of parallel jobs share one process limit: one uid
 *        (not root), and no user namespace of their own?
 * @return 1 if they do, 0 if each job has a uid of its own.
 */
int sb_jobs_share_uid(void);

/** @brief "SIGSEGV (Segmentation fault)" and the like, into @p buf. */
const char *sb_signal_desc(int sig, char *buf, size_t bufsz);

#endif
