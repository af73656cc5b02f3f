using System;
using System.IO;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    [TestFixture]
    public class RuntimeTests
    {
        [Test]
        public void DefaultLimits()
        {
            Limits limits = Limits.Default();
            Assert.AreEqual(10000000000UL, limits.Fuel);
            Assert.AreEqual(30000UL, limits.TimeoutMs);
            Assert.AreEqual(256UL << 20, limits.MaxMemoryBytes);
            Assert.AreEqual(64UL << 20, limits.MaxRequestBytes);
            Assert.AreEqual(64UL << 20, limits.MaxResponseBytes);
        }

        [Test]
        public void EchoDirect()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                StringAssert.Contains("invoke-echo", module.ManifestJson());
                byte[] request = Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson);
                Limits limits = Limits.Default();
                limits.Fuel = 1000000000;
                string response = Sdm.InvokeResponseToJson(module.InvokeDirect(request, limits));
                StringAssert.Contains(Fixtures.EchoedPayload, response);
                StringAssert.Contains("\"statusCode\":0", response);
                // The default limits (null) work too.
                StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(module.InvokeDirect(request)));
            }
        }

        [Test]
        public void EchoFuelExhausted()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                Limits limits = Limits.Default();
                limits.Fuel = 10;
                Fixtures.AssertCode(ErrorCodes.RuntimeFuelExhausted, "runtime-fuel-exhausted",
                    () => module.InvokeDirect(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson), limits));
            }
        }

        [Test]
        public void EchoRequestTooLarge()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                Limits limits = Limits.Default();
                limits.MaxRequestBytes = 8;
                Fixtures.AssertCode(ErrorCodes.RuntimeRequestTooLarge, "runtime-request-too-large",
                    () => module.InvokeDirect(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson), limits));
            }
        }

        [Test]
        public void DirectModuleHasNoCommandMode()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
            {
                Fixtures.AssertCode(ErrorCodes.RuntimeMissingExport, "runtime-missing-export",
                    () => module.InvokeCommand(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson)));
            }
        }

        [Test]
        public void EchoCommand()
        {
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoCommandModule))
            {
                byte[] response = module.InvokeCommand(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson));
                StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(response));
            }
        }

        [Test]
        public void VectorModuleAnswersUnknownMethodInBothModes()
        {
            // The vector module implements `propagate` only: an `echo` request is a guest-level
            // 404 in the response envelope, not a runtime error.
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.VectorModule))
            {
                StringAssert.Contains("\"pluginId\":\"" + Fixtures.VectorPluginId + "\"", module.ManifestJson());
                byte[] request = Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson);
                foreach (byte[] response in new[] { module.InvokeDirect(request), module.InvokeCommand(request) })
                {
                    string json = Sdm.InvokeResponseToJson(response);
                    StringAssert.StartsWith("{\"statusCode\":404,", json);
                    StringAssert.Contains("\"errorCode\":\"unknown-method\"", json);
                }
            }
        }

        [Test]
        public void VerifyIsFailClosed()
        {
            byte[] wasm = Fixtures.EchoDirectModule;
            byte[] trusted = Sdm.SigningPublicKey(Fixtures.SigningKey);
            byte[] untrusted = Sdm.SigningPublicKey(Fixtures.OtherSigningKey);
            ProtectResult sealedModule = Sdm.Protect(Fixtures.EchoDirectManifestJson, wasm, Fixtures.SigningKey,
                Sdm.X25519PublicKey(Fixtures.RecipientKey));
            byte[] artifact = sealedModule.Artifact;
            // Plain wasm only with AllowUnsigned; a present trailer must verify even then.
            Fixtures.AssertCode(ErrorCodes.TrailerMissing, "trailer-missing", () => Sdm.Verify(wasm));
            Fixtures.AssertCode(ErrorCodes.TrailerMissing, "trailer-missing", () => Sdm.Verify(wasm, new[] { trusted }));
            Fixtures.AssertCode(ErrorCodes.SignatureInvalid, "signature-invalid",
                () => Sdm.Verify(artifact, null, Fixtures.RecipientKey, VerifyFlags.AllowUnsigned));
            Fixtures.AssertCode(ErrorCodes.SignatureInvalid, "signature-invalid",
                () => Sdm.Verify(artifact, new[] { untrusted }, Fixtures.RecipientKey));
            Fixtures.AssertCode(ErrorCodes.DecryptionKeyRequired, "decryption-key-required",
                () => Sdm.Verify(artifact, new[] { trusted }));
            Assert.AreNotEqual(0, Fixtures.Fails(() => Sdm.Verify(artifact, new[] { trusted }, Fixtures.WrongRecipientKey)).Code);
            // Unknown flag bits are the library's invalid-argument.
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", () => Sdm.Verify(wasm, null, null, (VerifyFlags)2));
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument",
                () => Sdm.Verify(wasm, null, null, (VerifyFlags)0xffffffffu));

            // Trusted and decrypted: the same wasm Open returns, loaded and invoked.
            using (var runtime = new Runtime())
            {
                Verified verified = Sdm.Verify(artifact, new[] { untrusted, trusted }, Fixtures.RecipientKey);
                CollectionAssert.AreEqual(Sdm.Open(artifact, new[] { trusted }, Fixtures.RecipientKey).Wasm, verified.Wasm());
                Module module = runtime.Load(verified);
                // The module keeps what it needs.
                verified.Dispose();
                using (module)
                {
                    StringAssert.Contains("invoke-echo", module.ManifestJson());
                    byte[] response = module.InvokeDirect(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson));
                    StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(response));
                }
                verified.Dispose();
                Assert.IsTrue(verified.IsDisposed);
                Assert.Throws<ObjectDisposedException>(() => verified.Wasm());
                Assert.Throws<ObjectDisposedException>(() => runtime.Load(verified));
                Assert.Throws<ArgumentNullException>(() => runtime.Load(null));
            }
        }

        [Test]
        public void VerifiedPlainWasmAndAModuleWithoutManifest()
        {
            using (Verified verified = Fixtures.Unsigned(Fixtures.VectorModule))
                CollectionAssert.AreEqual(Fixtures.VectorModule, verified.Wasm());
            // The flag is the header's SDM_VERIFY_ALLOW_UNSIGNED (csbindgen emits no constant for it).
            StringAssert.Contains("#define SDM_VERIFY_ALLOW_UNSIGNED " + (uint)VerifyFlags.AllowUnsigned + "\n",
                File.ReadAllText(Fixtures.RepoPath("include/space_data_module.h")));
            // The manifest is read at verify time, never by running the guest: none is null.
            byte[] empty = { 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00 };
            using (var runtime = new Runtime())
            using (Module module = Fixtures.LoadUnsigned(runtime, empty))
                Assert.IsNull(module.ManifestJson());
            // Garbage never becomes a Verified.
            Assert.AreNotEqual(0, Fixtures.Fails(() => Fixtures.Unsigned(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 })).Code);
        }

        [Test]
        public void ModuleOutlivesItsRuntime()
        {
            Module module;
            using (var runtime = new Runtime())
                module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule);
            using (module)
            {
                byte[] response = module.InvokeDirect(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson));
                StringAssert.Contains(Fixtures.EchoedPayload, Sdm.InvokeResponseToJson(response));
            }
        }

        [Test]
        public void DisposeTwiceIsSafeAndUseAfterDisposeThrows()
        {
            var runtime = new Runtime();
            Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule);
            module.Dispose();
            module.Dispose();
            Assert.IsTrue(module.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => module.InvokeDirect(new byte[] { 1 }));
            Assert.Throws<ObjectDisposedException>(() => module.ManifestJson());
            runtime.Dispose();
            runtime.Dispose();
            Assert.IsTrue(runtime.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule));
        }

        [Test]
        public void ManyRuntimesAndModulesAreReleased()
        {
            byte[] wasm = Fixtures.EchoDirectModule;
            for (int i = 0; i < 20; i++)
            {
                using (var runtime = new Runtime())
                using (Module module = Fixtures.LoadUnsigned(runtime, wasm))
                    Assert.IsFalse(module.IsDisposed);
            }
        }
    }
}
