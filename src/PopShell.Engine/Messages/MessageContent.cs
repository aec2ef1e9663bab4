using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MimeKit;
using PopShell.Engine.Text;

namespace PopShell.Engine.Messages
{
    /// <summary>A message's readable body and a list of its attachments, for listings that ask for them.</summary>
    /// <param name="Body">The text body, or the HTML body when there is no text part, or empty.</param>
    /// <param name="Attachments">Each attachment's name (as the message gives it, untrusted), media type and decoded size.</param>
    public sealed record MessageContent(string Body, IReadOnlyList<AttachmentInfo> Attachments)
    {
        /// <summary>Reads the body and attachment list from a whole message; a malformed message yields what could be read.</summary>
        public static MessageContent Read(Stream message)
        {
            CodePages.EnsureRegistered();
            MimeMessage parsed;
            try
            {
                // Persistent for a spooled message: parts refer to their bytes in the file rather than copies.
                parsed = MimeMessage.Load(new ParserOptions { MaxMimeDepth = 64 }, message, persistent: message is FileStream);
            }
            catch (FormatException)
            {
                // Not even a header block (e.g. an empty message): nothing to read, which is no reason to fail the listing.
                return new MessageContent(string.Empty, Array.Empty<AttachmentInfo>());
            }
            var attachments = parsed.Attachments.OfType<MimePart>()
                .Select(part => new AttachmentInfo(part.FileName ?? string.Empty, part.ContentType.MimeType, DecodedLength(part)))
                .ToArray();
            return new MessageContent(parsed.TextBody ?? parsed.HtmlBody ?? string.Empty, attachments);
        }

        static long DecodedLength(MimePart part)
        {
            if (part.Content == null)
                return 0;
            using var counter = new CountingStream();
            part.Content.DecodeTo(counter);
            return counter.Length;
        }

        // Counts the bytes written to it and keeps none of them.
        sealed class CountingStream : Stream
        {
            long length;
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => length;
            public override long Position { get => length; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => length += count;
        }
    }
}
