/*
 * ui_keys: what a key press means.  Keys are read once here and turned into
 * one number (ui_key) that every widget understands, and logical actions
 * (save, quit, search, ...) are looked up in a key map read from
 * conf/keys.ini, so no screen hard-codes "F2".
 *
 * Why the fallbacks: SSH clients and terminal emulators on Windows often eat
 * function keys.  Every F-key therefore also arrives as Esc followed by a
 * digit (Esc 1 = F1 ... Esc 0 = F10), decoded with a short wait for the
 * digit (ui_keyseq.h, which also reads every terminal's own sequences), and
 * the default map gives each important action a Ctrl key too.
 * raw() is used so Ctrl-S, Ctrl-Q, Ctrl-C reach us instead of the tty.
 *
 * A ui_key is a Unicode code point for a typed character, or a curses key
 * code (KEY_F(2), KEY_LEFT, ...) plus UI_KEY_CURSES so the two never
 * overlap.  Ctrl-S is the code point 0x13.
 *
 * Ownership: a ui_keymap is a plain value (no heap); copy it freely.
 */
#ifndef ESIS_UI_KEYS_H
#define ESIS_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

typedef wint_t ui_key;

#define UI_KEY_NONE      ((ui_key)0)
#define UI_KEY_CURSES    ((ui_key)0x200000)        /* above every code point */
#define UI_KEY_C(k)      (UI_KEY_CURSES + (ui_key)(k)) /* a curses KEY_* code */
#define UI_KEY_CTRL(c)   ((ui_key)((c) & 0x1f))      /* UI_KEY_CTRL('S') */
#define UI_KEY_ESC       ((ui_key)27)
#define UI_KEY_TAB       ((ui_key)9)
#define UI_KEY_ENTER     ((ui_key)13)
#define UI_KEY_INTERRUPT UI_KEY_CTRL('C')                   /* raw mode: ^C is a key */
#define UI_KEY_RESIZE_   0632                        /* KEY_RESIZE, without curses.h */

/* True for a key that types a character (not a control or curses key). */
bool ui_key_is_char(ui_key k);
/* True for the curses key code kc (KEY_LEFT ...). */
static inline bool ui_key_is(ui_key k, int kc) { return k == UI_KEY_C(kc); }

typedef enum ui_action {
    UI_ACT_NONE = 0,
    UI_ACT_HELP, UI_ACT_SAVE, UI_ACT_QUIT, UI_ACT_SEARCH, UI_ACT_BACK,
    UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD, UI_ACT_PICK, UI_ACT_DELETE,
    UI_ACT_ADD, UI_ACT_EDIT, UI_ACT_SORT, UI_ACT_FILTER, UI_ACT_FLAGS,
    UI_ACT_LANG_TOGGLE, UI_ACT_PAGE_UP, UI_ACT_PAGE_DOWN, UI_ACT_HOME,
    UI_ACT_END, UI_ACT_REDRAW, UI_ACT_HISTORY, UI_ACT_ACTIONS,
    UI_ACT_COUNT
} ui_action;

#define UI_KEYS_PER_ACTION 6

typedef struct ui_keymap {
    ui_key keys[UI_ACT_COUNT][UI_KEYS_PER_ACTION]; /* UI_KEY_NONE = unused */
} ui_keymap;

/* The built-in map (what conf/keys.ini ships with). */
void ui_keys_default(ui_keymap *km);

/* Start from the defaults and apply [keys] of the ini file at path: each
 * `action = key, key, ...` replaces that action's keys.  A missing file is
 * not an error (the defaults stay).  Returns 0, or -1 with err naming the
 * file, the key and what is wrong ("conf/keys.ini: save: unknown key 'F13'"). */
int ui_keys_load(ui_keymap *km, const char *path, char *err, size_t errsz);

/* Action names as in keys.ini ("save", "next_field"); NULL for NONE. */
const char *ui_keys_action_name(ui_action a);
ui_action ui_keys_action_by_name(const char *name);

/* Parse one key name: "F2", "^S", "Ctrl-S", "Esc", "Tab", "BTab",
 * "Shift-Tab", "Enter", "Space", "Up", "Down", "Left", "Right", "Home",
 * "End", "PgUp", "PgDn", "Ins", "Del", "Backspace", or one character ("/").
 * Returns UI_KEY_NONE when the name is unknown. */
ui_key ui_keys_parse(const char *name);
/* The name of a key for hints: "F2", "^S", "Tab", "/" (out >= 16 bytes). */
void ui_keys_name(ui_key k, char *out, size_t outsz);

/* True when k is bound to action a. */
bool ui_keys_is(const ui_keymap *km, ui_key k, ui_action a);
/* The first action k is bound to among the candidates (n of them), or
 * UI_ACT_NONE: a widget passes the actions that make sense where it is. */
ui_action ui_keys_action(const ui_keymap *km, ui_key k,
                         const ui_action *candidates, int n);
/* "F2" / "^S" style label of the first (function) key of a, into out. */
void ui_keys_label(const ui_keymap *km, ui_action a, char *out, size_t outsz);
/* Every key of a joined with " / ", e.g. "F2 / ^S / Esc 2". */
void ui_keys_label_all(const ui_keymap *km, ui_action a, char *out,
                       size_t outsz);

/* Terminal side (curses), after the screen is made: raw, noecho, nonl,
 * keypad off (esis reads the sequences itself: ui_keyseq.h), and the
 * ESCDELAY of the environment or UI_KEYSEQ_ESCDELAY_DEFAULT_MS kept as
 * curses' own (set_escdelay). */
void ui_keys_setup_terminal(void);
/* Read a key from stdscr through ui_keys_read_from (ui_keyseq.h).  A
 * dropped sequence is appended to the file $ESIS_KEYLOG when it is set. */
ui_key ui_keys_read(void);

#endif
