/*
 * rules_fixture: what the rules tests check against: the real schema (an
 * database file made by the real migrations) and the real
 * configuration ($ESIS_HOME/conf: code lists, thresholds, patterns).
 * fixture_open allocates; fixture_close frees everything.
 */
#ifndef ESIS_RULES_FIXTURE_H
#define ESIS_RULES_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include "esis/db.h"
#include "esis/record.h"
#include "esis/conf.h"

typedef struct fixture {
    sqlite3     *db;
    char         path[64];  /* a file: query rules run on a second connection (db_gate) */
    esis_schema *schema;
    esis_conf   *cfg;   /* conf_load's */
    esis_conf    conf;  /* a copy of *cfg that tests may change */
} fixture;

static void fixture_open(fixture *f)
{
    char err[512];
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/esis_rules_fixture_%d.db", (int)getpid());
    remove(f->path);
    if (db_open(f->path, true, 1000, &f->db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(f->db, &f->schema, err, sizeof err) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        abort();
    }
    const char *home = getenv("ESIS_HOME");
    if (conf_load(home ? home : ".", &f->cfg, err, sizeof err) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        abort();
    }
    f->conf = *f->cfg;
}

static void fixture_close(fixture *f)
{
    conf_free(f->cfg);
    schema_free(f->schema);
    db_close(f->db);
    char p[80];
    remove(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path); remove(p);
    snprintf(p, sizeof p, "%s-shm", f->path); remove(p);
}

#endif
