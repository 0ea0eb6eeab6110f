/* sl-zip.c - the zip archives of make autograder, with no zip program.
 *
 * Gradescope takes an autograder as a zip file; Debian's zip and python3
 * are not among socklab's dependencies, a C compiler is. So this writes the
 * simplest zip there is: every file stored (no compression, the tree is
 * about a megabyte), its Unix mode kept (run_autograder and the scripts
 * must stay executable), paths sorted so that one tree gives one archive.
 *
 *   sl-zip -c ARCHIVE DIR   archive every file under DIR, named from DIR
 *   sl-zip -l ARCHIVE       list it: mode, size, name, one entry a line
 *   sl-zip -x ARCHIVE DIR   extract it into DIR (no absolute names, no ..)
 *
 * Only what -c writes is read back (stored entries, no zip64): -l and -x
 * are for checking an archive where no unzip is installed.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define LOCAL_LEN 30
#define CENTRAL_LEN 46
#define END_LEN 22
#define MAX_FILE (1u << 30)     /* a file larger than this is a mistake here */
#define FLAG_UTF8 0x0800u       /* names are UTF-8 */
#define MADE_BY_UNIX ((3u << 8) | 20u)

static const char *prog = "sl-zip";

static void die(const char *what, const char *why)
{
    fprintf(stderr, "%s: %s: %s\n", prog, what, why);
    exit(1);
}

static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--)
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static void put16(unsigned char *p, unsigned v) { p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; }
static void put32(unsigned char *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static unsigned get16(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8; }
static uint32_t get32(const unsigned char *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

/* Reads a whole file (at most MAX_FILE bytes); *len gets its size. */
static unsigned char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0)
        die(path, strerror(errno));
    if ((uint64_t)st.st_size > MAX_FILE)
        die(path, "too large for this archive");
    unsigned char *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    size_t got = 0;
    if (!buf)
        die(path, "out of memory");
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            die(path, r < 0 ? strerror(errno) : "file shrank while read");
        got += (size_t)r;
    }
    close(fd);
    *len = got;
    return buf;
}

static void write_all(FILE *f, const void *p, size_t n, const char *what)
{
    if (n && fwrite(p, 1, n, f) != n)
        die(what, strerror(errno));
}

/* ---- -c: the files under DIR, sorted ------------------------------------ */

static char **paths;
static size_t npaths, cap;
static size_t root_len;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_D || type == FTW_DP)
        return 0;
    if (type != FTW_F || !S_ISREG(st->st_mode))
        die(path, "not a regular file (links and devices are not archived)");
    if (npaths == cap) {
        cap = cap ? 2 * cap : 256;
        paths = realloc(paths, cap * sizeof *paths);
        if (!paths)
            die(path, "out of memory");
    }
    paths[npaths] = strdup(path + root_len);
    if (!paths[npaths])
        die(path, "out of memory");
    npaths++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* MS-DOS time and date of t (1980 at the earliest, as the format allows). */
static void dos_time(time_t t, unsigned *tm_out, unsigned *date_out)
{
    struct tm tm;
    localtime_r(&t, &tm);
    if (tm.tm_year < 80) {
        *tm_out = 0;
        *date_out = (1u << 5) | 1u;
        return;
    }
    *tm_out = (unsigned)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
    *date_out = (unsigned)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

static int create(const char *archive, const char *dir)
{
    char root[4096];
    int n = snprintf(root, sizeof root, "%s", dir);
    while (n > 1 && root[n - 1] == '/')
        root[--n] = '\0';
    root_len = (size_t)n + 1;
    if (nftw(root, collect, 32, FTW_PHYS) != 0)
        die(dir, errno ? strerror(errno) : "cannot walk it");
    if (npaths == 0 || npaths >= 0xffff)
        die(dir, npaths ? "too many files for this archive" : "no files to archive");
    qsort(paths, npaths, sizeof *paths, by_name);

    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", archive);
    FILE *out = fopen(tmp, "wb");
    if (!out)
        die(tmp, strerror(errno));
    size_t clen = 0, ccap = 0;
    unsigned char *central = NULL;
    uint64_t offset = 0;
    for (size_t i = 0; i < npaths; i++) {
        char full[8192];
        struct stat st;
        size_t len, name_len = strlen(paths[i]);
        snprintf(full, sizeof full, "%s/%s", root, paths[i]);
        if (lstat(full, &st) < 0)
            die(full, strerror(errno));
        unsigned char *data = slurp(full, &len);
        uint32_t crc = crc32_of(data, len);
        unsigned t, d;
        dos_time(st.st_mtime, &t, &d);
        if (offset + LOCAL_LEN + name_len + len > 0xffffffffu || name_len > 0xffff)
            die(full, "the archive would be too large for a zip without zip64");

        unsigned char h[LOCAL_LEN];
        put32(h, SIG_LOCAL);
        put16(h + 4, 10);
        put16(h + 6, FLAG_UTF8);
        put16(h + 8, 0);
        put16(h + 10, t);
        put16(h + 12, d);
        put32(h + 14, crc);
        put32(h + 18, (uint32_t)len);
        put32(h + 22, (uint32_t)len);
        put16(h + 26, (unsigned)name_len);
        put16(h + 28, 0);
        write_all(out, h, sizeof h, tmp);
        write_all(out, paths[i], name_len, tmp);
        write_all(out, data, len, tmp);
        free(data);

        if (clen + CENTRAL_LEN + name_len > ccap) {
            ccap = 2 * (ccap + CENTRAL_LEN + name_len);
            central = realloc(central, ccap);
            if (!central)
                die(archive, "out of memory");
        }
        unsigned char *c = central + clen;
        memset(c, 0, CENTRAL_LEN);
        put32(c, SIG_CENTRAL);
        put16(c + 4, MADE_BY_UNIX);
        put16(c + 6, 10);
        put16(c + 8, FLAG_UTF8);
        put16(c + 12, t);
        put16(c + 14, d);
        put32(c + 16, crc);
        put32(c + 20, (uint32_t)len);
        put32(c + 24, (uint32_t)len);
        put16(c + 28, (unsigned)name_len);
        put32(c + 38, (uint32_t)(S_IFREG | (st.st_mode & 07777)) << 16);
        put32(c + 42, (uint32_t)offset);
        memcpy(c + CENTRAL_LEN, paths[i], name_len);
        clen += CENTRAL_LEN + name_len;
        offset += LOCAL_LEN + name_len + len;
    }
    write_all(out, central, clen, tmp);
    unsigned char e[END_LEN] = {0};
    put32(e, SIG_END);
    put16(e + 8, (unsigned)npaths);
    put16(e + 10, (unsigned)npaths);
    put32(e + 12, (uint32_t)clen);
    put32(e + 16, (uint32_t)offset);
    write_all(out, e, sizeof e, tmp);
    if (fclose(out) != 0)
        die(tmp, strerror(errno));
    if (rename(tmp, archive) != 0)
        die(archive, strerror(errno));
    free(central);
    return 0;
}

/* ---- -l and -x: read back what -c wrote ---------------------------------- */

/* A name that stays inside the folder it is extracted to. */
static int safe_name(const char *name)
{
    if (!*name || name[0] == '/')
        return 0;
    for (const char *p = name; *p; ) {
        size_t n = strcspn(p, "/");
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
            return 0;
        p += n;
        if (*p == '/')
            p++;
    }
    return 1;
}

static void make_parents(char *path)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
            die(path, strerror(errno));
        *p = '/';
    }
}

static int read_back(const char *archive, const char *dir)
{
    size_t len;
    unsigned char *z = slurp(archive, &len);
    if (len < END_LEN)
        die(archive, "not a zip archive");
    size_t e = len - END_LEN;   /* -c writes no archive comment */
    if (get32(z + e) != SIG_END)
        die(archive, "not a zip archive written by sl-zip (no end record where expected)");
    unsigned entries = get16(z + e + 10);
    size_t c = get32(z + e + 16);
    for (unsigned i = 0; i < entries; i++) {
        if (c + CENTRAL_LEN > len || get32(z + c) != SIG_CENTRAL)
            die(archive, "damaged central directory");
        unsigned method = get16(z + c + 10), name_len = get16(z + c + 28);
        unsigned extra = get16(z + c + 30), comment = get16(z + c + 32);
        uint32_t crc = get32(z + c + 16), size = get32(z + c + 24);
        uint32_t mode = get32(z + c + 38) >> 16, off = get32(z + c + 42);
        char name[65536];
        if (c + CENTRAL_LEN + name_len > len)
            die(archive, "damaged central directory");
        memcpy(name, z + c + CENTRAL_LEN, name_len);
        name[name_len] = '\0';
        c += CENTRAL_LEN + name_len + extra + comment;
        if (method != 0)
            die(name, "compressed entry: only stored entries are read here");
        if ((uint64_t)off + LOCAL_LEN > len || get32(z + off) != SIG_LOCAL)
            die(name, "damaged local header");
        size_t data = off + LOCAL_LEN + get16(z + off + 26) + get16(z + off + 28);
        if ((uint64_t)data + size > len)
            die(name, "entry runs past the end of the archive");
        if (crc32_of(z + data, size) != crc)
            die(name, "CRC mismatch");
        if (!dir) {
            printf("%04o %10u %s\n", (unsigned)(mode & 07777), (unsigned)size, name);
            continue;
        }
        if (!safe_name(name))
            die(name, "unsafe name (absolute, empty part or ..): not extracted");
        char path[70000];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        make_parents(path);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, (mode & 0777) ? (mode & 0777) : 0644);
        if (fd < 0)
            die(path, strerror(errno));
        for (size_t done = 0; done < size; ) {
            ssize_t w = write(fd, z + data + done, size - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                die(path, strerror(errno));
            done += (size_t)w;
        }
        if ((mode & 0777) && fchmod(fd, mode & 0777) < 0)
            die(path, strerror(errno));
        close(fd);
    }
    free(z);
    return 0;
}

int main(int argc, char **argv)
{
    crc_init();
    if (argc == 4 && strcmp(argv[1], "-c") == 0)
        return create(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "-l") == 0)
        return read_back(argv[2], NULL);
    if (argc == 4 && strcmp(argv[1], "-x") == 0) {
        if (mkdir(argv[3], 0755) < 0 && errno != EEXIST)
            die(argv[3], strerror(errno));
        return read_back(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: %s -c ARCHIVE DIR | -l ARCHIVE | -x ARCHIVE DIR\n", prog);
    return 2;
}
