/*
 * rules_fixture: what the rules tests check against: the real schema (an
 * in-memory database made by the real migrations) and the real
 * configuration ($ESIS_HOME/conf: code lists, thresholds, patterns).
 * fixture_open allocates; fixture_close frees everything.
 */
#ifndef ESIS_RULES_FIXTURE_H
#define ESIS_RULES_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include "fixture.h"
#include "esis/db.h"
#include "esis/record.h"
#include "esis/conf.h"

typedef struct fixture {
    sqlite3     *db;
    esis_schema *schema;
    esis_conf   *cfg;   /* conf_load's */
    esis_conf    conf;  /* a copy of *cfg that tests may change */
} fixture;

static void fixture_open(fixture *f)
{
    char err[512];
    memset(f, 0, sizeof *f);
    if (db_open(":memory:", true, 1000, &f->db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(f->db, &f->schema, err, sizeof err) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        abort();
    }
    if (conf_load(fx_home(), &f->cfg, err, sizeof err) != 0) {
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
}

#endif
