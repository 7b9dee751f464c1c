/*
 * ui_screens: the screen definitions under screens/ (menu.ini and one
 * NAME.ini per list-and-form screen, described in screens/README.md), read
 * once at start and checked against the database schema and the code
 * lists, so a typo in a column, a lookup or a key is an error that names
 * the file, the section and the key before any screen opens, never a crash
 * later.
 *
 * Unknown keys are errors too ("requried = yes" would otherwise silently
 * make a field optional).
 *
 * Ownership: ui_screens_load returns a ui_screens the caller frees with
 * ui_screens_free; everything inside belongs to it.  The ui_field_desc,
 * ui_table_col and ui_menu arrays made by the ui_screens_* helpers belong to
 * the caller (free with free(); their strings are borrowed from the
 * ui_screens and the conf).
 */
#ifndef ESIS_UI_SCREENS_H
#define ESIS_UI_SCREENS_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/record.h"
#include "esis/ui_form.h"
#include "esis/ui_menu.h"
#include "esis/ui_table.h"

struct esis_conf;

typedef struct ui_screen_field {
    char *column;
    char *label[2];     /* [0] Thai, [1] English */
    char *heading[2];   /* list heading; NULL: the label */
    char *help[2];
    ui_field_type type;
    int   width;
    int   max;          /* characters typed at most; 0: by type (ui_form_max) */
    char  align;        /* 'l', 'r', 'c' */
    bool  required, read_only;
    char *lookup;       /* code list name (type code), or NULL */
    ui_pick_item *items; /* the lookup list in each language, owned */
    int   nitems;
} ui_screen_field;

typedef struct ui_screen {
    char  *name;        /* "students" */
    char  *file;        /* "screens/students.ini", for messages */
    char  *table;
    char  *title[2];
    char  *sort;
    char **search;   int nsearch;
    char  *search_fts;
    char  *count_from;   /* counts table the list's count reads (db_cursor_def) */
    char **filters;  int nfilters;
    char **edit_roles;   int nedit;
    char **delete_roles; int ndelete;
    char **actions;  int nactions;
    char  *fix_into;
    bool   scope_round, rules;
    ui_screen_field *fields; int nfields;   /* every [field.X] */
    int   *list;  int nlist;                /* indexes into fields */
    int   *form;  int nform;
} ui_screen;

typedef struct ui_screen_item {
    char  *name;
    char  *label[2];
    ui_key key;
    char  *menu, *screen, *action;   /* exactly one is set */
    char **roles; int nroles;        /* empty: everyone */
} ui_screen_item;

typedef struct ui_screen_menu {
    char *name;
    char *title[2];
    int  *items; int nitems;         /* indexes into ui_screens.items */
} ui_screen_menu;

typedef struct ui_screens {
    ui_screen      *screens; int nscreens;
    ui_screen_menu *menus;   int nmenus;
    ui_screen_item *items;   int nitems;
} ui_screens;

/* Read dir/menu.ini and every other dir/NAME.ini; check them against
 * schema (tables and columns) and conf (code lists; may be NULL to skip).
 * Returns 0, or -1 with err like
 * "screens/students.ini [field.grade] lookup: no code list 'grades'". */
int ui_screens_load(const char *dir, const esis_schema *schema,
                    const struct esis_conf *conf, ui_screens **out,
                    char *err, size_t errsz);
void ui_screens_free(ui_screens *s);

const ui_screen *ui_screens_find(const ui_screens *s, const char *name);
const ui_screen_menu *ui_screens_menu(const ui_screens *s, const char *name);

/* May a user of role see the item / edit / delete on the screen? */
bool ui_screens_item_allowed(const ui_screen_item *it, const char *role);
bool ui_screen_may_edit(const ui_screen *sc, const char *role);
bool ui_screen_may_delete(const ui_screen *sc, const char *role);

/* The widget descriptions in a language (lang 0 Thai, 1 English). */
ui_field_desc *ui_screen_form_fields(const ui_screen *sc, int lang);
ui_table_col  *ui_screen_list_cols(const ui_screen *sc, int lang);

#endif
