/* todo.c - the "not implemented" marker of skeletons (see todo.h). */
#include "todo.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void (*sl_todo_hook)(const char *func);

_Noreturn void sl_todo(const char *func, const char *file, int line)
{
    if (sl_todo_hook)
        sl_todo_hook(func);
    if (file && *file)
        fprintf(stderr, "not implemented: %s (%s:%d)\n", func, file, line);
    else
        fprintf(stderr, "not implemented: %s\n", func);
    /* _exit: a program stopped here is not judged by what it holds (its
     * at-exit leak check, its atexit handlers): only by the TODO. */
    fflush(NULL);
    _exit(3);
}
