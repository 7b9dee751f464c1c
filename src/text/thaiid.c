/*
 * thaiid.c: the Thai citizen ID (เลขประจำตัวประชาชน): 13 digits, the last a
 * mod-11 check digit over the first twelve, and the masked form shown to
 * users who may not see personal data (PDPA).
 *
 * The first digit is a registration category, and in schools every value
 * 0..8 occurs (0 for children without registration status, 6 and 7 for
 * foreigners' children): so it is never checked here.  Whether a category
 * fits a student's nationality is a rule, a warning, not a format error.
 */
#include "esis/text.h"

#include <stdlib.h>
#include <string.h>

int text_thai_id_check_digit(const char *s12)
{
    int sum = 0;

    if (s12 == NULL)
        return -1;
    for (int i = 0; i < 12; i++) {
        if (s12[i] < '0' || s12[i] > '9')
            return -1;
        sum += (s12[i] - '0') * (13 - i);       /* d(i+1) * (14 - (i+1)) */
    }
    return (11 - sum % 11) % 10;
}

bool text_thai_id_ok(const char *s)
{
    if (s == NULL || strlen(s) != 13)
        return false;
    for (int i = 0; i < 13; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return text_thai_id_check_digit(s) == s[12] - '0';
}

/* Digits are counted, not positions, so a G code (G123456789012) or an ID
 * written with dashes keeps its letter and dashes and shows three digits,
 * the same as a plain ID.  out may be id itself. */
/* Text with letters (a message, an address, a quarantined row as JSON)
 * is masked by text_mask_ids_in; a value of digits and signs as below. */
static bool has_letters(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) return true;
    return false;
}

void text_mask_id(const char *id, char *out)
{
    /* a G code (G123456789012) is one letter and an ID's digits: the
     * value rule, as always */
    if (id != NULL && has_letters(id) && !(id[0] == 'G' && !has_letters(id + 1))) {
        text_mask_ids_in(id, out);
        return;
    }
    size_t n, digits = 0, seen = 0;

    if (id == NULL) {
        out[0] = '\0';
        return;
    }
    n = strlen(id);
    for (size_t i = 0; i < n; i++)
        if (id[i] >= '0' && id[i] <= '9')
            digits++;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (c >= '0' && c <= '9') {
            seen++;
            if (seen > 1 && seen + 2 <= digits)
                c = 'x';
        }
        out[i] = c;
    }
    out[n] = '\0';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* n digits at p, then (when sep) the separator. */
static bool digits_at(const char *p, int n, char sep)
{
    for (int i = 0; i < n; i++)
        if (!is_digit(p[i])) return false;
    return !sep || p[n] == sep;
}

/* How long the date at p is (DD/MM/YYYY or YYYY-MM-DD, no digit after
 * it), 0 when none; *day_month where its day and month begin. */
static size_t date_at(const char *p, size_t *day_month)
{
    if (digits_at(p, 2, '/') && digits_at(p + 3, 2, '/') && digits_at(p + 6, 4, 0) && !is_digit(p[10])) {
        *day_month = 0;
        return 10;
    }
    if (digits_at(p, 4, '-') && digits_at(p + 5, 2, '-') && digits_at(p + 8, 2, 0) && !is_digit(p[10])) {
        *day_month = 5;
        return 10;
    }
    return 0;
}

/* How long the ID written with dashes at p is (1-2345-67890-12-3), 0 when none. */
static size_t dashed_id_at(const char *p)
{
    return digits_at(p, 1, '-') && digits_at(p + 2, 4, '-') && digits_at(p + 7, 5, '-') &&
           digits_at(p + 13, 2, '-') && digits_at(p + 16, 1, 0) && !is_digit(p[17]) ? 17 : 0;
}

void text_mask_ids_in(const char *text, char *out)
{
    if (text == NULL) { out[0] = '\0'; return; }
    size_t n = strlen(text);
    memmove(out, text, n + 1);
    for (size_t i = 0; i < n; ) {
        if (!is_digit(out[i]) || (i > 0 && is_digit(out[i - 1]))) { i++; continue; }
        size_t dm, len = date_at(out + i, &dm);
        if (len) {                      /* the day and the month go, the year stays */
            for (size_t k = dm; k < dm + 5; k++)
                if (is_digit(out[i + k])) out[i + k] = 'x';
            i += len;
            continue;
        }
        len = dashed_id_at(out + i);
        if (!len)
            while (is_digit(out[i + len])) len++;
        if (len >= 5 && len < sizeof(char[64])) {     /* an ID, a code, an income, a postcode */
            char run[64];
            memcpy(run, out + i, len);
            run[len] = '\0';
            text_mask_id(run, run);
            memcpy(out + i, run, len);
        }
        i += len;
    }
}

char *text_mask_ids_in_dup(const char *text)
{
    if (text == NULL) return NULL;
    char *out = malloc(strlen(text) + 1);
    if (out) text_mask_ids_in(text, out);
    return out;
}
