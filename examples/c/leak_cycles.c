/*
 * 1,000 create/free cycles of every handle type (sdm_runtime, sdm_module, sdm_bytes), run
 * under valgrind by `make test-c`: any leak fails the run.
 *
 * usage: leak_cycles MODULE.wasm
 */
#include "common.h"

#define CYCLES 1000

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODULE.wasm\n", argv[0]);
    return 2;
  }
  size_t wasm_len;
  unsigned char *wasm = read_file(argv[1], &wasm_len);

  for (int i = 0; i < CYCLES; i++) {
    sdm_runtime *runtime = NULL;
    CHECK_OK(sdm_runtime_new(&runtime));
    sdm_runtime_free(runtime);
  }

  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  for (int i = 0; i < CYCLES; i++) {
    sdm_module *module = NULL;
    CHECK_OK(sdm_module_load(runtime, wasm, wasm_len, &module));
    sdm_module_free(module);
  }
  sdm_runtime_free(runtime);

  for (int i = 0; i < CYCLES; i++) {
    sdm_bytes parsed = {0};
    CHECK_OK(sdm_bundle_inspect(wasm, wasm_len, &parsed));
    sdm_bytes_free(&parsed);
    /* An error path too: the last-error message is replaced, never leaked. */
    CHECK_ERROR(sdm_bundle_inspect(wasm, 4, &parsed));
  }

  free(wasm);
  printf("leak_cycles: %d cycles of sdm_runtime, sdm_module, sdm_bytes: ok\n", CYCLES);
  return 0;
}
