using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The raw socket stream under the POP3 wire (and under TLS), watched for two attacks:
    /// <list type="bullet">
    /// <item>a server sending more than the operation allows: an endless status line or a batch far
    /// larger than announced. Past the budget the read fails and the session is dropped without
    /// QUIT (the wire also bounds each multi-line reply, so the message that overran is named);</item>
    /// <item>data following the server's +OK to STLS before the TLS handshake (STARTTLS response
    /// injection): the wire discards it, and this stream notes it so the session can be refused,
    /// as mpop does, because it means someone on the path is tampering.</item>
    /// </list>
    /// </summary>
    internal sealed class GuardedSocketStream : Stream
    {
        static readonly byte[] StlsCommand = { (byte)'S', (byte)'T', (byte)'L', (byte)'S', (byte)'\r', (byte)'\n' };

        readonly Stream inner;
        long remaining = long.MaxValue;
        StlsState stls;
        bool stlsReplyLineEnded;

        enum StlsState { NotSent, AwaitingReply, Done }

        public GuardedSocketStream(Stream inner)
        {
            this.inner = inner;
        }

        /// <summary>Whether the server sent anything after its reply to STLS and before the TLS handshake.</summary>
        public bool InjectionAfterStls { get; private set; }

        /// <summary>The budget of the operation that overran it, once one has; otherwise 0.</summary>
        public long ExceededBudget { get; private set; }

        long budget;

        /// <summary>Starts a new operation that may receive up to <paramref name="bytes"/> bytes.</summary>
        public void SetBudget(long bytes)
        {
            budget = bytes;
            remaining = bytes;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // SslStream reads zero bytes before each TLS record, to wait for data without holding a
            // buffer; on a socket that is a one-byte MSG_PEEK recv, a second system call per record
            // (strace: 12,668 of them for 200 MB). The session reads without pause, so the wait is left
            // to the record's own read.
            if (count == 0)
                return 0;
            int read = inner.Read(buffer, offset, count);
            return Charge(read, buffer, offset);
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int read = await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            return Charge(read, buffer, offset);
        }

        int Charge(int read, byte[] buffer, int offset)
        {
            if (stls == StlsState.AwaitingReply)
                WatchStlsReply(buffer, offset, read);
            remaining -= read;
            if (remaining < 0)
            {
                ExceededBudget = budget;
                throw new IOException($"The server sent more than the {budget} bytes allowed for this operation.");
            }
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            WatchWrite(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            WatchWrite(buffer, offset, count);
            return inner.WriteAsync(buffer, offset, count, cancellationToken);
        }

        // The client's next write after STLS is its TLS ClientHello: from then on the server's bytes are TLS.
        void WatchWrite(byte[] buffer, int offset, int count)
        {
            if (stls == StlsState.AwaitingReply)
                stls = StlsState.Done;
            else if (stls == StlsState.NotSent && count == StlsCommand.Length && Equal(buffer, offset, StlsCommand))
                stls = StlsState.AwaitingReply;
        }

        // Everything after the first line of the reply to STLS, before the handshake, was injected.
        void WatchStlsReply(byte[] buffer, int offset, int read)
        {
            for (int i = 0; i < read; i++)
            {
                if (stlsReplyLineEnded)
                {
                    InjectionAfterStls = true;
                    return;
                }
                if (buffer[offset + i] == '\n')
                    stlsReplyLineEnded = true;
            }
        }

        static bool Equal(byte[] buffer, int offset, byte[] expected)
        {
            for (int i = 0; i < expected.Length; i++)
            {
                if (buffer[offset + i] != expected[i])
                    return false;
            }
            return true;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override bool CanRead => inner.CanRead;
        public override bool CanWrite => inner.CanWrite;
        public override bool CanSeek => false;
        public override bool CanTimeout => inner.CanTimeout;
        public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }
        public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
