using System;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using MailKit.Security;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// CRAM-SHA1 and CRAM-SHA256: CRAM-MD5 (RFC 2195) with HMAC-SHA-1 or HMAC-SHA-256 in place of
    /// HMAC-MD5, as Courier offers them. MailKit implements only the MD5 form; the exchange is one
    /// challenge answered with "user hex(HMAC(password, challenge))", so the password never crosses
    /// the wire.
    /// </summary>
    internal sealed class CramShaMechanism : SaslMechanism
    {
        readonly string name;
        readonly Func<byte[], HMAC> hmac;

        CramShaMechanism(string name, Func<byte[], HMAC> hmac, NetworkCredential credential)
            : base(credential)
        {
            this.name = name;
            this.hmac = hmac;
        }

        /// <summary>The mechanism for <paramref name="name"/>, or null when it is not a CRAM-SHA one.</summary>
        public static CramShaMechanism? ForName(string name, NetworkCredential credential) => name.ToUpperInvariant() switch
        {
            "CRAM-SHA256" => new CramShaMechanism("CRAM-SHA256", key => new HMACSHA256(key), credential),
            "CRAM-SHA1" => new CramShaMechanism("CRAM-SHA1", key => new HMACSHA1(key), credential),
            _ => null,
        };

        /// <inheritdoc/>
        public override string MechanismName => name;

        /// <inheritdoc/>
        protected override byte[] Challenge(byte[]? token, int startIndex, int length, CancellationToken cancellationToken)
        {
            if (token == null)
                throw new NotSupportedException($"{name} needs the server's challenge; it has no initial response.");
            if (IsAuthenticated)
                return Array.Empty<byte>();

            using var mac = hmac(Encoding.UTF8.GetBytes(Credentials.Password));
            byte[] digest = mac.ComputeHash(token, startIndex, length);
            var response = new StringBuilder(Credentials.UserName.Length + 1 + digest.Length * 2);
            response.Append(Credentials.UserName).Append(' ');
            foreach (byte b in digest)
                response.Append(b.ToString("x2"));
            IsAuthenticated = true;
            return Encoding.UTF8.GetBytes(response.ToString());
        }
    }
}
