using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using PopShell.Engine.Errors;
using PopShell.Engine.Sessions;
using PopShell.Internal;

namespace PopShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Opens a POP3 session and makes it the default for later commands.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Pop3", DefaultParameterSetName = CredentialSet)]
    [OutputType(typeof(Pop3Session))]
    public sealed class ConnectPop3Command : Pop3Cmdlet
    {
        const string CredentialSet = "Credential";
        const string TokenSet = "AccessToken";

        /// <summary>Host name or address of the POP3 server.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>TCP port; default 995 for -Security Tls, 110 otherwise.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>User name and password.</summary>
        [Parameter(ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>OAuth2 access token (XOAUTH2 or OAUTHBEARER), as Microsoft 365 and Gmail require.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
        public SecureString? AccessToken { get; set; }

        /// <summary>The mailbox user for -AccessToken (usually the e-mail address).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        /// <summary>Forces one login mechanism; default: the strongest the server offers (USER/PASS only when no SASL mechanism fits).</summary>
        [Parameter]
        [ValidateSet("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-SHA256", "CRAM-SHA1", "CRAM-MD5", "PLAIN", "LOGIN",
            "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "OAUTHBEARER", "XOAUTH2", "USER", "APOP", IgnoreCase = true)]
        public string? AuthenticationMechanism { get; set; }

        /// <summary>Auto (default): implicit TLS on 995, required STLS elsewhere; Tls; StartTls; None.</summary>
        [Parameter]
        public Pop3SecurityMode Security { get; set; } = Pop3SecurityMode.Auto;

        /// <summary>Accepts the server certificate without validating it. Prefer -CertificateThumbprint.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>SHA-256 (or SHA-1) thumbprints of certificates to accept, even self-signed; any other certificate is refused.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? CertificateThumbprint { get; set; }

        /// <summary>Allows a password to be sent over a connection without TLS (-Security None).</summary>
        [Parameter]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <summary>Seconds to wait for the connection and for each server response.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 60;

        /// <summary>File to append the protocol exchange to, with credentials redacted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProtocolLogPath { get; set; }

        /// <summary>Connects, logs in, and writes the session.</summary>
        protected override void ProcessRecord()
        {
            var options = new ConnectionOptions
            {
                Server = Server,
                Port = Port,
                Security = (TransportSecurity)Security,
                Credential = Credential?.GetNetworkCredential(),
                AccessToken = AccessToken == null ? null : new NetworkCredential(string.Empty, AccessToken).Password,
                UserName = UserName,
                AuthenticationMechanism = AuthenticationMechanism,
                SkipCertificateCheck = SkipCertificateCheck,
                CertificateThumbprints = CertificateThumbprint ?? Array.Empty<string>(),
                AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                ProtocolLogPath = ProtocolLogPath == null ? null : GetUnresolvedProviderPathFromPSPath(ProtocolLogPath),
            };

            if (SkipCertificateCheck && CertificateThumbprint == null)
                WriteWarning($"-SkipCertificateCheck: the certificate of {Server} will not be validated, so the connection is open to interception. Prefer -CertificateThumbprint.");

            WriteVerbose($"Connecting to {Server}:{options.EffectivePort} ({options.EffectiveSecurity}).");
            Pop3Connection connection;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                connection = Pop3Connection.Open(options, CancellationToken);
            }
            catch (PopShellException ex)
            {
                ThrowSessionError(ex, null);
                return;
            }

            var sessions = RunspaceSessions.Current;
            var session = new Pop3Session(sessions.NextId(), connection, (Pop3SecurityMode)connection.Security);
            sessions.Add(session);
            string login = connection.AuthenticationMechanism == null ? "without logging in" : $"as '{session.UserName}' ({connection.AuthenticationMechanism})";
            WriteVerbose(connection.IsEncrypted
                ? $"Connected to {Server}:{session.Port} over {connection.TlsProtocol} ({connection.TlsCipher}) {login} in {clock.Elapsed.TotalSeconds:0.00} s."
                : $"Connected to {Server}:{session.Port} without encryption {login} in {clock.Elapsed.TotalSeconds:0.00} s.");
            if (connection.Utf8Enabled)
                WriteVerbose("The server accepted UTF8 (RFC 6856): messages with UTF-8 headers come as they are, not replaced by the server.");
            WriteObject(session);
        }
    }
}
