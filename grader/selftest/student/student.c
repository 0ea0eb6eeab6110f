/* student.c - code with the mistakes of student.h, on purpose. The
 * self-tests check that each verdict names this file and the line. */
#include "student.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>

size_t student_copy(const char *text)
{
    char *buf = malloc(strlen(text)); /* no room for the NUL */
    if (!buf)
        return 0;
    strcpy(buf, text); /* STUDENT_COPY_LINE */
    size_t n = strlen(buf);
    free(buf);
    return n;
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

/* Kept from the optimizer: what it is given might be used. */
__attribute__((noinline)) static void touch(char *p)
{
    *(volatile char *)p = 'x';
}

void student_leak(void)
{
    char *p = malloc(46); /* STUDENT_LEAK_LINE */
    if (p)
        touch(p);
}

int student_free_junk(void)
{
    struct addrinfo junk;
    memset(&junk, 0xbe, sizeof junk);
    junk.ai_next = NULL;
    freeaddrinfo(&junk); /* STUDENT_FREE_LINE */
    return 0;
}
