/* libFuzzer entry of fuzz_date: the body is fuzz_date.inc, shared with the
 * replay test tests/test_fuzz_replay.c.  Built by tests/fuzz/build-and-run. */
#include "fuzz_date.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) { fuzz_date_init(); atexit(fuzz_date_fini); ready = 1; }
    return fuzz_date_one(data, size);
}
