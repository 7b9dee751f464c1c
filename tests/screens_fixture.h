/*
 * screens_fixture.h: what a test needs to open the real screens of
 * screens/ the way the TUI does, on an application already opened
 * (test_ui_fields_all, test_ui_screen_views).
 */
#ifndef ESIS_SCREENS_FIXTURE_H
#define ESIS_SCREENS_FIXTURE_H

#include <stdio.h>
#include "esis/app.h"
#include "esis/ui_screen_form.h"
#include "esis/ui_screens.h"

/* screens/ of app's home loaded against its schema; ctx with the default
 * keys, in Thai; env on app and ctx, knowing the screens.  0, or -1 with
 * the reason on stderr.  *screens is the caller's (fx_screens_close). */
static __attribute__((unused)) int fx_screens_open(esis_app *app, ui_screens **screens, ui_ctx *ctx,
                                                   ui_screen_env *env)
{
    char err[1024], dir[1024];
    snprintf(dir, sizeof dir, "%s/screens", app->home);
    if (ui_screens_load(dir, app->schema, app->conf, screens, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    ui_keymap km;
    ui_keys_default(&km);
    ui_ctx_init(ctx, app->conf, &km, false);
    ctx->lang = "th";
    ui_screen_env_init(env, app, ctx, 0);
    env->screens = *screens;
    return 0;
}

/* The screens and the application, closed. */
static __attribute__((unused)) void fx_screens_close(esis_app *app, ui_screens *screens)
{
    ui_screens_free(screens);
    app_close(app);
}

#endif
