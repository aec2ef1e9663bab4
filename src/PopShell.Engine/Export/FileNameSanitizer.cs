using System;
using System.Globalization;
using System.Text;
using PopShell.Engine.Text;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Turns text from a message (subject, sender, attachment name, UID) into one file name that is
    /// valid and harmless on Windows, macOS and Linux: no path separators or "..", no control or
    /// bidi characters, no reserved device names (CON, NUL, COM1…), no trailing dots or spaces,
    /// and no more than <see cref="MaxNameBytes"/> bytes of UTF-8, cut between characters.
    /// </summary>
    public static class FileNameSanitizer
    {
        /// <summary>Longest name produced, in UTF-8 bytes: under the 255 of common file systems, with room for a collision suffix.</summary>
        public const int MaxNameBytes = 200;

        static readonly string[] ReservedNames =
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
        };

        /// <summary>A safe file name made of <paramref name="text"/> and <paramref name="extension"/> (e.g. ".eml", kept whole).</summary>
        /// <param name="text">Untrusted text for the name's stem.</param>
        /// <param name="extension">The extension to keep, with its dot, or empty; it is sanitised too.</param>
        /// <param name="fallback">Stem used when nothing usable is left of <paramref name="text"/>.</param>
        public static string Sanitize(string? text, string extension = "", string fallback = "message")
        {
            string safeExtension = extension.Length == 0 ? string.Empty : "." + CleanComponent(extension.TrimStart('.'));
            if (safeExtension == ".")
                safeExtension = string.Empty;

            string stem = CleanComponent(text ?? string.Empty);
            if (stem.Length == 0)
                stem = fallback;
            if (IsReserved(stem))
                stem = "_" + stem;

            int room = MaxNameBytes - Encoding.UTF8.GetByteCount(safeExtension);
            return Truncate(stem, room) + safeExtension;
        }

        /// <summary>Cleans one piece of a name: the same rules as <see cref="Sanitize"/>, without length limit or extension.</summary>
        public static string CleanComponent(string text)
        {
            var builder = new StringBuilder(text.Length);
            bool lastWasSpace = false;
            foreach (char c in text.Normalize(NormalizationForm.FormC))
            {
                char mapped = Map(c);
                if (mapped == '\0')
                    continue;
                if (char.IsWhiteSpace(mapped))
                {
                    if (lastWasSpace)
                        continue;
                    mapped = ' ';
                    lastWasSpace = true;
                }
                else
                {
                    lastWasSpace = false;
                }
                builder.Append(mapped);
            }

            // Leading dots make hidden files or "..", trailing dots and spaces are stripped by Windows.
            return builder.ToString().Trim(' ', '.');
        }

        // '\0' means: drop the character.
        static char Map(char c)
        {
            if (c == '\t' || c == '\r' || c == '\n')
                return ' ';
            if (DisplayText.IsUnsafe(c))
                return '\0';
            switch (c)
            {
                case '/': case '\\': case ':': case '*': case '?': case '"': case '<': case '>': case '|':
                case '\uFF0F': case '\uFF3C': case '\u2215': case '\u29F8': // look-alike slashes
                    return '_';
                default:
                    return c;
            }
        }

        static bool IsReserved(string stem)
        {
            // Windows treats "NUL.txt" and "nul .eml" as the device too: compare the part before the first dot.
            int dot = stem.IndexOf('.');
            string head = (dot < 0 ? stem : stem.Substring(0, dot)).TrimEnd(' ');
            foreach (string reserved in ReservedNames)
            {
                if (string.Equals(head, reserved, StringComparison.OrdinalIgnoreCase))
                    return true;
            }
            return false;
        }

        static string Truncate(string stem, int maxBytes)
        {
            if (Encoding.UTF8.GetByteCount(stem) <= maxBytes)
                return stem;

            // Cut between text elements, so no surrogate pair or combining sequence is split.
            var builder = new StringBuilder();
            int bytes = 0;
            var elements = StringInfo.GetTextElementEnumerator(stem);
            while (elements.MoveNext())
            {
                string element = elements.GetTextElement();
                int size = Encoding.UTF8.GetByteCount(element);
                if (bytes + size > maxBytes)
                    break;
                builder.Append(element);
                bytes += size;
            }
            return builder.ToString().TrimEnd(' ', '.');
        }
    }
}
