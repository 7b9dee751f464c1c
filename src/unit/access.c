/*
 * access.c: the director's decision on a request for access (see
 * access.h).  Approval with a new account goes user first, request second:
 * auth_user_add holds its own transaction and refuses a login that exists
 * or a school that does not, and when it does nothing has changed yet.
 */
#include "esis/access.h"
#include "esis/app.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct request {
    char state[16], login[80], role[16], schools[1024], school_code[16], requester[256];
    int  months;
} request;

static void col(char *dst, size_t n, sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    snprintf(dst, n, "%s", s ? (const char *)s : "");
}

static int load_any(esis_app *app, long long id, request *r, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    memset(r, 0, sizeof *r);
    int rc = -1;
    if (db_prepare(app->db, "SELECT state, login, role, coalesce(schools, ''), coalesce(school_code, ''),"
                            " requester, months FROM access_requests WHERE id = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (db_step(st) == SQLITE_ROW) {
            col(r->state, sizeof r->state, st, 0);
            col(r->login, sizeof r->login, st, 1);
            col(r->role, sizeof r->role, st, 2);
            col(r->schools, sizeof r->schools, st, 3);
            col(r->school_code, sizeof r->school_code, st, 4);
            col(r->requester, sizeof r->requester, st, 5);
            r->months = sqlite3_column_int(st, 6);
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    if (rc) return unit_fail(app, err, errsz, "access.not_found", "%lld", id);
    return 0;
}

/* A request still waiting for its decision. */
static int load(esis_app *app, long long id, request *r, char *err, size_t errsz)
{
    if (load_any(app, id, r, err, errsz)) return -1;
    if (strcmp(r->state, "pending")) return unit_fail(app, err, errsz, "access.decided", "%lld: %s", id, r->state);
    return 0;
}

static bool is_admin(sqlite3 *db)
{
    const db_session *s = db_session_get(db);
    return !s || (s->role && !strcmp(s->role, "admin"));
}

/* The request's schools: its `schools` list, else its own school. */
static int create_user(esis_app *app, const request *r, const char *expires, char *err, size_t errsz)
{
    char **schools = NULL;
    int n = 0;
    if (unit_words(*r->schools ? r->schools : r->school_code, &schools, &n))
        return unit_fail(app, err, errsz, "unit.no_memory", NULL);
    char why[512] = "";
    int rc = auth_user_add(app->db, r->login, r->role, (const char *const *)schools, n, r->requester,
                           NULL, expires, why, sizeof why);
    unit_words_free(schools, n);
    if (rc) return unit_fail(app, err, errsz, "access.user_failed", "%s", why);
    return 0;
}

int access_approve(esis_app *app, long long id, const char *decided_on, const char *note, bool make_user,
                   char *err, size_t errsz)
{
    if (!unit_may_decide(app->db)) return unit_fail(app, err, errsz, "activity.not_director", NULL);
    if (make_user && !is_admin(app->db)) return unit_fail(app, err, errsz, "access.create_needs_admin", NULL);
    request r;
    if (load(app, id, &r, err, errsz)) return -1;
    char day[64];
    if (decided_on) {
        if (unit_norm(app, NORM_DATE, decided_on, day, sizeof day, "access.bad_date", err, errsz)) return -1;
    } else {
        unit_today_iso(day);
    }
    if (r.months < 1 || r.months > 120) return unit_fail(app, err, errsz, "access.bad_months", "%d", r.months);
    /* expires = the decision's date + months (SQLite's calendar arithmetic). */
    char months[32], expires[16] = "";
    snprintf(months, sizeof months, "+%d months", r.months);
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, "SELECT date(?1, ?2)", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, months, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(expires, sizeof expires, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (!*expires) return unit_fail(app, err, errsz, "access.bad_date", "%s", day);
    if (unit_gate(app, "access_requests", *r.school_code ? r.school_code : NULL, NULL, err, errsz)) return -1;
    if (make_user && create_user(app, &r, expires, err, errsz)) return -1;
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *args[] = { unit_actor(app->db), day, note && *note ? note : NULL, expires, make_user ? "1" : "0", ids };
    int changed = 0;
    if (unit_exec(app->db, "UPDATE access_requests SET state = 'approved', decided_by = ?1, decided_on = ?2,"
                           " decision_note = ?3, expires = ?4, user_created = ?5, row_version = row_version + 1,"
                           " updated_by = esis_actor(), updated_at = strftime('%Y-%m-%dT%H:%M:%S','now')"
                           " WHERE id = ?6 AND state = 'pending'", args, 6, &changed, err, errsz))
        return -1;
    if (changed != 1) return unit_fail(app, err, errsz, "access.decided", "%lld", id);
    return 0;
}

int access_create_user(esis_app *app, long long id, char *err, size_t errsz)
{
    if (!is_admin(app->db)) return unit_fail(app, err, errsz, "access.create_needs_admin", NULL);
    request r;
    if (load_any(app, id, &r, err, errsz)) return -1;
    char ids[32], expires[16] = "";
    snprintf(ids, sizeof ids, "%lld", id);
    if (strcmp(r.state, "approved")) return unit_fail(app, err, errsz, "access.not_approved", "%lld", id);
    if (db_query_int(app->db, 0, "SELECT user_created FROM access_requests WHERE id = ?1", ids, (const char *)NULL))
        return unit_fail(app, err, errsz, "access.user_exists", "%lld", id);
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, "SELECT coalesce(expires, '') FROM access_requests WHERE id = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (db_step(st) == SQLITE_ROW) snprintf(expires, sizeof expires, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    if (create_user(app, &r, *expires ? expires : NULL, err, errsz)) return -1;
    const char *args[] = { ids };
    return unit_exec(app->db, "UPDATE access_requests SET user_created = 1, row_version = row_version + 1,"
                              " updated_by = esis_actor(), updated_at = strftime('%Y-%m-%dT%H:%M:%S','now')"
                              " WHERE id = ?1", args, 1, NULL, err, errsz);
}

int access_refuse(esis_app *app, long long id, const char *reason, char *err, size_t errsz)
{
    if (!unit_may_decide(app->db)) return unit_fail(app, err, errsz, "activity.not_director", NULL);
    char *why = text_dup(reason);
    if (why) text_trim(why);
    int rc = 0;
    request r;
    if (!why || !*why) rc = unit_fail(app, err, errsz, "access.needs_reason", NULL);
    if (!rc) rc = load(app, id, &r, err, errsz);
    if (!rc) rc = unit_gate(app, "access_requests", *r.school_code ? r.school_code : NULL, NULL, err, errsz);
    if (!rc) {
        char ids[32], day[11];
        snprintf(ids, sizeof ids, "%lld", id);
        unit_today_iso(day);
        const char *args[] = { unit_actor(app->db), day, why, ids };
        int changed = 0;
        rc = unit_exec(app->db, "UPDATE access_requests SET state = 'refused', decided_by = ?1, decided_on = ?2,"
                                " decision_note = ?3, row_version = row_version + 1, updated_by = esis_actor(),"
                                " updated_at = strftime('%Y-%m-%dT%H:%M:%S','now') WHERE id = ?4 AND state = 'pending'",
                       args, 4, &changed, err, errsz);
        if (!rc && changed != 1) rc = unit_fail(app, err, errsz, "access.decided", "%lld", id);
    }
    free(why);
    return rc;
}
