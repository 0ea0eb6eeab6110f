/* fx-todo-serve.c - a skeleton's server: it listens, says so, then stops
 * at the TODO() of its loop, as lesson 05's poll-echo-server does. */
#include "common/fx.h"
#include "todo.h"

static void serve_loop(int listener)
{
    (void)listener;
    TODO(); /* fx-todo-serve: the TODO() */
}

int main(int argc, char **argv)
{
    const char *host, *port;
    fx_options(argc, argv, &host, &port);
    serve_loop(fx_listen(host, port));
    return 0;
}
