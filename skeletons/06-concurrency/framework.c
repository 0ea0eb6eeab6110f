/* framework.c - lesson 06: a small server framework after Python's
 * socketserver. One handler (setup, handle, finish); a server that gets
 * each request, verifies it and runs it serially, in a child, in a thread
 * of its own or in a pool, over streams or datagrams; and a graceful stop.
 *
 * Your work. Each function below starts with TODO(): replace that line with
 * your code (and delete the (void) lines above it). concurrency.h says
 * exactly what each function must do; server.h what the given frame
 * offers (srv_default_error(), srv_format_addr()). You may add helper
 * functions: make them static (one that ends a request, used by several,
 * is worth writing first). */
#include "concurrency.h"
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "todo.h"

/* ---- Task 4: the framework ---------------------------------------------------- */

int ss_server_init(ss_server_t *srv, const char *name, int type, ss_mode_t mode,
                   const ss_handler_t *h)
{
    (void)srv;
    (void)name;
    (void)type;
    (void)mode;
    (void)h;
    TODO();
}

void ss_server_close(ss_server_t *srv)
{
    (void)srv;
    TODO();
}

int ss_finish_request(ss_server_t *srv, ss_request_t *req)
{
    /* setup() (if any; on failure stop there), handle(), finish() (if
     * any) whatever handle() returned; keep handle()'s errno. */
    (void)srv;
    (void)req;
    TODO();
}

int ss_run_request(ss_server_t *srv, ss_request_t *req)
{
    (void)srv;
    (void)req;
    TODO();
}

int ss_send(ss_request_t *req, const void *buf, size_t len)
{
    (void)req;
    (void)buf;
    (void)len;
    TODO();
}

int ss_handle_request(ss_server_t *srv)
{
    /* A request on the heap: cc_accept() into it (or ss_get_datagram());
     * srv_format_addr() its peer_text; verify_request(); then
     * ss_process_request(). */
    (void)srv;
    TODO();
}

int ss_process_request(ss_server_t *srv, ss_request_t *req)
{
    (void)srv;
    (void)req;
    TODO();
}

int ss_serve_forever(ss_server_t *srv)
{
    /* poll() srv->fd and srv->stop_fd; EINTR: again. stop_fd readable:
     * leave the loop, then wait for the requests that run (srv->stop_ms). */
    (void)srv;
    TODO();
}

/* ---- Task 5: forking ------------------------------------------------------------ */

int ss_process_fork(ss_server_t *srv, ss_request_t *req)
{
    /* SIGTERM, SIGINT, SIGCHLD blocked (pthread_sigmask()) around fork().
     * The child: their default actions back, stop_fd closed, the old mask
     * back, the listener closed, the request run, _exit(). The parent: the
     * old mask back, the connection closed. */
    (void)srv;
    (void)req;
    TODO();
}

/* ---- Task 6: threading ------------------------------------------------------------ */

int ss_process_thread(ss_server_t *srv, ss_request_t *req)
{
    /* pthread_attr_setdetachstate(), pthread_attr_setstacksize(); the
     * thread's argument is req itself, never &something of this function. */
    (void)srv;
    (void)req;
    TODO();
}

/* ---- Task 7: a thread pool ----------------------------------------------------------- */

int ss_pool_start(ss_server_t *srv)
{
    (void)srv;
    TODO();
}

int ss_process_pool(ss_server_t *srv, ss_request_t *req)
{
    /* cc_queue_push(..., 50) in a loop: a full queue holds the acceptor
     * here, so the listen backlog holds the next clients. */
    (void)srv;
    (void)req;
    TODO();
}

int ss_pool_stop(ss_server_t *srv, int timeout_ms)
{
    (void)srv;
    (void)timeout_ms;
    TODO();
}

/* ---- Task 8: datagrams ---------------------------------------------------------------- */

ss_request_t *ss_get_datagram(ss_server_t *srv)
{
    (void)srv;
    TODO();
}
