/* backends.h - lesson 07: the table of backends and the loop's clock,
 * given whole (backends.c). The core (loop.c) finds its backend here; the
 * frame (server.c) lists the names in its usage. */
#ifndef BACKENDS_H
#define BACKENDS_H

#include "reactor.h"

/**
 * @brief The backend called @p name, from the table of those this system
 *        has (given, backends.c).
 * @param name "select", "poll", "epoll" or "kqueue"; NULL or "" for the
 *        default: epoll (or kqueue) where it exists, else poll.
 * @return the backend, or NULL with errno ENOENT (no such backend here).
 */
const el_backend_t *el_backend_named(const char *name);

/**
 * @brief The names of the backends this system has, best first, separated
 *        by '|' ("epoll|poll|select"), for usage messages (given).
 */
const char *el_backend_list(void);

/** @brief Milliseconds on CLOCK_MONOTONIC (given, backends.c). */
long long el_now_ms(void);

#endif
