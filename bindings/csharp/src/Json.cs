using System;
using System.Globalization;

namespace SpaceDataModule
{
    /// <summary>
    /// The few JSON reads the wrapper needs itself: a member of the top-level object of a
    /// document the library wrote (JSON is otherwise handed to the caller as text), as an
    /// integer, a string, a boolean or raw JSON text. The scan skips strings and nested values,
    /// so a nested member of the same name never matches.
    /// </summary>
    static class Json
    {
        internal static bool TryTopLevelInteger(string json, string name, out long value)
        {
            value = 0;
            int start = MemberValue(json, name);
            return start >= 0 && ParseInteger(json, start, out value);
        }

        /// <summary>A string member, unescaped; false when absent, null or not a string.</summary>
        internal static bool TryTopLevelString(string json, string name, out string value)
        {
            value = null;
            int start = MemberValue(json, name);
            if (start < 0 || json[start] != '"')
                return false;
            var text = new System.Text.StringBuilder();
            for (int i = start + 1; i < json.Length; i++)
            {
                char c = json[i];
                if (c == '"')
                {
                    value = text.ToString();
                    return true;
                }
                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }
                if (++i >= json.Length)
                    return false;
                switch (json[i])
                {
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case 'u':
                        int code;
                        if (i + 4 >= json.Length || !int.TryParse(json.Substring(i + 1, 4), NumberStyles.AllowHexSpecifier,
                                CultureInfo.InvariantCulture, out code))
                            return false;
                        text.Append((char)code);
                        i += 4;
                        break;
                    default: text.Append(json[i]); break; // \" \\ \/
                }
            }
            return false;
        }

        /// <summary>A boolean member; false when absent or not a boolean.</summary>
        internal static bool TryTopLevelBool(string json, string name, out bool value)
        {
            value = false;
            int start = MemberValue(json, name);
            if (start < 0)
                return false;
            if (string.CompareOrdinal(json, start, "true", 0, 4) == 0)
                return value = true;
            return string.CompareOrdinal(json, start, "false", 0, 5) == 0;
        }

        /// <summary>The raw JSON text of a member's value (an object, array, string, number or
        /// literal); null when absent.</summary>
        internal static string TopLevelRaw(string json, string name)
        {
            int start = MemberValue(json, name);
            if (start < 0)
                return null;
            int depth = 0;
            int i = start;
            while (i < json.Length)
            {
                char c = json[i];
                if (c == '"')
                {
                    int end = SkipString(json, i);
                    if (end < 0)
                        return null;
                    i = end;
                    if (depth == 0)
                        return json.Substring(start, i - start);
                    continue;
                }
                if (c == '{' || c == '[')
                    depth++;
                else if (c == '}' || c == ']')
                {
                    if (depth == 0)
                        return json.Substring(start, i - start).TrimEnd();
                    if (--depth == 0)
                        return json.Substring(start, i + 1 - start);
                }
                else if (c == ',' && depth == 0)
                    return json.Substring(start, i - start).TrimEnd();
                i++;
            }
            return null;
        }

        /// <summary>The index where the value of the top-level member <paramref name="name"/>
        /// starts, -1 when there is none.</summary>
        static int MemberValue(string json, string name)
        {
            if (json == null)
                return -1;
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
                        return -1;
                    if (depth == 1 && end - i == quoted.Length && string.CompareOrdinal(json, i, quoted, 0, quoted.Length) == 0)
                    {
                        int colon = SkipSpace(json, end);
                        if (colon < json.Length && json[colon] == ':')
                        {
                            int value = SkipSpace(json, colon + 1);
                            return value < json.Length ? value : -1;
                        }
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
            return -1;
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
