/*
 * ui_screens_menu: the part of ui_screens that reads screens/menu.ini, walks
 * the directory, and turns definitions into widget descriptions.  Split
 * from ui_screens.c to keep each file to one job: that one checks a screen
 * file, this one ties the files together.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iniparser/iniparser.h>
#include "esis/conf.h"
#include "esis/text.h"
#include "esis/ui_screens.h"
#include "ui_screens_internal.h"

static const char *const ui_menu_actions[] = {"check", "drafts", "audit",
    "import", "lang", "quit", NULL};
static const char *const ui_menu_action_prefixes[] = {"report:", "import:",
    "export:", NULL};

static bool ui_action_known(const char *a)
{
    for (int i = 0; ui_menu_actions[i]; i++)
        if (strcmp(a, ui_menu_actions[i]) == 0)
            return true;
    for (int i = 0; ui_menu_action_prefixes[i]; i++) {
        size_t n = strlen(ui_menu_action_prefixes[i]);
        if (strncmp(a, ui_menu_action_prefixes[i], n) == 0 && a[n])
            return true;
    }
    return false;
}

static int ui_load_item(ui_screens_loader *L, const char *sec, ui_screen_item *it)
{
    static const char *const keys[] = {"label_th", "label_en", "key", "menu",
        "screen", "action", "roles", NULL};
    if (ui_screens_check_keys(L, sec, keys) != 0)
        return -1;
    it->name = strdup(sec + strlen("item."));
    it->label[0] = ui_screens_dup(ui_screens_get(L, sec, "label_th"));
    it->label[1] = ui_screens_dup(ui_screens_get(L, sec, "label_en"));
    if (!it->label[0] || !it->label[1])
        return ui_screens_fail(L, sec, it->label[0] ? "label_en" : "label_th", "missing%s", NULL);
    const char *k = ui_screens_get(L, sec, "key");
    if (k) {
        unsigned cp;
        int used = text_utf8_decode(k, strlen(k), &cp);
        if (k[used] != '\0')
            return ui_screens_fail(L, sec, "key", "'%s' is not one character", k);
        it->key = (ui_key)cp;
    }
    it->menu = ui_screens_dup(ui_screens_get(L, sec, "menu"));
    it->screen = ui_screens_dup(ui_screens_get(L, sec, "screen"));
    it->action = ui_screens_dup(ui_screens_get(L, sec, "action"));
    if (!!it->menu + !!it->screen + !!it->action != 1)
        return ui_screens_fail(L, sec, NULL, "needs exactly one of menu, screen, action%s", NULL);
    if (it->action && !ui_action_known(it->action))
        return ui_screens_fail(L, sec, "action", "unknown action '%s'", it->action);
    if (ui_screens_words(ui_screens_get(L, sec, "roles"), &it->roles, &it->nroles) != 0)
        return -1;
    return 0;
}

static int ui_load_menu(ui_screens_loader *L, ui_screens *s, const char *sec,
                        ui_screen_menu *m)
{
    static const char *const keys[] = {"title_th", "title_en", "items", NULL};
    if (ui_screens_check_keys(L, sec, keys) != 0)
        return -1;
    m->name = strdup(sec + strlen("menu."));
    m->title[0] = ui_screens_dup(ui_screens_get(L, sec, "title_th"));
    m->title[1] = ui_screens_dup(ui_screens_get(L, sec, "title_en"));
    char **names;
    int n;
    if (ui_screens_words(ui_screens_get(L, sec, "items"), &names, &n) != 0)
        return -1;
    int rc = n == 0 ? ui_screens_fail(L, sec, "items", "missing%s", NULL) : 0;
    m->items = calloc((size_t)(n ? n : 1), sizeof *m->items);
    for (int i = 0; rc == 0 && i < n; i++) {
        int k = 0;
        while (k < s->nitems && strcmp(s->items[k].name, names[i]) != 0)
            k++;
        if (k == s->nitems)
            rc = ui_screens_fail(L, sec, "items", "no [item.%s] section", names[i]);
        else
            m->items[m->nitems++] = k;
    }
    ui_screens_words_free(names, n);
    return rc;
}

/* menu.ini: items first (menus refer to them), then menus, then the links
 * from items to menus and screens. */
static int ui_load_menus(ui_screens_loader *L, ui_screens *s)
{
    int nsec = iniparser_getnsec(L->d);
    s->items = calloc((size_t)(nsec ? nsec : 1), sizeof *s->items);
    s->menus = calloc((size_t)(nsec ? nsec : 1), sizeof *s->menus);
    if (!s->items || !s->menus)
        return -1;
    for (int i = 0; i < nsec; i++) {
        const char *sec = iniparser_getsecname(L->d, i);
        if (strncmp(sec, "item.", 5) == 0) {
            if (ui_load_item(L, sec, &s->items[s->nitems++]) != 0)
                return -1;
        } else if (strncmp(sec, "menu.", 5) != 0) {
            return ui_screens_fail(L, sec, NULL, "unknown section (menu.NAME, item.NAME)%s", NULL);
        }
    }
    for (int i = 0; i < nsec; i++) {
        const char *sec = iniparser_getsecname(L->d, i);
        if (strncmp(sec, "menu.", 5) == 0 &&
            ui_load_menu(L, s, sec, &s->menus[s->nmenus++]) != 0)
            return -1;
    }
    if (!ui_screens_menu(s, "main"))
        return ui_screens_fail(L, "menu.main", NULL, "missing: the top menu%s", NULL);
    return 0;
}

static int ui_check_links(ui_screens_loader *L, ui_screens *s)
{
    for (int i = 0; i < s->nitems; i++) {
        ui_screen_item *it = &s->items[i];
        char sec[160];
        snprintf(sec, sizeof sec, "item.%s", it->name);
        if (it->menu && !ui_screens_menu(s, it->menu))
            return ui_screens_fail(L, sec, "menu", "no [menu.%s] section", it->menu);
        if (it->screen && !ui_screens_find(s, it->screen))
            return ui_screens_fail(L, sec, "screen", "no file screens/%s.ini", it->screen);
    }
    return 0;
}

static int ui_load_file(ui_screens_loader *L, const char *dir, const char *name,
                        char *path, size_t pathsz)
{
    snprintf(path, pathsz, "%s/%s", dir, name);
    L->file = path;
    char why[512];
    L->d = conf_ini_load(path, why, sizeof why);
    if (!L->d) {
        snprintf(L->err, L->errsz, "%s: %s", path, why);
        return -1;
    }
    return 0;
}

int ui_screens_load(const char *dir, const esis_schema *schema,
                    const struct esis_conf *conf, ui_screens **out,
                    char *err, size_t errsz)
{
    ui_screens_loader L = {.schema = schema, .conf = conf, .err = err, .errsz = errsz};
    ui_screens *s = calloc(1, sizeof *s);
    DIR *dp = opendir(dir);
    char path[1024];
    int rc = -1;
    *out = NULL;
    if (!s || !dp) {
        snprintf(err, errsz, "%s: cannot open the screens directory", dir);
        goto done;
    }
    int cap = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".ini") || strcmp(de->d_name, "menu.ini") == 0)
            continue;
        if (s->nscreens == cap) {
            cap = cap ? cap * 2 : 16;
            ui_screen *v = realloc(s->screens, (size_t)cap * sizeof *v);
            if (!v)
                goto done;
            s->screens = v;
        }
        ui_screen *sc = &s->screens[s->nscreens++];
        memset(sc, 0, sizeof *sc);
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n - 4), de->d_name);
        if (ui_load_file(&L, dir, de->d_name, path, sizeof path) != 0)
            goto done;
        int r = ui_screens_load_screen(&L, name, sc);
        iniparser_freedict(L.d);
        if (r != 0)
            goto done;
    }
    if (ui_load_file(&L, dir, "menu.ini", path, sizeof path) != 0)
        goto done;
    int r = ui_load_menus(&L, s);
    if (r == 0)
        r = ui_check_links(&L, s);
    iniparser_freedict(L.d);
    if (r != 0)
        goto done;
    *out = s;
    s = NULL;
    rc = 0;
done:
    if (dp)
        closedir(dp);
    ui_screens_free(s);
    return rc;
}

void ui_screens_free(ui_screens *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nscreens; i++)
        ui_screen_free(&s->screens[i]);
    free(s->screens);
    for (int i = 0; i < s->nmenus; i++) {
        free(s->menus[i].name);
        free(s->menus[i].title[0]);
        free(s->menus[i].title[1]);
        free(s->menus[i].items);
    }
    free(s->menus);
    for (int i = 0; i < s->nitems; i++) {
        ui_screen_item *it = &s->items[i];
        free(it->name); free(it->label[0]); free(it->label[1]);
        free(it->menu); free(it->screen); free(it->action);
        ui_screens_words_free(it->roles, it->nroles);
    }
    free(s->items);
    free(s);
}

const ui_screen *ui_screens_find(const ui_screens *s, const char *name)
{
    for (int i = 0; i < s->nscreens; i++)
        if (strcmp(s->screens[i].name, name) == 0)
            return &s->screens[i];
    return NULL;
}

const ui_screen_menu *ui_screens_menu(const ui_screens *s, const char *name)
{
    for (int i = 0; i < s->nmenus; i++)
        if (s->menus[i].name && strcmp(s->menus[i].name, name) == 0)
            return &s->menus[i];
    return NULL;
}

static bool ui_role_in(char *const *roles, int n, const char *role)
{
    for (int i = 0; i < n; i++)
        if (role && strcmp(roles[i], role) == 0)
            return true;
    return false;
}

bool ui_screens_item_allowed(const ui_screen_item *it, const char *role)
{
    return it->nroles == 0 || ui_role_in(it->roles, it->nroles, role);
}

bool ui_screen_may_edit(const ui_screen *sc, const char *role)
{
    return ui_role_in(sc->edit_roles, sc->nedit, role);
}

bool ui_screen_may_delete(const ui_screen *sc, const char *role)
{
    return ui_role_in(sc->delete_roles, sc->ndelete, role);
}

ui_field_desc *ui_screen_form_fields(const ui_screen *sc, int lang)
{
    lang = lang ? 1 : 0;
    ui_field_desc *d = calloc((size_t)(sc->nform ? sc->nform : 1), sizeof *d);
    for (int i = 0; d && i < sc->nform; i++) {
        const ui_screen_field *f = &sc->fields[sc->form[i]];
        d[i] = (ui_field_desc){f->label[lang], f->column, f->type, f->width,
                               f->max, f->required,
                               f->items ? f->items + lang * f->nitems : NULL,
                               f->nitems, f->help[lang], f->read_only};
    }
    return d;
}

ui_table_col *ui_screen_list_cols(const ui_screen *sc, int lang)
{
    lang = lang ? 1 : 0;
    ui_table_col *c = calloc((size_t)(sc->nlist ? sc->nlist : 1), sizeof *c);
    for (int i = 0; c && i < sc->nlist; i++) {
        const ui_screen_field *f = &sc->fields[sc->list[i]];
        c[i] = (ui_table_col){f->heading[lang] ? f->heading[lang] : f->label[lang],
                              f->width, f->align, true};
    }
    return c;
}
