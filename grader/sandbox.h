/**
 * @file sandbox.h
 * @brief Isolating a test: its own process group, limits, a private network
 *        namespace, and killing everything it started when it ends.
 */
#ifndef SL_SANDBOX_H
#define SL_SANDBOX_H

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

/**
 * @brief Prepares this process to run tests: makes it a subreaper (orphans
 *        of tests come back to it), sets SOCKLAB_EXE_DIR and SOCKLAB_BIN_DIR
 *        (where tests find the test binary's sibling programs and the
 *        lesson's programs: a private copy in /tmp when, as root, the
 *        tests' uids could not reach the build folder) and, as root, moves
 *        it into a private network namespace with only loopback up.
 * @param want_netns 0 to stay in the current network namespace.
 * @return 1 if a private network namespace is in use, 0 if not.
 */
int sb_init(int want_netns);

/**
 * @brief Undoes what sb_init() left on disk (a private copy of programs).
 */
void sb_finish(void);

/**
 * @brief In a freshly forked test process: own process group, stdin from
 *        /dev/null, no core files, the limits, and (as root, where the tests
 *        can still be reached by an unprivileged user) an unprivileged uid
 *        of the job's own (SB_UID_BASE + 64 * (runner's pid % 32768) +
 *        job % 64, so two runs at once do not share uids either) with group
 *        nogroup.
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
 * @brief Kills process group @p pgid and every descendant that came back to
 *        this (subreaper) process, and reaps them all.
 *
 * Returns when this process has no child left, or after @p max_s seconds.
 * @param pgid the group to kill; 0 for none.
 * @param max_s upper bound on the time spent.
 * @return number of processes reaped.
 */
int sb_sweep(pid_t pgid, double max_s);

/**
 * @brief Sends SIGKILL to every child of this process except @p keep.
 * @param keep a pid to spare, or 0.
 * @return how many were signalled.
 */
int sb_kill_children(pid_t keep);

/**
 * @brief Do the tests of parallel jobs run under one uid (not root, or root
 *        that could not drop)? Then they share one process limit.
 * @return 1 if they do, 0 if each job has a uid of its own.
 */
int sb_jobs_share_uid(void);

/** @brief "SIGSEGV (segmentation fault)" and the like. */
const char *sb_signal_desc(int sig, char *buf, size_t bufsz);

/** @brief Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double sb_now(void);

#endif
