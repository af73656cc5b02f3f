using System.Collections.Generic;

namespace SpaceDataModule
{
    public static partial class ErrorCodes
    {
        // Built in the static constructor, which runs after every field initializer of both
        // partial files (an initializer here could run before the generated arrays exist).
        static readonly Dictionary<int, string> nameByNumber;

        static ErrorCodes()
        {
            nameByNumber = BuildNameIndex();
        }

        static Dictionary<int, string> BuildNameIndex()
        {
            var index = new Dictionary<int, string>(numbers.Length);
            for (int i = 0; i < numbers.Length; i++)
                index[numbers[i]] = names[i];
            return index;
        }

        /// <summary>
        /// The kebab-case name of a code (docs/errors.md), or "unknown-N" for a number this
        /// version of the bindings does not know (a newer native library).
        /// </summary>
        public static string NameOf(int code)
        {
            string name;
            return nameByNumber.TryGetValue(code, out name) ? name : "unknown-" + code;
        }

        /// <summary>Every known code as (number, name), in the order of docs/errors.md.</summary>
        public static IList<KeyValuePair<int, string>> All()
        {
            var all = new List<KeyValuePair<int, string>>(numbers.Length);
            for (int i = 0; i < numbers.Length; i++)
                all.Add(new KeyValuePair<int, string>(numbers[i], names[i]));
            return all;
        }
    }
}
