/*
 * db: the SQLite data layer.
 *
 * Opening a database sets WAL, foreign keys and a busy timeout, registers
 * the Thai collation and esis's SQL functions, and applies the missing
 * migrations.  Every write goes through db_record_save/db_record_delete,
 * which run one short BEGIN IMMEDIATE transaction holding the scope check,
 * the optimistic version check, the write and (through triggers) the audit
 * row.  Readers of school data add db_scope_sql() to their WHERE clause, so
 * the TUI, the CLI and exports share one gate.
 *
 * The session (who is working, from where, which schools they may see) is
 * attached to the connection with db_session_set; the SQL functions
 * esis_actor(), esis_origin() and esis_may_see(school_code) read it, and the
 * audit triggers call the first two, so an audit row always says who.
 *
 * Also here: backup and restore, and reading the audit trail back
 * (db_history*).  Drafts of forms have their own header, esis/draft.h.
 */
#ifndef ESIS_DB_H
#define ESIS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "esis/record.h"

/* Who is working, as the data layer sees it.  Owned by the caller (auth);
 * the connection keeps a pointer, so it must outlive the connection's use. */
typedef struct db_session {
    const char  *login;        /* esis user */
    const char  *origin;       /* "tui:students", "cli:import" */
    const char  *role;         /* admin, staff, director, school, viewer */
    bool         all_schools;  /* office roles see every school */
    bool         may_write;    /* viewers may not */
    bool         see_personal; /* unmasked citizen IDs, birth dates, addresses */
    char       **schools;      /* the school officer's schools (sorted) */
    int          nschools;
} db_session;

/* Open (and with create, create) the database at path; apply migrations.
 * Returns SQLITE_OK or an error code with err filled. */
int db_open(const char *path, bool create, int busy_timeout_ms, sqlite3 **out,
            char *err, size_t errsz);
void db_close(sqlite3 *db);
/* A second, read-only connection to db's file (esis's SQL functions
 * registered, no session, no migration), for work that reads in another
 * thread: a batch check's workers.  It sees committed data only, so the
 * caller must not expect it to see its own open transaction's writes.
 * SQLITE_CANTOPEN for an in-memory database.  Close with db_close. */
int db_open_reader(sqlite3 *db, sqlite3 **out, char *err, size_t errsz);

/* Apply missing migrations; returns SQLITE_OK or an error with err. */
int db_migrate(sqlite3 *db, char *err, size_t errsz);
/* PRAGMA user_version, and the number of the newest migration esis knows. */
int db_schema_version(sqlite3 *db);
int db_schema_version_latest(void);

/* Attach the session (NULL detaches: esis_actor() is then 'system'). */
void db_session_set(sqlite3 *db, const db_session *s);
const db_session *db_session_get(sqlite3 *db);

/* A bulk load (an import, the demo, a round carried over) inside the
 * caller's transaction: between begin and end the inserts on this
 * connection write no audit row each; db_bulk_end writes one row for the
 * load instead (who, from where, table, what, how many), in the same
 * transaction.  Each inserted row still carries created_at and updated_by,
 * and every later change of it is audited field by field, so nothing of its
 * history is lost; updates and deletes are always audited row by row.
 * Why: a per-row insert audit doubled the size of the database and
 * tripled the time of an import. */
void db_bulk_begin(sqlite3 *db);
int db_bulk_end(sqlite3 *db, const char *table, const char *what, long long rows);
/* Leave bulk mode without the summary row (the load is being rolled back). */
void db_bulk_cancel(sqlite3 *db);

/* The search and sort indexes of a bulk load, built at its end (see
 * db_index.c for why).  Inside the caller's transaction: db_index_defer
 * makes the FTS5 and sort-key triggers leave alone the rows of `table`
 * inserted from now on; db_index_flush indexes all of them in one
 * statement per index and ends every deferral of the connection;
 * db_index_cancel ends them without indexing (the transaction is being
 * rolled back).  A transaction must not commit while a deferral is on.
 * 0 or an SQLite error code with err. */
int db_index_defer(sqlite3 *db, const char *table, char *err, size_t errsz);
int db_index_flush(sqlite3 *db, char *err, size_t errsz);
void db_index_cancel(sqlite3 *db);

/* True when the session may see rows of that school. */
bool db_scope_allows(sqlite3 *db, const char *school_code);
/* True when the session may change rows of that school. */
bool db_scope_allows_write(sqlite3 *db, const char *school_code);
/* An SQL condition limiting `col` to the session's schools, for WHERE
 * clauses: "1" for office roles, "esis_may_see(col)" otherwise.  Returns a
 * pointer into buf. */
const char *db_scope_sql(sqlite3 *db, const char *col, char *buf, size_t bufsz);

/* BEGIN IMMEDIATE, retried while the database is busy (the busy timeout
 * waits; past it we retry with back-off until `patience_ms`), so a writer
 * never sees "database is locked".  0 or an SQLite error code. */
int db_begin(sqlite3 *db);
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* Run SQL with no result rows; 0 or an error code with err. */
int db_exec(sqlite3 *db, const char *sql, char *err, size_t errsz);
/* sqlite3_prepare_v2, retried while busy. */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
/* sqlite3_step, retried while busy. */
int db_step(sqlite3_stmt *st);
/* One integer from a query with optional text parameters (NULL-terminated
 * list of const char*); def when no row. */
long long db_query_int(sqlite3 *db, long long def, const char *sql, ...);

/* Split a JSON object (a quarantined row as read, {"header": "value"}) into
 * keys and values (NULL for null or empty) in its order, with SQLite's
 * json_each.  *keys and *values are the caller's (free with
 * db_json_split_free).  0, or -1 when it is not an object. */
int db_json_split(sqlite3 *db, const char *json, char ***keys, char ***values, int *n);
void db_json_split_free(char **keys, char **values, int n);

/* The schema as seen on this connection (tables from the esis_tables
 * catalogue with their columns).  Caller frees with schema_free. */
int db_schema_load(sqlite3 *db, esis_schema **out, char *err, size_t errsz);

/* Read a record by id into a new record (NULL when absent or out of
 * scope).  Personal columns are masked when the session may not see them. */
esis_record *db_record_load(sqlite3 *db, const esis_table *t, long long id);
/* Read by natural key values (in key_cols order). */
esis_record *db_record_find(sqlite3 *db, const esis_table *t, const char **key);
/* Fill the empty values of a new record with the literal defaults of its
 * table's schema (status '1', poor 0); expressions are left out.  0 or an
 * SQLite error code. */
int db_record_defaults(sqlite3 *db, esis_record *r);
/* The declared default of table.col as SQL text (malloc'd), or NULL when
 * it has none. */
char *db_column_default(sqlite3 *db, const char *table, const char *col);
/* Fill a record from the current row of a statement whose columns are the
 * table's columns (SELECT *). */
void db_record_from_stmt(esis_record *r, sqlite3_stmt *st);

/* What went wrong in a save. */
typedef enum db_save_result {
    DB_SAVED = 0,
    DB_CONFLICT,     /* someone else saved first: see conflict_* */
    DB_DENIED,       /* out of the session's scope or role */
    DB_CLOSED,       /* the round is closed for this user */
    DB_INVALID,      /* a constraint failed (NOT NULL, UNIQUE, ...) */
    DB_FAILED        /* anything else */
} db_save_result;

typedef struct db_save_info {
    char message[512];        /* why, for the status line */
    char conflict_by[64];     /* who saved in between */
    char conflict_at[32];
    char conflict_fields[256];/* columns they changed, space-separated */
} db_save_info;

/* Insert (r->id == 0) or update (r->id > 0, WHERE row_version = r->version)
 * in one transaction; on success r->id and r->version are updated.  When
 * in_tx is true the caller holds the transaction (imports). */
db_save_result db_record_save(sqlite3 *db, esis_record *r, bool in_tx,
                              db_save_info *info);
/* The write gate every write passes, a save or a bulk import: the session
 * may write; the row's school (and, when has_old, the school it had) is
 * within the session's schools, or the table belongs to no school and the
 * session is the office's; the round (tables with round_code) is open for
 * that school: inside its window or reopened, not yet submitted, not locked
 * (administrators excepted); the office writes outside the window.
 * DB_SAVED when allowed, else DB_DENIED, DB_CLOSED or DB_INVALID (no such
 * round) with info->message. */
db_save_result db_write_allowed(sqlite3 *db, const esis_table *t, const char *school,
                                const char *old_school, bool has_old, const char *round,
                                db_save_info *info);
/* Delete by id with the version check. */
db_save_result db_record_delete(sqlite3 *db, const esis_record *r, bool in_tx,
                                db_save_info *info);

/* Online backup with SQLite's backup API into dest_path (a consistent copy
 * while others write), written under a temporary name beside it, checked
 * (db_check_file) and renamed into place only when whole: a failed backup
 * leaves no file (and an existing dest_path untouched).  0 or an error
 * with err. */
int db_backup(sqlite3 *db, const char *dest_path, char *err, size_t errsz);
/* Check a database file before restoring it: integrity, schema version.  0
 * when fit, else an error with err. */
int db_check_file(const char *path, char *err, size_t errsz);
/* Replace the live database's content with the file at src_path (checked
 * with db_check_file first), through the backup API in one write
 * transaction on the live connection: other connections and processes keep
 * their snapshot until they end it, then see the restored data (the schema
 * cookie changes, so their statements re-prepare).  Then the missing
 * migrations are applied and an audit row (table "*database*", action
 * "restore") records who restored what.  Refused unless the session is an
 * administrator.  0 or an error with err. */
int db_restore(sqlite3 *db, const char *src_path, char *err, size_t errsz);
/* db_restore, and then the audit rows of prior_path (the live database as
 * it was, copied aside just before) written after src_path was made are
 * appended to the restored audit, in order with their times and actors:
 * the restore takes the data back, not the record of who changed it since.
 * *kept (may be NULL) gets their count. */
int db_restore_keeping(sqlite3 *db, const char *src_path, const char *prior_path, long *kept,
                       char *err, size_t errsz);

/* ---- history (db_history.c) -------------------------------------------
 *
 * The audit trail read back through the gate: a school officer gets the
 * history of their schools only (rows of no school, such as users and
 * rounds, are the office's), and personal values are masked for sessions
 * that may not see them.  Each entry comes with its changed fields split out
 * of the JSON columns (json_each), in column order.  Everything an entry
 * points to is borrowed for the duration of the callback. */
typedef struct db_change {
    const char *field;
    const char *old_value;   /* NULL: none (insert) or empty */
    const char *new_value;   /* NULL: none (delete) or empty */
} db_change;

typedef struct db_history_entry {
    long long   audit_id;
    const char *at;          /* ISO UTC, milliseconds */
    const char *actor;       /* esis login */
    const char *origin;      /* "tui:students" (screen) or "cli:import" (command) */
    const char *table;
    long long   row_id;      /* 0 when the table has no id */
    const char *row_key;     /* natural key, "2567-1/1074000001/1103..." */
    const char *school_code; /* NULL for rows of no school */
    const char *round_code;  /* NULL when the table has no round */
    const char *action;      /* insert, update, delete, restore */
    const db_change *changes;
    int         nchanges;
} db_history_entry;

/* Return non-zero to stop the iteration (db_history then returns 0). */
typedef int (*db_history_fn)(const db_history_entry *e, void *ctx);

typedef struct db_history_filter {
    const char *table;       /* NULL: all */
    long long   row_id;      /* 0: all (needs table) */
    const char *school_code;
    const char *round_code;
    const char *actor;
    const char *since;       /* ISO date or date-time, inclusive */
    const char *until;       /* exclusive */
    int         limit;       /* 0: no limit */
    bool        newest_first;
} db_history_filter;

/* Iterate the audit rows matching f (NULL: all) that the session may see,
 * oldest first unless f->newest_first.  0 or an error with err. */
int db_history(sqlite3 *db, const db_history_filter *f, db_history_fn fn, void *ctx,
               char *err, size_t errsz);
/* A record's history, oldest first (the TUI's "history" key on a form). */
int db_history_record(sqlite3 *db, const char *table, long long row_id,
                      db_history_fn fn, void *ctx, char *err, size_t errsz);
/* What changed in a school's data in a round, newest first (the office's
 * view of a submission). */
int db_history_school(sqlite3 *db, const char *school_code, const char *round_code,
                      db_history_fn fn, void *ctx, char *err, size_t errsz);

#endif
