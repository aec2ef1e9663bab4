using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// Decides whether to trust the server's certificate. Always installed as the connection's own
    /// callback, so a process-wide callback that accepts everything (common in Windows PowerShell
    /// scripts) can never switch validation off for PopShell. Remembers why it rejected a
    /// certificate, so the error can name the subject, issuer, thumbprint and reason.
    /// </summary>
    internal sealed class CertificatePolicy
    {
        readonly HashSet<string> pins;
        readonly bool skipCheck;

        public CertificatePolicy(IEnumerable<string> thumbprints, bool skipCheck)
        {
            pins = new HashSet<string>(thumbprints.Select(Normalize).Where(t => t.Length > 0), StringComparer.Ordinal);
            this.skipCheck = skipCheck;
        }

        /// <summary>Why the last certificate was rejected, or <see langword="null"/> if none was.</summary>
        public CertificateRejection? Rejection { get; private set; }

        /// <summary>The certificate the server presented, once the handshake has seen it.</summary>
        public X509Certificate2? ServerCertificate { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate == null)
            {
                Rejection = new CertificateRejection("(none)", "(none)", "(none)", "the server presented no certificate");
                return false;
            }

            var cert = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            ServerCertificate = cert;
            string sha256 = Sha256Thumbprint(cert);

            // A pin is the admin's explicit statement of which certificate is right: it wins over
            // the chain in both directions, accepting a self-signed one and refusing a CA-signed impostor.
            if (pins.Count > 0)
            {
                if (pins.Contains(sha256) || pins.Contains(cert.Thumbprint.ToUpperInvariant()))
                    return true;
                return Reject(cert, sha256, "its thumbprint matches none of the pinned -CertificateThumbprint values");
            }

            if (skipCheck || errors == SslPolicyErrors.None)
                return true;

            // Revocation is checked where it can be: a chain that is otherwise valid but whose revocation
            // status could not be fetched (offline, no CRL published) is accepted; a revoked one is not.
            if (errors == SslPolicyErrors.RemoteCertificateChainErrors && chain != null
                && OnlyRevocationUnknown(chain.ChainStatus.Select(s => s.Status)))
                return true;

            return Reject(cert, sha256, Describe(errors, chain));
        }

        bool Reject(X509Certificate2 cert, string sha256, string reason)
        {
            Rejection = new CertificateRejection(cert.Subject, cert.Issuer, sha256, reason);
            return false;
        }

        /// <summary>Whether the only chain problems are that revocation could not be checked.</summary>
        public static bool OnlyRevocationUnknown(IEnumerable<X509ChainStatusFlags> statuses)
        {
            const X509ChainStatusFlags unknown = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;
            bool any = false;
            foreach (var status in statuses)
            {
                if (status == X509ChainStatusFlags.NoError)
                    continue;
                if ((status & ~unknown) != 0)
                    return false;
                any = true;
            }
            return any;
        }

        static string Describe(SslPolicyErrors errors, X509Chain? chain)
        {
            var reasons = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                reasons.Add("the name does not match the server name");
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
                reasons.Add("no certificate was presented");
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                var statuses = chain?.ChainStatus
                    .Where(s => s.Status != X509ChainStatusFlags.NoError)
                    .Select(s => s.Status.ToString())
                    .Distinct()
                    .ToArray();
                reasons.Add(statuses is { Length: > 0 }
                    ? "the chain is not trusted (" + string.Join(", ", statuses) + ")"
                    : "the chain is not trusted");
            }
            return reasons.Count > 0 ? string.Join("; ", reasons) : errors.ToString();
        }

        /// <summary>The SHA-256 thumbprint as upper-case hex, the form <c>-CertificateThumbprint</c> takes.</summary>
        public static string Sha256Thumbprint(X509Certificate2 cert)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(cert.RawData)).Replace("-", string.Empty);
        }

        static string Normalize(string thumbprint) =>
            new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
    }

    /// <summary>Why a server certificate was refused, with what an admin needs to decide whether to pin it.</summary>
    internal sealed record CertificateRejection(string Subject, string Issuer, string Sha256Thumbprint, string Reason);
}
