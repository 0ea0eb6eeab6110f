/* todo.c - the "not implemented" marker of skeletons (see todo.h). */
#include "todo.h"

#include <stdio.h>
#include <stdlib.h>

void (*sl_todo_hook)(const char *func);

_Noreturn void sl_todo(const char *func, const char *file, int line)
{
    if (sl_todo_hook)
        sl_todo_hook(func);
    if (file && *file)
        fprintf(stderr, "not implemented: %s (%s:%d)\n", func, file, line);
    else
        fprintf(stderr, "not implemented: %s\n", func);
    exit(3);
}
