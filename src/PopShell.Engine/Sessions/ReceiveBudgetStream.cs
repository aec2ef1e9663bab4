using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The socket stream under MailKit, with a budget of bytes the server may send for the operation
    /// in progress. MailKit reads lines and messages into memory without a limit, so a hostile or
    /// broken server (an endless line, a message far larger than it announced) could exhaust memory;
    /// past the budget the read fails, MailKit reports an I/O error, and the session is dropped
    /// without QUIT.
    /// </summary>
    internal sealed class ReceiveBudgetStream : Stream
    {
        readonly Stream inner;
        long remaining = long.MaxValue;

        public ReceiveBudgetStream(Stream inner)
        {
            this.inner = inner;
        }

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
            int read = inner.Read(buffer, offset, count);
            return Charge(read);
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int read = await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            return Charge(read);
        }

        int Charge(int read)
        {
            remaining -= read;
            if (remaining < 0)
            {
                ExceededBudget = budget;
                throw new IOException($"The server sent more than the {budget} bytes allowed for this operation.");
            }
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

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
