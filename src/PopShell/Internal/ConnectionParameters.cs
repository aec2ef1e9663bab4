using System.Net;
using System.Security;
using PopShell.Engine.Sessions;

namespace PopShell.Internal
{
    /// <summary>
    /// The connection settings that Connect-Pop3 and Export-Pop3Mailbox both take (each with the
    /// parameter attributes of its own), turned into the engine's options in one place.
    /// </summary>
    internal interface IConnectionParameters
    {
        string Server { get; }
        int Port { get; }
        Pop3SecurityMode Security { get; }
        PSCredential? Credential { get; }
        SecureString? AccessToken { get; }
        string? UserName { get; }
        string? AuthenticationMechanism { get; }
        SwitchParameter SkipCertificateCheck { get; }
        string[]? CertificateThumbprint { get; }
        SwitchParameter AllowUnencryptedAuthentication { get; }
        int TimeoutSeconds { get; }
        string? ProtocolLogPath { get; }
    }

    /// <summary>Builds <see cref="ConnectionOptions"/> from a cmdlet's connection parameters.</summary>
    internal static class ConnectionParameters
    {
        /// <summary>The engine's options; <paramref name="resolvePath"/> turns a PowerShell path into a file system path.</summary>
        public static ConnectionOptions ToOptions(this IConnectionParameters p, Func<string, string> resolvePath) => new ConnectionOptions
        {
            Server = p.Server,
            Port = p.Port,
            Security = (TransportSecurity)p.Security,
            Credential = p.Credential?.GetNetworkCredential(),
            AccessToken = p.AccessToken == null ? null : new NetworkCredential(string.Empty, p.AccessToken).Password,
            UserName = p.UserName ?? p.Credential?.UserName,
            AuthenticationMechanism = p.AuthenticationMechanism,
            SkipCertificateCheck = p.SkipCertificateCheck,
            CertificateThumbprints = p.CertificateThumbprint ?? Array.Empty<string>(),
            AllowUnencryptedAuthentication = p.AllowUnencryptedAuthentication,
            Timeout = TimeSpan.FromSeconds(p.TimeoutSeconds),
            ProtocolLogPath = p.ProtocolLogPath == null ? null : resolvePath(p.ProtocolLogPath),
        };
    }
}
