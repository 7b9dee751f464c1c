/*
 * conf: the settings in the conf/ files, read once with iniparser into typed
 * values.  Nothing else in esis parses these files.
 *
 *   conf/esis.ini      database path, language, display options, thresholds
 *   conf/rounds.ini    the collection calendar per academic year
 *   conf/rates.ini     the subsidy's components and rates per fiscal year,
 *                      the term allocation, the poor-student screening
 *   conf/codes.ini     code lists (grades, prefixes, disability types, ...)
 *   conf/messages.ini  every text the user sees, in Thai and English
 *   (conf/keys.ini, the key map, is read by ui_keys: only the TUI needs it)
 *
 * A bad value is refused with its file, section, key and why; the CLI exits
 * with status 2.  The esis_conf is owned by the application context and
 * freed with conf_free.
 */
#ifndef ESIS_CONF_H
#define ESIS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/text.h"

/* One entry of a code list: "P1" | "ป.1" | "Primary 1" | aliases. */
typedef struct conf_code {
    char  *code;      /* canonical, stored in the database ("P1") */
    char  *label_th;  /* shown in Thai ("ป.1") */
    char  *label_en;  /* shown in English ("P1") */
    char **aliases;   /* other spellings accepted on import ("ป1", "1") */
    int    naliases;
    int    number;    /* an optional number (normal age of a grade, ...), -1 if none */
    char  *group;     /* an optional group ("primary" for P1..P6), "" if none */
} conf_code;

typedef struct conf_codelist {
    char      *name;  /* "grade" */
    conf_code *v;
    int        n;
} conf_codelist;

typedef enum conf_collection { COLL_DMC = 0, COLL_EMIS = 1, COLL_BOBEC = 2 } conf_collection;

/* A collection round: DMC has three a year, EMIS and B-obec one. */
typedef struct conf_round {
    char      code[24];     /* "2567-1", "2567-2", "2567-3", "2567-emis", "2567-bobec" */
    int       year;         /* academic year, BE */
    int       number;       /* 1..3 for DMC, 0 for the yearly ones */
    conf_collection collection;
    text_date as_of;
    text_date opens;
    text_date closes;
} conf_round;

/* A part of the money the counts drive (conf/rates.ini [component.NAME]). */
typedef struct conf_rate_component {
    char  *name;            /* "per_head", "textbooks", "poor", "lunch", ... */
    char  *label_th, *label_en;
    bool   poor_only;       /* paid for the students flagged poor only */
    bool   per_day;         /* baht per pupil and school day by school size */
    bool   optional;        /* a fiscal year may leave it out */
    double term_share[2];   /* the part of the yearly rate paid in term 1, 2 */
} conf_rate_component;

/* One figure of a fiscal year: a component's yearly rate for a grade or a
 * level, or (per_day) its daily rate for schools of at most `pupils`
 * pupils (0: any size). */
typedef struct conf_rate {
    int    fiscal_year;     /* BE: 1 October fiscal_year-1 .. 30 September */
    int    component;       /* index into esis_conf.rate_components */
    char  *subject;         /* grade code ("P1") or level ("primary"); NULL for per_day */
    long   pupils;
    double amount;          /* baht */
} conf_rate;

typedef struct esis_conf {
    char *home;             /* directory holding conf/ and screens/ */
    char *db_path;          /* from the settings, a full path unless a file named it
                             * relatively from "."; --db / ESIS_DB may override */
    char  lang[3];          /* "th" or "en" (esis.ini's auto resolved from the environment) */
    bool  color;            /* use colour when the terminal has it (NO_COLOR wins) */
    char *office_name_th;   /* heading of printed documents */
    char *office_name_en;
    int   busy_timeout_ms;
    /* school size classes: small <= size_small, medium <= size_medium, large <= size_large */
    int   size_small, size_medium, size_large;
    /* ages (conf/rules/dmc.ini): an error when younger than the grade admits by
     * more than too_young_years; far too late when older by over_age_years or more */
    int   too_young_years, over_age_years;
    /* staff norm: students per teacher */
    double students_per_teacher;

    conf_round    *rounds;   int nrounds;
    conf_rate     *rates;    int nrates;
    conf_rate_component *rate_components; int nrate_components;
    int   term_round[2];     /* the DMC round (1..3) each term is paid from */
    double poor_income_per_member_month;  /* the poor-student screening */
    int   poor_criteria_min;
    conf_codelist *codes;    int ncodes;

    char *g_code_pattern;    /* POSIX ERE for the code of students without a Thai ID */
    char *school_code_pattern;

    void *messages;          /* iniparser dictionary of messages.ini (opaque) */
    void *standard;          /* the standard calendar of rounds.ini (opaque) */
} esis_conf;

/* Load every file under home/conf.  Returns 0, or 2 with err set to
 * "conf/rounds.ini [2567] r1_as_of: '31/02/2567' is not a date". */
int conf_load(const char *home, esis_conf **out, char *err, size_t errsz);

/* A settings file read over home/conf/esis.ini (include/esis/conf_where.h
 * says which files a run reads, and in what order). */
typedef struct conf_layer {
    const char *path;
    bool required;      /* missing is an error (--config); else skipped */
    bool display_only;  /* only [display] lang and color (the per-user file) */
} conf_layer;

/* conf_load, with the keys of each layer, in order, over the packaged
 * esis.ini's.  A layer's key must be one esis.ini knows, and a bad value is
 * reported naming the layer's file.  A relative [database] path is taken
 * from the directory of the file that set it. */
int conf_load_layered(const char *home, const conf_layer *layers, int nlayers, esis_conf **out,
                      char *err, size_t errsz);
void conf_free(esis_conf *c);

/* Load an ini file with iniparser (a dictionary *), keeping iniparser's own
 * syntax-error message in why instead of letting it go to stderr.  NULL on
 * failure.  Every esis ini file is read through this.  It also refuses what
 * iniparser lets through silently: a section that appears twice (iniparser
 * merges the two, the later keys winning), why then being
 * "[section]: the section appears twice (lines N and M)". */
void *conf_ini_load(const char *path, char *why, size_t whysz);

/* The first key of an ini section that is not one of `allowed`
 * (NULL-terminated) and, when allowed_prefix is not NULL, does not start
 * with it followed by at least one character (the rules' let_NAME keys).
 * *unknown gets that key without its "section:" part (a pointer into the
 * dictionary) or NULL when every key is known.  Returns 0, or -1 when memory
 * ran out.  Every loader that refuses unknown keys asks this. */
int conf_ini_unknown_key(void *dict, const char *section, const char *const *allowed,
                         const char *allowed_prefix, const char **unknown);

/* Where conf/ and screens/ live: $ESIS_HOME, else next to the binary
 * (<bin>/../share/esis when installed, the source tree when built), else the
 * current directory.  Caller frees. */
char *conf_find_home(const char *argv0);

/* A round by code ("2567-1", "2567-emis"); a year the calendar does not list
 * gets the standard dates.  Returns false for a malformed code. */
bool conf_round_get(const esis_conf *c, const char *code, conf_round *out);
/* The DMC round whose window holds `day`, or the latest one before it. */
void conf_round_current(const esis_conf *c, text_date day, conf_round *out);
/* The academic year (BE) that `day` falls in (it starts on 16 May). */
int conf_academic_year(text_date day);

/* A code list by name, a code in it by code or alias (case-insensitive for
 * ASCII).  NULL when not found. */
const conf_codelist *conf_codes(const esis_conf *c, const char *list);
const conf_code *conf_code_find(const conf_codelist *l, const char *text);

/* The group ("kindergarten", "primary", ...) of a grade code, "" if none. */
const char *conf_grade_level(const esis_conf *c, const char *grade);

/* The fiscal year (BE) a day falls in: it starts on 1 October. */
int conf_fiscal_year(text_date day);
/* Whether conf/rates.ini has a section for the fiscal year. */
bool conf_rates_year(const esis_conf *c, int fiscal_year);
/* A component by name; NULL when conf/rates.ini does not declare it. */
const conf_rate_component *conf_rate_component_find(const esis_conf *c, const char *name);
/* The yearly rate of a component in a fiscal year for a grade or a level
 * (a grade's own figure, else its level's).  0 with *out set; 1 when the
 * grade or level has no figure (not paid: an unknown grade); 2 when the
 * fiscal year has no section or does not give the component (why names
 * the file and section, in lang). */
int conf_rate_amount(const esis_conf *c, int fiscal_year, const char *component,
                     const char *grade_or_level, double *out, const char *lang,
                     char *why, size_t whysz);
/* A per_day component's rate for a school of `pupils` pupils; false when
 * the year does not give it. */
bool conf_rate_daily(const esis_conf *c, int fiscal_year, const char *component, long pupils,
                     double *out);
/* The DMC round term 1 or 2 of an academic year is paid from, and the
 * fiscal year that pays it (the one its as-of date falls in).  False for a
 * term other than 1 or 2. */
bool conf_term_round(const esis_conf *c, int academic_year, int term, conf_round *round,
                     int *fiscal_year);

/* A user-visible text by key in the configured language; falls back to the
 * other language, then to the key itself.  Never NULL. */
const char *conf_msg(const esis_conf *c, const char *key);
const char *conf_msg_lang(const esis_conf *c, const char *lang, const char *key);
/* The label of a code in the language (the code itself when unknown). */
const char *conf_code_label(const esis_conf *c, const char *list, const char *code, const char *lang);
/* A numeric threshold of esis.ini by name ("students_per_teacher",
 * "too_young_years", ...): what rule expressions read with conf('name') and
 * query rules with the parameter :conf_name.  False for an unknown name. */
bool conf_number(const esis_conf *c, const char *name, double *out);
/* School size class ("small", "medium", "large", "extra_large") of a count. */
const char *conf_size_class(const esis_conf *c, long students);

#endif
