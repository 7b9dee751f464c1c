/* libFuzzer entry of fuzz_csv: the body is fuzz_csv.inc, shared with the
 * replay test tests/test_fuzz_replay.c.  Built by tests/fuzz/build-and-run. */
#include "fuzz_csv.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) { fuzz_csv_init(); atexit(fuzz_csv_fini); ready = 1; }
    return fuzz_csv_one(data, size);
}
