package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;

/** Paths of the vectors and compiled guests (pom.xml passes them), and small assertions. */
final class TestSupport {
    private TestSupport() {}

    static Path root() {
        return Path.of(System.getProperty("test.repo.root", "../..")).toAbsolutePath().normalize();
    }

    static Path vector(String relative) {
        return root().resolve("vectors").resolve(relative);
    }

    static byte[] bytes(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    static JsonNode json(Path path) {
        try {
            return Json.READER.readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A guest compiled by `make run-test-java` (system property {@code name}); the test is
     * skipped, saying why, when it is not there.
     */
    static byte[] guest(String property) {
        String path = System.getProperty(property, "");
        assumeTrue(!path.isEmpty(), property + " not set: compile the guest with the CLI (make run-test-java does it)");
        Path file = Path.of(path);
        assumeTrue(Files.isReadable(file), property + "=" + path + " cannot be read");
        return bytes(file);
    }

    /** The signing key of the single-file-bundle vector's manifest (a fixed mnemonic is not needed: any key). */
    static String manifestJson() {
        return text(vector("single-file-bundle/manifest.json"));
    }

    static byte[] baseModule() {
        return bytes(vector("single-file-bundle/base-module.wasm"));
    }

    /** Runs {@code body}, which must throw an {@link SdmException} of {@code type} with {@code code}. */
    static <T extends SdmException> T assertCode(Class<T> type, String code, Executable body) {
        T error = assertThrows(type, body);
        assertEquals(code, error.code(), error.getMessage());
        ErrorCode known = ErrorCode.fromCode(code);
        assertEquals(known.number(), error.number());
        assertEquals(known.errorClass(), error.errorClass());
        return error;
    }

    /** The value without its null members (the core leaves some out, records write them as null). */
    static JsonNode withoutNulls(JsonNode value) {
        if (value instanceof ObjectNode object) {
            ObjectNode out = Json.READER.createObjectNode();
            object.properties().forEach(entry -> {
                if (!entry.getValue().isNull()) {
                    out.set(entry.getKey(), withoutNulls(entry.getValue()));
                }
            });
            return out;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode out = Json.READER.createArrayNode();
            array.forEach(element -> out.add(withoutNulls(element)));
            return out;
        }
        return value;
    }
}
