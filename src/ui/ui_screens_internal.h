/*
 * ui_screens_internal: helpers shared by ui_screens.c (one screen file) and
 * ui_screens_menu.c (menu.ini, the directory, widget descriptions).  Not a
 * public header: only those two files include it.
 */
#ifndef ESIS_UI_SCREENS_INTERNAL_H
#define ESIS_UI_SCREENS_INTERNAL_H

#include <stddef.h>
#include <iniparser/iniparser.h>
#include "esis/conf.h"
#include "esis/ui_screens.h"

typedef struct ui_screens_loader {
    const char        *file;     /* for messages */
    dictionary        *d;
    const esis_schema *schema;
    const esis_conf   *conf;
    char              *err;
    size_t             errsz;
} ui_screens_loader;

/* Write "file [sec] key: what" (fmt has one %s for arg) and return -1. */
int ui_screens_fail(ui_screens_loader *L, const char *sec, const char *key,
                    const char *fmt, const char *arg);
/* A non-empty value or NULL. */
const char *ui_screens_get(ui_screens_loader *L, const char *sec, const char *key);
char *ui_screens_dup(const char *s);
int ui_screens_words(const char *s, char ***out, int *n);
void ui_screens_words_free(char **v, int n);
int ui_screens_check_keys(ui_screens_loader *L, const char *sec,
                          const char *const *allowed);
/* Load one screen file (L->d) named name into sc. */
int ui_screens_load_screen(ui_screens_loader *L, const char *name, ui_screen *sc);
void ui_screen_free(ui_screen *sc);

#endif
