using PopShell.Engine.Sessions;

namespace PopShell
{
    /// <summary>
    /// An open POP3 session, as <c>Connect-Pop3</c> returns it. Message objects remember the session
    /// they came from, so commands on them always go to the right connection.
    /// </summary>
    public sealed class Pop3Session
    {
        internal Pop3Session(int id, Pop3Connection connection, Pop3SecurityMode security)
        {
            Id = id;
            Connection = connection;
            Security = security;
            ConnectedAt = DateTimeOffset.Now;
        }

        /// <summary>Number of the session within this runspace.</summary>
        public int Id { get; }

        /// <summary>Host name or address of the server.</summary>
        public string Server => Connection.Server;

        /// <summary>TCP port.</summary>
        public int Port => Connection.Port;

        /// <summary>The user logged in as.</summary>
        public string? UserName => Connection.UserName;

        /// <summary>How the session logged in: SCRAM-SHA-256, PLAIN, XOAUTH2, USER…; empty when it did not.</summary>
        public string? AuthenticationMechanism => Connection.AuthenticationMechanism;

        /// <summary>The security mode in effect (Auto resolved to Tls or StartTls).</summary>
        public Pop3SecurityMode Security { get; }

        /// <summary>Whether the session is still open.</summary>
        public bool IsConnected => Connection.IsConnected;

        /// <summary>Whether the connection is encrypted.</summary>
        public bool IsEncrypted => Connection.IsEncrypted;

        /// <summary>The negotiated TLS version, or empty without TLS.</summary>
        public string? TlsProtocol => Connection.TlsProtocol;

        /// <summary>The negotiated cipher, or empty without TLS.</summary>
        public string? TlsCipher => Connection.TlsCipher;

        /// <summary>Messages marked for deletion in this session, deleted at Disconnect-Pop3.</summary>
        public int PendingDeletions => Connection.PendingDeletions;

        /// <summary>When the session was opened.</summary>
        public DateTimeOffset ConnectedAt { get; }

        internal Pop3Connection Connection { get; }

        /// <summary>"user@server:port".</summary>
        public override string ToString() => $"{UserName}@{Server}:{Port}";
    }
}
