/* reactor-chat-server.c - lesson 07, reference solution: a chat room on
 * the line receiver, as Twisted's chat examples are:
 *
 *   class Chat(LineReceiver):
 *       def connectionMade(self): self.factory.clients.append(self)
 *       def connectionLost(self, reason): self.factory.clients.remove(self)
 *       def lineReceived(self, line):
 *           for c in self.factory.clients:
 *               if c is not self: c.sendLine(line)
 *
 *   reactor-chat-server [--backend select|poll|epoll] [-b ADDR] [-p PORT] [-i IDLE_MS]
 *
 * Each complete line goes, unchanged, to every other client. A client
 * whose output would pass PR_OUT_HIGH reads too slowly and is dropped; a
 * line longer than PR_LINE_MAX (its '\n' included) drops its sender. */
#include "server.h"

#include <stddef.h>
#include <string.h>

typedef struct chat {
    pr_line_receiver_t lr;   /* first: the protocol head is its head */
    struct chat *prev, *next;
} chat_t;

typedef struct room {
    chat_t *first;
} room_t;

static room_t the_room;

static void line_received(pr_line_receiver_t *lr, const char *line, size_t len);

static const pr_line_ops_t chat_ops = {
    .line_received = line_received,
    .max_line = PR_LINE_MAX,
};

/* Queues one line, its '\n' included, for c: one pr_write(), so one
 * send() (two would be twice the calls, and Nagle may hold the second
 * segment back); a client that cannot keep up is dropped. */
static void send_line(chat_t *c, const char *line, size_t len)
{
    pr_transport_t *t = c->lr.base.transport;

    if (pr_disconnecting(t))
        return;
    if (pr_pending(t) + len > PR_OUT_HIGH) {
        pr_abort(t);   /* it reads too slowly: it holds no one up */
        return;
    }
    (void)pr_write(t, line, len);
}

static void line_received(pr_line_receiver_t *lr, const char *line, size_t len)
{
    static char out[PR_LINE_MAX];   /* the line and its '\n': len + 1 <= max_line */
    chat_t *from = (chat_t *)lr;

    memcpy(out, line, len);
    out[len] = '\n';
    for (chat_t *c = the_room.first; c != NULL; c = c->next)
        if (c != from)
            send_line(c, out, len + 1);
}

static void chat_made(pr_protocol_t *p)
{
    chat_t *c = (chat_t *)p;

    c->lr.ops = &chat_ops;
    c->next = the_room.first;
    if (the_room.first != NULL)
        the_room.first->prev = c;
    the_room.first = c;
}

static void chat_lost(pr_protocol_t *p, int err)
{
    chat_t *c = (chat_t *)p;

    (void)err;
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        the_room.first = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    pr_line_release(&c->lr);
}

static const pr_factory_t chat_factory = {
    .size = sizeof(chat_t),
    .connection_made = chat_made,
    .data_received = pr_line_data_received,
    .connection_lost = chat_lost,
    .data = &the_room,
};

int main(int argc, char **argv)
{
    return srv_main("reactor-chat-server", argc, argv, &chat_factory);
}
