namespace PopShell
{
    /// <summary>How an account of <c>Export-Pop3Mailbox</c> ended.</summary>
    public enum Pop3ExportStatus
    {
        /// <summary>Every message was saved or accounted for, and the deletions were committed.</summary>
        Completed,
        /// <summary>The account failed; the session ended without QUIT, so nothing was deleted.</summary>
        Failed,
    }
}
