/* libFuzzer entry of fuzz_id: the body is fuzz_id.inc, shared with the
 * replay test tests/test_fuzz_replay.c.  Built by tests/fuzz/build-and-run. */
#include "fuzz_id.inc"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) { fuzz_id_init(); atexit(fuzz_id_fini); ready = 1; }
    return fuzz_id_one(data, size);
}
