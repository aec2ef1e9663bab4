using System.Net;
using System.Security;
using PopShell.Engine.Sessions;

namespace PopShell.Commands
{
    /// <summary>Connect-Pop3: its help is written once, in help/en-US/Connect-Pop3.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommunications.Connect, "Pop3", DefaultParameterSetName = CredentialSet, HelpUri = HelpLinks.Base + "Connect-Pop3.md")]
    [OutputType(typeof(Pop3Session))]
    public sealed class ConnectPop3Command : Pop3Cmdlet, IConnectionParameters
    {
        const string CredentialSet = "Credential";
        const string TokenSet = "AccessToken";

        /// <summary>Host name or address of the POP3 server.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>TCP port; default 995 for -Security Tls, 110 otherwise.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>User name and password. Without it (and without -AccessToken), PowerShell asks for it, or reports it missing when nobody can answer.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>OAuth2 access token (XOAUTH2 or OAUTHBEARER), as Microsoft 365 and Gmail require.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet, ValueFromPipelineByPropertyName = true)]
        public SecureString? AccessToken { get; set; }

        /// <summary>The mailbox user for -AccessToken (usually the e-mail address).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? UserName { get; set; }

        /// <summary>Forces one login mechanism; default: the strongest the server offers (USER/PASS only when no SASL mechanism fits).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-SHA256", "CRAM-SHA1", "CRAM-MD5", "PLAIN", "LOGIN",
            "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS", "OAUTHBEARER", "XOAUTH2", "USER", "APOP", IgnoreCase = true)]
        public string? AuthenticationMechanism { get; set; }

        /// <summary>Auto (default): implicit TLS on 995, required STLS elsewhere; Tls; StartTls; None.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public Pop3SecurityMode Security { get; set; } = Pop3SecurityMode.Auto;

        /// <summary>Accepts the server certificate without validating it. Prefer -CertificateThumbprint.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>SHA-256 (or SHA-1) thumbprints of certificates to accept, even self-signed; any other certificate is refused.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? CertificateThumbprint { get; set; }

        /// <summary>Allows a password to be sent over a connection without TLS (-Security None).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <summary>Seconds to wait for the connection and for each server response.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 60;

        /// <summary>File to append the protocol exchange to, with credentials redacted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? ProtocolLogPath { get; set; }

        /// <summary>Every input (a server name, or an object with these properties) is a session of its own.</summary>
        protected override bool EachInputIsASession => true;

        /// <summary>Connects, logs in, and writes the session; a failure is an error for this input only.</summary>
        protected override void ProcessRecord()
        {
            var options = this.ToOptions(GetUnresolvedProviderPathFromPSPath);

            if (SkipCertificateCheck && CertificateThumbprint == null)
                WriteWarning($"-SkipCertificateCheck: the certificate of {Server} will not be validated, so the connection is open to interception. Prefer -CertificateThumbprint.");

            string endpoint = $"{Server}:{options.EffectivePort}";
            WriteVerbose($"Connecting to {endpoint} ({options.EffectiveSecurity}).");
            Pop3Session session;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                session = SessionOpener.Open(options, RunspaceSessions.Current, makeDefault: true, CancellationToken);
            }
            catch (PopShellException ex)
            {
                // Commands meant for this server must not run against the session that was current before.
                if (RunspaceSessions.Current.Default is { } previous)
                {
                    RunspaceSessions.Current.ClearDefault();
                    WriteVerbose($"Session {previous.Id} ({previous}) is no longer the current session; Set-Pop3Session makes it current again.");
                }
                Report(ex, null, endpoint);
                return;
            }

            var connection = session.Connection;
            string login = connection.AuthenticationMechanism == null ? "without logging in" : $"as '{session.UserName}' ({connection.AuthenticationMechanism})";
            WriteVerbose(connection.IsEncrypted
                ? $"Connected to {endpoint} over {connection.TlsProtocol} ({connection.TlsCipher}) {login} in {clock.Elapsed.TotalSeconds:0.00} s."
                : $"Connected to {endpoint} without encryption {login} in {clock.Elapsed.TotalSeconds:0.00} s.");
            if (connection.Utf8Enabled)
                WriteVerbose("The server accepted UTF8 (RFC 6856): messages with UTF-8 headers come as they are, not replaced by the server.");
            WriteObject(session);
        }
    }
}
