/* server.c - a server started by a test, found by its `listening on`
 * line (see sl_harness.h). The line is parsed here, with getaddrinfo(),
 * never with the student's code. */
#include "harness.h"

#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LISTENING "listening on "

int sl_parse_listening(const char *line, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[64], port[8];
    if (strncmp(line, LISTENING, strlen(LISTENING)) != 0)
        return -1;
    const char *a = line + strlen(LISTENING), *colon = strrchr(a, ':');
    size_t end = strcspn(a, "\r\n");
    if (!colon || (size_t)(colon - a) >= sizeof host || end - (size_t)(colon + 1 - a) >= sizeof port)
        return -1;
    size_t hlen = (size_t)(colon - a);
    if (a[0] == '[') {
        if (hlen < 2 || a[hlen - 1] != ']')
            return -1;
        snprintf(host, sizeof host, "%.*s", (int)(hlen - 2), a + 1);
    } else {
        snprintf(host, sizeof host, "%.*s", (int)hlen, a);
        if (strchr(host, ':'))
            return -1; /* IPv6 goes in brackets: [::1]:8080 */
    }
    snprintf(port, sizeof port, "%.*s", (int)(end - hlen - 1), colon + 1);
    if (!*port || strspn(port, "0123456789") != strlen(port) || atoi(port) == 0)
        return -1;
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM}, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

/* The first line of stdout, into buf. */
static void first_line(const sl_prog_t *p, char *buf, size_t bufsz)
{
    snprintf(buf, bufsz, "%.*s", (int)strcspn(p->out.data, "\n"), p->out.data);
}

/* The server ended, or printed no listening line in time: say so. */
static int not_listening(sl_server_t *s, int ended)
{
    char how[96], tail[600];
    sl_prog_t *p = &s->prog;
    if (ended) {
        sl_prog_check_todo(p);
        return hn_error_errno(sl_prog_errno(p), "%s %s before listening%s%s", p->name,
                              sl_prog_how(p, how, sizeof how),
                        p->err.len ? ": " : "", p->err.len ? hn_tail(&p->err, 300, tail, sizeof tail) : "");
    }
    if (p->out.len)
        return hn_error("%s printed no line 'listening on ADDR:PORT' within %d ms; its output "
                        "began: %s", p->name, sl_scaled_ms(SL_LISTEN_MS),
                        sl_show(p->out.data, p->out.len, 80, tail, sizeof tail));
    return hn_error("%s printed no line 'listening on ADDR:PORT' within %d ms (print it, "
                    "then fflush(stdout), once the socket listens)", p->name,
                    sl_scaled_ms(SL_LISTEN_MS));
}

/* The address as host and port: "::1" and 40123. */
static void name_of(const struct sockaddr_storage *ss, socklen_t len, char *host, size_t hostsz,
                    int *port)
{
    char serv[16];
    if (getnameinfo((const struct sockaddr *)ss, len, host, (socklen_t)hostsz, serv,
                    sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        snprintf(host, hostsz, "?"), snprintf(serv, sizeof serv, "0");
    *port = atoi(serv);
}

/* Checks the line itself: first and only, and where it was asked to listen. */
static int check_line(sl_server_t *s, const char *host)
{
    char line[160], shown[200];
    sl_prog_t *p = &s->prog;
    first_line(p, line, sizeof line);
    if (strncmp(line, LISTENING, strlen(LISTENING)) != 0)
        return hn_error("%s printed %s before 'listening on ...': the listening line must "
                        "be the first line of its output", p->name,
                        sl_show(line, strlen(line), 60, shown, sizeof shown));
    if (sl_parse_listening(line, &s->addr, &s->addrlen) < 0)
        return hn_error("%s printed %s: expected 'listening on ADDR:PORT' with a numeric "
                        "address ([ADDR] for IPv6) and the port it got", p->name,
                        sl_show(line, strlen(line), 80, shown, sizeof shown));
    name_of(&s->addr, s->addrlen, s->host, sizeof s->host, &s->port);
    if (strcmp(s->host, host) != 0)
        return hn_error("%s was asked to listen on %s (-b %s) but says %s", p->name, host, host,
                        line + strlen(LISTENING));
    snprintf(s->where, sizeof s->where, s->addr.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d",
             s->host, s->port);
    return 0;
}

int sl_server_start(sl_server_t *s, const char *name, const char *host,
                    const char *const *args)
{
    return sl_server_start_env(s, name, host, args, NULL);
}

/* Does the NULL-terminated args hold the option opt ("-p")? */
static int has_option(const char *const *args, const char *opt)
{
    for (size_t i = 0; args && args[i]; i++)
        if (strcmp(args[i], opt) == 0)
            return 1;
    return 0;
}

/* argv of a server: `-b host` unless args bind it, `-p 0` unless args
 * name a port, then args (at most 35 of them). */
static void server_argv(const char *argv[40], const char *host, const char *const *args)
{
    size_t n = 0;
    if (!has_option(args, "-b"))
        argv[n++] = "-b", argv[n++] = host;
    if (!has_option(args, "-p"))
        argv[n++] = "-p", argv[n++] = "0";
    for (size_t i = 0; args && args[i] && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
}

int sl_server_start_env(sl_server_t *s, const char *name, const char *host,
                        const char *const *args, const char *const *env)
{
    const char *argv[40];
    server_argv(argv, host, args);
    memset(s, 0, sizeof *s);
    if (sl_prog_start_env(&s->prog, name, argv, 0, env) < 0)
        return -1;
    int got = sl_prog_read(&s->prog, LISTENING, sl_deadline(SL_LISTEN_MS));
    if (got <= 0)
        return not_listening(s, got < 0);
    if (check_line(s, host) < 0)
        return -1;
    sl_note("%s: listening on %s", name, s->where);
    sl_note("replay by hand: %s", s->prog.command);
    return 0;
}

/* The servers whose replay line the transcript has, by pid (a test is a
 * process of its own: pids are not reused within one). */
static pid_t told[64];
static size_t ntold;

void hn_replay_talk(const sl_server_t *s, int udp)
{
    for (size_t i = 0; i < ntold; i++)
        if (told[i] == s->prog.pid)
            return;
    if (ntold < sizeof told / sizeof told[0])
        told[ntold++] = s->prog.pid;
    const char *host = s->host;
    if (!udp) {
        sl_note("then, with the port it prints: nc %s PORT", host);
        return;
    }
    int v6 = s->addr.ss_family == AF_INET6;
    sl_note("then, with the port it prints: nc -u %s PORT (or socat - UDP%s:%s%s%s:PORT)", host,
            v6 ? "6" : "4", v6 ? "[" : "", host, v6 ? "]" : "");
}

int sl_server_stop(sl_server_t *s)
{
    int rc = sl_prog_stop(&s->prog, SIGTERM, SL_STOP_MS);
    sl_prog_free(&s->prog);
    return rc;
}
