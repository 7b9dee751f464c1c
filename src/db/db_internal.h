/* Internal to src/db: the migration list and the per-connection state. */
#ifndef ESIS_DB_INTERNAL_H
#define ESIS_DB_INTERNAL_H

#include "esis/db.h"

typedef struct db_migration {
    int         version;
    const char *what;
    const char *sql;
} db_migration;

extern const db_migration DB_MIGRATIONS[];
extern const int DB_NMIGRATIONS;

/* Create (or re-create) the audit triggers of every audited table in the
 * esis_tables catalogue. */
int db_audit_triggers(sqlite3 *db, char *err, size_t errsz);

/* The per-connection list of tables whose index upkeep is deferred
 * (db_index.c): add one with the rowid above which rows are deferred (-1
 * when the list is full), take one back out (false when empty). */
enum { DB_DEFER_NAME = 64, DB_DEFER_MAX = 8 };
int db_state_defer(sqlite3 *db, const char *table, long long after);
bool db_state_undefer(sqlite3 *db, char table[DB_DEFER_NAME], long long *after);

/* A connection to path with what every esis connection has (extended
 * result codes, a busy wait, esis's SQL functions and collation), no
 * migration, no PRAGMA: db_open, db_open_reader and db_gate_open start
 * from it. */
int db_open_connection(const char *path, int flags, int busy_timeout_ms, sqlite3 **out,
                       char *err, size_t errsz);

/* Gates kept per connection (db_gate.c, db.c).  An installed esis gives
 * up its group once its database is open (include/esis/privilege.h), so a
 * gate is never closed while its connection lives but handed back, to be
 * lent again.  take: a kept gate, now lent (NULL: none kept); lend: note a
 * gate opened anew as lent (false: no room, it will simply be closed);
 * keep: hand a lent gate back (false: no room, the caller closes it).
 * db_close destroys the kept ones and orphans the lent ones, which then
 * close by themselves. */
enum { DB_GATE_POOL = 4, DB_GATE_LENT = 32 };
struct db_gate;
struct db_gate *db_state_gate_take(sqlite3 *db);
bool db_state_gate_lend(sqlite3 *db, struct db_gate *g);
bool db_state_gate_keep(sqlite3 *db, struct db_gate *g);
void db_gate_destroy(struct db_gate *g);
void db_gate_orphan(struct db_gate *g);

#endif
