/*
 * conf_where.c: the settings files of one run (include/esis/conf_where.h has
 * the layers and who may choose which).
 *
 * Why the trust check lives here and not in the loader: which files are
 * read is decided once, before any is opened, from the caller's trust and
 * the build's directories alone; the loader then only merges what it is
 * given, the same way for everyone.
 */
#include "esis/conf_where.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ESIS_SYSCONFDIR
#define ESIS_SYSCONFDIR "/etc"
#endif

void conf_where_sysconf(bool untrusted, char *buf, size_t bufsz)
{
    const char *env = untrusted ? NULL : getenv("ESIS_SYSCONFDIR");
    snprintf(buf, bufsz, "%s/esis", env && *env ? env : ESIS_SYSCONFDIR);
}

/* $XDG_CONFIG_HOME/esis/esis.ini, else $HOME/.config/esis/esis.ini; NULL
 * with neither.  (An untrusted caller's HOME is the password database's,
 * set by privilege_clean_environment, and its XDG_CONFIG_HOME is gone.) */
static char *user_file(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char path[PATH_MAX];
    if (xdg && xdg[0] == '/') snprintf(path, sizeof path, "%s/esis/esis.ini", xdg);
    else if (home && home[0] == '/') snprintf(path, sizeof path, "%s/.config/esis/esis.ini", home);
    else return NULL;
    return strdup(path);
}

/* Whether path, with every link and ".." resolved, is inside dir: the
 * file an untrusted --config may name must be root's to write. */
static bool inside(const char *path, const char *dir)
{
    char real[PATH_MAX], realdir[PATH_MAX];
    if (!realpath(path, real) || !realpath(dir, realdir)) return false;
    size_t n = strlen(realdir);
    return !strncmp(real, realdir, n) && real[n] == '/';
}

int conf_where_find(conf_where *w, const char *config, bool untrusted)
{
    memset(w, 0, sizeof *w);
    char sysdir[PATH_MAX], path[PATH_MAX + 16];
    conf_where_sysconf(untrusted, sysdir, sizeof sysdir);
    snprintf(path, sizeof path, "%s/esis.ini", sysdir);
    if (!(w->system = strdup(path))) return -1;
    w->layers[w->nlayers++] = (conf_layer){ w->system, false, false };
    if ((w->user = user_file()) != NULL)
        w->layers[w->nlayers++] = (conf_layer){ w->user, false, true };
    if (config && *config) {
        if (untrusted && !inside(config, sysdir)) {
            w->config_refused = true;
        } else {
            if (!(w->config = strdup(config))) { conf_where_free(w); return -1; }
            w->layers[w->nlayers++] = (conf_layer){ w->config, true, false };
        }
    }
    return 0;
}

void conf_where_free(conf_where *w)
{
    free(w->system);
    free(w->user);
    free(w->config);
    memset(w, 0, sizeof *w);
}
