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
 * U+10FFFF and truncated sequences are not valid UTF-8; C0 controls other
 * than newline and tab, DEL (0x7f), the C1 controls U+0080..U+009F and the
 * two non-characters U+FFFE and U+FFFF (not allowed in XML 1.0) are escaped
 * too, one `\xNN` (lower-case hex) per byte. Cleaning clean text changes
 * nothing.
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

#endif
