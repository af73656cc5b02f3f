package org.spacedata.module.uniffi

import java.io.File
import java.security.MessageDigest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

class FormatTest {
    private fun sha256Hex(bytes: ByteArray): String =
        MessageDigest.getInstance("SHA-256").digest(bytes).joinToString("") { "%02x".format(it) }

    @Test
    fun everyManifestVectorEncodesByteIdentically() {
        val dir = Fixtures.repoFile("vectors/manifests")
        // Every `X.json` with an `X.fb` beside it (X.decoded.json and X.warnings.json are its outputs).
        val cases = dir.listFiles { f -> f.name.endsWith(".json") && File(dir, f.name.removeSuffix(".json") + ".fb").isFile }!!
            .sortedBy { it.name }
        assertTrue(cases.size >= 7, "manifest vectors: ${cases.size}")
        for (json in cases) {
            val stem = json.name.removeSuffix(".json")
            val encoded = encodeManifest(json.readText())
            assertContentEquals(File(dir, "$stem.fb").readBytes(), encoded.bytes, "${json.name}: PMAN bytes")
            assertEquals(Json.parse(File(dir, "$stem.warnings.json").readText()), encoded.warnings, "${json.name}: warnings")
            // Decoding gives the reference's decoded JSON.
            assertEquals(
                Json.parse(File(dir, "$stem.decoded.json").readText()),
                Json.parse(decodeManifest(encoded.bytes)),
                "${json.name}: decoded",
            )
        }
    }

    @Test
    fun bundleVectorsParseToTheirExpectedJson() {
        val dir = Fixtures.repoFile("vectors/differential/bundle")
        val cases = dir.listFiles { f -> f.name.endsWith(".bundled.wasm") }!!.sortedBy { it.name }
        assertTrue(cases.size >= 10, "bundle vectors: ${cases.size}")
        for (wasm in cases) {
            val n = wasm.name.removeSuffix(".bundled.wasm")
            val expected = Json.obj(File(dir, "$n.parsed.json").readText())
            // Some vectors carry their bundle in another section (`acme.bundle`).
            val section = expected["bundleSectionName"] as String?
            val parsed = inspect(wasm.readBytes(), bundleSectionName = section).parsed
            assertEquals(expected, Json.parse(parsed.json), "$n.parsed.json")
            if (section == "sds.bundle") assertEquals(parsed, parseBundle(wasm.readBytes()))
            // The typed record carries the same values.
            assertEquals(expected["canonicalModuleHashHex"], parsed.canonicalModuleHashHex)
            assertEquals(expected["manifestHashHex"], parsed.manifestHashHex)
            assertEquals(expected["bundleSha256Hex"], parsed.bundleSha256Hex)
            assertEquals(expected["customSections"], parsed.customSections)
            @Suppress("UNCHECKED_CAST")
            val entries = expected["entries"] as List<Map<String, Any?>>
            assertEquals(entries.map { it["entryId"] }, parsed.entries.map { it.entryId })
            assertEquals(entries.map { it["payloadSha256Hex"] }, parsed.entries.map { it.payloadSha256Hex })
            assertEquals(entries.map { it["role"] }, parsed.entries.map { it.role })
        }
    }

    @Test
    fun singleFileVectorInspectsAndVerifies() {
        val module = Fixtures.read("vectors/single-file-bundle/single-file-module.wasm")
        val expected = Json.obj(Fixtures.text("vectors/single-file-bundle/expected.json"))
        val report = inspect(module, verify = true)
        assertEquals(true, report.verified)
        assertEquals(emptyList(), report.mismatches)
        assertEquals(expected["canonicalModuleHashHex"], report.parsed.canonicalModuleHashHex)
        assertEquals(expected["manifestPluginId"], report.parsed.pluginId)
        assertEquals(report.parsed, verifyBundle(module))
        // A flipped byte inside the bundle's payload is a mismatch (reported) or a parse error.
        assertCode(ErrorCode.BUNDLE_MISSING) { parseBundle(Fixtures.read("vectors/single-file-bundle/base-module.wasm")) }
        assertCode(ErrorCode.WASM_MAGIC_MISMATCH) { parseBundle("not wasm at all".toByteArray()) }
    }

    @Test
    fun createBundleFromTheBaseModuleMatchesTheVector() {
        val created = createBundle(
            Fixtures.read("vectors/single-file-bundle/base-module.wasm"),
            Fixtures.text("vectors/single-file-bundle/manifest.json"),
        )
        assertEquals("30b65eb6c853bb84c9c2fda86da2ef13dfeda50ff2956b0f1cad9ce44c493045", created.summary.manifestHashHex)
        assertEquals("b76c89bbc1e3b91f3dd06aa47f569d7d910253b64a994a75be0eb2a7cf6ff3b5", created.summary.canonicalModuleHashHex)
        assertEquals(sha256Hex(created.wasm), created.summary.outputSha256Hex)
        assertEquals(created.wasm.size.toULong(), created.summary.outputBytes)
        val parsed = parseBundle(created.wasm)
        assertEquals(created.summary.entryIds, parsed.entries.map { it.entryId })
        assertEquals(sha256Hex(encodeManifest(Fixtures.text("vectors/single-file-bundle/manifest.json")).bytes), parsed.manifestHashHex)
        // Options reach the core: another section name.
        val renamed = createBundle(
            Fixtures.read("vectors/single-file-bundle/base-module.wasm"),
            Fixtures.text("vectors/single-file-bundle/manifest.json"),
            BundleOptions(bundleSectionName = "sds.other"),
        )
        assertCode(ErrorCode.BUNDLE_MISSING) { parseBundle(renamed.wasm) }
        assertEquals("sds.other", inspect(renamed.wasm, bundleSectionName = "sds.other").parsed.bundleSectionName)
    }

    @Test
    fun checkReturnsTheReferenceCodesOnFailingManifests() {
        val dir = Fixtures.repoFile("vectors/differential/compliance")
        var failing = 0
        for (input in dir.listFiles { f -> f.name.endsWith(".input.json") }!!.sortedBy { it.name }) {
            val case = Json.obj(input.readText())
            // Manifest-only cases rooted at the default name "manifest".
            if (case["validator"] != "validatePluginManifest" || case.containsKey("sourceName")) continue
            val n = input.name.removeSuffix(".input.json")
            val expected = Json.obj(File(dir, "$n.report.json").readText())
            val report = check(File(dir, case["manifest"] as String).readText())
            @Suppress("UNCHECKED_CAST")
            val issues = expected["issues"] as List<Map<String, Any?>>
            assertEquals(expected["ok"], report.ok, "case $n")
            assertEquals(issues.map { it["code"] }, report.issues.map { it.code }, "case $n codes")
            assertEquals(issues.map { it["severity"] }, report.issues.map { it.severity }, "case $n severities")
            assertEquals(issues.map { it["location"] }, report.issues.map { it.location }, "case $n locations")
            if (!report.ok) failing++
        }
        assertTrue(failing >= 5, "failing compliance cases checked: $failing")

        // A manifest with no methods is a finding, not an exception; broken JSON is.
        val report = check("""{"pluginId":"x","name":"x","version":"1","methods":[]}""")
        assertFalse(report.ok)
        assertTrue(report.issues.all { it.code.isNotEmpty() && it.severity in setOf("error", "warning") })
        assertCode(ErrorCode.INVALID_JSON) { check("{not json") }
        // With the module: the vector module passes its own check, a broken module is refused.
        val wasm = Fixtures.read("vectors/single-file-bundle/single-file-module.wasm")
        val manifest = Fixtures.text("vectors/single-file-bundle/manifest.json")
        assertTrue(check(manifest, wasm).ok)
        assertNotNull(assertCode(ErrorCode.WASM_INVALID) { check(manifest, byteArrayOf(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, -1)) })
    }

    @Test
    fun manifestErrorsCarryTheirCodes() {
        assertCode(ErrorCode.MANIFEST_IDENTIFIER_MISMATCH) { decodeManifest(ByteArray(16)) }
        assertCode(ErrorCode.INVALID_JSON) { encodeManifest("[") }
    }
}
