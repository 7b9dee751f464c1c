/*
 * decide.c: who takes the office's decisions (see unit_internal.h and
 * workflow.h).  Decisions belong to roles, never to the administrator:
 * the group head approves first in the manual's chain, the director last,
 * and a deputy director decides for the director while a delegation the
 * director recorded lasts.  Every decision of the unit layer (activities,
 * requests for access, service requests) asks here, so there is one
 * answer to "may this session decide".
 */
#include "esis/workflow.h"
#include "esis/db.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <string.h>

bool unit_decider_ok(const char *role)
{
    return role && (!strcmp(role, "group_head") || !strcmp(role, "director"));
}

/* Does a director's delegation to login cover today? */
static bool delegated(sqlite3 *db, const char *login)
{
    return db_query_int(db, 0,
                        "SELECT count(*) FROM delegations d JOIN users f ON f.login = d.from_login"
                        " JOIN users t ON t.login = d.to_login"
                        " WHERE d.to_login = ?1 AND f.role = 'director' AND f.disabled = 0"
                        " AND t.role = 'deputy' AND t.disabled = 0"
                        " AND d.starts <= date('now','localtime') AND d.ends >= date('now','localtime')",
                        login, (const char *)NULL) > 0;
}

bool unit_may_hold(sqlite3 *db, const char *role, const char **as)
{
    const db_session *s = db_session_get(db);
    if (as) *as = role;
    if (!s) return true;
    if (!s->role || !role || !s->may_write) return false;
    if (!strcmp(s->role, role) && unit_decider_ok(role)) return true;
    if (!strcmp(role, "director") && !strcmp(s->role, "deputy") && s->login && delegated(db, s->login)) {
        if (as) *as = "deputy";
        return true;
    }
    return false;
}

bool unit_may_decide(sqlite3 *db)
{
    return unit_may_hold(db, "director", NULL);
}

/* DD/MM/YYYY (BE) or YYYY-MM-DD into ISO (out: 11 bytes), read as the
 * form reads a date (norm.h: Thai digits too); false when neither. */
static bool iso_date(const char *text, char *out)
{
    char buf[64];
    if (!text || norm_value(NORM_DATE, NULL, text, buf, sizeof buf) != NORM_OK || !*buf || strlen(buf) > 10)
        return false;
    memcpy(out, buf, strlen(buf) + 1);
    return true;
}

int workflow_delegate(esis_app *app, const char *to_login, const char *from, const char *until,
                      const char *note, char *err, size_t errsz)
{
    const db_session *s = db_session_get(app->db);
    if (s && (!s->role || strcmp(s->role, "director") != 0))
        return unit_fail(app, err, errsz, "decide.delegate_director", NULL);
    char starts[11], ends[11];
    if (from && *from) {
        if (!iso_date(from, starts)) return unit_fail(app, err, errsz, "access.bad_date", "%s", from);
    } else {
        unit_today_iso(starts);
    }
    if (!iso_date(until, ends)) return unit_fail(app, err, errsz, "access.bad_date", "%s", until ? until : "");
    if (strcmp(ends, starts) < 0) return unit_fail(app, err, errsz, "decide.delegate_period", "%s > %s", starts, ends);
    if (!to_login || db_query_int(app->db, 0, "SELECT count(*) FROM users WHERE login = ?1 AND role = 'deputy'"
                                              " AND disabled = 0", to_login, (const char *)NULL) != 1)
        return unit_fail(app, err, errsz, "decide.not_deputy", "%s", to_login ? to_login : "");
    const char *args[] = { unit_actor(app->db), to_login, starts, ends, note && *note ? note : NULL };
    return unit_exec(app->db, "INSERT INTO delegations(from_login, to_login, starts, ends, note, updated_by)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, esis_actor())", args, 5, NULL, err, errsz);
}
