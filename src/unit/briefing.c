/*
 * briefing.c: briefings of the schools and who attended (see briefing.h).
 * Both write through audited tables with the session's actor; attendance
 * for several schools is one transaction, so a typo in the fifth school
 * code leaves the first four unmarked rather than half a list.
 */
#include "esis/briefing.h"
#include "esis/batch.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>

int briefing_add(esis_app *app, const char *date, const char *title, const char *round, const char *kind,
                 const char *place, long long *id, char *err, size_t errsz)
{
    if (!unit_is_office_writer(app->db)) return unit_fail(app, err, errsz, "activity.not_office", NULL);
    char iso[64];
    if (unit_norm(app, NORM_DATE, date, iso, sizeof iso, "briefing.bad_date", err, errsz)) return -1;
    if (!title || !*title) return unit_fail(app, err, errsz, "briefing.needs_title", NULL);
    conf_round r;
    if (round && *round && !conf_round_get(app->conf, round, &r))
        return unit_fail(app, err, errsz, "activity.bad_round", "%s", round);
    if (kind && strcmp(kind, "meeting") && strcmp(kind, "letter") && strcmp(kind, "online"))
        return unit_fail(app, err, errsz, "briefing.bad_kind", "%s", kind);
    /* The gate: the office's table, and a round that is locked takes no
     * more (administrators excepted).  A round of the settings not yet
     * planned into the database has no window to check. */
    bool planned = round && *round &&
                   db_query_int(app->db, 0, "SELECT count(*) FROM rounds WHERE round_code = ?1", round, (const char *)NULL);
    if (unit_gate(app, "briefings", NULL, planned ? round : NULL, err, errsz)) return -1;
    const char *args[] = { iso, title, kind ? kind : "meeting", round && *round ? round : NULL, place };
    if (unit_exec(app->db, "INSERT INTO briefings(held_on, title, kind, round_code, place, updated_by)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, esis_actor())", args, 5, NULL, err, errsz))
        return -1;
    if (id) *id = sqlite3_last_insert_rowid(app->db);
    return 0;
}

int briefing_attend(esis_app *app, long long id, const char *const *schools, int n, int *added,
                    char *err, size_t errsz)
{
    *added = 0;
    if (!unit_is_office_writer(app->db)) return unit_fail(app, err, errsz, "activity.not_office", NULL);
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", id);
    if (!db_query_int(app->db, 0, "SELECT count(*) FROM briefings WHERE id = ?1", ids, (const char *)NULL))
        return unit_fail(app, err, errsz, "briefing.not_found", "%lld", id);
    if (n <= 0) return unit_fail(app, err, errsz, "briefing.needs_school", NULL);
    /* A list of schools is a batch (batch.h): every unknown school is
     * named, and then none is marked. */
    batch b;
    if (batch_begin(&b, app, NULL, NULL, err, errsz)) return -1;
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        /* a school code as the form and the importer clean it: Thai
         * digits, spaces and dashes are the same code */
        char code[64], why[600];
        if (norm_value(NORM_DIGITS, NULL, schools[i], code, sizeof code) != NORM_OK) *code = '\0';
        if (!*code || !db_query_int(app->db, 0, "SELECT count(*) FROM schools WHERE school_code = ?1", code, (const char *)NULL)) {
            snprintf(why, sizeof why, "%s %s", app_msg(app, "briefing.no_school"), schools[i]);
            batch_refuse(&b, i + 1, why);
            continue;
        }
        if (unit_gate(app, "briefing_attendance", code, NULL, why, sizeof why)) {
            batch_refuse(&b, i + 1, why);
            continue;
        }
        const char *args[] = { ids, code };
        int changed = 0;
        rc = unit_exec(app->db, "INSERT INTO briefing_attendance(briefing_id, school_code, updated_by)"
                                " VALUES (?1, ?2, esis_actor()) ON CONFLICT(briefing_id, school_code) DO NOTHING",
                       args, 2, &changed, err, errsz);
        b.stored += changed;
    }
    rc = batch_end(&b, rc, err, errsz);
    *added = rc ? 0 : (int)b.stored;
    return rc;
}
