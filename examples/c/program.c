/* sdm_module_run: a module's _start as a WASI program, from C.
 *
 * usage: program WASI_PROGRAM.wasm REACTOR.wasm DATA_DIR
 *   WASI_PROGRAM.wasm: runtime-matrix/fixtures/wasi-program (prints argc, args and env, then
 *     runs its args as commands: cat=PATH, stdin, stderr=TEXT, exit=N);
 *   REACTOR.wasm: a module without _start (the direct echo);
 *   DATA_DIR: a writable scratch directory, preopened read-only at /data.
 *
 * Short on purpose (it runs under valgrind): one module, one run of each kind. */
#include <stdint.h>

#include "common.h"

static sdm_module *load(sdm_runtime *runtime, const char *path) {
  size_t len = 0;
  unsigned char *wasm = read_file(path, &len);
  sdm_verified *verified = NULL;
  sdm_module *module = NULL;
  CHECK_OK(sdm_verify(wasm, len, NULL, 0, NULL, 0, SDM_VERIFY_ALLOW_UNSIGNED, &verified));
  CHECK_OK(sdm_module_load(runtime, verified, &module));
  sdm_verified_free(verified);
  free(wasm);
  return module;
}

static int bytes_equal(const sdm_bytes *bytes, const char *text, size_t len) {
  return bytes->len == len && (len == 0 || memcmp(bytes->ptr, text, len) == 0);
}

#define TEXT(literal) literal, sizeof(literal) - 1

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s WASI_PROGRAM.wasm REACTOR.wasm DATA_DIR\n", argv[0]);
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/hello.txt", argv[3]);
  FILE *file = fopen(path, "wb");
  EXPECT(file != NULL);
  fputs("from the host", file);
  fclose(file);

  sdm_runtime *runtime = NULL;
  CHECK_OK(sdm_runtime_new(&runtime));
  sdm_module *module = load(runtime, argv[1]);
  sdm_module *reactor = load(runtime, argv[2]);
  sdm_host *host = NULL;
  CHECK_OK(sdm_host_new((const uint8_t *)"{}", 2, &host));

  /* Arguments, environment, a read-only preopen, stdin (with a NUL), stderr, a non-zero
   * exit: one run. DATA_DIR is passed as given (a relative path resolves against the working
   * directory). */
  char program[8192];
  snprintf(program, sizeof program,
           "{\"args\":[\"cat=/data/hello.txt\",\"stdin\",\"stderr=oops\",\"exit=3\"],"
           "\"env\":{\"K\":\"v\"},\"preopens\":[{\"hostPath\":\"%s\",\"guestPath\":\"/data\"}]}",
           argv[3]);
  static const uint8_t stdin_bytes[] = {'i', 'n', 0, 'x'};
  int32_t exit_code = -1;
  sdm_bytes out = {NULL, 0}, err = {NULL, 0};
  sdm_limits limits = sdm_limits_default();
  CHECK_OK(sdm_module_run(module, (const uint8_t *)program, strlen(program), stdin_bytes,
                          sizeof stdin_bytes, host, &limits, &exit_code, &out, &err));
  static const char expected[] =
      "argc=5\narg[1]=cat=/data/hello.txt\narg[2]=stdin\narg[3]=stderr=oops\narg[4]=exit=3\n"
      "env K=v\ncat /data/hello.txt: from the host\nstdin: in\0x\nstdin bytes: 4\n";
  EXPECT(exit_code == 3);
  EXPECT(bytes_equal(&out, expected, sizeof expected - 1));
  EXPECT(bytes_equal(&err, TEXT("oops\n")));
  sdm_bytes_free(&out);
  sdm_bytes_free(&err);

  /* Nothing given (NULL program, NULL stdin, no host, default limits): argv[0] only. */
  CHECK_OK(sdm_module_run(module, NULL, 0, NULL, 0, NULL, NULL, &exit_code, &out, &err));
  EXPECT(exit_code == 0 && bytes_equal(&out, TEXT("argc=1\n")) && err.ptr == NULL && err.len == 0);
  sdm_bytes_free(&out);

  /* Failures write no out-param: malformed JSON and an unknown member are invalid-argument,
   * a module without _start is runtime-missing-export. */
  exit_code = 77;
  CHECK_STATUS(SDM_ERR_INVALID_ARGUMENT,
               sdm_module_run(module, (const uint8_t *)"{", 1, NULL, 0, NULL, NULL, &exit_code, &out, &err));
  CHECK_STATUS(SDM_ERR_INVALID_ARGUMENT,
               sdm_module_run(module, (const uint8_t *)"{\"argv\":[]}", 11, NULL, 0, NULL, NULL, &exit_code,
                              &out, &err));
  EXPECT(strstr(sdm_last_error_message(), "argv") != NULL);
  CHECK_STATUS(SDM_ERR_INVALID_ARGUMENT,
               sdm_module_run(NULL, NULL, 0, NULL, 0, NULL, NULL, &exit_code, &out, &err));
  CHECK_STATUS(SDM_ERR_RUNTIME_MISSING_EXPORT,
               sdm_module_run(reactor, NULL, 0, NULL, 0, NULL, NULL, &exit_code, &out, &err));
  EXPECT(exit_code == 77 && out.ptr == NULL && err.ptr == NULL);

  sdm_host_free(host);
  sdm_module_free(reactor);
  sdm_module_free(module);
  sdm_runtime_free(runtime);
  remove(path);
  printf("program: sdm_module_run ok\n");
  return 0;
}
