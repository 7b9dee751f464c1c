/*
 * service: requests for information (step 6 of every collection: serving
 * the information to those who ask), under the Official Information Act
 * 2540 and the Personal Data Protection Act 2562 (PDPA).
 *
 * A request (a row of service_requests) says who asks, for which
 * organisation, what data, for what purpose and on what legal basis.  The
 * director (or a deputy the director delegated to) decides.  Data about
 * individual people (student-level or staff-level records) leaves only
 * with an approval of individual records (a row of service_approvals,
 * written only here) that names the purpose, the legal basis, the fields
 * and an expiry; without one, serving a kind of personal data gives its
 * aggregate (conf/privacy.ini: a report of counts, cells of 1-4 written
 * "<5").  With one, the records are de-identified: only the columns
 * conf/privacy.ini calls plain and the fields the approval names go out,
 * dates of birth as their year.  An expired approval refuses the serve.
 *
 * Every release is a row of service_exports: who, when, what kind, level
 * (aggregate or records), purpose, legal basis, approver, fields, rows
 * and the SHA-256 of the file; `esis serve log` shows them to the
 * director, a deputy and the administrator.
 */
#ifndef ESIS_SERVICE_H
#define ESIS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

struct esis_app;

/* The director's approval.  records: individual records of one kind
 * (an export kind of personal data: dmc, staff) may go out, which needs
 * fields (space-separated columns of that kind's table), expires (a date not before today; DD/MM/YYYY BE or ISO), and a
 * purpose and legal basis (NULL: the request's own, which must then be
 * filled in).  Strings are borrowed for the call. */
typedef struct service_approval {
    bool        records;
    const char *kind;
    const char *fields;
    const char *expires;
    const char *purpose;
    const char *legal_basis;
    const char *note;
} service_approval;

/* The decision: approve, or refuse with a reason (required).  Only the
 * director or a deputy holding a delegation; never the administrator.
 * 0, or -1 with err. */
int service_approve(struct esis_app *app, long long id, const service_approval *ap,
                    char *err, size_t errsz);
int service_refuse(struct esis_app *app, long long id, const char *reason, char *err, size_t errsz);

/* What a serve did. */
typedef struct service_result {
    long rows;
    bool masked;              /* not individual records as approved */
    bool aggregate;           /* the kind's aggregate was served instead of records */
    char level[16];           /* aggregate, records, export, report */
    char sha256[65];          /* of the file written, hex */
    char file[4096];
} service_result;

/* Serve `kind` (an export kind of conf/import/ or a report of
 * conf/reports/; round: a round code, NULL for the request's round or the
 * current one) for request id into out_path (NULL: request-ID-KIND.csv in
 * the current directory), written whole or not at all, and log the
 * release.  0, or -1 with err. */
int service_serve(struct esis_app *app, long long id, const char *kind, const char *round,
                  const char *out_path, service_result *res, char *err, size_t errsz);

/* Does request id hold an approval of individual records that is in force
 * today (approved by a director, or a deputy delegated at the time, whose
 * account is enabled; not expired)? */
bool service_records_approved(struct esis_app *app, long long id);

/* One release as `esis serve log` shows it; strings borrowed for the call. */
typedef struct service_release {
    long long   id, request_id;
    const char *at, *by, *kind, *level, *file, *purpose, *legal_basis, *approved_by, *fields, *sha256;
    long        rows;
} service_release;
/* Call fn for each release, oldest first (request_id 0: all).  Only the
 * director, a deputy or the administrator.  0, fn's non-zero, or -1 with err. */
int service_log_each(struct esis_app *app, long long request_id,
                     int (*fn)(void *ctx, const service_release *r), void *ctx, char *err, size_t errsz);

#endif
