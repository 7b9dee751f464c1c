/* Shared by the cmocka tests: includes in the order cmocka wants. */
#ifndef ESIS_TESTUTIL_H
#define ESIS_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#endif
