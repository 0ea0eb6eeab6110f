/* broken.c - the skeleton of the lint's fixture lesson. */
#include "broken.h"

#include "todo.h"

int brk_add(int a, int b)
{
    (void)a;
    (void)b;
    TODO();
}

/* PLANTED: implemented; the TODO() below is in a comment, so it does not
 * count. */
int brk_sub(int a, int b)
{
    /* TODO(); */
    return a - b;
}

int brk_neg(int a)
{
    (void)a;
    TODO();
}

int brk_mul(int a, int b)
{
    (void)a;
    (void)b;
    TODO();
}

/* PLANTED: brk_div() is missing. */
