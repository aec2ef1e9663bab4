using System.Collections.Generic;

namespace PopShell.Engine.Sessions
{
    /// <summary>What the server said about the mailbox at login (STAT) and about itself (CAPA).</summary>
    public sealed class MailboxInfo
    {
        /// <summary>Messages in the mailbox when the session started.</summary>
        public int MessageCount { get; init; }

        /// <summary>Total size in octets, as STAT reported it.</summary>
        public long Size { get; init; }

        /// <summary>Messages marked for deletion in this session, deleted at QUIT.</summary>
        public int PendingDeletions { get; init; }

        /// <summary>Capabilities as CAPA names them, e.g. <c>TOP</c>, <c>SASL PLAIN LOGIN</c>, <c>EXPIRE 0</c>.</summary>
        public IReadOnlyList<string> Capabilities { get; init; } = new string[0];

        /// <summary>The server's greeting line, escaped for display.</summary>
        public string Greeting { get; init; } = string.Empty;

        /// <summary>Whether the server has UIDL, so messages can be named across sessions.</summary>
        public bool SupportsUidl { get; init; }

        /// <summary>Whether the server has TOP, so headers can be read without the whole message.</summary>
        public bool SupportsTop { get; init; }

        /// <summary>Whether the server accepts pipelined commands.</summary>
        public bool SupportsPipelining { get; init; }

        /// <summary>Days the server keeps messages (EXPIRE); 0 means retrieved messages are deleted at QUIT; null when not advertised or NEVER.</summary>
        public int? ExpireDays { get; init; }

        /// <summary>Minimum seconds between logins (LOGIN-DELAY), or null when not advertised.</summary>
        public int? LoginDelaySeconds { get; init; }

        /// <summary>The server's IMPLEMENTATION string, or null.</summary>
        public string? Implementation { get; init; }
    }
}
