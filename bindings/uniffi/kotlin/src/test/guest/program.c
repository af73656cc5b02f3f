// A WASI program for the `module.run` tests (built by `make uniffi-prereqs` with
// `clang --target=wasm32-wasi`): deterministic output from args, env, a preopened file and stdin.
//   stdout: "args=<argv[1..] joined by ','>\n", "K=<$K or (unset)>\n",
//           "file=<first line of /data/in.txt or (none)>\n", then stdin copied verbatim
//   stderr: "to stderr\n"
//   exit:   the number after "exit" when argv[1] is "exit", else 0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("args=");
    for (int i = 1; i < argc; i++) printf("%s%s", i > 1 ? "," : "", argv[i]);
    const char *k = getenv("K");
    printf("\nK=%s\n", k ? k : "(unset)");
    char line[256] = "(none)";
    FILE *file = fopen("/data/in.txt", "r");
    if (file) {
        if (!fgets(line, sizeof line, file)) line[0] = 0;
        line[strcspn(line, "\n")] = 0;
        fclose(file);
    }
    printf("file=%s\n", line);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) fwrite(buf, 1, n, stdout);
    fflush(stdout);
    fputs("to stderr\n", stderr);
    if (argc > 2 && strcmp(argv[1], "exit") == 0) return atoi(argv[2]);
    return 0;
}
