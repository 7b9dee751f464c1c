/*
 * service_internal: what service.c (requests, decisions, the log) and
 * service_release.c (what a serve writes: conf/privacy.ini, the aggregate
 * with small cells suppressed, de-identified records, the checksum) share.
 */
#ifndef ESIS_SERVICE_INTERNAL_H
#define ESIS_SERVICE_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>
#include "esis/app.h"

/* An approval of individual records in force, as read back. */
typedef struct service_grant {
    char kind[65];
    char approved_by[80];
    char purpose[1024], legal_basis[1024];
    char fields[2048];        /* space-separated columns */
    char expires[11];
} service_grant;

/* One serve: what the kind is and what goes out.  service_plan fills the
 * kind's part; the caller sets grant; service_write sets the rest. */
typedef struct service_job {
    esis_app            *app;
    const char          *kind;
    char                 round[32];
    conf_round           cur;
    bool                 use_io;       /* an export kind of conf/import/ */
    bool                 personal;     /* its table is in conf/privacy.ini */
    char                 table[64];
    char                 aggregate[65];/* the report served without an approval */
    char               **plain, **year_of;
    int                  nplain, nyear_of;
    int                  suppress_below;
    const service_grant *grant;        /* NULL: no approval of records in force */
    char                *released;     /* owned: the columns or report that went out */
    const char          *level;        /* aggregate, records, export, report */
    long                 rows;
} service_job;

/* Read conf/import/<kind>.ini (if any) and conf/privacy.ini for kind.
 * 0, or -1 with err; free with service_plan_free. */
int service_plan(esis_app *app, const char *kind, service_job *job, char *err, size_t errsz);
void service_plan_free(service_job *job);
/* A doc_write_fn: the file of the serve (see service.h for what). */
int service_write(void *job, FILE *out, char *err, size_t errsz);
/* The SHA-256 of the file at path as 64 hex digits (libgcrypt).  0 or -1. */
int service_sha256_file(const char *path, char hex[65]);
/* words joined by single spaces; caller frees.  NULL when out of memory. */
char *service_join(char *const *words, int n);

#endif
