/*
 * batch.c: all-or-nothing batch input (see include/esis/batch.h).  The
 * transaction is the database's own (db_begin/db_commit/db_rollback), so a
 * batch that is killed half way leaves nothing either.
 */
#include "esis/batch.h"
#include "esis/app.h"
#include "esis/db.h"

#include <stdlib.h>
#include <string.h>

int batch_begin(batch *b, esis_app *app, batch_bad_fn report, void *ctx, char *err, size_t errsz)
{
    memset(b, 0, sizeof *b);
    b->app = app;
    b->report = report;
    b->ctx = ctx;
    if (db_begin(app->db) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", app_msg(app, "batch.db"), sqlite3_errmsg(app->db));
        return -1;
    }
    b->in_tx = true;
    return 0;
}

void batch_refuse(batch *b, long line_no, const char *why)
{
    b->refused++;
    if (!b->first_bad) {
        b->first_bad = line_no;
        snprintf(b->first_why, sizeof b->first_why, "%s", why);
    }
    if (b->report) b->report(b->ctx, line_no, why);
}

int batch_end(batch *b, int rc, char *err, size_t errsz)
{
    if (!b->in_tx) return -1;
    b->in_tx = false;
    if (rc == 0 && b->refused == 0) {
        if (db_commit(b->app->db) == SQLITE_OK) return 0;
        snprintf(err, errsz, "%s: %s", app_msg(b->app, "batch.db"), sqlite3_errmsg(b->app->db));
    } else if (rc == 0) {
        snprintf(err, errsz, "%s %ld (%s %ld: %s), %s", app_msg(b->app, "batch.refused"), b->refused,
                 app_msg(b->app, "batch.first_line"), b->first_bad, b->first_why,
                 app_msg(b->app, "batch.nothing_saved"));
    }
    db_rollback(b->app->db);
    b->stored = 0;
    return -1;
}

int batch_lines(batch *b, FILE *in, batch_line_fn fn, void *ctx, char *err, size_t errsz)
{
    char *line = NULL, why[512];
    size_t cap = 0;
    ssize_t len;
    long line_no = 0;
    int rc = 0;
    while (!rc && (len = getline(&line, &cap, in)) >= 0) {
        line_no++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        why[0] = '\0';
        int r = fn(ctx, b, line_no, line, why, sizeof why, err, errsz);
        if (r == 0) b->stored++;
        else if (r == 2) batch_refuse(b, line_no, why);
        else if (r < 0) rc = -1;
    }
    if (!rc && ferror(in)) {
        snprintf(err, errsz, "%s %ld", app_msg(b->app, "batch.read_error"), line_no + 1);
        rc = -1;
    }
    free(line);
    return rc;
}
