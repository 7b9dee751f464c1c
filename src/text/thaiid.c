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
