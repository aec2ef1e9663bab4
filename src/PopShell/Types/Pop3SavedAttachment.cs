namespace PopShell
{
    /// <summary>One attachment that <c>Save-Pop3Attachment</c> wrote.</summary>
    public sealed class Pop3SavedAttachment
    {
        internal Pop3SavedAttachment(string? uid, string originalName, string path, string contentType, long size)
        {
            Uid = uid;
            OriginalName = originalName;
            Path = path;
            ContentType = contentType;
            Size = size;
        }

        /// <summary>UID of the message it came from.</summary>
        public string? Uid { get; }

        /// <summary>The name the message gave it (untrusted; shown for reference only).</summary>
        public string OriginalName { get; }

        /// <summary>Where it was saved: always inside the -Path folder.</summary>
        public string Path { get; }

        /// <summary>Media type, e.g. application/pdf.</summary>
        public string ContentType { get; }

        /// <summary>Bytes written.</summary>
        public long Size { get; }

        /// <summary>The path.</summary>
        public override string ToString() => Path;
    }
}
