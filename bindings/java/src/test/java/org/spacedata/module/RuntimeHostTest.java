package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spacedata.module.TestSupport.assertCode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows (durable across a reopen), regions and the module registry. */
class RuntimeHostTest {
    @Test
    void rowsSurviveAReopenOfTheSameFile(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("rows.sqlite");
        try (RuntimeHost host = RuntimeHost.open(store)) {
            assertEquals(new RowHandle("orbits", 1), host.appendRow("orbits", "{\"a\":1}"));
            assertEquals(new RowHandle("orbits", 2), host.appendRow(" orbits ", "[1,2,3]"));
            assertEquals(new RowHandle("ephemeris", 1), host.appendRow("ephemeris", "\"x\""));
            assertCode(SdmException.Input.class, "invalid-json", () -> host.appendRow("orbits", "{nope"));
            assertCode(SdmException.Runtime.class, "runtime-host-invalid-schema-id", () -> host.appendRow("  ", "1"));
        }
        try (RuntimeHost host = RuntimeHost.open(store)) {
            Row row = host.resolveRow("orbits", 1).orElseThrow();
            assertEquals(1, row.payload().get("a").asInt());
            assertEquals(List.of(1L, 2L), host.listRows("orbits").stream().map(r -> r.handle().rowId()).toList());
            assertEquals(3, host.listRows(null).size());
            assertTrue(host.resolveRow("orbits", 99).isEmpty());
            assertCode(SdmException.Runtime.class, "runtime-host-invalid-row-id", () -> host.resolveRow("orbits", 0));
            // Ids are never reused.
            assertEquals(3, host.appendRow("orbits", "null").rowId());
        }
    }

    @Test
    void regionsHoldRecords() throws Exception {
        try (RuntimeHost host = RuntimeHost.inMemory()) {
            Region region = host.allocateRegion("state-vector", 4, 4, new byte[] {1, 2, 3, 4, 5, 6});
            assertEquals(2, region.recordCount());
            assertEquals("state-vector", region.layoutId());
            assertArrayEquals(new byte[] {5, 6, 0, 0}, host.resolveRecord(region.regionId(), 1).orElseThrow());
            assertTrue(host.resolveRecord(region.regionId(), 2).isEmpty());
            assertEquals(5, host.setRegionRecordCount(region.regionId(), 5).orElseThrow().recordCount());
            assertEquals(region.regionId(), host.describeRegion(region.regionId()).orElseThrow().regionId());
            assertTrue(host.describeRegion(region.regionId() + 100).isEmpty());
            assertEquals(1, host.listRegions().size());
            assertCode(SdmException.Runtime.class, "runtime-host-invalid-alignment",
                    () -> host.allocateRegion("x", 4, 3, null));
        }
    }

    @Test
    void registryModulesInstallLoadAndInvoke() throws Exception {
        byte[] echo = TestSupport.guest("test.echo.direct.wasm");
        byte[] payload = "via the registry".getBytes(StandardCharsets.UTF_8);
        try (RuntimeHost host = RuntimeHost.inMemory(HostPolicy.denyAll());
                VerifiedModule verified = VerifiedModule.allowUnsigned(echo)) {
            ModuleRecord record = host.installModule("echo", verified, "{\"team\":\"orbits\"}");
            assertEquals(1, record.version());
            assertFalse(record.loaded());
            assertEquals("orbits", record.metadata().get("team").asText());
            assertCode(SdmException.Runtime.class, "runtime-host-module-exists",
                    () -> host.installModule("echo", verified, null));
            assertCode(SdmException.Runtime.class, "runtime-host-module-not-loaded",
                    () -> host.invoke("echo", Call.of("echo").withInput("echo", payload)));
            assertTrue(host.loadModule("echo").loaded());
            InvokeResult result = host.invoke("echo", Call.of("echo").withInput("echo", payload));
            assertEquals("direct", result.mode());
            assertArrayEquals(payload, result.output("echo").orElseThrow());

            ModuleInstall replaced = host.reinstallModule("echo", verified, null);
            assertEquals(2, replaced.module().version());
            assertEquals(1, replaced.previous().version());
            assertFalse(replaced.module().loaded());
            assertTrue(replaced.module().metadata() == null || replaced.module().metadata().isNull());
            assertEquals(List.of("echo"), host.listModules().stream().map(ModuleRecord::moduleId).toList());
            assertFalse(host.unloadModule("echo"));
            assertEquals("echo", host.uninstallModule("echo").orElseThrow().moduleId());
            assertTrue(host.lookupModule("echo").isEmpty());
            assertCode(SdmException.Runtime.class, "runtime-host-module-unknown", () -> host.loadModule("echo"));
        }
        assertNull(null);
    }
}
