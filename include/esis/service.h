/*
 * service: requests for information (step 6 of every collection: serving
 * the information to those who ask), under the Official Information Act
 * 2540 and the PDPA.
 *
 * A request (a row of service_requests) says who asks, for which
 * organisation, what data, for what purpose and on what legal basis.  The
 * director may approve it, and only an approval by a director (or an
 * administrator) with unmask_personal lets personal data (citizen IDs,
 * birth dates, addresses) out unmasked; everything else is served masked.
 *
 * Serving exports the data asked for as CSV: KIND is an export kind of
 * conf/import/ (through io_export, the rows of a round), or else the name of
 * a report of conf/reports/ (its CSV output: figures, never people).  Each
 * export is logged in service_exports (file, rows, masked) and the request
 * gets delivered_on and served_by.
 */
#ifndef ESIS_SERVICE_H
#define ESIS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

struct esis_app;

/* The director's decision: approve (unmask: personal data may be served
 * unmasked) or refuse with a reason (required).  0, or -1 with err. */
int service_approve(struct esis_app *app, long long id, bool unmask, const char *note,
                    char *err, size_t errsz);
int service_refuse(struct esis_app *app, long long id, const char *reason, char *err, size_t errsz);

/* What a serve did. */
typedef struct service_result {
    long rows;
    bool masked;
    char file[4096];
} service_result;

/* Export `kind` (round: a round code, NULL for the request's round or the
 * current one) for request id into out_path (NULL: request-ID-KIND.csv in
 * the current directory), written whole or not at all.  0, or -1 with err. */
int service_serve(struct esis_app *app, long long id, const char *kind, const char *round,
                  const char *out_path, service_result *res, char *err, size_t errsz);

/* May request id's data go out unmasked (state approved or delivered,
 * unmask_personal set, approved by a user whose role is director or
 * admin)? */
bool service_may_unmask(struct esis_app *app, long long id);

#endif
