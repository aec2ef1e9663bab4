namespace PopShell.Internal
{
    /// <summary>The error for an -Index or -Uid that names no message of the session: one wording for every command.</summary>
    internal static class MissingMessage
    {
        /// <param name="missing">The index (as text) or UID asked for.</param>
        /// <param name="byIndex">Whether <paramref name="missing"/> is an index.</param>
        /// <param name="session">The session asked.</param>
        /// <param name="consequence">What was therefore not done, e.g. "nothing was saved for it".</param>
        public static PopShellException Error(string missing, bool byIndex, Pop3Session session, string? consequence = null)
        {
            string what = byIndex ? "index" : "UID";
            string tail = consequence == null ? "." : $"; {consequence}.";
            return new PopShellException(
                PopShellErrorKind.MessageNotFound,
                $"There is no message with {what} {missing} in the mailbox of {session} (or it is marked for deletion in this session){tail}",
                byIndex
                    ? "Message indexes go from 1 to the message count of this session (see Get-Pop3Mailbox)."
                    : "The message may have been deleted, or the UID belongs to another mailbox.")
            { Uid = byIndex ? null : missing };
        }
    }
}
