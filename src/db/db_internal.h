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

#endif
