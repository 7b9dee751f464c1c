/*
 * text: UTF-8 and Thai.  Display width (combining marks are 0 wide), cutting
 * and padding to a width without splitting a character cluster, Buddhist Era
 * dates, the Thai citizen ID check digit, Thai collation through libthai and
 * TIS-620 to UTF-8 through iconv.
 *
 * This layer knows nothing above it.  Functions never allocate unless the
 * name says so (text_*_dup, text_tis620_to_utf8): the caller owns what those
 * return and frees it with free().
 */
#ifndef ESIS_TEXT_H
#define ESIS_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include <wchar.h>

/* ---- UTF-8 ---------------------------------------------------------- */

/* Decode one code point from s (at most n bytes).  Returns the number of
 * bytes used (1..4) and stores the code point in *cp; on an invalid or
 * truncated sequence returns 1 and stores U+FFFD. n must be > 0. */
int text_utf8_decode(const char *s, size_t n, unsigned *cp);

/* Encode cp into out (at least 4 bytes).  Returns the byte count.  A
 * surrogate or a value above U+10FFFF is encoded as U+FFFD. */
int text_utf8_encode(unsigned cp, char *out);

/* True when s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t n);

/* Columns one code point takes: 0 for combining marks (Thai above/below
 * vowels and tone marks, U+0E31, U+0E34-0E3A, U+0E47-0E4E, and other Mn/Me),
 * 2 for East Asian wide, 1 otherwise; control characters count 0.  SARA AM
 * U+0E33 is 1, as in tmux and ncurses.  Thai, combining marks and the wide
 * ranges come from tables, so the answer is the same in the "C" locale;
 * only for other characters is wcwidth() asked (1 when it does not know). */
int text_cp_width(unsigned cp);

/* True when cp joins the character before it (width 0 mark). */
bool text_cp_is_combining(unsigned cp);

/* Display columns of the UTF-8 string s (NUL-terminated). */
int text_width(const char *s);
/* ...of the first n bytes. */
int text_width_n(const char *s, size_t n);

/* Byte length of the longest prefix of s whose width is <= cols, never
 * splitting a cluster (a base and the marks that follow it).  *out_cols, if
 * not NULL, gets that prefix's width. */
size_t text_prefix_for_width(const char *s, int cols, int *out_cols);

/* Write s into out (size outsz, always NUL-terminated) cut and padded with
 * spaces to exactly cols columns.  align: 'l', 'r' or 'c'.  When s is too
 * wide it is cut at a cluster boundary and, if ellipsis is true, its last
 * column becomes U+2026 '…'.  Returns the byte length written.  s NULL is
 * "".  A buffer too small for the result gets only the whole clusters and
 * spaces that fit (the line is then narrower): size it cols * 4 + 1 plus
 * room for marks. */
size_t text_fit(char *out, size_t outsz, const char *s, int cols, char align,
                bool ellipsis);

/* ---- Dates ---------------------------------------------------------- */

/* A calendar date in the Common Era. */
typedef struct text_date {
    int year;   /* CE, e.g. 2024 */
    int month;  /* 1..12 */
    int day;    /* 1..31 */
} text_date;

/* True when the date exists (leap years included), years 1..9999. */
bool text_date_valid(text_date d);

/* Parse "DD/MM/YYYY" with a Buddhist Era year (15/03/2560 = 2017-03-15;
 * D and M may be one digit) or ISO "YYYY-MM-DD" with a CE year.  Returns
 * false for anything else or for a date that does not exist (31/02/2560).
 * Leading and trailing spaces are allowed.
 * Years must be plausible: 1850..2200 CE in the ISO form (so 2560-03-15 is
 * refused) and the same years, 2393..2743 BE, in the DD/MM/YYYY form (so a
 * CE year typed into a Thai date, 15/03/2017, is refused rather than stored
 * 543 years off); so every date read in one form can be written in the
 * other and read back.  The year always has 4 digits.  On false *out is
 * untouched.
 * Thai digits are not read here: pass the text through text_ascii_digits()
 * first. */
bool text_date_parse(const char *s, text_date *out);

/* Format as ISO "YYYY-MM-DD" (CE) into out (at least 11 bytes). */
void text_date_iso(text_date d, char *out);
/* Format as "DD/MM/YYYY" with the BE year into out (at least 11 bytes). */
void text_date_be(text_date d, char *out);

/* An ISO date or date-time ("YYYY-MM-DD[THH:MM...]") as "DD/MM/YYYY[ HH:MM]"
 * with the BE year, into out; other text is copied as it is.  Returns out. */
const char *text_datetime_be(const char *iso, char *out, size_t outsz);

/* Days since 1970-01-01 (may be negative) and back. */
long text_date_to_days(text_date d);
text_date text_date_from_days(long days);

/* Whole years of age on `at` for someone born on `birth`; negative when
 * `at` is before `birth`. */
int text_age_years(text_date birth, text_date at);

/* Today's date in local time. */
text_date text_date_today(void);

/* ---- Identifiers ---------------------------------------------------- */

/* True when s is exactly 13 ASCII digits with a right check digit:
 * sum(d[i] * (14 - i)), i = 1..12; d13 = (11 - sum mod 11) mod 10. */
bool text_thai_id_ok(const char *s);

/* The check digit (0..9) for the first 12 digits of s (which must be
 * digits); -1 when one of them is not. */
int text_thai_id_check_digit(const char *s12);

/* Copy of an ID with every digit but the first and the last two replaced by
 * 'x' (1xxxxxxxxxx81): what people without the right to see personal data
 * get.  out must hold strlen(id)+1 bytes and may be id itself.  Other
 * characters stay: G123456789012 -> G1xxxxxxxxx12. */
void text_mask_id(const char *id, char *out);

/* Text that may quote personal values (a finding's message and key, an
 * address, a quarantined row): every date (DD/MM/YYYY, YYYY-MM-DD) keeps
 * only its year (xx/xx/2553), every run of five or more digits (an ID,
 * also written 1-2345-67890-12-3, a school code, an income, a postcode)
 * is masked as text_mask_id masks an ID; shorter numbers (counts, grades,
 * rooms, years, round codes) stay, so the text still reads.
 * text_mask_id masks a value that has letters by this rule, so one rule
 * covers every output.  out must hold strlen(text)+1 bytes and may be text
 * itself.  The _dup form returns a new string (NULL for NULL or out of
 * memory), the caller's to free. */
void text_mask_ids_in(const char *text, char *out);
char *text_mask_ids_in_dup(const char *text);

/* ---- Thai collation ------------------------------------------------- */

/* Compare two UTF-8 strings of given lengths in Thai dictionary order, as
 * ICU's Thai collation orders scripts: digits, then Thai, then Latin
 * (libthai's th_strxfrm keys with the Latin and Thai weights swapped, then
 * the bytes as tie-break so that different strings never compare equal;
 * text/collate.c).  Safe to use as a SQLite collation callback body. */
int text_thai_collate(const char *a, size_t alen, const char *b, size_t blen);

/* The sort key of s[0..n): bytes whose memcmp order is the order of
 * text_thai_collate (which compares exactly these keys), so an ordinary
 * BINARY index can hold Thai order.  Returns a new buffer (caller frees)
 * and its length in *outlen, or NULL when out of memory. */
unsigned char *text_thai_sortkey(const char *s, size_t n, size_t *outlen);

/* ---- Encodings ------------------------------------------------------ */

/* Convert n bytes of Windows-874 (CP874, the superset of TIS-620 that Thai
 * Windows writes) to a new NUL-terminated UTF-8 string (iconv).
 * Returns NULL on allocation failure or when iconv has no TIS-620.  *outlen
 * (if not NULL) gets the byte length.  A byte outside TIS-620 becomes
 * U+FFFD. */
char *text_tis620_to_utf8(const char *s, size_t n, size_t *outlen);

/* Heuristic: true when s[0..n) is not valid UTF-8 but every byte >= 0x80 is
 * a TIS-620 Thai character (0xA1-0xFB) or one of Windows-874's additions
 * (0x80, 0x85, 0x91-0x97, 0xA0). */
bool text_looks_tis620(const char *s, size_t n);

/* ---- HTML ------------------------------------------------------------ */

/* Write s to fp with < > & " ' as HTML entities (NULL writes nothing); with
 * line_breaks, a newline becomes <br> (free text in printed forms). */
void text_html_escape(FILE *fp, const char *s, bool line_breaks);

/* ---- Small helpers -------------------------------------------------- */

/* Trim ASCII spaces, tabs and CR/LF from both ends, in place.  Returns s. */
char *text_trim(char *s);

/* strdup that returns NULL for NULL. */
char *text_dup(const char *s);

/* Thai digits (U+0E50-0E59) replaced by ASCII digits, into out (out must
 * hold strlen(s)+1 bytes; ASCII digits are shorter than Thai ones).  out may
 * be s itself. */
void text_ascii_digits(const char *s, char *out);

#endif
