package org.spacedata.module.uniffi

import java.nio.file.Files
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

class RuntimeTest {
    private val runtime = Runtime()

    @AfterTest
    fun closeRuntime() = runtime.close()

    /** The echo guest, signed and opened: the fail-closed path a real host takes. */
    private fun echo(surface: String): Module {
        val wasm = Fixtures.guest("echo-$surface.wasm")
        val manifest = Fixtures.text("examples/invoke-echo/manifest.$surface.json")
        val artifact = protect(wasm, manifest, Fixtures.signingKey).artifact
        val verified = open(artifact, OpenOptions(trustedSigners = listOf(Fixtures.signingKey.publicKeyHex())))
        return runtime.load(verified)
    }

    @Test
    fun echoInvokesInDirectMode() {
        echo("direct").use { module ->
            assertEquals(listOf(InvokeMode.DIRECT), module.modes())
            val payload = "hello from Kotlin".toByteArray()
            val result = module.invoke("echo", listOf(InputFrame("echo", payload)))
            assertEquals(InvokeMode.DIRECT, result.mode)
            assertEquals(0, result.statusCode)
            assertFalse(result.failed)
            assertEquals(1, result.outputs.size)
            assertEquals("echo", result.outputs[0].portId)
            assertContentEquals(payload, result.outputs[0].payload)
            assertEquals(payload.size.toUInt(), result.outputs[0].size)
            // The envelope's metadata is typed: the echo guest answers with a FlatBuffer type
            // reference whose aligned-binary byte length is the payload's.
            val typeRef = assertNotNull(result.outputs[0].typeRef)
            assertEquals(WireFormat.FLATBUFFER, typeRef.wireFormat)
            assertEquals("flatbuffer", typeRef.wireFormat.wireName())
            assertEquals(payload.size.toUInt(), typeRef.byteLength)
            assertEquals(8.toUShort(), result.outputs[0].alignment)
            assertEquals(0uL, result.outputs[0].traceId)
            // The guest's own error is a result, not an exception.
            val missing = module.invoke("echo")
            assertTrue(missing.failed, "$missing")
            assertTrue(missing.statusCode != 0 && !missing.errorCode.isNullOrEmpty(), "$missing")
            assertTrue(missing.outputs.isEmpty())
            // A mode the module does not export is the runtime's error.
            assertCode(ErrorCode.RUNTIME_MISSING_EXPORT) {
                module.invoke("echo", listOf(InputFrame("echo", payload)), InvokeOptions(mode = InvokeMode.COMMAND))
            }
        }
    }

    @Test
    fun echoInvokesInCommandMode() {
        echo("command").use { module ->
            assertTrue(InvokeMode.COMMAND in module.modes())
            val payload = ByteArray(64) { it.toByte() }
            val result = module.invoke("echo", listOf(InputFrame("echo", payload)), InvokeOptions(mode = InvokeMode.COMMAND))
            assertEquals(InvokeMode.COMMAND, result.mode)
            assertEquals(0, result.statusCode)
            assertContentEquals(payload, result.outputs.single().payload)
        }
    }

    @Test
    fun limitsReachTheGuest() {
        val tight = Runtime(defaultLimits().copy(fuel = 10uL))
        tight.use { rt ->
            assertEquals(10uL, rt.limits().fuel)
            val module = rt.load(VerifiedModule.allowUnsigned(Fixtures.guest("echo-direct.wasm")))
            assertCode(ErrorCode.RUNTIME_FUEL_EXHAUSTED) { module.invoke("echo", listOf(InputFrame("echo", byteArrayOf(1)))) }
        }
    }

    @Test
    fun eightThreadsInvokeOneModule() {
        val module = echo("direct")
        val pool = Executors.newFixedThreadPool(8)
        try {
            val jobs = (0 until 8).map { thread ->
                Callable {
                    repeat(25) { call ->
                        val payload = "thread $thread call $call".toByteArray()
                        val result = module.invoke("echo", listOf(InputFrame("echo", payload)))
                        assertContentEquals(payload, result.outputs.single().payload)
                    }
                    thread
                }
            }
            assertEquals((0 until 8).toList(), pool.invokeAll(jobs).map { it.get() })
        } finally {
            pool.shutdown()
        }
        // Closing twice is harmless; a closed handle throws instead of crashing the JVM.
        module.close()
        module.close()
        assertFailsWith<IllegalStateException> { module.invoke("echo", listOf(InputFrame("echo", byteArrayOf(1)))) }
    }

    /** The host-proxy guest forwards one hostcall and answers the host's envelope. */
    private fun proxyCall(module: Module, policy: HostPolicy?, operation: String, params: String): Pair<Int, Map<String, Any?>> {
        val result = module.invoke("call", listOf(InputFrame("request", "$operation\n$params".toByteArray())),
            InvokeOptions(hostPolicy = policy))
        val frame = result.outputs.single()
        assertEquals("envelope", frame.portId)
        return result.statusCode to Json.obj(String(frame.payload))
    }

    private fun assertDenied(status: Int, envelope: Map<String, Any?>) {
        assertEquals(1, status, "$envelope")
        assertEquals(false, envelope["ok"])
        assertEquals("host-capability-denied", (envelope["error"] as Map<*, *>)["code"])
    }

    @Test
    fun hostcallsAreGrantedOnlyByThePolicy() {
        val module = runtime.load(VerifiedModule.allowUnsigned(Fixtures.guest("host-proxy.wasm")))
        assertTrue("filesystem" in module.declaredCapabilities())
        val root = Files.createTempDirectory("sdm-kotlin-host")
        val rootJson = root.toString().replace("\\", "\\\\")
        val policy = HostPolicy.fromJson("""{"grant":["clock","filesystem"],"filesystemRoot":"$rootJson"}""")
        assertEquals(listOf("clock", "filesystem"), policy.granted())

        // Granted and declared: the write lands in the root.
        val (status, envelope) = proxyCall(module, policy, "filesystem.writeFile", """{"path":"from-kotlin/hello.txt","value":"hi from Kotlin"}""")
        assertEquals(0, status, "$envelope")
        assertEquals(true, envelope["ok"])
        assertEquals("hi from Kotlin", root.resolve("from-kotlin/hello.txt").toFile().readText())
        assertEquals(0, proxyCall(module, policy, "clock.now", "").first)

        // Declared by the manifest, not granted by the policy.
        val (deniedStatus, denied) = proxyCall(module, policy, "random.bytes", """{"length":4}""")
        assertDenied(deniedStatus, denied)
        // No policy: nothing granted, nothing written.
        val (noneStatus, none) = proxyCall(module, null, "filesystem.writeFile", """{"path":"denied.txt","value":"no"}""")
        assertDenied(noneStatus, none)
        assertFalse(root.resolve("denied.txt").toFile().exists())
        // The empty policy, built or from JSON, grants nothing either.
        for (empty in listOf(HostPolicy(), HostPolicy.fromJson("{}"))) {
            val (emptyStatus, emptyEnvelope) = proxyCall(module, empty, "clock.now", "")
            assertDenied(emptyStatus, emptyEnvelope)
        }

        // Policies are strict JSON.
        assertCode(ErrorCode.INVALID_ARGUMENT) { HostPolicy.fromJson("""{"grnat":["clock"]}""") }
        assertCode(ErrorCode.INVALID_JSON) { HostPolicy.fromJson("{") }
    }
}
