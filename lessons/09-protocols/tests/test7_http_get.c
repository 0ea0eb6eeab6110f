/* Task 7: http-get, run against servers of the test's own (canned.h: a
 * thread of trusted code serving canned responses) and against Python's
 * http.server. No student code runs in these tests' process. */
#include <dirent.h>
#include <sys/resource.h>

#include "canned.h"

SL_TASK_PROGRAMS(7, "The HTTP client");

#define TEXT(s) (s), sizeof(s) - 1

/* Runs http-get with args for at most ms; ends the test if it was still
 * running then, saying `stuck` (what it probably waits for), or that the
 * test's server still waited for the end of the request. */
static void hg_run(sl_run_t *r, const char *const *args, int ms, const char *stuck)
{
    int rc = sl_run(r, "http-get", args, NULL, 0, ms);

    sl_prog_check_todo(&r->prog);
    if (rc < 0 && r->timed_out) {
        if (cs_last != NULL)
            stuck = cs_stuck(cs_last, stuck);
        SL_FAIL_FATAL("%s was still running after %d ms (it was killed)%s%s", r->prog.command,
                      sl_scaled_ms(ms), stuck ? ": " : "", stuck ? stuck : "");
    }
    if (rc < 0)
        sl_harness_fail(__FILE__, __LINE__);
}

/* The command in words, for messages. */
static const char *hg_words(const sl_run_t *r)
{
    return r->prog.command;
}

/* http-get URL must print want on stdout, nothing on stderr, exit 0. */
static void hg_gets(const char *url, const void *want, size_t want_len, const char *stuck)
{
    const char *args[] = {url, NULL};
    sl_run_t r;

    hg_run(&r, args, 5000, stuck);
    if (sl_check_exit(&r, hg_words(&r), 0)) {
        SL_CHECK_BYTES(hg_words(&r), r.prog.out.data, r.prog.out.len, want, want_len);
        if (r.prog.err.len)
            SL_FAIL("%s printed %s on stderr: expected nothing", hg_words(&r),
                    sl_bytes(r.prog.err.data, r.prog.err.len));
    }
    sl_run_free(&r);
}

/* http-get args must fail: exit 1, one error line holding `has` (or
 * NULL), nothing on stdout. */
static void hg_fails(const char *const *args, const char *has, const char *why, int ms,
                     const char *stuck)
{
    sl_run_t r;
    char what[600];

    hg_run(&r, args, ms, stuck);
    snprintf(what, sizeof what, "%.400s (%.150s)", hg_words(&r), why);
    if (sl_run_status(&r) == 0)
        SL_FAIL("%s exited with status 0, printing %zu bytes: that is a failure, to be said "
                "on stderr with exit status 1", what, r.prog.out.total);
    else if (sl_check_exit(&r, what, 1)) {
        sl_check_error_line(&r, what, has);
        if (r.prog.out.len)
            SL_FAIL("%s printed %s on stdout: a failed GET prints no body", what,
                    sl_bytes(r.prog.out.data, r.prog.out.len));
    }
    sl_run_free(&r);
}

/* The request s got on connection i must be a GET of target with the
 * contract's fields. */
static void request_was(const cs_t *s, int i, const char *target)
{
    char line[600], host[100];
    const char *req = s->request[i];

    snprintf(line, sizeof line, "GET %s HTTP/1.1\r\n", target);
    if (strncmp(req, line, strlen(line)) != 0) {
        SL_FAIL("request %d to the test's server: expected it to start with %s, got %s", i + 1,
                sl_bytes(line, strlen(line)), sl_bytes(req, strlen(req)));
        return;
    }
    snprintf(host, sizeof host, "\r\nHost: %s%s%s:%d\r\n", strchr(s->host, ':') ? "[" : "",
             s->host, strchr(s->host, ':') ? "]" : "", s->port);
    if (strstr(req, host) == NULL)
        SL_FAIL("request %d: expected a field %s, got %s", i + 1, sl_bytes(host + 2, strlen(host) - 4),
                sl_bytes(req, strlen(req)));
    if (strstr(req, "\r\nUser-Agent: ") == NULL)
        SL_FAIL("request %d has no User-Agent field: %s", i + 1, sl_bytes(req, strlen(req)));
    if (strstr(req, "\r\nConnection: close\r\n") == NULL)
        SL_FAIL("request %d has no \"Connection: close\": %s", i + 1, sl_bytes(req, strlen(req)));
}

SL_NET_TEST(get_prints_the_body, 2, 0,
            "Parse the URL, connect to its host and port (net_connect()), send "
            "http_format_request(), read the head, then write every piece "
            "http_read_body() gives to stdout until it returns 0, and exit 0.")
{
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                               "Content-Length: 12\r\n\r\nhello world\n";
    cs_t *s = cs_new(TEXT(resp), CS_ALL);

    cs_start(s, host);
    hg_gets(cs_url(s, "/hello.txt?x=1#frag"), "hello world\n", 12, NULL);
    if (s->requests >= 1)
        request_was(s, 0, "/hello.txt?x=1");
    cs_stop(s);
    free(s);
}

SL_TEST(get_content_length_with_a_keepalive_server, 3,
        "Content-Length ignored? The server sent its 12 bytes and keeps the connection "
        "open, as most do: read exactly Content-Length bytes and stop, never wait for "
        "the close.")
{
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n";
    cs_t *s = cs_new(TEXT(resp), CS_HOLD);

    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/"), "hello world\n", 12,
            "the body's 12 bytes were sent and the server kept the connection open: "
            "Content-Length ignored, reading until the close?");
    cs_stop(s);
    free(s);
}

SL_TEST(get_chunked, 3,
        "Chunk sizes are hexadecimal (\"1a\" is 26 bytes), extensions after ';' are "
        "ignored, trailers are read, and the empty line after them ends the body: the "
        "server then keeps the connection open.")
{
    static const char resp[] = "HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n"
                               "Content-Length: 3\r\n\r\n"
                               "1a;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                               "A\r\n0123456789\r\n"
                               "10\r\nABCDEFGHIJKLMNOP\r\n"
                               "0\r\nX-Trailer: yes\r\n\r\n";
    cs_t *s = cs_new(TEXT(resp), CS_HOLD);

    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/chunks"), "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP", 52,
            "the last chunk and its trailers came and the server kept the connection open: "
            "the chunked body's end not seen?");
    cs_stop(s);
    free(s);
}

SL_TEST(get_body_to_the_close, 1,
        "With neither Content-Length nor Transfer-Encoding (an HTTP/1.0 server), the body "
        "is everything up to the close.")
{
    static const char resp[] = "HTTP/1.0 200 OK\nServer: old\n\nall of it, to the close\n";
    cs_t *s = cs_new(TEXT(resp), CS_ALL);

    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/old"), "all of it, to the close\n", 24, NULL);
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_one_byte_at_a_time, 2, 8000,
                "A slow server sends its response one byte per segment: every line and "
                "every chunk comes in many reads. The reader keeps what came and reads "
                "on.")
{
    static const char resp[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                               "X-Slow: one byte at a time\r\n\r\n"
                               "5\r\nslow \r\n7;ext\r\nbytes, \r\nc\r\nbut all here\r\n0\r\n\r\n";
    cs_t *s = cs_new(TEXT(resp), CS_BYTES);

    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/slow"), "slow bytes, but all here", 24, NULL);
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_follows_redirects, 3, 10000,
        "For 301, 302, 303, 307 and 308, resolve the Location against the URL that gave "
        "it (url_resolve(): it may be relative: \"b\" from /dir/a is /dir/b, \"/b\", "
        "\"../d\", \"//host:port/e\"), close, and GET that.")
{
    static char r[7][300];
    cs_t *s = cs_new(NULL, 0, CS_ALL);
    char origin[100];

    s->replies = 0;
    cs_start(s, "127.0.0.1");
    snprintf(origin, sizeof origin, "127.0.0.1:%d", s->port);
    snprintf(r[0], sizeof r[0], "HTTP/1.1 302 Found\r\nLocation: b\r\nContent-Length: 0\r\n\r\n");
    snprintf(r[1], sizeof r[1], "HTTP/1.1 301 Moved\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n");
    snprintf(r[2], sizeof r[2], "HTTP/1.1 302 Found\r\nlocation: c\r\n\r\n");
    snprintf(r[3], sizeof r[3], "HTTP/1.1 303 See Other\r\nLocation:   ../d/e?x=1  \r\n\r\n");
    snprintf(r[4], sizeof r[4], "HTTP/1.1 307 Temporary\r\nLocation: //%s/f\r\n\r\n", origin);
    snprintf(r[5], sizeof r[5], "HTTP/1.1 308 Permanent\r\nLocation: http://%s/g#x\r\n"
             "Transfer-Encoding: chunked\r\n\r\n4\r\nmove\r\n0\r\n\r\n", origin);
    snprintf(r[6], sizeof r[6], "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\narrive");
    for (int i = 0; i < 7; i++)
        cs_add(s, r[i], strlen(r[i]), CS_ALL);
    hg_gets(cs_url(s, "/dir/a"), "arrive", 6, NULL);
    if (s->requests >= 2 && strncmp(s->request[1], "GET /b ", 7) == 0)
        SL_FAIL("GET /dir/a got \"Location: b\", and the next request was %s: a relative "
                "reference replaces the last segment of the base's path, /dir/a + b = /dir/b "
                "(RFC 3986 §5.2.3), not the root's", sl_bytes(s->request[1], 7));
    {
        static const char *const targets[] = {"/dir/a", "/dir/b", "/b", "/c", "/d/e?x=1",
                                              "/f", "/g"};

        for (int i = 0; i < 7 && i < s->requests; i++)
            request_was(s, i, targets[i]);
        SL_CHECK_INT("requests the test's server got (the URL and six redirects)",
                     s->requests, 7);
    }
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_redirect_loop_is_bounded, 3, 8000,
                "A redirect loop followed forever? A server may send the client round "
                "and round: count the redirects, and after HTTP_REDIRECTS_MAX (10) say "
                "so on stderr (\"redirect\" in the line) and exit 1.")
{
    static const char resp[] = "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n";
    cs_t *s = cs_new(TEXT(resp), CS_ALL);
    const char *args[] = {NULL, NULL};

    cs_start(s, "127.0.0.1");
    args[0] = cs_url(s, "/loop");
    hg_fails(args, "redirect", "a server that redirects /loop to /loop", 6000,
             "the server redirects /loop to /loop for ever: a redirect loop followed "
             "forever?");
    SL_CHECK_INT("requests the test's server got (the URL and 10 redirects)", s->requests, 11);
    cs_stop(s);
    free(s);
}

SL_TEST(get_ten_redirects_are_followed, 1,
        "HTTP_REDIRECTS_MAX is 10: ten redirects in a row are followed, and the eleventh "
        "would be too many.")
{
    static const char hop[] = "HTTP/1.1 307 Temporary\r\nLocation: next\r\n\r\n",
                      end[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone";
    cs_t *s = cs_new(TEXT(hop), CS_ALL);

    for (int i = 1; i < 10; i++)
        cs_add(s, TEXT(hop), CS_ALL);
    cs_add(s, TEXT(end), CS_ALL);
    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/start"), "done", 4, NULL);
    SL_CHECK_INT("requests the test's server got", s->requests, 11);
    cs_stop(s);
    free(s);
}

/* A fresh empty folder; its path in dir. */
static void tmp_dir(char *dir, size_t size)
{
    const char *t = getenv("TMPDIR");

    snprintf(dir, size, "%s/socklab-09-XXXXXX", t && *t ? t : "/tmp");
    if (mkdtemp(dir) == NULL)
        SL_FAIL_FATAL("test setup: mkdtemp(%s): %s", dir, strerror(errno));
}

/* The names in dir, "a, b" ("" when empty), into out; removes them all
 * and dir too when `remove_all`. */
static const char *dir_names(const char *dir, char *out, size_t size, int remove_all)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t len = 0;

    out[0] = '\0';
    while (d && (e = readdir(d)) != NULL) {
        char path[1200];

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        len += (size_t)snprintf(out + len, len < size ? size - len : 0, "%s%s", len ? ", " : "",
                                e->d_name);
        if (remove_all) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    if (remove_all)
        rmdir(dir);
    return out;
}

/* http-get URL -o DIR/out.bin against reply r must fail and leave dir empty. */
static void no_file_left(const char *data, size_t len, int how, size_t body_len, const char *why)
{
    cs_t *s = cs_new(data, len, how);
    char dir[1024], file[1100], names[1024];
    const char *args[] = {NULL, "-o", file, NULL};

    s->reply[0].body_len = body_len;
    cs_start(s, "127.0.0.1");
    tmp_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/out.bin", dir);
    args[0] = cs_url(s, "/file.bin");
    hg_fails(args, NULL, why, 5000, NULL);
    dir_names(dir, names, sizeof names, 1);
    if (names[0])
        SL_HINT("A partial file kept? Write the body to a temporary file (mkstemp() of "
                "\"FILE.part-XXXXXX\"), rename() it to FILE only once http_read_body() "
                "returned 0, and unlink() it on every failure.")
        {
            SL_FAIL("http-get -o %s failed (%s), and left %s in its folder: a failed "
                    "download leaves no new FILE and no temporary file", file, why, names);
        }
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_truncated_leaves_no_file, 4, 10000,
        "A partial file kept? When the body is cut short (the connection closes before "
        "Content-Length bytes, or before the last chunk), the download failed: say so, "
        "exit 1, and unlink() the temporary file: FILE must not exist.")
{
    static const char cl[] = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n",
                      ch[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "10\r\n0123456789abcdef\r\n4\r\nabcd\r\n";

    no_file_left(TEXT(cl), CS_ALL, 100000, "Content-Length 200000 and 100000 bytes, then the close");
    no_file_left(TEXT(ch), CS_ALL, 0, "a chunked body without its last chunk");
    no_file_left(TEXT(cl), CS_RESET, 70000, "Content-Length 200000, 70000 bytes, then a reset");
}

SL_TEST_TIMEOUT(get_saves_a_file, 2, 10000,
        "With -o FILE the body goes to FILE, byte for byte, and nothing to stdout; once "
        "renamed, no temporary file is left beside it. An old FILE is replaced.")
{
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n";
    cs_t *s = cs_new(TEXT(resp), CS_HOLD);
    char dir[1024], file[1100], names[1024];
    const char *args[] = {NULL, "-o", file, NULL};
    mode_t mask;
    sl_run_t r;
    FILE *f;

    s->reply[0].body_len = 300000;
    cs_start(s, "127.0.0.1");
    tmp_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/saved.bin", dir);
    f = fopen(file, "w");
    if (f) {
        fputs("an old file", f);
        fclose(f);
    }
    args[0] = cs_url(s, "/file.bin");
    mask = umask(027);   /* http-get inherits it: its new file must be 0640 */
    hg_run(&r, args, 5000, "all 300000 bytes were sent (Content-Length ignored?)");
    umask(mask);
    if (sl_check_exit(&r, hg_words(&r), 0)) {
        static char got[300001];
        size_t n = 0;
        struct stat st;

        f = fopen(file, "rb");
        if (f) {
            n = fread(got, 1, sizeof got, f);
            fclose(f);
        }
        if (f == NULL)
            SL_FAIL("%s exited 0 but %s does not exist", hg_words(&r), file);
        else {
            size_t bad = 0;

            while (bad < n && bad < 300000 && got[bad] == cs_byte(bad))
                bad++;
            if (n != 300000 || bad != 300000)
                SL_FAIL("%s: the file holds %zu bytes, the first %zu of them right: expected "
                        "the 300000 bytes sent", hg_words(&r), n, bad);
        }
        if (stat(file, &st) == 0 && (st.st_mode & 0777) != (0666 & ~027))
            SL_FAIL("%s, run with umask 027: the file's mode is %03o: expected %03o, as a new "
                    "file gets (0666 less the umask; mkstemp() makes 0600: fchmod() it to "
                    "0666 & ~umask)", hg_words(&r), (unsigned)(st.st_mode & 0777),
                    (unsigned)(0666 & ~027));
        if (r.prog.out.len)
            SL_FAIL("%s printed %zu bytes on stdout: with -o the body goes to the file only",
                    hg_words(&r), r.prog.out.len);
        dir_names(dir, names, sizeof names, 0);
        if (strcmp(names, "saved.bin") != 0)
            SL_FAIL("after %s the folder holds %s: expected saved.bin alone", hg_words(&r),
                    names[0] ? names : "nothing");
    }
    dir_names(dir, names, sizeof names, 1);
    sl_run_free(&r);
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_failure_keeps_the_old_file, 3, 10000,
        "Written straight to FILE? A download that fails must not touch the FILE that "
        "was there: write a temporary file beside it and rename() it over FILE only once "
        "the body is whole.")
{
    static const char cl[] = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n";
    cs_t *s = cs_new(TEXT(cl), CS_ALL);
    char dir[1024], file[1100], names[1024], got[64] = "";
    const char *args[] = {NULL, "-o", file, NULL};
    FILE *f;

    s->reply[0].body_len = 100000;
    cs_start(s, "127.0.0.1");
    tmp_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/out.bin", dir);
    f = fopen(file, "w");
    if (f == NULL || fputs("old\n", f) < 0 || fclose(f) != 0)
        SL_FAIL_FATAL("test setup: cannot write %s", file);
    args[0] = cs_url(s, "/file.bin");
    hg_fails(args, NULL, "Content-Length 200000, 100000 bytes, then the close; an old FILE "
             "there", 5000, NULL);
    f = fopen(file, "r");
    if (f == NULL)
        SL_FAIL("after the failed http-get -o %s, %s is gone: the old FILE must stay as it was",
                file, file);
    else {
        size_t n = fread(got, 1, sizeof got - 1, f);

        fclose(f);
        got[n] = '\0';
        SL_CHECK_BYTES("the old FILE after a failed download", got, n, "old\n", 4);
    }
    dir_names(dir, names, sizeof names, 0);
    if (strcmp(names, "out.bin") != 0)
        SL_FAIL("after the failed download the folder holds %s: expected out.bin alone, the "
                "old one", names[0] ? names : "nothing");
    dir_names(dir, names, sizeof names, 1);
    cs_stop(s);
    free(s);
}

/* Waits (at most ms) until dir holds a name that starts with `prefix`,
 * or program p ended; dir's names in names. 1 if the name came. */
static int wait_for_name(sl_prog_t *p, const char *dir, const char *prefix, char *names,
                         size_t size, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);

    do {
        dir_names(dir, names, size, 0);
        if (strstr(names, prefix) != NULL)
            return 1;
        if (sl_prog_wait(p, sl_deadline(20)) == 0)
            return 0;
    } while (sl_now_ms() < end);
    return 0;
}

/* How many sockets process pid (running, not reaped) has open, or -1. */
static int proc_sockets(pid_t pid)
{
    char dir[64], path[400], link[64];
    struct dirent *e;
    int n = 0;
    DIR *d;

    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    d = opendir(dir);
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        ssize_t len;

        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        len = readlink(path, link, sizeof link - 1);
        if (len > 0 && (link[len] = '\0', strncmp(link, "socket:", 7) == 0))
            n++;
    }
    closedir(d);
    return n;
}

SL_TEST_TIMEOUT(get_while_downloading, 4, 10000,
        "While the body comes, it goes to \"FILE.part-XXXXXX\" (mkstemp()) in FILE's own "
        "folder (rename() does not cross filesystems), never to FILE; after each redirect "
        "the old socket is closed; and on SIGTERM the given handler unlink()s the "
        "temporary file: copy its name into tmp_path and set tmp_live.")
{
    static const char hop1[] = "HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
                      hop2[] = "HTTP/1.1 301 Moved\r\nLocation: c\r\n\r\n",
                      hop3[] = "HTTP/1.1 307 Temporary\r\nLocation: d\r\n\r\n",
                      head[] = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n";
    cs_t *s = cs_new(TEXT(hop1), CS_ALL);
    char dir[1024], file[1100], names[1024], how[200];
    const char *args[] = {NULL, "-o", file, NULL};
    sl_prog_t p;
    int fds;

    cs_add(s, TEXT(hop2), CS_ALL);
    cs_add(s, TEXT(hop3), CS_ALL);
    cs_add(s, TEXT(head), CS_HOLD);
    s->reply[3].body_len = 50000;   /* then nothing: the download waits */
    cs_start(s, "127.0.0.1");
    tmp_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/out.bin", dir);
    args[0] = cs_url(s, "/a");
    if (sl_prog_start(&p, "http-get", args, 0) < 0)
        sl_harness_fail(__FILE__, __LINE__);
    sl_note("the server sends 3 redirects, then 50000 of the 200000 bytes, and waits");
    if (!wait_for_name(&p, dir, "out.bin", names, sizeof names, 3000)) {
        if (!p.ended)
            sl_prog_stop(&p, SIGKILL, 500);
        sl_prog_read(&p, NULL, sl_deadline(500));
        sl_prog_check_todo(&p);
        SL_FAIL("3 s after http-get -o %s started (3 redirects, then 50000 bytes of the body "
                "sent) its folder holds %s: expected out.bin.part-XXXXXX beside FILE (a "
                "temporary file elsewhere, %s?)", file, names[0] ? names : "nothing", p.ended ? "or it ended" : "in /tmp");
    } else {
        sl_sleep_ms(200);
        dir_names(dir, names, sizeof names, 0);
        if (strncmp(names, "out.bin.part-", 13) != 0 || strchr(names, ','))
            SL_FAIL("while the body comes, the folder of FILE holds %s: expected a single "
                    "out.bin.part-XXXXXX (FILE itself only once the body is whole)",
                    names[0] ? names : "nothing");
        fds = proc_sockets(p.pid);
        if (fds > 1)
            SL_FAIL("http-get has %d sockets open after 3 redirects, while the body comes: "
                    "expected 1, the last connection's; a socket left open at each "
                    "redirect?", fds);
        kill(p.pid, SIGTERM);
        if (sl_prog_wait(&p, sl_deadline(2000)) < 0)
            SL_FAIL("http-get did not end within 2 s of SIGTERM");
        else if (!WIFSIGNALED(p.status) && !(WIFEXITED(p.status) && WEXITSTATUS(p.status)))
            SL_FAIL("http-get %s after SIGTERM in the middle of a download: expected it to "
                    "end by the signal (or with a failure)", sl_prog_how(&p, how, sizeof how));
        dir_names(dir, names, sizeof names, 0);
        if (names[0])
            SL_FAIL("after SIGTERM in the middle of the download the folder holds %s: "
                    "expected it empty (on_signal() unlink()s tmp_path when tmp_live is set)",
                    names);
    }
    sl_prog_free(&p);
    dir_names(dir, names, sizeof names, 1);
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_redirect_errors_and_no_content, 2, 10000,
        "A redirect to https:// is said as such (\"http://\" in the line), a 3xx without a "
        "Location is an error that says so, each exit 1; a 204 has no body whatever its "
        "fields say: nothing on stdout, exit 0.")
{
    static const char tls[] = "HTTP/1.1 301 Moved\r\nLocation: https://127.0.0.1/\r\n\r\n",
                      none[] = "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n",
                      empty[] = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nNOPE!";
    const char *args[] = {NULL, NULL};
    cs_t *s = cs_new(TEXT(tls), CS_ALL);

    cs_start(s, "127.0.0.1");
    args[0] = cs_url(s, "/");
    hg_fails(args, "http://", "a redirect to https://127.0.0.1/", 4000, NULL);
    cs_stop(s);
    free(s);
    s = cs_new(TEXT(none), CS_ALL);
    cs_start(s, "127.0.0.1");
    args[0] = cs_url(s, "/");
    hg_fails(args, "Location", "a 302 without a Location field", 4000, NULL);
    cs_stop(s);
    free(s);
    s = cs_new(TEXT(empty), CS_HOLD);
    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/"), "", 0, "a 204 came, which has no body, and the server kept the "
            "connection open");
    cs_stop(s);
    free(s);
}

/* http-get URL under libsl-shortio.so ("short,eintr", seed) against s:
 * it must exit 0 with `want` (want_len bytes) on stdout, or, when want is
 * NULL, want_len bytes of cs_byte() (their captured head compared). 1 if
 * it did. */
static int hg_shortio_gets(cs_t *s, const char *url, const char *seed, const char *want,
                           size_t want_len)
{
    const char *args[] = {url, NULL};
    const char *const *env;
    sl_shortio_t e;
    sl_run_t r;
    int ok = 0;

    env = sl_shortio_env(&e, seed, "short,eintr", NULL);
    if (env == NULL)
        sl_harness_fail(__FILE__, __LINE__);
    if (sl_run_env(&r, "http-get", args, NULL, 0, 2500, env) < 0 && !r.timed_out)
        sl_harness_fail(__FILE__, __LINE__);
    sl_prog_check_todo(&r.prog);
    if (r.timed_out)
        SL_FAIL_FATAL("%s was still running after %d ms (it was killed): %s", hg_words(&r),
                      sl_scaled_ms(2500), cs_stuck(s, "the server had sent everything"));
    if (sl_run_status(&r) != 0 && strstr(r.prog.err.data, "nterrupted") != NULL)
        SL_FAIL("%s, run where read() often fails with EINTR, gave up with %s: a read() "
                "interrupted by a signal is no error: call it again (in http_read() too, "
                "which reads straight into the caller's buffer when its own is empty)",
                hg_words(&r), sl_bytes(r.prog.err.data, r.prog.err.len));
    else
        ok = sl_check_exit(&r, hg_words(&r), 0);
    if (ok && want != NULL)
        ok = SL_CHECK_BYTES(hg_words(&r), r.prog.out.data, r.prog.out.len, want, want_len);
    else if (ok) {
        size_t head = r.prog.out.len < SL_PROG_HEAD ? r.prog.out.len : SL_PROG_HEAD, bad = 0;

        while (bad < head && r.prog.out.data[bad] == cs_byte(bad))
            bad++;
        if (r.prog.out.total != want_len || bad < head) {
            SL_FAIL("%s printed %zu bytes, %s: expected the %zu bytes of the body",
                    hg_words(&r), r.prog.out.total, bad < head ? "the first ones wrong" :
                    "the first ones right", want_len);
            ok = 0;
        }
    }
    sl_run_free(&r);
    return ok;
}

SL_TEST_TIMEOUT(get_with_short_reads_and_eintr, 2, 12000,
        "read() on a socket may return fewer bytes than asked, or fail with EINTR when a "
        "signal came: neither is the end nor an error. http_read_line() and http_read() "
        "(also where it reads straight into the caller's buffer, as a large body does) "
        "call read() again after EINTR (here libsl-shortio.so makes it happen often).")
{
    static const char hop[] = "HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
                      resp[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                               "X-Fields: several\r\nX-More: of them\r\n\r\n"
                               "1a\r\nabcdefghijklmnopqrstuvwxyz\r\n10\r\n0123456789ABCDEF\r\n"
                               "0\r\nT: 1\r\n\r\n",
                      big[] = "HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n";
    static const char *const seeds[] = {"9", "1", "7", "3"};   /* different schedules */

    for (size_t i = 0; i < SL_COUNT(seeds); i++) {
        cs_t *s = cs_new(TEXT(hop), CS_ALL);
        int ok;

        cs_add(s, TEXT(resp), CS_BYTES);
        cs_start(s, "127.0.0.1");
        ok = hg_shortio_gets(s, cs_url(s, "/a"), seeds[i],
                             "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF", 42);
        cs_stop(s);
        free(s);
        if (!ok)
            return;
    }
    /* A body larger than HTTP_READER_SIZE: most of it comes by http_read()'s
     * own read() into the caller's buffer. */
    for (size_t i = 0; i < SL_COUNT(seeds); i++) {
        cs_t *s = cs_new(TEXT(big), CS_ALL);
        int ok;

        s->reply[0].body_len = 200000;
        cs_start(s, "127.0.0.1");
        ok = hg_shortio_gets(s, cs_url(s, "/big"), seeds[i], NULL, 200000);
        cs_stop(s);
        free(s);
        if (!ok)
            return;
    }
}

SL_TEST_SOLO(get_16_mib_byte_exact, 3, 20000,
             "16 MiB go through a buffer of 64 KiB: write each piece http_read_body() "
             "gives as it comes, and check every write(); a program that holds the body "
             "whole is seen by its peak memory.")
{
    static const char small[] = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n",
                      resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 16777216\r\n\r\n";
    cs_t *s = cs_new(TEXT(small), CS_ALL);
    struct rusage ru;
    long before;
    char dir[1024], file[1100], names[1024];
    const char *args[] = {NULL, "-o", file, NULL};
    static char got[65536];
    size_t off = 0, n;
    sl_run_t r;
    FILE *f;

    cs_add(s, TEXT(resp), CS_HOLD);
    s->reply[1].body_len = 16777216;
    cs_start(s, "127.0.0.1");
    hg_gets(cs_url(s, "/small"), "hello world\n", 12, NULL);   /* the peak memory without a body */
    getrusage(RUSAGE_CHILDREN, &ru);
    before = ru.ru_maxrss;
    tmp_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/big.bin", dir);
    args[0] = cs_url(s, "/big.bin");
    hg_run(&r, args, 15000, "the 16 MiB were sent and the connection kept open");
    getrusage(RUSAGE_CHILDREN, &ru);
    sl_note("http-get's peak memory (its maximum resident set): %ld KiB", ru.ru_maxrss);
    if (ru.ru_maxrss > before + 8 * 1024)
        SL_FAIL("%s: its peak memory was %ld KiB, %ld KiB more than for a body of 12 bytes: "
                "the 16 MiB body was held in memory? Write each piece as it comes", hg_words(&r),
                ru.ru_maxrss, ru.ru_maxrss - before);
    if (sl_check_exit(&r, hg_words(&r), 0)) {
        f = fopen(file, "rb");
        if (f == NULL)
            SL_FAIL("%s exited 0 but %s does not exist", hg_words(&r), file);
        while (f && (n = fread(got, 1, sizeof got, f)) > 0) {
            size_t i = 0;

            while (i < n && got[i] == cs_byte(off + i))
                i++;
            if (i < n) {
                SL_FAIL("%s: byte %zu of the file differs from the one sent", hg_words(&r),
                        off + i);
                break;
            }
            off += n;
        }
        if (f) {
            fclose(f);
            if (off != 16777216)
                SL_FAIL("%s: the file holds %zu bytes: expected 16777216", hg_words(&r), off);
        }
    }
    dir_names(dir, names, sizeof names, 1);
    sl_run_free(&r);
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_reports_http_errors, 2, 10000,
        "4xx and 5xx are failures: say the status and reason on stderr (\"http-get: URL: "
        "404 Not Found\"), write no body (and no file), exit 1.")
{
    static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here\n",
                      se[] = "HTTP/1.1 503 Service Unavailable\r\n\r\nbusy\n";
    cs_t *s = cs_new(TEXT(nf), CS_ALL);
    const char *args[] = {NULL, NULL};

    cs_add(s, TEXT(se), CS_ALL);
    cs_start(s, "127.0.0.1");
    args[0] = cs_url(s, "/missing");
    hg_fails(args, "404", "a 404 response", 4000, NULL);
    hg_fails(args, "503", "a 503 response", 4000, NULL);
    no_file_left(TEXT(nf), CS_ALL, 0, "a 404 response, with -o");
    cs_stop(s);
    free(s);
}

SL_TEST_TIMEOUT(get_reports_malformed_responses, 3, 10000,
        "A response that breaks RFC 9112 (no status line, a chunk size that is not hex, "
        "a Content-Length that is not a number, a space before a colon) is an error: "
        "one line on stderr, exit 1, never a crash and never a body.")
{
    static const char *const bad[][2] = {
        {"HELLO THERE\r\n\r\n", "no status line"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
         "a chunk size of \"zz\""},
        {"HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\nabc", "Content-Length: lots"},
        {"HTTP/1.1 200 OK\r\nContent-Length : 3\r\n\r\nabc", "a space before the colon"},
        {"", "no response at all, just the close"},
    };
    const char *args[] = {NULL, NULL};

    for (size_t i = 0; i < SL_COUNT(bad); i++) {
        cs_t *s = cs_new(bad[i][0], strlen(bad[i][0]), CS_ALL);

        cs_start(s, "127.0.0.1");
        args[0] = cs_url(s, "/");
        hg_fails(args, NULL, bad[i][1], 4000, NULL);
        cs_stop(s);
        free(s);
    }
}

SL_TEST_TIMEOUT(get_headers_without_end, 3, 8000,
                "A header line without limit? A server sends one header line that never "
                "ends, or header lines without end: stop at HTTP_LINE_MAX bytes or "
                "HTTP_HEADERS_MAX lines, say so, exit 1, within a second.")
{
    static const char head[] = "HTTP/1.1 200 OK\r\nX-Endless: ";
    const char *args[] = {NULL, NULL};
    const char *fill[] = {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                          "\r\nX-Again: and again"};
    const char *why[] = {"one header line without end", "header lines without end"};

    for (int i = 0; i < 2; i++) {
        cs_t *s = cs_new(TEXT(head), CS_ENDLESS);
        double t0 = sl_now_ms();

        s->reply[0].endless = fill[i];
        cs_start(s, "127.0.0.1");
        args[0] = cs_url(s, "/endless");
        hg_fails(args, NULL, why[i], 3000, i == 0 ? "a header line without limit?"
                                                   : "header lines without a limit?");
        if (sl_now_ms() - t0 > sl_scaled_ms(2000))
            SL_FAIL("http-get took %.0f ms to give up on %s", sl_now_ms() - t0, why[i]);
        cs_stop(s);
        free(s);
    }
}

SL_TEST_TIMEOUT(get_url_errors_and_usage, 2, 10000,
        "A URL that is not http:// is said as such (\"only http://\"), a malformed one as "
        "malformed, each with exit 1 and nothing on stdout; no URL, two of them, or -o "
        "without a FILE is bad usage: exit 2.")
{
    static const char *const https[] = {"https://127.0.0.1/", NULL},
                            *const ftp[] = {"ftp://127.0.0.1/f", NULL},
                            *const bad[] = {"http://[::1/", NULL},
                            *const space[] = {"http://127.0.0.1/a b", NULL},
                            *const none[] = {NULL},
                            *const two[] = {"http://a/", "http://b/", NULL},
                            *const no_file[] = {"http://a/", "-o", NULL},
                            *const opt[] = {"-x", "http://a/", NULL};

    hg_fails(https, "http://", "an https URL", 3000, NULL);
    hg_fails(ftp, "http://", "an ftp URL", 3000, NULL);
    hg_fails(bad, NULL, "a malformed URL", 3000, NULL);
    hg_fails(space, NULL, "a space in the URL", 3000, NULL);
    sl_check_bad_usage("http-get", none, "(no arguments)");
    sl_check_bad_usage("http-get", two, "http://a/ http://b/ (two URLs)");
    sl_check_bad_usage("http-get", no_file, "http://a/ -o (no FILE)");
    sl_check_bad_usage("http-get", opt, "-x http://a/ (an unknown option)");
}

SL_TEST(get_says_why_it_cannot_connect, 1,
        "When the connection fails, say so in one line (net_connect() writes the reason: "
        "\"Connection refused\"), exit 1.")
{
    cs_t *s = cs_new(TEXT("HTTP/1.1 200 OK\r\n\r\n"), CS_ALL);
    const char *args[] = {NULL, NULL};
    char url[100];

    cs_start(s, "127.0.0.1");
    snprintf(url, sizeof url, "%s", cs_url(s, "/"));
    cs_stop(s);   /* nothing listens there now */
    args[0] = url;
    hg_fails(args, strerror(ECONNREFUSED), "nothing listens on the port", 4000, NULL);
    free(s);
}

/* ---- a server nobody here wrote: python3 -m http.server ------------------ */

/* A free port on 127.0.0.1: bound, then closed (the kernel hands it out
 * again only after a while). */
static int free_port(void)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        SL_FAIL_FATAL("test setup: no free port: %s", strerror(errno));
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* Waits until something accepts on 127.0.0.1:port, by ms. */
static int wait_listening(int port, int ms)
{
    double end = sl_now_ms() + sl_scaled_ms(ms);

    while (sl_now_ms() < end) {
        struct sockaddr_in a = {0};
        int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

        a.sin_family = AF_INET;
        a.sin_port = htons((unsigned short)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        if (fd >= 0)
            close(fd);
        if (ok)
            return 0;
        sl_sleep_ms(50);
    }
    return -1;
}

SL_TEST_TIMEOUT(get_from_python_http_server, 3, 15000,
                "Python's http.server is a server nobody here wrote: HTTP/1.0 with "
                "Content-Length, and a 301 to \"/sub/\" for a folder asked for without its "
                "'/'. A client that follows the RFCs fetches from it byte for byte.")
{
    char dir[1024], file[1100], out[1100], port_text[12], names[1024], url[200];
    const char *args[] = {url, "-o", out, NULL};
    static char data[250000], got[250001];
    sl_run_t r;
    pid_t py;
    int port;
    FILE *f;

    tmp_dir(dir, sizeof dir);
    snprintf(file, sizeof file, "%s/data.bin", dir);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = cs_byte(i * 3);
    f = fopen(file, "wb");
    if (f == NULL || fwrite(data, 1, sizeof data, f) != sizeof data || fclose(f) != 0)
        SL_FAIL_FATAL("test setup: cannot write %s", file);
    snprintf(file, sizeof file, "%s/sub", dir);
    mkdir(file, 0755);
    snprintf(file, sizeof file, "%s/sub/index.html", dir);
    f = fopen(file, "w");
    if (f) {
        fputs("<p>the index of sub</p>\n", f);
        fclose(f);
    }
    port = free_port();
    snprintf(port_text, sizeof port_text, "%d", port);
    fflush(NULL);
    py = fork();
    if (py == 0) {
        int null = open("/dev/null", O_RDWR);

        dup2(null, 1);
        dup2(null, 2);
        execlp("python3", "python3", "-m", "http.server", "--bind", "127.0.0.1",
               "--directory", dir, port_text, (char *)NULL);
        _exit(127);
    }
    sl_note("started python3 -m http.server --bind 127.0.0.1 --directory %s %d", dir, port);
    if (py < 0 || wait_listening(port, 8000) < 0) {
        if (py > 0)
            kill(py, SIGKILL);
        dir_names(dir, names, sizeof names, 0);
        SL_FAIL_FATAL("test setup: python3 -m http.server did not listen on port %d within "
                      "8 s", port);
    }
    snprintf(out, sizeof out, "%s/copy.bin", dir);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/data.bin", port);
    hg_run(&r, args, 6000, NULL);
    if (sl_check_exit(&r, hg_words(&r), 0)) {
        size_t n = 0;

        f = fopen(out, "rb");
        if (f) {
            n = fread(got, 1, sizeof got, f);
            fclose(f);
        }
        if (n != sizeof data || memcmp(got, data, n) != 0)
            SL_FAIL("%s: the copy holds %zu bytes%s: expected the %zu bytes of the file",
                    hg_words(&r), n, n == sizeof data ? ", not all the same" : "", sizeof data);
    }
    sl_run_free(&r);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/sub", port);
    hg_gets(url, "<p>the index of sub</p>\n", 24, NULL);
    kill(py, SIGTERM);
    waitpid(py, NULL, 0);
    snprintf(file, sizeof file, "%s/sub/index.html", dir);
    unlink(file);
    snprintf(file, sizeof file, "%s/sub", dir);
    rmdir(file);
    dir_names(dir, names, sizeof names, 1);
}
SL_TEST_NEEDS(get_from_python_http_server, "python3");
