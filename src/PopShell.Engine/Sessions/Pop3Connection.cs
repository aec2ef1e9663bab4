using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Linq;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Text;
using MessageSummary = PopShell.Engine.Messages.MessageSummary;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// One authenticated POP3 session. Owns MailKit's client and is the only engine type that talks
    /// to it, so the rules MailKit leaves to us live here: TLS is required unless explicitly off,
    /// APOP is never chosen silently, message numbers are 1-based outside this class, the listing is
    /// taken once, and QUIT's reply is read rather than assumed.
    /// </summary>
    public sealed class Pop3Connection : IDisposable
    {
        // SslProtocols.Tls13 is missing from netstandard2.0's enum; the value is the same everywhere.
        const SslProtocols Tls12And13 = SslProtocols.Tls12 | (SslProtocols)12288;

        // What the server may send per operation, beyond what it announced: generous for any real
        // server, small enough that a hostile one cannot fill memory (MailKit buffers without limit).
        const long SmallReplyBudget = 256 * 1024;
        const long PerListingLine = 256;
        const long PerHeaderBlock = 1024 * 1024;
        const long PerMessageSlack = 1024;

        readonly Pop3Client client;
        readonly ServerReplyObserver observer;
        readonly ConnectionErrors errors;
        MailboxListing? listing;
        readonly HashSet<int> markedForDeletion = new HashSet<int>();
        GuardedSocketStream? budget;
        volatile bool aborted;
        string? commitBlockedBecause;

        // MailKit parses headers as they arrive, so the legacy charsets must be there before the first byte.
        static Pop3Connection() => CodePages.EnsureRegistered();

        Pop3Connection(ConnectionOptions options, Pop3Client client, ServerReplyObserver observer, ConnectionErrors errors)
        {
            this.client = client;
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
        public bool IsConnected => client.IsConnected;

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
        public int? ExpireDays => (client.Capabilities & Pop3Capabilities.Expire) != 0 && client.ExpirePolicy >= 0 ? client.ExpirePolicy : null;

        /// <summary>Why <see cref="Close"/> will not send QUIT, or null when it may.</summary>
        public string? CommitBlockedBecause => commitBlockedBecause;

        /// <summary>
        /// Ends the session at once, without QUIT, so the server deletes nothing: for when the stream
        /// can no longer be trusted. <see cref="Close"/> then reports <paramref name="reason"/>.
        /// </summary>
        public void Abandon(string reason)
        {
            BlockCommit(reason);
            client.Dispose();
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

            var fileLogger = options.ProtocolLogPath != null ? new ProtocolLogger(options.ProtocolLogPath, append: true) { RedactSecrets = true } : null;
            var observer = new ServerReplyObserver(fileLogger, options.Secret);
            var certificates = new CertificatePolicy(options.CertificateThumbprints, options.SkipCertificateCheck);
            var client = new Pop3Client(observer)
            {
                Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds),
                SslProtocols = Tls12And13,
                ServerCertificateValidationCallback = certificates.Validate,
            };
            var errors = new ConnectionErrors(options.Server, options.EffectivePort, options.EffectiveUserName, options.Secret, observer, certificates);
            var connection = new Pop3Connection(options, client, observer, errors);

            try
            {
                connection.budget = new GuardedSocketStream(transport());
                connection.budget.SetBudget(SmallReplyBudget);
                using var abort = connection.AbortOn(cancellationToken);
                client.Connect(connection.budget, options.Server, options.EffectivePort, ToSocketOptions(security), cancellationToken);
                if (security != TransportSecurity.None && !client.IsEncrypted)
                    throw new PopShellException(PopShellErrorKind.TlsFailed, $"The connection to {options.Server}:{options.EffectivePort} is not encrypted although {security} was required.");
                if (connection.Injection(options) is { } injected)
                    throw injected;

                connection.IsEncrypted = client.IsEncrypted;
                if (client.IsEncrypted)
                {
                    connection.TlsProtocol = client.SslProtocol.ToString();
                    connection.TlsCipher = client.SslCipherAlgorithm.ToString();
                }

                if (options.Credential != null || options.AccessToken != null)
                {
                    connection.EnableUtf8(cancellationToken);
                    connection.AuthenticationMechanism = Authenticator.Authenticate(client, options, cancellationToken);
                }
                else
                    client.Capabilities &= ~Pop3Capabilities.Apop;

                return connection;
            }
            catch (Exception ex)
            {
                client.Dispose();
                connection.budget?.Dispose();
                throw connection.Cancelled("connecting", null, ex) ?? connection.Injection(options) ?? connection.OverBudget("connecting")
                    ?? StlsRefused(ex, security, client, errors) ?? errors.WhileConnecting(ex);
            }
        }

        // RFC 6856: UTF8 is allowed only before login. A server that offers it may serve mail with raw
        // UTF-8 headers (RFC 6532) only to a client that sent it: Courier otherwise serves a generated
        // "Cannot display Unicode content" message in its place, while LIST keeps the real size. Sent
        // whenever offered, since PopShell saves bytes as they are and MimeKit reads UTF-8 headers. A
        // server that then refuses it is no reason to give up the session: the LIST size check still
        // stops a substituted message from counting as saved.
        void EnableUtf8(CancellationToken cancellationToken)
        {
            if ((client.Capabilities & Pop3Capabilities.UTF8) == 0)
                return;
            try
            {
                client.EnableUTF8(cancellationToken);
                Utf8Enabled = true;
            }
            catch (Pop3CommandException) when (client.IsConnected)
            {
            }
        }

        // A server that answers STLS with -ERR refuses encryption: a TLS failure, never a reason to go on in clear.
        static PopShellException? StlsRefused(Exception ex, TransportSecurity security, Pop3Client client, ConnectionErrors errors)
        {
            if (security != TransportSecurity.StartTls || client.IsEncrypted || ex is not Pop3CommandException command)
                return null;
            return new PopShellException(
                PopShellErrorKind.TlsFailed,
                $"The server refused to start TLS (STLS): {DisplayText.Escape(command.StatusText)}. PopShell does not log in without encryption.",
                "Use -Security Tls on the server's TLS port (usually 995). Only on a network you trust: -Security None -AllowUnencryptedAuthentication.",
                ex) { ServerReply = errors.LastReply };
        }

        // MailKit is handed a stream rather than a host, so every byte it reads passes the budget.
        static Stream OpenSocket(ConnectionOptions options, CancellationToken cancellationToken)
        {
            var tcp = new TcpClient { NoDelay = true };
            try
            {
                var connecting = tcp.ConnectAsync(options.Server, options.EffectivePort);
                if (!connecting.Wait((int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds), cancellationToken))
                    throw new TimeoutException($"Connecting to {options.Server}:{options.EffectivePort} took longer than {options.Timeout.TotalSeconds:0} s.");
                connecting.GetAwaiter().GetResult();
                return tcp.GetStream();
            }
            catch (AggregateException ex) when (ex.InnerException != null)
            {
                tcp.Dispose();
                throw ex.InnerException;
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
        PopShellException? OverBudget(string doing, string? uid = null)
        {
            if (budget == null || budget.ExceededBudget == 0)
                return null;
            return new PopShellException(
                PopShellErrorKind.ProtocolViolation,
                $"The server {Server}:{Port} sent more data than it announced while {doing}{ConnectionErrors.UidSuffix(uid)} (over {budget.ExceededBudget} bytes); PopShell stopped reading so the server cannot fill memory.",
                "The session was closed without QUIT, so nothing was deleted. If the server is trustworthy, this is a server fault worth reporting to its administrator.")
            { Uid = uid };
        }

        // MailKit's synchronous reads do not notice cancellation over TLS: they wait for the server or
        // the timeout. Closing the socket when Ctrl+C cancels wakes them at once; the session is then
        // over, without QUIT, so nothing is deleted.
        CancellationTokenRegistration AbortOn(CancellationToken cancellationToken) =>
            cancellationToken.Register(() =>
            {
                aborted = true;
                budget?.Dispose();
            });

        /// <summary>Allows the next operation to receive up to <paramref name="bytes"/> bytes.</summary>
        void Budget(long bytes) => budget?.SetBudget(bytes);

        PopShellException Failure(Exception ex, string doing, string? uid = null) =>
            Fail(Cancelled(doing, uid, ex) ?? OverBudget(doing, uid) ?? errors.WhileWorking(ex, doing, uid));

        PopShellException? Cancelled(string doing, string? uid, Exception ex) => !aborted ? null : new PopShellException(
            PopShellErrorKind.Cancelled,
            $"Stopped while {doing} on {Server}:{Port}; the session was closed without QUIT, so nothing was deleted.",
            null, ex) { Uid = uid };

        /// <summary>What the server said about the mailbox and itself.</summary>
        public MailboxInfo GetMailboxInfo()
        {
            EnsureAuthenticated();
            var caps = client.Capabilities;
            return new MailboxInfo
            {
                MessageCount = client.Count,
                Size = client.Size,
                PendingDeletions = markedForDeletion.Count,
                Capabilities = DescribeCapabilities(),
                Greeting = DisplayText.Escape(observer.Greeting),
                SupportsUidl = client.SupportsUids,
                SupportsTop = (caps & Pop3Capabilities.Top) != 0,
                SupportsPipelining = (caps & Pop3Capabilities.Pipelining) != 0,
                ExpireDays = (caps & Pop3Capabilities.Expire) != 0 && client.ExpirePolicy >= 0 ? client.ExpirePolicy : null,
                LoginDelaySeconds = (caps & Pop3Capabilities.LoginDelay) != 0 ? client.LoginDelay : null,
                Implementation = client.Implementation is { Length: > 0 } impl ? DisplayText.Escape(impl) : null,
            };
        }

        /// <summary>The listing if this session has already fetched it, else null; never goes to the server.</summary>
        public MailboxListing? CachedListing => listing;

        /// <summary>
        /// The mailbox listing: one UIDL and one LIST, the first time it is asked for in this session.
        /// </summary>
        public MailboxListing GetListing(CancellationToken cancellationToken)
        {
            EnsureAuthenticated();
            lock (client.SyncRoot)
            using (AbortOn(cancellationToken))
            {
                if (listing != null)
                    return listing;
                try
                {
                    Budget(SmallReplyBudget + 2L * client.Count * PerListingLine);
                    // UIDL before LIST: GNU Mailutils adds an X-UIDL header to every message it serves
                    // but counts it in LIST only once UIDL has been issued in the session, so LIST
                    // first gives sizes short of what RETR sends (287 listed, 342 sent) on the first
                    // session after new mail. Asked second, LIST sees the same messages RETR will.
                    var uids = !client.SupportsUids ? null
                        : client.Count == 0 ? new List<string>()
                        : client.GetMessageUids(cancellationToken).ToList();
                    var sizes = client.Count == 0 ? new List<long>() : client.GetMessageSizes(cancellationToken).Select(s => (long)s).ToList();
                    return listing = new MailboxListing(sizes, uids);
                }
                catch (ArgumentException ex)
                {
                    throw Fail(new PopShellException(PopShellErrorKind.ProtocolViolation, $"The server {Server} sent an inconsistent listing: {ex.Message}", null, ex));
                }
                catch (Exception ex)
                {
                    throw Failure(ex, "listing messages");
                }
            }
        }

        /// <summary>The messages a query names, from the listing; messages marked for deletion in this session are gone for it.</summary>
        public MessageSelection Select(MessageQuery query, CancellationToken cancellationToken) =>
            MessageSelection.From(GetListing(cancellationToken), query, markedForDeletion.Contains);

        /// <summary>
        /// Reads the header blocks of <paramref name="entries"/> with TOP n 0, pipelined when the server
        /// allows it, in one batch (falling back to RETR when the server has no TOP), and parses them.
        /// </summary>
        public IReadOnlyList<MessageSummary> ReadSummaries(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken) =>
            ParseHeaderBlocks(entries, ReadHeaderBlocks(entries, cancellationToken), cancellationToken);

        /// <summary>
        /// Reads the raw header blocks of <paramref name="entries"/> (see <see cref="ReadSummaries"/>),
        /// for <see cref="ParseHeaderBlocks"/> to parse, possibly while the connection reads the next batch.
        /// </summary>
        public IReadOnlyList<System.IO.Stream> ReadHeaderBlocks(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            if (entries.Count == 0)
                return Array.Empty<System.IO.Stream>();

            lock (client.SyncRoot)
            using (AbortOn(cancellationToken))
            {
                var indexes = entries.Select(e => e.Number - 1).ToList();
                try
                {
                    // Raw header bytes, parsed by us: MailKit's own header parsing fails the whole batch on
                    // one malformed message, and a malformed message must be listed, not fatal. Without
                    // TOP, the only way to a header is the whole message.
                    bool top = (client.Capabilities & Pop3Capabilities.Top) != 0;
                    Budget(top ? SmallReplyBudget + entries.Count * PerHeaderBlock : MessagesBudget(entries));
                    return client.GetStreams(indexes, headersOnly: top, cancellationToken).ToArray();
                }
                catch (Exception ex)
                {
                    string? uid = entries.Count == 1 ? entries[0].Uid : null;
                    throw Failure(ex, "reading message headers", uid);
                }
            }
        }

        /// <summary>
        /// Parses header blocks read by <see cref="ReadHeaderBlocks"/>, on every core (parsing costs more
        /// than the download on a fast link, and the blocks are independent), and disposes them.
        /// </summary>
        public static IReadOnlyList<MessageSummary> ParseHeaderBlocks(IReadOnlyList<MessageEntry> entries, IReadOnlyList<System.IO.Stream> blocks, CancellationToken cancellationToken)
        {
            var summaries = new MessageSummary[entries.Count];
            Parallel.For(0, summaries.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                using (blocks[i])
                    summaries[i] = HeaderSummaryReader.TryRead(entries[i], blocks[i], cancellationToken);
            });
            return summaries;
        }

        /// <summary>
        /// Retrieves whole messages (RETR, pipelined) and reads their body text and attachment list.
        /// MailKit buffers each message in memory, so callers keep batches small in bytes.
        /// </summary>
        public IReadOnlyList<MessageContent> ReadContents(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            var retrieved = Retrieve(entries, cancellationToken);
            var contents = new MessageContent[retrieved.Count];
            for (int i = 0; i < contents.Length; i++)
            {
                if (retrieved[i].Error is { } error)
                    throw error;
                using (retrieved[i].Content)
                    contents[i] = MessageContent.Read(retrieved[i].Content!);
            }
            return contents;
        }

        /// <summary>
        /// Retrieves messages whole (RETR, pipelined when the server allows). Each result holds the
        /// message's bytes, dot-unstuffed and otherwise exactly as sent, or the error for that one
        /// message (e.g. deleted meanwhile by another client), so one bad message does not fail its batch.
        /// </summary>
        public IReadOnlyList<RetrievedMessage> Retrieve(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            lock (client.SyncRoot)
            using (AbortOn(cancellationToken))
            {
                try
                {
                    Budget(MessagesBudget(entries));
                    var streams = client.GetStreams(entries.Select(e => e.Number - 1).ToList(), false, cancellationToken);
                    return entries.Select((e, i) => new RetrievedMessage(e, streams[i], null)).ToArray();
                }
                catch (Pop3CommandException) when (entries.Count > 1 && client.IsConnected)
                {
                    // MailKit reads every reply of the batch and reports only the first -ERR: ask one by one to find which.
                }
                catch (Exception ex)
                {
                    throw Failure(ex, "retrieving messages", entries.Count == 1 ? entries[0].Uid : null);
                }

                var results = new RetrievedMessage[entries.Count];
                for (int i = 0; i < entries.Count; i++)
                {
                    try
                    {
                        Budget(MessagesBudget(new[] { entries[i] }));
                        results[i] = new RetrievedMessage(entries[i], client.GetStream(entries[i].Number - 1, false, cancellationToken), null);
                    }
                    catch (Pop3CommandException ex) when (client.IsConnected)
                    {
                        results[i] = new RetrievedMessage(entries[i], null, errors.WhileWorking(ex, "retrieving a message", entries[i].Uid));
                    }
                    catch (Exception ex)
                    {
                        throw Failure(ex, "retrieving messages", entries[i].Uid);
                    }
                }
                return results;
            }
        }

        /// <summary>
        /// Marks messages for deletion (DELE, pipelined when the server allows). Nothing is deleted
        /// until QUIT. Returns the errors of messages the server refused to mark; the rest are marked.
        /// </summary>
        public IReadOnlyList<PopShellException> MarkForDeletion(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            var toMark = entries.Where(e => !markedForDeletion.Contains(e.Number)).ToList();
            if (toMark.Count == 0)
                return Array.Empty<PopShellException>();

            lock (client.SyncRoot)
            using (AbortOn(cancellationToken))
            {
                try
                {
                    Budget(SmallReplyBudget + (markedForDeletion.Count + toMark.Count) * PerListingLine);
                    client.DeleteMessages(toMark.Select(e => e.Number - 1).ToList(), cancellationToken);
                    foreach (var entry in toMark)
                        markedForDeletion.Add(entry.Number);
                    return Array.Empty<PopShellException>();
                }
                catch (Pop3CommandException) when (toMark.Count > 1 && client.IsConnected)
                {
                    // Some were refused; the others are marked. Which is which only one-by-one DELE can tell,
                    // and DELE of an already marked message is refused too, so RSET first to start clean.
                }
                catch (Exception ex)
                {
                    throw Failure(ex, "marking messages for deletion", toMark.Count == 1 ? toMark[0].Uid : null);
                }

                var failures = new List<PopShellException>();
                try
                {
                    client.Reset(cancellationToken);
                    var remark = markedForDeletion.ToList();
                    markedForDeletion.Clear();
                    foreach (int number in remark.Concat(toMark.Select(e => e.Number)))
                    {
                        try
                        {
                            client.DeleteMessage(number - 1, cancellationToken);
                            markedForDeletion.Add(number);
                        }
                        catch (Pop3CommandException ex) when (client.IsConnected)
                        {
                            failures.Add(errors.WhileWorking(ex, "marking a message for deletion", listing?.ByNumber(number)?.Uid));
                        }
                    }
                }
                catch (Exception ex)
                {
                    throw Failure(ex, "marking messages for deletion");
                }
                return failures;
            }
        }

        /// <summary>
        /// Ends the session with QUIT, which commits deletions; with <paramref name="discard"/>, sends RSET
        /// first so nothing is deleted. Returns whether the server acknowledged QUIT with +OK.
        /// </summary>
        public QuitOutcome Close(bool discard, CancellationToken cancellationToken)
        {
            lock (client.SyncRoot)
            using (AbortOn(cancellationToken))
            {
                int pending = markedForDeletion.Count;
                if (!client.IsConnected)
                    return new QuitOutcome(false, null, pending, 0) { NotSentBecause = commitBlockedBecause ?? "the connection was already lost" };
                if (commitBlockedBecause != null)
                {
                    // Dropping the connection without QUIT is the one way to make the server commit nothing.
                    client.Dispose();
                    return new QuitOutcome(false, null, pending, 0) { NotSentBecause = commitBlockedBecause };
                }
                try
                {
                    Budget(SmallReplyBudget);
                    int discarded = 0;
                    if (discard)
                    {
                        client.Reset(cancellationToken);
                        discarded = pending;
                        markedForDeletion.Clear();
                    }
                    // MailKit's Disconnect(true) swallows a failed or missing QUIT reply, so read it from the wire.
                    client.Disconnect(true, cancellationToken);
                    string? reply = errors.LastReply;
                    // Only a whole +OK line counts: a reply cut off or never ended says nothing about whether the server committed.
                    bool acknowledged = reply != null && observer.LastReplyEnded && reply.StartsWith("+OK", StringComparison.OrdinalIgnoreCase);
                    return new QuitOutcome(acknowledged, reply, markedForDeletion.Count, discarded);
                }
                catch (Exception ex)
                {
                    throw Failure(ex, discard ? "discarding deletions" : "ending the session");
                }
                finally
                {
                    client.Dispose();
                }
            }
        }

        // A session opened without credentials can show its security, but MailKit refuses every mailbox command.
        void EnsureAuthenticated()
        {
            if (client.IsConnected && !client.IsAuthenticated)
            {
                throw new PopShellException(
                    PopShellErrorKind.NotAuthenticated,
                    $"The session with {Server}:{Port} did not log in, so the mailbox cannot be read.",
                    "Connect again with -Credential (or -AccessToken and -UserName).");
            }
        }

        /// <summary>Drops the connection without QUIT, so the server deletes nothing.</summary>
        public void Dispose() => client.Dispose();

        // A failure that leaves the stream in an unknown state ends the session without QUIT:
        // continuing could attribute one reply to another command, and QUIT would commit deletions.
        PopShellException Fail(PopShellException error)
        {
            if (error.Kind is PopShellErrorKind.ProtocolViolation or PopShellErrorKind.ConnectionLost or PopShellErrorKind.Timeout or PopShellErrorKind.Cancelled)
                client.Dispose();
            return error;
        }

        // Whole messages: what LIST announced, plus slack for framing, TLS records and servers that count 2 octets short.
        static long MessagesBudget(IReadOnlyList<MessageEntry> entries)
        {
            long announced = entries.Sum(e => e.Size);
            return SmallReplyBudget + announced + announced / 10 + entries.Count * PerMessageSlack;
        }

        IReadOnlyList<string> DescribeCapabilities()
        {
            var caps = client.Capabilities;
            var names = new List<string>();
            void Add(Pop3Capabilities flag, string name)
            {
                if ((caps & flag) != 0)
                    names.Add(name);
            }

            Add(Pop3Capabilities.Top, "TOP");
            Add(Pop3Capabilities.UIDL, "UIDL");
            Add(Pop3Capabilities.User, "USER");
            Add(Pop3Capabilities.Pipelining, "PIPELINING");
            Add(Pop3Capabilities.ResponseCodes, "RESP-CODES");
            Add(Pop3Capabilities.StartTLS, "STLS");
            Add(Pop3Capabilities.UTF8, "UTF8");
            Add(Pop3Capabilities.Lang, "LANG");
            if ((caps & Pop3Capabilities.Sasl) != 0)
                names.Add(("SASL " + string.Join(" ", client.AuthenticationMechanisms.OrderBy(m => m, StringComparer.Ordinal))).TrimEnd());
            if ((caps & Pop3Capabilities.Expire) != 0)
                names.Add("EXPIRE " + (client.ExpirePolicy < 0 ? "NEVER" : client.ExpirePolicy.ToString(CultureInfo.InvariantCulture)));
            if ((caps & Pop3Capabilities.LoginDelay) != 0)
                names.Add("LOGIN-DELAY " + client.LoginDelay.ToString(CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(client.Implementation))
                names.Add("IMPLEMENTATION " + DisplayText.Escape(client.Implementation));
            return names;
        }

        static SecureSocketOptions ToSocketOptions(TransportSecurity security) => security switch
        {
            TransportSecurity.Tls => SecureSocketOptions.SslOnConnect,
            TransportSecurity.StartTls => SecureSocketOptions.StartTls,
            TransportSecurity.None => SecureSocketOptions.None,
            _ => throw new ArgumentOutOfRangeException(nameof(security), security, "Auto must be resolved by port first."),
        };
    }

    /// <summary>How a session ended.</summary>
    /// <param name="Acknowledged">True only when the server answered QUIT with +OK.</param>
    /// <param name="Reply">The server's reply to QUIT, escaped, or <see langword="null"/> if none came.</param>
    /// <param name="Marked">Messages marked for deletion when QUIT was due.</param>
    /// <param name="Discarded">Messages unmarked by RSET before QUIT.</param>
    public sealed record QuitOutcome(bool Acknowledged, string? Reply, int Marked, int Discarded)
    {
        /// <summary>Messages the server confirmed deleting: the marked ones, only when QUIT was acknowledged.</summary>
        public int Deleted => Acknowledged && NotSentBecause == null ? Marked : 0;

        /// <summary>Why QUIT was deliberately not sent, or null.</summary>
        public string? NotSentBecause { get; init; }
    }

    /// <summary>One retrieved message: its bytes, or why it could not be retrieved.</summary>
    /// <param name="Entry">Which message.</param>
    /// <param name="Content">The message bytes (in memory), or null on error.</param>
    /// <param name="Error">Why this message could not be retrieved, or null.</param>
    public sealed record RetrievedMessage(MessageEntry Entry, System.IO.Stream? Content, PopShellException? Error);
}
