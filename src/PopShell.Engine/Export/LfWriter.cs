using System.IO;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Copies a message converting CRLF line ends to LF, as mbox and Maildir readers expect, and
    /// optionally applying mboxrd quoting: a line matching <c>^&gt;*From </c> gets one more
    /// "&gt;", which a reader removes again, so the message round-trips exactly.
    /// </summary>
    internal static class LfWriter
    {
        static readonly byte[] From = { (byte)'F', (byte)'r', (byte)'o', (byte)'m', (byte)' ' };

        /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>; returns whether the last line ended with a line break.</summary>
        public static bool Copy(Stream source, Stream target, bool mboxrdQuoting)
        {
            var chunk = new byte[65536];
            var line = new MemoryStream(256);
            bool endedWithNewline = true;
            int read;
            while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
            {
                int start = 0;
                while (start < read)
                {
                    int end = System.Array.IndexOf(chunk, (byte)'\n', start, read - start);
                    if (end < 0)
                    {
                        line.Write(chunk, start, read - start);
                        endedWithNewline = false;
                        break;
                    }
                    line.Write(chunk, start, end - start);
                    WriteLine(line, target, mboxrdQuoting, newline: true);
                    endedWithNewline = true;
                    start = end + 1;
                }
            }
            if (line.Length > 0)
                WriteLine(line, target, mboxrdQuoting, newline: false);
            return endedWithNewline;
        }

        static void WriteLine(MemoryStream line, Stream target, bool quote, bool newline)
        {
            var buffer = line.GetBuffer();
            int length = (int)line.Length;
            if (newline && length > 0 && buffer[length - 1] == '\r')
                length--;
            if (quote && IsFromLine(buffer, length))
                target.WriteByte((byte)'>');
            target.Write(buffer, 0, length);
            if (newline)
                target.WriteByte((byte)'\n');
            line.SetLength(0);
        }

        static bool IsFromLine(byte[] buffer, int length)
        {
            int i = 0;
            while (i < length && buffer[i] == '>')
                i++;
            if (length - i < From.Length)
                return false;
            for (int j = 0; j < From.Length; j++)
            {
                if (buffer[i + j] != From[j])
                    return false;
            }
            return true;
        }
    }
}
