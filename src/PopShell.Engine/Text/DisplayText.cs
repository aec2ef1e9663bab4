using System.Text;

namespace PopShell.Engine.Text
{
    /// <summary>
    /// Makes text that came from a server or a message safe to show in a terminal or a log:
    /// control characters (escape sequences, CR/LF that would forge log lines, bidi overrides)
    /// are replaced by visible escapes, and long text is cut.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>Longest text kept, in characters; the rest is replaced by an ellipsis.</summary>
        public const int DefaultMaxLength = 512;

        /// <summary>Escapes control and bidi characters and cuts the text to <paramref name="maxLength"/> characters.</summary>
        public static string Escape(string? text, int maxLength = DefaultMaxLength)
        {
            if (string.IsNullOrEmpty(text))
                return string.Empty;

            var builder = new StringBuilder(System.Math.Min(text!.Length, maxLength) + 8);
            foreach (char c in text)
            {
                if (builder.Length >= maxLength)
                {
                    builder.Append('…');
                    break;
                }

                if (IsUnsafe(c))
                    builder.Append("\\u").Append(((int)c).ToString("X4"));
                else
                    builder.Append(c);
            }

            return builder.ToString();
        }

        /// <summary>Whether <paramref name="c"/> could move the cursor, recolour the terminal or reorder text.</summary>
        public static bool IsUnsafe(char c) =>
            c < 0x20 || (c >= 0x7F && c <= 0x9F)
            || (c >= '\u200B' && c <= '\u200F')     // zero-width characters and direction marks
            || (c >= '\u202A' && c <= '\u202E')     // bidi embeddings and overrides
            || (c >= '\u2066' && c <= '\u2069')     // bidi isolates
            || c == '\uFEFF';
    }
}
