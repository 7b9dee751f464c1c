/*
 * cmd_round.c: `esis round` — the collection rounds and moving students.
 *
 *   esis round list
 *   esis round open|close|lock|plan CODE [--force]
 *                   back to planned, or out of locked, a round that holds
 *                   students or submissions is refused without --force
 *   esis round start TO [--from FROM]       carry students over (and promote at a new year)
 *   esis round move CITIZEN_ID --round R --school S (--to CODE | --destination TEXT)
 *                   --date DD/MM/YYYY [--reason TEXT]
 */
#include "esis/cli.h"
#include "esis/db.h"
#include "esis/rounds.h"

#include <stdio.h>
#include <string.h>

static int list(esis_app *app)
{
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, "SELECT round_code, collection, as_of, opens, closes, state,"
                            " (SELECT count(*) FROM students s WHERE s.round_code = r.round_code)"
                            " FROM rounds r ORDER BY academic_year, collection, round_no", &st) != SQLITE_OK)
        return cli_fail(1, "%s", sqlite3_errmsg(app->db));
    printf("%-12s %-6s %-10s %-10s %-10s %-8s %s\n", "round", "coll", "as_of", "opens", "closes", "state", "students");
    while (db_step(st) == SQLITE_ROW) {
        char d[3][11];
        for (int i = 0; i < 3; i++) {
            text_date t;
            const char *v = (const char *)sqlite3_column_text(st, 2 + i);
            if (v && text_date_parse(v, &t)) text_date_be(t, d[i]);
            else snprintf(d[i], sizeof d[i], "%s", v ? v : "");
        }
        printf("%-12s %-6s %-10s %-10s %-10s %-8s %lld\n", (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1), d[0], d[1], d[2],
               (const char *)sqlite3_column_text(st, 5), sqlite3_column_int64(st, 6));
    }
    sqlite3_finalize(st);
    return 0;
}

static int move(esis_app *app, int argc, char **argv)
{
    const char *id = NULL, *round = NULL, *school = NULL, *to = NULL, *dest = NULL, *date = NULL, *reason = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) school = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--to"))) to = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--destination"))) dest = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--date"))) date = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--reason"))) reason = v;
        else if (argv[i][0] != '-' && !id) id = argv[i];
        else return cli_fail(2, "round move: unknown argument '%s'", argv[i]);
    }
    if (!id || !round || !school || !date || (!to && !dest))
        return cli_fail(2, "usage: esis round move CITIZEN_ID --round R --school S (--to CODE | --destination TEXT) --date DD/MM/YYYY");
    /* the citizen ID, school codes and date as the form cleans them */
    char idb[64], schoolb[64], tob[64], dateb[64];
    id = cli_norm(NORM_DIGITS, id, idb, sizeof idb);
    school = cli_norm(NORM_DIGITS, school, schoolb, sizeof schoolb);
    to = cli_norm(NORM_DIGITS, to, tob, sizeof tob);
    date = cli_norm(NORM_DATE, date, dateb, sizeof dateb);
    char err[512];
    if (rounds_record_move(app->db, round, id, school, to, dest, date, reason, err, sizeof err) != 0)
        return cli_fail(1, "%s", err);
    printf("%s %s -> %s\n", id, school, to ? to : dest);
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "list")) return list(app);
    const char *sub = argv[1];
    char err[512];
    if (!strcmp(sub, "open") || !strcmp(sub, "close") || !strcmp(sub, "lock") || !strcmp(sub, "plan")) {
        bool force = argc == 4 && !strcmp(argv[3], "--force");
        if (argc != 3 && !force) return cli_fail(2, "usage: esis round %s CODE [--force]", sub);
        const char *state = !strcmp(sub, "open") ? "open" : !strcmp(sub, "close") ? "closed"
                          : !strcmp(sub, "lock") ? "locked" : "planned";
        rounds_held held;
        if (rounds_ensure(app->db, app->conf, argv[2], err, sizeof err) != 0) return cli_fail(1, "%s", err);
        int rc = rounds_set_state(app->db, argv[2], state, force, &held, err, sizeof err);
        if (rc == 1)
            return cli_fail(1, "%s %s: %lld %s, %lld %s", app_msg(app, "round.needs_force"), argv[2], held.students,
                            app_msg(app, "round.holds"), held.submissions, app_msg(app, "round.submissions"));
        if (rc) return cli_fail(1, "%s", err);
        printf("%s: %s\n", argv[2], state);
        return 0;
    }
    if (!strcmp(sub, "start")) {
        const char *to = NULL, *from = NULL;
        for (int i = 2; i < argc; i++) {
            const char *v;
            if ((v = cli_opt_value(argc, argv, &i, "--from"))) from = v;
            else if (!to && argv[i][0] != '-') to = argv[i];
            else return cli_fail(2, "round start: unknown argument '%s'", argv[i]);
        }
        if (!to) return cli_fail(2, "usage: esis round start TO [--from FROM]");
        char prev[24];
        if (!from) {
            if (!rounds_previous(to, prev, sizeof prev)) return cli_fail(2, "'%s' is not a DMC round code", to);
            from = prev;
        }
        long carried, graduated;
        if (rounds_start_from(app->db, app->conf, from, to, &carried, &graduated, err, sizeof err) != 0)
            return cli_fail(1, "%s", err);
        printf("%s -> %s: %s %ld, %s %ld\n", from, to, app_msg(app, "round.carried"), carried,
               app_msg(app, "round.graduated"), graduated);
        return 0;
    }
    if (!strcmp(sub, "move")) return move(app, argc, argv);
    return cli_fail(2, "round: unknown action '%s' (list, open, close, lock, plan, start, move)", sub);
}

const esis_cmd cmd_round = {
    "round", "round list|open|close|lock|plan CODE [--force]|start TO [--from R]|move ID ...", "cmd.round",
    APP_LOGIN, run,
};
