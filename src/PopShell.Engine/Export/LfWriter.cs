using System;
using System.IO;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Copies a message converting CRLF line ends to LF, as mbox and Maildir readers expect, and
    /// optionally applying mboxrd quoting: a line matching <c>^&gt;*From </c> gets one more
    /// "&gt;", which a reader removes again, so the message round-trips exactly.
    /// </summary>
    /// <remarks>
    /// It streams: what it holds between reads is a carriage return that may end a line and, at a
    /// line's start, how many "&gt;" and how much of "From " it has seen, never the line itself, so a
    /// message that is one 100 MB line costs its two 64 KB buffers like any other.
    /// </remarks>
    internal sealed class LfWriter
    {
        const int BufferSize = 64 * 1024;
        static readonly byte[] From = { (byte)'F', (byte)'r', (byte)'o', (byte)'m', (byte)' ' };

        readonly Stream target;
        readonly bool quote;
        readonly byte[] output = new byte[BufferSize];
        int gathered;
        bool atLineStart = true;
        bool endedWithNewline = true;
        // A CR that ended a read: dropped if the next byte is LF, written otherwise.
        bool pendingCr;
        // At a line's start, with quoting: the '>' seen so far and how much of "From " followed them.
        long quoteMarks;
        int fromMatched;

        LfWriter(Stream target, bool quote)
        {
            this.target = target;
            this.quote = quote;
        }

        /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>; returns whether the last line ended with a line break.</summary>
        public static bool Copy(Stream source, Stream target, bool mboxrdQuoting)
        {
            var writer = new LfWriter(target, mboxrdQuoting);
            var chunk = new byte[BufferSize];
            int read;
            while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
                writer.Write(chunk, read);
            return writer.Finish();
        }

        void Write(byte[] chunk, int count)
        {
            int i = 0;
            while (i < count)
            {
                if (atLineStart && quote)
                {
                    i = MatchFromLine(chunk, i, count);
                    if (i == count)
                        break;
                }
                atLineStart = false;
                int newline = Array.IndexOf(chunk, (byte)'\n', i, count - i);
                int end = newline < 0 ? count : newline;
                if (end > i)
                {
                    if (pendingCr)
                        Put((byte)'\r');
                    pendingCr = chunk[end - 1] == '\r';
                    Put(chunk, i, pendingCr ? end - 1 - i : end - i);
                    endedWithNewline = false;
                }
                if (newline < 0)
                    break;
                pendingCr = false;
                Put((byte)'\n');
                endedWithNewline = true;
                atLineStart = true;
                i = newline + 1;
            }
        }

        // Reads the start of a line as far as it can still be a From line; once it knows, writes what it
        // read (with one more '>' for a From line). Returns where the rest of the line starts.
        int MatchFromLine(byte[] chunk, int i, int count)
        {
            while (i < count)
            {
                byte b = chunk[i];
                if (fromMatched == 0 && b == '>')
                    quoteMarks++;
                else if (b == From[fromMatched])
                    fromMatched++;
                else
                {
                    EndLineStart(isFromLine: false);
                    return i;
                }
                i++;
                if (fromMatched == From.Length)
                {
                    EndLineStart(isFromLine: true);
                    return i;
                }
            }
            return i;
        }

        void EndLineStart(bool isFromLine)
        {
            for (long n = quoteMarks + (isFromLine ? 1 : 0); n > 0; n--)
                Put((byte)'>');
            Put(From, 0, fromMatched);
            if (quoteMarks > 0 || fromMatched > 0)
                endedWithNewline = false;
            quoteMarks = 0;
            fromMatched = 0;
            atLineStart = false;
        }

        bool Finish()
        {
            if (atLineStart && (quoteMarks > 0 || fromMatched > 0))
                EndLineStart(isFromLine: false);
            if (pendingCr)
                Put((byte)'\r');
            if (gathered > 0)
                target.Write(output, 0, gathered);
            return endedWithNewline;
        }

        void Put(byte value)
        {
            if (gathered == output.Length)
                Flush();
            output[gathered++] = value;
        }

        void Put(byte[] bytes, int offset, int count)
        {
            if (gathered + count > output.Length)
                Flush();
            if (count >= output.Length)
                target.Write(bytes, offset, count);
            else
            {
                Buffer.BlockCopy(bytes, offset, output, gathered, count);
                gathered += count;
            }
        }

        void Flush()
        {
            target.Write(output, 0, gathered);
            gathered = 0;
        }
    }
}
