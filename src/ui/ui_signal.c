/*
 * ui_signal: SIGHUP, SIGTERM and SIGINT turned into flags the key loops
 * read (see include/esis/ui_signal.h for what each stop means and why the
 * handlers do nothing else).
 */
#include <signal.h>
#include <string.h>
#include "esis/draft.h"
#include "esis/ui_signal.h"

static volatile sig_atomic_t ui_signal_hangup;
static volatile sig_atomic_t ui_signal_terminate;
static volatile sig_atomic_t ui_signal_interrupt;

static struct sigaction ui_signal_old_hup, ui_signal_old_term, ui_signal_old_int;

static void ui_signal_handler(int sig)
{
    if (sig == SIGHUP)
        ui_signal_hangup = 1;
    else if (sig == SIGTERM)
        ui_signal_terminate = 1;
    else if (sig == SIGINT)
        ui_signal_interrupt = 1;
}

void ui_signal_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ui_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   /* no SA_RESTART: a blocking read returns */
    sigaction(SIGHUP, &sa, &ui_signal_old_hup);
    sigaction(SIGTERM, &sa, &ui_signal_old_term);
    sigaction(SIGINT, &sa, &ui_signal_old_int);
}

void ui_signal_restore(void)
{
    sigaction(SIGHUP, &ui_signal_old_hup, NULL);
    sigaction(SIGTERM, &ui_signal_old_term, NULL);
    sigaction(SIGINT, &ui_signal_old_int, NULL);
}

ui_stop ui_signal_pending(void)
{
    if (ui_signal_hangup)
        return UI_STOP_HANGUP;
    if (ui_signal_terminate)
        return UI_STOP_TERMINATE;
    if (ui_signal_interrupt)
        return UI_STOP_INTERRUPT;
    return UI_STOP_NONE;
}

bool ui_signal_must_exit(void)
{
    return ui_signal_hangup || ui_signal_terminate;
}

void ui_signal_clear_interrupt(void)
{
    ui_signal_interrupt = 0;
}

void ui_signal_raise(ui_stop why)
{
    if (why == UI_STOP_HANGUP)
        ui_signal_hangup = 1;
    else if (why == UI_STOP_TERMINATE)
        ui_signal_terminate = 1;
    else if (why == UI_STOP_INTERRUPT)
        ui_signal_interrupt = 1;
}

const char *ui_signal_draft_reason(ui_stop why)
{
    switch (why) {
    case UI_STOP_HANGUP:    return DB_DRAFT_HANGUP;
    case UI_STOP_TERMINATE: return DB_DRAFT_TERMINATE;
    case UI_STOP_INTERRUPT: return DB_DRAFT_INTERRUPT;
    default:                return DB_DRAFT_MANUAL;
    }
}

int ui_signal_exit_status(void)
{
    if (ui_signal_hangup)
        return 128 + SIGHUP;
    if (ui_signal_terminate)
        return 128 + SIGTERM;
    return 0;
}
