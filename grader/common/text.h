/**
 * @file text.h
 * @brief Turning arbitrary bytes into text that is safe to show and store.
 */
#ifndef SL_TEXT_H
#define SL_TEXT_H

#include <stddef.h>

/**
 * @brief Makes valid, printable UTF-8 of any bytes.
 *
 * Valid UTF-8 is kept, as are newline and tab; every other control byte and
 * every byte that is not part of valid UTF-8 becomes `\xNN`, and a backslash
 * stays a single backslash. The result is valid in JSON and (once escaped)
 * in XML 1.0.
 *
 * In detail: overlong forms, surrogates (U+D800..U+DFFF), code points above
 * U+10FFFF and truncated sequences are not valid UTF-8. These valid code
 * points are escaped too, one `\xNN` (lower-case hex) per byte of their
 * UTF-8 form, exactly like invalid bytes (U+202E becomes `\xe2\x80\xae`):
 *
 * - C0 controls other than newline and tab, DEL (0x7f), and the C1
 *   controls U+0080..U+009F;
 * - invisible format and bidirectional controls, which could hide text or
 *   reorder a line on the screen: U+061C, U+180E, U+200B..U+200F,
 *   U+2028..U+202E, U+2060..U+206F, U+FEFF and the tag characters
 *   U+E0000..U+E007F;
 * - the interlinear annotation controls U+FFF9..U+FFFB and the two
 *   non-characters U+FFFE and U+FFFF (not allowed in XML 1.0).
 *
 * Cleaning clean text changes nothing.
 *
 * @param buf bytes to clean (may hold NULs).
 * @param len how many.
 * @return a new NUL-terminated string (free it), or NULL on ENOMEM.
 */
char *txt_clean(const void *buf, size_t len);

/**
 * @brief Escapes bytes as a C string literal body: `\n`, `\t`, `\r`, `\\`,
 *        `\"`, `\0` and `\xNN` for other non-printables; printable ASCII as is.
 *
 * @param buf bytes to escape.
 * @param len how many.
 * @param out where to write; always NUL-terminated when @p outsz > 0.
 * @param outsz size of @p out. Output is cut at a whole escape.
 * @return number of input bytes that fit.
 */
size_t txt_escape(const void *buf, size_t len, char *out, size_t outsz);

/**
 * @brief Display width of text: how many terminal columns it takes.
 *
 * One column per character, except common combining marks (none) and East
 * Asian wide characters and emoji (two), much as wcwidth(3) counts them but
 * independent of the locale. A byte that is not UTF-8 counts as one column.
 *
 * @param s the text (txt_clean() output, or any bytes).
 * @param len how many bytes.
 * @return the number of columns.
 */
size_t txt_width(const char *s, size_t len);

/**
 * @brief How much of a text fits in a number of columns.
 *
 * Cuts between whole characters (a combining mark stays with the character
 * before it), and never inside a `\xNN` escape of txt_clean().
 *
 * @param s the text.
 * @param len how many bytes.
 * @param cols the columns available.
 * @return the number of bytes of @p s that fit (@p len when all of it does).
 */
size_t txt_fit(const char *s, size_t len, size_t cols);

/**
 * @brief Where a line of text breaks to fit a number of columns: at a
 *        space, never inside a word (so never inside a file:line either).
 *
 * @param s the line (no newline in it).
 * @param len how many bytes.
 * @param cols the columns available.
 * @return @p len when all of it fits; else the offset of the last space
 *         before which it fits (the line ends there, after the last word
 *         that fits; trailing spaces are the caller's to drop); else, when
 *         even the first word (after any leading spaces) is wider than
 *         @p cols, the end of that word: it overflows rather than being cut.
 */
size_t txt_break(const char *s, size_t len, size_t cols);

/**
 * @brief Ends a text that did not fit its buffer where a person can tell:
 *        at a space, never inside a character, a `\xNN` escape or (when
 *        that keeps half of it) a quoted value, then "… (N more bytes)".
 *
 * For what vsnprintf() and snprintf() cut silently:
 * @code
 * int n = vsnprintf(buf, sizeof buf, fmt, ap);
 * txt_cut(buf, sizeof buf, n < 0 ? 0 : (size_t)n);
 * @endcode
 * @param buf the text as the cut left it, NUL-terminated.
 * @param bufsz the size of @p buf.
 * @param whole how long the whole text was; nothing is done when it fitted.
 * @return the length of the text now in @p buf.
 */
size_t txt_cut(char *buf, size_t bufsz, size_t whole);

/**
 * @brief Where the first error of a compiler's output is.
 *
 * The first line that holds "error:", "undefined reference" or "Error ",
 * or the line before it when that one gives the context (gcc's and ld's
 * "In function 'f':").
 * @param log the output, NUL-terminated.
 * @param before set to the number of lines before the returned one.
 * @return the start of that line, or NULL if no line holds an error.
 */
const char *txt_first_error(const char *log, size_t *before);

#endif
