using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>
    /// Inputs shared by the tests. The Makefile (run-test-csharp) sets SDM_REPO_ROOT and the
    /// paths of the echo modules it compiled with the CLI; LD_LIBRARY_PATH finds the library.
    /// </summary>
    static class Fixtures
    {
        internal static readonly byte[] SigningKey = Sequence(1, 32);
        internal static readonly byte[] OtherSigningKey = Filled(9, 32);
        internal static readonly byte[] RecipientKey = Sequence(0x40, 32);
        internal static readonly byte[] WrongRecipientKey = Filled(0x50, 32);

        internal const string EchoRequestJson =
            "{\"methodId\":\"echo\",\"inputs\":[{\"portId\":\"echo\",\"payload\":[104,105]}]}";
        internal const string EchoedPayload = "\"payload\":[104,105]";
        internal const string VectorPluginId = "com.digitalarsenal.examples.single-file-vector";

        internal static string RepoRoot
        {
            get
            {
                string root = Environment.GetEnvironmentVariable("SDM_REPO_ROOT");
                if (string.IsNullOrEmpty(root))
                    root = Directory.GetCurrentDirectory();
                if (!File.Exists(Path.Combine(root, "docs/errors.md")))
                    Assert.Fail("SDM_REPO_ROOT (" + root + ") is not the repository root: run `make run-test-csharp`");
                return root;
            }
        }

        internal static string RepoPath(string relative)
        {
            return Path.Combine(RepoRoot, relative);
        }

        internal static byte[] VectorModule { get { return File.ReadAllBytes(RepoPath("vectors/single-file-bundle/single-file-module.wasm")); } }
        internal static string VectorManifestJson { get { return File.ReadAllText(RepoPath("vectors/single-file-bundle/manifest.json")); } }
        internal static byte[] VectorManifestPman { get { return File.ReadAllBytes(RepoPath("vectors/single-file-bundle/manifest.fb")); } }
        internal static byte[] VectorBaseModule { get { return File.ReadAllBytes(RepoPath("vectors/single-file-bundle/base-module.wasm")); } }

        internal static byte[] EchoDirectModule { get { return File.ReadAllBytes(FromEnvironment("SDM_ECHO_DIRECT_WASM")); } }
        internal static byte[] EchoCommandModule { get { return File.ReadAllBytes(FromEnvironment("SDM_ECHO_COMMAND_WASM")); } }
        internal static string EchoDirectManifestJson { get { return File.ReadAllText(RepoPath("examples/invoke-echo/manifest.direct.json")); } }

        static string FromEnvironment(string name)
        {
            string path = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
                Assert.Fail(name + " must name a module compiled by the CLI: run `make run-test-csharp`");
            return path;
        }

        internal static string Sha256Hex(byte[] data)
        {
            using (var sha = SHA256.Create())
            {
                var hex = new StringBuilder();
                foreach (byte b in sha.ComputeHash(data))
                    hex.Append(b.ToString("x2"));
                return hex.ToString();
            }
        }

        internal static bool IsWasm(byte[] data)
        {
            return data.Length > 8 && data[0] == 0 && data[1] == (byte)'a' && data[2] == (byte)'s' && data[3] == (byte)'m';
        }

        /// <summary>Plain wasm through the loader, explicitly unsigned: the only way from bytes
        /// to a <see cref="Verified"/> without a signature.</summary>
        internal static Verified Unsigned(byte[] wasm)
        {
            return Sdm.Verify(wasm, null, null, VerifyFlags.AllowUnsigned);
        }

        /// <summary>Verifies plain wasm (unsigned) and loads it; the verified handle is disposed
        /// once the module exists (the module keeps what it needs).</summary>
        internal static Module LoadUnsigned(Runtime runtime, byte[] wasm)
        {
            using (Verified verified = Unsigned(wasm))
                return runtime.Load(verified);
        }

        /// <summary>The runtime matrix's WASI program (runtime-matrix/fixtures/wasi-program),
        /// compiled by test.sh with clang: prints argc, its args and env, then runs its args as
        /// commands (cat=PATH, write=PATH, stdin, stderr=TEXT, exit=N).</summary>
        internal static byte[] ProgramModule { get { return File.ReadAllBytes(FromEnvironment("SDM_PROGRAM_WASM")); } }

        internal static string HostProxyPath
        {
            get { return FromEnvironment("SDM_HOST_PROXY_WASM"); }
        }

        /// <summary>Runs <paramref name="action"/> and returns the SdmException it must throw.</summary>
        internal static SdmException Fails(TestDelegate action)
        {
            return Assert.Throws<SdmException>(action);
        }

        internal static void AssertCode(int expected, string expectedName, TestDelegate action)
        {
            SdmException error = Fails(action);
            Assert.AreEqual(expected, error.Code, error.Message);
            Assert.AreEqual(expectedName, error.Name, error.Message);
            Assert.AreEqual(expectedName, ErrorCodes.NameOf(error.Code));
        }

        static byte[] Sequence(int first, int length)
        {
            var bytes = new byte[length];
            for (int i = 0; i < length; i++)
                bytes[i] = (byte)(first + i);
            return bytes;
        }

        static byte[] Filled(byte value, int length)
        {
            var bytes = new byte[length];
            for (int i = 0; i < length; i++)
                bytes[i] = value;
            return bytes;
        }
    }
}
