/*
 * service.c: information-service requests (see service.h): the decision,
 * and serving the data asked for as a CSV file, the least of it: an
 * aggregate unless an approval of individual records is in force, and then
 * only the columns it names.  What each table lets out is data
 * (conf/privacy.ini, read by service_release.c).
 *
 * The file is written beside its final name and renamed when complete, and
 * only then are the release logged (with its SHA-256) and the request
 * marked delivered (one transaction), so the log never names a file that
 * was not written.
 */
#include "esis/service.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/document.h"
#include "esis/io.h"
#include "esis/text.h"
#include "service_internal.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOW "strftime('%Y-%m-%dT%H:%M:%S','now')"

static int request_state(esis_app *app, long long id, char *state, size_t n, char *round, size_t rn,
                         char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (db_prepare(app->db, "SELECT state, coalesce(round_code, '') FROM service_requests WHERE id = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (db_step(st) == SQLITE_ROW) {
            snprintf(state, n, "%s", (const char *)sqlite3_column_text(st, 0));
            if (round) snprintf(round, rn, "%s", (const char *)sqlite3_column_text(st, 1));
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    if (rc) unit_fail(app, err, errsz, "service.not_found", "%lld", id);
    return rc;
}

/* The request's own purpose and legal basis ("" when empty). */
static void request_grounds(esis_app *app, long long id, char *purpose, size_t pn, char *basis, size_t bn)
{
    sqlite3_stmt *st = NULL;
    *purpose = *basis = '\0';
    if (db_prepare(app->db, "SELECT coalesce(purpose, ''), coalesce(legal_basis, '') FROM service_requests"
                            " WHERE id = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (db_step(st) == SQLITE_ROW) {
            snprintf(purpose, pn, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(basis, bn, "%s", (const char *)sqlite3_column_text(st, 1));
        }
    }
    sqlite3_finalize(st);
    text_trim(purpose);
    text_trim(basis);
}

/* The approval of individual records: every field a column of a table of
 * personal data, a future expiry, a purpose and a basis.  The row goes to
 * service_approvals in the caller's transaction. */
static int approve_records(esis_app *app, long long id, const service_approval *ap, const char *as,
                           char *err, size_t errsz)
{
    char purpose[1024], basis[1024], expires[64];
    request_grounds(app, id, purpose, sizeof purpose, basis, sizeof basis);
    if (ap->purpose && *ap->purpose) snprintf(purpose, sizeof purpose, "%s", ap->purpose);
    if (ap->legal_basis && *ap->legal_basis) snprintf(basis, sizeof basis, "%s", ap->legal_basis);
    if (!*purpose) return unit_fail(app, err, errsz, "serve.needs_purpose", NULL);
    if (!*basis) return unit_fail(app, err, errsz, "serve.needs_basis", NULL);
    if (unit_norm(app, NORM_DATE, ap->expires, expires, sizeof expires, "serve.needs_expiry", err, errsz))
        return -1;
    char today[11];
    unit_today_iso(today);
    if (strcmp(expires, today) < 0) return unit_fail(app, err, errsz, "serve.expired", "%s", expires);
    /* The kind the records are of, so that fields named for students do
     * not let the same columns of staff out. */
    service_job job;
    memset(&job, 0, sizeof job);
    if (!unit_name_ok(ap->kind)) return unit_fail(app, err, errsz, "serve.needs_kind", "%s", ap->kind ? ap->kind : "");
    if (service_plan(app, ap->kind, &job, err, errsz)) return -1;
    const esis_table *t = job.personal ? schema_table(app->schema, job.table) : NULL;
    service_plan_free(&job);
    if (!t) return unit_fail(app, err, errsz, "serve.needs_kind", "%s", ap->kind);
    char **fields = NULL;
    int n = 0;
    if (unit_words(ap->fields, &fields, &n)) return unit_fail(app, err, errsz, "unit.no_memory", NULL);
    int rc = n ? 0 : unit_fail(app, err, errsz, "serve.needs_fields", NULL);
    for (int i = 0; !rc && i < n; i++)
        if (schema_col(t, fields[i]) < 0) rc = unit_fail(app, err, errsz, "serve.bad_field", "%s (%s)", fields[i], t->name);
    char *joined = NULL;
    if (!rc && !(joined = service_join(fields, n))) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    unit_words_free(fields, n);
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *args[] = { ids, unit_actor(app->db), as, purpose, basis, joined, expires,
                           ap->note && *ap->note ? ap->note : NULL, ap->kind };
    if (!rc)
        rc = unit_exec(app->db, "INSERT INTO service_approvals(request_id, approved_by, approver_role, purpose,"
                                " legal_basis, fields, expires, note, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                       args, 9, NULL, err, errsz);
    free(joined);
    return rc;
}

int service_approve(esis_app *app, long long id, const service_approval *ap, char *err, size_t errsz)
{
    const char *as = NULL;
    if (!unit_may_hold(app->db, "director", &as)) return unit_fail(app, err, errsz, "activity.not_director", NULL);
    char state[32];
    if (request_state(app, id, state, sizeof state, NULL, 0, err, errsz)) return -1;
    if (strcmp(state, "received")) return unit_fail(app, err, errsz, "service.decided", "%lld: %s", id, state);
    char ids[32], day[11];
    snprintf(ids, sizeof ids, "%lld", id);
    unit_today_iso(day);
    if (db_begin(app->db) != SQLITE_OK) return unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    int rc = ap->records ? approve_records(app, id, ap, as, err, errsz) : 0;
    const char *args[] = { unit_actor(app->db), day, ap->records ? "1" : "0", ap->note && *ap->note ? ap->note : NULL, ids };
    if (!rc)
        rc = unit_exec(app->db, "UPDATE service_requests SET state = 'approved', approved_by = ?1, approved_on = ?2,"
                                " unmask_personal = ?3, note = coalesce(?4, note), row_version = row_version + 1,"
                                " updated_by = esis_actor(), updated_at = " NOW " WHERE id = ?5", args, 5, NULL, err, errsz);
    if (!rc && db_commit(app->db) != SQLITE_OK) rc = unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    if (rc) db_rollback(app->db);
    return rc;
}

int service_refuse(esis_app *app, long long id, const char *reason, char *err, size_t errsz)
{
    if (!unit_may_decide(app->db)) return unit_fail(app, err, errsz, "activity.not_director", NULL);
    char *why = text_dup(reason), state[32];
    if (why) text_trim(why);
    int rc = 0;
    if (!why || !*why) rc = unit_fail(app, err, errsz, "access.needs_reason", NULL);
    if (!rc) rc = request_state(app, id, state, sizeof state, NULL, 0, err, errsz);
    if (!rc && strcmp(state, "received")) rc = unit_fail(app, err, errsz, "service.decided", "%lld: %s", id, state);
    if (!rc) {
        char ids[32], day[11];
        snprintf(ids, sizeof ids, "%lld", id);
        unit_today_iso(day);
        const char *args[] = { unit_actor(app->db), day, why, ids };
        rc = unit_exec(app->db, "UPDATE service_requests SET state = 'refused', approved_by = ?1, approved_on = ?2,"
                                " refusal_reason = ?3, unmask_personal = 0, row_version = row_version + 1,"
                                " updated_by = esis_actor(), updated_at = " NOW " WHERE id = ?4", args, 4, NULL, err, errsz);
    }
    free(why);
    return rc;
}

/* ---- the approval in force ------------------------------------------------ */

/* The latest approval of records of `kind` (NULL: any) for request id
 * whose approver holds (or held, by delegation on the day) the director's
 * decisions: 1 with *out filled, 0 when there is none.  Expiry is the
 * caller's to judge. */
static int approval_latest(esis_app *app, long long id, const char *kind, service_grant *out)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    int found = 0;
    if (db_prepare(app->db,
                   "SELECT a.approved_by, a.purpose, a.legal_basis, a.fields, a.expires, a.kind"
                   " FROM service_approvals a JOIN service_requests r ON r.id = a.request_id"
                   " JOIN users u ON u.login = a.approved_by AND u.disabled = 0"
                   " WHERE a.request_id = ?1 AND (?2 IS NULL OR a.kind = ?2) AND r.state IN ('approved', 'delivered')"
                   " AND (u.role = 'director' OR (u.role = 'deputy' AND EXISTS (SELECT 1 FROM delegations d"
                   " JOIN users f ON f.login = d.from_login AND f.role = 'director'"
                   " WHERE d.to_login = u.login AND d.starts <= substr(a.approved_at, 1, 10)"
                   " AND d.ends >= substr(a.approved_at, 1, 10))))"
                   " ORDER BY a.id DESC LIMIT 1", &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW) {
            snprintf(out->kind, sizeof out->kind, "%s", (const char *)sqlite3_column_text(st, 5));
            snprintf(out->approved_by, sizeof out->approved_by, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(out->purpose, sizeof out->purpose, "%s", (const char *)sqlite3_column_text(st, 1));
            snprintf(out->legal_basis, sizeof out->legal_basis, "%s", (const char *)sqlite3_column_text(st, 2));
            snprintf(out->fields, sizeof out->fields, "%s", (const char *)sqlite3_column_text(st, 3));
            snprintf(out->expires, sizeof out->expires, "%s", (const char *)sqlite3_column_text(st, 4));
            found = 1;
        }
    }
    sqlite3_finalize(st);
    return found;
}

static bool grant_expired(const service_grant *g)
{
    char today[11];
    unit_today_iso(today);
    return strcmp(g->expires, today) < 0;
}

bool service_records_approved(esis_app *app, long long id)
{
    service_grant g;
    return approval_latest(app, id, NULL, &g) && !grant_expired(&g);
}

/* ---- serving --------------------------------------------------------------- */

static int log_release(esis_app *app, long long id, const service_job *job, const service_result *res,
                       char *err, size_t errsz)
{
    char ids[32], nrows[32], day[11];
    snprintf(ids, sizeof ids, "%lld", id);
    snprintf(nrows, sizeof nrows, "%ld", res->rows);
    unit_today_iso(day);
    char purpose[1024], basis[1024];
    request_grounds(app, id, purpose, sizeof purpose, basis, sizeof basis);
    const service_grant *g = job->grant;
    if (db_begin(app->db) != SQLITE_OK) return unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    const char *a1[] = { ids, unit_actor(app->db), job->kind, res->file, nrows, res->masked ? "1" : "0",
                         g ? g->purpose : (*purpose ? purpose : NULL), g ? g->legal_basis : (*basis ? basis : NULL),
                         g ? g->approved_by : NULL, job->released, job->level, res->sha256 };
    int rc = unit_exec(app->db, "INSERT INTO service_exports(request_id, by_login, kind, file, rows, masked, purpose,"
                                " legal_basis, approved_by, fields, level, sha256)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", a1, 12, NULL, err, errsz);
    const char *a2[] = { day, unit_actor(app->db), ids };
    if (!rc) rc = unit_exec(app->db, "UPDATE service_requests SET state = 'delivered', delivered_on = ?1, served_by = ?2,"
                                     " row_version = row_version + 1, updated_by = esis_actor(), updated_at = " NOW
                                     " WHERE id = ?3", a2, 3, NULL, err, errsz);
    if (!rc && db_commit(app->db) != SQLITE_OK) rc = unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    if (rc) db_rollback(app->db);
    return rc;
}

/* The round: asked for, else the request's, else the current one. */
static int pick_round(esis_app *app, const char *round, const char *req_round, service_job *job,
                      char *err, size_t errsz)
{
    rules_env env;
    if (round && *round) snprintf(job->round, sizeof job->round, "%s", round);
    else if (*req_round) snprintf(job->round, sizeof job->round, "%s", req_round);
    else if (app_rules_env(app, NULL, &env, &job->cur)) snprintf(job->round, sizeof job->round, "%s", job->cur.code);
    conf_round chk;
    if (*job->round && !conf_round_get(app->conf, job->round, &chk))
        return unit_fail(app, err, errsz, "activity.bad_round", "%s", job->round);
    return 0;
}

int service_serve(esis_app *app, long long id, const char *kind, const char *round, const char *out_path,
                  service_result *res, char *err, size_t errsz)
{
    memset(res, 0, sizeof *res);
    if (!unit_is_office_writer(app->db)) return unit_fail(app, err, errsz, "activity.not_office", NULL);
    if (!unit_name_ok(kind)) return unit_fail(app, err, errsz, "service.unknown_kind", "%s", kind ? kind : "");
    char state[32], req_round[32];
    if (request_state(app, id, state, sizeof state, req_round, sizeof req_round, err, errsz)) return -1;
    if (!strcmp(state, "refused")) return unit_fail(app, err, errsz, "service.refused", "%lld", id);
    service_job job;
    memset(&job, 0, sizeof job);
    job.app = app;
    job.kind = kind;
    if (pick_round(app, round, req_round, &job, err, errsz)) return -1;
    if (service_plan(app, kind, &job, err, errsz)) return -1;
    service_grant grant;
    if (job.personal && approval_latest(app, id, kind, &grant)) {
        if (grant_expired(&grant)) {
            service_plan_free(&job);
            return unit_fail(app, err, errsz, "serve.expired", "%lld: %s", id, grant.expires);
        }
        job.grant = &grant;
    }
    const db_session *s = db_session_get(app->db);
    if (job.grant && s && !s->see_personal) job.grant = NULL;
    if (out_path && *out_path) snprintf(res->file, sizeof res->file, "%s", out_path);
    else snprintf(res->file, sizeof res->file, "request-%lld-%s.csv", id, kind);
    int rc = doc_write_file(app, res->file, service_write, &job, err, errsz);
    if (!rc) {
        res->rows = job.rows;
        res->masked = job.personal && !job.grant;
        res->aggregate = job.personal && !job.grant;
        snprintf(res->level, sizeof res->level, "%s", job.level ? job.level : "");
        if (service_sha256_file(res->file, res->sha256)) rc = unit_fail(app, err, errsz, "serve.checksum_failed", "%s", res->file);
    }
    if (!rc) rc = log_release(app, id, &job, res, err, errsz);
    service_plan_free(&job);
    return rc;
}

/* ---- the release log --------------------------------------------------- */

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

int service_log_each(esis_app *app, long long request_id, int (*fn)(void *ctx, const service_release *r), void *ctx,
                     char *err, size_t errsz)
{
    const db_session *s = db_session_get(app->db);
    if (s && (!s->role || (strcmp(s->role, "director") && strcmp(s->role, "deputy") && strcmp(s->role, "admin"))))
        return unit_fail(app, err, errsz, "serve.log_refused", NULL);
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, "SELECT id, request_id, at, by_login, kind, coalesce(level, ''), file, coalesce(purpose, ''),"
                            " coalesce(legal_basis, ''), coalesce(approved_by, ''), coalesce(fields, ''),"
                            " coalesce(sha256, ''), rows FROM service_exports WHERE ?1 = 0 OR request_id = ?1 ORDER BY id",
                   &st) != SQLITE_OK)
        return unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    sqlite3_bind_int64(st, 1, request_id);
    int rc = 0;
    while (!rc && db_step(st) == SQLITE_ROW) {
        service_release r = { sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col_text(st, 2), col_text(st, 3),
                              col_text(st, 4), col_text(st, 5), col_text(st, 6), col_text(st, 7), col_text(st, 8),
                              col_text(st, 9), col_text(st, 10), col_text(st, 11), (long)sqlite3_column_int64(st, 12) };
        rc = fn(ctx, &r);
    }
    sqlite3_finalize(st);
    return rc;
}
