using System;
using System.IO;
using System.Text;
using MailKit;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// Watches the protocol exchange as the wire reads and writes it, to keep the server greeting and
    /// the first line the server sent after the client's last command: the reason for a failed login
    /// or a lost session, and the reply to QUIT. Optionally forwards everything to a file logger (MailKit's
    /// ProtocolLogger); the wire hands it commands with their secrets already replaced.
    /// </summary>
    internal sealed class ServerReplyObserver : IProtocolLogger
    {
        // Enough for any status line (RFC 1939 allows 512 octets); message data beyond it is ignored.
        const int MaxCaptured = 8192;

        static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

        readonly MemoryStream captured = new MemoryStream();
        readonly IProtocolLogger? inner;
        readonly byte[]? secret;
        bool sawClientCommand;
        string? lastError;

        /// <param name="inner">The protocol log file's logger, or null.</param>
        /// <param name="secret">The password or token, so a server that echoes it does not get it into the log.</param>
        public ServerReplyObserver(IProtocolLogger? inner, string? secret = null)
        {
            this.inner = inner;
            if (inner != null && !string.IsNullOrEmpty(secret))
                this.secret = Encoding.UTF8.GetBytes(secret);
        }

        /// <summary>The server's first line, or <see langword="null"/> before it arrived.</summary>
        public string? Greeting { get; private set; }

        /// <summary>The first line the server sent after the client's last command.</summary>
        public string? LastReply => FirstLine();

        /// <summary>Whether the first line after the client's last command has ended, so <see cref="LastReply"/> is all of it.</summary>
        public bool LastReplyEnded => HasCompleteLine();

        /// <summary>
        /// The most recent -ERR status line. Dovecot, for one, accepts the login and only then
        /// reports <c>-ERR [IN-USE]</c> and hangs up, so the reason comes before the failure the client sees.
        /// </summary>
        public string? LastErrorReply => IsError(FirstLine()) ? FirstLine() : lastError;

        public IAuthenticationSecretDetector? AuthenticationSecretDetector
        {
            get => inner?.AuthenticationSecretDetector;
            set
            {
                if (inner != null)
                    inner.AuthenticationSecretDetector = value;
            }
        }

        public void LogConnect(Uri uri) => inner?.LogConnect(uri);

        public void LogClient(byte[] buffer, int offset, int count)
        {
            if (!sawClientCommand)
                Greeting ??= FirstLine();
            sawClientCommand = true;
            string? previous = FirstLine();
            if (IsError(previous))
                lastError = previous;
            captured.SetLength(0);
            inner?.LogClient(buffer, offset, count);
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
            int room = MaxCaptured - (int)captured.Length;
            if (room > 0)
                captured.Write(buffer, offset, Math.Min(room, count));
            if (!sawClientCommand && Greeting == null && HasCompleteLine())
                Greeting = FirstLine();
            if (inner == null)
                return;
            if (secret != null && IndexOf(buffer, offset, count, secret) >= 0)
            {
                // The wire redacts what the client sends, not what the server echoes back.
                var copy = new byte[count];
                Buffer.BlockCopy(buffer, offset, copy, 0, count);
                for (int at = IndexOf(copy, 0, count, secret); at >= 0; at = IndexOf(copy, at + 1, count - at - 1, secret))
                {
                    for (int i = 0; i < secret.Length; i++)
                        copy[at + i] = (byte)'*';
                }
                inner.LogServer(copy, 0, count);
                return;
            }
            inner.LogServer(buffer, offset, count);
        }

        public void Dispose() => inner?.Dispose();

        static int IndexOf(byte[] haystack, int offset, int count, byte[] needle)
        {
            for (int i = offset; i <= offset + count - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                    j++;
                if (j == needle.Length)
                    return i;
            }
            return -1;
        }

        static bool IsError(string? line) => line != null && line.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase);

        bool HasCompleteLine() => Array.IndexOf(captured.GetBuffer(), (byte)'\n', 0, (int)captured.Length) >= 0;

        string? FirstLine()
        {
            if (captured.Length == 0)
                return null;
            var bytes = captured.GetBuffer();
            int end = Array.IndexOf(bytes, (byte)'\n', 0, (int)captured.Length);
            int length = end < 0 ? (int)captured.Length : end;
            if (length > 0 && bytes[length - 1] == '\r')
                length--;
            // UTF-8 when it is valid UTF-8; otherwise Latin-1, which maps every byte to one character.
            try
            {
                return StrictUtf8.GetString(bytes, 0, length);
            }
            catch (DecoderFallbackException)
            {
                return Encoding.GetEncoding(28591).GetString(bytes, 0, length);
            }
        }
    }
}
