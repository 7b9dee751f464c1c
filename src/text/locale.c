/*
 * locale.c: a UTF-8 LC_CTYPE whatever the login's locale, and the language
 * the environment asks for.  See include/esis/text_locale.h for why.
 *
 * The test for UTF-8 is nl_langinfo(CODESET), the same answer ncursesw
 * goes by, rather than the locale's name: "th_TH" alone is TIS-620, and
 * "C.utf8" and "en_US.UTF-8" are both UTF-8.
 */
#include "esis/text_locale.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const TEXT_LOCALE_FALLBACKS[] = {
    "C.UTF-8", "C.utf8", "en_US.UTF-8", "th_TH.UTF-8", NULL,
};

bool text_locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static void text_locale_name(char *used, size_t usedsz)
{
    if (!used || !usedsz)
        return;
    const char *now = setlocale(LC_CTYPE, NULL);
    snprintf(used, usedsz, "%s", now ? now : "C");
}

text_locale_status text_locale_setup(const char *const *fallbacks, char *used,
                                     size_t usedsz)
{
    /* Fails when the login names a locale the server lacks: then "C", and
     * the fallbacks below take over LC_CTYPE. */
    if (!setlocale(LC_ALL, ""))
        setlocale(LC_ALL, "C");
    if (text_locale_is_utf8()) {
        text_locale_name(used, usedsz);
        return TEXT_LOCALE_LOGIN;
    }
    for (const char *const *f = fallbacks ? fallbacks : TEXT_LOCALE_FALLBACKS; *f; f++) {
        if (setlocale(LC_CTYPE, *f) && text_locale_is_utf8()) {
            text_locale_name(used, usedsz);
            return TEXT_LOCALE_SWITCHED;
        }
    }
    setlocale(LC_CTYPE, "C");
    text_locale_name(used, usedsz);
    return TEXT_LOCALE_NONE;
}

/* True for a locale name that carries no language: C, POSIX, C.UTF-8. */
static bool text_locale_no_language(const char *v)
{
    return !strcmp(v, "C") || !strcmp(v, "POSIX") || !strncmp(v, "C.", 2) ||
           !strncmp(v, "C@", 2);
}

static const char *text_locale_getenv(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

const char *text_locale_env_lang(const char *fallback)
{
    const char *v = text_locale_getenv("LC_ALL");
    if (!v) v = text_locale_getenv("LC_MESSAGES");
    if (!v) v = text_locale_getenv("LANG");
    if (!v || text_locale_no_language(v))
        return fallback;
    /* gettext: LANGUAGE, a list such as "th:en", wins over the locale */
    const char *list = text_locale_getenv("LANGUAGE");
    if (list && list[0] != ':')
        v = list;
    if (v[0] == 't' && v[1] == 'h' && strchr("_.@:", v[2] ? v[2] : '_'))
        return "th";
    return "en";
}
