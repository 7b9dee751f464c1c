/*
 * batch: a list given in one go (lines on stdin or in a file, schools on
 * the command line) is stored whole or not at all.
 *
 * Why one mechanism: a batch that keeps its good lines and refuses the bad
 * ones invites the user to correct the bad lines and run the whole batch
 * again, which stores the good lines twice (seen with survey answers: the
 * respondents counted twice).  So every batch input of the unit layer and
 * the CLI runs through here: one transaction; every line is read and
 * checked, each bad one reported with its number and why (all of them, so
 * one run shows every fault); then, when any line was refused or the
 * database failed, the transaction is rolled back and nothing is kept.
 *
 *   batch b;
 *   if (batch_begin(&b, app, report, ctx, err, errsz)) return -1;
 *   for each item: batch_refuse(&b, n, why)  or  store it, b.stored++
 *   return batch_end(&b, rc, err, errsz);
 *
 * batch_lines does the loop for a FILE read line by line.
 *
 * Ownership: a batch owns nothing but its transaction, which batch_end
 * always ends.
 */
#ifndef ESIS_BATCH_H
#define ESIS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct esis_app;

/* Told about each refused line: its number (1-based) and why, in the
 * user's language. */
typedef void (*batch_bad_fn)(void *ctx, long line_no, const char *why);

typedef struct batch {
    struct esis_app *app;
    batch_bad_fn     report;    /* may be NULL */
    void            *ctx;
    long             stored;    /* items stored so far (0 again after a rollback) */
    long             refused;   /* lines refused */
    long             first_bad; /* the first refused line's number, 0 when none */
    char             first_why[256]; /* and why */
    bool             in_tx;
} batch;

/* BEGIN IMMEDIATE on the app's connection.  0, or -1 with err. */
int batch_begin(batch *b, struct esis_app *app, batch_bad_fn report, void *ctx, char *err, size_t errsz);

/* Count a refused line and report it. */
void batch_refuse(batch *b, long line_no, const char *why);

/* End the batch: commit when rc is 0 and no line was refused, else roll
 * back (b->stored becomes 0).  Returns 0 when committed, -1 with err
 * otherwise (err keeps the caller's message when rc was not 0; for refused
 * lines it says how many, the first one and why, and that nothing was
 * saved). */
int batch_end(batch *b, int rc, char *err, size_t errsz);

/* Called for each line (newline removed) of batch_lines: 0 stored (count it
 * in b->stored), 1 skipped (a blank or a comment), 2 refused (why filled,
 * in the user's language), -1 a failure that stops the batch (err filled). */
typedef int (*batch_line_fn)(void *ctx, batch *b, long line_no, const char *line,
                             char *why, size_t whysz, char *err, size_t errsz);

/* Read every line of in through fn inside b.  0, or -1 with err (read
 * error or fn's failure); refused lines are only counted (batch_end decides). */
int batch_lines(batch *b, FILE *in, batch_line_fn fn, void *ctx, char *err, size_t errsz);

#endif
