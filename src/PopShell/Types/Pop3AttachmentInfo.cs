using PopShell.Engine.Messages;

namespace PopShell
{
    /// <summary>An attachment as a listing shows it. The name comes from the message and is untrusted.</summary>
    public sealed class Pop3AttachmentInfo
    {
        internal Pop3AttachmentInfo(string fileName, string contentType, long size)
        {
            FileName = fileName;
            ContentType = contentType;
            Size = size;
        }

        /// <summary>The name the message gives the attachment (untrusted: may contain path characters).</summary>
        public string FileName { get; }

        /// <summary>Media type, e.g. application/pdf.</summary>
        public string ContentType { get; }

        /// <summary>Decoded size in bytes.</summary>
        public long Size { get; }

        /// <summary>The file name.</summary>
        public override string ToString() => FileName;
    }
}
