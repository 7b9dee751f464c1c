/*
 * conf_layers.c: the settings files read over the packaged conf/esis.ini
 * (the system file, the per-user file, --config: include/esis/conf_where.h),
 * merged key by key into one dictionary before conf.c checks the values.
 *
 * Why merge first and check after: the checks that span keys (size_small <
 * size_medium < size_large) must see the values that will be used, wherever
 * each came from; the origin of each key is kept so that an error still
 * names the file to fix.
 */
#include "conf_internal.h"

#include <iniparser/iniparser.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every key esis.ini knows, by section (NULL-terminated lists). */
static const char *const DATABASE_KEYS[] = { "path", "busy_timeout_ms", NULL };
static const char *const DISPLAY_KEYS[] = { "lang", "color", NULL };
static const char *const OFFICE_KEYS[] = { "name_th", "name_en", NULL };
static const char *const THRESHOLD_KEYS[] = { "size_small", "size_medium", "size_large", "too_young_years",
                                              "over_age_years", "students_per_teacher", NULL };
static const char *const CODE_KEYS[] = { "g_code_pattern", "school_code_pattern", NULL };
static const struct { const char *name; const char *const *keys; } SECTIONS[] = {
    { "database", DATABASE_KEYS }, { "display", DISPLAY_KEYS }, { "office", OFFICE_KEYS },
    { "thresholds", THRESHOLD_KEYS }, { "codes", CODE_KEYS },
};
enum { NSECTIONS = sizeof SECTIONS / sizeof SECTIONS[0] };

/* The keys a layer may set: every known one, or [display]'s alone. */
static const char *const *allowed_keys(const char *section, bool display_only)
{
    if (display_only) return strcmp(section, "display") ? NULL : DISPLAY_KEYS;
    for (int i = 0; i < NSECTIONS; i++)
        if (!strcmp(SECTIONS[i].name, section)) return SECTIONS[i].keys;
    return NULL;
}

/* One layer's dictionary over d: every section checked, then every key set. */
static int merge_one(dictionary *d, dictionary *origin, dictionary *o, const conf_layer *l, char *err,
                     size_t errsz)
{
    const char *only = l->display_only ? ": a per-user file sets only [display] lang and color" : "";
    for (int s = 0; s < iniparser_getnsec(o); s++) {
        const char *sec = iniparser_getsecname(o, s);
        const char *const *keys = allowed_keys(sec, l->display_only);
        const char *unknown = NULL;
        if (!keys) {
            snprintf(err, errsz, "%s [%s]: %s%s", l->path, sec,
                     l->display_only ? "not allowed here" : "esis.ini has no such section", only);
            return 2;
        }
        if (conf_ini_unknown_key(o, sec, keys, NULL, &unknown) != 0) {
            snprintf(err, errsz, "%s: out of memory", l->path);
            return 2;
        }
        if (unknown) {
            snprintf(err, errsz, "%s [%s] %s: %s%s", l->path, sec, unknown,
                     l->display_only ? "not allowed here" : "esis.ini has no such key", only);
            return 2;
        }
        int n = iniparser_getsecnkeys(o, sec);
        const char **names = n > 0 ? calloc((size_t)n, sizeof *names) : NULL;
        if (n > 0 && (!names || !iniparser_getseckeys(o, sec, names))) {
            free(names);
            snprintf(err, errsz, "%s: out of memory", l->path);
            return 2;
        }
        int rc = iniparser_set(d, sec, NULL);
        for (int k = 0; k < n && rc == 0; k++) {
            rc = iniparser_set(d, names[k], iniparser_getstring(o, names[k], ""));
            if (rc == 0) rc = iniparser_set(origin, names[k], l->path);
        }
        free(names);
        if (rc != 0) {
            snprintf(err, errsz, "%s: out of memory", l->path);
            return 2;
        }
    }
    return 0;
}

int conf_layers_merge(void *d, void *origin, const conf_layer *layers, int nlayers, char *err, size_t errsz)
{
    for (int i = 0; i < nlayers; i++) {
        const conf_layer *l = &layers[i];
        if (!l->required && access(l->path, F_OK) != 0 && errno == ENOENT) continue;
        char why[512];
        dictionary *o = conf_ini_load(l->path, why, sizeof why);
        if (!o) {
            snprintf(err, errsz, "%s: %s", l->path, why);
            return 2;
        }
        int rc = merge_one(d, origin, o, l, err, errsz);
        iniparser_freedict(o);
        if (rc) return rc;
    }
    return 0;
}

int conf_path_beside(const char *from, char **path)
{
    if ((*path)[0] == '/') return 0;
    const char *slash = strrchr(from, '/');
    if (!slash) return 0;   /* a file named from "." : its directory is "." too */
    size_t dirlen = (size_t)(slash - from);
    size_t n = dirlen + 1 + strlen(*path) + 1;
    char *p = malloc(n);
    if (!p) return -1;
    snprintf(p, n, "%.*s/%s", (int)dirlen, from, *path);
    free(*path);
    *path = p;
    return 0;
}
