/*
 * draft (db_draft_*): a form's fields as the user typed them, kept in the database when
 * the session ends before a save (the SSH connection dropped, the process
 * was told to stop, the user pressed Ctrl-C), or when a save was refused
 * because someone else saved first (the user's values are not lost: they
 * wait in a draft while the user looks at the other version).
 *
 * Drafts belong to the esis user of the connection's session, not to a
 * process: a second session of the same user lists and loads them too, and
 * nobody else sees them (personal data typed into a form stays with its
 * author).  Every write is one BEGIN IMMEDIATE transaction, so two sessions
 * saving, loading and deleting at once never corrupt or duplicate a draft.
 *
 * Signals: these are plain functions that take locks, allocate and do I/O,
 * so they are NOT async-signal-safe and must never be called from a signal
 * handler.  The TUI's handler for SIGHUP/SIGTERM/SIGINT only sets a
 * `volatile sig_atomic_t` flag; the main loop sees the flag (a blocking
 * read returns with EINTR, or the next key wait times out), calls
 * db_draft_save_record with the reason, and ends curses.  A draft save waits for
 * the write lock like any writer (busy timeout, then db_begin's patience).
 *
 * Ownership: a db_draft_entry returned by db_draft_list/db_draft_load is the caller's
 * and is freed with db_draft_free / db_draft_list_free.
 */
#ifndef ESIS_DRAFT_H
#define ESIS_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "esis/record.h"

/* Why a draft was kept. */
#define DB_DRAFT_HANGUP    "hangup"     /* SIGHUP: the terminal went away */
#define DB_DRAFT_TERMINATE "terminate"  /* SIGTERM */
#define DB_DRAFT_INTERRUPT "interrupt"  /* SIGINT */
#define DB_DRAFT_CONFLICT  "conflict"   /* a save was refused: someone else saved first */
#define DB_DRAFT_MANUAL    "manual"     /* the user chose "keep as draft" */

typedef struct db_draft_entry {
    long long id;
    char     *login;
    char     *screen;       /* "students" (name of the screen file) */
    char     *table_name;
    long long row_id;       /* 0: a record not yet saved */
    long long row_version;  /* the version the user was editing */
    char     *focus;        /* the focused field, NULL when none */
    char     *saved_at;     /* ISO UTC */
    char     *reason;
    char     *fields_json;  /* {"column": "text as typed", ...} */
    int       nfields;      /* the same, split (filled by db_draft_load) */
    char    **columns;
    char    **values;       /* NULL for an empty field */
} db_draft_entry;

/* Keep a form: columns/values (n of them, values may be NULL) of a row of
 * `table` (row_id 0 for a new one) at `row_version`.  For an existing row
 * the user's earlier draft of the same screen and row is replaced; drafts
 * of new rows accumulate.  On success *id_out (may be NULL) gets the
 * draft's id.  Refused when no user is attached to the connection.
 * 0 or -1 with err. */
int db_draft_save(sqlite3 *db, const char *screen, const char *table, long long row_id,
               long long row_version, int n, const char *const *columns,
               const char *const *values, const char *focus, const char *reason,
               long long *id_out, char *err, size_t errsz);
/* The same from a record (its table, id, version and every non-empty value). */
int db_draft_save_record(sqlite3 *db, const char *screen, const esis_record *r,
                      const char *focus, const char *reason, long long *id_out,
                      char *err, size_t errsz);

/* The session user's drafts, newest first, without the split fields
 * (fields_json only).  *out is an array of *n entries; free with
 * db_draft_list_free.  0 or -1 with err. */
int db_draft_list(sqlite3 *db, db_draft_entry **out, int *n, char *err, size_t errsz);
void db_draft_list_free(db_draft_entry *v, int n);

/* One of the session user's drafts with its fields split; NULL (err set)
 * when there is no such draft or it is another user's. */
db_draft_entry *db_draft_load(sqlite3 *db, long long id, char *err, size_t errsz);
void db_draft_free(db_draft_entry *d);

/* Fill r (of the draft's table) from the draft: values, id and version.
 * Columns the table no longer has are skipped.  Returns the number of
 * values set. */
int db_draft_to_record(const db_draft_entry *d, esis_record *r);

/* Delete one of the session user's drafts (after a save, or when the user
 * discards it).  0, or -1 with err when it is not theirs or is gone. */
int db_draft_delete(sqlite3 *db, long long id, char *err, size_t errsz);

#endif
