/* Task 1: URLs (url_parse, url_resolve, url_format), checked on exact
 * strings, the reference resolution examples of RFC 3986 §5.4 among
 * them. */
#include "testutil.h"

SL_TASK(1, "URLs");

/* url_parse(text) must give host, ipv6, port and target. */
static int parses_to(const char *text, const char *host, int ipv6, int port, const char *target)
{
    url_t *u = malloc(sizeof *u);
    char what[300];
    int rc, ok = 0;

    snprintf(what, sizeof what, "url_parse(\"%s\")", text);
    errno = 0;
    SL_QUIET_CALL(rc, url_parse(text, u));
    if (rc != 0)
        SL_FAIL("%s returned %s: expected 0", what, tu_ret(rc, errno));
    else {
        char w[340];

        ok = 1;
        snprintf(w, sizeof w, "%s: host", what);
        ok &= SL_CHECK_STR(w, u->host, host);
        snprintf(w, sizeof w, "%s: ipv6", what);
        ok &= SL_CHECK_INT(w, u->ipv6, ipv6);
        snprintf(w, sizeof w, "%s: port", what);
        ok &= SL_CHECK_INT(w, u->port, port);
        snprintf(w, sizeof w, "%s: target", what);
        ok &= SL_CHECK_STR(w, u->target, target);
    }
    free(u);
    return ok;
}

/* url_parse(text) must fail with err; `why` says what is wrong with it. */
static void refused(const char *text, int err, const char *why)
{
    url_t *u = malloc(sizeof *u);
    char what[300];
    int rc;

    errno = 0;
    SL_QUIET_CALL(rc, url_parse(text, u));
    snprintf(what, sizeof what, "url_parse(%s) (%s)", sl_bytes(text, strlen(text)), why);
    SL_CHECK_FAILS(what, rc, errno, err);
    free(u);
}

SL_TEST(url_parse_names_ports_targets, 2,
        "After \"http://\" the authority runs to the first '/', '?' or '#'; a ':' in it "
        "starts the port (absent or empty: 80). The target is the path and query, \"/\" "
        "when the path is empty, never the '#' fragment (RFC 9112 §3.2.1).")
{
    parses_to("http://example.com/index.html", "example.com", 0, 80, "/index.html");
    parses_to("http://example.com", "example.com", 0, 80, "/");
    parses_to("HTTP://Example.COM:8080/a/b?x=1&y=2#top", "Example.COM", 0, 8080, "/a/b?x=1&y=2");
    parses_to("http://h?q=1", "h", 0, 80, "/?q=1");
    parses_to("http://h#frag", "h", 0, 80, "/");
    parses_to("http://h:/x", "h", 0, 80, "/x");
    parses_to("http://my-host_1.example:65535/%7Euser/a%20b", "my-host_1.example", 0, 65535,
              "/%7Euser/a%20b");
    parses_to("http://h/a:b@c;d=e,f+g!$&'()*~", "h", 0, 80, "/a:b@c;d=e,f+g!$&'()*~");
}

SL_TEST(url_parse_addresses, 2,
        "An IPv4 address is a host like a name. An IPv6 address comes in brackets, "
        "\"[::1]\" (RFC 3986 §3.2.2): the port's ':' is the one after ']'. Store it "
        "without the brackets, set ipv6, and check it with inet_pton(AF_INET6).")
{
    parses_to("http://127.0.0.1:8000/", "127.0.0.1", 0, 8000, "/");
    parses_to("http://[::1]:8080/x", "::1", 1, 8080, "/x");
    parses_to("http://[2001:db8::7]/", "2001:db8::7", 1, 80, "/");
    parses_to("http://[::ffff:192.0.2.1]", "::ffff:192.0.2.1", 1, 80, "/");
}

SL_TEST(url_parse_rejects_malformed, 3,
        "Check every piece: an empty host (RFC 9110 §4.2.1), userinfo (§4.2.4), a port "
        "that is not 1 to 65535 in digits alone, brackets that do not hold an IPv6 "
        "address, and characters a URL may not hold in its path (a space, CR, LF: they "
        "would end the request line early), each EINVAL.")
{
    SL_REQUIRE(parses_to("http://h:81/p", "h", 0, 81, "/p"), 1);
    refused("", EINVAL, "empty");
    refused("example.com/x", EINVAL, "no scheme");
    refused("http:", EINVAL, "nothing after the scheme");
    refused("http://", EINVAL, "an empty host");
    refused("http:///x", EINVAL, "an empty host");
    refused("http:x/y", EINVAL, "no \"//\"");
    refused("http://:80/", EINVAL, "an empty host before the port");
    refused("http://h:0/", EINVAL, "port 0");
    refused("http://h:65536/", EINVAL, "a port past 65535");
    refused("http://h:123456/", EINVAL, "a port of six digits");
    refused("http://h:8x/", EINVAL, "a port with a letter");
    refused("http://h:-1/", EINVAL, "a negative port");
    refused("http://h: 80/", EINVAL, "a space in the port");
    refused("http://[::1/", EINVAL, "no ']'");
    refused("http://[zz]/", EINVAL, "brackets without an IPv6 address");
    refused("http://[::1]x/", EINVAL, "something between ']' and the path");
    refused("http://user:pw@h/", EINVAL, "userinfo");
    refused("http://h%41/", EINVAL, "a '%' in the host");
    refused("http://h o/", EINVAL, "a space in the host");
    refused("http://h/a b", EINVAL, "a space in the path");
    refused("http://h/a\r\nX-Injected: 1", EINVAL, "CR LF in the path");
    refused("http://h/\x80", EINVAL, "a byte of 0x80");
    refused("http://h/%zz", EINVAL, "'%' without two hex digits");
    refused("http://h/%4", EINVAL, "'%' with one hex digit at the end");
    refused("http://h/a<b>", EINVAL, "'<' in the path");
    refused("http://h/#a b", EINVAL, "a space in the fragment");
}

SL_TEST(url_parse_only_http, 2,
        "The scheme is what comes before the first ':' (a letter, then letters, digits, "
        "'+', '-', '.'): compare it with \"http\" in any case (strncasecmp) and fail "
        "with EPROTONOSUPPORT for any other, so that the program can say \"only http://\".")
{
    SL_REQUIRE(parses_to("Http://h/", "h", 0, 80, "/"), 1);
    refused("https://example.com/", EPROTONOSUPPORT, "https");
    refused("ftp://example.com/f", EPROTONOSUPPORT, "ftp");
    refused("gopher://example.com:70/1", EPROTONOSUPPORT, "gopher");
    refused("httpx://example.com/", EPROTONOSUPPORT, "httpx");
    refused("mailto:a@example.com", EPROTONOSUPPORT, "mailto");
}

SL_TEST(url_parse_lengths, 1,
        "A host of URL_HOST_MAX bytes or more, or a target that does not fit in "
        "URL_TARGET_MAX with its NUL, is ENAMETOOLONG: check before you copy.")
{
    static char text[URL_TARGET_MAX + 300];

    SL_REQUIRE(parses_to("http://h/p", "h", 0, 80, "/p"), 1);
    memcpy(text, "http://", 7);
    memset(text + 7, 'a', URL_HOST_MAX);
    strcpy(text + 7 + URL_HOST_MAX, "/x");
    refused(text, ENAMETOOLONG, "a host of 256 letters");
    memset(text + 7, 'a', URL_HOST_MAX - 1);
    text[7 + URL_HOST_MAX - 1] = '\0';
    strcat(text, "/x");
    SL_HINT("A host of URL_HOST_MAX - 1 bytes fits, with its NUL.")
    {
        url_t *u = malloc(sizeof *u);
        int rc;

        SL_QUIET_CALL(rc, url_parse(text, u));
        SL_CHECK_INT("url_parse() of a host of 255 letters", rc, 0);
        free(u);
    }
    strcpy(text, "http://h/");
    memset(text + 9, 'p', URL_TARGET_MAX);
    text[9 + URL_TARGET_MAX] = '\0';
    refused(text, ENAMETOOLONG, "a target of 4097 bytes");
}

/* url_resolve(base, ref) must give the URL `want`, written as
 * url_format() writes one (":PORT" only when it is not 80) but by the
 * test itself, from out's host, port and target. */
static int resolves(const char *base_text, const char *ref, const char *want)
{
    url_t *base = malloc(sizeof *base), *out = malloc(sizeof *out);
    char what[300], got[URL_TARGET_MAX + 400];
    int rc, ok = 0;

    SL_QUIET_CALL(rc, url_parse(base_text, base));
    if (rc != 0)
        SL_FAIL_FATAL("url_parse(\"%s\") returned %s: Task 1's parse must work first",
                      base_text, tu_ret(rc, errno));
    snprintf(what, sizeof what, "url_resolve(\"%s\", \"%s\")", base_text, ref);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(base, ref, out));
    if (rc != 0) {
        SL_FAIL("%s returned %s: expected %s", what, tu_ret(rc, errno), want);
    } else {
        char port[16] = "";

        if (out->port != URL_HTTP_PORT)
            snprintf(port, sizeof port, ":%d", out->port);
        snprintf(got, sizeof got, "http://%s%s%s%s%s", out->ipv6 ? "[" : "", out->host,
                 out->ipv6 ? "]" : "", port, out->target);
        ok = SL_CHECK_STR(what, got, want);
    }
    free(base);
    free(out);
    return ok;
}

SL_TEST(url_resolve_rfc3986_examples, 4,
        "RFC 3986 §5.2.2 says what to take from the base and from the reference; §5.2.3 "
        "merges a relative path with all of the base's path up to its last '/'; §5.2.4 "
        "removes \".\" and \"..\" segments (\"..\" takes the segment before it, never "
        "more than the root). §5.4 lists these very examples.")
{
    static const char *const cases[][2] = {
        /* §5.4.1, normal examples */
        {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},
        {"//g", "http://g/"}, {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q"},
        {"g#s", "http://a/b/c/g"}, {"g?y#s", "http://a/b/c/g?y"},
        {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"},
        {"g;x?y#s", "http://a/b/c/g;x?y"},
        {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"}, {"..", "http://a/b/"},
        {"../", "http://a/b/"}, {"../g", "http://a/b/g"},
        {"../..", "http://a/"}, {"../../", "http://a/"},
        {"../../g", "http://a/g"},
        /* §5.4.2, abnormal examples */
        {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"}, {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g"}, {"g#s/../x", "http://a/b/c/g"},
    };
    int failed = 0;

    url_t *u = malloc(sizeof *u);
    int rc;

    for (size_t i = 0; i < SL_COUNT(cases) && failed < 4; i++)
        failed += !resolves("http://a/b/c/d;p?q", cases[i][0], cases[i][1]);
    /* "g:h" (§5.4.1) is a URL of scheme g; "http:g" (§5.4.2) one of scheme
     * http without "//": for a strict parser, as this one is, not an http
     * URL that names a host */
    SL_QUIET_CALL(rc, url_parse("http://a/b/c/d;p?q", u));
    SL_REQUIRE(rc, 0);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, "g:h", u));
    SL_CHECK_FAILS("url_resolve(\"http://a/b/c/d;p?q\", \"g:h\") (scheme g)", rc, errno,
                   EPROTONOSUPPORT);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, "http:g", u));
    SL_CHECK_FAILS("url_resolve(\"http://a/b/c/d;p?q\", \"http:g\") (http without \"//\")",
                   rc, errno, EINVAL);
    free(u);
}

SL_TEST(url_resolve_authorities_and_schemes, 2,
        "A reference with a scheme is a URL of its own (url_parse(): https is "
        "EPROTONOSUPPORT); one that starts with \"//\" brings its own host and port "
        "(80 if it has none); any other keeps the base's host and port. Work in a "
        "url_t of your own: out may be the base itself.")
{
    url_t *u = malloc(sizeof *u);
    int rc;

    resolves("http://a:8080/x/y", "/z", "http://a:8080/z");
    resolves("http://a:8080/x/y", "z?q", "http://a:8080/x/z?q");
    resolves("http://a:8080/x/y", "//b/w", "http://b/w");
    resolves("http://a:8080/x/y", "//b:81", "http://b:81/");
    resolves("http://a:8080/x/y", "http://c:82/v/../w", "http://c:82/w");
    resolves("http://[::1]:8080/x/y", "../w", "http://[::1]:8080/w");
    resolves("http://a/x", "HTTP://[::1]/", "http://[::1]/");
    SL_QUIET_CALL(rc, url_parse("http://a/x", u));
    SL_REQUIRE(rc, 0);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, "https://a/", u));
    SL_CHECK_FAILS("url_resolve(http://a/x, \"https://a/\")", rc, errno, EPROTONOSUPPORT);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, "/a b", u));
    SL_CHECK_FAILS("url_resolve(http://a/x, \"/a b\") (a space)", rc, errno, EINVAL);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, "//user@b/", u));
    SL_CHECK_FAILS("url_resolve(http://a/x, \"//user@b/\") (userinfo)", rc, errno, EINVAL);
    SL_QUIET_CALL(rc, url_resolve(u, "../../q", u));
    if (SL_CHECK_INT("url_resolve(u, \"../../q\", u): out is the base", rc, 0))
        SL_CHECK_STR("url_resolve(u, \"../../q\", u): its target", u->target, "/q");
    free(u);
}

SL_TEST(url_resolve_empty_and_long_references, 2,
        "An empty reference (or \"?q\") keeps the base's path as it is, dots and all "
        "(RFC 3986 §5.2.2 removes dot segments only from a reference's own path). A merged "
        "path that would not fit in URL_TARGET_MAX is ENAMETOOLONG: check the base's part "
        "and the reference's together before you copy either.")
{
    static char base[URL_TARGET_MAX + 64], ref[8200];
    url_t *u = malloc(sizeof *u);
    int rc;

    resolves("http://a/x/./y/../z?q", "", "http://a/x/./y/../z?q");
    resolves("http://a/x/./y/../z?q", "?r", "http://a/x/./y/../z?r");
    resolves("http://a/x/./y/../z?q", "#f", "http://a/x/./y/../z?q");
    snprintf(base, sizeof base, "http://a/");
    memset(base + 9, 'a', 4000);
    strcpy(base + 9 + 4000, "/");                 /* a path of 4002 bytes */
    memset(ref, 'b', 8000);
    ref[8000] = '\0';                             /* a relative path of 8000 */
    SL_QUIET_CALL(rc, url_parse(base, u));
    SL_REQUIRE(rc, 0);
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, ref, u));
    SL_CHECK_FAILS("url_resolve() of a base path of 4002 bytes and a reference \"bbb...\" of "
                   "8000", rc, errno, ENAMETOOLONG);
    ref[0] = '/';
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, ref, u));
    SL_CHECK_FAILS("url_resolve() of a reference \"/bbb...\" of 8000 bytes", rc, errno,
                   ENAMETOOLONG);
    ref[0] = '?';
    errno = 0;
    SL_QUIET_CALL(rc, url_resolve(u, ref, u));
    SL_CHECK_FAILS("url_resolve() of a reference \"?bbb...\" of 8000 bytes", rc, errno,
                   ENAMETOOLONG);
    memset(ref, 'b', 90);
    ref[90] = '\0';
    SL_QUIET_CALL(rc, url_resolve(u, ref, u));
    if (SL_CHECK_INT("url_resolve() of that base and a reference of 90 bytes (it fits)", rc, 0))
        SL_CHECK_INT("the length of its target", (long long)strlen(u->target), 4002 + 90);
    free(u);
}

SL_TEST(url_format_writes_back, 1,
        "snprintf() \"http://\", the host (\"[\" and \"]\" around an IPv6 address), "
        "\":PORT\" only when the port is not 80, then the target; snprintf()'s return "
        "value of size or more means it did not fit: ENOSPC.")
{
    static const char *const texts[][2] = {
        {"http://example.com/x?y", "http://example.com/x?y"},
        {"http://example.com:80", "http://example.com/"},
        {"http://h:8080/p", "http://h:8080/p"},
        {"http://[::1]:8080/p", "http://[::1]:8080/p"},
        {"http://[::1]/", "http://[::1]/"},
    };
    url_t *u = malloc(sizeof *u);
    char buf[64], what[128];
    int rc;

    for (size_t i = 0; i < SL_COUNT(texts); i++) {
        SL_QUIET_CALL(rc, url_parse(texts[i][0], u));
        SL_REQUIRE(rc, 0);
        snprintf(what, sizeof what, "url_format(\"%s\")", texts[i][0]);
        SL_QUIET_CALL(rc, url_format(u, buf, sizeof buf));
        if (SL_CHECK_STR(what, rc < 0 ? NULL : buf, texts[i][1]))
            SL_CHECK_INT(what, rc, (int)strlen(texts[i][1]));
    }
    SL_QUIET_CALL(rc, url_parse("http://example.com/x?y", u));
    errno = 0;
    SL_QUIET_CALL(rc, url_format(u, buf, 22));
    SL_CHECK_FAILS("url_format(\"http://example.com/x?y\", a buffer of 22 bytes: one short)",
                   rc, errno, ENOSPC);
    free(u);
}
