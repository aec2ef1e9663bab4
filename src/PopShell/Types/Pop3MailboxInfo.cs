using PopShell.Engine.Sessions;

namespace PopShell
{
    /// <summary>What <c>Get-Pop3Mailbox</c> reports: STAT, CAPA and the greeting.</summary>
    public sealed class Pop3MailboxInfo
    {
        // The engine's snapshot, shown through a type of this assembly: PowerShell 7 hides types that
        // come from another load context, as the engine's do.
        readonly MailboxInfo info;

        internal Pop3MailboxInfo(Pop3Session session, MailboxInfo info)
        {
            this.info = info;
            Session = session;
            Capabilities = info.Capabilities.ToArray();
        }

        /// <summary>Messages in the mailbox when the session started.</summary>
        public int MessageCount => info.MessageCount;

        /// <summary>Total size in octets.</summary>
        public long Size => info.Size;

        /// <summary>Messages marked for deletion in this session; Disconnect-Pop3 deletes them, -Discard keeps them.</summary>
        public int PendingDeletions => info.PendingDeletions;

        /// <summary>Capabilities as CAPA names them.</summary>
        public string[] Capabilities { get; }

        /// <summary>The server's greeting.</summary>
        public string Greeting => info.Greeting;

        /// <summary>Whether messages have stable UIDs (UIDL).</summary>
        public bool SupportsUidl => info.SupportsUidl;

        /// <summary>Whether headers can be read alone (TOP).</summary>
        public bool SupportsTop => info.SupportsTop;

        /// <summary>Whether commands can be pipelined.</summary>
        public bool SupportsPipelining => info.SupportsPipelining;

        /// <summary>Days the server keeps mail (EXPIRE). 0: retrieved messages are deleted when the session ends.</summary>
        public int? ExpireDays => info.ExpireDays;

        /// <summary>Minimum seconds between logins (LOGIN-DELAY).</summary>
        public int? LoginDelaySeconds => info.LoginDelaySeconds;

        /// <summary>The server software, if it says.</summary>
        public string? Implementation => info.Implementation;

        /// <summary>The session asked.</summary>
        public Pop3Session Session { get; }
    }
}
