using System;
using System.Globalization;

namespace SpaceDataModule
{
    /// <summary>
    /// The one JSON read the wrapper needs itself: an integer member of the top-level object of
    /// a document the library wrote (JSON is otherwise handed to the caller as text). It skips
    /// strings and nested values, so a nested member of the same name never matches.
    /// </summary>
    static class Json
    {
        internal static bool TryTopLevelInteger(string json, string name, out long value)
        {
            value = 0;
            if (json == null)
                return false;
            int depth = 0;
            int i = 0;
            string quoted = "\"" + name + "\"";
            while (i < json.Length)
            {
                char c = json[i];
                if (c == '"')
                {
                    int end = SkipString(json, i);
                    if (end < 0)
                        return false;
                    if (depth == 1 && end - i == quoted.Length && string.CompareOrdinal(json, i, quoted, 0, quoted.Length) == 0)
                    {
                        int colon = SkipSpace(json, end);
                        if (colon < json.Length && json[colon] == ':')
                            return ParseInteger(json, SkipSpace(json, colon + 1), out value);
                    }
                    i = end;
                    continue;
                }
                if (c == '{' || c == '[')
                    depth++;
                else if (c == '}' || c == ']')
                    depth--;
                i++;
            }
            return false;
        }

        /// <summary>The index just past the string starting at <paramref name="start"/>, -1 when unterminated.</summary>
        static int SkipString(string json, int start)
        {
            for (int i = start + 1; i < json.Length; i++)
            {
                if (json[i] == '\\')
                    i++;
                else if (json[i] == '"')
                    return i + 1;
            }
            return -1;
        }

        static int SkipSpace(string json, int i)
        {
            while (i < json.Length && char.IsWhiteSpace(json[i]))
                i++;
            return i;
        }

        static bool ParseInteger(string json, int start, out long value)
        {
            int end = start;
            if (end < json.Length && json[end] == '-')
                end++;
            while (end < json.Length && json[end] >= '0' && json[end] <= '9')
                end++;
            return long.TryParse(json.Substring(start, end - start), NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out value);
        }
    }
}
