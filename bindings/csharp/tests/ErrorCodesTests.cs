using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace SpaceDataModule.Tests
{
    /// <summary>The generated constants (src/ErrorCodes.g.cs) must list exactly the codes of
    /// docs/errors.md; regenerate with `make csharp-error-codes` when this fails.</summary>
    [TestFixture]
    public class ErrorCodesTests
    {
        static readonly Regex CodeRow = new Regex(@"^\|\s*(\d+)\s*\|\s*`([a-z0-9-]+)`\s*\|[^|]*\|[^|]*\|\s*$");

        static List<KeyValuePair<int, string>> Documented()
        {
            var rows = new List<KeyValuePair<int, string>>();
            foreach (string line in File.ReadAllLines(Fixtures.RepoPath("docs/errors.md")))
            {
                Match row = CodeRow.Match(line);
                if (row.Success)
                    rows.Add(new KeyValuePair<int, string>(int.Parse(row.Groups[1].Value), row.Groups[2].Value));
            }
            return rows;
        }

        [Test]
        public void GeneratedListMatchesDocsErrorsMd()
        {
            List<KeyValuePair<int, string>> documented = Documented();
            Assert.Greater(documented.Count, 50, "docs/errors.md lists the codes");
            CollectionAssert.AreEqual(documented, ErrorCodes.All(),
                "bindings/csharp/src/ErrorCodes.g.cs is stale: run `make csharp-error-codes`");
        }

        [Test]
        public void EveryConstantIsADocumentedCodeWithItsPascalCaseName()
        {
            var byNumber = new Dictionary<int, string>();
            foreach (KeyValuePair<int, string> row in Documented())
                byNumber[row.Key] = row.Value;
            FieldInfo[] constants = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static);
            Assert.AreEqual(byNumber.Count, constants.Length);
            foreach (FieldInfo constant in constants)
            {
                int number = (int)constant.GetRawConstantValue();
                Assert.IsTrue(byNumber.ContainsKey(number), constant.Name + " = " + number + " is not documented");
                Assert.AreEqual(PascalCase(byNumber[number]), constant.Name);
                Assert.AreEqual(byNumber[number], ErrorCodes.NameOf(number));
            }
        }

        [Test]
        public void WellKnownNumbers()
        {
            Assert.AreEqual(4, ErrorCodes.InvalidArgument);
            Assert.AreEqual(6, ErrorCodes.Panic);
            Assert.AreEqual("invalid-argument", ErrorCodes.NameOf(4));
            Assert.AreEqual("unknown-99999", ErrorCodes.NameOf(99999));
            var error = new SdmException(ErrorCodes.SignatureInvalid, "no trusted signer");
            Assert.AreEqual(605, error.Code);
            Assert.AreEqual("signature-invalid", error.Name);
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
