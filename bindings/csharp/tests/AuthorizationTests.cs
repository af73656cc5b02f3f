using System;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    [TestFixture]
    public class AuthorizationTests
    {
        const string Options = "{\"artifactId\":\"artifact-1\",\"programId\":\"program-1\","
            + "\"target\":\"https://edge.example/deploy\",\"capabilities\":[\"clock\",\"filesystem\"],\"ttlMs\":60000}";

        static byte[][] Trusted { get { return new[] { Sdm.SigningPublicKey(Fixtures.SigningKey) }; } }

        static long Member(string json, string name)
        {
            Match match = Regex.Match(json, "\"" + name + "\"\\s*:\\s*(\\d+)");
            Assert.IsTrue(match.Success, name + " in " + json);
            return long.Parse(match.Groups[1].Value);
        }

        [Test]
        public void CreateThenVerify()
        {
            string envelope = Sdm.CreateAuthorization(Options, Fixtures.SigningKey, "{\"keyId\":\"cs-test-key\"}");
            StringAssert.Contains("\"signatureHex\"", envelope);
            StringAssert.Contains("\"keyId\":\"cs-test-key\"", envelope);
            StringAssert.Contains("\"artifactId\":\"artifact-1\"", envelope);
            Assert.AreEqual(60000, Member(envelope, "expiresAt") - Member(envelope, "issuedAt"));

            string result = Sdm.VerifyAuthorization(envelope, Trusted,
                "{\"artifact\":{\"artifactId\":\"artifact-1\"},\"requiredCapabilities\":[\"clock\"]}");
            StringAssert.Contains("\"signerPublicKeyHex\"", result);
            StringAssert.Contains("\"programId\":\"program-1\"", result);
            // Without options: the system clock, no expectations.
            StringAssert.Contains("\"payload\"", Sdm.VerifyAuthorization(envelope, Trusted));
        }

        [Test]
        public void ExpiredAndNotYetValid()
        {
            string envelope = Sdm.CreateAuthorization(Options, Fixtures.SigningKey);
            long expired = Member(envelope, "expiresAt") + 60000;
            Fixtures.AssertCode(ErrorCodes.AuthorizationExpired, "authorization-expired",
                () => Sdm.VerifyAuthorization(envelope, Trusted, "{\"now\":" + expired + "}"));
            // Enough clock skew accepts it again.
            Sdm.VerifyAuthorization(envelope, Trusted, "{\"now\":" + expired + ",\"clockSkewMs\":120000}");
            long early = Member(envelope, "issuedAt") - 60000;
            Fixtures.AssertCode(ErrorCodes.AuthorizationExpired, "authorization-expired",
                () => Sdm.VerifyAuthorization(envelope, Trusted, "{\"now\":" + early + "}"));
        }

        [Test]
        public void VerifyRefusals()
        {
            string envelope = Sdm.CreateAuthorization(Options, Fixtures.SigningKey);
            Assert.AreEqual(612, Fixtures.Fails(() => Sdm.VerifyAuthorization(envelope,
                new[] { Sdm.SigningPublicKey(Fixtures.OtherSigningKey) })).Code);
            Assert.AreEqual(615, Fixtures.Fails(() => Sdm.VerifyAuthorization(envelope, Trusted,
                "{\"requiredCapabilities\":[\"process_exec\"]}")).Code);
            string tampered = envelope.Replace("artifact-1", "artifact-2");
            Assert.AreEqual(614, Fixtures.Fails(() => Sdm.VerifyAuthorization(tampered, Trusted)).Code);
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                () => Sdm.VerifyAuthorization(envelope, Trusted, "{\"nowMs\":1}"));
        }

        [Test]
        public void EmptyAndNullInputs()
        {
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                () => Sdm.CreateAuthorization("", Fixtures.SigningKey));
            Fixtures.AssertCode(ErrorCodes.KeyInvalid, "key-invalid",
                () => Sdm.CreateAuthorization(Options, new byte[31]));
            Assert.Throws<ArgumentNullException>(() => Sdm.CreateAuthorization(null, Fixtures.SigningKey));
            Assert.Throws<ArgumentNullException>(() => Sdm.CreateAuthorization(Options, null));
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                () => Sdm.VerifyAuthorization("", Trusted));
            string envelope = Sdm.CreateAuthorization(Options, Fixtures.SigningKey);
            Assert.AreNotEqual(0, Fixtures.Fails(() => Sdm.VerifyAuthorization(envelope, new byte[0][])).Code);
            Assert.Throws<ArgumentNullException>(() => Sdm.VerifyAuthorization(null, Trusted));
            Assert.Throws<ArgumentNullException>(() => Sdm.VerifyAuthorization(envelope, null));
        }

        [Test]
        public void OpenReportRefusesAnUnsignedModule()
        {
            byte[] unsigned = Fixtures.EchoDirectModule;
            OpenReportResult refused = Sdm.OpenReport(unsigned, Trusted);
            Assert.IsFalse(refused.Opened);
            Assert.AreNotEqual(0, refused.Status);
            Assert.IsNull(refused.Wasm);
            StringAssert.Contains("\"outcome\":\"error\"", refused.OutcomeJson);
            StringAssert.Contains("\"report\"", refused.OutcomeJson);
            // One outcome shape on every boundary: "code" (no "errorClass"), "authentication".
            StringAssert.DoesNotContain("\"errorClass\"", refused.OutcomeJson);
            Assert.AreEqual(refused.StatusName, refused.Code);
            Assert.IsNotEmpty(refused.Detail);
            Assert.IsFalse(refused.Signed);
            StringAssert.StartsWith("{\"signed\":false", refused.AuthenticationJson);
            // The same code Open throws.
            SdmException error = Fixtures.Fails(() => Sdm.Open(unsigned, Trusted));
            Assert.AreEqual(error.Code, refused.Status);
            Assert.AreEqual(error.Name, refused.StatusName);
        }

        [Test]
        public void OpenReportOpensAProtectedModule()
        {
            byte[] wasm = Fixtures.EchoDirectModule;
            ProtectResult sealedModule = Sdm.Protect(Fixtures.EchoDirectManifestJson, wasm, Fixtures.SigningKey,
                Sdm.X25519PublicKey(Fixtures.RecipientKey));
            OpenReportResult opened = Sdm.OpenReport(sealedModule.Artifact, Trusted, Fixtures.RecipientKey);
            Assert.IsTrue(opened.Opened, opened.OutcomeJson);
            Assert.AreEqual("ok", opened.StatusName);
            Assert.IsTrue(Fixtures.IsWasm(opened.Wasm));
            StringAssert.Contains("\"outcome\":\"ok\"", opened.OutcomeJson);
            Assert.IsNull(opened.Code);
            Assert.IsNull(opened.Detail);
            Assert.IsTrue(opened.Signed, opened.OutcomeJson);
            StringAssert.Contains("\"cid\":\"", opened.AuthenticationJson);
            StringAssert.Contains("\"unauthenticated\":[", opened.AuthenticationJson);
            // Wrong recipient key: a refusal with the decryption code, not an exception.
            OpenReportResult wrongKey = Sdm.OpenReport(sealedModule.Artifact, Trusted, Fixtures.WrongRecipientKey);
            Assert.IsFalse(wrongKey.Opened);
            SdmException wrongKeyError = Fixtures.Fails(() => Sdm.Open(sealedModule.Artifact, Trusted, Fixtures.WrongRecipientKey));
            Assert.AreEqual(wrongKeyError.Code, wrongKey.Status);
            Assert.AreEqual(wrongKeyError.Name, wrongKey.Code);
            // Refused after the signature verified: the report says it was signed.
            Assert.IsTrue(wrongKey.Signed, wrongKey.OutcomeJson);
        }

        [Test]
        public void OpenReportArgumentErrors()
        {
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                () => Sdm.OpenReport(new byte[0], Trusted));
            Fixtures.AssertCode(ErrorCodes.KeyInvalid, "key-invalid",
                () => Sdm.OpenReport(Fixtures.EchoDirectModule, new[] { new byte[32] }));
            Fixtures.AssertCode(ErrorCodes.KeyInvalid, "key-invalid",
                () => Sdm.OpenReport(Fixtures.EchoDirectModule, Trusted, new byte[5]));
            Assert.Throws<ArgumentNullException>(() => Sdm.OpenReport(null, Trusted));
            Assert.Throws<ArgumentNullException>(() => Sdm.OpenReport(Fixtures.EchoDirectModule, null));
        }
    }
}
