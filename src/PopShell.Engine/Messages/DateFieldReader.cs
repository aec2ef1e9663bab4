using System;
using System.IO;
using MimeKit.Utils;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// Finds the Date field of a message's header block without parsing the rest of it, and reads it
    /// with MimeKit's date parser, the one the listing uses. For names that use only the date (the
    /// default file name template) this spares the export MimeKit's header parser and charset tables
    /// (see <see cref="NamingFields"/>).
    /// </summary>
    internal static class DateFieldReader
    {
        // A header block is a few KB; one that is not over by this size is not searched further, and
        // the message is named as one without a date (by the time it is saved).
        const int MaxHeaderBytes = 256 * 1024;

        /// <summary>
        /// The first Date field's value, or null when there is none, it cannot be read as a date, or the
        /// header block is malformed where MimeKit would fail it too (a line that is neither a field nor
        /// the continuation of one), so a name never shows a date the listing does not.
        /// </summary>
        public static DateTimeOffset? Read(Stream message)
        {
            var block = ReadHeaderBlock(message, out int length);
            int valueStart = -1;
            int valueEnd = -1;
            int i = 0;
            while (i < length)
            {
                int newline = Array.IndexOf(block, (byte)'\n', i, length - i);
                int lineEnd = newline < 0 ? length : newline;
                int contentEnd = lineEnd > i && block[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
                if (contentEnd == i)
                    break; // the empty line that ends the header block
                if (block[i] == ' ' || block[i] == '\t')
                {
                    // A folded line: part of the Date field's value when it follows it.
                    if (valueStart >= 0)
                        valueEnd = contentEnd;
                }
                else
                {
                    if (valueStart >= 0)
                        break; // the Date field, with its folded lines, is whole
                    int colon = Array.IndexOf(block, (byte)':', i, contentEnd - i);
                    if (colon < 0)
                        return null;
                    if (IsDate(block, i, colon))
                    {
                        valueStart = colon + 1;
                        valueEnd = contentEnd;
                    }
                }
                i = lineEnd + 1;
            }
            return valueStart >= 0 && DateUtils.TryParse(block, valueStart, valueEnd - valueStart, out DateTimeOffset date) ? date : null;
        }

        // "Date", in any case, with any blanks before the colon.
        static bool IsDate(byte[] line, int start, int colon)
        {
            int end = colon;
            while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
                end--;
            return end - start == 4
                && (line[start] | 0x20) == 'd' && (line[start + 1] | 0x20) == 'a'
                && (line[start + 2] | 0x20) == 't' && (line[start + 3] | 0x20) == 'e';
        }

        // The bytes from the stream's position up to and including the empty line that ends the header
        // block (or up to the end, or MaxHeaderBytes), after a leading mbox "From " line.
        static byte[] ReadHeaderBlock(Stream message, out int length)
        {
            HeaderSummaryReader.SkipMboxFromLine(message);
            var block = new byte[4096];
            length = 0;
            while (length < MaxHeaderBytes)
            {
                if (length == block.Length)
                    Array.Resize(ref block, Math.Min(block.Length * 2, MaxHeaderBytes));
                int read = message.Read(block, length, block.Length - length);
                if (read <= 0)
                    break;
                int scanFrom = Math.Max(0, length - 2);
                length += read;
                if (EndsHeader(block, scanFrom, length))
                    break;
            }
            return block;
        }

        static bool EndsHeader(byte[] block, int from, int length)
        {
            if (from == 0 && (block[0] == '\n' || (block[0] == '\r' && length > 1 && block[1] == '\n')))
                return true;
            for (int i = Array.IndexOf(block, (byte)'\n', from, length - from); i >= 0 && i + 1 < length; i = Array.IndexOf(block, (byte)'\n', i + 1, length - i - 1))
            {
                if (block[i + 1] == '\n' || (block[i + 1] == '\r' && i + 2 < length && block[i + 2] == '\n'))
                    return true;
            }
            return false;
        }
    }
}
