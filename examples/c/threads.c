/*
 * The thread-safety contract of the C ABI (docs/c-abi.md, "Thread safety"):
 * - one sdm_runtime, one sdm_verified and one sdm_module shared by 8 threads that invoke the
 *   module, load the shared verified module through the runtime (its module cache), read its
 *   wasm and the manifest concurrently; each thread also runs the loader (sdm_verify) itself;
 * - stateless functions (inspect, manifest encode/decode, invoke envelopes) from every thread;
 * - the last error is per thread: each round, every thread ends on a different call (a success
 *   or a failure with its own status), all threads meet at a barrier, and each must still see
 *   its own status and message, never another thread's.
 *
 * usage: threads ECHO_MODULE.wasm VECTOR_MODULE.wasm
 */
#include <pthread.h>

#include "common.h"

/* The caught-panic outcome needs sdm_debug_force_panic (the library's test hooks). */
#ifndef SDM_TEST_HOOKS
#error "build with -DSDM_TEST_HOOKS against a library built with --features test-hooks"
#endif

#define THREADS 8
#define INVOKES_PER_THREAD 6
#define ISOLATION_ROUNDS 8

#define STATUS_INVALID_JSON 2u
#define STATUS_INVALID_ARGUMENT 4u
#define STATUS_PANIC 6u

struct shared {
  sdm_runtime *runtime;
  sdm_verified *verified;
  sdm_module *module;
  const unsigned char *echo;
  size_t echo_len;
  const unsigned char *vector;
  size_t vector_len;
  sdm_bytes request;
  pthread_barrier_t barrier;
};

struct worker {
  struct shared *shared;
  int index;
  int failures;
};

#define WORKER_EXPECT(job, condition)                                                   \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      fprintf(stderr, "thread %d: %s:%d: expected %s\n", (job)->index, __FILE__,         \
              __LINE__, #condition);                                                    \
      (job)->failures++;                                                                \
    }                                                                                   \
  } while (0)

/* Shared handles and stateless functions, all threads at once. */
static void concurrent_calls(struct worker *job) {
  struct shared *shared = job->shared;
  for (int i = 0; i < INVOKES_PER_THREAD; i++) {
    sdm_bytes response = {0}, decoded = {0};
    WORKER_EXPECT(job, sdm_module_invoke_direct(shared->module, shared->request.ptr,
                                                shared->request.len, NULL, &response) == 0);
    WORKER_EXPECT(job, sdm_invoke_response_to_json(response.ptr, response.len, &decoded) == 0);
    WORKER_EXPECT(job, json_contains(&decoded, "\"payload\":[104,105]"));
    sdm_bytes_free(&decoded);
    sdm_bytes_free(&response);
  }

  /* Loading the shared verified module through the shared runtime hits its module cache
   * from several threads; a module verified by this thread loads too. */
  sdm_module *loaded = NULL;
  WORKER_EXPECT(job, sdm_module_load(shared->runtime, shared->verified, &loaded) == 0);
  sdm_bytes manifest = {0};
  WORKER_EXPECT(job, sdm_module_manifest_json(loaded, &manifest) == 0);
  WORKER_EXPECT(job, json_contains(&manifest, "invoke-echo"));
  sdm_bytes_free(&manifest);
  sdm_module_free(loaded);
  sdm_bytes wasm = {0};
  WORKER_EXPECT(job, sdm_verified_wasm(shared->verified, &wasm) == 0);
  WORKER_EXPECT(job, wasm.len == shared->echo_len && memcmp(wasm.ptr, shared->echo, wasm.len) == 0);
  sdm_bytes_free(&wasm);
  sdm_verified *own = NULL;
  WORKER_EXPECT(job, sdm_verify(shared->echo, shared->echo_len, NULL, 0, NULL, 0,
                                SDM_VERIFY_ALLOW_UNSIGNED, &own) == 0);
  loaded = NULL;
  WORKER_EXPECT(job, sdm_module_load(shared->runtime, own, &loaded) == 0);
  sdm_verified_free(own);
  sdm_module_free(loaded);

  /* Stateless functions. */
  sdm_bytes parsed = {0};
  WORKER_EXPECT(job, sdm_bundle_inspect(shared->vector, shared->vector_len, &parsed) == 0);
  WORKER_EXPECT(job, json_contains(&parsed, "\"canonicalModuleHashHex\""));
  sdm_bytes_free(&parsed);
  static const char request_json[] = "{\"methodId\":\"echo\",\"inputs\":[]}";
  sdm_bytes request = {0};
  WORKER_EXPECT(job, sdm_invoke_request_from_json((const uint8_t *)request_json,
                                                  strlen(request_json), &request) == 0);
  sdm_bytes_free(&request);
}

/* Ends on a call whose outcome depends on `role`; returns the status it must leave behind. */
static sdm_status last_call(int role, struct shared *shared) {
  sdm_bytes out = {0};
  sdm_status status = 0;
  switch (role % 4) {
    case 0: /* success */
      status = sdm_bundle_inspect(shared->vector, shared->vector_len, &out);
      sdm_bytes_free(&out);
      return status == 0 ? 0 : 0xffffffffu;
    case 1:
      return sdm_bundle_inspect(NULL, 8, &out) == STATUS_INVALID_ARGUMENT
                 ? STATUS_INVALID_ARGUMENT
                 : 0xffffffffu;
    case 2:
      return sdm_manifest_encode_json((const uint8_t *)"{", 1, &out) == STATUS_INVALID_JSON
                 ? STATUS_INVALID_JSON
                 : 0xffffffffu;
    default:
      return sdm_debug_force_panic() == STATUS_PANIC ? STATUS_PANIC : 0xffffffffu;
  }
}

static void last_error_isolation(struct worker *job) {
  struct shared *shared = job->shared;
  for (int round = 0; round < ISOLATION_ROUNDS; round++) {
    int role = job->index + round;
    sdm_status expected = last_call(role, shared);
    WORKER_EXPECT(job, expected != 0xffffffffu);
    /* Every thread has made its last call before any thread reads its last error. */
    pthread_barrier_wait(&shared->barrier);
    WORKER_EXPECT(job, sdm_last_error_code() == expected);
    const char *message = sdm_last_error_message();
    if (expected == 0) {
      WORKER_EXPECT(job, message[0] == '\0');
    } else if (expected == STATUS_PANIC) {
      WORKER_EXPECT(job, strstr(message, "sdm_debug_force_panic") != NULL);
    } else {
      WORKER_EXPECT(job, message[0] != '\0' && strstr(message, "panic") == NULL);
    }
    /* Nobody starts the next round (and overwrites its own error) before all have checked. */
    pthread_barrier_wait(&shared->barrier);
  }
}

static void *run_worker(void *arg) {
  struct worker *job = arg;
  pthread_barrier_wait(&job->shared->barrier);
  concurrent_calls(job);
  pthread_barrier_wait(&job->shared->barrier);
  last_error_isolation(job);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s ECHO_MODULE.wasm VECTOR_MODULE.wasm\n", argv[0]);
    return 2;
  }
  struct shared shared = {0};
  unsigned char *echo = read_file(argv[1], &shared.echo_len);
  unsigned char *vector = read_file(argv[2], &shared.vector_len);
  shared.echo = echo;
  shared.vector = vector;
  CHECK_OK(sdm_runtime_new(&shared.runtime));
  CHECK_OK(sdm_verify(echo, shared.echo_len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED,
                      &shared.verified));
  CHECK_OK(sdm_module_load(shared.runtime, shared.verified, &shared.module));
  static const char request_json[] =
      "{\"methodId\":\"echo\",\"inputs\":[{\"portId\":\"echo\",\"payload\":[104,105]}]}";
  CHECK_OK(sdm_invoke_request_from_json((const uint8_t *)request_json, strlen(request_json),
                                        &shared.request));
  EXPECT(pthread_barrier_init(&shared.barrier, NULL, THREADS) == 0);

  /* The main thread's own last error must survive all the workers' calls. */
  CHECK_STATUS(STATUS_INVALID_JSON,
               sdm_manifest_encode_json((const uint8_t *)"{", 1, &shared.request));

  pthread_t threads[THREADS];
  struct worker jobs[THREADS];
  for (int i = 0; i < THREADS; i++) {
    jobs[i] = (struct worker){&shared, i, 0};
    EXPECT(pthread_create(&threads[i], NULL, run_worker, &jobs[i]) == 0);
  }
  int failures = 0;
  for (int i = 0; i < THREADS; i++) {
    EXPECT(pthread_join(threads[i], NULL) == 0);
    failures += jobs[i].failures;
  }
  EXPECT(failures == 0);
  EXPECT(sdm_last_error_code() == STATUS_INVALID_JSON);
  EXPECT(strstr(sdm_last_error_message(), "JSON") != NULL);

  pthread_barrier_destroy(&shared.barrier);
  sdm_bytes_free(&shared.request);
  sdm_module_free(shared.module);
  sdm_verified_free(shared.verified);
  sdm_runtime_free(shared.runtime);
  free(echo);
  free(vector);
  printf("threads: %d threads x (%d invokes + verify + load + inspect), %d isolation rounds: ok\n",
         THREADS, INVOKES_PER_THREAD, ISOLATION_ROUNDS);
  return 0;
}
