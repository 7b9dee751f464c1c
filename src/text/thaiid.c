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
void text_mask_id(const char *id, char *out)
{
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

void text_mask_ids_in(const char *text, char *out)
{
    if (text == NULL) { out[0] = '\0'; return; }
    size_t n = strlen(text);
    memmove(out, text, n + 1);
    for (size_t i = 0; i < n; ) {
        if (!is_digit(out[i])) { i++; continue; }
        /* a run: digits, with single dashes between them */
        size_t end = i, digits = 0;
        while (end < n && (is_digit(out[end]) || (out[end] == '-' && end + 1 < n && is_digit(out[end + 1]) &&
                                                   end > i))) {
            digits += is_digit(out[end]);
            end++;
        }
        if (digits >= 13) {
            char save = out[end];
            out[end] = '\0';
            text_mask_id(out + i, out + i);
            out[end] = save;
        }
        i = end;
    }
}

char *text_mask_ids_in_dup(const char *text)
{
    if (text == NULL) return NULL;
    char *out = malloc(strlen(text) + 1);
    if (out) text_mask_ids_in(text, out);
    return out;
}
