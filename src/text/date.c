/*
 * date.c: calendar dates for esis.  Thai forms and people write dates as
 * DD/MM/YYYY in the Buddhist Era (BE = CE + 543); the database and every
 * export keep ISO YYYY-MM-DD in the Common Era.  This file parses both,
 * formats both, counts days (for differences and sorting) and computes age
 * in whole years, which the grade/age rules need.
 *
 * The day counting is Howard Hinnant's days_from_civil / civil_from_days on
 * the proleptic Gregorian calendar: exact, no tables, and independent of
 * time zones and time_t, so a birth date in 2480 BE (1937) is no problem.
 */
#include "esis/text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Plausible years.  The ISO range is wider than any school record needs but
 * keeps out years like 0017 or 9999.  The BE range is the same years
 * (2393..2743 BE): a BE year outside it is almost always a CE year typed
 * into a BE field (15/03/2017) or a typing slip (15/03/256); refusing it
 * here catches the mistake at entry instead of storing a date 543 years
 * off.  The two ranges must be the same years, so that every date read in
 * one form can be written in the other and read back: export writes BE
 * dates, and with 2400..2700 BE an ISO 2171-03-15 was accepted, exported
 * as 15/03/2714 and refused on import (found by tests/fuzz/fuzz_date). */
enum {
    TEXT_BE_OFFSET = 543,
    TEXT_CE_YEAR_MIN = 1850, TEXT_CE_YEAR_MAX = 2200,
    TEXT_BE_YEAR_MIN = TEXT_CE_YEAR_MIN + TEXT_BE_OFFSET,
    TEXT_BE_YEAR_MAX = TEXT_CE_YEAR_MAX + TEXT_BE_OFFSET,
};

static bool text_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int text_days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && text_is_leap(y) ? 29 : days[m - 1];
}

bool text_date_valid(text_date d)
{
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 &&
           d.day >= 1 && d.day <= text_days_in_month(d.year, d.month);
}

/* Reads min..max ASCII digits at *p (not past end) into *val. */
static bool text_read_number(const char **p, const char *end, int min, int max,
                             int *val)
{
    int count = 0, v = 0;

    while (*p < end && **p >= '0' && **p <= '9' && count < max) {
        v = v * 10 + (**p - '0');
        (*p)++;
        count++;
    }
    if (count < min)
        return false;
    if (*p < end && **p >= '0' && **p <= '9')
        return false;                   /* more digits than allowed */
    *val = v;
    return true;
}

static bool text_read_char(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return true;
    }
    return false;
}

/* "D/M/YYYY" with a BE year; D and M one or two digits. */
static bool text_parse_be(const char *p, const char *end, text_date *d)
{
    if (!text_read_number(&p, end, 1, 2, &d->day) ||
        !text_read_char(&p, end, '/') ||
        !text_read_number(&p, end, 1, 2, &d->month) ||
        !text_read_char(&p, end, '/') ||
        !text_read_number(&p, end, 4, 4, &d->year) || p != end)
        return false;
    if (d->year < TEXT_BE_YEAR_MIN || d->year > TEXT_BE_YEAR_MAX)
        return false;
    d->year -= TEXT_BE_OFFSET;
    return true;
}

/* "YYYY-MM-DD" with a CE year, exactly as ISO 8601 writes it. */
static bool text_parse_iso(const char *p, const char *end, text_date *d)
{
    if (!text_read_number(&p, end, 4, 4, &d->year) ||
        !text_read_char(&p, end, '-') ||
        !text_read_number(&p, end, 2, 2, &d->month) ||
        !text_read_char(&p, end, '-') ||
        !text_read_number(&p, end, 2, 2, &d->day) || p != end)
        return false;
    return d->year >= TEXT_CE_YEAR_MIN && d->year <= TEXT_CE_YEAR_MAX;
}

bool text_date_parse(const char *s, text_date *out)
{
    const char *end;
    text_date d = { 0, 0, 0 };
    bool ok;

    if (s == NULL)
        return false;
    while (*s == ' ' || *s == '\t')
        s++;
    end = s;
    while (*end != '\0')
        end++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    ok = text_parse_be(s, end, &d) || text_parse_iso(s, end, &d);
    if (!ok || !text_date_valid(d))
        return false;
    if (out != NULL)
        *out = d;
    return true;
}

/* Clamped so that the result always fits the documented 11 bytes, even for
 * a date that text_date_valid() would refuse. */
static int text_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void text_date_iso(text_date d, char *out)
{
    snprintf(out, 11, "%04d-%02d-%02d", text_clamp(d.year, 0, 9999),
             text_clamp(d.month, 0, 99), text_clamp(d.day, 0, 99));
}

void text_date_be(text_date d, char *out)
{
    snprintf(out, 11, "%02d/%02d/%04d", text_clamp(d.day, 0, 99),
             text_clamp(d.month, 0, 99),
             text_clamp(d.year + TEXT_BE_OFFSET, 0, 9999));
}

long text_date_to_days(text_date d)
{
    long y = d.year - (d.month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                   /* 0..399 */
    long mp = d.month > 2 ? d.month - 3 : d.month + 9;          /* March = 0 */
    long doy = (153 * mp + 2) / 5 + d.day - 1;                  /* 0..365 */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
    return era * 146097 + doe - 719468;
}

text_date text_date_from_days(long days)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    text_date d;

    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

/* A person born on 29 February becomes a year older on 1 March in a common
 * year: the birthday has not come until the calendar passes 29/2. */
int text_age_years(text_date birth, text_date at)
{
    int years = at.year - birth.year;

    if (at.month < birth.month ||
        (at.month == birth.month && at.day < birth.day))
        years--;
    return years;
}

text_date text_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    text_date d = { 1970, 1, 1 };

    if (localtime_r(&now, &tm) != NULL) {
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
    }
    return d;
}

const char *text_datetime_be(const char *s, char *out, size_t outsz)
{
    text_date d;
    char day[11], be[11];
    if (s && strlen(s) >= 10) {
        memcpy(day, s, 10);
        day[10] = '\0';
        if (text_date_parse(day, &d)) {
            text_date_be(d, be);
            if (strlen(s) >= 16 && (s[10] == 'T' || s[10] == ' ')) snprintf(out, outsz, "%s %.5s", be, s + 11);
            else snprintf(out, outsz, "%s", be);
            return out;
        }
    }
    snprintf(out, outsz, "%s", s ? s : "");
    return out;
}
