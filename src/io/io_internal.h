/*
 * io_internal: helpers shared by the io module's files (not a public API).
 */
#ifndef ESIS_IO_INTERNAL_H
#define ESIS_IO_INTERNAL_H

#include <stddef.h>
#include "esis/strbuf.h"

/* Append template to sb with each {name} replaced by the value that follows
 * name in kv (a NULL-terminated list name, value, name, value, ...).
 * Unknown placeholders are kept as written. */
void io_msg_fill(strbuf *sb, const char *tmpl, const char *const *kv);

#endif
