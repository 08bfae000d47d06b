/*
 * akk-stage.c -- bench tool: the stage akkoord reads for each decision id
 * on stdin, one "id<TAB>stage" line each (bench/evidence scores it against
 * bench/judged/stages.tsv).
 * Never: changes the index.   usage: akk-stage INDEX < ids
 */
#include "../query/qy-int.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: akk-stage INDEX < ids\n");
        return 2;
    }
    xs_err err = {0};
    ix_snapshot *s = NULL;
    qy_stager *st = NULL;
    if (ix_snapshot_open(argv[1], &s, &err) || qy_stager_new(NULL, &st, &err)) {
        fprintf(stderr, "akk-stage: %s\n", err.msg);
        return 1;
    }
    char id[128];
    int rc = 0;
    while (scanf("%127s", id) == 1) {
        qy_decision d;
        if (qy_decision_find(s, id, &d, &err)) {
            fprintf(stderr, "akk-stage: '%s': %s\n", id, err.msg);
            xs_err_clear(&err);
            rc = 1;
            continue;
        }
        qy_stage stage;
        if (qy_stager_detect(st, &d, &stage)) {
            fprintf(stderr, "akk-stage: out of memory\n");
            qy_decision_release(&d);
            rc = 1;
            break;
        }
        printf("%s\t%s\n", id, qy_stage_name(stage));
        qy_decision_release(&d);
    }
    qy_stager_free(st);
    ix_snapshot_close(s);
    return rc;
}
