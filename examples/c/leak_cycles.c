/*
 * 1,000 create/free cycles of every handle type (sdm_runtime, sdm_verified, sdm_module,
 * sdm_bytes, sdm_runtime_host, also with a policy) and 100 of the authorization /
 * open-report / signed-verify results: any leak fails the run. `make test-c` runs the 1,000
 * cycles under LeakSanitizer (built with -fsanitize=leak: it intercepts every malloc, the
 * library's included, at no per-call cost) and a few cycles under valgrind, which also checks
 * every read and write (and reports a single leaked block as surely as a thousand).
 *
 * usage: leak_cycles MODULE.wasm [CYCLES]
 * With SDM_LEAK_CANARY=1 in the environment one sdm_bytes is deliberately not freed, so the
 * Makefile can show that the leak checker fails the run when something leaks.
 */
#include "common.h"

static int CYCLES = 1000;
/* ECDSA signing and verification under valgrind cost ~10 ms each: fewer cycles, same
 * per-call leak detection (any leak per call shows up 100 times). */
#define AUTH_CYCLES 100

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: %s MODULE.wasm [CYCLES]\n", argv[0]);
    return 2;
  }
  if (argc == 3) {
    CYCLES = atoi(argv[2]);
    if (CYCLES < 1) {
      fprintf(stderr, "CYCLES must be a positive number\n");
      return 2;
    }
  }
  size_t wasm_len;
  unsigned char *wasm = read_file(argv[1], &wasm_len);

  for (int i = 0; i < CYCLES; i++) {
    sdm_runtime *runtime = NULL;
    CHECK_OK(sdm_runtime_new(&runtime));
    sdm_runtime_free(runtime);
  }

  /* The loader's handle: success (its wasm copied out too) and refusal paths. */
  for (int i = 0; i < CYCLES; i++) {
    sdm_verified *verified = NULL;
    CHECK_OK(sdm_verify(wasm, wasm_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));
    sdm_bytes copy = {0};
    CHECK_OK(sdm_verified_wasm(verified, &copy));
    sdm_bytes_free(&copy);
    sdm_verified_free(verified);
    CHECK_STATUS(SDM_ERR_TRAILER_MISSING, sdm_verify(wasm, wasm_len, NULL, 0, NULL, 0, 0, &verified));
  }

  sdm_verified *verified = NULL;
  CHECK_OK(sdm_verify(wasm, wasm_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));
  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  for (int i = 0; i < CYCLES; i++) {
    sdm_module *module = NULL;
    CHECK_OK(sdm_module_load(runtime, verified, &module));
    sdm_module_free(module);
  }
  sdm_runtime_free(runtime);

  for (int i = 0; i < CYCLES; i++) {
    sdm_bytes parsed = {0};
    CHECK_OK(sdm_bundle_inspect(wasm, wasm_len, &parsed));
    if (i == 0 && getenv("SDM_LEAK_CANARY")) {
      continue; /* the deliberate leak */
    }
    sdm_bytes_free(&parsed);
    /* An error path too: the last-error message is replaced, never leaked. */
    CHECK_ERROR(sdm_bundle_inspect(wasm, 4, &parsed));
  }

  /* Runtime hosts with a row, a region and an installed (loaded) module each, so every part
   * of the host is released by sdm_runtime_host_free. */
  static const char policy[] = "{\"grant\":[\"clock\"]}";
  for (int i = 0; i < CYCLES; i++) {
    sdm_runtime_host *host = NULL;
    if (i % 2 == 0) {
      CHECK_OK(sdm_runtime_host_new(&host));
    } else {
      CHECK_OK(sdm_runtime_host_new_with_policy(NULL, 0, (const uint8_t *)policy,
                                                strlen(policy), &host));
    }
    uint64_t id = 0;
    CHECK_OK(sdm_runtime_host_append_row(host, (const uint8_t *)"OMM", 3,
                                         (const uint8_t *)"{\"i\":1}", 7, &id));
    CHECK_OK(sdm_runtime_host_allocate_region(host, (const uint8_t *)"l", 1, 8, 8,
                                              (const uint8_t *)"abc", 3, &id));
    if (i % 250 == 0 || i == CYCLES - 1) { /* compiling is slow (minutes under valgrind): 4 cycles install and load a module */
      sdm_bytes json = {0};
      CHECK_OK(sdm_runtime_host_install_module(host, (const uint8_t *)"m", 1, verified, NULL, 0,
                                               false, &json));
      sdm_bytes_free(&json);
      CHECK_OK(sdm_runtime_host_load_module(host, (const uint8_t *)"m", 1));
    }
    sdm_runtime_host_free(host);
  }

  sdm_verified_free(verified);

  /* The authorization, open-report and signed-verify results (success and error paths). */
  static const unsigned char KEY[32] = {7};
  unsigned char trusted[33];
  CHECK_OK(sdm_signing_public_key(KEY, sizeof KEY, trusted, sizeof trusted));
  static const unsigned char OTHER_KEY[32] = {8};
  unsigned char untrusted[33];
  CHECK_OK(sdm_signing_public_key(OTHER_KEY, sizeof OTHER_KEY, untrusted, sizeof untrusted));
  static const char manifest[] = "{\"pluginId\":\"leak\",\"name\":\"leak\",\"version\":\"1\"}";
  sdm_bytes artifact = {0}, protect_result = {0};
  CHECK_OK(sdm_protect((const uint8_t *)manifest, strlen(manifest), wasm, wasm_len, KEY,
                       sizeof KEY, NULL, 0, false, &artifact, &protect_result));
  sdm_bytes_free(&protect_result);
  static const char options[] = "{\"artifactId\":\"a\",\"capabilities\":[\"clock\"]}";
  static const char expired[] = "{\"now\":4102444800000}";
  int auth_cycles = CYCLES < AUTH_CYCLES ? CYCLES : AUTH_CYCLES;
  for (int i = 0; i < auth_cycles; i++) {
    sdm_bytes envelope = {0}, checked = {0}, outcome = {0}, opened = {0};
    CHECK_OK(sdm_authorization_create((const uint8_t *)options, strlen(options), KEY,
                                      sizeof KEY, NULL, 0, &envelope));
    CHECK_OK(sdm_authorization_verify(envelope.ptr, envelope.len, trusted, sizeof trusted, NULL,
                                      0, &checked));
    CHECK_ERROR(sdm_authorization_verify(envelope.ptr, envelope.len, trusted, sizeof trusted,
                                         (const uint8_t *)expired, strlen(expired), &checked));
    CHECK_OK(sdm_open_report(wasm, wasm_len, trusted, sizeof trusted, NULL, 0, &opened,
                             &outcome));
    sdm_bytes_free(&outcome);
    sdm_bytes_free(&opened);
    sdm_bytes_free(&checked);
    sdm_bytes_free(&envelope);
    sdm_verified *signed_module = NULL;
    CHECK_OK(sdm_verify(artifact.ptr, artifact.len, trusted, sizeof trusted, NULL, 0, 0,
                        &signed_module));
    sdm_verified_free(signed_module);
    CHECK_STATUS(SDM_ERR_SIGNATURE_INVALID,
                 sdm_verify(artifact.ptr, artifact.len, untrusted, sizeof untrusted, NULL, 0, 0,
                            &signed_module));
  }
  sdm_bytes_free(&artifact);

  free(wasm);
  printf("leak_cycles: %d cycles of sdm_runtime, sdm_verified, sdm_module, sdm_bytes, "
         "sdm_runtime_host; %d of authorization create/verify, open report and signed verify: ok\n",
         CYCLES, auth_cycles);
  return 0;
}
