/*
 * text_locale: a UTF-8 character locale whatever the login brings, and the
 * interface language the environment asks for.
 *
 * Why: ncursesw draws Thai only when LC_CTYPE's codeset is UTF-8.  An SSH
 * login often has none: PuTTY sends no LANG (the process runs in "C"), and
 * a client may forward a locale the server lacks (en_US.UTF-8 on a server
 * that has only C.UTF-8), in which case setlocale(LC_ALL, "") fails and the
 * process stays in "C".  Under "C" every Thai character is drawn as a space
 * and the boxes lose their sides.  So esis takes the login's locale when it
 * is UTF-8 and otherwise switches its own LC_CTYPE (only that category: the
 * numbers and dates esis prints do not depend on the locale) to the first
 * UTF-8 locale that exists.  C.UTF-8 exists on every current Debian and
 * Ubuntu; the others are for systems that lack it.
 *
 * The language of the interface is a separate question (the codeset says
 * nothing about it): text_locale_env_lang() reads LC_ALL, LC_MESSAGES and
 * LANG (and GNU's LANGUAGE) the way gettext does.  conf/esis.ini's
 * `[display] lang = auto` asks for it; `th` or `en` there, and --lang,
 * override it.
 *
 * Nothing here allocates.
 */
#ifndef ESIS_TEXT_LOCALE_H
#define ESIS_TEXT_LOCALE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum text_locale_status {
    TEXT_LOCALE_LOGIN,    /* the login's own locale is UTF-8: kept */
    TEXT_LOCALE_SWITCHED, /* LC_CTYPE switched to a fallback UTF-8 locale */
    TEXT_LOCALE_NONE,     /* no UTF-8 locale exists: Thai cannot be drawn */
} text_locale_status;

/* The fallbacks tried in order, NULL-terminated. */
extern const char *const TEXT_LOCALE_FALLBACKS[];

/* setlocale(LC_ALL, "") and, when the codeset is not UTF-8, LC_CTYPE set to
 * the first of fallbacks (NULL: TEXT_LOCALE_FALLBACKS) that exists.  The
 * name of the LC_CTYPE in force goes to used (may be NULL). */
text_locale_status text_locale_setup(const char *const *fallbacks, char *used,
                                     size_t usedsz);

/* True when the current LC_CTYPE's codeset is UTF-8. */
bool text_locale_is_utf8(void);

/* "th" or "en" as the environment asks: the first set of LC_ALL,
 * LC_MESSAGES, LANG decides (LANGUAGE's first entry first, as gettext does,
 * unless that locale is C or POSIX).  A `th` language is Thai, any other
 * language English; C, POSIX or nothing at all says nothing, and gives
 * fallback (the office's language). */
const char *text_locale_env_lang(const char *fallback);

#endif
