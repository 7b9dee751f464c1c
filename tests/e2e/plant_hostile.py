#!/usr/bin/env python3
# plant_hostile.py DB PAYLOAD: write PAYLOAD (escape sequences, C1 bytes)
# into every TEXT column of every table that has rows, the way data typed
# by others would hold them; used by tests/e2e/termsafe.sh.
#
# The columns come from the schema, not from a list: every column declared
# TEXT, but those that identify rows (primary and unique keys, foreign keys
# and the keys they point at: changing them would only detach rows) and
# those holding JSON (the audit's changes, which esis writes itself).  The
# esis catalogue tables and the full-text index's own tables are left
# alone, and so are the users' columns that decide whether the one who
# runs the commands may log in.  The audit triggers need esis's SQL functions, so they are dropped
# for the writes and made again after.  The unit's tables that are empty
# in the demo get one row first, so their commands have something to print.
# Prints "planted N columns of M tables".
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
payload = sys.argv[2]
SKIP_TABLES = {'esis_tables', 'sort_keys', 'sort_key_cols', 'index_upkeep'}
# What decides whether the one who runs the commands may log in at all:
# planted, every command would stop at the login and print only that.
SKIP_COLUMNS = {('users', 'expires'), ('users', 'password_hash'), ('users', 'role'), ('users', 'lang'),
                # which collection a round is of decides which lists show it at all
                # (the dashboard lists DMC rounds): planted, the lists would be empty
                ('rounds', 'collection')}
FILL_EMPTY = ['access_requests', 'service_requests', 'coordination_records', 'analysis_records',
              'analysis_reports', 'info_reports', 'evaluations', 'network_contacts', 'internet']


def q(name):
    return '"' + name.replace('"', '""') + '"'


tables = [r[0] for r in db.execute(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    " AND name NOT LIKE '%_fts%' ORDER BY name") if r[0] not in SKIP_TABLES]
triggers = db.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'").fetchall()
for name, _ in triggers:
    db.execute('DROP TRIGGER ' + q(name))

# Keys: what identifies rows or points at them.
keys = set()
for t in tables:
    for cid, col, typ, notnull, dflt, pk in db.execute('PRAGMA table_info(%s)' % q(t)):
        if pk:
            keys.add((t, col))
    for idx in db.execute('PRAGMA index_list(%s)' % q(t)):
        if idx[2]:  # unique
            for c in db.execute('PRAGMA index_info(%s)' % q(idx[1])):
                keys.add((t, c[2]))
    for fk in db.execute('PRAGMA foreign_key_list(%s)' % q(t)):
        keys.add((t, fk[3]))
        keys.add((fk[2], fk[4]))


def fill(t):
    cols, vals = [], []
    fks = {fk[3]: (fk[2], fk[4]) for fk in db.execute('PRAGMA foreign_key_list(%s)' % q(t))}
    for cid, col, typ, notnull, dflt, pk in db.execute('PRAGMA table_info(%s)' % q(t)):
        if pk or (not notnull and col not in fks) or dflt is not None:
            continue
        if col in fks:
            parent, pcol = fks[col]
            row = db.execute('SELECT %s FROM %s LIMIT 1' % (q(pcol or 'id'), q(parent))).fetchone()
            val = row[0] if row else None
        elif typ.upper() in ('INTEGER', 'REAL'):
            val = 1
        elif col.endswith('_on') or col.endswith('_date') or col in ('as_of', 'opens', 'closes'):
            val = '2025-06-01'
        else:
            val = 'x'
        cols.append(col)
        vals.append(val)
    try:
        db.execute('INSERT INTO %s (%s) VALUES (%s)' % (q(t), ','.join(map(q, cols)), ','.join('?' * len(cols))),
                   vals)
    except sqlite3.Error:
        pass  # a CHECK this generic row does not meet: the table stays empty


for t in FILL_EMPTY:
    if t in tables and db.execute('SELECT count(*) FROM %s' % q(t)).fetchone()[0] == 0:
        fill(t)

ncols = 0
ntables = set()
for t in tables:
    if db.execute('SELECT count(*) FROM %s' % q(t)).fetchone()[0] == 0:
        continue
    for cid, col, typ, notnull, dflt, pk in db.execute('PRAGMA table_info(%s)' % q(t)).fetchall():
        if typ.upper() != 'TEXT' or (t, col) in keys or (t, col) in SKIP_COLUMNS:
            continue
        sample = db.execute('SELECT %s FROM %s WHERE %s IS NOT NULL LIMIT 1' % (q(col), q(t), q(col))).fetchone()
        if sample and isinstance(sample[0], str) and sample[0][:1] in ('{', '['):
            continue  # JSON that esis writes and reads back
        cur = db.execute('UPDATE OR IGNORE %s SET %s = coalesce(%s, \'\') || ?' % (q(t), q(col), q(col)), (payload,))
        if cur.rowcount > 0:
            ncols += 1
            ntables.add(t)
for name, sql in triggers:
    db.execute(sql)
db.commit()
print('planted %d columns of %d tables' % (ncols, len(ntables)))
