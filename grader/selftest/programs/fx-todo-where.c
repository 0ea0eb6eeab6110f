/* fx-todo-where.c - a program whose task's TODO() is in another file
 * (common/fx_todo.c), as udp-echo-client's udp_connect() is in udp.c. */
#include "common/fx.h"

int main(void)
{
    fx_todo_greet();
    return 0;
}
