/*
 * ui_filechooser: pick a file to import (include/esis/ui_filechooser.h).
 *
 * The listing and the completion are plain functions over a ui_fc_list;
 * the dialog keeps a current directory, a path line (ui_lineedit) and a
 * selection (ui_list_nav, as every list of the dialogs), and redraws the
 * whole box after a key: it is small, and ncurses sends only what changed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <curses.h>
#include <panel.h>
#include "esis/termsafe.h"
#include "esis/text.h"
#include "esis/ui_dialog.h"
#include "esis/ui_filechooser.h"
#include "esis/ui_lineedit.h"
#include "esis/ui_menu.h"

/* ---- listing ----------------------------------------------------------- */

bool ui_fc_wanted(const char *name, bool dir)
{
    if (!strcmp(name, ".."))
        return dir;
    if (name[0] == '.')         /* ".", and hidden files an office never means */
        return false;
    if (dir)
        return true;
    static const char *const exts[] = {".csv", ".xlsx", ".txt", NULL};
    size_t n = strlen(name);
    for (int i = 0; exts[i]; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && !strcasecmp(name + n - e, exts[i]))
            return true;
    }
    return false;
}

int ui_fc_compare(const void *a, const void *b)
{
    const ui_fc_entry *x = a, *y = b;
    bool xu = !strcmp(x->name, ".."), yu = !strcmp(y->name, "..");
    if (xu != yu)
        return xu ? -1 : 1;
    if (x->dir != y->dir)
        return x->dir ? -1 : 1;
    return strcmp(x->name, y->name);
}

void ui_fc_list_free(ui_fc_list *l)
{
    for (int i = 0; l && i < l->n; i++)
        free(l->v[i].name);
    if (l) {
        free(l->v);
        l->v = NULL;
        l->n = 0;
    }
}

int ui_fc_read(const char *dir, ui_fc_list *out)
{
    out->v = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int cap = 0, rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char full[PATH_MAX];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        /* stat, not lstat: a link to a directory is entered like one */
        bool isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
        if (!ui_fc_wanted(e->d_name, isdir) || (!strcmp(e->d_name, "..") && !strcmp(dir, "/")))
            continue;
        if (out->n == cap) {
            cap = cap ? cap * 2 : 32;
            ui_fc_entry *v = realloc(out->v, (size_t)cap * sizeof *v);
            if (!v) { rc = -1; break; }
            out->v = v;
        }
        char *name = strdup(e->d_name);
        if (!name) { rc = -1; break; }
        out->v[out->n++] = (ui_fc_entry){name, isdir, isdir ? 0 : (long long)st.st_size};
    }
    closedir(d);
    if (rc != 0) {
        ui_fc_list_free(out);
        errno = ENOMEM;
        return -1;
    }
    if (out->n > 1)
        qsort(out->v, (size_t)out->n, sizeof *out->v, ui_fc_compare);
    return 0;
}

int ui_fc_common_prefix(const ui_fc_list *l, const char *prefix, char *out, size_t outsz)
{
    size_t plen = strlen(prefix), common = 0;
    int matches = 0;
    const ui_fc_entry *first = NULL;
    for (int i = 0; i < l->n; i++) {
        const char *nm = l->v[i].name;
        if (strncmp(nm, prefix, plen) != 0 || !strcmp(nm, ".."))
            continue;
        if (!first) {
            first = &l->v[i];
            common = strlen(nm);
        } else {
            size_t k = plen;
            while (k < common && nm[k] == first->name[k])
                k++;
            common = k;
        }
        matches++;
    }
    if (!first) {
        snprintf(out, outsz, "%s", prefix);
        return 0;
    }
    /* never cut a UTF-8 character in two: back up to a lead byte */
    while (common > plen && ((unsigned char)first->name[common] & 0xC0) == 0x80)
        common--;
    snprintf(out, outsz, "%.*s%s", (int)common, first->name,
             matches == 1 && first->dir ? "/" : "");
    return matches;
}

int ui_fc_complete(const char *cwd, const char *typed, char *out, size_t outsz)
{
    const char *slash = strrchr(typed, '/');
    char dir[PATH_MAX], done[PATH_MAX];
    size_t dlen = slash ? (size_t)(slash - typed) + 1 : 0;   /* with its '/' */
    if (!slash)
        snprintf(dir, sizeof dir, "%s", cwd);
    else if (typed[0] == '/')
        snprintf(dir, sizeof dir, "%.*s", (int)(dlen > 1 ? dlen - 1 : 1), typed);
    else
        snprintf(dir, sizeof dir, "%s/%.*s", cwd, (int)dlen - 1, typed);
    ui_fc_list l;
    if (ui_fc_read(dir, &l) != 0)
        return -1;
    int n = ui_fc_common_prefix(&l, typed + dlen, done, sizeof done);
    ui_fc_list_free(&l);
    snprintf(out, outsz, "%.*s%s", (int)dlen, typed, done);
    return n;
}

char *ui_fc_display(const char *name)
{
    char *safe = text_term_safe_dup(name);
    if (!safe)
        return NULL;
    size_t extra = 0;
    for (const char *p = safe; *p; p++)
        extra += *p == '\n' || *p == '\t';
    char *out = malloc(strlen(safe) + extra + 1), *o = out;
    for (const char *p = safe; out && *p; p++) {
        if (*p == '\n' || *p == '\t') {   /* kept by the filter, but a row is one line */
            *o++ = '^';
            *o++ = *p == '\n' ? 'J' : 'I';
        } else {
            *o++ = *p;
        }
    }
    if (out)
        *o = '\0';
    free(safe);
    return out;
}

/* ---- the dialog -------------------------------------------------------- */

typedef struct ui_fc {
    ui_ctx      *ctx;
    char         cwd[PATH_MAX];
    ui_fc_list   list;
    ui_list_nav  nav;
    ui_lineedit *ed;
    ui_overlay   ov;
    const char  *title, *label;
    char         note[256];   /* why the last key did nothing, or "" */
} ui_fc;

static int ui_fc_open(ui_fc *fc)
{
    int w = COLS - 4 < 76 ? COLS - 4 : 76, h = LINES - 2 < 8 ? LINES : LINES - 2;
    if (ui_overlay_open(fc->ctx, &fc->ov, h, w, fc->title) != 0)
        return -1;
    fc->nav.rows = fc->ov.h - 5 > 1 ? fc->ov.h - 5 : 1;
    ui_list_nav_set(&fc->nav, fc->nav.sel);
    return 0;
}

/* Enter directory dir (absolute): list it, or say why not and stay. */
static bool ui_fc_enter(ui_fc *fc, const char *dir)
{
    char real[PATH_MAX];
    ui_fc_list l;
    if (!realpath(dir, real) || ui_fc_read(real, &l) != 0) {
        snprintf(fc->note, sizeof fc->note, "%s %s", ui_msg(fc->ctx, "ui.fc_cannot_open"),
                 strerror(errno));
        return false;
    }
    ui_fc_list_free(&fc->list);
    fc->list = l;
    snprintf(fc->cwd, sizeof fc->cwd, "%s", real);
    fc->nav = (ui_list_nav){.n = l.n, .rows = fc->nav.rows};
    ui_list_nav_set(&fc->nav, 0);
    return true;
}

/* One entry: its name made safe and fitted by display width, then "/" or
 * its size right-aligned, so Thai names line up with Latin ones. */
static void ui_fc_row(ui_fc *fc, int r, int i)
{
    int width = fc->ov.w - 4, attr = i == fc->nav.sel ? fc->ctx->attr_select : 0;
    char line[1024] = "";
    if (i < fc->list.n) {
        const ui_fc_entry *e = &fc->list.v[i];
        char *safe = ui_fc_display(e->name);
        char shown[700], name[768], size[32], right[64];
        snprintf(shown, sizeof shown, "%s%s", safe ? safe : "?", e->dir ? "/" : "");
        if (e->dir)
            snprintf(size, sizeof size, "%s", ui_msg(fc->ctx, "ui.fc_dir"));
        else
            snprintf(size, sizeof size, "%lld", e->size);
        text_fit(name, sizeof name, shown, width - 15, 'l', true);
        text_fit(right, sizeof right, size, 12, 'r', true);
        snprintf(line, sizeof line, "%s  %s", name, right);
        free(safe);
    }
    ui_draw_text(fc->ov.win, 3 + r, 1, i == fc->nav.sel && i < fc->list.n ? ">" : " ", 1, 'l', attr);
    ui_draw_text(fc->ov.win, 3 + r, 2, line, width, 'l', attr);
}

static void ui_fc_draw(ui_fc *fc)
{
    werase(fc->ov.win);
    char *dir = ui_fc_display(fc->cwd);
    char title[PATH_MAX + 256];
    snprintf(title, sizeof title, "%s: %s", fc->title, dir ? dir : "?");
    free(dir);
    ui_draw_box(fc->ctx, fc->ov.win, 0, 0, fc->ov.h, fc->ov.w, title);
    ui_draw_text(fc->ov.win, 1, 2, fc->label, fc->ov.w - 4, 'l', A_BOLD);
    for (int r = 0; r < fc->nav.rows; r++)
        ui_fc_row(fc, r, fc->nav.top + r);
    ui_draw_text(fc->ov.win, fc->ov.h - 2, 2, *fc->note ? fc->note : ui_msg(fc->ctx, "ui.fc_keys"),
                 fc->ov.w - 4, 'l', *fc->note ? fc->ctx->attr_error : fc->ctx->attr_hint_text);
    ui_lineedit_draw(fc->ed, fc->ov.win, 2, 2, fc->ov.w - 4, fc->ctx->attr_field);
    update_panels();
    doupdate();
}

/* typed relative to the current directory, into out; false when too long
 * (out is then "", which names nothing) */
static bool ui_fc_full(const ui_fc *fc, const char *typed, char *out, size_t outsz)
{
    int n = typed[0] == '/'
            ? snprintf(out, outsz, "%s", typed)
            : snprintf(out, outsz, "%s%s%s", fc->cwd, strcmp(fc->cwd, "/") ? "/" : "", typed);
    if (n < 0 || (size_t)n >= outsz) {
        *out = '\0';
        return false;
    }
    return true;
}

/* Enter: a directory is entered, a file chosen (true, into path). */
static bool ui_fc_accept(ui_fc *fc, char *path, size_t pathsz)
{
    const char *typed = ui_lineedit_text_utf8(fc->ed);
    char full[PATH_MAX];
    struct stat st;
    if (*typed)
        ui_fc_full(fc, typed, full, sizeof full);
    else if (fc->nav.sel < fc->list.n)
        ui_fc_full(fc, fc->list.v[fc->nav.sel].name, full, sizeof full);
    else
        return false;
    if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (ui_fc_enter(fc, full))
            ui_lineedit_set_utf8(fc->ed, "");
        return false;
    }
    if (stat(full, &st) != 0) {
        snprintf(fc->note, sizeof fc->note, "%s %s", ui_msg(fc->ctx, "ui.fc_cannot_open"),
                 strerror(errno));
        return false;
    }
    snprintf(path, pathsz, "%s", full);
    return true;
}

static void ui_fc_tab(ui_fc *fc)
{
    char done[PATH_MAX];
    int n = ui_fc_complete(fc->cwd, ui_lineedit_text_utf8(fc->ed), done, sizeof done);
    if (n <= 0) {
        snprintf(fc->note, sizeof fc->note, "%s", ui_msg(fc->ctx, "ui.fc_no_match"));
        beep();
        return;
    }
    if (ui_lineedit_set_utf8(fc->ed, done) != 0)
        beep();
    if (n > 1)   /* more than one: the names are in the list to read */
        snprintf(fc->note, sizeof fc->note, "%s %d", ui_msg(fc->ctx, "ui.fc_matches"), n);
}

bool ui_filechooser_run(ui_ctx *ctx, const char *title, const char *label,
                        char *path, size_t pathsz)
{
    ui_fc fc = {.ctx = ctx, .title = title, .label = label};
    bool chosen = false, done = false;
    fc.ed = ui_lineedit_new(PATH_MAX / 4, UI_LE_ANY);
    const char *home = getenv("HOME");
    if (!fc.ed)
        return false;
    if (!getcwd(fc.cwd, sizeof fc.cwd))
        snprintf(fc.cwd, sizeof fc.cwd, "%s", home && *home ? home : "/");
    if (ui_fc_open(&fc) != 0)
        goto out;
    if (!ui_fc_enter(&fc, fc.cwd))
        ui_fc_enter(&fc, "/");
    int old_cursor = curs_set(1);
    while (!done) {
        ui_fc_draw(&fc);
        ui_key k = ui_keys_read();
        fc.note[0] = '\0';
        int old;
        if (ui_key_is(k, KEY_RESIZE)) {
            ui_overlay_close(&fc.ov);
            if (ctx->redraw)
                ctx->redraw(ctx->redraw_user);
            if (ui_fc_open(&fc) != 0)
                break;
        } else if (k == UI_KEY_ENTER) {
            done = chosen = ui_fc_accept(&fc, path, pathsz);
        } else if (k == UI_KEY_TAB) {
            ui_fc_tab(&fc);
        } else if (ui_keys_is(&ctx->keys, k, UI_ACT_BACK)) {
            done = true;
        } else if ((k == 127 || k == 8 || ui_key_is(k, KEY_BACKSPACE)) &&
                   !*ui_lineedit_text_utf8(fc.ed)) {
            char up[PATH_MAX];
            ui_fc_full(&fc, "..", up, sizeof up);
            ui_fc_enter(&fc, up);
        } else if (ui_list_nav_key(&fc.nav, &ctx->keys, k, &old) != UI_LIST_NONE ||
                   ui_key_is(k, KEY_UP) || ui_key_is(k, KEY_DOWN)) {
            continue;
        } else {
            ui_lineedit_result r = ui_lineedit_key(fc.ed, k);
            if (r != UI_LE_CHANGED && r != UI_LE_MOVED)
                beep();
        }
    }
    if (old_cursor != ERR)
        curs_set(old_cursor);
out:
    ui_overlay_close(&fc.ov);
    ui_fc_list_free(&fc.list);
    ui_lineedit_free(fc.ed);
    return chosen;
}
