package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed output-frame metadata: every field of the core's InvokeResult output frame reaches Java
 * typed ({@link TypeRef}, {@link WireFormat}), checked against the CLI's JSON invoke output for
 * a plain flatbuffer (examples/invoke-echo) and an aligned-binary record (examples/aligned-echo).
 */
class FrameMetadataTest {
    /** The core's InvokeResult form of a typed frame (what the runtime matrix writes). */
    static ObjectNode frameJson(InvokeResult.OutputFrame frame) {
        ObjectNode out = Json.READER.createObjectNode();
        out.put("portId", frame.portId());
        TypeRef type = frame.typeRef();
        if (type == null) {
            out.putNull("typeRef");
        } else {
            ObjectNode t = out.putObject("typeRef");
            t.put("schemaName", type.schemaName());
            t.put("fileIdentifier", type.fileIdentifier());
            ArrayNode hash = t.putArray("schemaHash");
            for (byte b : type.schemaHash()) {
                hash.add(b & 0xff);
            }
            t.put("acceptsAnyFlatbuffer", type.acceptsAnyFlatbuffer());
            t.put("wireFormat", type.wireFormat().stableName());
            t.put("rootTypeName", type.rootTypeName());
            t.put("fixedStringLength", type.fixedStringLength());
            t.put("byteLength", type.byteLength());
            t.put("requiredAlignment", type.requiredAlignment());
        }
        out.put("alignment", frame.alignment());
        out.put("offset", frame.offset());
        out.put("size", frame.size());
        out.put("ownership", frame.ownership());
        out.put("generation", frame.generation());
        out.put("mutability", frame.mutability());
        out.put("traceId", frame.traceId());
        out.put("streamId", frame.streamId());
        out.put("sequence", frame.sequence());
        out.put("endOfStream", frame.endOfStream());
        out.put("payloadBase64", frame.payloadBase64());
        return out;
    }

    private static JsonNode cliOutputs(Path dir, byte[] wasm, String port, byte[] payload) throws Exception {
        String cli = System.getProperty("test.cli", "");
        assumeTrue(!cli.isEmpty() && Files.isExecutable(Path.of(cli)), "test.cli not set: the CLI's invoke --json is the reference here");
        Files.write(dir.resolve("m.wasm"), wasm);
        Files.write(dir.resolve("in.bin"), payload);
        Process process = new ProcessBuilder(cli, "invoke", dir.resolve("m.wasm").toString(), "--allow-unsigned",
                "--method", "echo", "--input-port", port, "--input", dir.resolve("in.bin").toString(), "--json")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor());
        return Json.READER.readTree(out).get("outputs");
    }

    /** The typed frames as JSON, re-read so numbers compare by value (not int vs long node). */
    private static JsonNode typedOutputs(InvokeResult result) throws Exception {
        ArrayNode list = Json.READER.createArrayNode();
        result.outputs().forEach(frame -> list.add(frameJson(frame)));
        return Json.READER.readTree(list.toString());
    }

    @Test
    void alignedBinaryMetadata(@TempDir Path dir) throws Exception {
        byte[] wasm = TestSupport.guest("test.aligned.echo.wasm");
        byte[] payload = new byte[24];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        try (Runtime runtime = Runtime.create();
                VerifiedModule verified = VerifiedModule.allowUnsigned(wasm);
                Module module = runtime.load(verified)) {
            InvokeResult result = module.invoke("echo", "in", payload);
            assertEquals(0, result.statusCode(), result.toString());
            assertEquals(1, result.outputs().size());
            InvokeResult.OutputFrame frame = result.outputs().get(0);
            assertEquals("record", frame.portId());
            assertArrayEquals(payload, frame.payload());
            assertEquals(16, frame.alignment());
            assertEquals(0, frame.offset() % 16);
            assertEquals(24, frame.size());
            TypeRef type = frame.typeRef();
            assertNotNull(type);
            assertEquals(WireFormat.ALIGNED_BINARY, type.wireFormat());
            assertEquals(List.of("Vec3.fbs", "VEC3", "Vec3"), List.of(type.schemaName(), type.fileIdentifier(), type.rootTypeName()));
            assertEquals(24, type.byteLength());
            assertEquals(16, type.requiredAlignment());
            assertEquals(0, type.schemaHash().length);
            assertFalse(type.acceptsAnyFlatbuffer());
            assertEquals(0L, frame.traceIdBits());
            assertEquals(0L, frame.sequenceBits());
            assertEquals(cliOutputs(dir, wasm, "in", payload), typedOutputs(result));
        }
    }

    @Test
    void flatbufferMetadataMatchesTheCore(@TempDir Path dir) throws Exception {
        byte[] wasm = TestSupport.guest("test.echo.direct.wasm");
        byte[] payload = "\u0008\u0000\u0000\u0000$OMM payload".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Runtime runtime = Runtime.create();
                VerifiedModule verified = VerifiedModule.allowUnsigned(wasm);
                Module module = runtime.load(verified)) {
            InvokeResult result = module.invoke("echo", "echo", payload);
            TypeRef type = result.outputs().get(0).typeRef();
            assertNotNull(type);
            assertEquals(WireFormat.FLATBUFFER, type.wireFormat());
            assertEquals(cliOutputs(dir, wasm, "echo", payload), typedOutputs(result));
        }
    }
}
