using PopShell.Engine.Errors;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>What happened to one message of an export.</summary>
    public sealed class ExportOutcome
    {
        /// <summary>Which message.</summary>
        public MessageEntry Entry { get; init; } = new MessageEntry(0, null, 0);

        /// <summary>Where the message is on disk (for a skipped message: where it was saved before).</summary>
        public string? Path { get; init; }

        /// <summary>Bytes received from the server.</summary>
        public long Size { get; init; }

        /// <summary>SHA-256 of the message as the server sent it (dot-unstuffed), upper-case hex.</summary>
        public string? Sha256 { get; init; }

        /// <summary>Already saved by an earlier run (-NewOnly). Not retrieved again, except with -Delete: then it is retrieved and deleted only if its bytes still hash to the saved copy's.</summary>
        public bool Skipped { get; init; }

        /// <summary>Marked for deletion on the server (committed at QUIT).</summary>
        public bool Deleted { get; set; }

        /// <summary>Saved, but the server refused to mark it for deletion; null otherwise.</summary>
        public PopShellException? DeleteError { get; set; }

        /// <summary>Why the message was not saved, or null when it was.</summary>
        public PopShellException? Error { get; init; }
    }
}
