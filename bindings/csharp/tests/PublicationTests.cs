using System.Collections.Generic;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    [TestFixture]
    public class PublicationTests
    {
        static byte[][] Trusted()
        {
            return new[] { Sdm.SigningPublicKey(Fixtures.SigningKey) };
        }

        [Test]
        public void PublicKeysHaveTheirSizesAndAreDeterministic()
        {
            byte[] signing = Sdm.SigningPublicKey(Fixtures.SigningKey);
            Assert.AreEqual(33, signing.Length);
            Assert.That(signing[0] == 2 || signing[0] == 3, "a compressed secp256k1 key");
            CollectionAssert.AreEqual(signing, Sdm.SigningPublicKey(Fixtures.SigningKey));
            CollectionAssert.AreNotEqual(signing, Sdm.SigningPublicKey(Fixtures.OtherSigningKey));
            byte[] x25519 = Sdm.X25519PublicKey(Fixtures.RecipientKey);
            Assert.AreEqual(32, x25519.Length);
            CollectionAssert.AreNotEqual(Fixtures.RecipientKey, x25519);
        }

        [Test]
        public void ZeroSigningKeyIsRejected()
        {
            SdmException error = Fixtures.Fails(() => Sdm.SigningPublicKey(new byte[32]));
            Assert.AreEqual(ErrorCodes.KeyInvalid, error.Code, error.Message);
        }

        [Test]
        public void VectorModuleEncryptedRoundTrip()
        {
            RoundTrip(Fixtures.VectorModule, Fixtures.VectorManifestJson);
        }

        [Test]
        public void EchoModuleEncryptedRoundTripThenInvoke()
        {
            byte[] opened = RoundTrip(Fixtures.EchoDirectModule, Fixtures.EchoDirectManifestJson);
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, opened))
            {
                byte[] response = module.InvokeDirect(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson));
                StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(response));
            }
        }

        static byte[] RoundTrip(byte[] module, string manifestJson)
        {
            byte[] recipientPublic = Sdm.X25519PublicKey(Fixtures.RecipientKey);
            ProtectResult protectedModule = Sdm.Protect(manifestJson, module, Fixtures.SigningKey, recipientPublic, true);
            StringAssert.Contains("\"encrypted\":true", protectedModule.ResultJson);
            StringAssert.Contains("\"singleFileBundle\":true", protectedModule.ResultJson);
            Assert.IsFalse(Fixtures.IsWasm(protectedModule.Artifact), "an encrypted artifact is not plain wasm");

            OpenResult opened = Sdm.Open(protectedModule.Artifact, Trusted(), Fixtures.RecipientKey);
            Assert.That(Fixtures.IsWasm(opened.Wasm));
            Assert.IsNotEmpty(opened.ReportJson);
            StringAssert.Contains("\"bundleSectionName\":\"sds.bundle\"", Sdm.BundleInspect(opened.Wasm));

            // Fail closed: a wrong key, no key, an untrusted signer, an empty trust list.
            SdmException wrongKey = Fixtures.Fails(() => Sdm.Open(protectedModule.Artifact, Trusted(), Fixtures.WrongRecipientKey));
            Assert.That(wrongKey.Code == ErrorCodes.DecryptionFailed || wrongKey.Code == ErrorCodes.DecryptedPayloadInvalid,
                "wrong key: decryption-failed or decrypted-payload-invalid, got " + wrongKey.Message);
            Fixtures.AssertCode(ErrorCodes.DecryptionKeyRequired, "decryption-key-required",
                () => Sdm.Open(protectedModule.Artifact, Trusted()));
            var untrusted = new[] { Sdm.SigningPublicKey(Fixtures.OtherSigningKey) };
            Fixtures.AssertCode(ErrorCodes.SignatureInvalid, "signature-invalid",
                () => Sdm.Open(protectedModule.Artifact, untrusted, Fixtures.RecipientKey));
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                () => Sdm.Open(protectedModule.Artifact, new List<byte[]>(), Fixtures.RecipientKey));
            return opened.Wasm;
        }

        [Test]
        public void SignedOnlyArtifactOpensWithoutAKey()
        {
            ProtectResult signed = Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, Fixtures.SigningKey);
            StringAssert.Contains("\"encrypted\":false", signed.ResultJson);
            // Two trusted signers, the real one second.
            var signers = new[] { Sdm.SigningPublicKey(Fixtures.OtherSigningKey), Sdm.SigningPublicKey(Fixtures.SigningKey) };
            OpenResult opened = Sdm.Open(signed.Artifact, signers);
            CollectionAssert.AreEqual(Fixtures.EchoDirectModule, opened.Wasm);
        }

        [Test]
        public void TamperedArtifactIsRefused()
        {
            ProtectResult signed = Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, Fixtures.SigningKey);
            byte[] tampered = (byte[])signed.Artifact.Clone();
            tampered[20] ^= 0xff;
            SdmException error = Fixtures.Fails(() => Sdm.Open(tampered, Trusted()));
            Assert.That(error.Code >= 200 && error.Code < 700, "a wasm, bundle or security code, got " + error.Message);
        }

        [Test]
        public void PlainWasmIsNotAProtectedArtifact()
        {
            Fixtures.AssertCode(ErrorCodes.TrailerMissing, "trailer-missing",
                () => Sdm.Open(Fixtures.EchoDirectModule, Trusted()));
        }
    }
}
