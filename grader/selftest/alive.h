/* alive.h - how a fixture's processes let the self-test check they are gone:
 * each holds a lock on a file of its own in $FIXTURE_DIR until it dies.
 * Pids would not do: a test runs in a PID namespace of its own, where its
 * pids mean nothing to the self-test. */
#ifndef ALIVE_H
#define ALIVE_H

/** @brief Notes this process as alive until it (and every child it forks
 *  after this call) has ended. */
void alive_note(void);

#endif
