namespace PopShell
{
    /// <summary>What <c>Export-Pop3Mailbox</c> did with one account.</summary>
    public sealed class Pop3ExportResult
    {
        internal Pop3ExportResult(Engine.Accounts.AccountExportResult result)
        {
            var account = result.Account;
            Account = account.Name;
            Server = account.Connection.Server;
            Port = account.Connection.EffectivePort;
            UserName = account.Connection.EffectiveUserName;
            Path = account.Path;
            Status = result.Completed ? Pop3ExportStatus.Completed : Pop3ExportStatus.Failed;
            Saved = result.Saved;
            Skipped = result.Skipped;
            TooLarge = result.TooLarge;
            Failed = result.Failed;
            Deleted = result.Deleted;
            Kept = result.Kept;
            Bytes = result.Bytes;
            Duration = result.Duration;
            Error = result.Error?.Message;
        }

        /// <summary>The account: user@server:port.</summary>
        public string Account { get; }

        /// <summary>The server's host name or address.</summary>
        public string Server { get; }

        /// <summary>The TCP port connected to.</summary>
        public int Port { get; }

        /// <summary>The user logged in as.</summary>
        public string? UserName { get; }

        /// <summary>Where the account's mail was saved.</summary>
        public string Path { get; }

        /// <summary>Completed (all saved or accounted for, QUIT acknowledged) or Failed (see Error; nothing was deleted).</summary>
        public Pop3ExportStatus Status { get; }

        /// <summary>Messages saved by this run.</summary>
        public int Saved { get; }

        /// <summary>Messages not downloaded because an earlier run saved them.</summary>
        public int Skipped { get; }

        /// <summary>Messages not downloaded because they are larger than -MaxMessageSize.</summary>
        public int TooLarge { get; }

        /// <summary>Messages that could not be saved.</summary>
        public int Failed { get; }

        /// <summary>Messages the server confirmed deleting.</summary>
        public int Deleted { get; }

        /// <summary>Messages left on the server.</summary>
        public int Kept { get; }

        /// <summary>Bytes saved by this run.</summary>
        public long Bytes { get; }

        /// <summary>How long the account took.</summary>
        public TimeSpan Duration { get; }

        /// <summary>Why the account failed, or null. The same text as the error record's.</summary>
        public string? Error { get; }

        /// <summary>The account.</summary>
        public override string ToString() => Account;
    }
}
