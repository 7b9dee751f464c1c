/* libFuzzer entry of fuzz_import: the body is fuzz_import.inc, shared with the
 * replay test tests/test_fuzz_replay.c.  Built by tests/fuzz/build-and-run. */
#include "fuzz_import.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) { fuzz_import_init(); atexit(fuzz_import_fini); ready = 1; }
    return fuzz_import_one(data, size);
}
