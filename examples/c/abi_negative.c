/*
 * Every sdm_ function with NULL pointers, zero lengths and garbage bytes: each must return an
 * error status (never crash), leave its out-params untouched, and record a message. Keys of
 * the wrong length are key-invalid, missing keys and short output buffers invalid-argument.
 * Unknown sdm_verify flags are invalid-argument; handles come only from their constructors.
 * The forced panic must come back as status 6 (panic): this program needs the test hooks
 * (-DSDM_TEST_HOOKS, and a library built with the ffi-c feature `test-hooks`).
 */
#include "common.h"

#ifndef SDM_TEST_HOOKS
#error "build with -DSDM_TEST_HOOKS against a library built with --features test-hooks"
#endif

#define STATUS_INVALID_ARGUMENT SDM_ERR_INVALID_ARGUMENT
#define STATUS_KEY_INVALID SDM_ERR_KEY_INVALID
#define STATUS_PANIC SDM_ERR_PANIC

static const uint8_t GARBAGE[64] = {0xde, 0xad, 0xbe, 0xef, 0x00, 0x61, 0x73, 0x6d, 0xff, 0x01};
static const uint8_t ZERO_KEY[SDM_KEY_LEN] = {0};
static const uint8_t ONE_KEY[SDM_KEY_LEN] = {1};

/* The error code names: static strings, NULL for 0 and unknown numbers, last error kept. */
static void error_code_names(void) {
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_decode(NULL, 8, NULL));
  EXPECT(strcmp(sdm_error_code_name(SDM_ERR_INVALID_ARGUMENT), "invalid-argument") == 0);
  EXPECT(strcmp(sdm_error_code_name(SDM_ERR_KEY_INVALID), "key-invalid") == 0);
  EXPECT(strcmp(sdm_error_code_name(SDM_ERR_PANIC), "panic") == 0);
  EXPECT(sdm_error_code_name(SDM_OK) == NULL);
  EXPECT(sdm_error_code_name(99999) == NULL);
  EXPECT(sdm_last_error_code() == STATUS_INVALID_ARGUMENT);
  /* The message is the message alone: the code is the status, its name is above. */
  EXPECT(sdm_last_error_message()[0] != '[');
  EXPECT(strstr(sdm_last_error_message(), "invalid-argument") == NULL);
}

/* An out-param sentinel: any write by a failing call would change it. */
#define SENTINEL {(uint8_t *)0x1, 3}
#define UNTOUCHED(b) EXPECT((b).ptr == (uint8_t *)0x1 && (b).len == 3)

static void format_functions(void) {
  sdm_bytes out = SENTINEL;
  const uint8_t *text = (const uint8_t *)"{}";

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_encode_json(NULL, 2, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_encode_json(text, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_encode_json(text, 2, NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_encode_json(text, SIZE_MAX, &out));
  CHECK_ERROR(sdm_manifest_encode_json(GARBAGE, sizeof GARBAGE, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_decode(NULL, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_decode(GARBAGE, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_manifest_decode(GARBAGE, 8, NULL));
  CHECK_ERROR(sdm_manifest_decode(GARBAGE, sizeof GARBAGE, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_inspect(NULL, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_inspect(GARBAGE, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_inspect(GARBAGE, 8, NULL));
  CHECK_ERROR(sdm_bundle_inspect(GARBAGE, sizeof GARBAGE, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_create(NULL, 8, text, 2, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_create(GARBAGE, 0, text, 2, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_create(GARBAGE, 8, NULL, 2, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_create(GARBAGE, 8, text, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_bundle_create(GARBAGE, 8, text, 2, NULL));
  CHECK_ERROR(sdm_bundle_create(GARBAGE, sizeof GARBAGE, text, 2, &out));
  CHECK_ERROR(sdm_bundle_create(GARBAGE, sizeof GARBAGE, GARBAGE, sizeof GARBAGE, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_check(NULL, 2, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_check(text, 0, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_check(text, 2, NULL, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_check(text, 2, GARBAGE, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_check(text, 2, NULL, 0, NULL));
  CHECK_ERROR(sdm_check(GARBAGE, sizeof GARBAGE, NULL, 0, &out));
  CHECK_ERROR(sdm_check(text, 2, GARBAGE, sizeof GARBAGE, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_invoke_request_from_json(NULL, 2, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_invoke_request_from_json(text, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_invoke_request_from_json(text, 2, NULL));
  CHECK_ERROR(sdm_invoke_request_from_json(text, 2, &out)); /* no methodId */
  CHECK_ERROR(sdm_invoke_request_from_json(GARBAGE, sizeof GARBAGE, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_invoke_response_to_json(NULL, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_invoke_response_to_json(GARBAGE, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_invoke_response_to_json(GARBAGE, 8, NULL));
  CHECK_ERROR(sdm_invoke_response_to_json(GARBAGE, sizeof GARBAGE, &out));
  UNTOUCHED(out);
}

static void publication_functions(void) {
  sdm_bytes out = SENTINEL, report = SENTINEL;
  const uint8_t *text = (const uint8_t *)"{}";
  uint8_t key[SDM_SIGNING_PUBLIC_KEY_LEN], trusted[SDM_SIGNING_PUBLIC_KEY_LEN];
  CHECK_OK(sdm_signing_public_key(ONE_KEY, sizeof ONE_KEY, trusted, sizeof trusted));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(NULL, 2, GARBAGE, 8, ZERO_KEY, 32, NULL, 0, false, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(text, 0, GARBAGE, 8, ZERO_KEY, 32, NULL, 0, false, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(text, 2, NULL, 8, ZERO_KEY, 32, NULL, 0, false, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(text, 2, GARBAGE, 0, ZERO_KEY, 32, NULL, 0, false, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(text, 2, GARBAGE, 8, NULL, 32, NULL, 0, false, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(text, 2, GARBAGE, 8, ZERO_KEY, 32, NULL, 0, false, NULL, &report));
  /* A NULL result is allowed (the result is then not built); the zero key still fails. */
  CHECK_ERROR(sdm_protect(text, 2, GARBAGE, 8, ZERO_KEY, 32, NULL, 0, false, &out, NULL));
  /* The zero scalar is not a valid secp256k1 private key. */
  CHECK_ERROR(sdm_protect(text, 2, GARBAGE, 8, ZERO_KEY, 32, NULL, 0, false, &out, &report));
  CHECK_ERROR(sdm_protect(GARBAGE, sizeof GARBAGE, GARBAGE, 8, GARBAGE, 32, NULL, 0, true, &out,
                          &report));
  /* Keys carry their length: another length is key-invalid, NULL with a length is missing. */
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_protect(text, 2, GARBAGE, 8, ONE_KEY, 31, NULL, 0, false, &out, &report));
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_protect(text, 2, GARBAGE, 8, ONE_KEY, 32, GARBAGE, 33, false, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_protect(text, 2, GARBAGE, 8, ONE_KEY, 32, NULL, 32, false, &out, &report));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_open(NULL, 8, GARBAGE, 33, NULL, 0, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_open(GARBAGE, 0, GARBAGE, 33, NULL, 0, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_open(GARBAGE, 8, NULL, 33, NULL, 0, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_open(GARBAGE, 8, GARBAGE, 0, NULL, 0, &out, &report));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_open(GARBAGE, 8, GARBAGE, 32, NULL, 0, &out, &report));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_open(GARBAGE, 8, trusted, 33, ONE_KEY, 31, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_open(GARBAGE, 8, trusted, 33, NULL, 32, &out, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_open(GARBAGE, 8, GARBAGE, 33, NULL, 0, NULL, &report));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_open(GARBAGE, 8, GARBAGE, 33, NULL, 0, &out, NULL));
  CHECK_ERROR(sdm_open(GARBAGE, sizeof GARBAGE, GARBAGE, 33, NULL, 0, &out, &report));
  CHECK_ERROR(sdm_open(GARBAGE, sizeof GARBAGE, GARBAGE, 33, GARBAGE, 32, &out, &report));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_signing_public_key(NULL, 32, key, sizeof key));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_signing_public_key(ONE_KEY, 0, key, sizeof key));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_signing_public_key(ONE_KEY, 32, NULL, 33));
  memset(key, 0xAA, sizeof key);
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_signing_public_key(ONE_KEY, 32, key, 32));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_signing_public_key(ONE_KEY, 31, key, sizeof key));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_signing_public_key(GARBAGE, 33, key, sizeof key));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_signing_public_key(ZERO_KEY, 32, key, sizeof key));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_x25519_public_key(NULL, 32, key, 32));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_x25519_public_key(ONE_KEY, 32, NULL, 32));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_x25519_public_key(ONE_KEY, 32, key, 31));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_x25519_public_key(GARBAGE, 31, key, 32));
  for (size_t i = 0; i < sizeof key; i++) EXPECT(key[i] == 0xAA);
  UNTOUCHED(out);
  UNTOUCHED(report);
}

static void authorization_and_open_report(void) {
  sdm_bytes out = SENTINEL, wasm = SENTINEL;
  const uint8_t *object = (const uint8_t *)"{}";
  const uint8_t *array = (const uint8_t *)"[]";
  const uint8_t *typo = (const uint8_t *)"{\"nowMs\":1}";
  uint8_t trusted[SDM_SIGNING_PUBLIC_KEY_LEN];
  CHECK_OK(sdm_signing_public_key(ONE_KEY, sizeof ONE_KEY, trusted, sizeof trusted));

  /* sdm_authorization_create: options, key, optional signer JSON, out. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(NULL, 2, ONE_KEY, 32, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(object, 0, ONE_KEY, 32, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(object, SIZE_MAX, ONE_KEY, 32, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_authorization_create(object, 2, NULL, 32, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(object, 2, ONE_KEY, 32, NULL, 2, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(object, 2, ONE_KEY, 32, object, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(object, 2, ONE_KEY, 32, NULL, 0, NULL));
  CHECK_ERROR(sdm_authorization_create(GARBAGE, sizeof GARBAGE, ONE_KEY, 32, NULL, 0, &out));
  CHECK_ERROR(sdm_authorization_create(array, 2, ONE_KEY, 32, NULL, 0, &out));
  CHECK_ERROR(sdm_authorization_create(object, 2, ZERO_KEY, 32, NULL, 0, &out)); /* zero scalar */
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_authorization_create(object, 2, ONE_KEY, 33, NULL, 0, &out));
  CHECK_ERROR(sdm_authorization_create(object, 2, ONE_KEY, 32, GARBAGE, sizeof GARBAGE, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_create(object, 2, ONE_KEY, 32, typo, strlen((const char *)typo),
                                        &out));
  UNTOUCHED(out);

  /* sdm_authorization_verify: envelope, trust list, optional options JSON, out. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(NULL, 2, trusted, 33, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 0, trusted, 33, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 2, NULL, 33, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 2, trusted, 0, NULL, 0, &out));
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_authorization_verify(object, 2, trusted, 32, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 2, trusted, 33, NULL, 5, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 2, trusted, 33, object, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 2, trusted, 33, NULL, 0, NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_authorization_verify(object, 2, trusted, 33, typo,
                                        strlen((const char *)typo), &out));
  CHECK_ERROR(sdm_authorization_verify(GARBAGE, sizeof GARBAGE, trusted, 33, NULL, 0, &out));
  CHECK_ERROR(sdm_authorization_verify(object, 2, GARBAGE, 33, NULL, 0, &out)); /* not a key */
  CHECK_ERROR(sdm_authorization_verify(object, 2, trusted, 33, GARBAGE, sizeof GARBAGE, &out));
  CHECK_STATUS(611u, sdm_authorization_verify(object, 2, trusted, 33, NULL, 0, &out));
  CHECK_STATUS(611u, sdm_authorization_verify(array, 2, trusted, 33, NULL, 0, &out));
  UNTOUCHED(out);

  /* sdm_open_report: argument errors write nothing; garbage is a verdict, not an error. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_open_report(NULL, 8, trusted, 33, NULL, 0, &wasm, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_open_report(GARBAGE, 0, trusted, 33, NULL, 0, &wasm, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_open_report(GARBAGE, 8, NULL, 33, NULL, 0, &wasm, &out));
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_open_report(GARBAGE, 8, trusted, 34, NULL, 0, &wasm, &out));
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_open_report(GARBAGE, 8, trusted, 33, GARBAGE, 33, &wasm, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_open_report(GARBAGE, 8, trusted, 33, NULL, 0, &wasm, NULL));
  CHECK_ERROR(sdm_open_report(GARBAGE, 8, GARBAGE, 33, NULL, 0, &wasm, &out));
  UNTOUCHED(out);
  UNTOUCHED(wasm);
  sdm_bytes verdict = {0}, refused = SENTINEL;
  CHECK_OK(sdm_open_report(GARBAGE, sizeof GARBAGE, trusted, 33, GARBAGE, 32, &refused, &verdict));
  EXPECT(refused.ptr == NULL && refused.len == 0);
  EXPECT(json_contains(&verdict, "\"outcome\":\"error\""));
  EXPECT(json_contains(&verdict, "\"report\":{"));
  sdm_bytes_free(&verdict);
  /* out_wasm NULL: the report alone. */
  CHECK_OK(sdm_open_report(GARBAGE, sizeof GARBAGE, trusted, 33, NULL, 0, NULL, &verdict));
  /* One open-outcome shape on every boundary: `code` (no `errorClass`), `authentication`. */
  EXPECT(json_contains(&verdict, "\"code\":\""));
  EXPECT(!json_contains(&verdict, "\"errorClass\""));
  EXPECT(json_contains(&verdict, "\"authentication\":{\"signed\":false"));
  sdm_bytes_free(&verdict);
}

/* A minimal valid module (no exports, no manifest). */
static const uint8_t EMPTY_MODULE[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

/* Plain wasm through the loader, explicitly unsigned: the only way to a sdm_verified. */
static sdm_verified *verify_unsigned(const uint8_t *wasm, size_t wasm_len) {
  sdm_verified *verified = NULL;
  CHECK_OK(sdm_verify(wasm, wasm_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));
  EXPECT(verified != NULL);
  return verified;
}

static void verify_functions(void) {
  sdm_bytes out = SENTINEL;
  sdm_verified *untouched = (sdm_verified *)0x1;
  uint8_t trusted[SDM_SIGNING_PUBLIC_KEY_LEN];
  CHECK_OK(sdm_signing_public_key(ONE_KEY, sizeof ONE_KEY, trusted, sizeof trusted));
  const uint32_t allow = SDM_VERIFY_ALLOW_UNSIGNED;

  /* The artifact: required, capped. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_verify(NULL, 8, NULL, 0, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_verify(EMPTY_MODULE, 0, NULL, 0, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, SIZE_MAX, NULL, 0, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_verify(EMPTY_MODULE, 8, NULL, 0, NULL, 0, allow, NULL));
  /* Optional inputs: NULL with a length, or a pointer with length 0, are invalid. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, NULL, 33, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, trusted, 0, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, NULL, 0, NULL, 32, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, NULL, 0, ONE_KEY, 0, allow, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, trusted, SIZE_MAX, NULL, 0, allow, &untouched));
  /* Keys of the wrong length, or not keys. */
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_verify(EMPTY_MODULE, 8, trusted, 32, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_KEY_INVALID, sdm_verify(EMPTY_MODULE, 8, GARBAGE, 33, NULL, 0, allow, &untouched));
  CHECK_STATUS(STATUS_KEY_INVALID,
               sdm_verify(EMPTY_MODULE, 8, trusted, 33, ONE_KEY, 31, allow, &untouched));
  /* Flags: only SDM_VERIFY_ALLOW_UNSIGNED is defined; any other bit is refused. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_verify(EMPTY_MODULE, 8, NULL, 0, NULL, 0, 2, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, NULL, 0, NULL, 0, allow | 0x80000000u, &untouched));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_verify(EMPTY_MODULE, 8, NULL, 0, NULL, 0, UINT32_MAX, &untouched));
  /* Fail closed: plain wasm without the flag, and garbage with or without it. */
  CHECK_STATUS(SDM_ERR_TRAILER_MISSING, sdm_verify(EMPTY_MODULE, 8, trusted, 33, NULL, 0, 0, &untouched));
  CHECK_STATUS(SDM_ERR_TRAILER_MISSING, sdm_verify(EMPTY_MODULE, 8, NULL, 0, NULL, 0, 0, &untouched));
  CHECK_ERROR(sdm_verify(GARBAGE, sizeof GARBAGE, NULL, 0, NULL, 0, allow, &untouched));
  CHECK_ERROR(sdm_verify(GARBAGE, sizeof GARBAGE, trusted, 33, GARBAGE, 32, 0, &untouched));
  EXPECT(untouched == (sdm_verified *)0x1);

  sdm_verified *verified = verify_unsigned(EMPTY_MODULE, sizeof EMPTY_MODULE);
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_verified_wasm(NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_verified_wasm(verified, NULL));
  UNTOUCHED(out);
  sdm_bytes wasm = {0};
  CHECK_OK(sdm_verified_wasm(verified, &wasm));
  EXPECT(wasm.len == sizeof EMPTY_MODULE && memcmp(wasm.ptr, EMPTY_MODULE, wasm.len) == 0);
  sdm_bytes_free(&wasm);
  sdm_verified_free(verified);
}

static void runtime_functions(void) {
  sdm_bytes out = SENTINEL;
  sdm_runtime *untouched_runtime = (sdm_runtime *)0x1;
  sdm_module *untouched_module = (sdm_module *)0x1;

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_new(NULL));
  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  EXPECT(sdm_last_error_code() == 0 && sdm_last_error_message()[0] == '\0');

  /* Loading takes a verified handle only (raw bytes cannot reach the runtime). */
  sdm_verified *verified = verify_unsigned(EMPTY_MODULE, sizeof EMPTY_MODULE);
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_load(NULL, verified, &untouched_module));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_load(runtime, NULL, &untouched_module));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_load(runtime, verified, NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_load(NULL, NULL, NULL));
  EXPECT(untouched_module == (sdm_module *)0x1);
  EXPECT(untouched_runtime == (sdm_runtime *)0x1);

  /* The minimal valid module to call the module functions on. */
  sdm_module *module = NULL;
  CHECK_OK(sdm_module_load(runtime, verified, &module));
  sdm_verified_free(verified);

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_direct(NULL, GARBAGE, 8, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_direct(module, NULL, 8, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_direct(module, GARBAGE, 0, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_direct(module, GARBAGE, 8, NULL, NULL));
  CHECK_ERROR(sdm_module_invoke_direct(module, GARBAGE, sizeof GARBAGE, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_command(NULL, GARBAGE, 8, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_command(module, NULL, 8, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_command(module, GARBAGE, 0, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_invoke_command(module, GARBAGE, 8, NULL, NULL));
  CHECK_ERROR(sdm_module_invoke_command(module, GARBAGE, sizeof GARBAGE, NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_manifest_json(NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_module_manifest_json(module, NULL));
  UNTOUCHED(out);
  /* Read at verify time, never by running the guest: a module without one has `null`. */
  sdm_bytes manifest = {0};
  CHECK_OK(sdm_module_manifest_json(module, &manifest));
  EXPECT(manifest.len == 4 && memcmp(manifest.ptr, "null", 4) == 0);
  sdm_bytes_free(&manifest);

  sdm_module_free(module);
  sdm_runtime_free(runtime);
}

#define STATUS_INVALID_JSON 2u
#define STATUS_RH_INVALID_SCHEMA_ID 850u
#define STATUS_RH_INVALID_ROW_ID 851u
#define STATUS_RH_INVALID_ALIGNMENT 854u
#define STATUS_RH_RECORD_NOT_FOUND 858u
#define STATUS_RH_STORE_FAILED 860u
#define STATUS_RH_MODULE_UNKNOWN 863u
#define STATUS_RH_MODULE_NOT_LOADED 864u
#define STATUS_RH_MODULE_EXISTS 865u

#define TEXT(s) (const uint8_t *)(s), (sizeof(s) - 1)

static void runtime_host_functions(void) {
  sdm_bytes out = SENTINEL;
  uint64_t id = 77;
  bool was_loaded = true;
  sdm_runtime_host *untouched_host = (sdm_runtime_host *)0x1;

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_new(NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_open(NULL, 4, &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_open(GARBAGE, 0, &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_open(TEXT("/tmp/x.db"), NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_open(GARBAGE, sizeof GARBAGE, &untouched_host)); /* not UTF-8 */
  CHECK_STATUS(STATUS_RH_STORE_FAILED,
               sdm_runtime_host_open(TEXT("/nonexistent/dir/rows.db"), &untouched_host));
  /* With a policy: path optional (NULL, 0 = in memory), policy required and strict. */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_new_with_policy(NULL, 0, TEXT("{}"), NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_new_with_policy(NULL, 0, NULL, 2, &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_new_with_policy(NULL, 0, NULL, 0, &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_runtime_host_new_with_policy(NULL, 0, (const uint8_t *)"{}", 0, &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_runtime_host_new_with_policy(NULL, 0, (const uint8_t *)"{}", SIZE_MAX, &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_new_with_policy(NULL, 4, TEXT("{}"), &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_new_with_policy(GARBAGE, 0, TEXT("{}"), &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_runtime_host_new_with_policy(GARBAGE, sizeof GARBAGE, TEXT("{}"), &untouched_host)); /* not UTF-8 */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_runtime_host_new_with_policy(NULL, 0, GARBAGE, sizeof GARBAGE, &untouched_host)); /* not UTF-8 */
  CHECK_STATUS(STATUS_INVALID_JSON, sdm_runtime_host_new_with_policy(NULL, 0, TEXT("{grant"), &untouched_host));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT,
               sdm_runtime_host_new_with_policy(NULL, 0, TEXT("{\"grnat\":[]}"), &untouched_host));
  CHECK_STATUS(STATUS_RH_STORE_FAILED, sdm_runtime_host_new_with_policy(TEXT("/nonexistent/dir/rows.db"),
                                                                        TEXT("{}"), &untouched_host));
  EXPECT(untouched_host == (sdm_runtime_host *)0x1);
  sdm_runtime_host *with_policy = NULL;
  CHECK_OK(sdm_runtime_host_new_with_policy(NULL, 0, TEXT("{\"grant\":[\"clock\"]}"), &with_policy));
  CHECK_OK(sdm_runtime_host_append_row(with_policy, TEXT("OMM"), TEXT("1"), &id));
  EXPECT(id == 1);
  sdm_runtime_host_free(with_policy);
  id = 77;

  sdm_runtime_host *host = NULL;
  CHECK_OK(sdm_runtime_host_new(&host));

  /* rows */
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_append_row(NULL, TEXT("OMM"), TEXT("1"), &id));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_append_row(host, NULL, 3, TEXT("1"), &id));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_append_row(host, TEXT("OMM"), NULL, 0, &id));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_append_row(host, TEXT("OMM"), TEXT("1"), NULL));
  CHECK_STATUS(STATUS_INVALID_JSON, sdm_runtime_host_append_row(host, TEXT("OMM"), TEXT("{garbage"), &id));
  CHECK_STATUS(STATUS_RH_INVALID_SCHEMA_ID, sdm_runtime_host_append_row(host, TEXT("  "), TEXT("1"), &id));
  EXPECT(id == 77);
  CHECK_OK(sdm_runtime_host_append_row(host, TEXT(" OMM "), TEXT("{\"a\":1}"), &id));
  EXPECT(id == 1); /* the failed appends burned no id */

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_resolve_row(NULL, TEXT("OMM"), 1, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_resolve_row(host, NULL, 3, 1, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_resolve_row(host, TEXT("OMM"), 1, NULL));
  CHECK_STATUS(STATUS_RH_INVALID_ROW_ID, sdm_runtime_host_resolve_row(host, TEXT("OMM"), 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_list_rows(NULL, NULL, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_list_rows(host, NULL, 3, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_list_rows(host, NULL, 0, NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_list_rows(host, GARBAGE, sizeof GARBAGE, &out));
  UNTOUCHED(out);
  sdm_bytes json = {0};
  CHECK_OK(sdm_runtime_host_resolve_row(host, TEXT("OMM"), 1, &json));
  EXPECT(json_contains(&json, "\"payload\":{\"a\":1}"));
  sdm_bytes_free(&json);
  CHECK_OK(sdm_runtime_host_resolve_row(host, TEXT("OMM"), 2, &json));
  EXPECT(json.len == 4 && memcmp(json.ptr, "null", 4) == 0);
  sdm_bytes_free(&json);
  CHECK_OK(sdm_runtime_host_list_rows(host, NULL, 0, &json));
  EXPECT(json_contains(&json, "\"schemaFileId\":\"OMM\",\"rowId\":1"));
  sdm_bytes_free(&json);

  /* regions */
  uint64_t region = 77;
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_allocate_region(NULL, TEXT("l"), 4, 1, NULL, 0, &region));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_allocate_region(host, NULL, 1, 4, 1, NULL, 0, &region));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_allocate_region(host, TEXT("l"), 4, 1, NULL, 5, &region));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_allocate_region(host, TEXT("l"), 4, 1, NULL, 0, NULL));
  CHECK_ERROR(sdm_runtime_host_allocate_region(host, TEXT("l"), 0, 1, NULL, 0, &region));
  CHECK_STATUS(STATUS_RH_INVALID_ALIGNMENT, sdm_runtime_host_allocate_region(host, TEXT("l"), 4, 3, NULL, 0, &region));
  CHECK_ERROR(sdm_runtime_host_allocate_region(host, TEXT("l"), SIZE_MAX, 1, NULL, 0, &region));
  EXPECT(region == 77);
  CHECK_OK(sdm_runtime_host_allocate_region(host, TEXT("l"), 4, 4, (const uint8_t *)"\1\2\3\4\5", 5, &region));
  EXPECT(region == 1);
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_describe_region(NULL, 1, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_describe_region(host, 1, NULL));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_set_region_record_count(NULL, 1, 1));
  CHECK_STATUS(STATUS_RH_RECORD_NOT_FOUND, sdm_runtime_host_set_region_record_count(host, 99, 1));
  CHECK_ERROR(sdm_runtime_host_set_region_record_count(host, 1, UINT64_MAX));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_resolve_record(NULL, 1, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_resolve_record(host, 1, 0, NULL));
  CHECK_STATUS(STATUS_RH_RECORD_NOT_FOUND, sdm_runtime_host_resolve_record(host, 1, 2, &out));
  CHECK_STATUS(STATUS_RH_RECORD_NOT_FOUND, sdm_runtime_host_resolve_record(host, 99, 0, &out));
  UNTOUCHED(out);
  CHECK_OK(sdm_runtime_host_describe_region(host, 1, &json));
  EXPECT(json_contains(&json, "\"recordCount\":2"));
  sdm_bytes_free(&json);
  CHECK_OK(sdm_runtime_host_describe_region(host, 99, &json));
  EXPECT(json.len == 4 && memcmp(json.ptr, "null", 4) == 0);
  sdm_bytes_free(&json);
  sdm_bytes record = {0};
  CHECK_OK(sdm_runtime_host_resolve_record(host, 1, 1, &record));
  EXPECT(record.len == 4 && memcmp(record.ptr, "\5\0\0\0", 4) == 0); /* zero-padded */
  sdm_bytes_free(&record);
  CHECK_OK(sdm_runtime_host_set_region_record_count(host, 1, 3));
  CHECK_OK(sdm_runtime_host_resolve_record(host, 1, 2, &record));
  EXPECT(record.len == 4 && memcmp(record.ptr, "\0\0\0\0", 4) == 0);
  sdm_bytes_free(&record);

  /* modules: the minimal valid module with no exports, verified (explicitly unsigned) */
  sdm_verified *empty = verify_unsigned(EMPTY_MODULE, sizeof EMPTY_MODULE);
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(NULL, TEXT("m"), empty, NULL, 0, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, NULL, 1, empty, NULL, 0, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, GARBAGE, 0, empty, NULL, 0, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, GARBAGE, SIZE_MAX, empty, NULL, 0, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, TEXT("m"), NULL, NULL, 0, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, TEXT("m"), empty, NULL, 3, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, TEXT("m"), empty, GARBAGE, 0, false, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_install_module(host, TEXT("m"), empty, NULL, 0, false, NULL));
  CHECK_STATUS(STATUS_INVALID_JSON, sdm_runtime_host_install_module(host, TEXT("m"), empty, TEXT("{x"), false, &out));
  CHECK_ERROR(sdm_runtime_host_install_module(host, TEXT("m"), empty, GARBAGE, sizeof GARBAGE, false, &out));
  CHECK_ERROR(sdm_runtime_host_install_module(host, TEXT("   "), empty, NULL, 0, false, &out));
  CHECK_STATUS(STATUS_RH_MODULE_UNKNOWN, sdm_runtime_host_install_module(host, TEXT("m"), empty, NULL, 0, true, &out));
  UNTOUCHED(out);
  CHECK_OK(sdm_runtime_host_install_module(host, TEXT("m"), empty, TEXT("{\"v\":1}"), false, &json));
  EXPECT(json_contains(&json, "\"moduleId\":\"m\"") && json_contains(&json, "\"previous\":null"));
  sdm_bytes_free(&json);
  CHECK_STATUS(STATUS_RH_MODULE_EXISTS, sdm_runtime_host_install_module(host, TEXT("m"), empty, NULL, 0, false, &out));

  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_load_module(NULL, TEXT("m")));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_load_module(host, NULL, 1));
  CHECK_STATUS(STATUS_RH_MODULE_UNKNOWN, sdm_runtime_host_load_module(host, TEXT("ghost")));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_unload_module(NULL, TEXT("m"), &was_loaded));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_unload_module(host, NULL, 1, &was_loaded));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_unload_module(host, TEXT("m"), NULL));
  CHECK_STATUS(STATUS_RH_MODULE_UNKNOWN, sdm_runtime_host_unload_module(host, TEXT("ghost"), &was_loaded));
  EXPECT(was_loaded == true);
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_invoke(NULL, TEXT("m"), GARBAGE, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_invoke(host, NULL, 1, GARBAGE, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_invoke(host, TEXT("m"), NULL, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_invoke(host, TEXT("m"), GARBAGE, 0, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_invoke(host, TEXT("m"), GARBAGE, 8, NULL));
  CHECK_STATUS(STATUS_RH_MODULE_UNKNOWN, sdm_runtime_host_invoke(host, TEXT("ghost"), GARBAGE, 8, &out));
  CHECK_STATUS(STATUS_RH_MODULE_NOT_LOADED, sdm_runtime_host_invoke(host, TEXT("m"), GARBAGE, 8, &out));
  CHECK_OK(sdm_runtime_host_load_module(host, TEXT("m")));
  CHECK_ERROR(sdm_runtime_host_invoke(host, TEXT("m"), GARBAGE, sizeof GARBAGE, &out)); /* no exports */
  CHECK_OK(sdm_runtime_host_unload_module(host, TEXT("m"), &was_loaded));
  EXPECT(was_loaded == true);
  CHECK_STATUS(STATUS_RH_MODULE_NOT_LOADED, sdm_runtime_host_invoke(host, TEXT("m"), GARBAGE, 8, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_list_modules(NULL, &out));
  CHECK_STATUS(STATUS_INVALID_ARGUMENT, sdm_runtime_host_list_modules(host, NULL));
  UNTOUCHED(out);
  CHECK_OK(sdm_runtime_host_install_module(host, TEXT("m"), empty, NULL, 0, true, &json));
  sdm_verified_free(empty);
  EXPECT(json_contains(&json, "\"version\":2") && json_contains(&json, "\"metadata\":{\"v\":1}"));
  sdm_bytes_free(&json);
  CHECK_OK(sdm_runtime_host_list_modules(host, &json));
  EXPECT(json_contains(&json, "\"moduleHashHex\":\"") && json_contains(&json, "\"loaded\":false"));
  sdm_bytes_free(&json);
  sdm_runtime_host_free(host);

  /* A durable host: rows survive closing and reopening the file. */
  char dir[] = "/tmp/sdm-abi-negative-XXXXXX";
  EXPECT(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof path, "%s/rows.db", dir);
  for (int round = 1; round <= 2; round++) {
    sdm_runtime_host *durable = NULL;
    CHECK_OK(sdm_runtime_host_open((const uint8_t *)path, strlen(path), &durable));
    CHECK_OK(sdm_runtime_host_append_row(durable, TEXT("OMM"), TEXT("null"), &id));
    EXPECT(id == (uint64_t)round);
    sdm_runtime_host_free(durable);
  }
  const char *suffixes[] = {"", "-wal", "-shm"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s/rows.db%s", dir, suffixes[i]);
    remove(path);
  }
  EXPECT(remove(dir) == 0);
}

static void frees_and_panic(void) {
  /* Every free accepts NULL; sdm_bytes_free accepts an empty buffer and a double free. */
  sdm_bytes_free(NULL);
  sdm_bytes empty = {NULL, 0};
  sdm_bytes_free(&empty);
  sdm_bytes_free(&empty);
  sdm_runtime_free(NULL);
  sdm_module_free(NULL);
  sdm_runtime_host_free(NULL);
  sdm_verified_free(NULL);
  sdm_host_free(NULL);

  CHECK_STATUS(STATUS_PANIC, sdm_debug_force_panic());
  EXPECT(sdm_last_error_code() == STATUS_PANIC);
  EXPECT(strstr(sdm_last_error_message(), "sdm_debug_force_panic") != NULL);
  /* The library is still usable after a caught panic. */
  EXPECT(sdm_abi_version() == SDM_ABI_VERSION);
}

int main(void) {
  error_code_names();
  format_functions();
  publication_functions();
  authorization_and_open_report();
  verify_functions();
  runtime_functions();
  runtime_host_functions();
  frees_and_panic();
  printf("abi_negative: ok\n");
  return 0;
}
