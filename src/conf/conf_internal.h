/*
 * conf_internal.h: what the files of src/conf share and nothing else uses.
 */
#ifndef ESIS_CONF_INTERNAL_H
#define ESIS_CONF_INTERNAL_H

#include <stddef.h>
#include "esis/conf.h"

/* conf.c: esis.ini (with the layers over it) and rounds.ini into c. */
int conf_load_settings_and_rounds(const char *home, const conf_layer *layers, int nlayers, esis_conf *c,
                                  char *err, size_t errsz);

/* conf_layers.c: each layer's keys set over d, the iniparser dictionary of
 * the packaged esis.ini, in order; origin (an iniparser dictionary) gets
 * "section:key" -> the path of the layer that set it last.  A key esis.ini
 * does not know, or one outside [display] lang and color in a display-only
 * layer, is refused.  Returns 0, or 2 with err "FILE [section] key: why". */
int conf_layers_merge(void *d, void *origin, const conf_layer *layers, int nlayers, char *err, size_t errsz);

/* *path, relative, made relative to the directory of the file `from`
 * instead of the current directory (a full path is left alone).  0, or -1
 * when memory ran out. */
int conf_path_beside(const char *from, char **path);

#endif
