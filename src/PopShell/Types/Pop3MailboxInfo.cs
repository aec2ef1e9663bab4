using PopShell.Engine.Sessions;

namespace PopShell
{
    /// <summary>What <c>Get-Pop3Mailbox</c> reports: STAT, CAPA and the greeting.</summary>
    public sealed class Pop3MailboxInfo
    {
        internal Pop3MailboxInfo(Pop3Session session, MailboxInfo info)
        {
            Session = session;
            MessageCount = info.MessageCount;
            Size = info.Size;
            PendingDeletions = info.PendingDeletions;
            Capabilities = new string[info.Capabilities.Count];
            for (int i = 0; i < Capabilities.Length; i++)
                Capabilities[i] = info.Capabilities[i];
            Greeting = info.Greeting;
            SupportsUidl = info.SupportsUidl;
            SupportsTop = info.SupportsTop;
            SupportsPipelining = info.SupportsPipelining;
            ExpireDays = info.ExpireDays;
            LoginDelaySeconds = info.LoginDelaySeconds;
            Implementation = info.Implementation;
        }

        /// <summary>Messages in the mailbox when the session started.</summary>
        public int MessageCount { get; }

        /// <summary>Total size in octets.</summary>
        public long Size { get; }

        /// <summary>Messages marked for deletion in this session; Disconnect-Pop3 deletes them, -Discard keeps them.</summary>
        public int PendingDeletions { get; }

        /// <summary>Capabilities as CAPA names them.</summary>
        public string[] Capabilities { get; }

        /// <summary>The server's greeting.</summary>
        public string Greeting { get; }

        /// <summary>Whether messages have stable UIDs (UIDL).</summary>
        public bool SupportsUidl { get; }

        /// <summary>Whether headers can be read alone (TOP).</summary>
        public bool SupportsTop { get; }

        /// <summary>Whether commands can be pipelined.</summary>
        public bool SupportsPipelining { get; }

        /// <summary>Days the server keeps mail (EXPIRE). 0: retrieved messages are deleted when the session ends.</summary>
        public int? ExpireDays { get; }

        /// <summary>Minimum seconds between logins (LOGIN-DELAY).</summary>
        public int? LoginDelaySeconds { get; }

        /// <summary>The server software, if it says.</summary>
        public string? Implementation { get; }

        /// <summary>The session asked.</summary>
        public Pop3Session Session { get; }
    }
}
