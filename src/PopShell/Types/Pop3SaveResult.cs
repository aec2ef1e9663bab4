namespace PopShell
{
    /// <summary>What <c>Save-Pop3Message</c> did with one message.</summary>
    public sealed class Pop3SaveResult
    {
        internal Pop3SaveResult(Pop3Session session, string? uid, int index, string? path, long size, string? sha256, bool deleted, bool skipped)
        {
            Session = session;
            Uid = uid;
            Index = index;
            Path = path;
            Size = size;
            Sha256 = sha256;
            Deleted = deleted;
            Skipped = skipped;
        }

        /// <summary>The message's UID.</summary>
        public string? Uid { get; }

        /// <summary>The message's index in the session it was saved from.</summary>
        public int Index { get; }

        /// <summary>Where the message is on disk (for a skipped message, where an earlier run saved it).</summary>
        public string? Path { get; }

        /// <summary>Bytes received from the server.</summary>
        public long Size { get; }

        /// <summary>SHA-256 of the message exactly as the server sent it (upper-case hex); for .eml, the file's hash.</summary>
        public string? Sha256 { get; }

        /// <summary>Marked for deletion on the server; the deletion is committed by Disconnect-Pop3.</summary>
        public bool Deleted { get; }

        /// <summary>Saved by an earlier run (-NewOnly). Not retrieved again, except with -Delete: then it is retrieved and deleted only if its bytes still hash to the saved copy's.</summary>
        public bool Skipped { get; }

        /// <summary>
        /// The session the message was saved from; piped to Remove-Pop3Message (with Uid) it says where to
        /// delete. In a CSV file it is written as "user@server:port", which -Session accepts back.
        /// </summary>
        public Pop3Session Session { get; }

        /// <summary>The path.</summary>
        public override string ToString() => Path ?? string.Empty;
    }
}
