/*
 * unit_common.c: helpers the unit layer's files share (see unit_internal.h):
 * the conf-file reader with file/section/key errors, message-key errors,
 * the session checks and one bound statement.  Kept apart so that each
 * engine file holds only its own process.
 */
#include "unit_internal.h"
#include "esis/db.h"
#include "esis/norm.h"
#include "esis/record.h"
#include "esis/text.h"

#include <ctype.h>
#include <iniparser/iniparser.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* iniparser reports syntax errors through a callback that takes no context;
 * we say "cannot read or parse" ourselves rather than keep a global. */
static int ini_quiet(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

int unit_ini_open(unit_ini *L, const char *path, const char *shown, char *err, size_t errsz)
{
    L->path = shown;
    L->err = err;
    L->errsz = errsz;
    iniparser_set_error_callback(ini_quiet);
    L->dict = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (!L->dict) {
        snprintf(err, errsz, "%s: cannot read or parse the file", shown);
        return -1;
    }
    return 0;
}

void unit_ini_close(unit_ini *L)
{
    if (L->dict) iniparser_freedict(L->dict);
    L->dict = NULL;
}

bool unit_ini_has(const unit_ini *L, const char *section)
{
    return iniparser_find_entry(L->dict, section) != 0;
}

const char *unit_ini_get(const unit_ini *L, const char *section, const char *key)
{
    char k[160];
    snprintf(k, sizeof k, "%s:%s", section, key);
    const char *v = iniparser_getstring(L->dict, k, NULL);
    return v && *v ? v : NULL;
}

int unit_ini_fail(unit_ini *L, const char *section, const char *key, const char *fmt, ...)
{
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (key) snprintf(L->err, L->errsz, "%s [%s] %s: %s", L->path, section, key, why);
    else if (section) snprintf(L->err, L->errsz, "%s [%s]: %s", L->path, section, why);
    else snprintf(L->err, L->errsz, "%s: %s", L->path, why);
    return -1;
}

int unit_ini_check_keys(unit_ini *L, const char *section, const char *const *allowed)
{
    const char *k;
    if (conf_ini_unknown_key(L->dict, section, allowed, NULL, &k))
        return unit_ini_fail(L, section, NULL, "out of memory");
    return k ? unit_ini_fail(L, section, k, "unknown key") : 0;
}

int unit_ini_check_sections(unit_ini *L, const char *const *allowed)
{
    int n = iniparser_getnsec(L->dict);
    for (int i = 0; i < n; i++) {
        const char *s = iniparser_getsecname(L->dict, i);
        bool ok = false;
        for (int j = 0; allowed[j] && !ok; j++) {
            size_t len = strlen(allowed[j]);
            ok = allowed[j][len - 1] == '.' ? !strncmp(s, allowed[j], len) : !strcmp(s, allowed[j]);
        }
        if (!ok) return unit_ini_fail(L, s, NULL, "unknown section");
    }
    return 0;
}

const char *unit_ini_need(unit_ini *L, const char *section, const char *key)
{
    const char *v = unit_ini_get(L, section, key);
    if (!v) unit_ini_fail(L, section, key, "missing");
    return v;
}

int unit_ini_count(unit_ini *L, const char *prefix)
{
    int nsec = iniparser_getnsec(L->dict), max = 0, count = 0;
    size_t plen = strlen(prefix);
    for (int i = 0; i < nsec; i++) {
        const char *s = iniparser_getsecname(L->dict, i);
        if (strncmp(s, prefix, plen) || s[plen] != '.') continue;
        char *end;
        long k = strtol(s + plen + 1, &end, 10);
        if (*end || k < 1 || k > 500) return unit_ini_fail(L, s, NULL, "the number must be 1..500");
        count++;
        if (k > max) max = (int)k;
    }
    if (count != max) {
        char sec[64];
        for (int k = 1; k <= max; k++) {
            snprintf(sec, sizeof sec, "%s.%d", prefix, k);
            if (!unit_ini_has(L, sec)) return unit_ini_fail(L, sec, NULL, "missing (sections are numbered without gaps)");
        }
    }
    return max;
}

int unit_words(const char *s, char ***out, int *n)
{
    *out = NULL;
    *n = 0;
    while (s && *s) {
        while (*s == ' ' || *s == '\t' || *s == ',') s++;
        if (!*s) break;
        const char *e = s;
        while (*e && *e != ' ' && *e != '\t' && *e != ',') e++;
        char **v = realloc(*out, sizeof *v * (size_t)(*n + 1));
        if (!v) { unit_words_free(*out, *n); *out = NULL; *n = 0; return -1; }
        *out = v;
        if (!(v[*n] = strndup(s, (size_t)(e - s)))) { unit_words_free(*out, *n); *out = NULL; *n = 0; return -1; }
        (*n)++;
        s = e;
    }
    return 0;
}

void unit_words_free(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

bool unit_name_ok(const char *name)
{
    if (!name || !*name || strlen(name) > 64) return false;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_' || *p == '-')) return false;
    return true;
}

void unit_conf_path(const esis_app *app, const char *sub, const char *name,
                    char *full, size_t fullsz, char *shown, size_t shownsz)
{
    snprintf(full, fullsz, "%s/conf/%s/%s.ini", app->home ? app->home : ".", sub, name);
    snprintf(shown, shownsz, "conf/%s/%s.ini", sub, name);
}

int unit_fail(const esis_app *app, char *err, size_t errsz, const char *key, const char *fmt, ...)
{
    int o = snprintf(err, errsz, "%s", app_msg(app, key));
    if (fmt && o >= 0 && (size_t)o + 2 < errsz) {
        err[o++] = ':';
        err[o++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + o, errsz - (size_t)o, fmt, ap);
        va_end(ap);
    }
    return -1;
}

const char *unit_actor(sqlite3 *db)
{
    const db_session *s = db_session_get(db);
    return s && s->login ? s->login : "system";
}

bool unit_is_office_writer(sqlite3 *db)
{
    const db_session *s = db_session_get(db);
    if (!s) return true;
    return s->all_schools && s->may_write && s->role && strcmp(s->role, "viewer") != 0;
}

int unit_exec(sqlite3 *db, const char *sql, const char *const *args, int n,
              int *changes, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    for (int i = 0; rc == SQLITE_OK && i < n; i++) sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK) rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    if (rc != SQLITE_OK) snprintf(err, errsz, "%s", sqlite3_errmsg(db));
    else if (changes) *changes = sqlite3_changes(db);
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

void unit_today_iso(char *out)
{
    text_date_iso(text_date_today(), out);
}

void unit_html_escape(FILE *out, const char *s)
{
    text_html_escape(out, s, true);
}

const char *unit_office_name(const esis_app *app, const char *lang)
{
    const esis_conf *c = app->conf;
    if (lang && !strcmp(lang, "en") && c->office_name_en) return c->office_name_en;
    return c->office_name_th ? c->office_name_th : "";
}

const char *unit_date_be(const char *iso, char *out, size_t outsz)
{
    text_date d;
    char day[11];
    if (iso && strlen(iso) >= 10) {
        snprintf(day, sizeof day, "%.10s", iso);
        if (text_date_parse(day, &d)) {
            char be[11];
            text_date_be(d, be);
            snprintf(out, outsz, "%s", be);
            return out;
        }
    }
    snprintf(out, outsz, "%s", iso ? iso : "");
    return out;
}

int unit_norm(const esis_app *app, norm_kind kind, const char *in, char *out, size_t outsz,
              const char *bad_key, char *err, size_t errsz)
{
    if (norm_value(kind, NULL, in, out, outsz) != NORM_OK || !*out)
        return unit_fail(app, err, errsz, bad_key, "%s", in ? in : "");
    return 0;
}

int unit_gate(esis_app *app, const char *table, const char *school, const char *round,
              char *err, size_t errsz)
{
    const esis_table *t = app->schema ? schema_table(app->schema, table) : NULL;
    if (!t) return unit_fail(app, err, errsz, "unit.write_refused", "%s", table);
    db_save_info info;
    memset(&info, 0, sizeof info);
    if (db_write_allowed(app->db, t, school, NULL, false, round, &info) != DB_SAVED)
        return unit_fail(app, err, errsz, "unit.write_refused", "%s", info.message);
    return 0;
}
