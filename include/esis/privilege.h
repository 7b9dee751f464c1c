/*
 * privilege: the setgid `esis` group, used for the database and nothing
 * else (see doc/deploy.md for the whole deployment and why).
 *
 * Installed setgid esis (install -g esis -m 2755), the binary starts with
 * real gid = the user's group and effective = saved = esis.  esis then:
 *
 *   1. privilege_start(): lowers the effective gid to the user's at once,
 *      so reading conf/, screens/ and anything else happens with the user's
 *      own rights (the saved gid keeps esis for step 2);
 *   2. privilege_db_enter(path): raises it back, only when the database's
 *      directory belongs to the esis group (the caller sets umask 007 while
 *      it opens, so what SQLite creates there is rw for the group only);
 *   3. opens the database and runs one read (db_open does: that creates and
 *      opens -wal and -shm, which SQLite keeps open for the connection's
 *      life), and opens the read-only gates rules and reports will run on
 *      (db_gate_reserve), lent and handed back for the process's life;
 *   4. privilege_drop(): setresgid(rgid, rgid, rgid): real, effective and
 *      saved become the user's, so nothing later (exports, imports, reject
 *      files, the TUI) can open any file with the esis group, and neither
 *      can an attacker who takes over the process: there is no way back.
 *
 * Not installed setgid (a developer's build), every call is a no-op.
 * No state is kept: the kernel's real/effective/saved gids are the state.
 */
#ifndef ESIS_PRIVILEGE_H
#define ESIS_PRIVILEGE_H

#include <stdbool.h>
#include <stddef.h>

/* Step 1; call first in main().  0 or -1 with err. */
int privilege_start(char *err, size_t errsz);
/* True while the saved gid still differs from the real one (steps 1-3). */
bool privilege_held(void);
/* Step 2 for the database at db_path.  Returns 1 when raised, 0 when not
 * needed (not setgid, or the directory is not the esis group's: then the
 * user's own rights decide), -1 with err on failure. */
int privilege_db_enter(const char *db_path, char *err, size_t errsz);
/* Step 4: give up the group for good (idempotent).  0 or -1 with err;
 * the caller must stop on -1. */
int privilege_drop(char *err, size_t errsz);

/*
 * Trusting the caller.  A setgid esis runs with a right its caller does
 * not have, so what the caller hands it (the environment, the options)
 * must not decide which settings, rules, reports, screens or database
 * that right is used on: a rule file in $ESIS_HOME is run on the write
 * connection, a --db in the group's directory is a file the caller could
 * not open (doc/security.md).  root is trusted: it has every right anyway.
 */
/* True when esis was started setgid/setuid (AT_SECURE, or real and
 * effective ids differ) by anyone but root. */
bool privilege_caller_untrusted(void);
/* For an untrusted caller: replace the environment by PATH=/usr/bin:/bin,
 * HOME, USER and LOGNAME of the real user, and the caller's TERM, LANG,
 * LC_*, LANGUAGE (only plain names: no paths, no escapes), NO_COLOR and a
 * numeric ESCDELAY (the key reader's wait, ui_keyseq.h).  The ESIS_*
 * variables dropped are listed in ignored (space-separated) for the notice.
 * 0, or -1 when out of memory. */
int privilege_clean_environment(char *ignored, size_t ignoredsz);

#endif
