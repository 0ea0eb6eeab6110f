/* fx_todo.c - a task left undone in a file that is not the program's own,
 * as a lesson's shared udp.c is not udp-echo-client.c. */
#include "fx.h"
#include "todo.h"

void fx_todo_greet(void)
{
    TODO(); /* fx-todo-where: the TODO() */
}
