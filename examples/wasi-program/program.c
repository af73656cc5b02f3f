/* wasi-program: a plain WASI program (`main`, exported as `_start`) for `Module.run` in the
 * bindings' tests. Deterministic: everything it prints follows from its inputs.
 *
 * stdout: one line per argument (`arg[N]=TEXT`), one per environment entry in the order given
 *         (`env K=V`), the file named by $PROGRAM_FILE (`file:CONTENTS`, read through a
 *         preopened directory), then `stdin:` and stdin copied unchanged.
 * stderr: `stderr: N args`.
 * exit:   $PROGRAM_EXIT (a decimal number), else 0. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

static void copy(FILE *from) {
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, from)) > 0) {
    fwrite(buffer, 1, n, stdout);
  }
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    printf("arg[%d]=%s\n", i, argv[i]);
  }
  for (char **entry = environ; entry && *entry; entry++) {
    printf("env %s\n", *entry);
  }
  const char *path = getenv("PROGRAM_FILE");
  if (path) {
    FILE *file = fopen(path, "rb");
    if (!file) {
      fprintf(stderr, "cannot open %s\n", path);
      return 2;
    }
    fputs("file:", stdout);
    copy(file);
    fclose(file);
    fputc('\n', stdout);
  }
  fputs("stdin:", stdout);
  copy(stdin);
  fflush(stdout);
  fprintf(stderr, "stderr: %d args\n", argc - 1);
  const char *code = getenv("PROGRAM_EXIT");
  return code ? atoi(code) : 0;
}
