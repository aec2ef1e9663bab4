namespace PopShell.Engine.Accounts
{
    /// <summary>
    /// Hears what the accounts of a run are doing. Called on the accounts' own threads, several at
    /// once: an implementation hands the news to whoever may show it (in PowerShell, the pipeline
    /// thread) and returns at once.
    /// </summary>
    public interface IAccountExportObserver
    {
        /// <summary>The account is logged in and will fetch up to <paramref name="bytes"/> bytes (by LIST) in <paramref name="messages"/> messages.</summary>
        void Started(MailboxAccount account, int messages, long bytes);

        /// <summary>So much of those bytes is done (saved, skipped or failed).</summary>
        void Advanced(MailboxAccount account, long bytesDone);

        /// <summary>Something the user should know about, not a failure of the account (a message too large, a refused DELE).</summary>
        void Warning(MailboxAccount account, string text);

        /// <summary>What is happening, for -Verbose.</summary>
        void Verbose(MailboxAccount account, string text);

        /// <summary>The account is done, one way or the other.</summary>
        void Finished(AccountExportResult result);
    }
}
