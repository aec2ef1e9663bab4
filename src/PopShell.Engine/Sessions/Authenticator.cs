using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using MailKit.Net.Pop3;
using MailKit.Security;
using PopShell.Engine.Errors;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// Logs in with one mechanism, chosen up front: the one the user forces, or the strongest the
    /// server offers. MailKit's own <c>Authenticate</c> would try APOP, then every SASL mechanism in
    /// turn, then USER/PASS, each a login attempt that counts towards account lockout and each
    /// hiding the server's reason; here a failure is one attempt with its reason kept.
    /// </summary>
    internal static class Authenticator
    {
        /// <summary>Password mechanisms, strongest first: SCRAM proves the password without sending it
        /// and proves the server knows it too, the CRAM family keeps it off the wire, PLAIN and LOGIN
        /// rely on TLS alone.</summary>
        public static readonly IReadOnlyList<string> PasswordPreference = new[]
        {
            "SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-SHA256", "CRAM-SHA1", "CRAM-MD5", "PLAIN", "LOGIN",
        };

        /// <summary>
        /// SCRAM with channel binding (RFC 5802 -PLUS): ties the login to this TLS connection, so a man in
        /// the middle with a trusted certificate cannot relay it. Used only when forced: a server that
        /// advertises it but computes the binding differently would cost a failed login attempt.
        /// </summary>
        public static readonly IReadOnlyList<string> ChannelBound = new[] { "SCRAM-SHA-512-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS" };

        /// <summary>Token mechanisms, preferred first (OAUTHBEARER is the standard, XOAUTH2 what Microsoft and Google began with).</summary>
        public static readonly IReadOnlyList<string> TokenPreference = new[] { "OAUTHBEARER", "XOAUTH2" };

        /// <summary>The name for plain USER/PASS, when no SASL mechanism fits.</summary>
        public const string UserPass = "USER";

        /// <summary>APOP (RFC 1939): MD5 over the greeting's timestamp; weak, so only used when forced.</summary>
        public const string Apop = "APOP";

        /// <summary>Every name <c>-AuthenticationMechanism</c> accepts.</summary>
        public static IEnumerable<string> KnownMechanisms => PasswordPreference.Concat(ChannelBound).Concat(TokenPreference).Concat(new[] { UserPass, Apop });

        /// <summary>Picks the mechanism and logs in; returns the mechanism used.</summary>
        public static string Authenticate(Pop3Client client, ConnectionOptions options, CancellationToken cancellationToken)
        {
            var offered = new HashSet<string>(client.AuthenticationMechanisms, StringComparer.OrdinalIgnoreCase);
            if ((client.Capabilities & Pop3Capabilities.Apop) != 0)
                offered.Add(Apop);
            bool token = options.AccessToken != null;
            string mechanism = Choose(options.AuthenticationMechanism, offered, token);

            // MailKit picks APOP on its own whenever the greeting has a timestamp; a man in the middle can
            // add one to force the MD5-based exchange, so it stays off unless asked for.
            if (mechanism != Apop)
                client.Capabilities &= ~Pop3Capabilities.Apop;

            var credential = token
                ? new NetworkCredential(options.UserName, options.AccessToken)
                : options.Credential!;

            switch (mechanism)
            {
                case UserPass:
                    // With no SASL mechanism left (and APOP removed), MailKit's Authenticate sends USER/PASS only.
                    client.AuthenticationMechanisms.Clear();
                    client.Authenticate(credential, cancellationToken);
                    break;
                case Apop:
                    if (!offered.Contains(Apop))
                        throw new PopShellException(PopShellErrorKind.AuthenticationFailed, "-AuthenticationMechanism APOP was asked for, but the server's greeting has no APOP timestamp.");
                    // MailKit falls back from a refused APOP to USER/PASS; these credentials answer only
                    // for APOP, so the fallback fails before the password is sent in another form.
                    client.AuthenticationMechanisms.Clear();
                    client.Authenticate(new ApopOnlyCredentials(credential), cancellationToken);
                    break;
                case "XOAUTH2":
                    client.Authenticate(new SaslMechanismOAuth2(credential), cancellationToken);
                    break;
                case "OAUTHBEARER":
                    client.Authenticate(new SaslMechanismOAuthBearer(credential), cancellationToken);
                    break;
                default:
                    var sasl = (SaslMechanism?)CramShaMechanism.ForName(mechanism, credential) ?? SaslMechanism.Create(mechanism, credential)
                        ?? throw new PopShellException(PopShellErrorKind.AuthenticationFailed, $"MailKit has no implementation of the {mechanism} mechanism.");
                    client.Authenticate(sasl, cancellationToken);
                    break;
            }
            return mechanism;
        }

        /// <summary>The mechanism to use: the forced one, or the first of the preference list that the server offers.</summary>
        public static string Choose(string? forced, ISet<string> offered, bool token)
        {
            if (!string.IsNullOrEmpty(forced))
            {
                string name = forced!.ToUpperInvariant();
                if (!KnownMechanisms.Contains(name))
                    throw new PopShellException(PopShellErrorKind.AuthenticationFailed, $"PopShell does not know the authentication mechanism '{forced}'. Known: {string.Join(", ", KnownMechanisms)}.");
                if (token != TokenPreference.Contains(name))
                {
                    throw new PopShellException(
                        PopShellErrorKind.AuthenticationFailed,
                        token ? $"-AuthenticationMechanism {name} needs a password (-Credential), not -AccessToken." : $"-AuthenticationMechanism {name} needs -AccessToken, not a password.");
                }
                return name;
            }

            // APOP is never chosen on its own: it is MD5-based, and a man in the middle can offer it.
            var preference = token ? TokenPreference : PasswordPreference;
            string? best = preference.FirstOrDefault(offered.Contains);
            if (best != null)
                return best;
            if (token)
            {
                throw new PopShellException(
                    PopShellErrorKind.AuthenticationFailed,
                    $"The server offers no OAuth2 mechanism (it offers: {(offered.Count == 0 ? "none" : string.Join(" ", offered))}), so the access token cannot be used.",
                    "If the server accepts tokens without advertising them, force one with -AuthenticationMechanism XOAUTH2 or OAUTHBEARER.");
            }
            return UserPass;
        }
    }

    /// <summary>Credentials that answer only an APOP request, so no fallback can send the password otherwise.</summary>
    internal sealed class ApopOnlyCredentials : ICredentials
    {
        readonly NetworkCredential credential;

        public ApopOnlyCredentials(NetworkCredential credential)
        {
            this.credential = credential;
        }

        public NetworkCredential GetCredential(Uri uri, string authType)
        {
            if (string.Equals(authType, Authenticator.Apop, StringComparison.OrdinalIgnoreCase))
                return credential;
            throw new MailKit.Security.AuthenticationException("APOP was refused; PopShell does not fall back to another mechanism.");
        }
    }
}
