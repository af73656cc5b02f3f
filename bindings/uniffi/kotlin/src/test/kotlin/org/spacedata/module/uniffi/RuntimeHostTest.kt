package org.spacedata.module.uniffi

import java.nio.file.Files
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class RuntimeHostTest {
    @Test
    fun rowsAreAppendedResolvedListedAndSurviveAReopen() {
        val path = Files.createTempDirectory("sdm-kotlin-rows").resolve("rows.sqlite").toString()
        RuntimeHost.open(path).use { host ->
            assertEquals(RowHandle("OMM", 1uL), host.appendRow("OMM", """{"n":1}"""))
            assertEquals(RowHandle("OMM", 2uL), host.appendRow(" OMM ", "[2]")) // the schema id is trimmed
            assertEquals(RowHandle("CAT", 1uL), host.appendRow("CAT", "\"x\""))

            val row = assertNotNull(host.resolveRow("OMM", 2uL))
            assertEquals("[2]", row.payloadJson)
            assertNull(host.resolveRow("OMM", 99uL))
            assertCode(ErrorCode.RUNTIME_HOST_INVALID_ROW_ID) { host.resolveRow("OMM", 0uL) }
            assertEquals(listOf("OMM" to 1uL, "OMM" to 2uL, "CAT" to 1uL), host.listRows().map { it.handle.schemaFileId to it.handle.rowId })
            assertEquals(2, host.listRows("OMM").size)

            assertCode(ErrorCode.RUNTIME_HOST_INVALID_SCHEMA_ID) { host.appendRow("   ", "1") }
            assertCode(ErrorCode.INVALID_JSON) { host.appendRow("OMM", "{bad") }
            // A failed append consumes no id.
            assertEquals(3uL, host.appendRow("OMM", "3").rowId)
        }
        RuntimeHost.open(path).use { reopened ->
            assertEquals(4, reopened.listRows().size)
            assertEquals("""{"n":1}""", reopened.resolveRow("OMM", 1uL)?.payloadJson)
            assertEquals(4uL, reopened.appendRow("OMM", "4").rowId)
        }
    }

    @Test
    fun regionsHoldFixedLengthRecords() {
        RuntimeHost.inMemory().use { host ->
            val region = host.allocateRegion("layout.v1", 4uL, records = listOf(byteArrayOf(1, 2), byteArrayOf(3, 4, 5, 6)))
            assertEquals(2uL, region.recordCount)
            assertContentEquals(byteArrayOf(1, 2, 0, 0), host.resolveRecord(region.regionId, 0uL)?.bytes)
            assertNull(host.resolveRecord(region.regionId, 2uL))
            assertEquals(5uL, host.setRegionRecordCount(region.regionId, 5uL)?.recordCount)
            assertEquals(listOf(region.regionId), host.listRegions().map { it.regionId })
            assertNull(host.describeRegion(999uL))
            assertCode(ErrorCode.RUNTIME_HOST_RECORD_TOO_LONG) { host.allocateRegion("layout.v1", 1uL, records = listOf(byteArrayOf(1, 2))) }
            assertCode(ErrorCode.RUNTIME_HOST_INVALID_ALIGNMENT) { host.allocateRegion("layout.v1", 4uL, alignment = 3uL) }
        }
    }

    @Test
    fun registryModulesInstallLoadAndInvoke() {
        val policy = HostPolicy.fromJson("""{"grant":["clock"]}""")
        RuntimeHost.inMemory(policy).use { host ->
            val echo = VerifiedModule.allowUnsigned(Fixtures.guest("echo-direct.wasm"))
            val record = host.installModule("echo", echo, """{"owner":"kotlin"}""")
            assertEquals(1uL, record.version)
            assertFalse(record.loaded)
            assertEquals("""{"owner":"kotlin"}""", record.metadataJson)
            assertCode(ErrorCode.RUNTIME_HOST_MODULE_NOT_LOADED) { host.invokeModule(ModuleRef.Id("echo"), "echo") }
            assertTrue(host.loadModule(ModuleRef.Id("echo")).loaded)
            val payload = "via the registry".toByteArray()
            val byId = host.invokeModule(ModuleRef.Id("echo"), "echo", listOf(InputFrame("echo", payload)))
            assertContentEquals(payload, byId.outputs.single().payload)
            val byHash = host.invokeModule(ModuleRef.Hash(record.moduleHashHex), "echo", listOf(InputFrame("echo", payload)))
            assertContentEquals(payload, byHash.outputs.single().payload)
            assertCode(ErrorCode.RUNTIME_HOST_MODULE_EXISTS) { host.installModule("echo", echo) }
            assertCode(ErrorCode.RUNTIME_HOST_MODULE_UNKNOWN) { host.loadModule(ModuleRef.Id("nope")) }

            // Registry modules get the host's policy narrowed to their manifest.
            val proxy = VerifiedModule.allowUnsigned(Fixtures.guest("host-proxy.wasm"))
            host.installModule("proxy", proxy)
            host.loadModule(ModuleRef.Id("proxy"))
            val clock = host.invokeModule(ModuleRef.Id("proxy"), "call", listOf(InputFrame("request", "clock.now\n".toByteArray())))
            assertEquals(0, clock.statusCode)
            val random = host.invokeModule(ModuleRef.Id("proxy"), "call", listOf(InputFrame("request", "random.bytes\n{\"length\":4}".toByteArray())))
            assertEquals(1, random.statusCode)

            assertEquals(listOf("echo", "proxy"), host.listModules().map { it.moduleId })
            assertTrue(host.unloadModule(ModuleRef.Id("echo")))
            assertEquals("echo", host.uninstallModule("echo")?.moduleId)
            assertNull(host.lookupModule(ModuleRef.Id("echo")))
        }
    }
}
