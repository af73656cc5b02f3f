using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SpaceDataModule
{
    /// <summary>
    /// A small strict JSON reader and string quoting, for the documents the wrapper reads in
    /// full (the decoded invoke response) and the JSON it writes (program, request). Mono's
    /// profile here has no JSON serializer. Values: objects are
    /// <c>Dictionary&lt;string, object&gt;</c> (a duplicate key is an error), arrays
    /// <c>List&lt;object&gt;</c>, strings <c>string</c>, numbers <c>long</c> when integral and
    /// in range, else <c>double</c>, literals <c>bool</c> or null. Nesting is capped.
    /// </summary>
    static class JsonReader
    {
        const int MaxDepth = 128;

        /// <summary>Parses one JSON document; throws FormatException on anything else.</summary>
        internal static object Parse(string text)
        {
            if (text == null)
                throw new FormatException("no JSON text");
            int i = 0;
            object value = ReadValue(text, ref i, 0);
            SkipSpace(text, ref i);
            if (i != text.Length)
                throw new FormatException("trailing characters at " + i);
            return value;
        }

        /// <summary>A JSON string literal for <paramref name="text"/> (quotes included).</summary>
        internal static string Quote(string text)
        {
            var quoted = new StringBuilder(text.Length + 2);
            quoted.Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"': quoted.Append("\\\""); break;
                    case '\\': quoted.Append("\\\\"); break;
                    case '\n': quoted.Append("\\n"); break;
                    case '\r': quoted.Append("\\r"); break;
                    case '\t': quoted.Append("\\t"); break;
                    default:
                        if (c < 0x20)
                            quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            quoted.Append(c);
                        break;
                }
            }
            return quoted.Append('"').ToString();
        }

        static object ReadValue(string s, ref int i, int depth)
        {
            if (depth > MaxDepth)
                throw new FormatException("JSON nested deeper than " + MaxDepth);
            SkipSpace(s, ref i);
            if (i >= s.Length)
                throw new FormatException("unexpected end of JSON");
            char c = s[i];
            if (c == '{')
                return ReadObject(s, ref i, depth);
            if (c == '[')
                return ReadArray(s, ref i, depth);
            if (c == '"')
                return ReadString(s, ref i);
            if (c == '-' || (c >= '0' && c <= '9'))
                return ReadNumber(s, ref i);
            if (Literal(s, ref i, "true"))
                return true;
            if (Literal(s, ref i, "false"))
                return false;
            if (Literal(s, ref i, "null"))
                return null;
            throw new FormatException("unexpected character '" + c + "' at " + i);
        }

        static Dictionary<string, object> ReadObject(string s, ref int i, int depth)
        {
            var members = new Dictionary<string, object>(StringComparer.Ordinal);
            i++; // {
            SkipSpace(s, ref i);
            if (i < s.Length && s[i] == '}')
            {
                i++;
                return members;
            }
            while (true)
            {
                SkipSpace(s, ref i);
                if (i >= s.Length || s[i] != '"')
                    throw new FormatException("expected a member name at " + i);
                string name = ReadString(s, ref i);
                SkipSpace(s, ref i);
                Expect(s, ref i, ':');
                if (members.ContainsKey(name))
                    throw new FormatException("duplicate member \"" + name + "\"");
                members[name] = ReadValue(s, ref i, depth + 1);
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == ',')
                {
                    i++;
                    continue;
                }
                Expect(s, ref i, '}');
                return members;
            }
        }

        static List<object> ReadArray(string s, ref int i, int depth)
        {
            var items = new List<object>();
            i++; // [
            SkipSpace(s, ref i);
            if (i < s.Length && s[i] == ']')
            {
                i++;
                return items;
            }
            while (true)
            {
                items.Add(ReadValue(s, ref i, depth + 1));
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == ',')
                {
                    i++;
                    continue;
                }
                Expect(s, ref i, ']');
                return items;
            }
        }

        static string ReadString(string s, ref int i)
        {
            var text = new StringBuilder();
            i++; // opening quote
            while (i < s.Length)
            {
                char c = s[i++];
                if (c == '"')
                    return text.ToString();
                if (c < 0x20)
                    throw new FormatException("control character in a string at " + (i - 1));
                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }
                if (i >= s.Length)
                    break;
                char escape = s[i++];
                switch (escape)
                {
                    case '"': text.Append('"'); break;
                    case '\\': text.Append('\\'); break;
                    case '/': text.Append('/'); break;
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case 'u':
                        int code;
                        if (i + 4 > s.Length || !int.TryParse(s.Substring(i, 4), NumberStyles.AllowHexSpecifier,
                                CultureInfo.InvariantCulture, out code))
                            throw new FormatException("bad \\u escape at " + i);
                        text.Append((char)code);
                        i += 4;
                        break;
                    default:
                        throw new FormatException("bad escape '\\" + escape + "'");
                }
            }
            throw new FormatException("unterminated string");
        }

        static object ReadNumber(string s, ref int i)
        {
            int start = i;
            if (s[i] == '-')
                i++;
            bool integral = true;
            while (i < s.Length)
            {
                char c = s[i];
                if (c >= '0' && c <= '9')
                    i++;
                else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')
                {
                    integral = false;
                    i++;
                }
                else
                    break;
            }
            string number = s.Substring(start, i - start);
            long whole;
            if (integral && long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out whole))
                return whole;
            double real;
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out real))
                return real;
            throw new FormatException("bad number \"" + number + "\"");
        }

        static bool Literal(string s, ref int i, string word)
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0)
                return false;
            i += word.Length;
            return true;
        }

        static void Expect(string s, ref int i, char c)
        {
            if (i >= s.Length || s[i] != c)
                throw new FormatException("expected '" + c + "' at " + i);
            i++;
        }

        static void SkipSpace(string s, ref int i)
        {
            while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
        }
    }
}
