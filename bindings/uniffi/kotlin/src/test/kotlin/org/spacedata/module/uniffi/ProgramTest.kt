package org.spacedata.module.uniffi

import java.nio.file.Files
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** `module.run`: a module's `_start` as a WASI program (guest: src/test/guest/program.c). */
class ProgramTest {
    private val runtime = Runtime()

    @AfterTest
    fun closeRuntime() = runtime.close()

    private fun program(): Module = runtime.load(VerifiedModule.allowUnsigned(Fixtures.guest("program.wasm")))

    private fun lines(output: ProgramOutput) = String(output.stdout).lines()

    @Test
    fun argsEnvPreopenAndStdinReachTheProgram() {
        val dir = Files.createTempDirectory("sdm-kotlin-program")
        dir.resolve("in.txt").toFile().writeText("from the preopen\nsecond line\n")
        program().use { module ->
            val output = module.run(
                Program(
                    args = listOf("one", "two words"),
                    env = mapOf("K" to "v=1", "OTHER" to "x"),
                    preopens = listOf(ProgramPreopen(hostPath = dir.toString(), guestPath = "/data")),
                ),
                "stdin bytes\u0000\n".toByteArray(),
            )
            assertEquals(0, output.exitCode)
            assertEquals(
                listOf("args=one,two words", "K=v=1", "file=from the preopen", "stdin bytes\u0000", ""),
                lines(output),
            )
            assertContentEquals("to stderr\n".toByteArray(), output.stderr)
        }
    }

    @Test
    fun defaultsGiveNothingAndANonZeroExitIsAResult() {
        program().use { module ->
            val bare = module.run()
            assertEquals(listOf("args=", "K=(unset)", "file=(none)", ""), lines(bare))
            // Without a preopen the file is not there, whatever the host has.
            val exit = module.run(Program(args = listOf("exit", "3")))
            assertEquals(3, exit.exitCode)
            assertContentEquals("to stderr\n".toByteArray(), exit.stderr)
        }
    }

    @Test
    fun theJsonFormIsTheSameProgram() {
        val parsed = programFromJson("""{"args":["a"],"env":{"K":"v"},"preopens":[{"hostPath":"/tmp","guestPath":"/data"}]}""")
        assertEquals(Program(listOf("a"), mapOf("K" to "v"), listOf(ProgramPreopen("/tmp", "/data", true))), parsed)
        assertEquals(Program(), programFromJson("{}"))
        assertCode(ErrorCode.INVALID_ARGUMENT) { programFromJson("""{"argv":[]}""") }
        assertCode(ErrorCode.INVALID_ARGUMENT) { programFromJson("[") }
    }

    @Test
    fun invalidProgramsAndMissingStartAreErrors() {
        program().use { module ->
            assertCode(ErrorCode.INVALID_ARGUMENT) { module.run(Program(args = listOf("a\u0000b"))) }
            assertCode(ErrorCode.INVALID_ARGUMENT) { module.run(Program(env = mapOf("A=B" to "v"))) }
            assertCode(ErrorCode.INVALID_ARGUMENT) {
                module.run(Program(preopens = listOf(ProgramPreopen("/tmp", ""))))
            }
        }
        // The direct-mode echo guest has no `_start`.
        runtime.load(VerifiedModule.allowUnsigned(Fixtures.guest("echo-direct.wasm"))).use { module ->
            assertCode(ErrorCode.RUNTIME_MISSING_EXPORT) { module.run() }
        }
        // Limits apply to programs as to calls.
        Runtime(defaultLimits().copy(fuel = 10uL)).use { tight ->
            val module = tight.load(VerifiedModule.allowUnsigned(Fixtures.guest("program.wasm")))
            val err = assertCode(ErrorCode.RUNTIME_FUEL_EXHAUSTED) { module.run() }
            assertTrue(err.message!!.isNotEmpty())
        }
    }
}
