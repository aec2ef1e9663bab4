using System;
using System.Threading;
using PopShell.Engine.Export;
using PopShell.Engine.Sessions;

namespace PopShell.Engine.Accounts
{
    /// <summary>One mailbox of a scheduled export: where it is, how to log in, and where its mail goes.</summary>
    public sealed class MailboxAccount
    {
        /// <summary>Creates an account.</summary>
        /// <param name="connection">Server, port, security, credential or token, certificate checks.</param>
        /// <param name="path">The folder (or mbox file) its mail is saved to; a full path.</param>
        public MailboxAccount(ConnectionOptions connection, string path)
        {
            Connection = connection ?? throw new ArgumentNullException(nameof(connection));
            Path = string.IsNullOrWhiteSpace(path) ? throw new ArgumentException("An export path is required.", nameof(path)) : path;
        }

        /// <summary>How to connect and log in.</summary>
        public ConnectionOptions Connection { get; }

        /// <summary>
        /// Asked for an OAuth2 access token at every connection, so a run that outlasts a token's
        /// hour gets a fresh one; null to use <see cref="ConnectionOptions.Credential"/> or
        /// <see cref="ConnectionOptions.AccessToken"/> as given.
        /// </summary>
        public Func<CancellationToken, string>? AccessTokenProvider { get; set; }

        /// <summary>Where the mail goes.</summary>
        public string Path { get; }

        /// <summary>How messages are stored.</summary>
        public MessageFormat Format { get; set; } = MessageFormat.Eml;

        /// <summary>File name template for Eml, or null for the default.</summary>
        public string? FileNameTemplate { get; set; }

        /// <summary>Names the account in results, errors and progress: user@server:port (never a secret).</summary>
        public string Name => $"{Connection.EffectiveUserName}@{Connection.Server}:{Connection.EffectivePort}";

        /// <summary>The account's name.</summary>
        public override string ToString() => Name;
    }
}
