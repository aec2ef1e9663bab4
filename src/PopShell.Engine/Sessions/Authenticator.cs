using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Threading;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailKit.Security;
using PopShell.Engine.Errors;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// Logs in with one mechanism, chosen up front: the one the user forces, or the strongest the
    /// server offers. One attempt, never a fallback to another mechanism (each attempt counts towards
    /// account lockout), with the server's reason kept. MailKit's SASL mechanisms compute the
    /// responses; secrets never reach the protocol log.
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
        /// <exception cref="AuthenticationException">The server refused the login; its reply is in the protocol observer.</exception>
        public static string Authenticate(Pop3Wire wire, ServerCapabilities capabilities, ConnectionOptions options, CancellationToken cancellationToken)
        {
            var offered = new HashSet<string>(capabilities.SaslMechanisms, StringComparer.OrdinalIgnoreCase);
            if (capabilities.ApopTimestamp != null)
                offered.Add(Apop);
            bool token = options.AccessToken != null;
            string mechanism = Choose(options.AuthenticationMechanism, offered, token);

            var credential = token
                ? new NetworkCredential(options.UserName, options.AccessToken)
                : options.Credential!;

            switch (mechanism)
            {
                case UserPass:
                    Expect(wire, $"USER {credential.UserName}", null);
                    Expect(wire, $"PASS {credential.Password}", "PASS ********");
                    break;
                case Apop:
                    // Never chosen unasked: a man in the middle can add a timestamp to the greeting to get
                    // the MD5-based exchange. Refused, it is not followed by any other attempt.
                    if (capabilities.ApopTimestamp is not { } timestamp)
                        throw new PopShellException(PopShellErrorKind.AuthenticationFailed, "-AuthenticationMechanism APOP was asked for, but the server's greeting has no APOP timestamp.");
                    Expect(wire, $"APOP {credential.UserName} {ApopDigest(timestamp, credential.Password)}", $"APOP {credential.UserName} ********");
                    break;
                case "XOAUTH2":
                    Sasl(wire, new SaslMechanismOAuth2(credential), options, cancellationToken);
                    break;
                case "OAUTHBEARER":
                    Sasl(wire, new SaslMechanismOAuthBearer(credential), options, cancellationToken);
                    break;
                default:
                    var sasl = (SaslMechanism?)CramShaMechanism.ForName(mechanism, credential) ?? SaslMechanism.Create(mechanism, credential)
                        ?? throw new PopShellException(PopShellErrorKind.AuthenticationFailed, $"MailKit has no implementation of the {mechanism} mechanism.");
                    Sasl(wire, sasl, options, cancellationToken);
                    break;
            }
            return mechanism;
        }

        // One command of the login: anything but +OK is a refusal, whose reason the observer keeps.
        static void Expect(Pop3Wire wire, string command, string? logAs)
        {
            wire.Send(command, logAs);
            if (!wire.ReadReply().IsOk)
                throw new AuthenticationException();
        }

        // RFC 5034: AUTH, then the mechanism answers each "+ " challenge until +OK or -ERR. MailKit's
        // mechanisms do the cryptography; the exchange is ours, so a refusal is one attempt, not a fallback.
        static void Sasl(Pop3Wire wire, SaslMechanism mechanism, ConnectionOptions options, CancellationToken cancellationToken)
        {
            Configure(mechanism, "Uri", new Uri($"pop://{options.Server}:{options.EffectivePort}"));
            Configure(mechanism, "ChannelBindingContext", wire.Tls);
            wire.Send($"AUTH {mechanism.MechanismName}");
            while (true)
            {
                var reply = wire.ReadReply(continuation: true);
                if (reply.Status == Pop3Status.Ok)
                    return;
                if (reply.Status == Pop3Status.Error)
                    throw new AuthenticationException();
                string response;
                try
                {
                    response = mechanism.Challenge(reply.Text, cancellationToken);
                }
                catch (SaslException ex)
                {
                    // Cancel the exchange (RFC 5034 4.) and read the refusal, so the session stays in step.
                    wire.Send("*");
                    wire.ReadReply();
                    throw new AuthenticationException(ex.Message, ex);
                }
                wire.Send(response, "********");
            }
        }

        // What MailKit's own clients give a mechanism through setters internal to MailKit: the server's
        // URI (OAUTHBEARER names the server it logs in to, RFC 7628), and the TLS stream that answers
        // SCRAM-*-PLUS's channel-binding question (Pop3Wire makes it MailKit's SslStream for that).
        // Set only when the value fits, so a MailKit without them leaves the mechanism as it is.
        static void Configure(SaslMechanism mechanism, string property, object? value)
        {
            var setter = typeof(SaslMechanism).GetProperty(property, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (value != null && setter != null && setter.PropertyType.IsInstanceOfType(value))
                setter.GetSetMethod(nonPublic: true)?.Invoke(mechanism, new[] { value });
        }

        static string ApopDigest(string timestamp, string password)
        {
            using var md5 = MD5.Create();
            var hash = md5.ComputeHash(Encoding.UTF8.GetBytes(timestamp + password));
            var hex = new StringBuilder(hash.Length * 2);
            foreach (byte b in hash)
                hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return hex.ToString();
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
}
