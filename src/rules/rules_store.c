/*
 * rules_store: a batch check whose findings are kept (include/esis/rules.h,
 * rules_check_store).  Moved here from `esis check` so that the TUI's
 * "check" menu action stores exactly what the command stores: the flags
 * table (what the flags screen and the list markers show) and the
 * submissions' counts (what the dashboard and a school's submit rely on).
 */
#include <stdio.h>
#include <string.h>
#include "esis/db.h"
#include "esis/strbuf.h"
#include "esis/rounds.h"
#include "rules_internal.h"

typedef struct rules_store {
    sqlite3            *db;
    const char         *round;
    sqlite3_stmt       *insert;    /* NULL: a viewer's check, not stored */
    rules_hit_fn        fn;
    void               *user;
    rules_store_counts  counts;
    const char         *kept;      /* rules a school officer's check leaves alone: " a b " */
    bool                failed;
    char               *err;
    size_t              errsz;
} rules_store;

static int rules_store_hit(const rules_hit *h, void *user)
{
    rules_store *c = user;
    if (h->severity == RULES_ERROR)
        c->counts.errors++;
    else
        c->counts.warnings++;
    if (c->fn && c->fn(h, c->user) != 0)
        return 1;
    sqlite3_stmt *st = c->insert;
    if (!st || h->stored)      /* a stored finding handed on: it is in the table */
        return 0;
    sqlite3_bind_text(st, 1, c->round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, h->table, -1, SQLITE_STATIC);
    if (h->row_id)
        sqlite3_bind_int64(st, 3, h->row_id);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, h->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, h->school_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, h->rule_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, h->severity == RULES_ERROR ? "error" : "warning", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, h->field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, h->message_th, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, h->message_en, -1, SQLITE_STATIC);
    int rc = db_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        snprintf(c->err, c->errsz, "flags: %s", sqlite3_errmsg(c->db));
        c->failed = true;
        return 1;
    }
    return 0;
}

/* Run one statement with ?1 = round, ?2 = school (may be NULL) and ?3 =
 * the rules whose flags stay (space-separated, may be NULL). */
static int rules_store_exec(rules_store *c, const char *sql, const char *school)
{
    sqlite3_stmt *st;
    if (db_prepare(c->db, sql, &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, c->round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, school, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_text(st, 3, c->kept, -1, SQLITE_STATIC);
    int rc = db_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* One school (or all, school NULL): check and store in one transaction. */
static int rules_store_one(const rules_set *rs, rules_store *c, const rules_env *env,
                           const char *school, const char *lang)
{
    const db_session *who = db_session_get(c->db);
    if (who && !who->may_write)
        return rules_check_round(rs, c->db, env, school, lang, rules_store_hit, c,
                                 c->err, c->errsz);
    if (db_begin(c->db) != SQLITE_OK) {
        snprintf(c->err, c->errsz, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    const char *what = "flags";
    if (rules_store_exec(c, "DELETE FROM flags WHERE round_code = ?1"
                            " AND (?2 IS NULL OR school_code = ?2)"
                            " AND (?3 IS NULL OR instr(?3, ' ' || rule_id || ' ') = 0)", school) != 0 ||
        (!c->insert && db_prepare(c->db,
            "INSERT INTO flags(round_code, table_name, row_id, row_key, school_code, rule_id,"
            " severity, field, message_th, message_en) VALUES (?,?,?,?,?,?,?,?,?,?)",
            &c->insert) != SQLITE_OK))
        goto fail;
    if (rules_check_round(rs, c->db, env, school, lang, rules_store_hit, c, c->err,
                          c->errsz) != 0 || c->failed) {
        db_rollback(c->db);
        return -1;
    }
    what = "submissions";
    if (rules_store_exec(c,
            "UPDATE submissions SET"
            " errors = (SELECT count(*) FROM flags f WHERE f.round_code = submissions.round_code"
            "   AND f.school_code = submissions.school_code AND f.severity = 'error'),"
            " warnings = (SELECT count(*) FROM flags f WHERE f.round_code = submissions.round_code"
            "   AND f.school_code = submissions.school_code AND f.severity = 'warning'),"
            " checked_at = strftime('%Y-%m-%dT%H:%M:%S','now')"
            " WHERE round_code = ?1 AND (?2 IS NULL OR school_code = ?2)", school) != 0 ||
        rounds_note_check(c->db, c->round, school) != 0 ||
        db_commit(c->db) != SQLITE_OK)
        goto fail;
    return 0;
fail:
    snprintf(c->err, c->errsz, "%s: %s", what, sqlite3_errmsg(c->db));
    db_rollback(c->db);
    return -1;
}

int rules_check_store(const rules_set *rs, sqlite3 *db, const rules_env *env,
                      const char *school, const char *lang, rules_hit_fn fn, void *user,
                      rules_store_counts *counts, char *err, size_t errsz)
{
    rules_store c = {.db = db, .round = env->round_code, .fn = fn, .user = user,
                     .err = err, .errsz = errsz};
    const db_session *s = db_session_get(db);
    /* a school officer's check does not run the rules across schools, so
     * it leaves their flags (the office's findings) as they are */
    strbuf kept = STRBUF_INIT;
    for (int i = 0; s && !s->all_schools && i < rs->n; i++)
        if (rs->v[i].across_schools) strbuf_addf(&kept, "%s%s ", kept.len ? "" : " ", rs->v[i].id);
    if (kept.failed) { snprintf(err, errsz, "out of memory"); return -1; }
    c.kept = kept.len ? strbuf_str(&kept) : NULL;
    int rc = 0;
    if (school || !s || s->all_schools)
        rc = rules_store_one(rs, &c, env, school, lang);
    else
        for (int i = 0; i < s->nschools && rc == 0; i++)
            rc = rules_store_one(rs, &c, env, s->schools[i], lang);
    sqlite3_finalize(c.insert);
    strbuf_free(&kept);
    if (counts)
        *counts = c.counts;
    return rc;
}
