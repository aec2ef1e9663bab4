using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Text;
using MessageSummary = PopShell.Engine.Messages.MessageSummary;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The mailbox commands of a session: STAT's figures, one UIDL and LIST listing, TOP and RETR
    /// (pipelined when the server allows), DELE and RSET. Message numbers are 1-based everywhere. Every
    /// RETR, whoever asks for it, is checked against its LIST size here.
    /// </summary>
    public sealed partial class Pop3Connection
    {
        /// <summary>What the server said about the mailbox and itself.</summary>
        public MailboxInfo GetMailboxInfo()
        {
            EnsureAuthenticated();
            if (!IsConnected)
                throw Failure(new MailKit.ServiceNotConnectedException("The POP3 session is closed."), "reading the mailbox information");
            return new MailboxInfo
            {
                MessageCount = messageCount,
                Size = mailboxSize,
                PendingDeletions = markedForDeletion.Count,
                Capabilities = capabilities.Describe(),
                Greeting = DisplayText.Escape(observer.Greeting),
                SupportsUidl = capabilities.Has("UIDL"),
                SupportsTop = capabilities.Has("TOP"),
                SupportsPipelining = capabilities.Has("PIPELINING"),
                ExpireDays = ExpireDays,
                LoginDelaySeconds = capabilities.Has("LOGIN-DELAY") ? capabilities.LoginDelay : null,
                Implementation = capabilities.Implementation is { Length: > 0 } impl ? DisplayText.Escape(impl) : null,
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
            return Run("listing messages", null, SmallReplyBudget + 2L * messageCount * PerListingLine, cancellationToken, wire =>
            {
                if (listing != null)
                    return listing;
                // UIDL before LIST: GNU Mailutils adds an X-UIDL header to every message it serves
                // but counts it in LIST only once UIDL has been issued in the session, so LIST
                // first gives sizes short of what RETR sends (287 listed, 342 sent) on the first
                // session after new mail. Asked second, LIST sees the same messages RETR will.
                var uids = !capabilities.Has("UIDL") ? null
                    : messageCount == 0 ? new List<string>()
                    : ListingColumn(wire, "UIDL");
                var sizes = new List<long>();
                foreach (string size in messageCount == 0 ? new List<string>() : ListingColumn(wire, "LIST"))
                {
                    if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int octets))
                        throw new Pop3FramingException($"Unexpected size in the reply to LIST: {size}");
                    sizes.Add(octets);
                }
                try
                {
                    return listing = new MailboxListing(sizes, uids);
                }
                catch (ArgumentException ex)
                {
                    throw Fail(new PopShellException(PopShellErrorKind.InvalidListing, $"The server {Server}:{Port} sent an inconsistent listing: {DisplayText.Escape(ex.Message)}", "The session was closed without QUIT, so nothing was deleted. This is a fault of the server worth reporting to its administrator.", ex));
                }
            });
        }

        // The second column of a UIDL or LIST reply, whose lines must be numbered 1, 2, 3, ... in order.
        static List<string> ListingColumn(Pop3Wire wire, string command)
        {
            wire.Send(command);
            var reply = wire.ReadReply();
            if (!reply.IsOk)
                throw new Pop3ReplyException(command, reply);
            var values = new List<string>();
            foreach (string line in wire.ReadLines())
            {
                var tokens = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (tokens.Length < 2 || !int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number != values.Count + 1)
                    throw new Pop3FramingException($"Unexpected line in the reply to {command}: {line}");
                values.Add(tokens[1]);
            }
            return values;
        }

        /// <summary>The messages a query names, from the listing; messages marked for deletion in this session are gone for it.</summary>
        public MessageSelection Select(MessageQuery query, CancellationToken cancellationToken) =>
            MessageSelection.From(GetListing(cancellationToken), query, markedForDeletion.Contains);

        /// <summary>
        /// Reads the header blocks of <paramref name="entries"/> with TOP n 0, pipelined when the server
        /// allows it, in one batch (falling back to RETR when the server has no TOP), and parses them.
        /// </summary>
        public IReadOnlyList<MessageSummary> ReadSummaries(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken) =>
            ParseHeaderBlocks(entries, ReadHeaderBlocks(entries, cancellationToken), decodeEveryField: false, cancellationToken);

        /// <summary>
        /// Reads the raw header blocks of <paramref name="entries"/> (see <see cref="ReadSummaries"/>),
        /// for <see cref="ParseHeaderBlocks"/> to parse, possibly while the connection reads the next batch.
        /// </summary>
        /// <exception cref="PopShellException">The server refused a message (naming its UID), or the session failed.</exception>
        public IReadOnlyList<Stream> ReadHeaderBlocks(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            if (entries.Count == 0)
                return Array.Empty<Stream>();

            // Without TOP, the only way to a header is the whole message.
            bool top = capabilities.Has("TOP");
            string? uid = entries.Count == 1 ? entries[0].Uid : null;
            return Run("reading message headers", uid, top ? SmallReplyBudget + entries.Count * PerHeaderBlock : MessagesBudget(entries), cancellationToken, wire =>
            {
                var blocks = top
                    ? Fetch(wire, entries, e => $"TOP {e.Number} 0", _ => PerHeaderBlock, "reading message headers")
                    : CheckSizes(Fetch(wire, entries, e => $"RETR {e.Number}", MessageLimit, "reading message headers"), RetrievalPurpose.Reading);
                if (blocks.FirstOrDefault(b => b.Error != null) is { } failed)
                {
                    foreach (var block in blocks)
                        block.Content?.Dispose();
                    throw failed.Error!;
                }
                return blocks.Select(b => b.Content!).ToArray();
            });
        }

        /// <summary>
        /// Parses header blocks read by <see cref="ReadHeaderBlocks"/>, on every core (parsing costs more
        /// than the download on a fast link, and the blocks are independent), and disposes them. With
        /// <paramref name="decodeEveryField"/> (a filter on recipients or on any header field), the fields
        /// otherwise decoded when first read are decoded here too.
        /// </summary>
        public static IReadOnlyList<MessageSummary> ParseHeaderBlocks(IReadOnlyList<MessageEntry> entries, IReadOnlyList<System.IO.Stream> blocks, bool decodeEveryField, CancellationToken cancellationToken)
        {
            var summaries = new MessageSummary[entries.Count];
            // Each worker reuses one parser for the blocks it takes (HeaderBlockParser says why).
            Parallel.For(0, summaries.Length, new ParallelOptions { CancellationToken = cancellationToken },
                () => new HeaderBlockParser(),
                (i, _, parser) =>
                {
                    using (blocks[i])
                        summaries[i] = HeaderSummaryReader.TryRead(entries[i], blocks[i], parser, decodeEveryField, cancellationToken);
                    return parser;
                },
                _ => { });
            return summaries;
        }

        /// <summary>
        /// Retrieves whole messages (RETR, pipelined) and reads their body text and attachment list.
        /// A message larger than <see cref="TemporarySpool.InMemoryUpTo"/> is spooled to a temporary file
        /// and parsed from there, so a batch costs memory for its small messages and its bodies' text only.
        /// </summary>
        /// <exception cref="PopShellException">A message could not be retrieved; when its size did not match its
        /// LIST size (IncompleteMessage, naming its UID), nothing of the batch was parsed and the session was abandoned.</exception>
        public IReadOnlyList<MessageContent> ReadContents(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            var retrieved = Retrieve(entries, RetrievalPurpose.Reading, e => TemporarySpool.For(e.Size), cancellationToken);
            // A size mismatch outranks an -ERR earlier in the batch: it is why the session ended.
            var failed = retrieved.FirstOrDefault(r => r.Error?.Kind == PopShellErrorKind.IncompleteMessage) ?? retrieved.FirstOrDefault(r => r.Error != null);
            if (failed != null)
            {
                foreach (var message in retrieved)
                    message.Content?.Dispose();
                throw failed.Error!;
            }
            var contents = new MessageContent[retrieved.Count];
            for (int i = 0; i < contents.Length; i++)
            {
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
        /// <remarks>
        /// Every message is checked against its LIST size here, for every caller: the first one that
        /// does not match (and every message after it, whose bytes could be forged) comes back as an
        /// IncompleteMessage error naming its UID, with no bytes to parse, and the session is abandoned
        /// at once, without QUIT, so it is never used again.
        /// </remarks>
        public IReadOnlyList<RetrievedMessage> Retrieve(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken) =>
            Retrieve(entries, RetrievalPurpose.Export, cancellationToken);

        /// <summary>Retrieves messages (see the public overload) into memory; <paramref name="purpose"/> words a size mismatch's errors.</summary>
        internal IReadOnlyList<RetrievedMessage> Retrieve(IReadOnlyList<MessageEntry> entries, RetrievalPurpose purpose, CancellationToken cancellationToken) =>
            Retrieve(entries, purpose, null, cancellationToken);

        /// <summary>
        /// Retrieves messages, each streamed as it arrives into the stream <paramref name="destination"/>
        /// gives for it (readable and seekable: a spool file), or into memory when it is null. The
        /// destination belongs to the caller; the result's <see cref="RetrievedMessage.Content"/> is it,
        /// at position 0. A destination that cannot be written fails the session (WriteFailed).
        /// </summary>
        internal IReadOnlyList<RetrievedMessage> Retrieve(IReadOnlyList<MessageEntry> entries, RetrievalPurpose purpose, Func<MessageEntry, Stream>? destination, CancellationToken cancellationToken)
        {
            if (entries.Count == 0)
                return Array.Empty<RetrievedMessage>();
            string? uid = entries.Count == 1 ? entries[0].Uid : null;
            return Run("retrieving messages", uid, MessagesBudget(entries), cancellationToken, wire =>
                CheckSizes(Fetch(wire, entries, e => $"RETR {e.Number}", MessageLimit, "retrieving a message", destination), purpose));
        }

        // Sends one command per message (all at once when the server allows pipelining) and reads each
        // reply's data into its destination (memory by default), at most `limit` bytes of it. A -ERR is
        // that message's error; a failure mid-reply ends the session, naming the message it happened in.
        RetrievedMessage[] Fetch(Pop3Wire wire, IReadOnlyList<MessageEntry> entries, Func<MessageEntry, string> command, Func<MessageEntry, long> limit, string doing,
            Func<MessageEntry, Stream>? destination = null)
        {
            var commands = entries.Select(command).ToList();
            bool pipelined = capabilities.Has("PIPELINING");
            if (pipelined)
                wire.SendPipelined(commands);
            var results = new RetrievedMessage[entries.Count];
            for (int i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                Stream? content = null;
                try
                {
                    if (!pipelined)
                        wire.Send(commands[i]);
                    var reply = wire.ReadReply();
                    if (!reply.IsOk)
                    {
                        results[i] = new RetrievedMessage(entry, null, errors.WhileWorking(new Pop3ReplyException(commands[i], reply), doing, entry.Uid));
                        continue;
                    }
                    content = Destination(destination, entry);
                    wire.ReadData(content, limit(entry));
                    content.Position = 0;
                    results[i] = new RetrievedMessage(entry, content, null);
                }
                catch (Exception ex) when (ex is not PopShellException)
                {
                    content?.Dispose();
                    foreach (var done in results)
                        done?.Content?.Dispose();
                    if (ex is DestinationFailedException)
                        throw DestinationFailed(ex, entry);
                    throw Failure(ex, doing, entry.Uid);
                }
            }
            return results;
        }

        static Stream Destination(Func<MessageEntry, Stream>? destination, MessageEntry entry)
        {
            if (destination == null)
                return new MemoryStream();
            try
            {
                return destination(entry);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DestinationFailedException(ex);
            }
        }

        // The message stopped mid-reply because its bytes could not be written: the server is still
        // sending it, so the session cannot go on, and it ends without QUIT.
        PopShellException DestinationFailed(Exception ex, MessageEntry entry)
        {
            Abandon($"message UID {entry.Uid} could not be written to disk as it arrived");
            return new PopShellException(
                PopShellErrorKind.WriteFailed,
                $"Message UID {entry.Uid} could not be written as it arrived: {ex.Message}",
                "Check free space and permissions, then run again. The session was ended without QUIT, so nothing was deleted.",
                ex.InnerException ?? ex)
            { Uid = entry.Uid };
        }

        // The LIST-size check, for every RETR of the session. A sender can end a message early with a
        // bare-LF dot and append forged replies, so nothing read after a mismatch is handed out, and the
        // stream is dropped before anyone can send another command on it.
        RetrievedMessage[] CheckSizes(RetrievedMessage[] retrieved, RetrievalPurpose purpose)
        {
            if (SizeMismatch.Find(retrieved, purpose) is not { } mismatch)
                return retrieved;
            bool afterMismatch = false;
            for (int i = 0; i < retrieved.Length; i++)
            {
                var entry = retrieved[i].Entry;
                if (afterMismatch)
                {
                    retrieved[i].Content?.Dispose();
                    retrieved[i] = new RetrievedMessage(entry, null, mismatch.ErrorAfter(entry));
                }
                else if (entry == mismatch.Culprit)
                {
                    retrieved[i].Content!.Dispose();
                    retrieved[i] = new RetrievedMessage(entry, null, mismatch.CulpritError()) { Received = mismatch.Received };
                    afterMismatch = true;
                }
            }
            Abandon(mismatch.Reason, mismatch.Hint);
            return retrieved;
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

            string? uid = toMark.Count == 1 ? toMark[0].Uid : null;
            return Run("marking messages for deletion", uid, SmallReplyBudget + (markedForDeletion.Count + toMark.Count) * PerListingLine, cancellationToken, wire =>
            {
                var commands = toMark.Select(e => $"DELE {e.Number}").ToList();
                bool pipelined = capabilities.Has("PIPELINING");
                if (pipelined)
                    wire.SendPipelined(commands);
                var failures = new List<PopShellException>();
                for (int i = 0; i < toMark.Count; i++)
                {
                    if (!pipelined)
                        wire.Send(commands[i]);
                    var reply = wire.ReadReply();
                    if (reply.IsOk)
                        markedForDeletion.Add(toMark[i].Number);
                    else
                        failures.Add(errors.WhileWorking(new Pop3ReplyException(commands[i], reply), "marking a message for deletion", toMark[i].Uid));
                }
                return (IReadOnlyList<PopShellException>)failures;
            });
        }

        // Whole messages: what LIST announced, plus slack for framing, TLS records and servers that count 2 octets short.
        static long MessagesBudget(IReadOnlyList<MessageEntry> entries)
        {
            long announced = entries.Sum(e => e.Size);
            return SmallReplyBudget + announced + announced / 10 + entries.Count * PerMessageSlack;
        }

        // One message's data: what LIST announced and the same slack, so the message that overruns is the one named.
        static long MessageLimit(MessageEntry entry) => SmallReplyBudget + entry.Size + entry.Size / 10 + PerMessageSlack;
    }
}
