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
#include <pwd.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

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

bool privilege_caller_untrusted(void)
{
    uid_t ru, eu, su;
    if (getresuid(&ru, &eu, &su) != 0) return true;   /* cannot tell: trust nothing */
    if (ru == 0) return false;                        /* root has every right already */
    return getauxval(AT_SECURE) != 0 || privilege_held() || eu != ru || su != ru;
}

/* A value made of [A-Za-z0-9] and the characters in extra, 1..63 long:
 * a locale or terminal name, never a path or an escape sequence. */
static bool plain_value(const char *v, const char *extra)
{
    size_t n = strlen(v);
    if (n == 0 || n > 63) return false;
    for (const char *p = v; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
            !strchr(extra, *p))
            return false;
    return !strstr(v, "..");
}

/* The caller's variables that survive, and what each may hold. */
static bool kept(const char *name, const char *value)
{
    if (!strcmp(name, "TERM")) return plain_value(value, "-_.+");
    if (!strcmp(name, "LANG") || !strcmp(name, "LC_ALL") || !strncmp(name, "LC_", 3))
        return plain_value(value, "-_.@");
    if (!strcmp(name, "NO_COLOR")) return true;   /* only its presence is read */
    /* the key reader's wait for a split key, a number of ms (esis.1, KEYS;
     * sshd's AcceptEnv passes it from a slow link's client), and gettext's
     * language list ("th:en"), read by conf's lang = auto */
    if (!strcmp(name, "ESCDELAY")) return plain_value(value, "") && strspn(value, "0123456789") == strlen(value);
    if (!strcmp(name, "LANGUAGE")) return plain_value(value, ":_.@-");
    return false;
}

int privilege_clean_environment(char *ignored, size_t ignoredsz)
{
    ignored[0] = '\0';
    /* Copy what stays before clearing: environ's strings go with it. */
    size_t n = 0;
    for (char **e = environ; e && *e; e++) n++;
    char **keep = calloc(n + 1, sizeof *keep);
    if (!keep) return -1;
    size_t nkeep = 0, used = 0;
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        char name[64];
        size_t len = (size_t)(eq - *e);
        if (len >= sizeof name) continue;
        memcpy(name, *e, len);
        name[len] = '\0';
        if (kept(name, eq + 1)) {
            if (!(keep[nkeep++] = strdup(*e))) goto fail;
        } else if (!strncmp(name, "ESIS_", 5) && used + len + 2 < ignoredsz) {
            /* What points esis at its settings, data or a password: named
             * back to the caller, who may wonder why it had no effect. */
            used += (size_t)snprintf(ignored + used, ignoredsz - used, "%s%s", used ? " " : "", name);
        }
    }
    if (clearenv() != 0) goto fail;
    for (size_t i = 0; i < nkeep; i++) {
        if (putenv(keep[i]) != 0) goto fail;
        keep[i] = NULL;   /* putenv keeps the string itself: the environment owns it now */
    }
    free(keep);
    /* A PATH only root can change, and who the real user is. */
    struct passwd *pw = getpwuid(getuid());
    if (setenv("PATH", "/usr/bin:/bin", 1) != 0 ||
        (pw && (setenv("HOME", pw->pw_dir, 1) != 0 || setenv("USER", pw->pw_name, 1) != 0 ||
                setenv("LOGNAME", pw->pw_name, 1) != 0)))
        return -1;
    return 0;
fail:
    for (size_t i = 0; i < nkeep; i++) free(keep[i]);
    free(keep);
    return -1;
}
