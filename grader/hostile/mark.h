/* mark.h - how the processes of a hostile case let run.sh see that they
 * are gone. run.sh plants this file next to the case, as hostile_mark.h,
 * and names a file of the scratch tree in $HOSTILE_MARK. hostile_mark()
 * takes a shared lock on it, held until the last process that has that
 * open file (a child forked after the call inherits it) has ended; run.sh
 * then tries an exclusive lock. A lock, not a pid: in a PID namespace a
 * test's pids mean nothing outside, and the file may be read-only there.
 * Without $HOSTILE_MARK (a case planted by hand) it does nothing. */
#ifndef HOSTILE_MARK_H
#define HOSTILE_MARK_H

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

__attribute__((unused)) static void hostile_mark(void)
{
    const char *path = getenv("HOSTILE_MARK");
    int fd;

    if (!path || (fd = open(path, O_RDONLY)) < 0)
        return;
    if (flock(fd, LOCK_SH) < 0)
        close(fd);
}

#endif
