/*
 * privilege.c: using the setgid esis group for the database only (see
 * include/esis/privilege.h for the steps and doc/deploy.md for why).
 *
 * Why drop for good after opening instead of switching the effective gid
 * around each database access: SQLite opens the main file, -wal and -shm
 * when the connection first reads and keeps them open until it closes, and
 * the group matters only at open().  Once they are open nothing more needs
 * the group, and a process that cannot regain it cannot be turned into a
 * reader of the database directory, whatever bug it has.
 *
 * What SQLite may still try to open after the drop, and why it is harmless:
 * the directory, to fsync it after creating the -wal (failure is ignored by
 * SQLite's unix VFS); unlinking -wal/-shm when the last connection closes
 * (failure ignored: the files stay, 0660 group esis, and the next session
 * uses them).  Temporary files go to /var/tmp or /tmp with the user's rights.
 */
#define _GNU_SOURCE 1  /* getresgid, setresgid */
#include "esis/privilege.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool gids(gid_t *r, gid_t *e, gid_t *s)
{
    return getresgid(r, e, s) == 0;
}

int privilege_start(char *err, size_t errsz)
{
    gid_t r, e, s;
    if (!gids(&r, &e, &s)) {
        snprintf(err, errsz, "getresgid: %s", strerror(errno));
        return -1;
    }
    if (e == r) return 0;
    if (setresgid((gid_t)-1, r, (gid_t)-1) != 0) {
        snprintf(err, errsz, "cannot lower the group privilege (setresgid): %s", strerror(errno));
        return -1;
    }
    return 0;
}

bool privilege_held(void)
{
    gid_t r, e, s;
    return gids(&r, &e, &s) && (s != r || e != r);
}

int privilege_db_enter(const char *db_path, char *err, size_t errsz)
{
    gid_t r, e, s;
    if (!gids(&r, &e, &s)) {
        snprintf(err, errsz, "getresgid: %s", strerror(errno));
        return -1;
    }
    if (s == r) return 0;
    char *copy = strdup(db_path);
    if (!copy) { snprintf(err, errsz, "out of memory"); return -1; }
    struct stat st;
    /* The directory is looked at with the privilege: under a 2770 esis
     * directory the user alone could not even stat it. */
    if (setresgid((gid_t)-1, s, (gid_t)-1) != 0) {
        snprintf(err, errsz, "cannot raise the group privilege: %s", strerror(errno));
        free(copy);
        return -1;
    }
    bool ours = stat(dirname(copy), &st) == 0 && S_ISDIR(st.st_mode) && st.st_gid == s;
    free(copy);
    if (!ours) {
        /* Not esis's directory: the user's own rights decide. */
        if (setresgid((gid_t)-1, r, (gid_t)-1) != 0) {
            snprintf(err, errsz, "cannot lower the group privilege: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    return 1;
}

int privilege_drop(char *err, size_t errsz)
{
    gid_t r, e, s;
    if (!gids(&r, &e, &s)) {
        snprintf(err, errsz, "getresgid: %s", strerror(errno));
        return -1;
    }
    if (e == r && s == r) return 0;
    if (setresgid(r, r, r) != 0 || !gids(&r, &e, &s) || e != r || s != r) {
        snprintf(err, errsz, "cannot give up the group privilege (setresgid): %s", strerror(errno));
        return -1;
    }
    return 0;
}
