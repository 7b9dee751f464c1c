/*
 * submissions.c: a round's state, each school's submission through it, and
 * carrying students into the next round.
 *
 * These write with plain SQL inside one transaction each; the audit
 * triggers record them like any other change, and the permission checks
 * (which role may do what) are made here, against the connection's session,
 * before anything is written.
 */
#include "esis/rounds.h"
#include "esis/db.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_office(sqlite3 *db)
{
    const db_session *s = db_session_get(db);
    return !s || (s->all_schools && s->may_write);
}

static int exec_bound(sqlite3 *db, const char *sql, const char *const *args, int n, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    for (int i = 0; rc == SQLITE_OK && i < n; i++) sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
    if (rc == SQLITE_OK) rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    if (rc != SQLITE_OK) snprintf(err, errsz, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

/* The order of the states: a change to an earlier one goes back. */
static int state_rank(const char *state)
{
    static const char *const STATES[] = { "planned", "open", "closed", "locked" };
    for (int i = 0; i < 4; i++) if (!strcmp(state, STATES[i])) return i;
    return -1;
}

int rounds_holding(sqlite3 *db, const char *code, rounds_held *held)
{
    held->students = db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = ?1", code, (const char *)NULL);
    held->submissions = db_query_int(db, -1, "SELECT count(*) FROM submissions WHERE round_code = ?1"
                                             " AND state <> 'not_started'", code, (const char *)NULL);
    return held->students < 0 || held->submissions < 0 ? -1 : 0;
}

int rounds_set_state(sqlite3 *db, const char *code, const char *state, bool force, rounds_held *held,
                     char *err, size_t errsz)
{
    rounds_held h = { 0, 0 };
    if (held) *held = h;
    int to = state_rank(state);
    if (to < 0) { snprintf(err, errsz, "'%s' is not a round state (planned, open, closed, locked)", state); return -1; }
    if (!is_office(db)) { snprintf(err, errsz, "only the office may change a round's state"); return -1; }
    if (db_begin(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return -1; }
    char now[16] = "";
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, "SELECT state FROM rounds WHERE round_code = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW) snprintf(now, sizeof now, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    int rc = 0;
    if (!*now) { snprintf(err, errsz, "round %s does not exist", code); rc = -1; }
    /* Back to planned, or out of locked, throws away where the round and
     * its schools stood (seen: an open round of 49,421 students turned
     * back to planned without a question).  Read in the same transaction
     * as the change, so what was counted is what is changed. */
    else if (state_rank(now) != to && (to == 0 || !strcmp(now, "locked")) && !force) {
        if (rounds_holding(db, code, &h)) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = -1; }
        else if (h.students > 0 || h.submissions > 0) {
            snprintf(err, errsz, "round %s is %s and holds %lld students, %lld submissions under way", code, now,
                     h.students, h.submissions);
            rc = 1;
        }
        if (held) *held = h;
    }
    if (!rc) {
        const char *args[] = { state, code };
        rc = exec_bound(db, "UPDATE rounds SET state = ?1, row_version = row_version + 1, updated_by = esis_actor(),"
                            " updated_at = strftime('%Y-%m-%dT%H:%M:%S','now') WHERE round_code = ?2"
                            " AND state <> ?1", args, 2, err, errsz);
    }
    if (rc == 0 && db_commit(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = -1; }
    if (rc) db_rollback(db);
    return rc;
}

/* The row must exist before it can move. */
static int ensure_row(sqlite3 *db, const char *round, const char *school, char *err, size_t errsz)
{
    const char *args[] = { round, school };
    return exec_bound(db, "INSERT INTO submissions(round_code, school_code, updated_by)"
                          " VALUES (?1, ?2, esis_actor()) ON CONFLICT(round_code, school_code) DO NOTHING",
                      args, 2, err, errsz);
}

int rounds_submission_touch(sqlite3 *db, const char *round, const char *school)
{
    char err[256];
    if (ensure_row(db, round, school, err, sizeof err)) return -1;
    const char *args[] = { round, school };
    return exec_bound(db, "UPDATE submissions SET state = 'in_progress', updated_by = esis_actor(),"
                          " updated_at = strftime('%Y-%m-%dT%H:%M:%S','now'), row_version = row_version + 1"
                          " WHERE round_code = ?1 AND school_code = ?2 AND state = 'not_started'",
                      args, 2, err, sizeof err);
}

static const char *state_of(sqlite3 *db, const char *round, const char *school, char *buf, size_t n)
{
    sqlite3_stmt *st = NULL;
    snprintf(buf, n, "not_started");
    if (db_prepare(db, "SELECT state FROM submissions WHERE round_code = ?1 AND school_code = ?2", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, school, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW) snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return buf;
}

long rounds_open_errors(sqlite3 *db, const char *round, const char *school)
{
    return (long)db_query_int(db, 0, "SELECT count(*) FROM flags WHERE round_code = ?1 AND school_code = ?2"
                                     " AND severity = 'error'", round, school, (const char *)NULL);
}

/* Confirming data with open errors (those the caller counted now, else the
 * error flags of the last check) is an override: it needs a written
 * reason.  nerr gets the count as text.  0, or -1 with err. */
static int confirm_override(sqlite3 *db, const char *round, const char *school, long errors, const char *reason,
                            char *nerr, size_t nsz, char *err, size_t errsz)
{
    long open = errors > 0 ? errors : rounds_open_errors(db, round, school);
    snprintf(nerr, nsz, "%ld", open);
    const char *p = reason;
    while (p && (*p == ' ' || *p == '\t' || *p == '\n')) p++;
    if (open > 0 && (!p || !*p)) {
        snprintf(err, errsz, "school %s has %ld open error(s) in round %s: confirming needs an override"
                             " with a written reason (--override TEXT)", school, open, round);
        return -1;
    }
    return 0;
}

int rounds_submission_act(sqlite3 *db, const char *round, const char *school, rounds_action act,
                          long errors, const char *reason, const char *until, char *err, size_t errsz)
{
    if (!db_query_int(db, 0, "SELECT count(*) FROM rounds WHERE round_code = ?1", round, (const char *)NULL)) {
        snprintf(err, errsz, "round %s does not exist", round);
        return -1;
    }
    if (!db_query_int(db, 0, "SELECT count(*) FROM schools WHERE school_code = ?1", school, (const char *)NULL)) {
        snprintf(err, errsz, "school %s does not exist", school);
        return -1;
    }
    if (!db_scope_allows_write(db, school)) {
        snprintf(err, errsz, "school %s is outside your schools", school);
        return -1;
    }
    if (act != ROUNDS_SUBMIT && !is_office(db)) {
        snprintf(err, errsz, "only the office may return, confirm or reopen a school's data");
        return -1;
    }
    if (db_begin(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return -1; }
    int rc = ensure_row(db, round, school, err, errsz);
    char state[32], nerr[24] = "0";
    state_of(db, round, school, state, sizeof state);
    const char *sql = NULL;
    const char *args[4] = { round, school, NULL, NULL };
    int nargs = 2;
    if (rc == 0) switch (act) {
    case ROUNDS_SUBMIT:
        if (!strcmp(state, "submitted") || !strcmp(state, "confirmed")) {
            snprintf(err, errsz, "school %s has already %s round %s", school, state, round);
            rc = -1;
        } else if (errors > 0) {
            snprintf(err, errsz, "school %s still has %ld error(s) in round %s: fix them before submitting",
                     school, errors, round);
            rc = -1;
        }
        sql = "UPDATE submissions SET state = 'submitted', reason = NULL, reopened_until = NULL,"
              " submitted_at = strftime('%Y-%m-%dT%H:%M:%S','now'), submitted_by = esis_actor()";
        break;
    case ROUNDS_RETURN:
        if (!reason || !*reason) { snprintf(err, errsz, "returning needs a reason for the school"); rc = -1; }
        else if (strcmp(state, "submitted") && strcmp(state, "confirmed")) {
            snprintf(err, errsz, "school %s has not submitted round %s (state: %s)", school, round, state);
            rc = -1;
        }
        /* Returned data must be correctable: reopen until the close date
         * plus a week, or the date given. */
        sql = "UPDATE submissions SET state = 'returned', reason = ?3, reopened_until = coalesce(?4,"
              " (SELECT date(max(closes, date('now','localtime')), '+7 days') FROM rounds WHERE round_code = ?1))";
        args[2] = reason; args[3] = until; nargs = 4;
        break;
    case ROUNDS_CONFIRM:
        if (strcmp(state, "submitted")) {
            snprintf(err, errsz, "only submitted data can be confirmed (school %s is %s)", school, state);
            rc = -1;
        } else if (confirm_override(db, round, school, errors, reason, nerr, sizeof nerr, err, errsz)) {
            rc = -1;
        }
        /* With open errors the written override is kept beside the
         * confirmation (and in the audit); without, none is. */
        sql = "UPDATE submissions SET state = 'confirmed', confirmed_at = strftime('%Y-%m-%dT%H:%M:%S','now'),"
              " confirmed_by = esis_actor(), reopened_until = NULL,"
              " override_reason = CASE WHEN CAST(?4 AS INTEGER) > 0 THEN ?3 END,"
              " override_errors = nullif(CAST(?4 AS INTEGER), 0)";
        args[2] = reason; args[3] = nerr; nargs = 4;
        break;
    case ROUNDS_REOPEN:
        sql = "UPDATE submissions SET reopened_until = coalesce(?3,"
              " (SELECT date(max(closes, date('now','localtime')), '+7 days') FROM rounds WHERE round_code = ?1)),"
              " state = CASE state WHEN 'submitted' THEN 'returned' WHEN 'confirmed' THEN 'returned' ELSE state END";
        args[2] = until; nargs = 3;
        break;
    }
    if (rc == 0) {
        strbuf full = STRBUF_INIT;
        strbuf_addf(&full, "%s, updated_by = esis_actor(), updated_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%S','now'),"
                           " row_version = row_version + 1 WHERE round_code = ?1 AND school_code = ?2", sql);
        rc = exec_bound(db, strbuf_str(&full), args, nargs, err, errsz);
        strbuf_free(&full);
    }
    if (rc == 0 && db_commit(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = -1; }
    if (rc) db_rollback(db);
    return rc;
}

int rounds_record_move(sqlite3 *db, const char *round, const char *citizen_id, const char *school,
                       const char *to_school, const char *destination, const char *date,
                       const char *reason, char *err, size_t errsz)
{
    text_date d;
    if (!date || !text_date_parse(date, &d)) { snprintf(err, errsz, "'%s' is not a date", date ? date : ""); return -1; }
    char iso[11];
    text_date_iso(d, iso);
    if (!db_scope_allows_write(db, school)) { snprintf(err, errsz, "school %s is outside your schools", school); return -1; }
    if (db_begin(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return -1; }
    const char *upd[] = { iso, to_school ? to_school : destination, round, school, citizen_id };
    int rc = exec_bound(db, "UPDATE students SET status = '2', status_date = ?1, moved_to = ?2,"
                            " updated_by = esis_actor(), updated_at = strftime('%Y-%m-%dT%H:%M:%S','now'),"
                            " row_version = row_version + 1"
                            " WHERE round_code = ?3 AND school_code = ?4 AND citizen_id = ?5", upd, 5, err, errsz);
    if (rc == 0 && sqlite3_changes(db) == 0) {
        snprintf(err, errsz, "student %s is not in school %s in round %s", citizen_id, school, round);
        rc = -1;
    }
    const char *ins[] = { citizen_id, round, school, to_school, destination, iso, reason };
    if (rc == 0)
        rc = exec_bound(db, "INSERT INTO student_moves(citizen_id, round_code, school_code, to_school, destination,"
                            " move_date, reason, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, esis_actor())",
                        ins, 7, err, errsz);
    if (rc == 0 && db_commit(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = -1; }
    if (rc) db_rollback(db);
    return rc;
}

/* The grade after `grade` in the code list, or NULL at the end of ป.6 or
 * ม.3 (the office's schools end there: those students graduate). */
static const char *next_grade(const esis_conf *c, const char *grade)
{
    const conf_codelist *l = conf_codes(c, "grade");
    if (!grade || !strcmp(grade, "P6") || !strcmp(grade, "M3")) return NULL;
    for (int i = 0; l && i + 1 < l->n; i++)
        if (!strcmp(l->v[i].code, grade)) return l->v[i + 1].code;
    return NULL;
}

int rounds_start_from(sqlite3 *db, const esis_conf *c, const char *from, const char *to,
                      long *carried, long *graduated, char *err, size_t errsz)
{
    *carried = *graduated = 0;
    conf_round rf, rt;
    if (!conf_round_get(c, from, &rf) || !conf_round_get(c, to, &rt) || rf.collection != COLL_DMC ||
        rt.collection != COLL_DMC) {
        snprintf(err, errsz, "%s and %s must both be DMC rounds (like 2567-3 and 2568-1)", from, to);
        return -1;
    }
    if (!is_office(db)) { snprintf(err, errsz, "only the office may start a round"); return -1; }
    if (rounds_ensure(db, c, to, err, errsz) != 0) return -1;
    bool new_year = rt.year > rf.year;
    if (db_begin(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return -1; }
    /* Copy every column but the identity and bookkeeping ones. */
    sqlite3_stmt *cols = NULL;
    strbuf collist = STRBUF_INIT, sql = STRBUF_INIT;
    int rc = db_prepare(db, "SELECT name FROM pragma_table_info('students') WHERE name NOT IN"
                            " ('id','round_code','grade','row_version','created_at','updated_at','updated_by')", &cols);
    while (rc == SQLITE_OK && db_step(cols) == SQLITE_ROW)
        strbuf_addf(&collist, ", \"%s\"", (const char *)sqlite3_column_text(cols, 0));
    sqlite3_finalize(cols);
    strbuf_addf(&sql,
                "INSERT INTO students(round_code, grade, updated_by%s) SELECT ?1, ?2, esis_actor()%s FROM students s"
                " WHERE s.round_code = ?3 AND s.status = '1' AND s.grade = ?4"
                " AND NOT EXISTS (SELECT 1 FROM students t WHERE t.round_code = ?1 AND t.school_code = s.school_code"
                " AND t.citizen_id = s.citizen_id)", strbuf_str(&collist), strbuf_str(&collist));
    const conf_codelist *grades = conf_codes(c, "grade");
    sqlite3_stmt *st = NULL;
    db_bulk_begin(db);
    if (rc == SQLITE_OK) rc = sql.failed ? SQLITE_NOMEM : db_prepare(db, strbuf_str(&sql), &st);
    strbuf_free(&sql);
    strbuf_free(&collist);
    for (int i = 0; rc == SQLITE_OK && grades && i < grades->n; i++) {
        const char *g = grades->v[i].code;
        const char *target = new_year ? next_grade(c, g) : g;
        if (!target) {
            *graduated += db_query_int(db, 0, "SELECT count(*) FROM students WHERE round_code = ?1 AND status = '1'"
                                              " AND grade = ?2", from, g, (const char *)NULL);
            continue;
        }
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, to, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, target, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, from, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, g, -1, SQLITE_STATIC);
        if (db_step(st) != SQLITE_DONE) rc = SQLITE_ERROR;
        else *carried += sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) {
        char what[96];
        snprintf(what, sizeof what, "round %s started from %s", to, from);
        rc = db_bulk_end(db, "students", what, *carried);
    } else {
        db_bulk_cancel(db);
    }
    if (rc != SQLITE_OK) snprintf(err, errsz, "%s", sqlite3_errmsg(db));
    if (rc == SQLITE_OK && db_commit(db) != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); rc = SQLITE_ERROR; }
    if (rc != SQLITE_OK) db_rollback(db);
    return rc == SQLITE_OK ? 0 : -1;
}
