/*
 * norm: one normaliser per field type, for every path that writes a value.
 *
 * The form (ui_form), the importer (io) and the commands that write all
 * clean a value here, so a value typed and the same value imported are
 * stored byte for byte the same.  It lives in the conf layer because a
 * code field needs the code lists of conf/codes.ini, and ui, io and cli
 * all sit above conf.
 *
 * What each type does:
 *   text    as written: only the blanks around it are trimmed; Thai digits,
 *           spaces inside, punctuation are kept (a name or a note keeps
 *           what was written)
 *   upper   Thai digits made ASCII, trimmed, ASCII upper case
 *   digits  Thai digits made ASCII, dashes, dots and blanks removed, upper
 *           case (IDs, codes, postcodes)
 *   int     Thai digits made ASCII, thousands commas and blanks removed,
 *           "12.0" read as 12, written as %lld writes it
 *   real    likewise, written as %.15g writes it
 *   date    DD/MM/YYYY BE (Thai digits too) or ISO CE -> ISO CE
 *   code    any spelling of a code list entry (code, Thai or English
 *           label, alias; Thai digits too) -> its code
 * An empty value stays empty for every type.
 */
#ifndef ESIS_NORM_H
#define ESIS_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/conf.h"

typedef enum norm_kind {
    NORM_BY_TYPE = 0, /* not declared: the caller's field type decides */
    NORM_TEXT,
    NORM_UPPER,
    NORM_DIGITS,
    NORM_INT,
    NORM_REAL,
    NORM_DATE,
    NORM_CODE
} norm_kind;

typedef enum norm_fail {
    NORM_OK = 0,
    NORM_TOO_LONG,     /* out is too small */
    NORM_BAD_INT,
    NORM_BAD_REAL,
    NORM_BAD_DATE,
    NORM_BAD_CODE      /* not in the list, or no list */
} norm_fail;

/* Normalise `in` as `kind` into out (outsz bytes; strlen(in) + 32 always
 * suffices).  codes: the list of a NORM_CODE value.  NORM_BY_TYPE is taken
 * as text.  Returns NORM_OK with out set, or why not (out then undefined). */
norm_fail norm_value(norm_kind kind, const conf_codelist *codes, const char *in,
                     char *out, size_t outsz);

/* "text", "upper", "digits", "int", "real", "date", "code:<list>" -> kind;
 * *list gets the text after "code:" (a pointer into s).  0, or -1 when s
 * is none of them. */
int norm_kind_parse(const char *s, norm_kind *kind, const char **list);

/* The kind a column of SQL type `sqltype` ("INTEGER", "REAL", ...) holds
 * when nothing else is declared for it: int, real or text. */
norm_kind norm_kind_of_sqltype(const char *sqltype);

/* What a code list accepts, for an "unknown code" message: "ป.1 (P1),
 * ป.2 (P2), …" in Thai (en: "P1, P2, …"), cut with "…" to fit outsz.
 * The one place such a list is written, for importer and form alike. */
void norm_accepted(const conf_codelist *l, bool en, char *out, size_t outsz);

/* The message key of a failure ("io.bad_int", ...; conf/messages.ini). */
const char *norm_fail_key(norm_fail f);

#endif
