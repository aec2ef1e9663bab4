using PopShell.Engine.Errors;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Sessions
{
    /// <summary>One retrieved message: its bytes, or why it could not be retrieved.</summary>
    /// <param name="Entry">Which message.</param>
    /// <param name="Content">The message bytes (in memory), or null on error.</param>
    /// <param name="Error">Why this message could not be retrieved, or null.</param>
    public sealed record RetrievedMessage(MessageEntry Entry, System.IO.Stream? Content, PopShellException? Error)
    {
        /// <summary>The bytes that arrived for a message refused because its size did not match its LIST size; otherwise 0.</summary>
        public long Received { get; init; }
    }
}
