using System;
using System.IO;
using System.Security.Cryptography;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// A message's bytes written to disk as they arrive from the server, and hashed on the way: a
    /// temporary file in the store's folder, so a message is never whole in memory. A store that keeps
    /// the bytes as they are (Eml) takes the file itself; the others read it back to write their
    /// format. Disposing it removes the file unless a store committed it.
    /// </summary>
    internal sealed class MessageSpool : Stream
    {
        readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? sha256;

        public MessageSpool(DurableFile file)
        {
            File = file;
        }

        /// <summary>The temporary file the bytes are in.</summary>
        public DurableFile File { get; }

        /// <summary>The SHA-256 of every byte written, in <see cref="ContentHash"/>'s form; ends the writing.</summary>
        public string Sha256 => sha256 ??= ContentHash.Hex(hash.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (sha256 != null)
                throw new InvalidOperationException("The spool was hashed already; nothing more can be written to it.");
            hash.AppendData(buffer, offset, count);
            File.Stream.Write(buffer, offset, count);
        }

        public override int Read(byte[] buffer, int offset, int count) => File.Stream.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => File.Stream.Seek(offset, origin);

        public override void Flush() => File.Stream.Flush();

        public override bool CanRead => File.Stream.CanRead;
        public override bool CanSeek => File.Stream.CanSeek;
        public override bool CanWrite => sha256 == null;
        public override long Length => File.Stream.Length;
        public override long Position { get => File.Stream.Position; set => File.Stream.Position = value; }
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                File.Dispose();
                hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
