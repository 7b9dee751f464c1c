/*
 * norm.c: the value normalisers (see include/esis/norm.h).
 *
 * These were two sets: the importer's (io/mapping.c) and the form's
 * (ui_form_number, ui_form_find_item), which disagreed ("12.0" was 12 in
 * one and 12.0 in the other; the importer made every Thai digit ASCII,
 * names and notes included).  Now both call these.
 */
#include "esis/norm.h"
#include "esis/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void drop_chars(char *s, const char *drop)
{
    char *w = s;
    for (char *r = s; *r; r++)
        if (!strchr(drop, *r)) *w++ = *r;
    *w = '\0';
}

static norm_fail norm_int(char *v, size_t outsz)
{
    drop_chars(v, ", ");
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end) {
        /* 12.0 is an integer typed by a spreadsheet */
        double d = strtod(v, &end);
        if (end == v || *end || d != floor(d) || fabs(d) > 9e15) return NORM_BAD_INT;
        x = (long long)d;
    } else if (v[0] != '+' && !(v[0] == '0' && v[1]) && !(v[0] == '-' && (v[1] == '0' || !v[1]))) {
        return NORM_OK;      /* already as %lld writes it: no sign, no leading zero */
    }
    if (snprintf(v, outsz, "%lld", x) >= (int)outsz) return NORM_TOO_LONG;
    return NORM_OK;
}

/* Whether v is already what %.15g writes for the number it reads as:
 * -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])? with at most 15 significant digits
 * (so the double holds them exactly) and not below 0.0001 (where %g turns
 * to an exponent).  Most files' weights and distances are; skipping the
 * snprintf for them was measurable on a million rows. */
static bool real_canonical(const char *v)
{
    const char *p = v + (*v == '-');
    int sig = 0, lead0 = 0;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') { p++; sig++; }
    else return false;
    if (*p == '.') {
        const char *f = ++p;
        while (*p >= '0' && *p <= '9') p++;
        if (p == f || p[-1] == '0') return false;
        for (const char *q = f; q < p; q++) {
            if (!sig && *q == '0') lead0++;
            else sig++;
        }
        if (lead0 > 3) return false;
    }
    return *p == '\0' && sig <= 15;
}

static norm_fail norm_real(char *v, size_t outsz)
{
    drop_chars(v, ", ");
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d)) return NORM_BAD_REAL;
    if (real_canonical(v)) return NORM_OK;
    if (outsz < 32) return NORM_TOO_LONG;
    snprintf(v, outsz, "%.15g", d);
    return NORM_OK;
}

norm_fail norm_value(norm_kind kind, const conf_codelist *codes, const char *in,
                     char *out, size_t outsz)
{
    if (!in) in = "";
    if (strlen(in) + 1 > outsz) return NORM_TOO_LONG;
    /* Text keeps its Thai digits; every other type reads them as digits. */
    if (kind == NORM_TEXT || kind == NORM_BY_TYPE) memcpy(out, in, strlen(in) + 1);
    else text_ascii_digits(in, out);
    text_trim(out);
    if (!*out) return NORM_OK;
    switch (kind) {
    case NORM_BY_TYPE:
    case NORM_TEXT:
        return NORM_OK;
    case NORM_UPPER:
        for (char *p = out; *p; p++) *p = (char)toupper((unsigned char)*p);
        return NORM_OK;
    case NORM_DIGITS:
        drop_chars(out, "- \t.");
        for (char *p = out; *p; p++) *p = (char)toupper((unsigned char)*p);
        return NORM_OK;
    case NORM_INT:
        return norm_int(out, outsz);
    case NORM_REAL:
        return norm_real(out, outsz);
    case NORM_DATE: {
        text_date d;
        if (!text_date_parse(out, &d)) return NORM_BAD_DATE;
        if (outsz < 11) return NORM_TOO_LONG;
        text_date_iso(d, out);
        return NORM_OK;
    }
    case NORM_CODE: {
        const conf_code *k = conf_code_find(codes, out);
        if (!k) return NORM_BAD_CODE;
        if (strlen(k->code) + 1 > outsz) return NORM_TOO_LONG;
        memmove(out, k->code, strlen(k->code) + 1);
        return NORM_OK;
    }
    }
    return NORM_OK;
}

int norm_kind_parse(const char *s, norm_kind *kind, const char **list)
{
    static const struct { const char *name; norm_kind kind; } names[] = {
        { "text", NORM_TEXT }, { "upper", NORM_UPPER }, { "digits", NORM_DIGITS },
        { "int", NORM_INT }, { "real", NORM_REAL }, { "date", NORM_DATE },
    };
    *list = NULL;
    if (!s) return -1;
    if (!strncmp(s, "code:", 5) && s[5]) {
        *kind = NORM_CODE;
        *list = s + 5;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name)) { *kind = names[i].kind; return 0; }
    return -1;
}

norm_kind norm_kind_of_sqltype(const char *t)
{
    if (!t) return NORM_TEXT;
    /* SQLite's affinity rules: INT anywhere is integer; REAL, FLOA, DOUB real */
    if (strstr(t, "INT")) return NORM_INT;
    if (strstr(t, "REAL") || strstr(t, "FLOA") || strstr(t, "DOUB") || strstr(t, "NUMERIC"))
        return NORM_REAL;
    return NORM_TEXT;
}

const char *norm_fail_key(norm_fail f)
{
    switch (f) {
    case NORM_OK:       return "io.value_ok";
    case NORM_TOO_LONG: return "io.value_too_long";
    case NORM_BAD_INT:  return "io.bad_int";
    case NORM_BAD_REAL: return "io.bad_real";
    case NORM_BAD_DATE: return "io.bad_date";
    case NORM_BAD_CODE: return "io.bad_code";
    }
    return "io.bad_code";
}

void norm_accepted(const conf_codelist *l, bool en, char *out, size_t outsz)
{
    if (!outsz) return;
    *out = 0;
    if (!l) return;
    size_t used = 0;
    for (int i = 0; i < l->n; i++) {
        const conf_code *k = &l->v[i];
        const char *lab = en ? k->label_en : k->label_th;
        char one[256];
        if (lab && *lab && strcmp(lab, k->code))
            snprintf(one, sizeof one, "%s%s (%s)", i ? ", " : "", lab, k->code);
        else
            snprintf(one, sizeof one, "%s%s", i ? ", " : "", k->code);
        size_t n = strlen(one);
        /* room for this one and a closing ", …" (5 bytes) */
        if (used + n + 6 > outsz) {
            if (used + 6 <= outsz) memcpy(out + used, ", \xe2\x80\xa6", 6);
            return;
        }
        memcpy(out + used, one, n + 1);
        used += n;
    }
}
