#!/usr/bin/env python3
# term_unsafe.py FILE...: what in each FILE a terminal would obey rather
# than show, decoded by Python (not by esis): C0 controls but newline and
# tab, CR not before LF, DEL, C1 (U+0080-U+009F), bidi overrides and
# isolates, and bytes that are not UTF-8.  Prints "FILE: [...]" for each
# file that has any, and exits 1; silent with 0 when all are clean.
# Used by tests/e2e/attack.sh and tests/e2e/termsafe.sh.
import re
import sys

UNSAFE = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]|\r(?!\n)')
status = 0
for path in sys.argv[1:]:
    text = open(path, 'rb').read().decode('utf-8', errors='surrogateescape')
    found = UNSAFE.findall(text)
    if found:
        print('%s: %r' % (path, found[:6]))
        status = 1
sys.exit(status)
