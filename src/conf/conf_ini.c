/*
 * conf_ini: iniparser_load with the checks iniparser 4.1 does not make.
 *
 * iniparser merges a section that appears twice into one, the later keys
 * silently winning (doc/probes.md, section 1), so a rule or a year pasted
 * twice would change behaviour without a word.  conf_ini_load reads the file
 * once first and refuses a section that appears twice (section names are
 * compared as iniparser stores them: ASCII case folded, spaces trimmed),
 * naming both lines; then it loads with iniparser, turning its messages
 * (a line too long, a line without '=') into the error instead of stderr.
 *
 * iniparser's error callback takes no user pointer, so its last message is
 * kept in a buffer per thread, cleared before each load.
 */
#include "esis/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iniparser/iniparser.h>

static _Thread_local char conf_ini_error[512];

static int conf_ini_errback(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(conf_ini_error, sizeof conf_ini_error, fmt, ap);
    va_end(ap);
    size_t n = strlen(conf_ini_error);
    while (n > 0 && (conf_ini_error[n - 1] == '\n' || conf_ini_error[n - 1] == ' ')) conf_ini_error[--n] = '\0';
    return 0;
}

typedef struct conf_ini_sec { char *name; int line; } conf_ini_sec;

/* The section name of a "[name]" line, folded as iniparser does, or NULL. */
static char *conf_ini_section(const char *line)
{
    while (*line == ' ' || *line == '\t') line++;
    if (*line != '[') return NULL;
    const char *close = strchr(line, ']');
    if (!close) return NULL;
    line++;
    while (line < close && isspace((unsigned char)*line)) line++;
    while (close > line && isspace((unsigned char)close[-1])) close--;
    char *s = strndup(line, (size_t)(close - line));
    for (char *p = s; p && *p; p++) *p = (char)tolower((unsigned char)*p);
    return s;
}

static int conf_ini_prescan(FILE *fp, const char *display, char *err, size_t errsz)
{
    conf_ini_sec *secs = NULL;
    int n = 0, cap = 0, lineno = 0, rc = 0;
    char line[1100];
    bool whole = true;
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        bool starts = whole;           /* this piece starts a line */
        whole = strchr(line, '\n') != NULL;
        if (!starts) continue;
        lineno++;
        char *name = conf_ini_section(line);
        if (!name) continue;
        for (int i = 0; i < n && rc == 0; i++)
            if (!strcmp(secs[i].name, name)) {
                snprintf(err, errsz, "%s [%s]: the section appears twice (lines %d and %d)",
                         display, name, secs[i].line, lineno);
                rc = -1;
            }
        if (rc == 0 && n == cap) {
            cap = cap ? cap * 2 : 32;
            conf_ini_sec *v = realloc(secs, sizeof *v * (size_t)cap);
            if (!v) { snprintf(err, errsz, "%s: out of memory", display); rc = -1; }
            else secs = v;
        }
        if (rc == 0) secs[n++] = (conf_ini_sec){ name, lineno };
        else free(name);
    }
    for (int i = 0; i < n; i++) free(secs[i].name);
    free(secs);
    return rc;
}

dictionary *conf_ini_load(const char *path, const char *display, char *err, size_t errsz)
{
    if (!display) display = path;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errsz, "%s: %s", display, strerror(errno));
        return NULL;
    }
    int rc = conf_ini_prescan(fp, display, err, errsz);
    fclose(fp);
    if (rc != 0) return NULL;
    conf_ini_error[0] = '\0';
    iniparser_set_error_callback(conf_ini_errback);
    dictionary *d = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (!d) snprintf(err, errsz, "%s: %s", display, conf_ini_error[0] ? conf_ini_error : "cannot be parsed");
    return d;
}
