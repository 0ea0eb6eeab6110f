/**
 * @file blocked.h
 * @brief What a process is doing, in words, from /proc/PID/syscall: said
 *        when a test times out ("blocked in recvfrom() on descriptor 3").
 */
#ifndef SL_BLOCKED_H
#define SL_BLOCKED_H

#include <stddef.h>
#include <sys/types.h>

/**
 * @brief Says where process @p pid is: "blocked in recvfrom() on descriptor
 *        3", "busy computing (a loop that never ends?)", or "" when it
 *        cannot be told.
 * @param pid the process (as this process's /proc numbers it).
 * @param buf where to write.
 * @param bufsz size of @p buf.
 */
void blk_describe(pid_t pid, char *buf, size_t bufsz);

#endif
