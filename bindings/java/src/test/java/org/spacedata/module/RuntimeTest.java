package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spacedata.module.TestSupport.assertCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load and invoke: the echo guest in direct and command mode, limits, host policies with the
 * host-proxy guest, concurrency and handle lifetimes.
 */
class RuntimeTest {
    private static void assertEcho(InvokeResult result, String mode, byte[] payload) {
        assertEquals(mode, result.mode());
        assertEquals(0, result.statusCode(), String.valueOf(result));
        assertFalse(result.failed());
        assertEquals(1, result.outputs().size());
        assertEquals("echo", result.outputs().get(0).portId());
        assertArrayEquals(payload, result.output("echo").orElseThrow());
    }

    @Test
    void echoDirectAndCommand() throws Exception {
        byte[] direct = TestSupport.guest("test.echo.direct.wasm");
        byte[] command = TestSupport.guest("test.echo.command.wasm");
        byte[] payload = "orbit state".getBytes(StandardCharsets.UTF_8);
        try (Runtime runtime = Runtime.create();
                VerifiedModule directWasm = VerifiedModule.allowUnsigned(direct);
                VerifiedModule commandWasm = VerifiedModule.allowUnsigned(command);
                Module directModule = runtime.load(directWasm);
                Module commandModule = runtime.load(commandWasm)) {
            assertEquals(List.of(InvokeMode.DIRECT), directModule.modes());
            assertTrue(commandModule.modes().contains(InvokeMode.COMMAND), commandModule.modes().toString());
            assertEcho(directModule.invoke("echo", "echo", payload), "direct", payload);
            assertEcho(commandModule.invoke(Call.of("echo").withInput("echo", payload).withMode(InvokeMode.COMMAND)),
                    "command", payload);
            // An unknown method is the guest's answer, not an exception.
            InvokeResult unknown = directModule.invoke(Call.of("no-such-method"));
            assertTrue(unknown.failed());
            // A mode the module lacks is a host-side failure.
            assertCode(SdmException.Runtime.class, "runtime-missing-export",
                    () -> directModule.invoke(Call.of("echo").withInput("echo", payload).withMode(InvokeMode.COMMAND)));
            // Limits: a tiny fuel budget runs out.
            assertCode(SdmException.Runtime.class, "runtime-fuel-exhausted",
                    () -> directModule.invoke(Call.of("echo").withInput("echo", payload)
                            .withLimits(Limits.defaults().withFuel(10L))));
            assertCode(SdmException.Runtime.class, "runtime-response-too-large",
                    () -> directModule.invoke(Call.of("echo").withInput("echo", new byte[4096])
                            .withLimits(Limits.defaults().withMaxResponseBytes(1024))));
            // A failed call never affects the next one.
            assertEcho(directModule.invoke("echo", "echo", payload), "direct", payload);
        }
    }

    @Test
    void eightThreadsInvokeOneModule() throws Exception {
        byte[] direct = TestSupport.guest("test.echo.direct.wasm");
        int threads = 8;
        int calls = 25;
        try (Runtime runtime = Runtime.create();
                VerifiedModule verified = VerifiedModule.allowUnsigned(direct);
                Module module = runtime.load(verified)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < calls; i++) {
                            byte[] payload = ("thread " + thread + " call " + i).getBytes(StandardCharsets.UTF_8);
                            assertEcho(module.invoke("echo", "echo", payload), "direct", payload);
                        }
                        return calls;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> result : results) {
                    total += result.get();
                }
                assertEquals(threads * calls, total);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closingTwiceIsHarmlessAndUseAfterCloseThrows() throws Exception {
        Runtime runtime = Runtime.create();
        VerifiedModule verified = VerifiedModule.allowUnsigned(TestSupport.baseModule());
        Module module = runtime.load(verified);
        runtime.close();
        runtime.close();
        assertTrue(runtime.isClosed());
        assertCode(SdmException.Input.class, "invalid-argument", () -> runtime.load(verified));
        // The module keeps its engine: still usable after its runtime is closed.
        assertTrue(module.modes().size() <= 2);
        module.close();
        module.close();
        assertCode(SdmException.Input.class, "invalid-argument", () -> module.invoke("echo", "echo", new byte[1]));
        verified.close();
        assertCode(SdmException.Input.class, "invalid-argument", verified::wasm);
        SigningKey key = SigningKey.random();
        key.close();
        key.close();
        assertCode(SdmException.Input.class, "invalid-argument", key::publicKeyHex);
        assertCode(SdmException.Input.class, "invalid-argument",
                () -> Publication.protect(ProtectRequest.of(TestSupport.baseModule(), TestSupport.manifestJson()), key));
        RuntimeHost host = RuntimeHost.inMemory();
        host.close();
        host.close();
        assertCode(SdmException.Input.class, "invalid-argument", () -> host.listRows(null));
    }

    @Test
    void closeWhileOtherThreadsInvokeNeverCrashes() throws Exception {
        byte[] direct = TestSupport.guest("test.echo.direct.wasm");
        try (Runtime runtime = Runtime.create(); VerifiedModule verified = VerifiedModule.allowUnsigned(direct)) {
            Module module = runtime.load(verified);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        for (int i = 0; i < 200; i++) {
                            try {
                                module.invoke("echo", "echo", new byte[] {1, 2, 3});
                            } catch (SdmException e) {
                                return e.code();
                            }
                        }
                        return "finished";
                    }));
                }
                Thread.sleep(20);
                module.close();
                for (Future<String> result : results) {
                    String outcome = result.get();
                    assertTrue(outcome.equals("finished") || outcome.equals("invalid-argument"), outcome);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void panicsAndBadArgumentsBecomeSdmExceptions() throws Exception {
        SdmException panic = assertCode(SdmException.Internal.class, "panic", NativeLib::debugPanic);
        assertTrue(panic.detail().contains("deliberate panic"), panic.detail());
        // The JVM and the library carry on.
        assertCode(SdmException.Input.class, "invalid-argument", () -> VerifiedModule.allowUnsigned(null));
        assertCode(SdmException.Input.class, "invalid-json", () -> HostPolicy.fromJson("{"));
        assertCode(SdmException.Input.class, "invalid-argument", () -> HostPolicy.fromJson("{\"grnat\":[\"clock\"]}"));
        assertCode(SdmException.Wasm.class, "wasm-invalid",
                () -> VerifiedModule.allowUnsigned("not wasm at all".getBytes(StandardCharsets.UTF_8)));
    }

    /** The host-proxy guest forwards one hostcall: `operation\nparams` in, the envelope out. */
    private static JsonNode proxy(Module module, HostPolicy policy, String operation, String params, int status)
            throws Exception {
        byte[] request = (operation + "\n" + params).getBytes(StandardCharsets.UTF_8);
        InvokeResult result = module.invoke(Call.of("call").withInput("request", request).withHostPolicy(policy));
        assertEquals(status, result.statusCode(), operation + ": " + result);
        return Json.READER.readTree(result.output("envelope").orElseThrow());
    }

    private static void assertDenied(JsonNode envelope) {
        assertFalse(envelope.get("ok").asBoolean(), envelope.toString());
        assertEquals("host-capability-denied", envelope.path("error").path("code").asText(), envelope.toString());
    }

    @Test
    void hostcallsAreDeniedUnlessGrantedAndDeclared(@TempDir Path root, @TempDir Path emptyRoot) throws Exception {
        byte[] proxyWasm = TestSupport.guest("test.host.proxy.wasm");
        try (Runtime runtime = Runtime.create();
                VerifiedModule verified = VerifiedModule.allowUnsigned(proxyWasm);
                Module module = runtime.load(verified)) {
            assertTrue(module.declaredCapabilities().contains("filesystem"), module.declaredCapabilities().toString());
            HostPolicy granted = HostPolicy.builder().grant("clock", "filesystem").filesystemRoot(root).build();

            JsonNode now = proxy(module, granted, "clock.now", "", 0);
            assertTrue(now.get("ok").asBoolean(), now.toString());
            JsonNode write = proxy(module, granted, "filesystem.writeFile",
                    "{\"path\":\"from-java/hello.txt\",\"value\":\"hi from Java\"}", 0);
            assertTrue(write.get("ok").asBoolean(), write.toString());
            assertEquals("hi from Java", Files.readString(root.resolve("from-java/hello.txt")));

            // Declared by the manifest, not granted by the policy.
            assertDenied(proxy(module, granted, "random.bytes", "{\"length\":4}", 1));
            // No policy at all: the empty policy; nothing is written.
            assertDenied(proxy(module, null, "clock.now", "", 1));
            HostPolicy none = HostPolicy.builder().filesystemRoot(emptyRoot).build();
            assertDenied(proxy(module, none, "filesystem.writeFile", "{\"path\":\"denied.txt\",\"value\":\"no\"}", 1));
            try (var entries = Files.list(emptyRoot)) {
                assertEquals(0, entries.count());
            }
        }
    }
}
