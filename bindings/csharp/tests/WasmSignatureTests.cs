using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>Module signatures in the tool-conventions format: sign, verify, and the loader
    /// requiring one. The keys are RFC 8032's Ed25519 test vectors 1 and 2.</summary>
    [TestFixture]
    public class WasmSignatureTests
    {
        static readonly byte[] Public1 = Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        static readonly byte[] Secret1 = new byte[] { 0x81 }
            .Concat(Hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")).Concat(Public1).ToArray();
        static readonly byte[] Public2 = Hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");

        static byte[] Hex(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
            return bytes;
        }

        [Test]
        public void SignedModulesVerifyAndRefusalsCarryTheirCodes()
        {
            byte[] module = Fixtures.VectorBaseModule;
            byte[] signed = Sdm.SignWasm(module, new[] { Secret1 });
            string report = Sdm.VerifyWasm(signed, new[] { Public2, Public1 });
            StringAssert.Contains("\"complete\":true", report);
            StringAssert.Contains("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", report);

            byte[] signature = Sdm.SignWasm(module, new[] { Secret1 }, new WasmSignOptions { Detached = true, KeyId = "k\"1" });
            Assert.Less(signature.Length, signed.Length);
            StringAssert.Contains("\"parts\":1", Sdm.VerifyWasm(module, new[] { Public1 }, signature));

            Fixtures.AssertCode(ErrorCodes.WasmSignatureUntrusted, "wasm-signature-untrusted",
                () => Sdm.VerifyWasm(signed, new[] { Public2 }));
            Fixtures.AssertCode(ErrorCodes.WasmSignatureMissing, "wasm-signature-missing",
                () => Sdm.VerifyWasm(module, new[] { Public1 }));
            byte[] tampered = (byte[])signed.Clone();
            tampered[tampered.Length - 1] ^= 1;
            Fixtures.AssertCode(ErrorCodes.WasmSignatureMismatch, "wasm-signature-mismatch",
                () => Sdm.VerifyWasm(tampered, new[] { Public1 }));
            // A short key inside a list is refused by the framing check.
            Fixtures.AssertCode(ErrorCodes.KeyInvalid, "key-invalid",
                () => Sdm.VerifyWasm(signed, new[] { Public1, Public2.Take(31).ToArray() }));
        }

        [Test]
        public void TheLoaderCanRequireAWasmSignature()
        {
            byte[] module = Fixtures.VectorBaseModule;
            byte[] signed = Sdm.SignWasm(module, new[] { Secret1 });
            byte[] recipientPublic = Sdm.X25519PublicKey(Fixtures.RecipientKey);
            var trusted = new[] { Sdm.SigningPublicKey(Fixtures.SigningKey) };
            Func<byte[], byte[]> protect = wasm =>
                Sdm.Protect(Fixtures.VectorManifestJson, wasm, Fixtures.SigningKey, recipientPublic).Artifact;
            using (Verified verified = Sdm.VerifyWasmSigned(protect(signed), trusted, Fixtures.RecipientKey, new[] { Public1 }))
                CollectionAssert.AreEqual(signed, verified.Wasm());
            Fixtures.AssertCode(ErrorCodes.WasmSignatureUntrusted, "wasm-signature-untrusted",
                () => Sdm.VerifyWasmSigned(protect(signed), trusted, Fixtures.RecipientKey, new[] { Public2 }));
            Fixtures.AssertCode(ErrorCodes.WasmSignatureMissing, "wasm-signature-missing",
                () => Sdm.VerifyWasmSigned(protect(module), trusted, Fixtures.RecipientKey, new[] { Public1 }));
        }
    }
}
