/*
 * ui: the TUI's entry point.  The shell reads screens/menu.ini and the
 * screens/NAME.ini definitions and runs until the user quits.
 */
#ifndef ESIS_UI_H
#define ESIS_UI_H

#include "esis/app.h"

/* Run the TUI on a prepared application context (database open, user
 * logged in, rules loaded).  Returns the process exit status. */
int ui_main(esis_app *app);

#endif
