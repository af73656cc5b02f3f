using System;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>Empty input, null input, wrong key sizes, and a caught panic: every one is a
    /// typed error, never a crash.</summary>
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
            using (var runtime = new Runtime())
            {
                InvalidArgument(() => runtime.Load(Empty));
                using (Module module = runtime.Load(Fixtures.EchoDirectModule))
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
        }

        [Test]
        public void WrongKeySizesNeverReachTheLibrary()
        {
            var shortKey = new byte[31];
            var longKey = new byte[33];
            InvalidArgument(() => Sdm.SigningPublicKey(shortKey));
            InvalidArgument(() => Sdm.X25519PublicKey(longKey));
            InvalidArgument(() => Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, shortKey));
            InvalidArgument(() => Sdm.Protect(Fixtures.EchoDirectManifestJson, Fixtures.EchoDirectModule, Fixtures.SigningKey, longKey));
            InvalidArgument(() => Sdm.Open(Fixtures.EchoDirectModule, new[] { new byte[32] }));
            InvalidArgument(() => Sdm.Open(Fixtures.EchoDirectModule, new[] { Sdm.SigningPublicKey(Fixtures.SigningKey) }, shortKey));
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
            using (var runtime = new Runtime())
                Assert.Throws<ArgumentNullException>(() => runtime.Load(null));
        }

        [Test]
        public void LoneSurrogateIsNotUtf8()
        {
            InvalidArgument(() => Sdm.ManifestEncodeJson("{\"a\":\"\ud800\"}"));
        }

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
    }
}
