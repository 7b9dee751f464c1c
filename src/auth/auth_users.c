/*
 * auth_users.c: adding users, changing their role, schools, password and
 * state, and listing them: what `esis user` (and later the TUI's user
 * screen) does.
 *
 * Why the admin check is here and not only in the command: the data layer's
 * save gate scopes school rows, but users and user_schools belong to no
 * school, and these functions write them with plain SQL.  Checking the
 * session's role inside each function makes "only administrators manage
 * users" true for every caller, present and future.
 *
 * Why "never the last administrator": a disabled, demoted or expired last
 * admin leaves an office that cannot add users any more without editing the
 * database by hand, which the audit triggers (rightly) make awkward.
 *
 * Every change runs in one BEGIN IMMEDIATE transaction; the audit triggers
 * on users and user_schools write who (esis_actor()) changed what.  The
 * password hash itself never reaches the audit trail (db_audit.c hides it).
 */
#define _GNU_SOURCE 1  /* explicit_bzero */
#include "esis/auth.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refuse unless the session may manage users (no session: esis itself). */
static int require_admin(sqlite3 *db, char *err, size_t errsz)
{
    const db_session *s = db_session_get(db);
    if (!s || (s->role && !strcmp(s->role, "admin"))) return 0;
    snprintf(err, errsz, "only an administrator may manage users ('%s' is %s)",
             s->login ? s->login : "?", s->role ? s->role : "?");
    return -1;
}

static bool login_ok(const char *login)
{
    if (!login || !*login || strlen(login) > 64) return false;
    for (const char *p = login; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("._-@", *p)) return false;
    return true;
}

static bool expires_ok(const char *expires, char *iso)
{
    text_date d;
    if (!expires || !*expires) { iso[0] = '\0'; return true; }
    if (!text_date_parse(expires, &d)) return false;
    text_date_iso(d, iso);
    return true;
}

bool auth_password_acceptable(const char *password)
{
    if (!password || strlen(password) < 8) return false;
    for (const char *p = password; *p; p++)
        if (!isdigit((unsigned char)*p)) return true;
    return false;
}

/* Enabled, unexpired administrators other than `except`. */
static long long other_admins(sqlite3 *db, const char *except)
{
    return db_query_int(db, 0, "SELECT count(*) FROM users WHERE role = 'admin' AND NOT disabled"
                               " AND (expires IS NULL OR expires >= date('now','localtime'))"
                               " AND login <> ?1", except, (const char *)NULL);
}

static bool user_exists(sqlite3 *db, const char *login)
{
    return db_query_int(db, 0, "SELECT count(*) FROM users WHERE login = ?1", login, (const char *)NULL) > 0;
}

static bool is_active_admin(sqlite3 *db, const char *login)
{
    return db_query_int(db, 0, "SELECT count(*) FROM users WHERE login = ?1 AND role = 'admin'"
                               " AND NOT disabled", login, (const char *)NULL) > 0;
}

/* Run one statement with text parameters (NULL-terminated after `n`
 * values: a NULL value binds SQL NULL).  SQLITE_OK or an error with err. */
static int run_sql(sqlite3 *db, const char *what, char *err, size_t errsz, const char *sql,
                   int n, const char *const *vals)
{
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (rc == SQLITE_OK) {
        for (int i = 0; i < n; i++) sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) snprintf(err, errsz, "%s: %s", what, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

static int add_schools(sqlite3 *db, const char *login, const char *const *schools, int nschools,
                       char *err, size_t errsz)
{
    for (int i = 0; i < nschools; i++) {
        if (!db_query_int(db, 0, "SELECT count(*) FROM schools WHERE school_code = ?1",
                          schools[i], (const char *)NULL)) {
            snprintf(err, errsz, "school %s does not exist", schools[i]);
            return SQLITE_ERROR;
        }
        const char *v[] = { login, schools[i] };
        char what[128];
        snprintf(what, sizeof what, "cannot give %s school %s", login, schools[i]);
        int rc = run_sql(db, what, err, errsz,
                         "INSERT OR IGNORE INTO user_schools(login, school_code, updated_by)"
                         " VALUES (?1, ?2, esis_actor())", 2, v);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

static int check_role_schools(const char *role, int nschools, char *err, size_t errsz)
{
    if (!auth_role_valid(role)) {
        snprintf(err, errsz, "'%s' is not a role (admin, staff, director, school, viewer)", role ? role : "");
        return -1;
    }
    if (!strcmp(role, "school") && nschools == 0) {
        snprintf(err, errsz, "a school officer needs at least one --school CODE");
        return -1;
    }
    if (strcmp(role, "school") && nschools > 0) {
        snprintf(err, errsz, "--school is for the school role only: the %s role sees every school", role);
        return -1;
    }
    return 0;
}

/* Commit when rc is OK, else roll back; 0 or -1. */
static int finish(sqlite3 *db, int rc, char *err, size_t errsz)
{
    if (rc == SQLITE_OK && (rc = db_commit(db)) != SQLITE_OK)
        snprintf(err, errsz, "commit: %s", sqlite3_errmsg(db));
    if (rc != SQLITE_OK) db_rollback(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static int begin(sqlite3 *db, char *err, size_t errsz)
{
    int rc = db_begin(db);
    if (rc != SQLITE_OK) snprintf(err, errsz, "cannot start a transaction: %s", sqlite3_errmsg(db));
    return rc;
}

/* begin, for a change to an existing user: SQLITE_NOTFOUND when there is
 * no such user (the transaction is then open, for finish to end). */
static int begin_on_user(sqlite3 *db, const char *login, char *err, size_t errsz)
{
    int rc = begin(db, err, errsz);
    if (rc == SQLITE_OK && !user_exists(db, login)) {
        snprintf(err, errsz, "'%s' is not an esis user", login);
        rc = SQLITE_NOTFOUND;
    }
    return rc;
}

int auth_user_add(sqlite3 *db, const char *login, const char *role,
                  const char *const *schools, int nschools, const char *display_name,
                  const char *password, const char *expires, char *err, size_t errsz)
{
    char iso[16];
    if (require_admin(db, err, errsz)) return -1;
    if (!login_ok(login)) {
        snprintf(err, errsz, "'%s' is not a login name (letters, digits, . _ - @; up to 64)", login ? login : "");
        return -1;
    }
    if (check_role_schools(role, nschools, err, errsz)) return -1;
    if (!expires_ok(expires, iso)) {
        snprintf(err, errsz, "--expires '%s' is not a date (YYYY-MM-DD or DD/MM/YYYY in BE)", expires);
        return -1;
    }
    char *hash = NULL;
    if (password && *password && !(hash = auth_hash_password(password))) {
        snprintf(err, errsz, "cannot hash the password (libcrypt)");
        return -1;
    }
    int rc = begin(db, err, errsz);
    if (rc == SQLITE_OK && user_exists(db, login)) {
        snprintf(err, errsz, "'%s' is already an esis user (esis user role|enable|passwd changes one)", login);
        rc = SQLITE_CONSTRAINT;
    }
    if (rc == SQLITE_OK) {
        const char *v[] = { login, display_name && *display_name ? display_name : NULL, role, hash,
                            iso[0] ? iso : NULL };
        char what[128];
        snprintf(what, sizeof what, "cannot add '%s'", login);
        rc = run_sql(db, what, err, errsz,
                     "INSERT INTO users(login, display_name, role, password_hash, expires, updated_by)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, esis_actor())", 5, v);
    }
    if (rc == SQLITE_OK) rc = add_schools(db, login, schools, nschools, err, errsz);
    if (hash) { explicit_bzero(hash, strlen(hash)); free(hash); }
    return finish(db, rc, err, errsz);
}

int auth_user_set_disabled(sqlite3 *db, const char *login, bool disabled, char *err, size_t errsz)
{
    if (require_admin(db, err, errsz)) return -1;
    int rc = begin_on_user(db, login, err, errsz);
    if (rc == SQLITE_OK && disabled && is_active_admin(db, login) && other_admins(db, login) == 0) {
        snprintf(err, errsz, "'%s' is the last enabled administrator: add another before disabling it", login);
        rc = SQLITE_CONSTRAINT;
    }
    if (rc == SQLITE_OK) {
        const char *v[] = { login, disabled ? "1" : "0" };
        rc = run_sql(db, "cannot change the user", err, errsz,
                     "UPDATE users SET disabled = CAST(?2 AS INTEGER), updated_by = esis_actor(),"
                     " updated_at = strftime('%Y-%m-%dT%H:%M:%S','now'), row_version = row_version + 1"
                     " WHERE login = ?1", 2, v);
    }
    return finish(db, rc, err, errsz);
}

int auth_user_set_role(sqlite3 *db, const char *login, const char *role,
                       const char *const *schools, int nschools, char *err, size_t errsz)
{
    if (require_admin(db, err, errsz)) return -1;
    if (check_role_schools(role, nschools, err, errsz)) return -1;
    int rc = begin_on_user(db, login, err, errsz);
    if (rc == SQLITE_OK && strcmp(role, "admin") && is_active_admin(db, login) && other_admins(db, login) == 0) {
        snprintf(err, errsz, "'%s' is the last enabled administrator: add another before changing its role", login);
        rc = SQLITE_CONSTRAINT;
    }
    if (rc == SQLITE_OK) {
        const char *v[] = { login, role };
        rc = run_sql(db, "cannot change the role", err, errsz,
                     "UPDATE users SET role = ?2, updated_by = esis_actor(),"
                     " updated_at = strftime('%Y-%m-%dT%H:%M:%S','now'), row_version = row_version + 1"
                     " WHERE login = ?1", 2, v);
    }
    /* Replace the schools: remove those not named, add the new ones; each
     * removal and addition is its own audit row. */
    if (rc == SQLITE_OK) {
        strbuf json = STRBUF_INIT;
        strbuf_addc(&json, '[');
        for (int i = 0; i < nschools; i++) {
            if (i) strbuf_addc(&json, ',');
            strbuf_add_json_string(&json, schools[i]);
        }
        strbuf_addc(&json, ']');
        const char *v[] = { login, strbuf_str(&json) };
        rc = json.failed ? SQLITE_NOMEM
           : run_sql(db, "cannot change the schools", err, errsz,
                     "DELETE FROM user_schools WHERE login = ?1 AND school_code NOT IN"
                     " (SELECT value FROM json_each(?2))", 2, v);
        strbuf_free(&json);
    }
    if (rc == SQLITE_OK) rc = add_schools(db, login, schools, nschools, err, errsz);
    return finish(db, rc, err, errsz);
}

int auth_user_set_password(sqlite3 *db, const char *login, const char *password, char *err, size_t errsz)
{
    if (require_admin(db, err, errsz)) return -1;
    char *hash = NULL;
    if (password && *password && !(hash = auth_hash_password(password))) {
        snprintf(err, errsz, "cannot hash the password (libcrypt)");
        return -1;
    }
    int rc = begin_on_user(db, login, err, errsz);
    if (rc == SQLITE_OK) {
        const char *v[] = { login, hash };
        rc = run_sql(db, "cannot set the password", err, errsz,
                     "UPDATE users SET password_hash = ?2, updated_by = esis_actor(),"
                     " updated_at = strftime('%Y-%m-%dT%H:%M:%S','now'), row_version = row_version + 1"
                     " WHERE login = ?1", 2, v);
    }
    if (hash) { explicit_bzero(hash, strlen(hash)); free(hash); }
    return finish(db, rc, err, errsz);
}

/* The person behind the account, as printed forms sign: a NULL argument
 * leaves that column as it is, "" empties it. */
int auth_user_set_profile(sqlite3 *db, const char *login, const char *display_name, const char *position,
                          char *err, size_t errsz)
{
    if (require_admin(db, err, errsz)) return -1;
    int rc = begin_on_user(db, login, err, errsz);
    if (rc == SQLITE_OK) {
        const char *v[] = { login, display_name, position, display_name ? "1" : "0", position ? "1" : "0" };
        rc = run_sql(db, "cannot set the name and position", err, errsz,
                     "UPDATE users SET display_name = CASE WHEN ?4 = '1' THEN nullif(?2, '') ELSE display_name END,"
                     " position = CASE WHEN ?5 = '1' THEN nullif(?3, '') ELSE position END,"
                     " updated_by = esis_actor(), updated_at = strftime('%Y-%m-%dT%H:%M:%S','now'),"
                     " row_version = row_version + 1 WHERE login = ?1", 5, v);
    }
    return finish(db, rc, err, errsz);
}

int auth_user_list(sqlite3 *db, int (*fn)(const auth_user_info *u, void *ctx), void *ctx,
                   char *err, size_t errsz)
{
    if (require_admin(db, err, errsz)) return -1;
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, "SELECT u.login, coalesce(u.display_name, ''), u.role,"
                       " coalesce((SELECT group_concat(school_code, ' ') FROM"
                       "   (SELECT school_code FROM user_schools s WHERE s.login = u.login ORDER BY school_code)), ''),"
                       " u.disabled, coalesce(u.expires, ''),"
                       " coalesce(u.expires < date('now','localtime'), 0), u.password_hash IS NOT NULL,"
                       " coalesce(f.failures, 0), coalesce(f.locked, 0)"
                       " FROM users u LEFT JOIN login_failures f ON f.login = u.login ORDER BY u.login", &st) != SQLITE_OK) {
        snprintf(err, errsz, "cannot read users: %s", sqlite3_errmsg(db));
        return -1;
    }
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        auth_user_info u = {
            (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
            sqlite3_column_int(st, 4) != 0, (const char *)sqlite3_column_text(st, 5),
            sqlite3_column_int(st, 6) != 0, sqlite3_column_int(st, 7) != 0,
            sqlite3_column_int(st, 8), sqlite3_column_int(st, 9) != 0,
        };
        if (fn(&u, ctx)) { rc = SQLITE_DONE; break; }
    }
    if (rc != SQLITE_DONE) snprintf(err, errsz, "cannot read users: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int auth_user_unlock(sqlite3 *db, const char *login, char *err, size_t errsz)
{
    if (require_admin(db, err, errsz)) return -1;
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, "DELETE FROM login_failures WHERE login = ?1", &st) != SQLITE_OK) {
        snprintf(err, errsz, "cannot unlock: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    int rc = db_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsz, "cannot unlock: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (sqlite3_changes(db) == 0) {
        snprintf(err, errsz, "'%s' has no failed logins to forget", login);
        return -1;
    }
    return 0;
}
