/*
 * unit_internal: what the files of the unit layer (workflows, documents,
 * surveys, access and service requests, briefings, the booklet) share and
 * nobody else needs: reading their conf/ files with errors that name the
 * file, the section and the key; user-visible errors made from message keys;
 * the session checks; one bound SQL statement.
 */
#ifndef ESIS_UNIT_INTERNAL_H
#define ESIS_UNIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>
#include "esis/app.h"
#include "esis/norm.h"

/* ---- conf files ---------------------------------------------------------- */

typedef struct unit_ini {
    void       *dict;     /* iniparser dictionary */
    const char *path;     /* "conf/workflows/network.ini", for messages */
    char       *err;
    size_t      errsz;
} unit_ini;

/* Open path (shown as `shown`).  0, or -1 with err ("conf/x.ini: cannot
 * read or parse the file"). */
int unit_ini_open(unit_ini *L, const char *path, const char *shown, char *err, size_t errsz);
void unit_ini_close(unit_ini *L);
bool unit_ini_has(const unit_ini *L, const char *section);
/* section:key, or NULL when absent or empty. */
const char *unit_ini_get(const unit_ini *L, const char *section, const char *key);
/* err = "<path> [section] key: why"; returns -1. */
int unit_ini_fail(unit_ini *L, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Every key of the section one of allowed (NULL-terminated); 0 or -1. */
int unit_ini_check_keys(unit_ini *L, const char *section, const char *const *allowed);
/* Every section one of allowed (NULL-terminated; an entry ending in '.'
 * is a prefix: "step." allows [step.1]...); 0 or -1. */
int unit_ini_check_sections(unit_ini *L, const char *const *allowed);
/* A required key: its value, or NULL with the error set. */
const char *unit_ini_need(unit_ini *L, const char *section, const char *key);
/* The number of [prefix.1] .. [prefix.N] sections, which must have no gaps
 * (a gap is an error: -1). */
int unit_ini_count(unit_ini *L, const char *prefix);

/* Split on spaces into new strings; 0 or -1 (out of memory). */
int unit_words(const char *s, char ***out, int *n);
void unit_words_free(char **v, int n);

/* A conf name is lower-case letters, digits, '_' and '-' (no paths). */
bool unit_name_ok(const char *name);
/* "<home>/conf/<sub>/<name>.ini" and the shown "conf/<sub>/<name>.ini". */
void unit_conf_path(const esis_app *app, const char *sub, const char *name,
                    char *full, size_t fullsz, char *shown, size_t shownsz);

/* ---- messages and checks -------------------------------------------------- */

/* err = the message of key, then ": " and the formatted detail (when fmt is
 * not NULL).  Returns -1. */
int unit_fail(const esis_app *app, char *err, size_t errsz, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The session's login ("system" when none). */
const char *unit_actor(sqlite3 *db);
/* Office staff who may write (admin, staff, director). */
bool unit_is_office_writer(sqlite3 *db);
/* ---- who decides (src/unit/decide.c) ------------------------------------- */

/* A role that takes decisions in a chain: group_head or director. */
bool unit_decider_ok(const char *role);
/* May the session take a decision that belongs to `role` today?  Its
 * holders may; for the director's, so may a deputy holding a delegation
 * from a director that covers today.  The administrator never (accounts
 * and settings are theirs, decisions are not).  No session: esis itself.
 * *as (may be NULL) gets how: the role, or "deputy" for a delegation. */
bool unit_may_hold(sqlite3 *db, const char *role, const char **as);
/* The director's decisions (unit_may_hold(db, "director", NULL)). */
bool unit_may_decide(sqlite3 *db);

/* Run one statement with text parameters (NULL binds NULL); 0, or -1 with
 * the SQLite message in err.  *changes (may be NULL) gets the rows changed. */
int unit_exec(sqlite3 *db, const char *sql, const char *const *args, int n,
              int *changes, char *err, size_t errsz);

/* A value given to a command cleaned by the one normaliser (norm.h) the
 * form and the importer use, so a date typed "๑๕/๐๕/๒๕๖๗" here is stored
 * as the form would store it.  An empty result is refused too (the
 * commands only clean values they were given).  0, or -1 with err = the
 * message of bad_key and the value. */
int unit_norm(const esis_app *app, norm_kind kind, const char *in, char *out, size_t outsz,
              const char *bad_key, char *err, size_t errsz);
/* The data layer's write gate (db_write_allowed: role, scope, round
 * window) for a new row of table with that school and round (either may
 * be NULL).  0, or -1 with err saying why. */
int unit_gate(esis_app *app, const char *table, const char *school, const char *round,
              char *err, size_t errsz);
/* Today as ISO (CE), into out (11 bytes). */
void unit_today_iso(char *out);

/* HTML-escape s to out. */
void unit_html_escape(FILE *out, const char *s);
/* The office's name in lang ("" when none). */
const char *unit_office_name(const esis_app *app, const char *lang);
/* ISO date or date-time -> "DD/MM/YYYY" BE into out (32 bytes); other text
 * is copied as it is. */
const char *unit_date_be(const char *iso, char *out, size_t outsz);

#endif
