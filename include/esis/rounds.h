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

/* The round that comes after `code`: its inverse ("2566-3" -> "2567-1";
 * "2566-emis" -> "2567-emis").  out holds 24 bytes. */
bool rounds_next(const char *code, char *out, size_t outsz);

#endif

/* ---- what a period holds ---------------------------------------------- */

/* "No number without data behind it": reports, exports and the booklet ask
 * these before they print a count, and refuse a period the database does
 * not hold rather than print zeros that look like data. */
bool rounds_exists(sqlite3 *db, const char *code);
bool rounds_has_students(sqlite3 *db, const char *code);
/* How many rounds of academic year `year` the database holds. */
int rounds_in_year(sqlite3 *db, int year);
/* When the round's flags were last checked as a whole (local ISO
 * date-time "YYYY-MM-DDTHH:MM" into out), or false when never. */
bool rounds_last_check(sqlite3 *db, const char *code, char *out, size_t outsz);
/* Note a check of the whole round (school NULL; a check of one school is
 * not noted), inside the check's transaction.  0 or -1. */
int rounds_note_check(sqlite3 *db, const char *code, const char *school);

/* ---- the round's state ------------------------------------------------ */

/* What a round holds: its students and the submissions under way (past
 * not_started). */
typedef struct rounds_held { long long students, submissions; } rounds_held;
int rounds_holding(sqlite3 *db, const char *code, rounds_held *held);

/* planned -> open -> closed -> locked (and back, by the office).  A change
 * that would discard the state of a round holding data (back to planned,
 * or out of locked, while it holds students or submissions under way) is
 * refused with 1 unless force: the caller asks the user (the TUI) or wants
 * --force (the CLI).  *held (may be NULL) gets what the round holds when it
 * was looked at.  Returns 0, 1 (needs force, err says why) or -1 with err
 * ("'x' is not a round state"). */
int rounds_set_state(sqlite3 *db, const char *code, const char *state, bool force, rounds_held *held,
                     char *err, size_t errsz);

/* ---- a school's submission -------------------------------------------- */

typedef enum rounds_action {
    ROUNDS_SUBMIT,   /* the school (or the office for it): needs zero error flags */
    ROUNDS_RETURN,   /* the office: back to the school for correction, with a reason */
    ROUNDS_CONFIRM,  /* the office: accepted */
    ROUNDS_REOPEN    /* the office: let the school edit again after the window */
} rounds_action;

/* Apply an action to (round, school) as the session on db (office roles may
 * return, confirm and reopen; a school officer may submit its own school).
 * `errors` is the number of error-level flags the school has now (the
 * caller runs the check: a school submits only with none).  reason is
 * required for RETURN; for CONFIRM it is the override's written reason,
 * required when the school has open errors (`errors` counted now by the
 * caller, else the error flags of the last check), and kept in
 * submissions.override_reason with the count; `until` (ISO date) for
 * REOPEN, NULL = the round's close date + 7 days.  Writes through the audited submissions table.
 * Returns 0 or -1 with err. */
int rounds_submission_act(sqlite3 *db, const char *round, const char *school, rounds_action act,
                          long errors, const char *reason, const char *until, char *err, size_t errsz);

/* The error flags of (round, school) from the last check: confirming with
 * any is an override that needs a written reason. */
long rounds_open_errors(sqlite3 *db, const char *round, const char *school);

/* Mark a school's submission in progress (first change in a round). */
int rounds_submission_touch(sqlite3 *db, const char *round, const char *school);

/* ---- carrying students over ------------------------------------------- */

/* Start round `to` from round `from`: every student still studying in `from`
 * is copied into `to`; when `to` is in a later academic year, each is
 * promoted one grade and those finishing ป.6 or ม.3 leave as graduates (not
 * carried).  Students already in `to` are left alone (running it twice adds
 * nothing).  One transaction.  *carried and *graduated get the counts.
 * Returns 0 or -1 with err. */
int rounds_start_from(sqlite3 *db, const esis_conf *c, const char *from, const char *to,
                      long *carried, long *graduated, char *err, size_t errsz);

/* Record that a student moved out of `school` on `date` (ISO) to `to_school`
 * (a school code, or NULL) / `destination` (free text): the move row, and
 * the student's status in the round set to moved out.  A student who then
 * appears in the destination school is a transfer, not a duplicate. */
int rounds_record_move(sqlite3 *db, const char *round, const char *citizen_id, const char *school,
                       const char *to_school, const char *destination, const char *date,
                       const char *reason, char *err, size_t errsz);
