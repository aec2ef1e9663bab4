namespace PopShell.Engine.Messages
{
    /// <summary>One attachment of a message.</summary>
    /// <param name="FileName">The name the message gives it; untrusted, never use it as a path as-is.</param>
    /// <param name="ContentType">The media type, e.g. application/pdf.</param>
    /// <param name="Size">Decoded size in bytes.</param>
    public sealed record AttachmentInfo(string FileName, string ContentType, long Size);
}
