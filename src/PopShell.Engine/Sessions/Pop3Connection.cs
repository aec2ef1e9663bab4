using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Linq;
using System.Security.Authentication;
using System.Threading;
using MailKit;
using MailKit.Security;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Text;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// One POP3 session, and the only engine type that speaks POP3 (through <see cref="Pop3Wire"/>).
    /// This file holds its lifetime: connecting with the required security, STLS, logging in with one
    /// mechanism, and ending with QUIT, whose reply is read rather than assumed, or without it, so the
    /// server deletes nothing. The mailbox commands are in Pop3Connection.Mailbox.cs. Every command
    /// runs under one skeleton (<see cref="Run{T}"/>): one at a time, a receive budget, Ctrl+C closing
    /// the socket, and any failure that leaves the stream out of step ending the session at once.
    /// </summary>
    // Over 400 lines: connect, STLS, TLS, login and QUIT share the session's state and its failure
    // translation; the mailbox commands, which only use them, are the other file of this class.
    public sealed partial class Pop3Connection : IDisposable
    {
        // SslProtocols.Tls13 is missing from netstandard2.0's enum; the value is the same everywhere.
        const SslProtocols Tls12And13 = SslProtocols.Tls12 | (SslProtocols)12288;

        // What the server may send per operation, beyond what it announced: generous for any real
        // server, small enough that a hostile one cannot fill memory.
        const long SmallReplyBudget = 256 * 1024;
        const long PerListingLine = 256;
        const long PerHeaderBlock = 1024 * 1024;
        const long PerMessageSlack = 1024;

        readonly object sync = new object();
        readonly ServerReplyObserver observer;
        readonly ConnectionErrors errors;
        Pop3Wire? wire;
        ServerCapabilities capabilities = ServerCapabilities.None(null);
        bool authenticated;
        int messageCount;
        long mailboxSize;
        MailboxListing? listing;
        readonly HashSet<int> markedForDeletion = new HashSet<int>();
        GuardedSocketStream? budget;
        volatile bool aborted;
        string? commitBlockedBecause;
        string? abandonHint;

        // MimeKit parses headers with the legacy charsets, which must be there before the first byte.
        static Pop3Connection() => CodePages.EnsureRegistered();

        Pop3Connection(ConnectionOptions options, ServerReplyObserver observer, ConnectionErrors errors)
        {
            this.observer = observer;
            this.errors = errors;
            Server = options.Server;
            Port = options.EffectivePort;
            Security = options.EffectiveSecurity;
            UserName = options.EffectiveUserName;
        }

        /// <summary>Host name or address of the server.</summary>
        public string Server { get; }

        /// <summary>TCP port connected to.</summary>
        public int Port { get; }

        /// <summary>The security mode in effect (Auto resolved).</summary>
        public TransportSecurity Security { get; }

        /// <summary>The user logged in as, or <see langword="null"/>.</summary>
        public string? UserName { get; }

        /// <summary>Whether the session can still be used.</summary>
        public bool IsConnected => wire?.IsConnected == true;

        /// <summary>Whether the connection is encrypted.</summary>
        public bool IsEncrypted { get; private set; }

        /// <summary>The mechanism used to log in (e.g. PLAIN, XOAUTH2, USER), or <see langword="null"/>.</summary>
        public string? AuthenticationMechanism { get; private set; }

        /// <summary>Whether the server accepted UTF8 (RFC 6856) and so serves messages with UTF-8 headers as they are.</summary>
        public bool Utf8Enabled { get; private set; }

        /// <summary>The negotiated TLS version, e.g. "Tls13", or <see langword="null"/> without TLS.</summary>
        public string? TlsProtocol { get; private set; }

        /// <summary>The negotiated cipher, or <see langword="null"/> without TLS.</summary>
        public string? TlsCipher { get; private set; }

        /// <summary>Messages marked with DELE in this session; the server deletes them only at QUIT.</summary>
        public int PendingDeletions => markedForDeletion.Count;

        /// <summary>Whether the message with this number has been marked for deletion in this session.</summary>
        public bool IsMarkedForDeletion(int number) => markedForDeletion.Contains(number);

        /// <summary>
        /// The server's EXPIRE value in days, or null. At 0 the server deletes every message
        /// retrieved in the session when the session ends with QUIT, as if it had been deleted.
        /// </summary>
        public int? ExpireDays => capabilities.Has("EXPIRE") && capabilities.ExpirePolicy >= 0 ? capabilities.ExpirePolicy : null;

        /// <summary>Why <see cref="Close"/> will not send QUIT, or null when it may.</summary>
        public string? CommitBlockedBecause => commitBlockedBecause;

        /// <summary>
        /// Ends the session at once, without QUIT, so the server deletes nothing: for when the stream
        /// can no longer be trusted. <see cref="Close"/> then reports <paramref name="reason"/>.
        /// </summary>
        public void Abandon(string reason) => Abandon(reason, null);

        void Abandon(string reason, string? hint)
        {
            BlockCommit(reason);
            abandonHint ??= hint;
            wire?.Dispose();
        }

        /// <summary>
        /// The error that ends <paramref name="operation"/> (e.g. "The export") once the session was
        /// abandoned, or null while it was not; <paramref name="hint"/> when the abandonment gave none.
        /// </summary>
        internal PopShellException? AbandonedError(string operation, string hint)
        {
            if (commitBlockedBecause is not { } reason || IsConnected)
                return null;
            return new PopShellException(
                PopShellErrorKind.ExportAbandoned,
                $"{operation} from {Server} stopped: {reason}. The session was ended without QUIT, so nothing was deleted.",
                abandonHint ?? hint);
        }

        /// <summary>
        /// Makes <see cref="Close"/> end the session without QUIT, so the server commits nothing:
        /// used when QUIT would delete a message that was not saved (a failed save on an EXPIRE 0 server).
        /// </summary>
        public void BlockCommit(string reason) => commitBlockedBecause ??= reason;

        /// <summary>
        /// Opens a session: connects with the required security, checks it, and logs in.
        /// </summary>
        /// <exception cref="PopShellException">Anything went wrong; the message says what and what to do.</exception>
        public static Pop3Connection Open(ConnectionOptions options, CancellationToken cancellationToken) =>
            Open(options, () => OpenSocket(options, cancellationToken), cancellationToken);

        /// <summary>
        /// Opens a session over the stream <paramref name="transport"/> returns instead of a TCP socket:
        /// the seam that lets tests run thousands of sessions against an in-memory server.
        /// </summary>
        internal static Pop3Connection Open(ConnectionOptions options, Func<Stream> transport, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(options.Server))
                throw new ArgumentException("A server name is required.", nameof(options));

            var security = options.EffectiveSecurity;
            if (security == TransportSecurity.None && options.Secret != null && !options.AllowUnencryptedAuthentication)
            {
                // Refuse before a single byte goes out: a password or token must never cross the wire in clear by accident.
                throw new PopShellException(
                    PopShellErrorKind.UnencryptedAuthenticationRefused,
                    $"Refusing to send the {(options.AccessToken != null ? "access token" : "password")} for '{DisplayText.Escape(options.EffectiveUserName)}' to {options.Server}:{options.EffectivePort} without encryption (-Security None).",
                    "Use -Security Tls or StartTls. Only on a network you trust, add -AllowUnencryptedAuthentication.");
            }

            // MailKit's protocol logger writes the file; the wire hands it secrets already redacted.
            var fileLogger = options.ProtocolLogPath != null ? new ProtocolLogger(options.ProtocolLogPath, append: true) : null;
            var observer = new ServerReplyObserver(fileLogger, options.Secret);
            var certificates = new CertificatePolicy(options.CertificateThumbprints, options.SkipCertificateCheck);
            var errors = new ConnectionErrors(options.Server, options.EffectivePort, options.EffectiveUserName, options.Secret, observer, certificates);
            var connection = new Pop3Connection(options, observer, errors);

            try
            {
                using var abort = connection.AbortOn(cancellationToken);
                connection.budget = new GuardedSocketStream(transport());
                connection.budget.SetBudget(SmallReplyBudget);
                if (connection.budget.CanTimeout)
                {
                    int timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds);
                    connection.budget.ReadTimeout = timeout;
                    connection.budget.WriteTimeout = timeout;
                }
                connection.wire = new Pop3Wire(connection.budget, observer);
                observer.LogConnect(new Uri($"{(security == TransportSecurity.Tls ? "pops" : "pop")}://{options.Server}:{options.EffectivePort}"));
                connection.Start(options, security, certificates, cancellationToken);
                return connection;
            }
            catch (Exception ex)
            {
                connection.wire?.Dispose();
                connection.budget?.Dispose();
                throw connection.Cancelled("connecting", null, ex) ?? connection.Injection(options) ?? connection.OverBudget(ex, "connecting")
                    ?? StlsRefused(ex, security, connection, errors) ?? errors.WhileConnecting(ex);
            }
        }

        // Greeting, capabilities, TLS (implicit, or STLS and the capabilities again), then the login:
        // UTF8 when offered, one mechanism, the capabilities once more, STAT, and a UIDL probe for a
        // server that announced nothing.
        void Start(ConnectionOptions options, TransportSecurity security, CertificatePolicy certificates, CancellationToken cancellationToken)
        {
            var wire = this.wire!;
            if (security == TransportSecurity.Tls)
                wire.StartTls(options.Server, Tls12And13, certificates.Validate);
            var greeting = wire.ReadReply();
            if (!greeting.IsOk)
                throw new Pop3FramingException($"The server refused the connection: {greeting.Line}");
            string? apop = ServerCapabilities.FindApopTimestamp(greeting.Text);
            capabilities = QueryCapabilities(apop) ?? ServerCapabilities.None(apop);

            if (security == TransportSecurity.StartTls)
            {
                if (!capabilities.Has("STLS"))
                    throw new NotSupportedException("The POP3 server does not support the STLS extension.");
                wire.Send("STLS");
                var reply = wire.ReadReply();
                if (!reply.IsOk)
                    throw new Pop3ReplyException("STLS", reply);
                wire.StartTls(options.Server, Tls12And13, certificates.Validate);
                capabilities = QueryCapabilities(apop) ?? ServerCapabilities.None(apop);
            }
            if (security != TransportSecurity.None && wire.Tls == null)
                throw new PopShellException(PopShellErrorKind.TlsFailed, $"The connection to {options.Server}:{options.EffectivePort} is not encrypted although {security} was required.");
            if (Injection(options) is { } injected)
                throw injected;

            if (wire.Tls is { } tls)
            {
                IsEncrypted = true;
                TlsProtocol = tls.SslProtocol.ToString();
                TlsCipher = tls.CipherAlgorithm.ToString();
            }

            if (options.Credential == null && options.AccessToken == null)
                return;
            EnableUtf8();
            AuthenticationMechanism = Authenticator.Authenticate(wire, capabilities, options, cancellationToken);
            authenticated = true;
            // A server may announce more once the user is known (RFC 2449: EXPIRE and LOGIN-DELAY per user).
            capabilities = QueryCapabilities(apop) ?? capabilities;
            Stat();
            if (!capabilities.Has("UIDL") && messageCount > 0)
            {
                wire.Send("UIDL 1");
                if (wire.ReadReply().IsOk)
                    capabilities.Add("UIDL");
            }
        }

        // CAPA (RFC 2449); null when the server does not know it.
        ServerCapabilities? QueryCapabilities(string? apop)
        {
            wire!.Send("CAPA");
            return wire.ReadReply().IsOk ? ServerCapabilities.Parse(wire.ReadLines(), apop) : null;
        }

        void Stat()
        {
            wire!.Send("STAT");
            var reply = wire.ReadReply();
            if (!reply.IsOk)
                throw new Pop3ReplyException("STAT", reply);
            var tokens = reply.Text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 2
                || !int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out messageCount)
                || !long.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out mailboxSize))
                throw new Pop3FramingException($"Unexpected response to STAT: {reply.Line}");
        }

        // RFC 6856: UTF8 is allowed only before login. A server that offers it may serve mail with raw
        // UTF-8 headers (RFC 6532) only to a client that sent it: Courier otherwise serves a generated
        // "Cannot display Unicode content" message in its place, while LIST keeps the real size. Sent
        // whenever offered, since PopShell saves bytes as they are and MimeKit reads UTF-8 headers. A
        // server that then refuses it is no reason to give up the session: the LIST size check still
        // stops a substituted message from counting as saved.
        void EnableUtf8()
        {
            if (!capabilities.Has("UTF8"))
                return;
            wire!.Send("UTF8");
            Utf8Enabled = wire.ReadReply().IsOk;
        }

        // A server that answers STLS with -ERR refuses encryption: a TLS failure, never a reason to go on in clear.
        static PopShellException? StlsRefused(Exception ex, TransportSecurity security, Pop3Connection connection, ConnectionErrors errors)
        {
            if (security != TransportSecurity.StartTls || connection.IsEncrypted || ex is not Pop3ReplyException command)
                return null;
            return new PopShellException(
                PopShellErrorKind.TlsFailed,
                $"The server refused to start TLS (STLS): {DisplayText.Escape(command.StatusText)}. PopShell does not log in without encryption.",
                "Use -Security Tls on the server's TLS port (usually 995). Only on a network you trust: -Security None -AllowUnencryptedAuthentication.",
                ex) { ServerReply = errors.LastReply };
        }

        // The socket goes under the receive budget, so every byte the server sends passes it. It is
        // connected synchronously: a socket that never saw an asynchronous operation stays in blocking
        // mode, so each read is one recv() that sleeps in the kernel. After ConnectAsync, .NET
        // emulates blocking reads over epoll, with a wake-up and spinning per read (measured: twice
        // the system calls of the blocking socket for the same export). The timeout and Ctrl+C close
        // the socket, which ends the connect.
        static Stream OpenSocket(ConnectionOptions options, CancellationToken cancellationToken)
        {
            var tcp = new TcpClient { NoDelay = true };
            int state = 0; // 0 connecting, 1 connected, 2 given up
            void GiveUp()
            {
                if (Interlocked.CompareExchange(ref state, 2, 0) == 0)
                    tcp.Dispose();
            }
            int timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds);
            using var timer = new Timer(_ => GiveUp(), null, timeout, Timeout.Infinite);
            using var cancel = cancellationToken.Register(GiveUp);
            try
            {
                // The name is resolved apart (no socket is involved), so a DNS server that never answers
                // is bound by the same timeout.
                var resolving = Dns.GetHostAddressesAsync(options.Server);
                if (System.Threading.Tasks.Task.WaitAny(new System.Threading.Tasks.Task[] { resolving }, timeout, cancellationToken) < 0)
                    throw new TimeoutException($"Resolving {options.Server} took longer than {options.Timeout.TotalSeconds:0} s.");
                tcp.Connect(resolving.GetAwaiter().GetResult(), options.EffectivePort);
                if (Interlocked.CompareExchange(ref state, 1, 0) != 0)
                    throw new ObjectDisposedException(nameof(TcpClient));
                return tcp.GetStream();
            }
            catch (Exception ex) when (Volatile.Read(ref state) == 2)
            {
                tcp.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"Connecting to {options.Server}:{options.EffectivePort} took longer than {options.Timeout.TotalSeconds:0} s.", ex);
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
        }

        /// <summary>The error for data injected after the reply to STLS, or null if there was none.</summary>
        PopShellException? Injection(ConnectionOptions options)
        {
            if (budget == null || !budget.InjectionAfterStls)
                return null;
            return new PopShellException(
                PopShellErrorKind.TlsFailed,
                $"The server {options.Server}:{options.EffectivePort} sent data after agreeing to STLS and before the TLS handshake. That is how a man in the middle injects responses (STARTTLS response injection), so PopShell closed the connection before logging in.",
                "Connect with -Security Tls to the server's implicit-TLS port (usually 995), which leaves no plaintext phase to tamper with.");
        }

        /// <summary>The error for an operation that overran its receive budget, or null if it did not.</summary>
        PopShellException? OverBudget(Exception ex, string doing, string? uid = null)
        {
            long exceeded = ex is ReplyTooLongException tooLong ? tooLong.Limit : budget?.ExceededBudget ?? 0;
            if (exceeded == 0)
                return null;
            return new PopShellException(
                PopShellErrorKind.ReplyTooLarge,
                $"The server {Server}:{Port} sent more data than it announced while {doing}{ConnectionErrors.UidSuffix(uid)} (over {exceeded} bytes); PopShell stopped reading so the server cannot fill memory.",
                "The session was closed without QUIT, so nothing was deleted. If the server is trustworthy, this is a server fault worth reporting to its administrator.")
            { Uid = uid };
        }

        // Synchronous reads over TLS do not notice cancellation: they wait for the server or the
        // timeout. Closing the socket when Ctrl+C cancels wakes them at once; the session is then
        // over, without QUIT, so nothing is deleted.
        CancellationTokenRegistration AbortOn(CancellationToken cancellationToken) =>
            cancellationToken.Register(() =>
            {
                aborted = true;
                budget?.Dispose();
            });

        /// <summary>
        /// Runs one exchange with the server: one at a time, with Ctrl+C closing the socket and the
        /// socket allowed <paramref name="receiveBudget"/> bytes. A failure becomes the PopShellException
        /// that says what happened while <paramref name="doing"/> (naming <paramref name="uid"/>), and
        /// one that leaves the stream out of step ends the session without QUIT. A PopShellException
        /// thrown by <paramref name="exchange"/> is final and passes as it is.
        /// </summary>
        T Run<T>(string doing, string? uid, long receiveBudget, CancellationToken cancellationToken, Func<Pop3Wire, T> exchange)
        {
            lock (sync)
            using (AbortOn(cancellationToken))
            {
                try
                {
                    var current = wire ?? throw new ServiceNotConnectedException("The POP3 session is not open.");
                    budget?.SetBudget(receiveBudget);
                    return exchange(current);
                }
                catch (Exception ex) when (ex is not PopShellException)
                {
                    throw Failure(ex, doing, uid);
                }
            }
        }

        PopShellException Failure(Exception ex, string doing, string? uid = null) =>
            Fail(Cancelled(doing, uid, ex) ?? OverBudget(ex, doing, uid) ?? AbandonedEarlier(ex) ?? errors.WhileWorking(ex, doing, uid));

        // A command on a session abandoned earlier says why it was abandoned, not only that it is closed.
        PopShellException? AbandonedEarlier(Exception ex) => ex is not (ServiceNotConnectedException or ObjectDisposedException) || commitBlockedBecause == null ? null : new PopShellException(
            PopShellErrorKind.SessionClosed,
            $"The session with {Server}:{Port} was ended without QUIT: {commitBlockedBecause}. Nothing was deleted.",
            "Connect again with Connect-Pop3.",
            ex);

        PopShellException? Cancelled(string doing, string? uid, Exception ex) => !aborted ? null : new PopShellException(
            PopShellErrorKind.Cancelled,
            $"Stopped while {doing} on {Server}:{Port}; the session was closed without QUIT, so nothing was deleted.",
            null, ex) { Uid = uid };

        /// <summary>
        /// Ends the session with QUIT, which commits deletions; with <paramref name="discard"/>, sends RSET
        /// first so nothing is deleted. Returns whether the server acknowledged QUIT with +OK.
        /// </summary>
        public QuitOutcome Close(bool discard, CancellationToken cancellationToken)
        {
            lock (sync)
            {
                int pending = markedForDeletion.Count;
                if (!IsConnected)
                    return new QuitOutcome(false, null, pending, 0) { NotSentBecause = commitBlockedBecause ?? "the connection was already lost" };
                if (commitBlockedBecause != null)
                {
                    // Dropping the connection without QUIT is the one way to make the server commit nothing.
                    wire!.Dispose();
                    return new QuitOutcome(false, null, pending, 0) { NotSentBecause = commitBlockedBecause };
                }
                try
                {
                    return Run(discard ? "discarding deletions" : "ending the session", null, SmallReplyBudget, cancellationToken, wire =>
                    {
                        int discarded = 0;
                        if (discard)
                        {
                            wire.Send("RSET");
                            var reset = wire.ReadReply();
                            if (!reset.IsOk)
                                throw new Pop3ReplyException("RSET", reset);
                            discarded = pending;
                            markedForDeletion.Clear();
                        }
                        try
                        {
                            wire.Send("QUIT");
                            wire.ReadReply();
                        }
                        catch (Exception ex) when (ex is IOException or ObjectDisposedException or Pop3FramingException or ServiceNotConnectedException)
                        {
                            // No reply, or not one that can be read: the reply observed so far says what is known.
                        }
                        string? reply = errors.LastReply;
                        // Only a whole +OK line counts: a reply cut off or never ended says nothing about whether the server committed.
                        bool acknowledged = reply != null && observer.LastReplyEnded && reply.StartsWith("+OK", StringComparison.OrdinalIgnoreCase);
                        return new QuitOutcome(acknowledged, reply, markedForDeletion.Count, discarded);
                    });
                }
                finally
                {
                    wire?.Dispose();
                }
            }
        }

        // A session opened without credentials can show its security, but not the mailbox.
        void EnsureAuthenticated()
        {
            if (IsConnected && !authenticated)
            {
                throw new PopShellException(
                    PopShellErrorKind.NotAuthenticated,
                    $"The session with {Server}:{Port} did not log in, so the mailbox cannot be read.",
                    "Connect again with -Credential (or -AccessToken and -UserName).");
            }
        }

        /// <summary>Drops the connection without QUIT, so the server deletes nothing.</summary>
        public void Dispose() => wire?.Dispose();

        // A failure that leaves the stream in an unknown state ends the session without QUIT:
        // continuing could attribute one reply to another command, and QUIT would commit deletions.
        PopShellException Fail(PopShellException error)
        {
            if (error.Kind is PopShellErrorKind.ProtocolViolation or PopShellErrorKind.ReplyTooLarge or PopShellErrorKind.InvalidListing or PopShellErrorKind.UnexpectedFailure or PopShellErrorKind.ConnectionLost or PopShellErrorKind.Timeout or PopShellErrorKind.Cancelled)
                wire?.Dispose();
            return error;
        }
    }
}
