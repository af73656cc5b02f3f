package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spacedata.module.TestSupport.assertCode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module.run: a module's {@code _start} as a WASI program (examples/wasi-program): arguments,
 * environment, a file through a preopened directory, stdin to stdout, stderr, exit codes, and
 * the errors (no {@code _start}, arguments WASI cannot carry).
 */
class ProgramTest {
    private static Runtime runtime;
    private static VerifiedModule verified;
    private static Module program;

    @BeforeAll
    static void load() throws Exception {
        byte[] wasm = TestSupport.guest("test.program.wasm");
        runtime = Runtime.create();
        verified = VerifiedModule.allowUnsigned(wasm);
        program = runtime.load(verified);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable handle : new AutoCloseable[] {program, verified, runtime}) {
            try {
                if (handle != null) {
                    handle.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void defaultsGrantNothing() throws Exception {
        ProgramResult result = program.run(null, null, null);
        assertEquals(0, result.exitCode());
        assertTrue(result.ok());
        assertEquals("stdin:", result.stdoutText());
        assertEquals("stderr: 0 args\n", result.stderrText());
    }

    @Test
    void argsEnvAndStdin() throws Exception {
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        for (int i = 0; i < 64 * 256; i++) {
            stdin.write(i & 0xff);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("B", "2");
        env.put("A", "1=one");
        Program prog = new Program(List.of("one", "two words", ""), env, List.of());
        ProgramResult result = program.run(prog, stdin.toByteArray(), null);
        String[] lines = result.stdoutText().split("\n", -1);
        assertEquals(List.of("arg[1]=one", "arg[2]=two words", "arg[3]="), List.of(lines).subList(0, 3));
        // The environment arrives in key order, whatever order the map had.
        assertEquals(List.of("env A=1=one", "env B=2"), List.of(lines).subList(3, 5));
        byte[] out = result.stdout();
        byte[] tail = java.util.Arrays.copyOfRange(out, out.length - stdin.size(), out.length);
        assertArrayEquals(stdin.toByteArray(), tail);
        assertEquals("stderr: 3 args\n", result.stderrText());
    }

    @Test
    void preopenRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("note.txt"), "orbit state");
        Program prog = Program.empty().withEnv("PROGRAM_FILE", "/data/note.txt");
        ProgramResult result = program.run(prog.withPreopen(Program.Preopen.readOnly(dir, "/data")), new byte[0], null);
        assertEquals(0, result.exitCode(), result.stderrText());
        assertTrue(result.stdoutText().contains("file:orbit state\n"), result.stdoutText());
        // Without the preopen the file cannot be reached: the program says so and exits 2.
        ProgramResult denied = program.run(prog, new byte[0], null);
        assertEquals(2, denied.exitCode());
        assertTrue(denied.stderrText().contains("cannot open /data/note.txt"), denied.stderrText());
    }

    @Test
    void nonZeroExitIsAResult() throws Exception {
        for (int code : new int[] {1, 3, 125}) {
            ProgramResult result = program.run(Program.empty().withEnv("PROGRAM_EXIT", Integer.toString(code)), utf8("in"), null);
            assertEquals(code, result.exitCode());
            assertFalse(result.ok());
            assertTrue(result.stdoutText().endsWith("stdin:in"), result.stdoutText());
            assertEquals("stderr: 0 args\n", result.stderrText());
        }
    }

    @Test
    void missingStartIsRuntimeMissingExport() throws Exception {
        byte[] echo = TestSupport.guest("test.echo.direct.wasm");
        try (VerifiedModule echoWasm = VerifiedModule.allowUnsigned(echo); Module module = runtime.load(echoWasm)) {
            assertCode(SdmException.Runtime.class, "runtime-missing-export", () -> module.run(Program.empty(), utf8("x"), null));
        }
    }

    @Test
    void invalidArguments() throws Exception {
        List<Program> invalid = List.of(
                Program.empty().withArgs("a\0b"),
                Program.empty().withEnv("A=B", "v"),
                Program.empty().withEnv("", "v"),
                Program.empty().withEnv("K", "v\0"),
                Program.empty().withPreopen(new Program.Preopen("/tmp", "", true)));
        for (Program prog : invalid) {
            assertCode(SdmException.Input.class, "invalid-argument", () -> program.run(prog, null, null));
        }
        assertThrows(SdmException.class,
                () -> program.run(Program.empty().withPreopen(new Program.Preopen("/nonexistent/sdm-java-test", "/data", true)), null, null));
        assertCode(SdmException.Input.class, "invalid-argument",
                () -> program.run(null, null, HostPolicy.fromJson("{\"grnat\":[]}")));
    }

    @Test
    void limitsAndHostPolicyApply() throws Exception {
        assertCode(SdmException.Runtime.class, "runtime-fuel-exhausted",
                () -> program.run(null, null, null, Limits.defaults().withFuel(10L)));
        assertEquals(0, program.run(null, null, HostPolicy.builder().grant("clock").build()).exitCode());
    }

    @Test
    void threadsShareOneProgramModule() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        String in = thread + ":" + i;
                        ProgramResult result = program.run(Program.empty().withArgs(Integer.toString(thread)), utf8(in), null);
                        assertEquals("arg[1]=" + thread + "\nstdin:" + in, result.stdoutText());
                    }
                    return 10;
                }));
            }
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get();
            }
            assertEquals(40, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
