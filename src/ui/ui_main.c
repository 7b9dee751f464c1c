/*
 * ui_main: the TUI's entry point (include/esis/ui.h).  Loads the key map
 * and the screen definitions before the terminal is touched (so an error in
 * them prints like any other and exits 2), then runs the menu tree of
 * screens/menu.ini for the user's role, in Thai or English (F9 switches).
 *
 * An item with `screen = NAME` opens that screen's list (ui_screen_list),
 * whose forms are ui_screen_form; the title bar says who works, on which
 * database, in which round.  An item with `action = ...` runs a built-in
 * action (ui_actions: check, report:NAME, import:KIND, export:KIND, audit,
 * drafts).
 *
 * Stops (ui_signal): the handlers are installed once curses is up.  A
 * hangup or terminate unwinds every loop (the open form keeps a draft on
 * the way), then this file rolls back any transaction still open, ends
 * curses and returns 128 + the signal.  An interrupt (^C) outside a form
 * asks whether to leave.  At start the user's drafts are offered back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <panel.h>
#include "esis/app.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/ui.h"
#include "esis/ui_actions.h"
#include "esis/ui_dialog.h"
#include "esis/ui_drafts.h"
#include "esis/ui_signal.h"
#include "esis/ui_screen_list.h"
#include "esis/ui_screens.h"
#include "esis/ui_term.h"

typedef struct ui_shell {
    esis_app         *app;
    ui_ctx            ctx;
    ui_screens       *screens;
    ui_menu          *menus;     /* one per ui_screen_menu, for the language */
    ui_menu_item    **items;     /* their items */
    int               lang;      /* 0 Thai, 1 English */
} ui_shell;

static const ui_hint ui_shell_hints[] = {
    {UI_ACT_HELP, "ui.hint_help"}, {UI_ACT_EDIT, "ui.hint_choose"},
    {UI_ACT_LANG_TOGGLE, "ui.hint_lang"}, {UI_ACT_QUIT, "ui.hint_quit"},
};

static void ui_shell_free_menus(ui_shell *sh)
{
    for (int i = 0; sh->items && i < sh->screens->nmenus; i++)
        free(sh->items[i]);
    free(sh->items);
    free(sh->menus);
    sh->items = NULL;
    sh->menus = NULL;
}

/* Build the ui_menu tree in the current language, keeping only the items
 * the user's role may see. */
static int ui_shell_build_menus(ui_shell *sh)
{
    const ui_screens *s = sh->screens;
    const char *role = sh->app->user ? sh->app->user->role : NULL;
    ui_shell_free_menus(sh);
    sh->menus = calloc((size_t)s->nmenus, sizeof *sh->menus);
    sh->items = calloc((size_t)s->nmenus, sizeof *sh->items);
    if (!sh->menus || !sh->items)
        return -1;
    for (int m = 0; m < s->nmenus; m++) {
        const ui_screen_menu *sm = &s->menus[m];
        sh->items[m] = calloc((size_t)sm->nitems + 1, sizeof **sh->items);
        if (!sh->items[m])
            return -1;
        int n = 0;
        for (int k = 0; k < sm->nitems; k++) {
            const ui_screen_item *it = &s->items[sm->items[k]];
            if (!ui_screens_item_allowed(it, role))
                continue;
            const ui_menu *sub = NULL;
            if (it->menu)
                sub = &sh->menus[ui_screens_menu(s, it->menu) - s->menus];
            sh->items[m][n++] = (ui_menu_item){it->label[sh->lang], NULL, it->key,
                                               sm->items[k], sub};
        }
        sh->menus[m] = (ui_menu){sm->title[sh->lang], sh->items[m], n};
    }
    return 0;
}

/* The smallest terminal the menus and screens are laid out for. */
enum { UI_SHELL_MIN_ROWS = 24, UI_SHELL_MIN_COLS = 80 };

static bool ui_shell_too_small(void)
{
    return LINES < UI_SHELL_MIN_ROWS || COLS < UI_SHELL_MIN_COLS;
}

typedef struct ui_shell_line { int y; } ui_shell_line;

static void ui_shell_small_line(const char *line, size_t n, void *user)
{
    ui_shell_line *l = user;
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), line);
    if (l->y < LINES - 1)
        ui_draw_text(stdscr, l->y++, 0, buf, COLS, 'l', A_BOLD);
}

/* "Too small", wrapped to the width there is, and the quit key: alone. */
static void ui_shell_draw_too_small(ui_shell *sh)
{
    static const ui_hint quit[] = {{UI_ACT_QUIT, "ui.hint_quit"}};
    ui_shell_line l = {0};
    erase();
    ui_dialog_wrap(ui_msg(&sh->ctx, "ui.too_small"), COLS, ui_shell_small_line, &l);
    ui_draw_hints(&sh->ctx, stdscr, quit, 1);
    wnoutrefresh(stdscr);
}

static void ui_shell_redraw(void *user)
{
    ui_shell *sh = user;
    ui_screen_env env;
    ui_screen_env_init(&env, sh->app, &sh->ctx, sh->lang);
    const char *office = sh->lang ? sh->app->conf->office_name_en
                                  : sh->app->conf->office_name_th;
    if (ui_shell_too_small()) {
        ui_shell_draw_too_small(sh);
        return;
    }
    erase();
    ui_draw_title(&sh->ctx, stdscr, office ? office : "esis", env.who);
    ui_draw_status(&sh->ctx, stdscr, UI_STATUS_INFO, "");
    ui_draw_hints(&sh->ctx, stdscr, ui_shell_hints, 4);
    wnoutrefresh(stdscr);
}

static void ui_shell_toggle_lang(ui_shell *sh)
{
    sh->lang = !sh->lang;
    sh->ctx.lang = sh->lang ? "en" : "th";
    sh->app->lang = sh->ctx.lang;
    ui_shell_build_menus(sh);
    ui_shell_redraw(sh);
}

/* One chosen leaf item; returns false when the user quits. */
static bool ui_shell_item(ui_shell *sh, const ui_screen_item *it)
{
    if (it->action && strcmp(it->action, "quit") == 0)
        return false;
    if (it->action && strcmp(it->action, "lang") == 0) {
        ui_shell_toggle_lang(sh);
        return true;
    }
    ui_screen_env env;
    ui_screen_env_init(&env, sh->app, &sh->ctx, sh->lang);
    env.screens = sh->screens;
    bool quit;
    if (it->action) {
        quit = ui_action_run(&env, sh->screens, it->action, it->label[sh->lang]);
    } else {
        const ui_screen *sc = ui_screens_find(sh->screens, it->screen);
        quit = sc && ui_screen_list_run(&env, sc);
    }
    ui_shell_redraw(sh);
    return !quit;
}

/* True when the session must end now: a hangup or terminate, or an
 * interrupt (^C) after which the user chose to leave. */
static bool ui_shell_stopped(ui_shell *sh)
{
    if (ui_signal_must_exit())
        return true;
    if (ui_signal_pending() != UI_STOP_INTERRUPT)
        return false;
    ui_signal_clear_interrupt();
    bool leave = ui_dialog_confirm(&sh->ctx, ui_msg(&sh->ctx, "ui.confirm_quit"));
    return leave || ui_signal_must_exit();
}

/* While the terminal is too small, the message alone (nothing drawn over
 * it) until it is resized; false when the user quits or a stop came. */
static bool ui_shell_wait_size(ui_shell *sh)
{
    while (ui_shell_too_small()) {
        ui_shell_draw_too_small(sh);
        doupdate();
        ui_key k = ui_keys_read();
        if (ui_shell_stopped(sh) || ui_keys_is(&sh->ctx.keys, k, UI_ACT_QUIT))
            return false;
    }
    ui_shell_redraw(sh);
    return true;
}

static void ui_shell_loop(ui_shell *sh)
{
    const ui_screen_menu *main_menu = ui_screens_menu(sh->screens, "main");
    /* where the user was in the menus: an item ended, its menu opens again */
    ui_menu_path path = {.min_rows = UI_SHELL_MIN_ROWS, .min_cols = UI_SHELL_MIN_COLS};
    ui_screen_env env;
    ui_screen_env_init(&env, sh->app, &sh->ctx, sh->lang);
    env.screens = sh->screens;
    if (!ui_shell_wait_size(sh))
        return;
    if (ui_drafts_run(&env, sh->screens, true) || ui_shell_stopped(sh))
        return;
    ui_shell_redraw(sh);
    for (;;) {
        if (!ui_shell_wait_size(sh))
            return;
        ui_menu *m = &sh->menus[main_menu - sh->screens->menus];
        int r = ui_menu_run_path(&sh->ctx, m, 2, 2, &path);
        if (ui_shell_stopped(sh))
            return;
        if (r == UI_MENU_SMALL) {
            continue;
        } else if (r == UI_MENU_LANG) {
            ui_shell_toggle_lang(sh);
        } else if (r == UI_MENU_QUIT || r == UI_MENU_BACK) {
            if (r == UI_MENU_QUIT || ui_dialog_confirm(&sh->ctx, ui_msg(&sh->ctx, "ui.confirm_quit")))
                return;
        } else if (r >= 0 && !ui_shell_item(sh, &sh->screens->items[r])) {
            return;
        }
        if (ui_shell_stopped(sh))
            return;
    }
}

/* Why the TUI cannot start, on stderr in the user's language; without a
 * UTF-8 locale in Thai and then English (that line is plain ASCII,
 * readable whatever the terminal's character set). */
static void ui_shell_say_no_terminal(const esis_app *app, ui_term_status ts)
{
    const char *key = ui_term_msg_key(ts);
    const char *term = getenv("TERM");
    const char *lang = app->lang ? app->lang : "th";
    bool both = ts == UI_TERM_NO_UTF8;
    fprintf(stderr, "esis: %s (TERM=%s)\n",
            conf_msg_lang(app->conf, both ? "th" : lang, key), term ? term : "");
    if (both)
        fprintf(stderr, "esis: %s\n", conf_msg_lang(app->conf, "en", key));
}

int ui_main(esis_app *app)
{
    ui_shell sh = {.app = app};
    ui_keymap keys;
    char path[1024], err[1024] = "";
    snprintf(path, sizeof path, "%s/conf/keys.ini", app->home);
    if (ui_keys_load(&keys, path, err, sizeof err) != 0) {
        fprintf(stderr, "esis: %s\n", err);
        return 2;
    }
    snprintf(path, sizeof path, "%s/screens", app->home);
    if (ui_screens_load(path, app->schema, app->conf, &sh.screens, err, sizeof err) != 0) {
        fprintf(stderr, "esis: %s\n", err);
        return 2;
    }
    sh.lang = app->lang && strcmp(app->lang, "en") == 0;
    SCREEN *screen;
    ui_term_status ts = ui_term_open(&screen);
    if (ts != UI_TERM_OK) {
        ui_shell_say_no_terminal(app, ts);
        ui_screens_free(sh.screens);
        return 1;
    }
    ui_keys_setup_terminal();
    ui_signal_install();
    curs_set(0);
    ui_ctx_init(&sh.ctx, app->conf, &keys, app->conf->color);
    sh.ctx.lang = sh.lang ? "en" : "th";
    sh.ctx.redraw = ui_shell_redraw;
    sh.ctx.redraw_user = &sh;
    int rc = 0;
    if (ui_shell_build_menus(&sh) != 0) {
        rc = 1;
    } else {
        ui_shell_redraw(&sh);
        ui_shell_loop(&sh);
    }
    /* a stop in the middle of a write: nothing half done stays */
    if (!sqlite3_get_autocommit(app->db))
        db_rollback(app->db);
    ui_term_close(screen);
    ui_signal_restore();
    if (ui_signal_must_exit())
        rc = ui_signal_exit_status();
    ui_shell_free_menus(&sh);
    ui_screens_free(sh.screens);
    return rc;
}
