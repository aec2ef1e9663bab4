using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Sessions;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Saves messages from a session to disk, in pipelined batches bounded by bytes. For each
    /// message: its bytes go from the socket to a spool file as they arrive (hashed on the way, never
    /// whole in memory), they must match the LIST size (a message cut short is never counted as
    /// saved: its spool is removed), the file is written durably (temporary name, flushed, renamed),
    /// the journal records it, and only then, with <see cref="ExportOptions.Delete"/>, is it marked
    /// for deletion.
    /// </summary>
    public sealed class MessageExporter : IDisposable
    {
        readonly Pop3Connection connection;
        readonly ExportOptions options;
        readonly IMessageStore store;
        readonly ExportJournal journal;
        readonly MailboxListing listing;
        // -NewOnly -Delete: messages the journal records as saved, by message number, to verify when retrieved.
        readonly ConcurrentDictionary<int, SavedMessage> journaled = new ConcurrentDictionary<int, SavedMessage>();
        readonly Stopwatch retrieveClock = new Stopwatch();
        readonly Stopwatch diskWaitClock = new Stopwatch();

        /// <summary>Opens the target and its journal.</summary>
        /// <exception cref="PopShellException">The target cannot be used (WriteFailed), or -NewOnly without UIDs (ExportNotPossible).</exception>
        public MessageExporter(Pop3Connection connection, ExportOptions options)
        {
            this.connection = connection;
            this.options = options;
            listing = connection.GetListing(CancellationToken.None);
            if (options.NewOnly && !listing.HasUids)
            {
                throw new PopShellException(
                    PopShellErrorKind.ExportNotPossible,
                    $"-NewOnly needs message UIDs, but the server {connection.Server} does not support UIDL, so PopShell cannot tell which messages were saved before.",
                    "Run without -NewOnly, or with -Delete so that saved messages leave the server.");
            }

            try
            {
                store = OpenStore(options);
                journal = ExportJournal.Open(store.StateDirectory, $"{connection.UserName}@{connection.Server}:{connection.Port}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                store?.Dispose();
                throw WriteFailed(ex, options.Path, null);
            }
        }

        /// <summary>Where the journal of this export is.</summary>
        public string JournalPath => journal.Path;

        /// <summary>Time spent retrieving messages from the server (for -Verbose).</summary>
        public TimeSpan RetrieveTime => retrieveClock.Elapsed;

        /// <summary>Time the connection sat idle waiting for files to be written (for -Verbose).</summary>
        public TimeSpan DiskWaitTime => diskWaitClock.Elapsed;

        /// <summary>
        /// Exports <paramref name="entries"/>, yielding each message's outcome as its batch completes.
        /// A failure of one message is an outcome with an error; a failure of the session throws.
        /// </summary>
        /// <remarks>
        /// Batches overlap: while the files of one batch are written, the next batch is retrieved, and
        /// only then are the written ones journaled and marked for deletion. A message is therefore
        /// never marked before its file and its journal line are on disk.
        /// </remarks>
        public IEnumerable<ExportOutcome> Export(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            var batch = new List<MessageEntry>();
            var skipped = new List<ExportOutcome>();
            var inFlight = new Queue<ExportRound>();
            ExceptionDispatchInfo? failure;
            long batchBytes = 0;
            try
            {
                foreach (var entry in entries)
                {
                    // A UID that two messages of this mailbox share cannot say which of them the journal
                    // recorded: such a message is saved again rather than skipped.
                    if (options.NewOnly && entry.Uid != null && journal.TryGet(entry.Uid, out var earlier) && earlier.ListSize == entry.Size
                        && listing.ByUid(entry.Uid).Count == 1)
                    {
                        if (options.Delete || IsDue(earlier))
                        {
                            // Never deleted on the journal's word alone (a UID can be reused, a broken server
                            // can shift its replies): it is retrieved again and deleted only if its bytes hash
                            // to what the journal recorded and the saved copy still holds them; otherwise it
                            // is saved as a new message (see Stage).
                            journaled[entry.Number] = earlier;
                        }
                        else
                        {
                            skipped.Add(new ExportOutcome { Entry = entry, Path = earlier.Path, Sha256 = earlier.Sha256, Size = entry.Size, Skipped = true });
                            if (skipped.Count >= options.BatchCount)
                            {
                                foreach (var outcome in skipped)
                                    yield return outcome;
                                skipped.Clear();
                            }
                            continue;
                        }
                    }

                    if (batch.Count > 0 && (batchBytes + entry.Size > options.BatchBytes || batch.Count >= options.BatchCount))
                    {
                        foreach (var outcome in Advance(inFlight, batch, batchBytes, cancellationToken, out failure))
                            yield return outcome;
                        failure?.Throw();
                        ThrowIfAbandoned();
                        batch = new List<MessageEntry>();
                        batchBytes = 0;
                    }
                    batch.Add(entry);
                    batchBytes += entry.Size;
                }

                if (batch.Count > 0)
                {
                    foreach (var outcome in Advance(inFlight, batch, batchBytes, cancellationToken, out failure))
                        yield return outcome;
                    failure?.Throw();
                }
                while (inFlight.Count > 0)
                {
                    foreach (var outcome in Complete(inFlight.Dequeue(), cancellationToken))
                        yield return outcome;
                }
                ThrowIfAbandoned();
                foreach (var outcome in skipped)
                    yield return outcome;
            }
            finally
            {
                // Stopped early (Ctrl+C, a lost connection, a caller that stopped reading): files already
                // written are still made durable and journaled, so the next run neither loses nor repeats
                // them. Nothing of these rounds is marked for deletion.
                while (inFlight.Count > 0)
                    _ = Settle(inFlight.Dequeue());
            }
        }

        // Retrieves a batch and starts writing it; completes the round that was writing meanwhile. When
        // the retrieval fails (a lost connection, Ctrl+C), the rounds in flight are still completed,
        // without deleting anything, and their outcomes are returned with the failure to throw after them.
        List<ExportOutcome> Advance(Queue<ExportRound> inFlight, List<MessageEntry> batch, long bytes, CancellationToken cancellationToken, out ExceptionDispatchInfo? failure)
        {
            failure = null;
            var outcomes = new List<ExportOutcome>();
            // Two rounds in flight at once at most, so unsynced data stays bounded: a round that would
            // exceed that waits for the one being written (a message larger than a round then goes alone).
            if (inFlight.Count > 0 && inFlight.Peek().Bytes + bytes > 2 * options.BatchBytes)
            {
                var written = inFlight.Dequeue();
                outcomes.AddRange(Complete(written, cancellationToken));
            }

            IReadOnlyList<RetrievedMessage> retrieved;
            retrieveClock.Start();
            try
            {
                // Each message goes from the socket to a spool file in the store's folder as it arrives,
                // hashed on the way: never whole in memory, whatever its size.
                retrieved = connection.Retrieve(batch, RetrievalPurpose.Export, _ => new MessageSpool(DurableFile.Create(store.SpoolDirectory, buffered: false)), cancellationToken);
            }
            catch (Exception ex) when (ex is PopShellException or OperationCanceledException)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
                while (inFlight.Count > 0)
                    outcomes.AddRange(Settle(inFlight.Dequeue()));
                return outcomes;
            }
            finally
            {
                retrieveClock.Stop();
            }

            var round = ExportRound.Start(retrieved, bytes, Stage, Commit, store.WritesConcurrently, cancellationToken);
            inFlight.Enqueue(round);
            // A size mismatch made the connection abandon the session: nothing more can be read, so
            // every round is completed now (without deleting: the connection is gone).
            bool abandoned = !connection.IsConnected;

            while (inFlight.Count > (abandoned ? 0 : 1))
                outcomes.AddRange(Complete(inFlight.Dequeue(), cancellationToken));
            return outcomes;
        }

        // Waits for a round's files, journals them, then marks them for deletion.
        List<ExportOutcome> Complete(ExportRound round, CancellationToken cancellationToken)
        {
            Exception? stopped;
            diskWaitClock.Start();
            List<ExportOutcome> outcomes;
            try { outcomes = round.Finish(out stopped); }
            finally { diskWaitClock.Stop(); }
            Journal(outcomes);
            if (stopped != null)
                ExceptionDispatchInfo.Capture(stopped).Throw();

            BlockCommitIfUnsaved(outcomes);
            // -Delete: every message now durably saved. Due deletion: only those saved by an earlier run
            // long enough ago, and found unchanged (a message saved again now is skipped no more).
            var saved = outcomes.Where(o => o.Error == null && (options.Delete || (o.Skipped && journaled.ContainsKey(o.Entry.Number))))
                .Select(o => o.Entry).ToList();
            if (saved.Count > 0 && connection.IsConnected)
                MarkAndRecord(outcomes, saved, cancellationToken);
            return outcomes;
        }

        // Completes a round without deleting anything: the session is ending.
        List<ExportOutcome> Settle(ExportRound round)
        {
            var outcomes = round.Finish(out _);
            BlockCommitIfUnsaved(outcomes);
            try { Journal(outcomes); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            return outcomes;
        }

        // A server with EXPIRE 0 deletes every retrieved message at QUIT, DELE or not.
        void BlockCommitIfUnsaved(List<ExportOutcome> outcomes)
        {
            if (connection.ExpireDays != 0)
                return;
            foreach (var outcome in outcomes.Where(o => o.Error != null))
                connection.BlockCommit($"the server deletes every retrieved message at QUIT (EXPIRE 0), and message UID {outcome.Entry.Uid} was not saved");
        }

        // A message whose save time is unknown is never due: its age cannot be vouched for.
        bool IsDue(SavedMessage earlier) =>
            options.DeleteSavedBefore is { } cutoff && earlier.SavedAt is { } savedAt && savedAt <= cutoff;

        void ThrowIfAbandoned()
        {
            if (connection.AbandonedError("The export", "Run the export again with -NewOnly; what was saved is kept and skipped.") is { } error)
                throw error;
        }

        /// <summary>Closes the target and the journal.</summary>
        public void Dispose()
        {
            journal.Dispose();
            store.Dispose();
        }

        // Order matters for a crash at any point: the files' names are made durable first (one folder sync
        // for the batch), then the journal records them (one synced write), and only then may they be
        // deleted. The journal never claims a file that a crash could still take away.
        void Journal(List<ExportOutcome> outcomes)
        {
            store.MakeDurable();
            journal.Record(outcomes
                .Where(o => o.Error == null && !o.Skipped && o.Entry.Uid != null)
                .Select(o => new SavedMessage(o.Entry.Uid!, o.Entry.Size, o.Sha256!, o.Path!))
                .ToList());
        }

        void MarkAndRecord(List<ExportOutcome> outcomes, List<MessageEntry> toDelete, CancellationToken cancellationToken)
        {
            var refused = new Dictionary<string, PopShellException>(StringComparer.Ordinal);
            foreach (var failure in connection.MarkForDeletion(toDelete, cancellationToken))
            {
                if (failure.Uid != null)
                    refused[failure.Uid] = failure;
            }
            foreach (var outcome in outcomes)
            {
                if (outcome.Error != null || outcome.DeleteError != null)
                    continue;
                outcome.Deleted = connection.IsMarkedForDeletion(outcome.Entry.Number);
                if (!outcome.Deleted && outcome.Entry.Uid != null && refused.TryGetValue(outcome.Entry.Uid, out var why))
                    outcome.DeleteError = why;
            }
        }

        // Runs on the writer threads, several at a time for stores that allow it: hashes the message,
        // reads the header fields its name needs, and writes it under a temporary name.
        (ExportOutcome Outcome, StagedMessage? Staged) Stage(MessageEntry entry, Stream content, CancellationToken cancellationToken)
        {
            long received = content.Length;
            var spool = content as MessageSpool;
            string sha256 = spool?.Sha256 ?? ContentHash.Of(content);
            content.Position = 0;
            if (journaled.TryGetValue(entry.Number, out var earlier) && earlier.Sha256 == sha256 && store.StillHolds(earlier))
            {
                // Saved by an earlier run, and the server still holds exactly those bytes: nothing to write.
                return (new ExportOutcome { Entry = entry, Path = earlier.Path, Sha256 = sha256, Size = received, Skipped = true }, null);
            }
            var summary = HeaderSummaryReader.TryReadForNaming(entry, content, store.NamingFields, cancellationToken);
            content.Position = 0;
            try
            {
                var staged = spool != null ? store.StageSpooled(summary, spool, cancellationToken) : store.Stage(summary, content, sha256, cancellationToken);
                return (new ExportOutcome { Entry = entry, Size = received, Sha256 = sha256 }, staged);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PathTooLongException)
            {
                return (new ExportOutcome { Entry = entry, Size = received, Error = WriteFailed(ex, options.Path, entry.Uid) }, null);
            }
        }

        // Runs once per round, in message order: gives a written message its final name.
        ExportOutcome Commit(ExportOutcome written, StagedMessage staged)
        {
            try
            {
                return new ExportOutcome { Entry = written.Entry, Size = written.Size, Sha256 = written.Sha256, Path = staged.Commit() };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PathTooLongException)
            {
                return new ExportOutcome { Entry = written.Entry, Size = written.Size, Error = WriteFailed(ex, options.Path, written.Entry.Uid) };
            }
        }

        static IMessageStore OpenStore(ExportOptions options)
        {
            switch (options.Format)
            {
                case MessageFormat.Mbox:
                    return new MboxFile(MboxPath(options.Path));
                case MessageFormat.Maildir:
                    return new MaildirFolder(options.Path);
                default:
                    return new EmlFolder(options.Path, new FileNameTemplate(options.FileNameTemplate), options.Overwrite);
            }
        }

        // -Path may name the mbox file itself, or a folder that gets "mailbox.mbox".
        static string MboxPath(string path) =>
            Directory.Exists(path) ? System.IO.Path.Combine(path, "mailbox.mbox") : path;

        static PopShellException WriteFailed(Exception ex, string path, string? uid)
        {
            if (ex is PopShellException known)
                return known;
            string what = uid == null ? "The export target" : $"Message UID {uid}";
            string hint = ex switch
            {
                UnauthorizedAccessException => "Check that the account running PopShell may write to the folder.",
                PathTooLongException => "Choose a shorter -Path or -FileNameTemplate.",
                IOException io when IsDiskFull(io) => "Free disk space and run the export again; nothing that was not saved has been deleted.",
                _ => "Check the path and the disk, then run the export again; nothing that was not saved has been deleted.",
            };
            return new PopShellException(PopShellErrorKind.WriteFailed, $"{what} could not be written to '{path}': {ex.Message}", hint, ex) { Uid = uid };
        }

        static bool IsDiskFull(IOException ex) =>
            (ex.HResult & 0xFFFF) == 112 /* ERROR_DISK_FULL */ || (ex.HResult & 0xFFFF) == 39 /* ERROR_HANDLE_DISK_FULL */
            || ex.Message.IndexOf("No space left", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
