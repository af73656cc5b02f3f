package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar fallback: a JVM without the library on java.library.path extracts it from
 * {@code native/<os>-<arch>/} on the class path (here a directory laid out like the jar).
 */
class NativeLoadingTest {
    /** Run by the child JVM. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("codes=" + ErrorCode.values().length + " native=" + Json.READER.readTree(NativeLib.errorCodes()).size()
                    + " policy=" + HostPolicy.builder().grant("clock").build().toJson());
        }
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theLibraryIsExtractedFromTheClassPathWhenNotOnTheLibraryPath(@TempDir Path jarLike) throws Exception {
        Path library = Path.of(System.getProperty("test.native.dir", "")).resolve(System.mapLibraryName(NativeLib.LIBRARY));
        assumeTrue(Files.isReadable(library), "no native library at " + library);
        Path nativeDir = jarLike.resolve("native").resolve(NativeLib.classifier());
        Files.createDirectories(nativeDir);
        // A link keeps the test from copying the (large, debug) library twice.
        Files.createSymbolicLink(nativeDir.resolve(library.getFileName()), library.toAbsolutePath());
        String classPath = String.join(File.pathSeparator, List.of(
                location(NativeLoadingTest.class), location(NativeLib.class), location(ObjectMapper.class),
                location(JsonFactory.class), location(JsonInclude.class), jarLike.toString()));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Djava.library.path=" + jarLike.resolve("empty"),
                "-Djava.io.tmpdir=" + jarLike, "-cp", classPath, Child.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
        // Removed here: @TempDir warns about links that point out of it.
        Files.delete(nativeDir.resolve(library.getFileName()));
        assertEquals(0, child.exitValue(), output);
        int codes = ErrorCode.values().length;
        assertTrue(output.contains("codes=" + codes + " native=" + codes + " policy={\"grant\":[\"clock\"]}"), output);
        // The extracted copy is removed once loaded.
        try (var left = Files.list(jarLike)) {
            assertEquals(List.of("native"), left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
