/*
 * briefing: step 2 of every collection, briefing the schools (a meeting, a
 * letter or online), and which schools came.  The report
 * conf/reports/briefing_missed.ini lists the schools that missed every
 * briefing of a round.
 */
#ifndef ESIS_BRIEFING_H
#define ESIS_BRIEFING_H

#include <stddef.h>

struct esis_app;

/* Record a briefing held on `date` (DD/MM/YYYY BE or ISO), with a title
 * (required), an optional round code, kind (meeting, letter, online; NULL
 * = meeting) and place.  0 with *id, or -1 with err. */
int briefing_add(struct esis_app *app, const char *date, const char *title, const char *round,
                 const char *kind, const char *place, long long *id, char *err, size_t errsz);

/* Mark schools as having attended briefing id (already marked ones are
 * left alone).  Every school must exist; nothing is written when one does
 * not.  *added gets the new marks.  0, or -1 with err. */
int briefing_attend(struct esis_app *app, long long id, const char *const *schools, int n,
                    int *added, char *err, size_t errsz);

#endif
