/* brk-server.c - a program of the lint's fixture lesson. */
#include "todo.h"

int main(void)
{
    TODO();
}
