/*
 * access: requests for access to the information system (แบบคำร้องขอ
 * เข้าถึงระบบข้อมูลสารสนเทศ), decided by the director.
 *
 * A request (a row of access_requests, typed in the TUI) names the login
 * wanted, the role and the schools asked for, and how many months.  The
 * director (or an administrator) approves it, which sets the access's end
 * (`expires` = the decision's date + months) and, when asked, creates the
 * esis user with that role, those schools and that end date
 * (auth_user_add); auth_login refuses the account once the date has
 * passed.  Creating an account is an administrator's act (auth_user_add
 * refuses any other session), so a director approves and an administrator
 * then creates the account from the approved request (access_create_user);
 * an administrator deciding may do both at once.  Or the director refuses
 * it, with a reason.  Both are written
 * through the audited table with the session's actor.
 */
#ifndef ESIS_ACCESS_H
#define ESIS_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

struct esis_app;

/* Approve request id.  decided_on: ISO date, NULL for today.  note may be
 * NULL.  With create_user (an administrator's session only) the user is
 * created first (nothing is changed when that fails: an existing login, an
 * unknown school).  0, or -1 with
 * err (a user-visible message). */
int access_approve(struct esis_app *app, long long id, const char *decided_on, const char *note,
                   bool create_user, char *err, size_t errsz);

/* Create the esis user of an approved request whose user is not created
 * yet: the login, role and schools asked for, ending on the approved
 * `expires`.  Administrators only.  0, or -1 with err. */
int access_create_user(struct esis_app *app, long long id, char *err, size_t errsz);

/* Refuse request id with a reason (required). */
int access_refuse(struct esis_app *app, long long id, const char *reason, char *err, size_t errsz);

#endif
