using System;
using System.IO;
using System.Text;
using MailKit;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// Watches the protocol exchange to keep what MailKit's API hides: the server greeting, and the
    /// first line the server sent after the client's last command (MailKit throws a bare
    /// <c>AuthenticationException</c> on a failed login, and swallows the reply to QUIT).
    /// Optionally forwards everything to a file logger, whose secret detector redacts credentials.
    /// </summary>
    internal sealed class ServerReplyObserver : IProtocolLogger
    {
        // Enough for any status line (RFC 1939 allows 512 octets); message data beyond it is ignored.
        const int MaxCaptured = 8192;

        readonly MemoryStream captured = new MemoryStream();
        readonly IProtocolLogger? inner;
        bool sawClientCommand;
        string? lastError;

        public ServerReplyObserver(IProtocolLogger? inner)
        {
            this.inner = inner;
        }

        /// <summary>The server's first line, or <see langword="null"/> before it arrived.</summary>
        public string? Greeting { get; private set; }

        /// <summary>The first line the server sent after the client's last command.</summary>
        public string? LastReply => FirstLine();

        /// <summary>
        /// The most recent -ERR status line. Dovecot, for one, accepts the login and only then
        /// reports <c>-ERR [IN-USE]</c> and hangs up, so the reason comes before the failure MailKit sees.
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
            inner?.LogServer(buffer, offset, count);
        }

        public void Dispose() => inner?.Dispose();

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
            // Latin-1 maps every byte to one character, so nothing is lost or rejected here.
            return Encoding.GetEncoding(28591).GetString(bytes, 0, length);
        }
    }
}
