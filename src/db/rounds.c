/* rounds.c: rounds in the database, from the calendar in conf. */
#include "esis/rounds.h"
#include "esis/db.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *coll_name(conf_collection c)
{
    return c == COLL_DMC ? "dmc" : c == COLL_EMIS ? "emis" : "bobec";
}

bool rounds_previous(const char *code, char *out, size_t outsz)
{
    char *end;
    long year = strtol(code, &end, 10);
    if (end == code || *end != '-') return false;
    const char *suffix = end + 1;
    if (!strcmp(suffix, "1")) snprintf(out, outsz, "%ld-3", year - 1);
    else if (!strcmp(suffix, "2")) snprintf(out, outsz, "%ld-1", year);
    else if (!strcmp(suffix, "3")) snprintf(out, outsz, "%ld-2", year);
    else if (!strcmp(suffix, "emis") || !strcmp(suffix, "bobec")) snprintf(out, outsz, "%ld-%s", year - 1, suffix);
    else return false;
    return true;
}

bool rounds_next(const char *code, char *out, size_t outsz)
{
    char *end;
    long year = strtol(code, &end, 10);
    if (end == code || *end != '-') return false;
    const char *suffix = end + 1;
    if (!strcmp(suffix, "1")) snprintf(out, outsz, "%ld-2", year);
    else if (!strcmp(suffix, "2")) snprintf(out, outsz, "%ld-3", year);
    else if (!strcmp(suffix, "3")) snprintf(out, outsz, "%ld-1", year + 1);
    else if (!strcmp(suffix, "emis") || !strcmp(suffix, "bobec")) snprintf(out, outsz, "%ld-%s", year + 1, suffix);
    else return false;
    return true;
}

int rounds_ensure(sqlite3 *db, const esis_conf *c, const char *code, char *err, size_t errsz)
{
    conf_round r;
    if (!conf_round_get(c, code, &r)) {
        snprintf(err, errsz, "'%s' is not a round code (like 2567-1, 2567-2, 2567-3, 2567-emis, 2567-bobec)", code);
        return -1;
    }
    char as_of[11], opens[11], closes[11], prev[24];
    text_date_iso(r.as_of, as_of);
    text_date_iso(r.opens, opens);
    text_date_iso(r.closes, closes);
    rounds_previous(r.code, prev, sizeof prev);
    long today = text_date_to_days(text_date_today());
    const char *state = today < text_date_to_days(r.opens) ? "planned"
                      : today <= text_date_to_days(r.closes) ? "open" : "closed";
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens,"
                            " closes, state, previous_round, updated_by)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, esis_actor())"
                            " ON CONFLICT(round_code) DO NOTHING", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, r.code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, coll_name(r.collection), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, r.year);
        sqlite3_bind_int(st, 4, r.number);
        sqlite3_bind_text(st, 5, as_of, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, opens, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, closes, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, state, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, prev, -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) snprintf(err, errsz, "round %s: %s", code, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

int rounds_ensure_years(sqlite3 *db, const esis_conf *c, int year, char *err, size_t errsz)
{
    static const char *const suffix[] = { "1", "2", "3", "emis", "bobec" };
    for (int y = year - 1; y <= year; y++)
        for (int k = 0; k < 5; k++) {
            char code[24];
            snprintf(code, sizeof code, "%d-%s", y, suffix[k]);
            if (rounds_ensure(db, c, code, err, errsz) != 0) return -1;
        }
    return 0;
}

/* ---- what a period holds ------------------------------------------------ */

bool rounds_exists(sqlite3 *db, const char *code)
{
    return code && db_query_int(db, 0, "SELECT count(*) FROM rounds WHERE round_code = ?1", code, (const char *)NULL) > 0;
}

bool rounds_has_students(sqlite3 *db, const char *code)
{
    return code && db_query_int(db, 0, "SELECT EXISTS (SELECT 1 FROM students WHERE round_code = ?1)",
                                code, (const char *)NULL) > 0;
}

int rounds_in_year(sqlite3 *db, int year)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    return (int)db_query_int(db, 0, "SELECT count(*) FROM rounds WHERE academic_year = ?1", y, (const char *)NULL);
}

bool rounds_last_check(sqlite3 *db, const char *code, char *out, size_t outsz)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    out[0] = '\0';
    if (db_prepare(db, "SELECT strftime('%Y-%m-%dT%H:%M', checked_at, 'localtime') FROM round_checks"
                           " WHERE round_code = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
            snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
            found = true;
        }
    }
    sqlite3_finalize(st);
    return found;
}

int rounds_note_check(sqlite3 *db, const char *code, const char *school)
{
    if (school) return 0;   /* one school is not the round */
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, "INSERT INTO round_checks(round_code, checked_at, checked_by)"
                            " VALUES (?1, strftime('%Y-%m-%dT%H:%M:%S','now'), esis_actor())"
                            " ON CONFLICT(round_code) DO UPDATE SET checked_at = excluded.checked_at,"
                            " checked_by = excluded.checked_by", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}
