/*
 * auth.c: logging in (Unix login or password), roles, and turning a user
 * into the db_session the data layer checks.
 */
#define _GNU_SOURCE 1  /* crypt_gensalt_ra, explicit_bzero */
#include "esis/auth.h"
#include "esis/conf.h"
#include "esis/text.h"

#include <crypt.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* group_head: the head of an office group (ผอ.กลุ่ม), the first step of the
 * manual's approval chain; deputy: a deputy director (รอง ผอ.สพท.), who
 * decides for the director while a delegation lasts (src/unit). */
static const char *const ROLES[] = { "admin", "staff", "group_head", "deputy", "director", "school", "viewer" };

bool auth_role_valid(const char *role)
{
    for (size_t i = 0; role && i < sizeof ROLES / sizeof *ROLES; i++)
        if (!strcmp(role, ROLES[i])) return true;
    return false;
}

bool auth_may_write(const auth_user *u)
{
    return u && strcmp(u->role, "viewer") != 0;
}

bool auth_is_office(const auth_user *u)
{
    return u && strcmp(u->role, "school") != 0 && auth_role_valid(u->role);
}

/* The administrator administers accounts and settings and takes no
 * business decision; who decides what (and a deputy's delegation) is the
 * unit layer's, this says only which roles ever decide. */
bool auth_may_approve(const auth_user *u)
{
    return u && (!strcmp(u->role, "director") || !strcmp(u->role, "deputy") || !strcmp(u->role, "group_head"));
}

bool auth_may_admin(const auth_user *u)
{
    return u && !strcmp(u->role, "admin");
}

char *auth_unix_login(void)
{
    struct passwd pw, *res = NULL;
    char buf[4096];
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res) return strdup(res->pw_name);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "uid%ld", (long)getuid());
    return strdup(tmp);
}

char *auth_hash_password(const char *password)
{
    char *salt = crypt_gensalt_ra("$y$", 0, NULL, 0);
    if (!salt) return NULL;
    struct crypt_data *cd = calloc(1, sizeof *cd);
    char *out = NULL;
    if (cd) {
        const char *h = crypt_r(password, salt, cd);
        if (h && h[0] == '$') out = strdup(h);
        explicit_bzero(cd, sizeof *cd);
        free(cd);
    }
    free(salt);
    return out;
}

bool auth_check_password(const char *hash, const char *password)
{
    if (!hash || !*hash || !password) return false;
    struct crypt_data *cd = calloc(1, sizeof *cd);
    if (!cd) return false;
    const char *h = crypt_r(password, hash, cd);
    bool ok = h && h[0] == '$' && strlen(h) == strlen(hash) && !strcmp(h, hash);
    explicit_bzero(cd, sizeof *cd);
    free(cd);
    return ok;
}

char *auth_ask_secret(const char *prompt)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty) return NULL;
    fprintf(tty, "%s ", prompt);
    fflush(tty);
    struct termios old, quiet;
    bool have = tcgetattr(fileno(tty), &old) == 0;
    if (have) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    char buf[256];
    char *r = fgets(buf, sizeof buf, tty) ? strdup(text_trim(buf)) : NULL;
    if (have) tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
    fclose(tty);
    explicit_bzero(buf, sizeof buf);
    return r;
}

/* The first line read from fd, without its line end; NULL when none. */
static char *password_from_fd(int fd)
{
    char buf[256];
    size_t n = 0;
    while (n + 1 < sizeof buf) {
        ssize_t r = read(fd, buf + n, 1);   /* one byte at a time: leave the rest of fd unread */
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0 || buf[n] == '\n') break;
        n++;
    }
    if (n > 0 && buf[n - 1] == '\r') n--;
    buf[n] = '\0';
    char *pw = n ? strdup(buf) : NULL;
    explicit_bzero(buf, sizeof buf);
    return pw;
}

/* The password of a shared account: from --password-fd, else ESIS_PASSWORD
 * where allowed (a developer's build: scripts, tests), else asked on the
 * terminal. */
static char *read_password(const auth_login_opts *o, const char *login)
{
    if (o->password_fd >= 0) return password_from_fd(o->password_fd);
    const char *env = o->env_password ? getenv("ESIS_PASSWORD") : NULL;
    if (env) return strdup(env);
    char prompt[128];
    snprintf(prompt, sizeof prompt, "esis password for %s:", login);
    return auth_ask_secret(prompt);
}

static const char *msg(const auth_login_opts *o, const char *key)
{
    return o->conf ? conf_msg_lang(o->conf, o->lang ? o->lang : "th", key) : key;
}

/* The password check of a shared account, with the delay and the lock
 * (auth_lockout.c).  True when right; err says why not. */
static bool password_right(sqlite3 *db, const auth_login_opts *o, const char *login, const char *hash,
                           const char *unix_login, char *err, size_t errsz)
{
    auth_failures f;
    if (auth_failures_get(db, login, &f) != 0) {
        snprintf(err, errsz, "cannot read failed logins: %s", sqlite3_errmsg(db));
        return false;
    }
    if (f.locked) {
        snprintf(err, errsz, "%s: %s %s", login, msg(o, "trust.locked"), login);
        return false;
    }
    /* Within the delay after the last failure (another process's, too):
     * wait for its end before checking, so no number of processes tries
     * faster than the delay allows, and the lock stops them all. */
    long long wait = auth_failure_delay_ms(f.failures, o->delay_unit_ms) - f.since_ms;
    if (f.failures > 0 && wait > 0) auth_sleep_ms((int)wait);
    char *pw = read_password(o, login);
    if (!pw) {
        snprintf(err, errsz, "%s: %s", login, msg(o, "trust.no_password"));
        return false;
    }
    bool ok = auth_check_password(hash, pw);
    explicit_bzero(pw, strlen(pw));
    free(pw);
    if (ok) {
        if (auth_failures_clear(db, login, unix_login, o->origin) != 0)
            snprintf(err, errsz, "cannot clear failed logins: %s", sqlite3_errmsg(db));
        return true;
    }
    int n = auth_failure_record(db, login, unix_login, o->origin);
    if (n >= AUTH_MAX_FAILURES)
        snprintf(err, errsz, "%s: %s %s", login, msg(o, "trust.locked"), login);
    else
        snprintf(err, errsz, "wrong password for '%s' (%d/%d)", login, n < 0 ? 0 : n, AUTH_MAX_FAILURES);
    /* The guesser waits too, before trying again from this process. */
    auth_sleep_ms(auth_failure_delay_ms(n, o->delay_unit_ms));
    return false;
}

/* How auth_account_exists opens db_path so that it creates no file: with
 * no -wal beside it, the main file holds everything committed, and
 * immutable=1 reads it without the -wal and -shm a WAL reader would
 * otherwise create in the data directory; with a -wal there, a plain
 * read-only open, which uses the files that are there.  (A user added in
 * the instant a -wal appears is refused once; the next try sees them.) */
static char *reader_uri(const char *db_path)
{
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    struct stat st;
    bool have_wal = stat(wal, &st) == 0;
    size_t n = strlen(db_path);
    char *uri = malloc(n * 3 + 32);
    if (!uri) return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const char *p = db_path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') o += sprintf(o, "%%%02X", (unsigned char)*p);
        else *o++ = *p;
    }
    strcpy(o, have_wal ? "" : "?immutable=1");
    return uri;
}

int auth_account_exists(const char *db_path, const char *requested, int *schema_version,
                        char *err, size_t errsz)
{
    char *unix_login = auth_unix_login();
    const char *login = requested && *requested ? requested : unix_login;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    char *uri = reader_uri(db_path);
    if (!unix_login || !uri) {
        snprintf(err, errsz, "out of memory");
        free(unix_login);
        free(uri);
        return -1;
    }
    int orc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (orc != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
                               " EXISTS (SELECT 1 FROM users WHERE login = ?1)", -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", db_path, db ? sqlite3_errmsg(db) : "out of memory");
    } else {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW && sqlite3_column_int(st, 1)) {
            *schema_version = sqlite3_column_int(st, 0);
            rc = 0;
        } else if (s == SQLITE_ROW) {
            snprintf(err, errsz, "'%s' is not an esis user; ask the office administrator to run:"
                     " esis user add %s --role ...", login, login);
        } else {
            snprintf(err, errsz, "%s: %s", db_path, sqlite3_errmsg(db));
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(unix_login);
    return rc;
}

void auth_user_free(auth_user *u)
{
    if (!u) return;
    free(u->login); free(u->display_name); free(u->role);
    for (int i = 0; i < u->nschools; i++) free(u->schools[i]);
    free(u->schools);
    free(u);
}

static int load_schools(sqlite3 *db, auth_user *u)
{
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, "SELECT school_code FROM user_schools WHERE login = ?1 ORDER BY school_code", &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, u->login, -1, SQLITE_STATIC);
    int rc = 0;
    while (db_step(st) == SQLITE_ROW) {
        char **v = realloc(u->schools, sizeof *v * (size_t)(u->nschools + 1));
        if (!v) { rc = -1; break; }
        u->schools = v;
        if (!(v[u->nschools] = strdup((const char *)sqlite3_column_text(st, 0)))) { rc = -1; break; }
        u->nschools++;
    }
    sqlite3_finalize(st);
    return rc;
}

auth_user *auth_login(sqlite3 *db, const char *requested, const char *origin, char *err, size_t errsz)
{
    auth_login_opts o = { requested, origin, -1, true, 0, NULL, NULL };
    return auth_login_with(db, &o, err, errsz);
}

auth_user *auth_login_with(sqlite3 *db, const auth_login_opts *o, char *err, size_t errsz)
{
    const char *requested = o->requested, *origin = o->origin;
    char *unix_login = auth_unix_login();
    const char *login = requested && *requested ? requested : unix_login;
    sqlite3_stmt *st = NULL;
    auth_user *u = NULL;
    char *hash = NULL;
    if (!unix_login || db_prepare(db, "SELECT login, coalesce(display_name, login), role, coalesce(password_hash, ''),"
                                      " disabled, coalesce(expires < date('now','localtime'), 0), coalesce(expires, '')"
                                      " FROM users WHERE login = ?1", &st) != SQLITE_OK) {
        snprintf(err, errsz, "cannot read users: %s", sqlite3_errmsg(db));
        free(unix_login);
        return NULL;
    }
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    if (db_step(st) != SQLITE_ROW) {
        snprintf(err, errsz, "'%s' is not an esis user; ask the office administrator to run: esis user add %s --role ...",
                 login, login);
    } else if (sqlite3_column_int(st, 4)) {
        snprintf(err, errsz, "the esis user '%s' is disabled", login);
    } else if (sqlite3_column_int(st, 5)) {
        snprintf(err, errsz, "the esis user '%s' expired on %s", login, (const char *)sqlite3_column_text(st, 6));
    } else if ((u = calloc(1, sizeof *u)) != NULL) {
        u->login = strdup((const char *)sqlite3_column_text(st, 0));
        u->display_name = strdup((const char *)sqlite3_column_text(st, 1));
        u->role = strdup((const char *)sqlite3_column_text(st, 2));
        hash = strdup((const char *)sqlite3_column_text(st, 3));
    }
    /* The read ends before a failed password is written (the write must
     * not upgrade this statement's snapshot). */
    sqlite3_finalize(st);
    if (u && !hash) {   /* never let a failed copy skip the password */
        snprintf(err, errsz, "out of memory");
        auth_user_free(u);
        u = NULL;
    }
    if (u && strcmp(login, unix_login) != 0) {
        /* Not one's own login: a shared account; the password decides. */
        bool ok = false;
        if (!*hash)
            snprintf(err, errsz, "'%s' has no password and is not your Unix login (%s)", login, unix_login);
        else
            ok = password_right(db, o, login, hash, unix_login, err, errsz);
        if (!ok) { auth_user_free(u); u = NULL; }
    }
    if (hash) { explicit_bzero(hash, strlen(hash)); free(hash); }
    free(unix_login);
    if (!u) return NULL;
    if (!u->login || !u->display_name || !u->role || load_schools(db, u) != 0) {
        snprintf(err, errsz, "out of memory");
        auth_user_free(u);
        return NULL;
    }
    if (!strcmp(u->role, "school") && u->nschools == 0) {
        snprintf(err, errsz, "the school officer '%s' has no school assigned", u->login);
        auth_user_free(u);
        return NULL;
    }
    db_session *s = &u->session;
    s->login = u->login;
    s->origin = origin;
    s->role = u->role;
    s->all_schools = auth_is_office(u);
    s->may_write = auth_may_write(u);
    /* Viewers read figures, not people: personal data is masked for them. */
    s->see_personal = strcmp(u->role, "viewer") != 0;
    s->schools = u->schools;
    s->nschools = u->nschools;
    return u;
}
