/*
 * db_gate: the connection on which the SQL of report files and query rules
 * runs.  That SQL comes from files, not from esis, so it is given a
 * connection that cannot write and cannot leave the session's scope, by
 * construction rather than by reading its text:
 *
 *  - the connection's own database is an empty one in memory; the data is
 *    attached read-only under a schema name drawn at random for each
 *    connection, which no query can name (no PRAGMA, no sqlite_schema, no
 *    error message shows it);
 *  - every table holding school rows gets a temporary view of the same
 *    name ("students", "staff", "flags", ...) that reads the attached table
 *    filtered to the session's schools (for an office session: unfiltered,
 *    so the plans of the country's reports do not change; for a school:
 *    `school_code IN (SELECT school_code FROM temp.esis_gate_schools)`,
 *    which an index on school_code serves).  Unqualified names find the
 *    temporary views first, so a query is written once, for every role;
 *  - an authorizer allows only SELECT, reads of those views, reads of the
 *    attached tables that hold neither school rows nor personal data
 *    (rounds, briefings, the catalogue), and functions other than
 *    load_extension.  Everything else is refused: writes, ATTACH, PRAGMA,
 *    CREATE and DROP (temporary views and triggers too), transactions,
 *    recursive CTEs, reads of sqlite_schema, of users, audit, drafts and
 *    the search index, and a read of a school table that does not come
 *    through its view;
 *  - PRAGMA query_only, no extension loading, defensive mode, no triggers,
 *    no further ATTACH (limit 0), a 16 MB cap on one value, and a time
 *    budget per run (the progress handler interrupts a run past it).
 *
 * With DB_GATE_MASK the views also mask the personal columns (the
 * esis_tables catalogue's personal_cols) for a session that may not see
 * personal data: a report shows what its reader may see, whatever its SQL.
 * Query rules compare IDs, so they run unmasked and their findings are
 * masked when shown (rules_hit through text_mask_id).
 *
 * The gate is a second connection: it sees committed data only.  It
 * follows the session given with db_gate_session (a school officer's
 * schools, an office role, masking) and rebuilds its views when that
 * changes.  A connection is used by one thread.
 */
#ifndef ESIS_DB_GATE_H
#define ESIS_DB_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "esis/db.h"

typedef struct db_gate db_gate;

enum {
    DB_GATE_MASK = 1 << 0,   /* views mask personal columns when the session may not see them */
};

/* Open a gate on db's database file for the session s (NULL: esis itself,
 * every school).  An in-memory database (tests) is read as a copy taken at
 * each prepare.  The gate is
 * the caller's: close it with db_gate_close.  0 or an SQLite error code
 * with err. */
int db_gate_open(sqlite3 *db, const db_session *s, unsigned flags, db_gate **out,
                 char *err, size_t errsz);
void db_gate_close(db_gate *g);

/* Open n gates on db's database now, kept to be lent by db_gate_open
 * later: an installed esis calls it while it still holds the group that
 * opens the database (include/esis/privilege.h), since after that it can
 * open no connection to it.  A closed gate is handed back to db and lent
 * again, not closed, while db lives.  0 or an SQLite error code with err. */
int db_gate_reserve(sqlite3 *db, int n, char *err, size_t errsz);

/* Whose scope the next statements read in (borrowed; must outlive their
 * use).  The views are rebuilt at the next prepare when it changed. */
void db_gate_session(db_gate *g, const db_session *s);

/* Prepare one statement of a report or a rule under the gate, and start
 * its time budget.  A statement that reads outside its scope, writes or
 * does anything but read is refused: SQLITE_AUTH with err naming what it
 * tried (a table, an action); any other error with SQLite's message.  *tail
 * as sqlite3_prepare_v2's (may be NULL). */
int db_gate_prepare(db_gate *g, const char *sql, sqlite3_stmt **st, const char **tail,
                    char *err, size_t errsz);

/* The message of the last failure of a statement stepped on the gate (the
 * time budget named when that was it). */
const char *db_gate_error(const db_gate *g);

/* The time one run may take, from its prepare (default 10 minutes). */
void db_gate_budget(db_gate *g, long long ms);

/* The connection itself, to register functions on (report_sqlfn). */
sqlite3 *db_gate_handle(const db_gate *g);

#endif
