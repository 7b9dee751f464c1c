/*
 * ui_keys: the key map (conf/keys.ini) and key reading with the Esc-digit
 * fallback for function keys.  See include/esis/ui_keys.h for why.
 *
 * The map is data: a table of action names and, per action, a few keys.
 * Reading is split into a pure decoder (ui_keys_read_from in ui_keyseq.c,
 * tested without a terminal) and the thin curses source here.
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include <iniparser/iniparser.h>
#include "esis/conf.h"
#include "esis/ui_keys.h"
#include "esis/ui_keyseq.h"
#include "esis/ui_signal.h"

static const char *const ui_keys_action_names[UI_ACT_COUNT] = {
    [UI_ACT_HELP] = "help", [UI_ACT_SAVE] = "save", [UI_ACT_QUIT] = "quit",
    [UI_ACT_SEARCH] = "search", [UI_ACT_BACK] = "back",
    [UI_ACT_NEXT_FIELD] = "next_field", [UI_ACT_PREV_FIELD] = "prev_field",
    [UI_ACT_PICK] = "pick", [UI_ACT_DELETE] = "delete", [UI_ACT_ADD] = "add",
    [UI_ACT_EDIT] = "edit", [UI_ACT_SORT] = "sort", [UI_ACT_FILTER] = "filter",
    [UI_ACT_FLAGS] = "flags", [UI_ACT_LANG_TOGGLE] = "lang_toggle",
    [UI_ACT_PAGE_UP] = "page_up", [UI_ACT_PAGE_DOWN] = "page_down",
    [UI_ACT_HOME] = "home", [UI_ACT_END] = "end", [UI_ACT_REDRAW] = "redraw",
    [UI_ACT_HISTORY] = "history", [UI_ACT_ACTIONS] = "actions",
};

/* The defaults, in keys.ini syntax so the file and the code read alike. */
static const char *const ui_keys_defaults[UI_ACT_COUNT] = {
    [UI_ACT_HELP] = "F1, ^G",         [UI_ACT_SAVE] = "F2, ^S",
    [UI_ACT_FLAGS] = "F3, ^T",        [UI_ACT_PICK] = "F4, ^P",
    [UI_ACT_FILTER] = "F5, ^W",       [UI_ACT_SORT] = "F6, ^O",
    [UI_ACT_SEARCH] = "F7, ^F, /",    [UI_ACT_DELETE] = "F8, Del, ^D",
    [UI_ACT_LANG_TOGGLE] = "F9, ^B",  [UI_ACT_QUIT] = "F10, ^Q, ^X",
    [UI_ACT_BACK] = "Esc",            [UI_ACT_NEXT_FIELD] = "Tab, Down, Enter",
    [UI_ACT_PREV_FIELD] = "BTab, Up", [UI_ACT_ADD] = "Ins, ^N, +",
    [UI_ACT_EDIT] = "Enter, ^E",      [UI_ACT_PAGE_UP] = "PgUp, ^U",
    [UI_ACT_PAGE_DOWN] = "PgDn, ^V",  [UI_ACT_HOME] = "Home, ^A",
    [UI_ACT_END] = "End",             [UI_ACT_REDRAW] = "^L",
    [UI_ACT_HISTORY] = "F11, ^R",     [UI_ACT_ACTIONS] = "F12, ^K",
};

static const struct { const char *name; int code; } ui_keys_named[] = {
    {"up", KEY_UP}, {"down", KEY_DOWN}, {"left", KEY_LEFT},
    {"right", KEY_RIGHT}, {"home", KEY_HOME}, {"end", KEY_END},
    {"pgup", KEY_PPAGE}, {"pageup", KEY_PPAGE}, {"pgdn", KEY_NPAGE},
    {"pagedown", KEY_NPAGE}, {"ins", KEY_IC}, {"insert", KEY_IC},
    {"del", KEY_DC}, {"delete", KEY_DC}, {"btab", KEY_BTAB},
    {"shift-tab", KEY_BTAB}, {"backspace", KEY_BACKSPACE},
};

bool ui_key_is_char(ui_key k)
{
    return k >= 0x20 && k != 0x7f && k < UI_KEY_CURSES &&
           !(k >= 0x80 && k < 0xa0);
}

const char *ui_keys_action_name(ui_action a)
{
    return (a > UI_ACT_NONE && a < UI_ACT_COUNT) ? ui_keys_action_names[a]
                                                 : NULL;
}

ui_action ui_keys_action_by_name(const char *name)
{
    for (int a = 1; a < UI_ACT_COUNT; a++)
        if (strcasecmp(name, ui_keys_action_names[a]) == 0)
            return (ui_action)a;
    return UI_ACT_NONE;
}

ui_key ui_keys_parse(const char *name)
{
    size_t n = strlen(name);
    if (n == 0)
        return UI_KEY_NONE;
    if (n == 1)
        return (ui_key)(unsigned char)name[0] >= 0x20 ? (ui_key)name[0]
                                                       : UI_KEY_NONE;
    if ((name[0] == 'F' || name[0] == 'f') && isdigit((unsigned char)name[1])) {
        int f = 0;
        for (const char *p = name + 1; *p; p++) {
            if (!isdigit((unsigned char)*p))
                return UI_KEY_NONE;
            f = f * 10 + (*p - '0');
            if (f > 12)
                return UI_KEY_NONE;
        }
        return f >= 1 ? UI_KEY_C(KEY_F(f)) : UI_KEY_NONE;
    }
    const char *c = NULL;
    if (name[0] == '^' && n == 2)
        c = name + 1;
    else if (n == 6 && strncasecmp(name, "ctrl-", 5) == 0)
        c = name + 5;
    if (c) {
        int ch = toupper((unsigned char)*c);
        return (ch >= '@' && ch <= '_') ? UI_KEY_CTRL(ch) : UI_KEY_NONE;
    }
    if (strcasecmp(name, "esc") == 0 || strcasecmp(name, "escape") == 0)
        return UI_KEY_ESC;
    if (strcasecmp(name, "tab") == 0)
        return UI_KEY_TAB;
    if (strcasecmp(name, "enter") == 0 || strcasecmp(name, "return") == 0)
        return UI_KEY_ENTER;
    if (strcasecmp(name, "space") == 0)
        return (ui_key)' ';
    for (size_t i = 0; i < sizeof ui_keys_named / sizeof ui_keys_named[0]; i++)
        if (strcasecmp(name, ui_keys_named[i].name) == 0)
            return UI_KEY_C(ui_keys_named[i].code);
    return UI_KEY_NONE;
}

void ui_keys_name(ui_key k, char *out, size_t outsz)
{
    if (outsz == 0)
        return;
    out[0] = '\0';
    if (k >= UI_KEY_CURSES) {
        int kc = (int)(k - UI_KEY_CURSES);
        if (kc > KEY_F0 && kc <= KEY_F(12)) {
            snprintf(out, outsz, "F%d", kc - KEY_F0);
            return;
        }
        static const char *const pretty[] = {"Up", "Down", "Left", "Right",
            "Home", "End", "PgUp", "PgUp", "PgDn", "PgDn", "Ins", "Ins",
            "Del", "Del", "BTab", "BTab", "Backspace"};
        for (size_t i = 0; i < sizeof ui_keys_named / sizeof ui_keys_named[0]; i++)
            if (ui_keys_named[i].code == kc) {
                snprintf(out, outsz, "%s", pretty[i]);
                return;
            }
        snprintf(out, outsz, "#%d", kc);
    } else if (k == UI_KEY_ESC) {
        snprintf(out, outsz, "Esc");
    } else if (k == UI_KEY_TAB) {
        snprintf(out, outsz, "Tab");
    } else if (k == UI_KEY_ENTER) {
        snprintf(out, outsz, "Enter");
    } else if (k == ' ') {
        snprintf(out, outsz, "Space");
    } else if (k < 0x20) {
        snprintf(out, outsz, "^%c", (char)(k + '@'));
    } else if (k < 0x80) {
        snprintf(out, outsz, "%c", (char)k);
    } else {
        snprintf(out, outsz, "U+%04X", (unsigned)k);
    }
}

/* Replace a's keys with the comma separated list in spec. */
static int ui_keys_set_list(ui_keymap *km, ui_action a, const char *spec,
                            const char *file, char *err, size_t errsz)
{
    ui_key keys[UI_KEYS_PER_ACTION] = {0};
    int n = 0;
    const char *p = spec;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        char name[32];
        size_t len = 0;
        /* a lone "," as a key would be ambiguous: spell it "comma" */
        while (p[len] && p[len] != ',' && p[len] != ' ' && p[len] != '\t')
            len++;
        if (len >= sizeof name) {
            snprintf(err, errsz, "%s: %s: key name too long", file,
                     ui_keys_action_names[a]);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        p += len;
        ui_key k = strcasecmp(name, "comma") == 0 ? (ui_key)',' : ui_keys_parse(name);
        if (k == UI_KEY_NONE) {
            snprintf(err, errsz, "%s: %s: unknown key '%s'", file,
                     ui_keys_action_names[a], name);
            return -1;
        }
        if (n == UI_KEYS_PER_ACTION) {
            snprintf(err, errsz, "%s: %s: more than %d keys", file,
                     ui_keys_action_names[a], UI_KEYS_PER_ACTION);
            return -1;
        }
        keys[n++] = k;
    }
    memcpy(km->keys[a], keys, sizeof keys);
    return 0;
}

void ui_keys_default(ui_keymap *km)
{
    char err[64];
    memset(km, 0, sizeof *km);
    for (int a = 1; a < UI_ACT_COUNT; a++)
        ui_keys_set_list(km, (ui_action)a, ui_keys_defaults[a], "", err,
                         sizeof err);
}

int ui_keys_load(ui_keymap *km, const char *path, char *err, size_t errsz)
{
    ui_keys_default(km);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    fclose(fp);
    char why[512];
    dictionary *d = conf_ini_load(path, why, sizeof why);
    if (!d) {
        snprintf(err, errsz, "%s: %s", path, why);
        return -1;
    }
    int rc = 0;
    int nkeys = iniparser_getsecnkeys(d, "keys");
    const char **names = nkeys > 0 ? calloc((size_t)nkeys, sizeof *names) : NULL;
    if (nkeys > 0 && (!names || !iniparser_getseckeys(d, "keys", names))) {
        snprintf(err, errsz, "%s: out of memory", path);
        rc = -1;
        goto cleanup;
    }
    for (int i = 0; i < nkeys; i++) {
        const char *action = strchr(names[i], ':') + 1;
        ui_action a = ui_keys_action_by_name(action);
        if (a == UI_ACT_NONE) {
            snprintf(err, errsz, "%s: [keys] %s: unknown action", path, action);
            rc = -1;
            goto cleanup;
        }
        if (ui_keys_set_list(km, a, iniparser_getstring(d, names[i], ""), path,
                             err, errsz) != 0) {
            rc = -1;
            goto cleanup;
        }
    }
cleanup:
    free(names);
    iniparser_freedict(d);
    return rc;
}

bool ui_keys_is(const ui_keymap *km, ui_key k, ui_action a)
{
    if (k == UI_KEY_NONE || a <= UI_ACT_NONE || a >= UI_ACT_COUNT)
        return false;
    for (int i = 0; i < UI_KEYS_PER_ACTION; i++)
        if (km->keys[a][i] == k)
            return true;
    return false;
}

ui_action ui_keys_action(const ui_keymap *km, ui_key k,
                         const ui_action *candidates, int n)
{
    for (int i = 0; i < n; i++)
        if (ui_keys_is(km, k, candidates[i]))
            return candidates[i];
    return UI_ACT_NONE;
}

void ui_keys_label(const ui_keymap *km, ui_action a, char *out, size_t outsz)
{
    if (outsz)
        out[0] = '\0';
    if (a <= UI_ACT_NONE || a >= UI_ACT_COUNT)
        return;
    ui_key best = km->keys[a][0];
    for (int i = 0; i < UI_KEYS_PER_ACTION; i++) {
        ui_key k = km->keys[a][i];
        if (k >= UI_KEY_C(KEY_F(1)) && k <= UI_KEY_C(KEY_F(12))) {
            best = k;
            break;
        }
    }
    if (best != UI_KEY_NONE)
        ui_keys_name(best, out, outsz);
}

void ui_keys_label_all(const ui_keymap *km, ui_action a, char *out,
                       size_t outsz)
{
    size_t used = 0;
    if (outsz)
        out[0] = '\0';
    if (a <= UI_ACT_NONE || a >= UI_ACT_COUNT)
        return;
    for (int i = 0; i < UI_KEYS_PER_ACTION && used + 1 < outsz; i++) {
        ui_key k = km->keys[a][i];
        if (k == UI_KEY_NONE)
            continue;
        char name[16];
        ui_keys_name(k, name, sizeof name);
        int w = snprintf(out + used, outsz - used, "%s%s", used ? " / " : "",
                         name);
        if (w > 0)
            used += (size_t)w;
        if (used < outsz && k >= UI_KEY_C(KEY_F(1)) && k <= UI_KEY_C(KEY_F(10))) {
            w = snprintf(out + used, outsz - used, " / Esc %d",
                         (int)(k - UI_KEY_C(KEY_F0)) % 10);
            if (w > 0)
                used += (size_t)w;
        }
    }
    if (used >= outsz && outsz)
        out[outsz - 1] = '\0';
}

/* ---- curses side ---------------------------------------------------- */

/* True when the terminal is gone: the read failed with EIO or EBADF, or
 * poll says the line hung up. */
static bool ui_keys_terminal_lost(int err)
{
    if (err == EIO || err == EBADF || err == ENXIO)
        return true;
    struct pollfd p = {.fd = 0, .events = POLLIN};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static long ui_keys_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A key, or UI_KEY_NONE when nothing came within timeout_ms or a stop is
 * pending (ui_signal).  "Forever" is waited in slices of a second, so a
 * signal is seen even when curses restarts an interrupted read; a read that
 * keeps failing at once (end of file on a closed line) is a lost terminal. */
static ui_key ui_keys_curses_source(void *user, int timeout_ms)
{
    (void)user;
    wint_t wc;
    int rc, fast = 0;
    for (;;) {
        if (ui_signal_pending() != UI_STOP_NONE)
            return UI_KEY_NONE;
        long t0 = ui_keys_now_ms();
        wtimeout(stdscr, timeout_ms < 0 ? 1000 : timeout_ms);
        errno = 0;
        rc = wget_wch(stdscr, &wc);
        int err = errno;
        wtimeout(stdscr, -1);
        if (rc != ERR)
            break;
        if (ui_signal_pending() != UI_STOP_NONE)
            return UI_KEY_NONE;
        if (ui_keys_terminal_lost(err) ||
            (ui_keys_now_ms() - t0 < 50 && ++fast >= 20)) {
            ui_signal_raise(UI_STOP_HANGUP);
            return UI_KEY_NONE;
        }
        if (timeout_ms >= 0)
            return UI_KEY_NONE;
    }
    if (rc == KEY_CODE_YES)
        return wc == KEY_ENTER ? UI_KEY_ENTER : UI_KEY_C(wc);
    if (wc == '\n')
        return UI_KEY_ENTER;
    return (ui_key)wc;
}

/* A dropped sequence, appended to $ESIS_KEYLOG when set: what a user's
 * terminal sends that the table does not know (doc/esis.1). */
static void ui_keys_log_dropped(const char *printable)
{
    const char *path = getenv("ESIS_KEYLOG");
    if (!path || !*path)
        return;
    FILE *fp = fopen(path, "a");
    if (!fp)
        return;                 /* a debugging aid: esis goes on without it */
    fprintf(fp, "esis: unknown key sequence %s (TERM=%s)\n", printable,
            getenv("TERM") ? getenv("TERM") : "");
    fclose(fp);
}

ui_key ui_keys_read(void)
{
    /* a stop pending: every loop closes as if Esc was pressed, down to the
     * form that keeps a draft and the shell that ends */
    if (ui_signal_pending() != UI_STOP_NONE)
        return UI_KEY_ESC;
    ui_keys_reader r = {.src = ui_keys_curses_source,
                        .escdelay_ms = get_escdelay(),
                        .on_drop = ui_keys_log_dropped};
    ui_key k = ui_keys_read_from(&r);
    /* ^C reaches us as a key in raw mode: the same as SIGINT */
    if (k == UI_KEY_INTERRUPT)
        ui_signal_raise(UI_STOP_INTERRUPT);
    /* The key read ahead (after a lone Esc, or the one that broke a
     * sequence) goes back to curses' own queue, so no state has to live
     * between calls. */
    if (r.pending != UI_KEY_NONE) {
        if (r.pending >= UI_KEY_CURSES)
            ungetch((int)(r.pending - UI_KEY_CURSES));
        else
            unget_wch((wchar_t)r.pending);
    }
    return k == UI_KEY_NONE || k == UI_KEY_INTERRUPT ? UI_KEY_ESC : k;
}

void ui_keys_setup_terminal(void)
{
    set_escdelay(ui_keyseq_escdelay(getenv("ESCDELAY")));
    raw();
    noecho();
    nonl();
    /* off: curses would match only the terminfo entry's sequences and send
     * the rest byte by byte; ui_keyseq reads every terminal's */
    keypad(stdscr, FALSE);
}
