using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Sessions;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Saves messages from a session to disk, in pipelined batches bounded by bytes. For each
    /// message: the bytes received must match the LIST size (a message cut short is never counted as
    /// saved), the file is written durably (temporary name, flushed, renamed), the journal records
    /// it, and only then, with <see cref="ExportOptions.Delete"/>, is it marked for deletion.
    /// </summary>
    public sealed class MessageExporter : IDisposable
    {
        readonly Pop3Connection connection;
        readonly ExportOptions options;
        readonly IMessageStore store;
        readonly ExportJournal journal;
        readonly MailboxListing listing;

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

        /// <summary>
        /// Exports <paramref name="entries"/>, yielding each message's outcome as its batch completes.
        /// A failure of one message is an outcome with an error; a failure of the session throws.
        /// </summary>
        public IEnumerable<ExportOutcome> Export(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            var batch = new List<MessageEntry>();
            var skipped = new List<ExportOutcome>();
            long batchBytes = 0;
            foreach (var entry in entries)
            {
                // A UID that two messages of this mailbox share cannot say which of them the journal recorded:
                // such a message is saved again rather than skipped, and perhaps deleted, on the journal's word.
                if (options.NewOnly && entry.Uid != null && journal.TryGet(entry.Uid, out var earlier) && earlier.ListSize == entry.Size
                    && listing.ByUid(entry.Uid).Count == 1)
                {
                    skipped.Add(Skip(entry, earlier));
                    if (skipped.Count >= options.BatchCount)
                    {
                        foreach (var outcome in DeleteVerified(skipped, cancellationToken))
                            yield return outcome;
                        skipped.Clear();
                    }
                    continue;
                }

                if (batch.Count > 0 && (batchBytes + entry.Size > options.BatchBytes || batch.Count >= options.BatchCount))
                {
                    foreach (var outcome in ExportBatch(batch, cancellationToken))
                        yield return outcome;
                    ThrowIfAbandoned();
                    batch.Clear();
                    batchBytes = 0;
                }
                batch.Add(entry);
                batchBytes += entry.Size;
            }

            if (batch.Count > 0)
            {
                foreach (var outcome in ExportBatch(batch, cancellationToken))
                    yield return outcome;
                ThrowIfAbandoned();
            }
            foreach (var outcome in DeleteVerified(skipped, cancellationToken))
                yield return outcome;
        }

        void ThrowIfAbandoned()
        {
            if (connection.CommitBlockedBecause is { } reason && !connection.IsConnected)
            {
                throw new PopShellException(
                    PopShellErrorKind.ProtocolViolation,
                    $"The export from {connection.Server} stopped: {reason}. The session was ended without QUIT, so nothing was deleted.",
                    "Run the export again with -NewOnly; what was saved is kept and skipped.");
            }
        }

        /// <summary>Closes the target and the journal.</summary>
        public void Dispose()
        {
            journal.Dispose();
            store.Dispose();
        }

        // Already saved by an earlier run. With -Delete it is to be deleted now too (an earlier run may
        // have been cut off before QUIT), but only when the saved copy is verifiably still there.
        ExportOutcome Skip(MessageEntry entry, SavedMessage earlier)
        {
            var outcome = new ExportOutcome { Entry = entry, Path = earlier.Path, Sha256 = earlier.Sha256, Size = entry.Size, Skipped = true };
            if (options.Delete && !store.StillHolds(earlier))
            {
                outcome.DeleteError = new PopShellException(
                    PopShellErrorKind.WriteFailed,
                    $"Message UID {entry.Uid} was saved to '{earlier.Path}' by an earlier run, but that copy is missing or changed, so the message was not deleted from the server.",
                    "Run without -NewOnly to save it again.") { Uid = entry.Uid };
            }
            return outcome;
        }

        // Marks the skipped messages whose saved copy checked out, in one pipelined round.
        List<ExportOutcome> DeleteVerified(List<ExportOutcome> skipped, CancellationToken cancellationToken)
        {
            var verified = skipped.FindAll(o => o.DeleteError == null).ConvertAll(o => o.Entry);
            if (options.Delete && verified.Count > 0)
                MarkAndRecord(skipped, verified, cancellationToken);
            return new List<ExportOutcome>(skipped);
        }

        List<ExportOutcome> ExportBatch(List<MessageEntry> batch, CancellationToken cancellationToken)
        {
            var outcomes = new List<ExportOutcome>(batch.Count);
            var saved = new List<MessageEntry>(batch.Count);
            MessageEntry? outOfStep = null;
            var retrievedBatch = connection.Retrieve(batch, cancellationToken);
            try
            {
                foreach (var retrieved in retrievedBatch)
                {
                    ExportOutcome outcome;
                    if (outOfStep != null)
                    {
                        // After a message whose size did not match, the replies that follow may be forged
                        // (a sender can end a message early with a bare-LF dot and append fake replies):
                        // nothing read after it is saved.
                        retrieved.Content?.Dispose();
                        outcome = new ExportOutcome { Entry = retrieved.Entry, Error = OutOfStep(retrieved.Entry, outOfStep) };
                    }
                    else
                    {
                        outcome = retrieved.Error != null
                            ? new ExportOutcome { Entry = retrieved.Entry, Error = retrieved.Error }
                            : SaveOne(retrieved.Entry, retrieved.Content!, cancellationToken);
                        if (outcome.Error?.Kind == PopShellErrorKind.IncompleteMessage)
                            outOfStep = retrieved.Entry;
                    }
                    outcomes.Add(outcome);
                    if (outcome.Error == null)
                        saved.Add(outcome.Entry);
                    else if (connection.ExpireDays == 0)
                        connection.BlockCommit($"the server deletes every retrieved message at QUIT (EXPIRE 0), and message UID {outcome.Entry.Uid} was not saved");
                }
            }
            catch
            {
                // The batch was cut short (Ctrl+C, a full disk): what was saved is still made durable and
                // journaled, so the next run neither loses nor repeats it; the original failure is reported.
                foreach (var retrieved in retrievedBatch)
                    retrieved.Content?.Dispose();
                try { Journal(outcomes); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
                throw;
            }
            Journal(outcomes);

            if (outOfStep != null)
            {
                // The stream can no longer be trusted: end the session without QUIT, so nothing is deleted.
                connection.Abandon($"message UID {outOfStep.Uid} did not match its LIST size, so the replies after it cannot be trusted");
                return outcomes;
            }

            if (options.Delete && saved.Count > 0)
                MarkAndRecord(outcomes, saved, cancellationToken);
            return outcomes;
        }

        // Order matters for a crash at any point: the files' names are made durable first (one folder sync
        // for the batch), then the journal records them (one synced write), and only then may they be
        // deleted. The journal never claims a file that a crash could still take away.
        void Journal(List<ExportOutcome> outcomes)
        {
            store.MakeDurable();
            journal.Record(outcomes
                .Where(o => o.Error == null && o.Entry.Uid != null)
                .Select(o => new SavedMessage(o.Entry.Uid!, o.Entry.Size, o.Sha256!, o.Path!))
                .ToList());
        }

        static PopShellException OutOfStep(MessageEntry entry, MessageEntry culprit) => new PopShellException(
            PopShellErrorKind.IncompleteMessage,
            $"Message UID {entry.Uid} was not saved: it came after message UID {culprit.Uid}, whose size did not match, so what the server sent for it cannot be trusted. It stays on the server.",
            "Run the export again; the session was ended without QUIT, so nothing was deleted.")
        { Uid = entry.Uid };

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

        ExportOutcome SaveOne(MessageEntry entry, Stream content, CancellationToken cancellationToken)
        {
            using (content)
            {
                long received = content.Length;
                if (!IsComplete(entry, content))
                {
                    return new ExportOutcome
                    {
                        Entry = entry,
                        Size = received,
                        Error = new PopShellException(
                            PopShellErrorKind.IncompleteMessage,
                            $"Message UID {entry.Uid} (index {entry.Number}) arrived with {received} bytes, but the server listed {entry.Size}; a message whose size does not match may be cut short or followed by forged data, so it was not saved, the session was ended without QUIT, and nothing was deleted.",
                            "Run the export again; if it fails again on this message, the server does not frame it correctly (dot-stuffing) and it must be fetched another way.")
                        { Uid = entry.Uid },
                    };
                }

                string sha256 = Sha256Of(content);
                content.Position = 0;
                var summary = HeaderSummaryReader.TryRead(entry, content, cancellationToken);
                content.Position = 0;

                string path;
                try
                {
                    path = store.Save(summary, content, sha256, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PathTooLongException)
                {
                    return new ExportOutcome { Entry = entry, Size = received, Error = WriteFailed(ex, options.Path, entry.Uid) };
                }

                return new ExportOutcome { Entry = entry, Path = path, Size = received, Sha256 = sha256 };
            }
        }

        // Bytes received must equal the LIST size. The one tolerated difference: servers such as Courier,
        // Cyrus and Mailutils list a message without a final line break 2 octets shorter than the CRLF they add.
        static bool IsComplete(MessageEntry entry, Stream content)
        {
            long received = content.Length;
            if (received == entry.Size)
                return true;
            if (received != entry.Size + 2)
                return false;
            var tail = new byte[2];
            content.Position = received - 2;
            int read = content.Read(tail, 0, 2);
            content.Position = 0;
            return read == 2 && tail[0] == '\r' && tail[1] == '\n';
        }

        static string Sha256Of(Stream content)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(content)).Replace("-", string.Empty);
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
