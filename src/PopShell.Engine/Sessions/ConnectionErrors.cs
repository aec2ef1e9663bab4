using System;
using System.IO;
using System.Net.Sockets;
using MailKit;
using MailKit.Security;
using PopShell.Engine.Errors;
using PopShell.Engine.Text;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The one place where the wire's, TLS's and the network's exceptions become <see cref="PopShellException"/>s
    /// with a clear sentence, a kind, and the server's own reason. Nothing here may put a secret
    /// into a message: server text is escaped and has the password removed.
    /// </summary>
    internal sealed class ConnectionErrors
    {
        readonly string endpoint;
        readonly string? userName;
        readonly string? secret;
        readonly ServerReplyObserver observer;
        readonly CertificatePolicy certificates;

        public ConnectionErrors(string server, int port, string? userName, string? secret, ServerReplyObserver observer, CertificatePolicy certificates)
        {
            endpoint = $"{server}:{port}";
            this.userName = userName;
            this.secret = string.IsNullOrEmpty(secret) ? null : secret;
            this.observer = observer;
            this.certificates = certificates;
        }

        /// <summary>The server's last status line, escaped, with any echo of the secret removed.</summary>
        public string? LastReply => Scrub(observer.LastReply);

        /// <summary>Translates a failure while connecting or logging in.</summary>
        public PopShellException WhileConnecting(Exception ex)
        {
            // A response code seen on the way (IN-USE, LOGIN-DELAY, SYS/*) explains whatever failure followed it.
            if (ex is not PopShellException && ex is not OperationCanceledException && Classify(observer.LastErrorReply, ex) is { } coded)
                return coded;

            switch (ex)
            {
                case PopShellException known:
                    return known;
                case OperationCanceledException:
                    return new PopShellException(PopShellErrorKind.Cancelled, $"Connecting to {endpoint} was cancelled.", null, ex);
                case SslHandshakeException when certificates.Rejection is CertificateRejection r:
                    return new PopShellException(
                        PopShellErrorKind.CertificateRejected,
                        $"The TLS certificate of {endpoint} was rejected: {r.Reason}. Subject: {r.Subject}; issuer: {r.Issuer}; SHA-256 thumbprint: {r.Sha256Thumbprint}.",
                        $"If you have checked that this is the server's real certificate, connect with -CertificateThumbprint {r.Sha256Thumbprint}.",
                        ex);
                case SslHandshakeException:
                    return new PopShellException(
                        PopShellErrorKind.TlsFailed,
                        $"The TLS handshake with {endpoint} failed: {DisplayText.Escape(Innermost(ex).Message)}",
                        "Check that the port speaks the chosen -Security mode (995 is usually implicit TLS, 110 plain with STLS), and that the server allows TLS 1.2 or 1.3.",
                        ex);
                case NotSupportedException when ex.Message.IndexOf("STLS", StringComparison.OrdinalIgnoreCase) >= 0:
                    return new PopShellException(
                        PopShellErrorKind.TlsFailed,
                        $"The server {endpoint} does not offer STLS, so the connection cannot be encrypted; PopShell does not log in without encryption.",
                        "Use -Security Tls on the server's TLS port (usually 995). Only on a network you trust: -Security None -AllowUnencryptedAuthentication.",
                        ex);
                case AuthenticationException:
                    return LoginRefused(ex);
                case Pop3ReplyException command:
                    return Classify(ErrorLine(command), ex) ?? new PopShellException(
                        PopShellErrorKind.CommandFailed, $"The server {endpoint} refused the connection: {ReplyOr(command.StatusText)}", null, ex);
                case Pop3FramingException when observer.Greeting is { } greeting && greeting.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase):
                    return new PopShellException(
                        PopShellErrorKind.CommandFailed,
                        $"The server {endpoint} refused the connection at once: {Scrub(greeting)}",
                        "The server is refusing this client or address; retrying in a loop will not help. Ask its administrator.",
                        ex) { ServerReply = Scrub(greeting) };
                case Pop3FramingException:
                    return new PopShellException(
                        PopShellErrorKind.ProtocolViolation,
                        $"The server {endpoint} did not answer like a POP3 server: {DisplayText.Escape(ex.Message)}{ReplySuffix()}",
                        "Check the port and the -Security mode: a TLS port answers a plain connection with binary data.",
                        ex);
                case TimeoutException:
                    return TimedOut("connecting", ex);
                case IOException when Innermost(ex) is SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return TimedOut("connecting", ex);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } socket:
                    return new PopShellException(
                        PopShellErrorKind.HostNotFound,
                        $"The server name in {endpoint} could not be resolved: {DisplayText.Escape(socket.Message)}",
                        "Check the spelling of the server name, and that this machine's DNS can resolve it.",
                        ex);
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused } socket:
                    return new PopShellException(
                        PopShellErrorKind.ConnectionRefused,
                        $"{endpoint} refused the connection: {DisplayText.Escape(socket.Message)}",
                        "Check the port (995 for implicit TLS, 110 for STLS) and that the POP3 service is running and not blocked by a firewall.",
                        ex);
                case SocketException socket:
                    return new PopShellException(
                        PopShellErrorKind.ConnectionFailed,
                        $"Could not connect to {endpoint}: {DisplayText.Escape(socket.Message)}",
                        "Check the server name, the port and that a firewall lets the connection through.",
                        ex);
                case IOException:
                    return new PopShellException(
                        PopShellErrorKind.ConnectionFailed,
                        $"The connection to {endpoint} failed while connecting: {DisplayText.Escape(Innermost(ex).Message)}",
                        "Check the port and the -Security mode.",
                        ex);
                default:
                    return WhileWorking(ex, "connecting");
            }
        }

        /// <summary>Translates a failure during the session; <paramref name="doing"/> names the operation ("listing messages").</summary>
        public PopShellException WhileWorking(Exception ex, string doing, string? uid = null)
        {
            switch (ex)
            {
                case PopShellException known:
                    return known;
                case OperationCanceledException:
                    return new PopShellException(PopShellErrorKind.Cancelled, $"{Capitalise(doing)} on {endpoint} was cancelled.", null, ex) { Uid = uid };
                case Pop3ReplyException command:
                    return Classify(ErrorLine(command), ex, uid) ?? new PopShellException(
                        PopShellErrorKind.CommandFailed,
                        $"The server {endpoint} refused a command while {doing}{UidSuffix(uid)}: {ReplyOr(command.StatusText)}",
                        null, ex) { Uid = uid, ServerReply = Scrub(command.StatusText) };
                case Pop3FramingException:
                    return new PopShellException(
                        PopShellErrorKind.ProtocolViolation,
                        $"The server {endpoint} sent an invalid response while {doing}{UidSuffix(uid)}: {DisplayText.Escape(ex.Message)}",
                        "The session has been closed without QUIT, so nothing was deleted. Connect again to retry.",
                        ex) { Uid = uid };
                case ServiceNotConnectedException:
                    return new PopShellException(
                        PopShellErrorKind.SessionClosed, $"The session with {endpoint} is closed.", "Connect again with Connect-Pop3.", ex);
                case TimeoutException:
                    return TimedOut(doing, ex);
                case IOException when Innermost(ex) is SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return TimedOut(doing, ex);
                case IOException:
                case SocketException:
                    return new PopShellException(
                        PopShellErrorKind.ConnectionLost,
                        $"The connection to {endpoint} was lost while {doing}{UidSuffix(uid)}: {DisplayText.Escape(Innermost(ex).Message)}",
                        "Nothing was deleted in this session, because deletions only happen at QUIT. Connect again to retry.",
                        ex) { Uid = uid };
                default:
                    return new PopShellException(
                        PopShellErrorKind.UnexpectedFailure,
                        $"Unexpected failure while {doing} on {endpoint}{UidSuffix(uid)}: {DisplayText.Escape(ex.Message)}",
                        null, ex) { Uid = uid };
            }
        }

        PopShellException LoginRefused(Exception ex)
        {
            string? reply = observer.LastErrorReply ?? observer.LastReply;
            return Classify(reply, ex) ?? new PopShellException(
                PopShellErrorKind.AuthenticationFailed,
                $"The server {endpoint} rejected the login for user '{DisplayText.Escape(userName)}'{ReplySuffix()}",
                "Check the user name and password (or token). Repeated failures can lock the account on some servers.",
                ex) { ServerReply = Scrub(reply) };
        }

        // The status text is the reply without its "-ERR ", where the response code parser looks.
        static string ErrorLine(Pop3ReplyException command) => "-ERR " + command.StatusText;

        // The RFC 2449/3206 response codes say whether the password, a lock or the server is at fault;
        // mid-session, the message they refer to is named too, so one failed message can be found.
        PopShellException? Classify(string? reply, Exception ex, string? uid = null)
        {
            string? scrubbed = Scrub(reply);
            switch (ServerResponseCode.Parse(reply))
            {
                case ServerResponseCode.InUse:
                    return new PopShellException(
                        PopShellErrorKind.MailboxInUse,
                        $"The mailbox of '{DisplayText.Escape(userName)}' on {endpoint} is in use by another session, or the server has too many connections: {scrubbed}",
                        "Close the other session (another PopShell run, a mail app or a phone) and try again later.",
                        ex) { ServerReply = scrubbed, Uid = uid };
                case ServerResponseCode.LoginDelay:
                    return new PopShellException(
                        PopShellErrorKind.LoginDelay,
                        $"The server {endpoint} asks for a longer wait between logins: {scrubbed}",
                        "Wait for the server's LOGIN-DELAY before connecting again, and schedule runs no more often than that.",
                        ex) { ServerReply = scrubbed, Uid = uid };
                case ServerResponseCode.SysTemp:
                    return new PopShellException(
                        PopShellErrorKind.ServerTemporaryFailure,
                        $"The server {endpoint} reports a temporary problem{UidSuffix(uid)}: {scrubbed}",
                        "Try again later.",
                        ex) { ServerReply = scrubbed, Uid = uid };
                case ServerResponseCode.SysPerm:
                    return new PopShellException(
                        PopShellErrorKind.ServerPermanentFailure,
                        $"The server {endpoint} reports a permanent problem{UidSuffix(uid)}: {scrubbed}",
                        "Ask the server's administrator; retrying will not help.",
                        ex) { ServerReply = scrubbed, Uid = uid };
                case ServerResponseCode.Auth:
                    return new PopShellException(
                        PopShellErrorKind.AuthenticationFailed,
                        $"The server {endpoint} rejected the login for user '{DisplayText.Escape(userName)}': {scrubbed}",
                        "Check the user name and password (or token). Repeated failures can lock the account on some servers.",
                        ex) { ServerReply = scrubbed, Uid = uid };
                default:
                    return null;
            }
        }

        PopShellException TimedOut(string doing, Exception ex) => new PopShellException(
            PopShellErrorKind.Timeout,
            $"{endpoint} did not answer in time while {doing}.",
            "Check that the server is up and the port and -Security mode are right, or raise -TimeoutSeconds for a slow server. Nothing was deleted in this session.",
            ex);

        string? Scrub(string? reply)
        {
            if (reply == null)
                return null;
            if (secret != null)
                reply = reply.Replace(secret, "********");
            return DisplayText.Escape(reply);
        }

        string ReplyOr(string? statusText) => Scrub(statusText) is { Length: > 0 } text ? text : "(no reason given)";

        string ReplySuffix() => LastReply is { Length: > 0 } reply ? $": {reply}" : ".";

        internal static string UidSuffix(string? uid) => uid == null ? string.Empty : $" (message UID {DisplayText.Escape(uid)})";

        static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null)
                ex = ex.InnerException;
            return ex;
        }
    }
}
