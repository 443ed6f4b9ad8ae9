/*
 * The one entry point every libFuzzer target defines.  fuzz/replay.c calls
 * it too, so the same target replays its corpus in the ordinary test build.
 */
#ifndef IRK_FUZZ_H
#define IRK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
