/*
 * cli: the subcommands.  One file per command under src/cli/, each exporting
 * one const esis_cmd; main.c holds the table.  A command gets the prepared
 * application context and its own arguments (argv[0] is the command name).
 * It returns the process exit status.
 */
#ifndef ESIS_CLI_H
#define ESIS_CLI_H

#include "esis/app.h"
#include "esis/norm.h"

#include <stddef.h>

typedef struct esis_cmd {
    const char *name;        /* "import" */
    const char *usage;       /* "import KIND FILE [--round R] [--rejects PATH]" */
    const char *summary;     /* message key of a one-line description */
    unsigned    needs;       /* APP_* flags app_open must prepare */
    int (*run)(esis_app *app, int argc, char **argv);
} esis_cmd;

/* Small shared helpers for argument parsing. */
/* The value after `--name` (argv[i+1]) or of `--name=value`; advances *i. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name);
/* A record id typed on the command line: digits only, above zero. */
bool cli_parse_id(const char *s, long long *id);
/* Print "esis: <msg>" to stderr, return status. */
int cli_fail(int status, const char *fmt, ...);
/* A --school the session may not see is refused, not answered with
 * nothing: 0 when school is NULL or one of the session's schools, else
 * the refusal printed (in the session's language) and exit status 1. */
int cli_school_in_scope(esis_app *app, const char *school);
/* An option's value cleaned by the normaliser the form and the importer
 * use (norm.h: a date in BE with Thai digits, a code with spaces): buf, or
 * `in` itself when it is NULL, empty or cannot be cleaned (the command
 * then refuses it as before).  buf: strlen(in) + 32 bytes suffice. */
const char *cli_norm(norm_kind kind, const char *in, char *buf, size_t bufsz);

#endif
