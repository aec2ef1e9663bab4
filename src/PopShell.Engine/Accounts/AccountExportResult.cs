using System;
using PopShell.Engine.Errors;

namespace PopShell.Engine.Accounts
{
    /// <summary>What a scheduled export did with one account.</summary>
    public sealed class AccountExportResult
    {
        /// <summary>Starts the result of <paramref name="account"/>.</summary>
        public AccountExportResult(MailboxAccount account) => Account = account;

        /// <summary>The account.</summary>
        public MailboxAccount Account { get; }

        /// <summary>Messages saved by this run.</summary>
        public int Saved { get; internal set; }

        /// <summary>Messages not downloaded because an earlier run saved them.</summary>
        public int Skipped { get; internal set; }

        /// <summary>Messages not downloaded because they are larger than the size limit.</summary>
        public int TooLarge { get; internal set; }

        /// <summary>Messages that could not be saved (see <see cref="Error"/>).</summary>
        public int Failed { get; internal set; }

        /// <summary>Messages the server confirmed deleting at QUIT.</summary>
        public int Deleted { get; internal set; }

        /// <summary>Messages left on the server when the account was done.</summary>
        public int Kept { get; internal set; }

        /// <summary>Bytes saved by this run.</summary>
        public long Bytes { get; internal set; }

        /// <summary>How long the account took.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Why the account failed, or null when it completed.</summary>
        public PopShellException? Error { get; internal set; }

        /// <summary>Whether the account completed: every message saved or accounted for, and QUIT acknowledged.</summary>
        public bool Completed => Error == null;
    }
}
