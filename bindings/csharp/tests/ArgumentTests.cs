using System;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>Empty input, null input, wrong key sizes, and a caught panic: every one is a
    /// typed error, never a crash. Key sizes are the library's answer (key-invalid).</summary>
    [TestFixture]
    public class ArgumentTests
    {
        static readonly byte[] Empty = new byte[0];

        static void InvalidArgument(TestDelegate action)
        {
            Fixtures.AssertCode(ErrorCodes.InvalidArgument, "invalid-argument", action);
        }

        [Test]
        public void EmptyInputsAreInvalidArguments()
        {
            byte[] key = Fixtures.SigningKey;
            var trusted = new[] { Sdm.SigningPublicKey(key) };
            InvalidArgument(() => Sdm.ManifestEncodeJson(""));
            InvalidArgument(() => Sdm.ManifestDecode(Empty));
            InvalidArgument(() => Sdm.BundleInspect(Empty));
            InvalidArgument(() => Sdm.BundleCreate(Empty, Fixtures.VectorManifestJson));
            InvalidArgument(() => Sdm.BundleCreate(Fixtures.VectorBaseModule, ""));
            InvalidArgument(() => Sdm.Check(""));
            InvalidArgument(() => Sdm.Protect("", Fixtures.EchoDirectModule, key));
            InvalidArgument(() => Sdm.Protect(Fixtures.EchoDirectManifestJson, Empty, key));
            InvalidArgument(() => Sdm.Open(Empty, trusted));
            InvalidArgument(() => Sdm.InvokeRequestFromJson(""));
            InvalidArgument(() => Sdm.InvokeResponseToJson(Empty));
            InvalidArgument(() => RuntimeHost.WithPolicy(""));
            InvalidArgument(() => RuntimeHost.WithPolicy("{}", ""));
            // Empty optional inputs are present inputs of length 0, never "none".
            InvalidArgument(() => Sdm.Verify(Fixtures.VectorModule, null, Empty, VerifyFlags.AllowUnsigned));
            using (var runtime = new Runtime())
            {
                InvalidArgument(() => Sdm.Verify(Empty, null, null, VerifyFlags.AllowUnsigned));
                using (Module module = Fixtures.LoadUnsigned(runtime, Fixtures.EchoDirectModule))
                {
                    InvalidArgument(() => module.InvokeDirect(Empty));
                    InvalidArgument(() => module.InvokeCommand(Empty));
                }
            }
        }

        [Test]
        public void EmptyInputLeavesTheMessageOnThisThread()
        {
            SdmException error = Fixtures.Fails(() => Sdm.BundleInspect(Empty));
            Assert.AreEqual(ErrorCodes.InvalidArgument, Sdm.LastErrorCode());
            StringAssert.Contains(Sdm.LastErrorMessage(), error.Message);
            StringAssert.StartsWith("error[invalid-argument]: ", error.Message);
            Assert.AreEqual("error[invalid-argument]: " + Sdm.LastErrorMessage(), error.Message);
        }

        static void KeyInvalid(TestDelegate action)
        {
            Fixtures.AssertCode(ErrorCodes.KeyInvalid, "key-invalid", action);
        }

        [Test]
        public void WrongKeySizesAreTheLibrarysKeyInvalid()
        {
            var shortKey = new byte[31];
            var longKey = new byte[33];
            byte[] trusted = Sdm.SigningPublicKey(Fixtures.SigningKey);
            KeyInvalid(() => Sdm.SigningPublicKey(shortKey));
            KeyInvalid(() => Sdm.X25519PublicKey(longKey));
            KeyInvalid(() => Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, shortKey));
            KeyInvalid(() => Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, Fixtures.SigningKey, longKey));
            KeyInvalid(() => Sdm.Open(Fixtures.EchoDirectModule, new[] { new byte[32] }));
            KeyInvalid(() => Sdm.Open(Fixtures.EchoDirectModule, new[] { trusted }, shortKey));
            KeyInvalid(() => Sdm.CreateAuthorization("{}", longKey));
            KeyInvalid(() => Sdm.Verify(Fixtures.EchoDirectModule, new[] { new byte[32] }, null, VerifyFlags.AllowUnsigned));
            KeyInvalid(() => Sdm.Verify(Fixtures.EchoDirectModule, new[] { trusted }, shortKey, VerifyFlags.AllowUnsigned));
            KeyInvalid(() => Sdm.Verify(Fixtures.EchoDirectModule, new[] { trusted, new byte[34] }, null, VerifyFlags.AllowUnsigned));
            // Several signers: each must be 33 bytes (the flat C list cannot frame them).
            KeyInvalid(() => Sdm.Open(Fixtures.EchoDirectModule, new[] { trusted, new byte[32] }));
            // Missing keys are invalid arguments, and an empty recipient key is not "no key".
            InvalidArgument(() => Sdm.SigningPublicKey(new byte[0]));
            InvalidArgument(() => Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule,
                Fixtures.SigningKey, new byte[0]));
            InvalidArgument(() => Sdm.Open(Fixtures.EchoDirectModule, new[] { trusted }, new byte[0]));
        }

        [Test]
        public void NullArgumentsAreArgumentNullExceptions()
        {
            Assert.Throws<ArgumentNullException>(() => Sdm.ManifestEncodeJson(null));
            Assert.Throws<ArgumentNullException>(() => Sdm.ManifestDecode(null));
            Assert.Throws<ArgumentNullException>(() => Sdm.BundleInspect(null));
            Assert.Throws<ArgumentNullException>(() => Sdm.Check(null));
            Assert.Throws<ArgumentNullException>(() => Sdm.Open(Fixtures.EchoDirectModule, null));
            Assert.Throws<ArgumentNullException>(() => Sdm.SigningPublicKey(null));
            Assert.Throws<ArgumentNullException>(() => Sdm.Verify(null));
            Assert.Throws<ArgumentNullException>(() => Sdm.Verify(Fixtures.VectorModule, new byte[][] { null }));
            Assert.Throws<ArgumentNullException>(() => RuntimeHost.WithPolicy(null));
            using (var runtime = new Runtime())
                Assert.Throws<ArgumentNullException>(() => runtime.Load(null));
        }

        [Test]
        public void LoneSurrogateIsNotUtf8()
        {
            InvalidArgument(() => Sdm.ManifestEncodeJson("{\"a\":\"\ud800\"}"));
        }

#if SDM_TEST_HOOKS
        [Test]
        public void PanicInsideTheLibraryIsAnError()
        {
            SdmException error = Fixtures.Fails(Sdm.DebugForcePanic);
            Assert.AreEqual(ErrorCodes.Panic, error.Code);
            Assert.AreEqual("panic", error.Name);
            StringAssert.Contains("sdm_debug_force_panic", error.Message);
            // The library still works afterwards.
            StringAssert.Contains("\"bundleSectionName\"", Sdm.BundleInspect(Fixtures.VectorModule));
        }
#endif
    }
}
