/* fx-todo-loud.c - a program that prints much before its TODO(): a first
 * line on stderr, FX_LOUD_MB megabytes of 'x' lines, then a skeleton's
 * last words, "not implemented: greet", and exit status 3, as TODO() does
 * (these programs link no todo.o). What it says last must not be lost. */
#include <stdio.h>
#include <string.h>

#define FX_LOUD_MB 4

int main(void)
{
    static char line[1000];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\n';
    fputs("fx-todo-loud: starting\n", stderr);
    for (int i = 0; i < FX_LOUD_MB * 1000; i++)
        if (fwrite(line, 1, sizeof line, stderr) != sizeof line)
            return 1;
    fputs("not implemented: greet\n", stderr);
    return 3;
}
