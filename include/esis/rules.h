/*
 * rules: declarative checks read from the files conf/rules/NAME.ini.
 *
 * A rule file has one section per rule:
 *
 *   [dmc.id_valid]
 *   table    = students
 *   severity = error                 ; error | warning
 *   fields   = citizen_id            ; the field(s) the flag points at
 *   when     = ...                   ; optional: the rule applies only when true
 *   check    = thai_id_ok(citizen_id) or g_code_ok(citizen_id)   ; record rule
 *   query    = SELECT ...            ; or: a rule across records (SQL)
 *   message_th = เลขประจำตัว {value} ไม่ถูกต้อง
 *   message_en = ID {value} is not valid
 *   enabled  = yes
 *   from_year = 2567                 ; academic year (BE) from which it applies
 *
 * Record rules are compiled once at load into an expression tree whose field
 * references are resolved to column indexes of the table, so evaluating a
 * record costs no name lookups.  A flag is produced when `check` is false.
 * Query rules run as SQL over a round and return the offending rows.
 *
 * Ownership: rules_set is owned by whoever loaded it (the application
 * context) and freed with rules_free.  rules_flags owns its messages; clear
 * with rules_flags_clear.
 */
#ifndef ESIS_RULES_H
#define ESIS_RULES_H

#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include "esis/record.h"
#include "esis/text.h"

struct esis_conf;
struct sqlite3;

typedef enum rules_severity { RULES_ERROR = 0, RULES_WARNING = 1 } rules_severity;

typedef struct rules_flag {
    const char    *rule_id;    /* borrowed from the rule set */
    rules_severity severity;
    const char    *field;      /* borrowed: the first field the rule points at */
    char          *message_th; /* owned: placeholders filled */
    char          *message_en; /* owned */
} rules_flag;

typedef struct rules_flags {
    rules_flag *v;
    int n, cap;
    int errors, warnings;
} rules_flags;

void rules_flags_clear(rules_flags *f);   /* frees messages, keeps capacity */
void rules_flags_free(rules_flags *f);    /* frees everything */

/* What a record is checked against: the round's as-of date and year. */
typedef struct rules_env {
    int        academic_year;   /* BE, e.g. 2567 */
    text_date  as_of;           /* the round's as-of date */
    text_date  today;
    const char *round_code;     /* "2567-1" */
} rules_env;

typedef struct rules_set rules_set;

/* Load every the files conf/rules/NAME.ini under dir, compile record rules against the
 * schema and check query rules with sqlite3_prepare against db (db may be
 * NULL to skip that).  On error returns NULL and writes
 * "file: [rule] key: column N: what is wrong" into err. */
rules_set *rules_load(const char *dir, const esis_schema *schema,
                      const struct esis_conf *conf, struct sqlite3 *db,
                      char *err, size_t errsz);
void rules_free(rules_set *rs);
/* Keep only the rules whose id matches one of the n shell patterns
 * ("dmc.*", "dmc.duplicate_across_schools"): the others are switched off
 * in rs.  Returns how many rules are left on. */
int rules_select(rules_set *rs, const char *const *patterns, int n);

/* Evaluate every enabled record rule of r's table against r.  Appends to
 * out.  Returns the number of error-level flags added, or -1 on failure. */
int rules_eval_record(const rules_set *rs, const esis_record *r,
                      const rules_env *env, rules_flags *out);

/* Only the rules that point at `field` (for live checking as a field is
 * left). */
int rules_eval_field(const rules_set *rs, const esis_record *r,
                     const char *field, const rules_env *env, rules_flags *out);

/* One flag found by a batch check. */
typedef struct rules_hit {
    const char    *table;
    const char    *key;          /* natural key (a student's ID) */
    const char    *school_code;
    const char    *rule_id;
    rules_severity severity;
    const char    *field;
    const char    *message;      /* in the language asked for */
    const char    *message_th;   /* both languages, for the flags table */
    const char    *message_en;
    long long      row_id;
    bool           stored;       /* not found now: a finding of a rule across schools
                                  * as the office's last check stored it, handed on in
                                  * a school officer's check (which cannot run it) */
} rules_hit;

/* Everything a hit points to lives only during the callback: copy what
 * you keep. */
typedef int (*rules_hit_fn)(const rules_hit *hit, void *user);

/* Batch check: every rule (record rules over the round's rows, query rules
 * as SQL) for round_code, optionally one school.  Calls fn for each flag,
 * always from the caller's thread; a non-zero return from fn stops.  lang
 * is "th" or "en".  A large round is read by worker threads on their own
 * read-only connections (ESIS_CHECK_THREADS=N sets how many, 1 for none),
 * which see committed data only: call it with no uncommitted change to the
 * checked tables (rules_check_store has only emptied the flags table).
 * scope_sql, if not NULL, is an SQL condition on school_code that limits
 * which schools are visible (the auth gate).  Returns 0 or -1 with err. */
int rules_check_round(const rules_set *rs, struct sqlite3 *db,
                      const rules_env *env, const char *school_code,
                      const char *lang, rules_hit_fn fn, void *user,
                      char *err, size_t errsz);

/* The batch check as `esis check` and the TUI's check run it, with the
 * findings stored (rules_store.c): for one school, or (school NULL) every
 * school the session sees (an office role in one go, a school officer
 * school by school), in one transaction each: the previous flags of that
 * round and school are replaced by the new ones in the flags table, and
 * each submission gets its error and warning counts and checked_at.  A
 * session that may not write (a viewer) gets the findings, and nothing is
 * stored.  fn (may be NULL) sees every hit; counts (may be NULL) get the
 * totals.  Returns 0 or -1 with err (nothing of the failed school is
 * stored). */
typedef struct rules_store_counts { long errors, warnings; } rules_store_counts;
int rules_check_store(const rules_set *rs, struct sqlite3 *db, const rules_env *env,
                      const char *school, const char *lang, rules_hit_fn fn, void *user,
                      rules_store_counts *counts, char *err, size_t errsz);

/* Write doc/rules.md (markdown listing every rule) to fp. */
int rules_write_doc(const rules_set *rs, FILE *fp);
/* One line per rule (id, severity, table, message template in lang). */
int rules_list(const rules_set *rs, FILE *fp, const char *lang);

#endif
