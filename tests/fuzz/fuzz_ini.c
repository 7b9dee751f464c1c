/* libFuzzer entry of fuzz_ini: the body is fuzz_ini.inc, shared with the
 * replay test tests/test_fuzz_replay.c.  Built by tests/fuzz/build-and-run. */
#include "fuzz_ini.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) { fuzz_ini_init(); atexit(fuzz_ini_fini); ready = 1; }
    return fuzz_ini_one(data, size);
}
