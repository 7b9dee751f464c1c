/*
 * auth: who is working and what they may do.
 *
 * An esis user is tied to the Unix login that SSH authenticated, so nobody
 * types a second password.  Where one Unix account is shared, `--user NAME`
 * picks an esis user that has a password (yescrypt through libcrypt), asked
 * for on the terminal, or read from a file descriptor (--password-fd N);
 * ESIS_PASSWORD only for an esis that is not installed setgid (scripts and
 * tests of a developer's build).  Failed passwords are counted in the
 * database (auth_lockout.c): a growing delay, then a lock that only an
 * administrator lifts.
 *
 * Roles: admin (office administrator: accounts and settings, no business
 * decision), staff (office staff), group_head (ผอ.กลุ่ม: first approval of
 * the chain), deputy (รอง ผอ.สพท.: the director's decisions while
 * delegated), director (approves), school (one or more named schools),
 * viewer (reads only).
 * The user's role and schools become the connection's db_session, which the
 * data layer checks on every read and write: one gate for the TUI, the CLI
 * and exports.
 */
#ifndef ESIS_AUTH_H
#define ESIS_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "esis/db.h"

struct esis_conf;

typedef struct auth_user {
    char      *login;
    char      *display_name;
    char      *role;
    char     **schools;     /* sorted, for the school role */
    int        nschools;
    db_session session;     /* what the data layer checks; points into this struct */
} auth_user;

/* The Unix login of the real user id (not the effective one: under a
 * setgid install the real user is who logged in).  Caller frees. */
char *auth_unix_login(void);

/* Identify the user: `requested` (from --user, may be NULL) or the Unix
 * login.  A user other than one's own Unix login needs its password, read
 * with read_password (NULL: ESIS_PASSWORD, then the terminal).  Refuses an
 * unknown, disabled or expired user with a clear message in err.  Returns
 * NULL on refusal.  The caller owns the result (auth_user_free). */
auth_user *auth_login(sqlite3 *db, const char *requested, const char *origin,
                      char *err, size_t errsz);

/* auth_login with every choice spelled out (auth_login is this with
 * password_fd -1, env_password true, no messages table). */
typedef struct auth_login_opts {
    const char *requested;      /* --user NAME, or NULL: the Unix login */
    const char *origin;         /* recorded with a failed password */
    int         password_fd;    /* >= 0: the password is the first line read from it */
    bool        env_password;   /* may ESIS_PASSWORD be used (never when privileged) */
    int         delay_unit_ms;  /* the first failure's delay; 0: AUTH_DELAY_UNIT_MS */
    const struct esis_conf *conf; /* messages in lang; NULL: English keys */
    const char *lang;
} auth_login_opts;
auth_user *auth_login_with(sqlite3 *db, const auth_login_opts *o, char *err, size_t errsz);

/* Is there an esis user `requested` (or, NULL, the Unix login) in the
 * database at db_path, and at which schema version is it?  Reads it on a
 * read-only connection of its own that creates no file, and nothing else:
 * an installed esis asks this before it opens the database for work
 * (doc/security.md), so a Unix user with no esis account never gets
 * further.  0 yes (*schema_version set), -1 with err (no such user, or
 * cannot read). */
int auth_account_exists(const char *db_path, const char *requested, int *schema_version,
                        char *err, size_t errsz);

/* ---- failed passwords (src/auth/auth_lockout.c) ----------------------
 * After each failure the account waits auth_failure_delay_ms(failures)
 * (1 s, 2 s, 4 s, ... up to 30 s) before the next try is even checked;
 * after AUTH_MAX_FAILURES it is locked until an administrator runs
 * `esis user unlock`.  The count lives in login_failures, audited. */
enum { AUTH_MAX_FAILURES = 5, AUTH_DELAY_UNIT_MS = 1000, AUTH_DELAY_MAX_MS = 30000 };
typedef struct auth_failures {
    int       failures;
    bool      locked;
    long long since_ms;         /* since the last failure */
} auth_failures;
int auth_failure_delay_ms(int failures, int unit_ms);
/* The account's state (all zero when it never failed).  0 or -1. */
int auth_failures_get(sqlite3 *db, const char *login, auth_failures *f);
/* Count one failure by tried_by (the Unix login); returns the count, or -1. */
int auth_failure_record(sqlite3 *db, const char *login, const char *tried_by, const char *origin);
/* Forget the failures after a right password.  0 or -1. */
int auth_failures_clear(sqlite3 *db, const char *login, const char *tried_by, const char *origin);
/* Sleep, through signals. */
void auth_sleep_ms(int ms);
/* Lift the lock and the count (administrators only; audited).  0 or -1. */
int auth_user_unlock(sqlite3 *db, const char *login, char *err, size_t errsz);
void auth_user_free(auth_user *u);

/* Does the role exist; may it write; does it see every school; may it see
 * personal data; may it approve (director decisions); may it manage users. */
bool auth_role_valid(const char *role);
bool auth_may_write(const auth_user *u);
bool auth_is_office(const auth_user *u);
bool auth_may_approve(const auth_user *u);
bool auth_may_admin(const auth_user *u);

/* One line read from the terminal (/dev/tty) without echo, after printing
 * prompt; NULL when there is no terminal.  Caller frees (and should
 * explicit_bzero) the result. */
char *auth_ask_secret(const char *prompt);

/* A yescrypt hash of password, or NULL.  Caller frees. */
char *auth_hash_password(const char *password);
bool auth_check_password(const char *hash, const char *password);

/* ---- managing users (src/auth/auth_users.c) --------------------------
 *
 * Every function below changes the users and user_schools tables in one
 * BEGIN IMMEDIATE transaction; the audit triggers record each change with
 * the connection's session as the actor.  They refuse (-1, err set) when
 * the connection's session is not an administrator, so no caller can manage
 * users by forgetting a check; with no session attached (esis init, tests)
 * they run as 'system'.  They also refuse to leave the database without an
 * enabled administrator (disabling, demoting or expiring the last one). */

/* Create a user (role must be valid; school codes must exist; only the
 * school role takes schools; expires is YYYY-MM-DD or NULL; password NULL
 * or "" for a user who logs in by Unix login only).  Returns 0 or -1. */
int auth_user_add(sqlite3 *db, const char *login, const char *role,
                  const char *const *schools, int nschools, const char *display_name,
                  const char *password, const char *expires, char *err, size_t errsz);
/* Disable (true) or enable (false) a user. */
int auth_user_set_disabled(sqlite3 *db, const char *login, bool disabled,
                           char *err, size_t errsz);
/* Change the role and replace the schools (the school role needs one). */
int auth_user_set_role(sqlite3 *db, const char *login, const char *role,
                       const char *const *schools, int nschools, char *err, size_t errsz);
/* Set (or with NULL/"" remove) the password. */
int auth_user_set_password(sqlite3 *db, const char *login, const char *password,
                           char *err, size_t errsz);
/* Set the full name (display_name) and position printed on forms; NULL
 * leaves one as it is, "" empties it. */
int auth_user_set_profile(sqlite3 *db, const char *login, const char *display_name,
                          const char *position, char *err, size_t errsz);
/* Passwords esis accepts: at least 8 bytes, not only digits. */
bool auth_password_acceptable(const char *password);

/* One user as `esis user list` shows it; strings borrowed for the call. */
typedef struct auth_user_info {
    const char *login;
    const char *display_name;  /* "" when none */
    const char *role;
    const char *schools;       /* space-separated school codes, "" when none */
    bool        disabled;
    const char *expires;       /* "" when none */
    bool        expired;
    bool        has_password;
    int         failed_logins; /* wrong passwords since the last right one */
    bool        locked;        /* until an administrator unlocks */
} auth_user_info;
/* Call fn for every user, by login; fn returns non-zero to stop.  Refused
 * unless the session is an administrator.  0 or -1 with err. */
int auth_user_list(sqlite3 *db, int (*fn)(const auth_user_info *u, void *ctx), void *ctx,
                   char *err, size_t errsz);

#endif
