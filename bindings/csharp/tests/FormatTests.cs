using System.Text;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    [TestFixture]
    public class FormatTests
    {
        [Test]
        public void AbiVersionOfTheLibraryMatchesTheBindings()
        {
            Assert.AreEqual(Sdm.AbiVersion, Sdm.NativeAbiVersion());
            Assert.AreEqual(2u, Sdm.AbiVersion);
        }

        [Test]
        public void InspectVectorModuleGivesTheExpectedHashes()
        {
            string json = Sdm.BundleInspect(Fixtures.VectorModule);
            StringAssert.Contains("\"bundleSectionName\":\"sds.bundle\"", json);
            StringAssert.Contains("\"canonicalModuleHashHex\":\"b76c89bbc1e3b91f3dd06aa47f569d7d910253b64a994a75be0eb2a7cf6ff3b5\"", json);
            StringAssert.Contains("\"manifestHashHex\":\"30b65eb6c853bb84c9c2fda86da2ef13dfeda50ff2956b0f1cad9ce44c493045\"", json);
            StringAssert.Contains("\"pluginId\":\"" + Fixtures.VectorPluginId + "\"", json);
        }

        [Test]
        public void InspectEchoModuleHasNoBundle()
        {
            // The CLI compiles plain modules: inspect needs the sds.bundle section.
            Fixtures.AssertCode(ErrorCodes.BundleMissing, "bundle-missing", () => Sdm.BundleInspect(Fixtures.EchoDirectModule));
            byte[] bundled = Sdm.BundleCreate(Fixtures.EchoDirectModule, Fixtures.EchoDirectManifestJson);
            StringAssert.Contains("\"pluginId\":\"", Sdm.BundleInspect(bundled));
        }

        [Test]
        public void CheckVectorManifestWithItsModule()
        {
            string report = Sdm.Check(Fixtures.VectorManifestJson, Fixtures.VectorModule);
            StringAssert.StartsWith("{\"ok\":", report);
            StringAssert.Contains("\"issues\":[", report);
        }

        [Test]
        public void CheckEchoManifestWithItsModuleIsCompliant()
        {
            string report = Sdm.Check(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule);
            StringAssert.StartsWith("{\"ok\":true", report);
        }

        [Test]
        public void CheckManifestOnly()
        {
            string report = Sdm.Check(Fixtures.EchoDirectManifestJson);
            StringAssert.StartsWith("{\"ok\":", report);
        }

        [Test]
        public void CheckReportsNonComplianceAsOkFalse()
        {
            // A manifest without identity or methods: a report, not an exception.
            string report = Sdm.Check("{}", Fixtures.EchoDirectModule);
            StringAssert.StartsWith("{\"ok\":false", report);
            StringAssert.Contains("\"code\":\"missing-methods\"", report);
            StringAssert.Contains("\"location\":\"manifest.pluginId\"", report);
        }

        [Test]
        public void CheckWithGarbageModuleIsAnError()
        {
            SdmException error = Fixtures.Fails(() => Sdm.Check(Fixtures.EchoDirectManifestJson, Encoding.ASCII.GetBytes("not a wasm module")));
            Assert.That(error.Code >= 200 && error.Code < 300, "a wasm-range code, got " + error.Code);
        }

        [Test]
        public void ManifestEncodeIsByteIdenticalToTheVector()
        {
            byte[] pman = Sdm.ManifestEncodeJson(Fixtures.VectorManifestJson);
            Assert.AreEqual("PMAN", Encoding.ASCII.GetString(pman, 4, 4));
            CollectionAssert.AreEqual(Fixtures.VectorManifestPman, pman);
        }

        [Test]
        public void ManifestRoundTrip()
        {
            string decoded = Sdm.ManifestDecode(Sdm.ManifestEncodeJson(Fixtures.VectorManifestJson));
            StringAssert.Contains("\"pluginId\":\"" + Fixtures.VectorPluginId + "\"", decoded);
            // The decoded form encodes again to the same bytes.
            CollectionAssert.AreEqual(Fixtures.VectorManifestPman, Sdm.ManifestEncodeJson(decoded));
        }

        [Test]
        public void ManifestDecodeRejectsOtherFlatBuffers()
        {
            Fixtures.AssertCode(ErrorCodes.ManifestIdentifierMismatch, "manifest-identifier-mismatch",
                () => Sdm.ManifestDecode(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
        }

        [Test]
        public void ManifestEncodeRejectsInvalidJson()
        {
            Fixtures.AssertCode(ErrorCodes.InvalidJson, "invalid-json", () => Sdm.ManifestEncodeJson("{not json"));
        }

        [Test]
        public void BundleCreateEmbedsTheManifest()
        {
            byte[] bundled = Sdm.BundleCreate(Fixtures.EchoDirectModule, Fixtures.EchoDirectManifestJson);
            Assert.That(Fixtures.IsWasm(bundled));
            Assert.Greater(bundled.Length, Fixtures.EchoDirectModule.Length);
            string json = Sdm.BundleInspect(bundled);
            StringAssert.Contains("\"bundleSectionName\":\"sds.bundle\"", json);
            StringAssert.Contains("\"pluginId\":\"", json);
        }

        [Test]
        public void BundleCreateRejectsGarbageWasm()
        {
            SdmException error = Fixtures.Fails(() => Sdm.BundleCreate(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, Fixtures.VectorManifestJson));
            Assert.AreEqual(ErrorCodes.WasmMagicMismatch, error.Code, error.Message);
        }

        [Test]
        public void InspectRejectsGarbage()
        {
            Fixtures.AssertCode(ErrorCodes.WasmMagicMismatch, "wasm-magic-mismatch",
                () => Sdm.BundleInspect(Encoding.ASCII.GetBytes("definitely not wasm")));
        }

        [Test]
        public void InvokeEnvelopeRoundTrip()
        {
            byte[] request = Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson);
            Assert.AreEqual("PINQ", Encoding.ASCII.GetString(request, 4, 4));
            // A request is not a response: the identifier check says so.
            Fixtures.AssertCode(ErrorCodes.InvokeResponseIdentifierMismatch, "invoke-response-identifier-mismatch",
                () => Sdm.InvokeResponseToJson(request));
        }
    }
}
