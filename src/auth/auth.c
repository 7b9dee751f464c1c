/*
 * auth.c: logging in (Unix login or password), roles, and turning a user
 * into the db_session the data layer checks.
 */
#define _GNU_SOURCE 1  /* crypt_gensalt_ra, explicit_bzero */
#include "esis/auth.h"
#include "esis/text.h"

#include <crypt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The password of a shared account: ESIS_PASSWORD (scripts, tests), else
 * asked on the terminal. */
static char *read_password(const char *login)
{
    const char *env = getenv("ESIS_PASSWORD");
    if (env) return strdup(env);
    char prompt[128];
    snprintf(prompt, sizeof prompt, "esis password for %s:", login);
    return auth_ask_secret(prompt);
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
    char *unix_login = auth_unix_login();
    const char *login = requested && *requested ? requested : unix_login;
    sqlite3_stmt *st = NULL;
    auth_user *u = NULL;
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
    } else {
        const char *hash = (const char *)sqlite3_column_text(st, 3);
        bool ok = true;
        if (strcmp(login, unix_login) != 0) {
            /* Not one's own login: a shared account; the password decides. */
            if (!*hash) {
                snprintf(err, errsz, "'%s' has no password and is not your Unix login (%s)", login, unix_login);
                ok = false;
            } else {
                char *pw = read_password(login);
                ok = pw && auth_check_password(hash, pw);
                if (pw) { explicit_bzero(pw, strlen(pw)); free(pw); }
                if (!ok) snprintf(err, errsz, "wrong password for '%s'", login);
            }
        }
        if (ok && (u = calloc(1, sizeof *u)) != NULL) {
            u->login = strdup((const char *)sqlite3_column_text(st, 0));
            u->display_name = strdup((const char *)sqlite3_column_text(st, 1));
            u->role = strdup((const char *)sqlite3_column_text(st, 2));
        }
    }
    sqlite3_finalize(st);
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
