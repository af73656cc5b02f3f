using System;
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
            using (Module module = runtime.Load(Fixtures.EchoDirectModule))
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
            using (Module module = runtime.Load(Fixtures.EchoDirectModule))
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
            using (Module module = runtime.Load(Fixtures.EchoDirectModule))
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
            using (Module module = runtime.Load(Fixtures.EchoDirectModule))
            {
                Fixtures.AssertCode(ErrorCodes.RuntimeMissingExport, "runtime-missing-export",
                    () => module.InvokeCommand(Sdm.InvokeRequestFromJson(Fixtures.EchoRequestJson)));
            }
        }

        [Test]
        public void EchoCommand()
        {
            using (var runtime = new Runtime())
            using (Module module = runtime.Load(Fixtures.EchoCommandModule))
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
            using (Module module = runtime.Load(Fixtures.VectorModule))
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
        public void LoadRejectsAProtectedArtifact()
        {
            ProtectResult signed = Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, Fixtures.SigningKey,
                Sdm.X25519PublicKey(Fixtures.RecipientKey));
            using (var runtime = new Runtime())
            {
                SdmException error = Fixtures.Fails(() => runtime.Load(signed.Artifact));
                Assert.AreEqual(ErrorCodes.RuntimeCompileFailed, error.Code, error.Message);
            }
        }

        [Test]
        public void ModuleOutlivesItsRuntime()
        {
            Module module;
            using (var runtime = new Runtime())
                module = runtime.Load(Fixtures.EchoDirectModule);
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
            Module module = runtime.Load(Fixtures.EchoDirectModule);
            module.Dispose();
            module.Dispose();
            Assert.IsTrue(module.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => module.InvokeDirect(new byte[] { 1 }));
            Assert.Throws<ObjectDisposedException>(() => module.ManifestJson());
            runtime.Dispose();
            runtime.Dispose();
            Assert.IsTrue(runtime.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => runtime.Load(Fixtures.EchoDirectModule));
        }

        [Test]
        public void ManyRuntimesAndModulesAreReleased()
        {
            byte[] wasm = Fixtures.EchoDirectModule;
            for (int i = 0; i < 20; i++)
            {
                using (var runtime = new Runtime())
                using (Module module = runtime.Load(wasm))
                    Assert.IsFalse(module.IsDisposed);
            }
        }
    }
}
