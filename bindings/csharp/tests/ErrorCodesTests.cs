using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>The generated constants (src/ErrorCodes.g.cs) must list exactly the header's
    /// SDM_ERR_* constants (regenerate with `make codes` when this fails), and every code must
    /// round-trip: number to name through the library (sdm_error_code_name), name to number
    /// through the table.</summary>
    [TestFixture]
    public class ErrorCodesTests
    {
        static readonly Regex CodeDefine = new Regex(@"^#define SDM_ERR_([A-Z0-9_]+) ([0-9]+)$");

        /// <summary>(number, kebab-case name) of every SDM_ERR_* constant of the header.</summary>
        static List<KeyValuePair<int, string>> HeaderCodes()
        {
            var codes = new List<KeyValuePair<int, string>>();
            foreach (string line in File.ReadAllLines(Fixtures.RepoPath("include/space_data_module.h")))
            {
                Match define = CodeDefine.Match(line);
                if (define.Success)
                    codes.Add(new KeyValuePair<int, string>(int.Parse(define.Groups[2].Value),
                        define.Groups[1].Value.ToLowerInvariant().Replace('_', '-')));
            }
            return codes;
        }

        [Test]
        public void TableMatchesTheHeader()
        {
            List<KeyValuePair<int, string>> header = HeaderCodes();
            Assert.Greater(header.Count, 50, "the header lists the codes");
            CollectionAssert.AreEqual(header, ErrorCodes.All(),
                "bindings/csharp/src/ErrorCodes.g.cs is stale: run `make codes`");
        }

        [Test]
        public void EveryCodeRoundTripsByNumberAndName()
        {
            foreach (KeyValuePair<int, string> code in HeaderCodes())
            {
                Assert.AreEqual(code.Value, ErrorCodes.NameOf(code.Key), "sdm_error_code_name(" + code.Key + ")");
                int number;
                Assert.IsTrue(ErrorCodes.TryNumberOf(code.Value, out number), code.Value);
                Assert.AreEqual(code.Key, number, code.Value);
                Assert.AreEqual(code.Value, new SdmException(code.Key, "m").Name);
            }
            int unknown;
            Assert.IsFalse(ErrorCodes.TryNumberOf("no-such-code", out unknown));
            Assert.IsFalse(ErrorCodes.TryNumberOf(null, out unknown));
            foreach (int number in new[] { 0, -1, 7, 99999 })
                Assert.AreEqual("unknown-" + number, ErrorCodes.NameOf(number));
        }

        [Test]
        public void EveryConstantIsAHeaderCodeWithItsPascalCaseName()
        {
            var byNumber = new Dictionary<int, string>();
            foreach (KeyValuePair<int, string> code in HeaderCodes())
                byNumber[code.Key] = code.Value;
            FieldInfo[] constants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static);
            Assert.AreEqual(byNumber.Count, constants.Length);
            foreach (FieldInfo constant in constants)
            {
                int number = (int)constant.GetRawConstantValue();
                Assert.IsTrue(byNumber.ContainsKey(number), constant.Name + " = " + number + " is not in the header");
                Assert.AreEqual(PascalCase(byNumber[number]), constant.Name);
            }
        }

        [Test]
        public void WellKnownNumbers()
        {
            Assert.AreEqual(4, ErrorCodes.InvalidArgument);
            Assert.AreEqual(6, ErrorCodes.Panic);
            Assert.AreEqual(616, ErrorCodes.KeyInvalid);
            Assert.AreEqual("invalid-argument", ErrorCodes.NameOf(4));
            var error = new SdmException(ErrorCodes.SignatureInvalid, "no trusted signer");
            Assert.AreEqual(605, error.Code);
            Assert.AreEqual("signature-invalid", error.Name);
            Assert.AreEqual("error[signature-invalid]: no trusted signer", error.Message);
        }

        /// <summary>The library's message has no "[code]" prefix: the exception names the code
        /// once.</summary>
        [Test]
        public void LibraryErrorsNameTheCodeOnce()
        {
            SdmException error = Fixtures.Fails(() => Sdm.SigningPublicKey(new byte[31]));
            Assert.AreEqual(ErrorCodes.KeyInvalid, error.Code, error.Message);
            Assert.AreEqual(Sdm.LastErrorMessage(), error.Detail);
            StringAssert.DoesNotStartWith("[", error.Detail);
            Assert.AreEqual(1, Regex.Matches(error.Message, "key-invalid").Count, error.Message);
        }

        static string PascalCase(string kebab)
        {
            string result = "";
            foreach (string part in kebab.Split('-'))
                result += char.ToUpperInvariant(part[0]) + part.Substring(1);
            return result;
        }
    }
}
