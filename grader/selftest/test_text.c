/* test_text.c - self-tests of txt_clean(), txt_escape(), txt_width(),
 * txt_fit() and txt_break() (grader/common/text.c). */
#include "sl_test.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SL_TASK(3, "text: cleaning, width, escapes");

/* Checks that cleaning len bytes of in gives want. */
#define CLEANS_TO(in, len, want)                                              \
    do {                                                                      \
        char *got_ = txt_clean((in), (len));                                 \
        const char *want_ = (want);                                          \
        CU_ASSERT_PTR_NOT_NULL_FATAL(got_);                                  \
        SL_ASSERT_STR_EQ(got_, want_);                                       \
        free(got_);                                                          \
    } while (0)

/* Cleans a string literal (without its terminating NUL). */
#define CLEANS(lit, want) CLEANS_TO(lit, sizeof(lit) - 1, want)

SL_TEST(text_clean_keeps_valid_utf8, 1,
        "Valid UTF-8 (2-, 3- and 4-byte forms), newline and tab pass unchanged.")
{
    static const char s[] = "plain ASCII\n\th\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 "
                            "\xf0\x9f\x98\x80 \xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf";

    CLEANS(s, s);
    CLEANS("", "");
    CLEANS("back\\slash \\x41", "back\\slash \\x41");
}

SL_TEST(text_clean_escapes_invalid_bytes, 1,
        "Bytes that are not UTF-8 (lone continuations, 0xfe/0xff, truncated "
        "sequences) become \\xNN each, and the text after them is kept.")
{
    CLEANS("\xff\xfe", "\\xff\\xfe");
    CLEANS("a\x80z", "a\\x80z");
    CLEANS("a\xc3", "a\\xc3");
    CLEANS("a\xe2\x9c", "a\\xe2\\x9c");
    CLEANS("\xe2\x9c" "b", "\\xe2\\x9cb");
    CLEANS("\xf0\x9f\x98", "\\xf0\\x9f\\x98");
    CLEANS("\xc3\xc3\xa9", "\\xc3\xc3\xa9");
}

SL_TEST(text_clean_escapes_nul, 1, "A NUL in the middle becomes \\x00; the rest is kept.")
{
    CLEANS_TO("a\0b", 3, "a\\x00b");
    CLEANS_TO("\0", 1, "\\x00");
}

SL_TEST(text_clean_rejects_overlong, 1,
        "Overlong encodings (C0 AF, E0 80 AF, F0 80 80 AF) are not UTF-8.")
{
    CLEANS("\xc0\xaf", "\\xc0\\xaf");
    CLEANS("\xc1\xbf", "\\xc1\\xbf");
    CLEANS("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
    CLEANS("\xe0\x9f\xbf", "\\xe0\\x9f\\xbf");
    CLEANS("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf");
    CLEANS("\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf");
}

SL_TEST(text_clean_rejects_surrogates_and_beyond, 1,
        "Surrogates (ED A0..BF) and code points above U+10FFFF are not UTF-8.")
{
    CLEANS("\xed\xa0\x80", "\\xed\\xa0\\x80");
    CLEANS("\xed\xbf\xbf", "\\xed\\xbf\\xbf");
    CLEANS("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
    CLEANS("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");
    CLEANS("\xf8\x88\x80\x80\x80", "\\xf8\\x88\\x80\\x80\\x80");
}

SL_TEST(text_clean_escapes_controls, 1,
        "C0 controls other than \\n and \\t, DEL, C1 controls and U+FFFE/U+FFFF are escaped.")
{
    CLEANS("\x01\x1b[31m\r\x7f", "\\x01\\x1b[31m\\x0d\\x7f");
    CLEANS("\xc2\x85\xc2\x9f\xc2\xa0", "\\xc2\\x85\\xc2\\x9f\xc2\xa0");
    CLEANS("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", "\\xef\\xbf\\xbe\\xef\\xbf\\xbf\xef\xbf\xbd");
}

/* UTF-8 of code point cp (below U+110000) into buf; its length. */
static size_t utf8(unsigned cp, char buf[5])
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char first[] = {0, 0, 0xc0, 0xe0, 0xf0};

    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        buf[i] = (char)(0x80 | (cp & 0x3f));
    buf[0] = (char)(n == 1 ? cp : first[n] | cp);
    buf[n] = '\0';
    return n;
}

/* Checks that code point cp alone is escaped byte by byte (escaped) or kept. */
static void check_code_point(unsigned cp, int escaped)
{
    char in[5], want[24], *got;
    size_t n = utf8(cp, in);

    if (escaped)
        for (size_t i = 0; i < n; i++)
            sprintf(want + 4 * i, "\\x%02x", (unsigned char)in[i]);
    else
        strcpy(want, in);
    got = txt_clean(in, n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    if (strcmp(got, want) != 0)
        SL_FAIL("U+%04X cleaned to \"%s\", expected \"%s\"", cp, got, want);
    free(got);
}

SL_TEST(text_clean_escapes_format_controls, 2,
        "Invisible format and bidi controls (U+061C, U+200B..U+200F, U+2028..U+202E, "
        "U+2060..U+206F, U+FEFF, U+FFF9..U+FFFB, tags) become \\xNN per byte; "
        "their neighbours are kept.")
{
    static const unsigned ranges[][2] = {
        {0x061c, 0x061c}, {0x180e, 0x180e}, {0x200b, 0x200f}, {0x2028, 0x202e},
        {0x2060, 0x206f}, {0xfeff, 0xfeff}, {0xfff9, 0xfffb}, {0xfffe, 0xffff},
        {0xe0000, 0xe007f},
    };
    static const unsigned kept[] = {0x061b, 0x061d, 0x200a, 0x2010, 0x2027, 0x202f,
                                    0x205f, 0x2070, 0xfefe, 0xff00, 0xfff8, 0xfffc,
                                    0xfffd, 0xe0080, 0x1f600};

    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        for (unsigned cp = ranges[i][0]; cp <= ranges[i][1]; cp++)
            check_code_point(cp, 1);
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        check_code_point(kept[i], 0);
    CLEANS("abc\xe2\x80\xae" "def\xe2\x81\xa6!", "abc\\xe2\\x80\\xaedef\\xe2\\x81\\xa6!");
}

SL_TEST(text_width_counts_columns, 1,
        "txt_width counts one column per character, none for a combining mark, two "
        "for a wide (CJK, emoji) character, one per byte that is not UTF-8.")
{
    SL_ASSERT_INT_EQ(txt_width("", 0), 0);
    SL_ASSERT_INT_EQ(txt_width("abc", 3), 3);
    SL_ASSERT_INT_EQ(txt_width("h\xc3\xa9llo", 6), 5);
    SL_ASSERT_INT_EQ(txt_width("e\xcc\x81", 3), 1);
    SL_ASSERT_INT_EQ(txt_width("\xe4\xb8\xad\xe6\x96\x87", 6), 4);
    SL_ASSERT_INT_EQ(txt_width("\xf0\x9f\x98\x80!", 5), 3);
    SL_ASSERT_INT_EQ(txt_width("\xe2\x80\xa6", 3), 1);
    SL_ASSERT_INT_EQ(txt_width("\xff\xc3", 2), 2);
}

SL_TEST(text_fit_cuts_whole_characters, 1,
        "txt_fit keeps as much as fits in the columns, cutting between whole "
        "characters, after a combining mark, and never inside a \\xNN escape.")
{
    SL_ASSERT_INT_EQ(txt_fit("hello", 5, 10), 5);
    SL_ASSERT_INT_EQ(txt_fit("hello", 5, 5), 5);
    SL_ASSERT_INT_EQ(txt_fit("hello", 5, 3), 3);
    SL_ASSERT_INT_EQ(txt_fit("hello", 5, 0), 0);
    SL_ASSERT_INT_EQ(txt_fit("h\xc3\xa9llo", 6, 2), 3);
    SL_ASSERT_INT_EQ(txt_fit("e\xcc\x81x", 4, 1), 3);
    SL_ASSERT_INT_EQ(txt_fit("a\xe4\xb8\xad" "b", 5, 2), 1);
    SL_ASSERT_INT_EQ(txt_fit("a\xe4\xb8\xad" "b", 5, 3), 4);
    SL_ASSERT_INT_EQ(txt_fit("ab\\x01cd", 8, 4), 2);
    SL_ASSERT_INT_EQ(txt_fit("ab\\x01cd", 8, 5), 2);
    SL_ASSERT_INT_EQ(txt_fit("ab\\x01cd", 8, 6), 6);
    SL_ASSERT_INT_EQ(txt_fit("ab\\x0", 5, 4), 4);
}

/* txt_break of a string literal at cols columns. */
#define BREAK(lit, cols) txt_break((lit), sizeof(lit) - 1, (cols))

SL_TEST(text_break_only_at_spaces, 1,
        "txt_break breaks a line at the space after the last word that fits, never "
        "inside a word or a file:line; a first word wider than the line comes out "
        "whole (it overflows).")
{
    SL_ASSERT_INT_EQ(BREAK("hello world", 20), 11);
    SL_ASSERT_INT_EQ(BREAK("hello world", 11), 11);
    SL_ASSERT_INT_EQ(BREAK("hello world", 10), 5);
    SL_ASSERT_INT_EQ(BREAK("hello world", 5), 5);
    SL_ASSERT_INT_EQ(BREAK("hello world", 3), 5);
    SL_ASSERT_INT_EQ(BREAK("hello world", 0), 5);
    SL_ASSERT_INT_EQ(BREAK("see a/b/c.c:12: here", 12), 3);
    SL_ASSERT_INT_EQ(BREAK("a/b/c.c:12: here", 8), 11);
    SL_ASSERT_INT_EQ(BREAK("one two  three", 9), 8);
    SL_ASSERT_INT_EQ(BREAK("one two  three", 8), 8);
    SL_ASSERT_INT_EQ(BREAK("one two  three", 7), 7);
    SL_ASSERT_INT_EQ(BREAK("  indented text", 10), 10);
    SL_ASSERT_INT_EQ(BREAK("  indented text", 4), 10);
    SL_ASSERT_INT_EQ(BREAK("h\xc3\xa9llo w\xc3\xb6rld", 6), 6);
    SL_ASSERT_INT_EQ(BREAK("\xe4\xb8\xad\xe6\x96\x87 x", 4), 6);
    SL_ASSERT_INT_EQ(BREAK("\xe4\xb8\xad\xe6\x96\x87 x", 3), 6);
    SL_ASSERT_INT_EQ(BREAK("ab\\x01cd ef", 5), 8);
    SL_ASSERT_INT_EQ(BREAK("", 5), 0);
    SL_ASSERT_INT_EQ(BREAK("    ", 2), 4);
}

/* Is every byte of s printable ASCII, newline, tab or part of valid UTF-8? */
static int clean_is_fixpoint(const char *s)
{
    char *again = txt_clean(s, strlen(s));
    int same = again && strcmp(again, s) == 0;

    free(again);
    return same;
}

SL_TEST(text_clean_every_byte, 1,
        "Each of the 256 bytes alone is either kept (printable, \\n, \\t) or "
        "becomes a 4-character escape; cleaning clean text changes nothing.")
{
    for (int b = 0; b < 256; b++) {
        unsigned char c = (unsigned char)b;
        char *got = txt_clean(&c, 1);
        int kept = (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t';

        CU_ASSERT_PTR_NOT_NULL_FATAL(got);
        if (strlen(got) != (kept ? 1u : 4u))
            SL_FAIL("byte 0x%02x cleaned to \"%s\"", b, got);
        if (!clean_is_fixpoint(got))
            SL_FAIL("cleaning the clean text of byte 0x%02x changed it", b);
        free(got);
    }
}

SL_TEST(text_clean_is_idempotent, 1, "Cleaning clean text changes nothing.")
{
    static const char nasty[] = "\x00\x01\xff\xc0\xaf\xed\xa0\x80 ok \xe2\x9c\x93\xc2\x85"
                                "\x1b]0;title\x07 \\x41 \xf4\x90\x80\x80\n\t\r";
    char *once = txt_clean(nasty, sizeof nasty - 1);

    CU_ASSERT_PTR_NOT_NULL_FATAL(once);
    CU_ASSERT(clean_is_fixpoint(once));
    free(once);
}

SL_TEST(text_escape_basics, 1,
        "txt_escape writes C escapes for \\n \\t \\r \\\\ \\\" \\0 and \\xNN for other "
        "non-printables, and returns how many input bytes it used.")
{
    static const char in[] = "a\n\t\r\\\"\0\x01\xff~";
    char buf[64], *out = buf;

    SL_ASSERT_INT_EQ(txt_escape(in, sizeof in - 1, out, sizeof buf), sizeof in - 1);
    SL_ASSERT_STR_EQ(out, "a\\n\\t\\r\\\\\\\"\\0\\x01\\xff~");
}

SL_TEST(text_escape_cuts_at_whole_escape, 1,
        "When the output is too small, txt_escape stops before an escape that "
        "does not fit, and always NUL-terminates.")
{
    char buf[8], *out = buf;

    memset(buf, 'X', sizeof buf);
    SL_ASSERT_INT_EQ(txt_escape("ab\x01z", 4, out, 6), 2);
    SL_ASSERT_STR_EQ(out, "ab");
    SL_ASSERT_INT_EQ(txt_escape("ab\x01z", 4, out, 7), 3);
    SL_ASSERT_STR_EQ(out, "ab\\x01");
    SL_ASSERT_INT_EQ(txt_escape("ab\nz", 4, out, 4), 2);
    SL_ASSERT_STR_EQ(out, "ab");
    SL_ASSERT_INT_EQ(txt_escape("abc", 3, out, 1), 0);
    SL_ASSERT_STR_EQ(out, "");
}

SL_TEST(text_escape_zero_size, 1, "With no room at all txt_escape writes nothing and returns 0.")
{
    char out[1] = {'X'};

    SL_ASSERT_INT_EQ(txt_escape("abc", 3, out, 0), 0);
    CU_ASSERT_EQUAL(out[0], 'X');
}

/* What txt_cut() makes of text printed into a buffer of size bytes. */
static void cuts_to(const char *text, size_t size, const char *want)
{
    char buf[256];
    int n = snprintf(buf, size, "%s", text);
    txt_cut(buf, size, (size_t)n);
    SL_CHECK_STR(text, buf, want);
}

SL_TEST(text_cut_at_a_boundary, 2,
        "A text too long for its buffer ends at a space (or before a quoted value it "
        "would split), never inside a word, a character or a \\xNN, with \"…\" and how "
        "much was left out; a text that fits is kept whole.")
{
    cuts_to("short enough", 64, "short enough");
    cuts_to("copy every one, following ai_next to the end of the list, and more words here",
            72, "copy every one, following ai_next to the\u2026 (37 more bytes)");
    cuts_to("line 2: expected \"a\", got \"b\" (expected in all: \"www.lab.example has address "
            "192.0.2.10\\n\")", 80,
            "line 2: expected \"a\", got \"b\" (expected in all:\u2026 (44 more bytes)");
    cuts_to("line 2: expected \"a very long value that goes on and on and on\", got \"b\"", 70,
            "line 2: expected \"a very long value that\u2026\" (32 more bytes)");
    cuts_to("abcdefghijklmnopqrstuvwxyz\\x41\\x42\\x43\\x44\\x45\\x46\\x47\\x48", 57,
            "abcdefghijklmnopqrstuvwxyz\u2026 (32 more bytes)");
    cuts_to("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
            "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
            36, "\xc3\xa9\xc3\xa9\xc3\xa9\u2026 (34 more bytes)");
}

/* sl_text_difference() of two string literals is want. */
static void differs(const char *got, const char *want_text, const char *want)
{
    char buf[160];
    sl_text_difference(got, strlen(got), want_text, strlen(want_text), buf, sizeof buf);
    SL_CHECK_STR(got, buf, want);
}

SL_TEST(text_difference_in_words, 2,
        "Where two texts differ is said by line and column, and what cannot be seen "
        "is named: a trailing space, a tab, a carriage return, the end of a line.")
{
    differs("127.0.0.1 has name localhost ", "127.0.0.1 has name localhost",
            "differs at column 29: expected end of line, got ' ' (a trailing space)");
    differs("a  ", "a", "differs at column 2: expected end of line, got '  ' (trailing spaces)");
    differs("a", "a ", "differs at column 2: expected ' ' (a trailing space), got end of line");
    differs("one\ntwo\tx\n", "one\ntwo x\n",
            "differs at line 2, column 4: expected ' ' (a space), got '\\t' (a tab)");
    differs("one\r\ntwo\n", "one\ntwo\n",
            "differs at line 1, column 4: expected end of line, got '\\r' (a carriage return)");
    differs("h\xc3\xa9llo wOrld", "h\xc3\xa9llo world",
            "differs at column 8: expected 'o', got 'O'");
    differs("same", "same", "");
}
