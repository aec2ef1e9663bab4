using System;
using System.Collections.Generic;
using System.Net;

namespace PopShell.Engine.Sessions
{
    /// <summary>Everything needed to open and authenticate one POP3 session.</summary>
    public sealed class ConnectionOptions
    {
        /// <summary>The standard POP3 port.</summary>
        public const int PlainPort = 110;

        /// <summary>The standard POP3-over-TLS port.</summary>
        public const int TlsPort = 995;

        /// <summary>Host name or address of the server.</summary>
        public string Server { get; set; } = string.Empty;

        /// <summary>TCP port, or 0 for the default of the security mode.</summary>
        public int Port { get; set; }

        /// <summary>How the connection is protected.</summary>
        public TransportSecurity Security { get; set; } = TransportSecurity.Auto;

        /// <summary>User name and password, or <see langword="null"/> to connect without logging in.</summary>
        public NetworkCredential? Credential { get; set; }

        /// <summary>OAuth2 access token (used instead of <see cref="Credential"/>), or <see langword="null"/>.</summary>
        public string? AccessToken { get; set; }

        /// <summary>User name for <see cref="AccessToken"/>.</summary>
        public string? UserName { get; set; }

        /// <summary>Mechanism to use (e.g. PLAIN, CRAM-MD5, XOAUTH2, USER), or null for the strongest the server offers.</summary>
        public string? AuthenticationMechanism { get; set; }

        /// <summary>The user logging in, from the credential or <see cref="UserName"/>.</summary>
        public string? EffectiveUserName => Credential?.UserName ?? UserName;

        /// <summary>The password or token, so error messages can be scrubbed of it.</summary>
        internal string? Secret => AccessToken ?? Credential?.Password;

        /// <summary>Accept the server's certificate whatever its errors.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>SHA-256 or SHA-1 thumbprints (hex, any case, colons or spaces allowed) of certificates to accept.</summary>
        public IReadOnlyList<string> CertificateThumbprints { get; set; } = Array.Empty<string>();

        /// <summary>Allow a password to be sent over a connection without TLS.</summary>
        public bool AllowUnencryptedAuthentication { get; set; }

        /// <summary>Limit for connecting and for each read or write.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>File to append the protocol exchange to (secrets redacted), or <see langword="null"/>.</summary>
        public string? ProtocolLogPath { get; set; }

        /// <summary>A copy that logs in with <paramref name="accessToken"/>: one per connection, so a shared account's settings never change.</summary>
        internal ConnectionOptions WithAccessToken(string accessToken)
        {
            var copy = (ConnectionOptions)MemberwiseClone();
            copy.AccessToken = accessToken;
            copy.Credential = null;
            return copy;
        }

        /// <summary>The port to connect to: the one given, or the standard one for the security mode.</summary>
        public int EffectivePort => Port != 0 ? Port : Security == TransportSecurity.Tls ? TlsPort : PlainPort;

        /// <summary>The security actually used: <see cref="TransportSecurity.Auto"/> resolved by port.</summary>
        public TransportSecurity EffectiveSecurity =>
            Security != TransportSecurity.Auto ? Security
            : EffectivePort == TlsPort ? TransportSecurity.Tls
            : TransportSecurity.StartTls;
    }
}
