/* reactor-chat-server.c - lesson 07 (Task 7): a chat room on the line
 * receiver, as Twisted's chat examples are:
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
 * line longer than PR_LINE_MAX (its '\n' included) drops its sender.
 *
 * Your work: the three callbacks. */
#include "server.h"

#include <stddef.h>

#include "todo.h"

typedef struct chat {
    pr_line_receiver_t lr;   /* first: the protocol head is its head */
    struct chat *prev, *next;
} chat_t;

typedef struct room {
    chat_t *first;
} room_t;

static room_t the_room;

static void line_received(pr_line_receiver_t *lr, const char *line, size_t len)
{
    /* To every member of the room but lr: the line and its "\n" in one
     * pr_write() (one send(), not two). One that is disconnecting gets
     * nothing; one whose pr_pending() would pass PR_OUT_HIGH reads too
     * slowly: pr_abort(). */
    (void)lr;
    (void)line;
    (void)len;
    TODO();
}

static const pr_line_ops_t chat_ops = {
    .line_received = line_received,
    .max_line = PR_LINE_MAX,
};

static void chat_made(pr_protocol_t *p)
{
    /* Its ops (&chat_ops), and into the room. */
    (void)p;
    (void)chat_ops;
    TODO();
}

static void chat_lost(pr_protocol_t *p, int err)
{
    /* Out of the room; pr_line_release() its partial line. */
    (void)p;
    (void)err;
    TODO();
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
