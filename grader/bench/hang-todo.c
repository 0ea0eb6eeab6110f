/* hang-todo.c - the submission of make bench whose every test hangs: each
 * TODO() of the skeleton, instead of saying "not implemented", ignores the
 * polite signals and sleeps for ever, as grader/hostile/sleep.c does in
 * one function. A case of the hostile corpus's kind, planted the same way
 * in a scratch copy of the tree (never in the project's own):
 * becomes: grader/todo/todo.c
 * so that every function a skeleton leaves to the student, in its library
 * and in its programs alike, hangs where it is called. */
#include "todo.h"

#include <signal.h>
#include <unistd.h>

void (*sl_todo_hook)(const char *func);

_Noreturn void sl_todo(const char *func, const char *file, int line)
{
    (void)func;
    (void)file;
    (void)line;
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGALRM, SIG_IGN);
    for (;;)
        pause();
}
