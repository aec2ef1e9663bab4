using PopShell.Engine.Errors;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>One saved attachment, or why it (or its message) could not be saved.</summary>
    /// <param name="Entry">The message it came from.</param>
    /// <param name="OriginalName">The name the message gave it (untrusted), or null when the message failed.</param>
    /// <param name="Path">Where it was saved, or null on error.</param>
    /// <param name="ContentType">Its media type.</param>
    /// <param name="Size">Decoded bytes written.</param>
    /// <param name="Error">Why it was not saved, or null.</param>
    public sealed record AttachmentOutcome(MessageEntry Entry, string? OriginalName, string? Path, string? ContentType, long Size, PopShellException? Error);
}
