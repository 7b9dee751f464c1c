/*
 * service.c: information-service requests (see service.h): the director's
 * approval, and serving the data asked for as a CSV file with personal
 * data masked unless a director approved unmasking.
 *
 * The file is written beside its final name and renamed when complete, and
 * only then are the export logged and the request marked delivered (one
 * transaction), so the log never names a file that was not written.
 */
#include "esis/service.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/document.h"
#include "esis/io.h"
#include "esis/report.h"
#include "esis/text.h"
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

int service_approve(esis_app *app, long long id, bool unmask, const char *note, char *err, size_t errsz)
{
    if (!unit_may_decide(app->db)) return unit_fail(app, err, errsz, "activity.not_director", NULL);
    char state[32];
    if (request_state(app, id, state, sizeof state, NULL, 0, err, errsz)) return -1;
    if (strcmp(state, "received")) return unit_fail(app, err, errsz, "service.decided", "%lld: %s", id, state);
    char ids[32], day[11];
    snprintf(ids, sizeof ids, "%lld", id);
    unit_today_iso(day);
    const char *args[] = { unit_actor(app->db), day, unmask ? "1" : "0", note && *note ? note : NULL, ids };
    return unit_exec(app->db, "UPDATE service_requests SET state = 'approved', approved_by = ?1, approved_on = ?2,"
                              " unmask_personal = ?3, note = coalesce(?4, note), row_version = row_version + 1,"
                              " updated_by = esis_actor(), updated_at = " NOW " WHERE id = ?5", args, 5, NULL, err, errsz);
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

bool service_may_unmask(esis_app *app, long long id)
{
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", id);
    return db_query_int(app->db, 0,
                        "SELECT count(*) FROM service_requests r JOIN users u ON u.login = r.approved_by"
                        " WHERE r.id = ?1 AND r.unmask_personal = 1 AND r.state IN ('approved', 'delivered')"
                        " AND u.role IN ('director', 'admin') AND u.disabled = 0",
                        ids, (const char *)NULL) > 0;
}

/* ---- serving --------------------------------------------------------------- */

typedef struct serve_ctx {
    esis_app   *app;
    const char *kind, *round;
    bool        mask;
    bool        use_io;
    long        rows;
} serve_ctx;

/* Counts data rows of a report's CSV as they pass. */
static int count_row(void *ctx, const report_def *rep, const report_row *row)
{
    (void)rep;
    if (!row->total) ((serve_ctx *)ctx)->rows++;
    return 0;
}

static int write_export(void *vctx, FILE *out, char *err, size_t errsz)
{
    serve_ctx *c = vctx;
    esis_app *app = c->app;
    if (c->use_io) {
        int rc = io_export(app, c->kind, c->round, NULL, c->mask, out, &c->rows);
        if (rc) return unit_fail(app, err, errsz, "service.export_failed", "%s", app->err);
        return 0;
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/conf/reports", app->home);
    report_set *set = NULL;
    if (report_load_dir(app->db, app->conf, dir, &set, err, errsz)) return -1;
    const report_def *rep = report_find(set, c->kind);
    report_params p = { NULL, 0, NULL, app->lang };
    int rc = 0;
    if (!rep) rc = unit_fail(app, err, errsz, "service.unknown_kind", "%s", c->kind);
    if (!rc && (rep->params & REPORT_P_ROUND)) p.round = c->round;
    if (!rc && (rep->params & REPORT_P_YEAR) && c->round) {
        conf_round r;
        if (conf_round_get(app->conf, c->round, &r)) p.year = r.year;
    }
    if (!rc && report_run(set, rep, &p, count_row, c, err, errsz)) rc = -1;
    if (!rc && report_render(set, rep, &p, REPORT_OUT_CSV, out, err, errsz)) rc = -1;
    report_set_free(set);
    return rc;
}

static int log_export(esis_app *app, long long id, const char *kind, const char *file, long rows, bool masked,
                      char *err, size_t errsz)
{
    char ids[32], nrows[32], day[11];
    snprintf(ids, sizeof ids, "%lld", id);
    snprintf(nrows, sizeof nrows, "%ld", rows);
    unit_today_iso(day);
    if (db_begin(app->db) != SQLITE_OK) return unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    const char *a1[] = { ids, unit_actor(app->db), kind, file, nrows, masked ? "1" : "0" };
    int rc = unit_exec(app->db, "INSERT INTO service_exports(request_id, by_login, kind, file, rows, masked)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", a1, 6, NULL, err, errsz);
    const char *a2[] = { day, unit_actor(app->db), ids };
    if (!rc) rc = unit_exec(app->db, "UPDATE service_requests SET state = 'delivered', delivered_on = ?1, served_by = ?2,"
                                     " row_version = row_version + 1, updated_by = esis_actor(), updated_at = " NOW
                                     " WHERE id = ?3", a2, 3, NULL, err, errsz);
    if (!rc && db_commit(app->db) != SQLITE_OK) rc = unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    if (rc) db_rollback(app->db);
    return rc;
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
    serve_ctx c = { app, kind, NULL, true, false, 0 };
    /* The round: asked for, else the request's, else the current one. */
    conf_round cur;
    rules_env env;
    if (round && *round) c.round = round;
    else if (*req_round) c.round = req_round;
    else if (app_rules_env(app, NULL, &env, &cur)) c.round = cur.code;
    conf_round chk;
    if (c.round && !conf_round_get(app->conf, c.round, &chk)) return unit_fail(app, err, errsz, "activity.bad_round", "%s", c.round);
    const db_session *s = db_session_get(app->db);
    c.mask = !service_may_unmask(app, id) || (s && !s->see_personal);
    char full[4200], shown[256];
    unit_conf_path(app, "import", kind, full, sizeof full, shown, sizeof shown);
    c.use_io = access(full, R_OK) == 0;
    if (out_path && *out_path) snprintf(res->file, sizeof res->file, "%s", out_path);
    else snprintf(res->file, sizeof res->file, "request-%lld-%s.csv", id, kind);
    if (doc_write_file(app, res->file, write_export, &c, err, errsz)) return -1;
    res->rows = c.rows;
    res->masked = c.mask;
    if (log_export(app, id, kind, res->file, c.rows, c.mask, err, errsz)) return -1;
    return 0;
}
