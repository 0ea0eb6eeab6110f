/* student.c - code with the mistakes of student.h, on purpose. The
 * self-tests check that each verdict names this file and the line. */
#include "student.h"

#include <stdlib.h>
#include <string.h>

void student_copy(const char *text)
{
    char *buf = malloc(strlen(text)); /* no room for the NUL */
    if (!buf)
        return;
    strcpy(buf, text); /* STUDENT_COPY_LINE */
    free(buf);
}

int student_null(void)
{
    volatile int *p = NULL;
    return *p; /* STUDENT_NULL_LINE */
}

uint32_t student_shift(unsigned char b)
{
    int i = b;
    return (uint32_t)(i << 24); /* STUDENT_SHIFT_LINE */
}

void student_leak(void)
{
    char *p = malloc(46); /* STUDENT_LEAK_LINE */
    if (p)
        p[0] = 'x';
}
