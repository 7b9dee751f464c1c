/*
 * ui_signal: what the TUI does when it is told to stop.  Users work over SSH
 * links that drop: the terminal going away (SIGHUP, or a read that fails
 * with EIO / EOF), the system stopping the process (SIGTERM) and Ctrl-C
 * (SIGINT, or the ^C key, which raw mode delivers as a character) must
 * never lose a record being typed.
 *
 * The handlers only set `volatile sig_atomic_t` flags: nothing else is
 * async-signal-safe.  They are installed without SA_RESTART, so a blocking
 * wget_wch returns; the key reader (ui_keys_read) also waits in slices of a
 * second, so a stop is seen even if curses retried the read.  While a stop
 * is pending ui_keys_read answers Esc at once: every dialog and list closes
 * as if the user pressed Esc, and the form loop, which checks the flag
 * after each key, keeps what was typed as a draft (esis/draft.h).
 *
 *   hangup, terminate: leave for good (the draft is offered at the next
 *                      start); ui_main ends curses and exits 128+signal.
 *   interrupt:         keep a draft, then ask whether to leave; the user
 *                      may go on typing (ui_signal_clear_interrupt).
 *
 * No state but the flags: they are the only mutable globals esis has.
 */
#ifndef ESIS_UI_SIGNAL_H
#define ESIS_UI_SIGNAL_H

#include <stdbool.h>

typedef enum ui_stop {
    UI_STOP_NONE = 0,
    UI_STOP_INTERRUPT,   /* SIGINT or the ^C key: keep a draft and ask */
    UI_STOP_HANGUP,      /* SIGHUP or the terminal lost: keep a draft, leave */
    UI_STOP_TERMINATE,   /* SIGTERM: keep a draft, leave */
} ui_stop;

/* Install the handlers (after initscr, which installs its own for SIGINT
 * and SIGTERM); ui_signal_restore puts the previous ones back. */
void ui_signal_install(void);
void ui_signal_restore(void);

/* The most serious stop pending. */
ui_stop ui_signal_pending(void);
/* True for hangup and terminate: the session must end. */
bool ui_signal_must_exit(void);
/* The interrupt was dealt with (the user chose to go on). */
void ui_signal_clear_interrupt(void);
/* Raise a stop from the main loop: the ^C key (interrupt), a terminal read
 * that failed (hangup). */
void ui_signal_raise(ui_stop why);
/* The draft reason of a stop ("hangup", ...; DB_DRAFT_*). */
const char *ui_signal_draft_reason(ui_stop why);
/* 128 + the signal's number for a stop that ends the session, else 0. */
int ui_signal_exit_status(void);

#endif
