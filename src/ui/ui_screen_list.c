/*
 * ui_screen_list: a screen definition's list over a db_cursor, and the
 * screen's key loop (see include/esis/ui_screen_list.h).
 *
 * The ui_table anchors are "<id>:<cursor anchor>": the table hands them back
 * opaquely for the next page, and the loop reads the id of the row under
 * the cursor from them without another query.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/text.h"
#include "esis/ui_dialog.h"
#include "esis/ui_screen_list.h"

static const ui_hint ui_list_hints[] = {
    {UI_ACT_HELP, "ui.hint_help"},     {UI_ACT_EDIT, "ui.hint_edit"},
    {UI_ACT_ADD, "ui.hint_add"},       {UI_ACT_DELETE, "ui.hint_delete"},
    {UI_ACT_SEARCH, "ui.hint_search"}, {UI_ACT_FILTER, "ui.hint_filter"},
    {UI_ACT_SORT, "ui.hint_sort"},     {UI_ACT_BACK, "ui.hint_back"},
    {UI_ACT_QUIT, "ui.hint_quit"},
};
#define UI_LIST_NHINTS ((int)(sizeof ui_list_hints / sizeof ui_list_hints[0]))
/* a screen with actions (submissions) or a fix (quarantine) shows its key */
static const ui_hint ui_list_action_hints[] = {
    {UI_ACT_HELP, "ui.hint_help"},     {UI_ACT_EDIT, "ui.hint_edit"},
    {UI_ACT_ACTIONS, "ui.hint_actions"}, {UI_ACT_FLAGS, "ui.hint_flags"},
    {UI_ACT_SEARCH, "ui.hint_search"}, {UI_ACT_FILTER, "ui.hint_filter"},
    {UI_ACT_BACK, "ui.hint_back"},     {UI_ACT_QUIT, "ui.hint_quit"},
};
#define UI_LIST_NACTION_HINTS ((int)(sizeof ui_list_action_hints / sizeof ui_list_action_hints[0]))

/* ---- cells ----------------------------------------------------------- */

/* The text shown for value v of list column k. */
static const char *ui_list_cell(const ui_screen_list *l, int k, const char *v,
                                char *buf, size_t bufsz)
{
    const ui_screen_field *f = &l->sc->fields[l->sc->list[k]];
    const char *lang = l->env->lang ? "en" : "th";
    text_date d;
    if (!v || !*v)
        return "";
    switch (f->type) {
    case UI_FIELD_CODE:
        return f->lookup ? conf_code_label(l->env->app->conf, f->lookup, v, lang) : v;
    case UI_FIELD_DATE:
        if (text_date_parse(v, &d)) {
            text_date_be(d, buf);
            return buf;
        }
        return v;
    case UI_FIELD_YESNO:
        return ui_msg(l->env->ctx, strcmp(v, "0") ? "ui.yes" : "ui.no");
    default:
        (void)bufsz;
        return v;
    }
}

typedef struct ui_list_fill {
    ui_screen_list *l;
    ui_table_row   *out;
    long long      *ids;
    int             n;
} ui_list_fill;

static int ui_list_collect(void *user, const db_cursor_row *row)
{
    ui_list_fill *fill = user;
    ui_screen_list *l = fill->l;
    const char *cells[UI_TABLE_MAX_COLS];
    char bufs[UI_TABLE_MAX_COLS][16];
    for (int k = 0; k < l->sc->nlist && k < UI_TABLE_MAX_COLS; k++)
        cells[k] = ui_list_cell(l, k, row->values[k], bufs[k], sizeof bufs[k]);
    size_t alen = strlen(row->anchor) + 32;
    char *anchor = malloc(alen);
    if (!anchor)
        return 1;
    snprintf(anchor, alen, "%lld:%s", row->id, row->anchor);
    int rc = ui_table_row_set(&fill->out[fill->n], l->sc->nlist, cells, ' ', anchor);
    free(anchor);
    if (rc != 0)
        return 1;
    fill->ids[fill->n++] = row->id;
    return 0;
}

/* One fetch through the cursor, then the page's flag markers in one query. */
static int ui_list_fetch(ui_screen_list *l, db_page_where where, const char *anchor,
                         int n, ui_table_row *out)
{
    const char *cursor_anchor = anchor ? strchr(anchor, ':') : NULL;
    if (anchor && !cursor_anchor)
        return -1;
    long long *ids = calloc((size_t)n, sizeof *ids);
    char *marks = malloc((size_t)n);
    if (!ids || !marks) {
        free(ids);
        free(marks);
        return -1;
    }
    ui_list_fill fill = {l, out, ids, 0};
    int got = db_cursor_fetch(l->cursor, where, cursor_anchor ? cursor_anchor + 1 : NULL, n,
                              ui_list_collect, &fill);
    if (got >= 0 && fill.n < got)
        got = -1;   /* out of memory in the middle */
    if (got < 0) {
        for (int i = 0; i < fill.n; i++)
            ui_table_row_clear(&out[i], l->sc->nlist);
        got = -1;
    } else if (l->sc->rules && got > 0 &&
               db_flags_marks(l->env->app->db, l->sc->table, ids, got, marks) == 0) {
        for (int i = 0; i < got; i++)
            out[i].flag = marks[i];
    }
    free(ids);
    free(marks);
    return got;
}

/* ---- the ui_table_source ------------------------------------------------ */

static int src_page(void *user, const char *anchor, ui_fetch_dir dir, int n,
                    ui_table_row *out)
{
    db_page_where w = dir == UI_FETCH_BEFORE ? DB_PAGE_BEFORE
                    : dir == UI_FETCH_AFTER ? DB_PAGE_AFTER : DB_PAGE_AT;
    return ui_list_fetch(user, w, anchor, n, out);
}

static int src_first(void *user, int n, ui_table_row *out)
{
    return ui_list_fetch(user, DB_PAGE_FIRST, NULL, n, out);
}

static int src_last(void *user, int n, ui_table_row *out)
{
    return ui_list_fetch(user, DB_PAGE_LAST, NULL, n, out);
}

/* Narrow to the rows matching text; "" with n 0 ends the search. */
static int src_search(void *user, const char *text, int n, ui_table_row *out)
{
    ui_screen_list *l = user;
    if (db_cursor_search(l->cursor, text) != 0)
        return -1;
    l->count = -1;
    return n > 0 ? ui_list_fetch(l, DB_PAGE_FIRST, NULL, n, out) : 0;
}

static long src_count(void *user)
{
    ui_screen_list *l = user;
    return l->count;
}

static bool src_count_exact(void *user)
{
    ui_screen_list *l = user;
    return l->count_exact;
}

static int src_sort(void *user, int col, bool desc)
{
    ui_screen_list *l = user;
    const ui_screen_field *f = &l->sc->fields[l->sc->list[col]];
    return db_cursor_sort(l->cursor, f->column, desc);
}

static int src_filter(void *user, const char *text)
{
    ui_screen_list *l = user;
    int rc = ui_screen_list_filter(l, text, l->status, sizeof l->status);
    if (rc != 0) {
        l->status_kind = UI_STATUS_ERROR;
        l->status_dirty = true;
    }
    return rc;
}

ui_table_source ui_screen_list_source(ui_screen_list *l)
{
    return (ui_table_source){l, src_page, src_first, src_last, src_search,
                             src_count, src_sort, src_filter, src_count_exact};
}

/* ---- filters -------------------------------------------------------------- */

static bool ui_list_names_field(const ui_screen_field *f, const char *name)
{
    if (!strcmp(f->column, name))
        return true;
    for (int g = 0; g < 2; g++)
        if ((f->label[g] && !strcmp(f->label[g], name)) ||
            (f->heading[g] && !strcmp(f->heading[g], name)))
            return true;
    return false;
}

/* The column a filter word names, or NULL when it is not one of the
 * screen's filter columns. */
static const ui_screen_field *ui_list_filter_field(const ui_screen *sc,
                                                   const char *name)
{
    for (int k = 0; k < sc->nfilters; k++)
        for (int i = 0; i < sc->nfields; i++)
            if (!strcmp(sc->fields[i].column, sc->filters[k]) &&
                ui_list_names_field(&sc->fields[i], name))
                return &sc->fields[i];
    for (int k = 0; k < sc->nfilters; k++)
        if (!strcmp(sc->filters[k], name))
            return NULL;   /* a filter column without a field: by name only */
    return NULL;
}

/* A code typed as its label in either language becomes the code. */
static const char *ui_list_filter_value(const ui_screen_field *f, const char *v)
{
    for (int k = 0; f && k < 2 * f->nitems; k++)
        if (!strcmp(f->items[k].label, v))
            return f->items[k].code;
    return v;
}

int ui_screen_list_filter(ui_screen_list *l, const char *text, char *err,
                          size_t errsz)
{
    char *buf = strdup(text ? text : "");
    if (!buf)
        return -1;
    db_cursor_filters_clear(l->cursor);
    l->count = -1;
    int rc = 0;
    for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w;
         w = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(w, '=');
        const ui_screen_field *f = NULL;
        const char *col = NULL;
        if (eq) {
            *eq = '\0';
            f = ui_list_filter_field(l->sc, w);
            for (int k = 0; !f && k < l->sc->nfilters; k++)
                if (!strcmp(l->sc->filters[k], w))
                    col = l->sc->filters[k];
            if (f)
                col = f->column;
        }
        if (!col || db_cursor_filter(l->cursor, col, ui_list_filter_value(f, eq + 1)) != 0) {
            if (eq)
                *eq = '=';
            snprintf(err, errsz, "%s %s", ui_msg(l->env->ctx, "ui.bad_filter"), w);
            db_cursor_filters_clear(l->cursor);
            rc = -1;
            break;
        }
    }
    free(buf);
    return rc;
}

/* ---- open ------------------------------------------------------------------- */

ui_screen_list *ui_screen_list_open(ui_screen_env *env, const ui_screen *sc,
                                    int y, int h, int w, char *err,
                                    size_t errsz)
{
    ui_screen_list *l = calloc(1, sizeof *l);
    const char **cols = calloc((size_t)sc->nlist + 1, sizeof *cols);
    if (!l || !cols) {
        free(l);
        free(cols);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    l->env = env;
    l->sc = sc;
    l->count = -1;
    for (int k = 0; k < sc->nlist; k++)
        cols[k] = sc->fields[sc->list[k]].column;
    const esis_table *t = schema_table(env->app->schema, sc->table);
    db_cursor_def def = {
        sc->table, cols, sc->nlist, sc->sort,
        sc->scope_round && t && t->round_col >= 0 ? env->round.code : NULL,
        (const char *const *)sc->search, sc->nsearch, sc->search_fts, sc->count_from,
    };
    l->cursor = db_cursor_open(env->app->db, env->app->schema, &def, err, errsz);
    free(cols);
    l->cols = l->cursor ? ui_screen_list_cols(sc, env->lang) : NULL;
    if (l->cols) {
        ui_table_source src = ui_screen_list_source(l);
        l->table = ui_table_new(env->ctx, l->cols, sc->nlist, &src, y, 0, h, w);
    }
    if (!l->table) {
        if (l->cursor)
            snprintf(err, errsz, "%s", *db_cursor_error(l->cursor)
                                           ? db_cursor_error(l->cursor) : "out of memory");
        ui_screen_list_free(l);
        return NULL;
    }
    return l;
}

void ui_screen_list_free(ui_screen_list *l)
{
    if (!l)
        return;
    ui_table_free(l->table);
    db_cursor_free(l->cursor);
    free(l->cols);
    free(l);
}

long long ui_screen_list_current_id(const ui_screen_list *l)
{
    const ui_table_row *r = ui_table_current(l->table);
    return r ? strtoll(r->anchor, NULL, 10) : 0;
}

/* ---- the screen's loop ---------------------------------------------------- */

void ui_screen_list_status(ui_screen_list *l, ui_status_kind kind, const char *msg)
{
    snprintf(l->status, sizeof l->status, "%s", msg);
    l->status_kind = kind;
    l->status_dirty = true;
}

void ui_screen_list_reload(ui_screen_list *l)
{
    l->count = -1;
    db_cursor_recount(l->cursor);   /* the kept count is one save behind */
    ui_table_reload(l->table);
}

/* Everything, after the list opened or a form or dialog covered it: ncurses
 * sends only the cells that differ from what the terminal shows. */
void ui_screen_list_repaint(ui_screen_list *l)
{
    werase(stdscr);
    ui_draw_title(l->env->ctx, stdscr, l->sc->title[l->env->lang], l->env->who);
    if (l->sc->nactions || l->sc->fix_into)
        ui_draw_hints(l->env->ctx, stdscr, ui_list_action_hints, UI_LIST_NACTION_HINTS);
    else
        ui_draw_hints(l->env->ctx, stdscr, ui_list_hints, UI_LIST_NHINTS);
    l->table->dirty = UI_TABLE_DIRTY_ALL;
    l->status_dirty = true;
}

static void ui_list_redraw(void *user)
{
    ui_screen_list *l = user;
    ui_screen_list_repaint(l);
    ui_table_draw(l->table, stdscr);
    ui_draw_status(l->env->ctx, stdscr, l->status_kind, l->status);
    wnoutrefresh(stdscr);
}

/* Run a form over the list; back in the list, the window is refetched
 * from its top row so the change shows.  True when the user quit esis. */
bool ui_screen_list_run_form_over(ui_screen_list *l, ui_screen_form *sf)
{
    long long saved = 0;
    ui_form_result r = ui_screen_form_run(sf, &saved);
    ui_screen_form_free(sf);
    if (saved)
        ui_screen_list_status(l, UI_STATUS_INFO, ui_msg(l->env->ctx, "ui.saved"));
    ui_screen_list_reload(l);
    ui_screen_list_repaint(l);
    return r == UI_FORM_QUIT;
}

/* Open the form on id (0: add). */
static bool ui_list_form(ui_screen_list *l, long long id)
{
    char err[512];
    ui_screen_form *sf = ui_screen_form_open(l->env, l->sc, id, err, sizeof err);
    if (!sf) {
        ui_screen_list_status(l, UI_STATUS_ERROR, err);
        return false;
    }
    return ui_screen_list_run_form_over(l, sf);
}

static void ui_list_delete(ui_screen_list *l)
{
    const char *role = l->env->app->user ? l->env->app->user->role : "admin";
    long long id = ui_screen_list_current_id(l);
    if (!ui_screen_may_delete(l->sc, role)) {
        ui_screen_list_status(l, UI_STATUS_WARNING, ui_msg(l->env->ctx, "ui.no_edit"));
        return;
    }
    if (id <= 0 || !ui_dialog_confirm(l->env->ctx, ui_msg(l->env->ctx, "ui.confirm_delete"))) {
        ui_screen_list_repaint(l);
        return;
    }
    char err[512];
    if (ui_screen_record_delete(l->env, l->sc, id, err, sizeof err) != 0) {
        ui_screen_list_status(l, UI_STATUS_ERROR, err);
    } else {
        ui_screen_list_status(l, UI_STATUS_INFO, ui_msg(l->env->ctx, "ui.deleted"));
        ui_screen_list_reload(l);
    }
    ui_screen_list_repaint(l);
}

/* Returns 1 to quit the application, 0 back to the menu, -1 to go on. */
static int ui_list_action(ui_screen_list *l, ui_action a)
{
    const char *role = l->env->app->user ? l->env->app->user->role : "admin";
    switch (a) {
    case UI_ACT_EDIT:
        if (ui_screen_list_current_id(l) <= 0)
            return ui_screen_list_open_by_key(l);   /* a row of a view */
        return ui_list_form(l, ui_screen_list_current_id(l)) ? 1 : -1;
    case UI_ACT_ADD:
        if (!ui_screen_may_edit(l->sc, role)) {
            ui_screen_list_status(l, UI_STATUS_WARNING, ui_msg(l->env->ctx, "ui.no_edit"));
            return -1;
        }
        return ui_list_form(l, 0) ? 1 : -1;
    case UI_ACT_DELETE:
        ui_list_delete(l);
        return -1;
    case UI_ACT_BACK:
        if (!*db_cursor_search_text(l->cursor))
            return 0;
        /* Esc ends a search kept with Enter; the list stays at the row */
        db_cursor_search(l->cursor, "");
        ui_screen_list_reload(l);
        return -1;
    case UI_ACT_QUIT:
        return 1;
    case UI_ACT_FLAGS:
        return ui_screen_list_flags(l);
    case UI_ACT_ACTIONS:
        return ui_screen_list_actions(l);
    case UI_ACT_HELP:
        ui_dialog_help(l->env->ctx, l->sc->title[l->env->lang], ui_list_hints,
                       UI_LIST_NHINTS, NULL);
        ui_screen_list_repaint(l);
        return -1;
    default:
        return -1;
    }
}

bool ui_screen_list_run_form(ui_screen_env *env, const ui_screen *sc,
                              ui_screen_form *first)
{
    char err[512];
    ui_screen_list *l = ui_screen_list_open(env, sc, 1, LINES - 3, COLS, err, sizeof err);
    if (!l) {
        ui_dialog_message(env->ctx, sc->title[env->lang], err);
        if (first)
            ui_screen_form_free(first);
        return false;
    }
    void (*old_redraw)(void *) = env->ctx->redraw;
    void *old_user = env->ctx->redraw_user;
    env->ctx->redraw = ui_list_redraw;
    env->ctx->redraw_user = l;
    ui_screen_list_repaint(l);
    int done = first && ui_screen_list_run_form_over(l, first) ? 1 : -1;
    while (done < 0) {
        ui_table_draw(l->table, stdscr);
        if (l->status_dirty) {
            ui_draw_status(env->ctx, stdscr, l->status_kind, l->status);
            l->status_dirty = false;
            if (l->table->mode != UI_TABLE_BROWSE)
                l->table->dirty |= UI_TABLE_DIRTY_PROMPT;   /* cursor back in the prompt */
        }
        wnoutrefresh(stdscr);
        doupdate();
        if (l->count < 0) {
            /* counted after the page is on the screen */
            l->count = db_cursor_count(l->cursor, &l->count_exact);
            if (l->table->mode == UI_TABLE_BROWSE)
                l->table->dirty |= UI_TABLE_DIRTY_PROMPT;
            if (l->count < 0)
                l->count = 0;
            continue;
        }
        ui_key k = ui_keys_read();
        if (ui_key_is(k, KEY_RESIZE)) {
            ui_table_resize(l->table, 1, 0, LINES - 3, COLS);
            ui_screen_list_repaint(l);
            continue;
        }
        if (*l->status)
            ui_screen_list_status(l, UI_STATUS_INFO, "");
        ui_action a = ui_table_key(l->table, k);
        if (l->table->bell)
            beep();
        if (l->table->error) {
            l->table->error = false;
            if (!l->status_dirty)
                ui_screen_list_status(l, UI_STATUS_ERROR, db_cursor_error(l->cursor));
        }
        if (a != UI_ACT_NONE)
            done = ui_list_action(l, a);
    }
    env->ctx->redraw = old_redraw;
    env->ctx->redraw_user = old_user;
    ui_screen_list_free(l);
    return done == 1;
}

bool ui_screen_list_run(ui_screen_env *env, const ui_screen *sc)
{
    return ui_screen_list_run_form(env, sc, NULL);
}
