/*
 * conf_where: where esis's settings come from on a shared server, and which
 * of them a caller may choose.
 *
 * conf/esis.ini is read in layers, each over the one before (conf_load_layered
 * in include/esis/conf.h does the merging):
 *
 *   1. built-in defaults (src/conf/conf.c)
 *   2. the packaged defaults, HOME/conf/esis.ini (PREFIX/share/esis when
 *      installed; make install replaces them on every upgrade)
 *   3. the system file, SYSCONFDIR/esis/esis.ini (/etc/esis/esis.ini; SYSCONFDIR
 *      is set at build time): this server's settings, the database path
 *      among them; never written by an upgrade
 *   4. the per-user file, $XDG_CONFIG_HOME/esis/esis.ini or
 *      ~/.config/esis/esis.ini: display preferences only ([display] lang and
 *      color); any other key is refused, so no user can point esis at
 *      another database or change a threshold for everyone's checks
 *   5. --config FILE: any key; refused when the caller is untrusted (an
 *      installed setgid esis run by someone not root) unless FILE is under
 *      SYSCONFDIR/esis, which only root can write
 *   6. the command line (--db, --lang), applied by app_open
 *
 * So every user of a server reaches the database the system file names,
 * wherever they start: a relative path in a settings file is taken from that
 * file's directory, never from the caller's current directory.
 */
#ifndef ESIS_CONF_WHERE_H
#define ESIS_CONF_WHERE_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/conf.h"

/* The settings files of one run, lowest first after the packaged defaults.
 * Owns its strings (conf_where_free). */
typedef struct conf_where {
    char      *system;       /* SYSCONFDIR/esis/esis.ini (read when it exists) */
    char      *user;         /* the per-user file, or NULL when there is no home */
    char      *config;       /* --config FILE, or NULL */
    bool       config_refused; /* --config given by an untrusted caller outside
                                * SYSCONFDIR/esis: not read, and app_open refuses
                                * the run (conf.config_refused) */
    conf_layer layers[3];    /* what conf_load_layered reads, built from the above */
    int        nlayers;
} conf_where;

/* The directory of the system settings into buf: the build's
 * ESIS_SYSCONFDIR ("/etc" unless make was given SYSCONFDIR=...) followed by
 * "/esis".  A trusted caller's $ESIS_SYSCONFDIR replaces the build's
 * directory (tests, a developer's tree); an untrusted caller's never does
 * (privilege_clean_environment drops it anyway). */
void conf_where_sysconf(bool untrusted, char *buf, size_t bufsz);

/* Fill w for a run: config is --config's FILE or NULL.  Returns 0, or -1
 * when memory ran out. */
int conf_where_find(conf_where *w, const char *config, bool untrusted);
void conf_where_free(conf_where *w);

#endif
