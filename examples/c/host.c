/* The host through the C ABI: a policy handle, direct host calls, a compiled guest
 * (examples/host-proxy) whose sdn_host calls run under that policy, and the same guest as a
 * registry module of a runtime host created with a policy.
 *
 * Usage: host HOST_PROXY_WASM SCRATCH_DIR */
#include <unistd.h>

#include "common.h"

/* A PluginInvokeRequest for method `call` with one frame on port `request`, built through
 * sdm_invoke_request_from_json. */
static sdm_bytes proxy_request(const char *operation, const char *params) {
  char payload[512];
  int payload_len = snprintf(payload, sizeof payload, "%s\n%s", operation, params);
  EXPECT(payload_len > 0 && (size_t)payload_len < sizeof payload);
  char json[2048];
  char bytes_list[1800] = "";
  size_t used = 0;
  for (int i = 0; i < payload_len; i++) {
    used += (size_t)snprintf(bytes_list + used, sizeof bytes_list - used, "%s%u", i ? "," : "",
                             (unsigned char)payload[i]);
    EXPECT(used < sizeof bytes_list);
  }
  int json_len = snprintf(json, sizeof json,
                          "{\"methodId\":\"call\",\"inputs\":[{\"portId\":\"request\","
                          "\"payload\":[%s]}]}",
                          bytes_list);
  EXPECT(json_len > 0 && (size_t)json_len < sizeof json);
  sdm_bytes request = {0};
  CHECK_OK(sdm_invoke_request_from_json((const uint8_t *)json, (size_t)json_len, &request));
  return request;
}

/* Invokes the proxy and returns the decoded response JSON. */
static sdm_bytes hosted_call(const sdm_module *module, const sdm_host *host,
                             const char *operation, const char *params) {
  sdm_bytes request = proxy_request(operation, params);
  sdm_bytes response = {0};
  CHECK_OK(sdm_module_invoke_hosted(module, host, SDM_INVOKE_DIRECT, request.ptr, request.len,
                                    NULL, &response));
  sdm_bytes json = {0};
  CHECK_OK(sdm_invoke_response_to_json(response.ptr, response.len, &json));
  sdm_bytes_free(&request);
  sdm_bytes_free(&response);
  return json;
}

/* Decodes an encoded response into its JSON form. */
static sdm_bytes response_json(sdm_bytes *response) {
  sdm_bytes json = {0};
  CHECK_OK(sdm_invoke_response_to_json(response->ptr, response->len, &json));
  sdm_bytes_free(response);
  return json;
}

/* Installs and loads the verified guest as module `proxy` of `runtime_host`. */
static void install_proxy(sdm_runtime_host *runtime_host, const sdm_verified *verified) {
  sdm_bytes installed = {0};
  CHECK_OK(sdm_runtime_host_install_module(runtime_host, (const uint8_t *)"proxy", 5, verified,
                                           NULL, 0, false, &installed));
  sdm_bytes_free(&installed);
  CHECK_OK(sdm_runtime_host_load_module(runtime_host, (const uint8_t *)"proxy", 5));
}

/* Forwards one hostcall through the registry module `proxy` (sdm_runtime_host_invoke);
 * returns the decoded response JSON. */
static sdm_bytes registry_call(sdm_runtime_host *runtime_host, const char *operation,
                               const char *params) {
  sdm_bytes request = proxy_request(operation, params);
  sdm_bytes response = {0};
  CHECK_OK(sdm_runtime_host_invoke(runtime_host, (const uint8_t *)"proxy", 5, request.ptr,
                                   request.len, &response));
  sdm_bytes_free(&request);
  return response_json(&response);
}

/* A registry module runs its sdn_host calls under the runtime host's policy, at most what its
 * verified manifest declares: granted works, not granted (or no policy at all) is denied. */
static void registry_under_policy(const unsigned char *wasm, size_t wasm_len, const char *root) {
  sdm_verified *verified = NULL;
  CHECK_OK(sdm_verify(wasm, wasm_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));

  char policy[1024];
  snprintf(policy, sizeof policy,
           "{\"grant\":[\"clock\",\"filesystem\"],\"filesystemRoot\":\"%s\"}", root);
  sdm_runtime_host *granted = NULL;
  CHECK_OK(sdm_runtime_host_new_with_policy(NULL, 0, (const uint8_t *)policy, strlen(policy),
                                            &granted));
  install_proxy(granted, verified);
  sdm_bytes json = registry_call(granted, "clock.now", "");
  EXPECT(json_contains(&json, "\"statusCode\":0"));
  sdm_bytes_free(&json);
  json = registry_call(granted, "filesystem.writeFile",
                       "{\"path\":\"registry/hello.txt\",\"value\":\"from the registry\"}");
  EXPECT(json_contains(&json, "\"statusCode\":0"));
  sdm_bytes_free(&json);
  char written[1024];
  snprintf(written, sizeof written, "%s/registry/hello.txt", root);
  size_t written_len = 0;
  unsigned char *content = read_file(written, &written_len);
  EXPECT(written_len == 17 && memcmp(content, "from the registry", 17) == 0);
  free(content);
  /* Declared by the manifest, not granted by this policy. */
  json = registry_call(granted, "random.bytes", "{\"length\":4}");
  EXPECT(json_contains(&json, "\"statusCode\":1"));
  sdm_bytes_free(&json);
  sdm_runtime_host_free(granted);

  /* The same guest without the grant: a policy granting nothing, and a host without one. */
  sdm_runtime_host *ungranted = NULL;
  CHECK_OK(sdm_runtime_host_new_with_policy(NULL, 0, (const uint8_t *)"{}", 2, &ungranted));
  sdm_runtime_host *plain = NULL;
  CHECK_OK(sdm_runtime_host_new(&plain));
  sdm_runtime_host *denying[2] = {ungranted, plain};
  for (int i = 0; i < 2; i++) {
    install_proxy(denying[i], verified);
    json = registry_call(denying[i], "clock.now", "");
    EXPECT(json_contains(&json, "\"statusCode\":1"));
    sdm_bytes_free(&json);
    json = registry_call(denying[i], "filesystem.writeFile",
                         "{\"path\":\"registry/denied.txt\",\"value\":\"no\"}");
    EXPECT(json_contains(&json, "\"statusCode\":1"));
    sdm_bytes_free(&json);
    sdm_runtime_host_free(denying[i]);
  }
  char denied[1024];
  snprintf(denied, sizeof denied, "%s/registry/denied.txt", root);
  EXPECT(access(denied, F_OK) != 0);
  sdm_verified_free(verified);
  printf("registry under a policy: granted ok, ungranted denied\n");
}

static sdm_host *new_host(const char *policy) {
  sdm_host *host = NULL;
  CHECK_OK(sdm_host_new((const uint8_t *)policy, strlen(policy), &host));
  EXPECT(host != NULL);
  return host;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s HOST_PROXY_WASM SCRATCH_DIR\n", argv[0]);
    return 2;
  }
  size_t wasm_len = 0;
  unsigned char *wasm = read_file(argv[1], &wasm_len);
  const char *root = argv[2];

  /* Policies: bad ones are refused with stable codes, never silently empty. */
  sdm_host *host = NULL;
  CHECK_STATUS(4, sdm_host_new((const uint8_t *)"{\"grnat\":[]}", 12, &host));
  CHECK_STATUS(2, sdm_host_new((const uint8_t *)"{", 1, &host));
  CHECK_STATUS(4, sdm_host_new(NULL, 0, &host));
  CHECK_STATUS(4, sdm_host_new((const uint8_t *)"{}", 2, NULL));
  EXPECT(host == NULL);

  /* The embedder's own calls: granted runs, not granted is 800 with no effect. */
  char policy[1024];
  snprintf(policy, sizeof policy, "{\"grant\":[\"clock\",\"filesystem\"],\"filesystemRoot\":\"%s\"}",
           root);
  host = new_host(policy);
  sdm_bytes result = {0};
  CHECK_OK(sdm_host_invoke(host, (const uint8_t *)"clock.now", 9, NULL, 0, &result));
  EXPECT(result.len > 10);
  sdm_bytes_free(&result);
  CHECK_STATUS(800, sdm_host_invoke(host, (const uint8_t *)"random.bytes", 12,
                                    (const uint8_t *)"{\"length\":4}", 12, &result));
  CHECK_STATUS(802, sdm_host_invoke(host, (const uint8_t *)"filesystem.readFile", 19,
                                    (const uint8_t *)"{\"path\":\"../x\"}", 15, &result));
  CHECK_STATUS(810, sdm_host_invoke(host, (const uint8_t *)"nope.op", 7, NULL, 0, &result));
  CHECK_STATUS(2, sdm_host_invoke(host, (const uint8_t *)"clock.now", 9,
                                  (const uint8_t *)"{bad", 4, &result));
  CHECK_STATUS(4, sdm_host_invoke(NULL, (const uint8_t *)"clock.now", 9, NULL, 0, &result));
  CHECK_STATUS(4, sdm_host_invoke(host, NULL, 9, NULL, 0, &result));
  CHECK_STATUS(4, sdm_host_invoke(host, (const uint8_t *)"clock.now", 9, NULL, 0, NULL));
  CHECK_STATUS(4, sdm_host_invoke(host, (const uint8_t *)"\xff\xfe", 2, NULL, 0, &result));
  EXPECT(result.ptr == NULL);

  /* A guest under the policy. */
  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  sdm_verified *verified = NULL;
  CHECK_OK(sdm_verify(wasm, wasm_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));
  sdm_module *module = NULL;
  CHECK_OK(sdm_module_load(runtime, verified, &module));
  sdm_verified_free(verified);

  sdm_bytes json = hosted_call(module, host, "clock.now", "");
  EXPECT(json_contains(&json, "\"statusCode\":0"));
  sdm_bytes_free(&json);

  json = hosted_call(module, host, "filesystem.writeFile",
                     "{\"path\":\"from-c/hello.txt\",\"value\":\"hi from C\"}");
  EXPECT(json_contains(&json, "\"statusCode\":0"));
  sdm_bytes_free(&json);
  char written[1024];
  snprintf(written, sizeof written, "%s/from-c/hello.txt", root);
  size_t written_len = 0;
  unsigned char *content = read_file(written, &written_len);
  EXPECT(written_len == 9 && memcmp(content, "hi from C", 9) == 0);
  free(content);

  /* random is declared by the manifest but not granted by the policy: denied, status 1. */
  json = hosted_call(module, host, "random.bytes", "{\"length\":4}");
  EXPECT(json_contains(&json, "\"statusCode\":1"));
  sdm_bytes_free(&json);

  /* A host with nothing granted: the guest's write has no effect. */
  sdm_host *empty = new_host("{}");
  json = hosted_call(module, empty, "filesystem.writeFile",
                     "{\"path\":\"denied.txt\",\"value\":\"no\"}");
  EXPECT(json_contains(&json, "\"statusCode\":1"));
  sdm_bytes_free(&json);
  char denied[1024];
  snprintf(denied, sizeof denied, "%s/denied.txt", root);
  EXPECT(access(denied, F_OK) != 0);

  /* Bad arguments of the hosted invoke. */
  sdm_bytes request = proxy_request("clock.now", "");
  sdm_bytes response = {0};
  CHECK_STATUS(4, sdm_module_invoke_hosted(module, host, 7, request.ptr, request.len, NULL,
                                           &response));
  CHECK_STATUS(4, sdm_module_invoke_hosted(NULL, host, SDM_INVOKE_DIRECT, request.ptr,
                                           request.len, NULL, &response));
  CHECK_STATUS(4, sdm_module_invoke_hosted(module, NULL, SDM_INVOKE_DIRECT, request.ptr,
                                           request.len, NULL, &response));
  CHECK_STATUS(4, sdm_module_invoke_hosted(module, host, SDM_INVOKE_DIRECT, NULL, 3, NULL,
                                           &response));
  CHECK_STATUS(4, sdm_module_invoke_hosted(module, host, SDM_INVOKE_DIRECT, request.ptr,
                                           request.len, NULL, NULL));
  EXPECT(response.ptr == NULL);
  sdm_bytes_free(&request);

  /* 1,000 create/free cycles of the host handle; free accepts NULL. */
  for (int i = 0; i < 1000; i++) {
    sdm_host *cycle = new_host(policy);
    sdm_host_free(cycle);
  }
  sdm_host_free(NULL);

  sdm_host_free(empty);
  sdm_host_free(host);
  sdm_module_free(module);
  sdm_runtime_free(runtime);

  registry_under_policy(wasm, wasm_len, root);
  free(wasm);
  printf("host: ok\n");
  return 0;
}
