/*
 * 1,000 create/free cycles of every handle type (sdm_runtime, sdm_module, sdm_bytes,
 * sdm_runtime_host), run
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

  /* Runtime hosts with a row, a region and an installed (loaded) module each, so every part
   * of the host is released by sdm_runtime_host_free. */
  for (int i = 0; i < CYCLES; i++) {
    sdm_runtime_host *host = NULL;
    CHECK_OK(sdm_runtime_host_new(&host));
    uint64_t id = 0;
    CHECK_OK(sdm_runtime_host_append_row(host, (const uint8_t *)"OMM", 3,
                                         (const uint8_t *)"{\"i\":1}", 7, &id));
    CHECK_OK(sdm_runtime_host_allocate_region(host, (const uint8_t *)"l", 1, 8, 8,
                                              (const uint8_t *)"abc", 3, &id));
    if (i % 250 == 0) { /* compiling is slow (minutes under valgrind): 4 cycles install and load a module */
      sdm_bytes json = {0};
      CHECK_OK(sdm_runtime_host_install_module(host, (const uint8_t *)"m", 1, wasm, wasm_len,
                                               NULL, 0, false, &json));
      sdm_bytes_free(&json);
      CHECK_OK(sdm_runtime_host_load_module(host, (const uint8_t *)"m", 1));
    }
    sdm_runtime_host_free(host);
  }

  free(wasm);
  printf("leak_cycles: %d cycles of sdm_runtime, sdm_module, sdm_bytes, sdm_runtime_host: ok\n",
         CYCLES);
  return 0;
}
