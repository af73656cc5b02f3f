/*
 * The C ABI end to end: inspect and check the vector module, protect it (signed and
 * encrypted), open and verify it again (plus wrong-key negatives, and a refusal's partial
 * report), sign and verify a deployment authorization, then verify (unsigned, explicitly),
 * load and invoke a direct-mode module from several threads at once.
 *
 * usage: example VECTOR_MODULE.wasm VECTOR_MANIFEST.json ECHO_MODULE.wasm
 */
#include <pthread.h>

#include "common.h"

static const unsigned char SIGNING_KEY[32] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const unsigned char OTHER_SIGNING_KEY[32] = {
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
    9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
static const unsigned char RECIPIENT_KEY[32] = {
    0x40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55,
    56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71};
static const unsigned char WRONG_RECIPIENT_KEY[32] = {
    0x50, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static void inspect_and_check(const unsigned char *module, size_t module_len,
                              const unsigned char *manifest, size_t manifest_len) {
  sdm_bytes parsed = {0};
  CHECK_OK(sdm_bundle_inspect(module, module_len, &parsed));
  EXPECT(json_contains(&parsed, "\"canonicalModuleHashHex\""));
  printf("inspect: %zu bytes of JSON\n", parsed.len);
  sdm_bytes_free(&parsed);

  sdm_bytes report = {0};
  CHECK_OK(sdm_check(manifest, manifest_len, module, module_len, &report));
  EXPECT(json_contains(&report, "\"ok\""));
  printf("check: %.*s\n", (int)(report.len > 200 ? 200 : report.len), (const char *)report.ptr);
  sdm_bytes_free(&report);
  /* Without the module: the manifest-only validation (the CLI's `check`), which does not
   * warn that the artifact's ABI was not checked. */
  CHECK_OK(sdm_check(manifest, manifest_len, NULL, 0, &report));
  EXPECT(json_contains(&report, "\"ok\":true"));
  EXPECT(!json_contains(&report, "artifact-abi-not-checked"));
  sdm_bytes_free(&report);

  /* The manifest round trip: JSON -> PMAN -> JSON. */
  sdm_bytes pman = {0};
  CHECK_OK(sdm_manifest_encode_json(manifest, manifest_len, &pman));
  sdm_bytes decoded = {0};
  CHECK_OK(sdm_manifest_decode(pman.ptr, pman.len, &decoded));
  EXPECT(json_contains(&decoded, "\"pluginId\""));
  sdm_bytes_free(&decoded);
  sdm_bytes_free(&pman);
}

static void protect_and_open(const unsigned char *module, size_t module_len,
                             const unsigned char *manifest, size_t manifest_len) {
  unsigned char trusted[SDM_SIGNING_PUBLIC_KEY_LEN], untrusted[SDM_SIGNING_PUBLIC_KEY_LEN];
  unsigned char recipient_public[SDM_KEY_LEN];
  CHECK_OK(sdm_signing_public_key(SIGNING_KEY, sizeof SIGNING_KEY, trusted, sizeof trusted));
  CHECK_OK(sdm_signing_public_key(OTHER_SIGNING_KEY, sizeof OTHER_SIGNING_KEY, untrusted,
                                  sizeof untrusted));
  CHECK_OK(sdm_x25519_public_key(RECIPIENT_KEY, sizeof RECIPIENT_KEY, recipient_public,
                                 sizeof recipient_public));

  sdm_bytes artifact = {0}, result = {0};
  CHECK_OK(sdm_protect(manifest, manifest_len, module, module_len, SIGNING_KEY,
                       sizeof SIGNING_KEY, recipient_public, sizeof recipient_public, true,
                       &artifact, &result));
  EXPECT(json_contains(&result, "\"encrypted\":true"));
  sdm_bytes_free(&result);
  printf("protect: %zu-byte encrypted artifact\n", artifact.len);

  sdm_bytes wasm = {0}, report = {0};
  CHECK_OK(sdm_open(artifact.ptr, artifact.len, trusted, sizeof trusted, RECIPIENT_KEY,
                    sizeof RECIPIENT_KEY, &wasm, &report));
  EXPECT(wasm.len > 8 && memcmp(wasm.ptr, "\0asm", 4) == 0);
  printf("open: %zu bytes of wasm\n", wasm.len);
  /* The opened module is the bundled module: it still inspects. */
  sdm_bytes parsed = {0};
  CHECK_OK(sdm_bundle_inspect(wasm.ptr, wasm.len, &parsed));
  sdm_bytes_free(&parsed);
  sdm_bytes_free(&wasm);
  sdm_bytes_free(&report);

  /* Negatives: a wrong decryption key, no key, an untrusted signer. Out-params untouched. */
  sdm_bytes untouched = {(uint8_t *)0x1, 7}, untouched_report = {(uint8_t *)0x1, 7};
  CHECK_ERROR(sdm_open(artifact.ptr, artifact.len, trusted, sizeof trusted, WRONG_RECIPIENT_KEY,
                       sizeof WRONG_RECIPIENT_KEY, &untouched, &untouched_report));
  printf("open with the wrong key: status %u (%s)\n", sdm_last_error_code(),
         sdm_last_error_message());
  EXPECT(untouched.ptr == (uint8_t *)0x1 && untouched.len == 7);
  CHECK_ERROR(sdm_open(artifact.ptr, artifact.len, trusted, sizeof trusted, NULL, 0,
                       &untouched, &untouched_report));
  CHECK_ERROR(sdm_open(artifact.ptr, artifact.len, untrusted, sizeof untrusted, RECIPIENT_KEY,
                       sizeof RECIPIENT_KEY, &untouched, &untouched_report));
  printf("open with an untrusted signer: status %u %s (%s)\n", sdm_last_error_code(),
         sdm_error_code_name(sdm_last_error_code()), sdm_last_error_message());
  EXPECT(untouched.ptr == (uint8_t *)0x1 && untouched_report.len == 7);

  /* sdm_open_report: the refusal comes back as a verdict with the partial report. */
  sdm_bytes refused_wasm = {(uint8_t *)0x1, 7}, outcome = {0};
  CHECK_OK(sdm_open_report(artifact.ptr, artifact.len, untrusted, sizeof untrusted,
                           RECIPIENT_KEY, sizeof RECIPIENT_KEY, &refused_wasm, &outcome));
  EXPECT(refused_wasm.ptr == NULL && refused_wasm.len == 0);
  EXPECT(json_contains(&outcome, "\"outcome\":\"error\",\"status\":605,\"code\":\"signature-invalid\""));
  EXPECT(json_contains(&outcome, "\"trailer\":{\"present\":true"));
  EXPECT(json_contains(&outcome, "\"authentication\":{\"signed\":false"));
  printf("open_report with an untrusted signer: %.*s...\n", 96, (const char *)outcome.ptr);
  sdm_bytes_free(&outcome);
  sdm_bytes opened_wasm = {0};
  CHECK_OK(sdm_open_report(artifact.ptr, artifact.len, trusted, sizeof trusted, RECIPIENT_KEY,
                           sizeof RECIPIENT_KEY, &opened_wasm, &outcome));
  EXPECT(json_contains(&outcome, "\"outcome\":\"ok\",\"status\":0,\"report\":{"));
  EXPECT(json_contains(&outcome, "\"authentication\":{\"signed\":true,\"cid\":\""));
  EXPECT(opened_wasm.len > 8 && memcmp(opened_wasm.ptr, "\0asm", 4) == 0);
  sdm_bytes_free(&outcome);

  /* sdm_verify: the same loader, its result a handle that sdm_module_load accepts. */
  sdm_verified *verified = NULL;
  CHECK_OK(sdm_verify(artifact.ptr, artifact.len, trusted, sizeof trusted, RECIPIENT_KEY,
                      sizeof RECIPIENT_KEY, 0, &verified));
  sdm_bytes verified_wasm = {0};
  CHECK_OK(sdm_verified_wasm(verified, &verified_wasm));
  EXPECT(verified_wasm.len == opened_wasm.len &&
         memcmp(verified_wasm.ptr, opened_wasm.ptr, opened_wasm.len) == 0);
  sdm_bytes_free(&verified_wasm);
  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  sdm_module *loaded = NULL;
  CHECK_OK(sdm_module_load(runtime, verified, &loaded));
  /* The module keeps what it needs: the verified handle may go first. */
  sdm_verified_free(verified);
  /* The manifest core read at verify time, from the bundle entry (the guest never runs). */
  sdm_bytes manifest_json = {0};
  CHECK_OK(sdm_module_manifest_json(loaded, &manifest_json));
  EXPECT(json_contains(&manifest_json, "\"pluginId\""));
  sdm_bytes_free(&manifest_json);
  sdm_module_free(loaded);
  sdm_runtime_free(runtime);
  printf("verify + load: ok\n");

  /* Refusals are statuses and leave the out-param untouched; plain wasm needs the flag. */
  sdm_verified *untouched_verified = (sdm_verified *)0x1;
  CHECK_STATUS(SDM_ERR_SIGNATURE_INVALID,
               sdm_verify(artifact.ptr, artifact.len, untrusted, sizeof untrusted, RECIPIENT_KEY,
                          sizeof RECIPIENT_KEY, 0, &untouched_verified));
  CHECK_STATUS(SDM_ERR_DECRYPTION_KEY_REQUIRED,
               sdm_verify(artifact.ptr, artifact.len, trusted, sizeof trusted, NULL, 0, 0,
                          &untouched_verified));
  CHECK_STATUS(SDM_ERR_TRAILER_MISSING,
               sdm_verify(opened_wasm.ptr, opened_wasm.len, trusted, sizeof trusted, NULL, 0, 0,
                          &untouched_verified));
  EXPECT(untouched_verified == (sdm_verified *)0x1);
  /* A present trailer must verify even with SDM_VERIFY_ALLOW_UNSIGNED. */
  CHECK_STATUS(SDM_ERR_SIGNATURE_INVALID,
               sdm_verify(artifact.ptr, artifact.len, untrusted, sizeof untrusted, RECIPIENT_KEY,
                          sizeof RECIPIENT_KEY, SDM_VERIFY_ALLOW_UNSIGNED, &untouched_verified));
  EXPECT(untouched_verified == (sdm_verified *)0x1);
  sdm_bytes_free(&opened_wasm);
  sdm_bytes_free(&artifact);
}

/* A deployment authorization signed in C and verified against a trust list and expectations. */
static void authorize_and_verify(void) {
  unsigned char trusted[SDM_SIGNING_PUBLIC_KEY_LEN];
  CHECK_OK(sdm_signing_public_key(SIGNING_KEY, sizeof SIGNING_KEY, trusted, sizeof trusted));
  static const char options[] =
      "{\"artifactId\":\"demo-artifact\",\"programId\":\"demo\",\"target\":"
      "{\"id\":\"edge-1\",\"audience\":\"ops\"},\"capabilities\":[\"clock\",\"http\"]}";
  static const char signer[] = "{\"keyId\":\"demo-key\"}";
  sdm_bytes envelope = {0};
  CHECK_OK(sdm_authorization_create((const uint8_t *)options, strlen(options), SIGNING_KEY,
                                    sizeof SIGNING_KEY, (const uint8_t *)signer, strlen(signer),
                                    &envelope));
  EXPECT(json_contains(&envelope, "\"signatureHex\""));
  EXPECT(json_contains(&envelope, "\"keyId\":\"demo-key\""));

  static const char expect_ok[] =
      "{\"artifact\":{\"artifactId\":\"demo-artifact\"},\"target\":{\"id\":\"edge-1\"},"
      "\"requiredCapabilities\":[\"http\"]}";
  sdm_bytes verified = {0};
  CHECK_OK(sdm_authorization_verify(envelope.ptr, envelope.len, trusted, sizeof trusted,
                                    (const uint8_t *)expect_ok, strlen(expect_ok), &verified));
  EXPECT(json_contains(&verified, "\"signerPublicKeyHex\""));
  printf("authorization: %zu-byte envelope verified\n", envelope.len);
  sdm_bytes_free(&verified);

  /* A capability the authorization does not grant: 615 authorization-mismatch. */
  static const char expect_more[] = "{\"requiredCapabilities\":[\"filesystem\"]}";
  CHECK_STATUS(615, sdm_authorization_verify(envelope.ptr, envelope.len, trusted,
                                             sizeof trusted, (const uint8_t *)expect_more,
                                             strlen(expect_more), &verified));
  /* Verified in the year 2100: 613 authorization-expired (the default ttl is 5 minutes). */
  static const char later[] = "{\"now\":4102444800000}";
  CHECK_STATUS(613, sdm_authorization_verify(envelope.ptr, envelope.len, trusted,
                                             sizeof trusted, (const uint8_t *)later,
                                             strlen(later), &verified));
  sdm_bytes_free(&envelope);
}

#define THREADS 4
#define CALLS_PER_THREAD 5

struct invoke_job {
  const sdm_module *module;
  const sdm_bytes *request;
  int failures;
};

static void *invoke_worker(void *arg) {
  struct invoke_job *job = arg;
  for (int i = 0; i < CALLS_PER_THREAD; i++) {
    sdm_bytes response = {0}, decoded = {0};
    if (sdm_module_invoke_direct(job->module, job->request->ptr, job->request->len, NULL,
                                 &response) != 0 ||
        sdm_invoke_response_to_json(response.ptr, response.len, &decoded) != 0 ||
        !json_contains(&decoded, "\"payload\":[104,105]")) {
      job->failures++;
    }
    sdm_bytes_free(&decoded);
    sdm_bytes_free(&response);
  }
  return NULL;
}

static void invoke_echo(const unsigned char *echo, size_t echo_len) {
  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  /* Plain wasm is loaded only when the caller says so: SDM_VERIFY_ALLOW_UNSIGNED. */
  sdm_verified *verified = NULL;
  CHECK_OK(sdm_verify(echo, echo_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));
  sdm_module *module = NULL;
  CHECK_OK(sdm_module_load(runtime, verified, &module));
  sdm_verified_free(verified);
  /* The module keeps the runtime alive. */
  sdm_runtime_free(runtime);

  sdm_bytes manifest = {0};
  CHECK_OK(sdm_module_manifest_json(module, &manifest));
  EXPECT(json_contains(&manifest, "invoke-echo"));
  sdm_bytes_free(&manifest);

  static const char request_json[] =
      "{\"methodId\":\"echo\",\"inputs\":[{\"portId\":\"echo\",\"payload\":[104,105]}]}";
  sdm_bytes request = {0};
  CHECK_OK(sdm_invoke_request_from_json((const uint8_t *)request_json, strlen(request_json),
                                        &request));
  sdm_limits limits = sdm_limits_default();
  limits.fuel = 1000000000;
  sdm_bytes response = {0}, decoded = {0};
  CHECK_OK(sdm_module_invoke_direct(module, request.ptr, request.len, &limits, &response));
  CHECK_OK(sdm_invoke_response_to_json(response.ptr, response.len, &decoded));
  EXPECT(json_contains(&decoded, "\"payload\":[104,105]"));
  printf("invoke echo: %.*s\n", (int)decoded.len, (const char *)decoded.ptr);
  sdm_bytes_free(&decoded);
  sdm_bytes_free(&response);

  /* A fuel limit too small for the call is its own error. */
  limits.fuel = 10;
  CHECK_ERROR(sdm_module_invoke_direct(module, request.ptr, request.len, &limits, &response));
  printf("invoke with 10 fuel: status %u\n", sdm_last_error_code());
  /* The echo module has no _start: command mode fails with a status, not a crash. */
  CHECK_ERROR(sdm_module_invoke_command(module, request.ptr, request.len, NULL, &response));

  /* One module shared by several threads (the documented contract). */
  pthread_t threads[THREADS];
  struct invoke_job jobs[THREADS];
  for (int i = 0; i < THREADS; i++) {
    jobs[i] = (struct invoke_job){module, &request, 0};
    EXPECT(pthread_create(&threads[i], NULL, invoke_worker, &jobs[i]) == 0);
  }
  for (int i = 0; i < THREADS; i++) {
    EXPECT(pthread_join(threads[i], NULL) == 0);
    EXPECT(jobs[i].failures == 0);
  }
  printf("invoke from %d threads x %d calls: ok\n", THREADS, CALLS_PER_THREAD);

  sdm_bytes_free(&request);
  sdm_module_free(module);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s VECTOR_MODULE.wasm VECTOR_MANIFEST.json ECHO_MODULE.wasm\n",
            argv[0]);
    return 2;
  }
  EXPECT(sdm_abi_version() == SDM_ABI_VERSION);
  size_t module_len, manifest_len, echo_len;
  unsigned char *module = read_file(argv[1], &module_len);
  unsigned char *manifest = read_file(argv[2], &manifest_len);
  unsigned char *echo = read_file(argv[3], &echo_len);

  inspect_and_check(module, module_len, manifest, manifest_len);
  protect_and_open(module, module_len, manifest, manifest_len);
  authorize_and_verify();
  invoke_echo(echo, echo_len);

  free(module);
  free(manifest);
  free(echo);
  printf("example: ok\n");
  return 0;
}
