/*
 * rounds: collection rounds in the database, made from the calendar in
 * conf/rounds.ini, and each school's submission through a round.
 *
 * A round is planned, open, closed or locked.  A school's submission is
 * not_started, in_progress, submitted, returned (with the office's reason) or
 * confirmed.  Transitions are checked here, in one place, for the TUI and
 * the CLI alike.
 */
#ifndef ESIS_ROUNDS_H
#define ESIS_ROUNDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "esis/conf.h"

/* Make sure the round exists in the database (from the calendar; a year the
 * calendar does not list gets the standard dates).  The state of a new round
 * follows today's date: planned before it opens, open in its window,
 * closed after.  Returns 0 or -1 with err. */
int rounds_ensure(sqlite3 *db, const esis_conf *c, const char *code, char *err, size_t errsz);

/* Both years' rounds (DMC 1-3, EMIS, B-obec) for academic years y-1 and y. */
int rounds_ensure_years(sqlite3 *db, const esis_conf *c, int year, char *err, size_t errsz);

/* The round that comes before `code` in the same collection ("2567-1" ->
 * "2566-3"; "2567-emis" -> "2566-emis").  out holds 24 bytes. */
bool rounds_previous(const char *code, char *out, size_t outsz);

#endif
