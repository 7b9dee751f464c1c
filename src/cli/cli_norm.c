/*
 * cli_norm.c: a command's option cleaned as the form and the importer clean
 * the same value (norm.h), before the command hands it on.  What cannot be
 * cleaned is handed on as given, so the layer below refuses it with the
 * message it always gave.
 */
#include "esis/cli.h"
#include "esis/norm.h"

const char *cli_norm(norm_kind kind, const char *in, char *buf, size_t bufsz)
{
    if (!in || norm_value(kind, NULL, in, buf, bufsz) != NORM_OK || !*buf) return in;
    return buf;
}
