/* libFuzzer entry of fuzz_expr: the body is fuzz_expr.inc, shared with the
 * replay test tests/test_fuzz_replay.c.  Built by tests/fuzz/build-and-run. */
#include "fuzz_expr.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) { fuzz_expr_init(); atexit(fuzz_expr_fini); ready = 1; }
    return fuzz_expr_one(data, size);
}
