using PopShell.Engine.Messages;

namespace PopShell
{
    /// <summary>An attachment as a listing shows it. The name comes from the message and is untrusted.</summary>
    public sealed class Pop3AttachmentInfo
    {
        // The engine's record, shown through a type of this assembly: PowerShell 7 hides types that
        // come from another load context, as the engine's do.
        readonly AttachmentInfo attachment;

        internal Pop3AttachmentInfo(AttachmentInfo attachment) => this.attachment = attachment;

        /// <summary>The name the message gives the attachment (untrusted: may contain path characters).</summary>
        public string FileName => attachment.FileName;

        /// <summary>Media type, e.g. application/pdf.</summary>
        public string ContentType => attachment.ContentType;

        /// <summary>Decoded size in bytes.</summary>
        public long Size => attachment.Size;

        /// <summary>The file name.</summary>
        public override string ToString() => FileName;
    }
}
