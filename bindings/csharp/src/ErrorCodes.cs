using System.Collections.Generic;
using SpaceDataModule.Native;

namespace SpaceDataModule
{
    public static unsafe partial class ErrorCodes
    {
        // Built in the static constructor, which runs after every field initializer of both
        // partial files (an initializer here could run before the generated arrays exist).
        static readonly Dictionary<string, int> numberByName;

        static ErrorCodes()
        {
            numberByName = new Dictionary<string, int>(numbers.Length);
            for (int i = 0; i < numbers.Length; i++)
                numberByName[names[i]] = numbers[i];
        }

        /// <summary>
        /// The kebab-case name of a code as the loaded library names it (sdm_error_code_name),
        /// so a code newer than these bindings is named too; "unknown-N" for a number that is
        /// no code.
        /// </summary>
        public static string NameOf(int code)
        {
            string name = code > 0 ? NativeName((uint)code) : null;
            return name ?? "unknown-" + code;
        }

        /// <summary>The number of a kebab-case code name of this table (the header's SDM_ERR_*
        /// constants); false for a name it does not know.</summary>
        public static bool TryNumberOf(string name, out int code)
        {
            code = 0;
            return name != null && numberByName.TryGetValue(name, out code);
        }

        /// <summary>Every code of this table as (number, name), in the order of the header.</summary>
        public static IList<KeyValuePair<int, string>> All()
        {
            var all = new List<KeyValuePair<int, string>>(numbers.Length);
            for (int i = 0; i < numbers.Length; i++)
                all.Add(new KeyValuePair<int, string>(numbers[i], names[i]));
            return all;
        }

        /// <summary>sdm_error_code_name: a static ASCII string, or NULL for no code. It does
        /// not change the thread's last error, so it is safe while an error is reported.</summary>
        static string NativeName(uint code)
        {
            byte* name = NativeMethods.sdm_error_code_name(code);
            if (name == null)
                return null;
            var text = new System.Text.StringBuilder();
            for (int i = 0; name[i] != 0; i++)
                text.Append((char)name[i]);
            return text.ToString();
        }
    }
}
