package org.spacedata.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spacedata.module.TestSupport.assertCode;
import static org.spacedata.module.TestSupport.bytes;
import static org.spacedata.module.TestSupport.json;
import static org.spacedata.module.TestSupport.text;
import static org.spacedata.module.TestSupport.vector;
import static org.spacedata.module.TestSupport.withoutNulls;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Manifests (vectors/manifests), compliance (vectors/differential/compliance), bundles. */
class FormatTest {
    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> stream = Files.list(dir)) {
            return stream.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @TestFactory
    List<DynamicTest> everyManifestVectorEncodesByteIdentically() throws IOException {
        List<Path> inputs = files(vector("manifests"), ".manifest.json");
        assertFalse(inputs.isEmpty(), "no manifest vectors");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path input : inputs) {
            String stem = input.getFileName().toString().replace(".manifest.json", "");
            tests.add(DynamicTest.dynamicTest(stem, () -> {
                EncodedManifest encoded = Manifests.encode(text(input));
                byte[] expected = bytes(vector("manifests/" + stem + ".manifest.fb"));
                assertArrayEquals(expected, encoded.bytes(), stem + ": FlatBuffer differs from the reference");
                Path warnings = vector("manifests/" + stem + ".manifest.warnings.json");
                if (Files.exists(warnings)) {
                    List<String> want = Json.READER.convertValue(json(warnings),
                            new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
                    assertEquals(want, encoded.warnings());
                }
                Path decoded = vector("manifests/" + stem + ".manifest.decoded.json");
                if (Files.exists(decoded)) {
                    assertEquals(json(decoded), Manifests.decode(expected));
                }
            }));
        }
        return tests;
    }

    @Test
    void decodingGarbageIsAnInputError() {
        assertCode(SdmException.Input.class, "manifest-identifier-mismatch",
                () -> Manifests.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertCode(SdmException.Input.class, "invalid-json", () -> Manifests.encode("{not json"));
        assertCode(SdmException.Input.class, "invalid-argument", () -> Manifests.encode(null));
    }

    /** Every manifest-only compliance vector gives the reference's codes, locations and severities. */
    @TestFactory
    List<DynamicTest> checkGivesTheReferenceCodes() throws IOException {
        Path dir = vector("differential/compliance");
        List<DynamicTest> tests = new ArrayList<>();
        int failing = 0;
        for (Path input : files(dir, ".input.json")) {
            JsonNode spec = json(input);
            String validator = spec.get("validator").asText();
            boolean standards = validator.equals("validateManifestWithStandards");
            if (!standards && !validator.equals("validatePluginManifest")) {
                continue;
            }
            String stem = input.getFileName().toString().replace(".input.json", "");
            JsonNode expected = json(dir.resolve(stem + ".report.json"));
            if (!expected.get("ok").asBoolean()) {
                failing++;
            }
            String manifest = text(dir.resolve(spec.get("manifest").asText()));
            String sourceName = spec.hasNonNull("sourceName") ? spec.get("sourceName").asText() : null;
            tests.add(DynamicTest.dynamicTest("compliance " + stem, () -> {
                CheckReport report = Manifests.check(
                        new CheckRequest(manifest, null, standards, sourceName, null));
                assertEquals(expected.get("ok").asBoolean(), report.ok());
                List<String> want = new ArrayList<>();
                expected.get("issues").forEach(issue -> want.add(issue.get("severity").asText() + " "
                        + issue.get("code").asText() + " @ " + issue.get("location").asText()));
                List<String> got = report.issues().stream()
                        .map(issue -> issue.severity() + " " + issue.code() + " @ " + issue.location())
                        .toList();
                assertEquals(want, got);
            }));
        }
        assertTrue(failing > 5, "the compliance vectors should include failing manifests");
        return tests;
    }

    @Test
    void aManifestWithoutMethodsFailsTheCheckWithCodes() throws SdmException {
        CheckReport report = Manifests.check("{\"pluginId\":\"x\",\"name\":\"x\",\"version\":\"1\",\"methods\":[]}");
        assertFalse(report.ok());
        assertFalse(report.issues().isEmpty());
        report.issues().forEach(issue -> {
            assertNotNull(issue.code());
            assertNotNull(issue.severity());
        });
        // A broken module is an error, not a report.
        assertCode(SdmException.Wasm.class, "wasm-invalid", () -> Manifests.check(
                CheckRequest.of(TestSupport.manifestJson()).withWasm(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, (byte) 0xff})));
    }

    @TestFactory
    List<DynamicTest> bundleVectorsParseToTheReferenceJson() throws IOException {
        List<Path> modules = files(vector("differential/bundle"), ".bundled.wasm");
        assertFalse(modules.isEmpty());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path module : modules) {
            String stem = module.getFileName().toString().replace(".bundled.wasm", "");
            tests.add(DynamicTest.dynamicTest("bundle " + stem, () -> {
                JsonNode expected = json(vector("differential/bundle/" + stem + ".parsed.json"));
                JsonNode parseOptions = json(vector("differential/bundle/" + stem + ".bundle-input.json")).path("parseOptions");
                ParsedBundle parsed = parseOptions.hasNonNull("bundleSectionName")
                        ? Bundles.inspect(bytes(module), false, parseOptions.get("bundleSectionName").asText()).parsed()
                        : Bundles.parse(bytes(module));
                // Every member of the record maps back to the reference's JSON.
                // (Through text, so numbers compare by value, not by Java type.)
                JsonNode mapped = Json.READER.readTree(Json.READER.writeValueAsString(parsed));
                assertEquals(withoutNulls(expected), withoutNulls(mapped));
                assertEquals(expected.get("entries").size(), parsed.entries().size());
            }));
        }
        return tests;
    }

    @Test
    void createInspectAndVerifyABundle() throws SdmException {
        byte[] base = TestSupport.baseModule();
        CreatedBundle created = Bundles.create(base, TestSupport.manifestJson());
        assertEquals(created.wasm().length, created.summary().outputBytes());
        assertTrue(created.summary().entryIds().contains("manifest"));
        ParsedBundle parsed = Bundles.verify(created.wasm());
        assertEquals(created.summary().canonicalModuleHashHex(), parsed.canonicalModuleHashHex());
        InspectReport report = Bundles.inspect(created.wasm(), true);
        assertEquals(Boolean.TRUE, report.verified());
        assertTrue(report.mismatches().isEmpty());
        assertNull(Bundles.inspect(created.wasm(), false).verified());

        assertCode(SdmException.Bundle.class, "bundle-missing", () -> Bundles.parse(base));
        assertCode(SdmException.Input.class, "invalid-json",
                () -> Bundles.create(base, TestSupport.manifestJson(), BundleOptions.defaults().withDeploymentPlanJson("{nope")));
    }
}
