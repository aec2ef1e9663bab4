using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MimeKit;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Engine.Sessions;
using PopShell.Engine.Text;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Saves the attachments of messages into one folder. Attachment names come from the sender and
    /// are hostile by assumption (<c>../../x</c>, <c>C:\x</c>, <c>con.txt</c>, bidi overrides): each
    /// is sanitised to a plain file name inside the folder, written durably, and never replaces an
    /// existing file.
    /// </summary>
    public sealed class AttachmentExtractor
    {
        const int MaxExtensionLength = 16;

        readonly Pop3Connection connection;
        readonly string directory;
        readonly Func<string, bool>? filter;

        /// <param name="connection">The session to retrieve from.</param>
        /// <param name="directory">The target folder; created if missing.</param>
        /// <param name="filter">Which attachment names to save (tested on the name as the message gives it), or null for all.</param>
        public AttachmentExtractor(Pop3Connection connection, string directory, Func<string, bool>? filter)
        {
            this.connection = connection;
            this.directory = directory;
            this.filter = filter;
        }

        /// <summary>Retrieves <paramref name="entries"/> in one pipelined round and saves their attachments.</summary>
        /// <remarks>
        /// A message whose size does not match its LIST size yields an IncompleteMessage outcome and none
        /// of its attachments, as does every message after it (the connection abandons the session);
        /// then the extraction throws, since nothing more can be read in this session.
        /// </remarks>
        public IEnumerable<AttachmentOutcome> Extract(IReadOnlyList<MessageEntry> entries, CancellationToken cancellationToken)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new PopShellException(PopShellErrorKind.WriteFailed, $"The folder '{directory}' could not be created: {ex.Message}", "Check the path and permissions.", ex);
            }

            bool outOfStep = false;
            // A large message is spooled to a temporary file and its attachments decoded from there.
            foreach (var retrieved in connection.Retrieve(entries, RetrievalPurpose.Attachments, e => TemporarySpool.For(e.Size), cancellationToken))
            {
                if (retrieved.Error != null)
                {
                    outOfStep |= retrieved.Error.Kind == PopShellErrorKind.IncompleteMessage;
                    yield return new AttachmentOutcome(retrieved.Entry, null, null, null, 0, retrieved.Error);
                    continue;
                }
                foreach (var outcome in SaveAttachments(retrieved.Entry, retrieved.Content!, cancellationToken))
                    yield return outcome;
            }
            if (outOfStep && connection.AbandonedError("Saving attachments", "Connect again and retry.") is { } ended)
                throw ended;
        }

        List<AttachmentOutcome> SaveAttachments(MessageEntry entry, Stream content, CancellationToken cancellationToken)
        {
            var outcomes = new List<AttachmentOutcome>();
            using (content)
            {
                MimeMessage message;
                try
                {
                    CodePages.EnsureRegistered();
                    // Persistent: parts refer to their bytes in the spool instead of copying them into memory.
                    message = MimeMessage.Load(new ParserOptions { MaxMimeDepth = 64 }, content, persistent: content is FileStream, cancellationToken);
                }
                catch (FormatException ex)
                {
                    outcomes.Add(new AttachmentOutcome(entry, null, null, null, 0, new PopShellException(
                        PopShellErrorKind.MessageNotParsed,
                        $"Message UID {entry.Uid} could not be parsed as MIME, so its attachments could not be extracted: {DisplayText.Escape(ex.Message)}",
                        "Save the whole message with Save-Pop3Message instead.", ex) { Uid = entry.Uid }));
                    return outcomes;
                }

                foreach (var part in message.Attachments.OfType<MimePart>())
                {
                    string original = part.FileName ?? string.Empty;
                    if (filter != null && !filter(original))
                        continue;
                    outcomes.Add(SaveOne(entry, part, original, cancellationToken));
                }
            }
            return outcomes;
        }

        AttachmentOutcome SaveOne(MessageEntry entry, MimePart part, string original, CancellationToken cancellationToken)
        {
            string name = SafeName(original);
            try
            {
                using var file = DurableFile.Create(directory);
                part.Content?.DecodeTo(file.Stream, cancellationToken);
                long size = file.Stream.Length;
                string path = file.Commit(Path.Combine(directory, name), overwrite: false);
                return new AttachmentOutcome(entry, original, path, part.ContentType.MimeType, size, null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new AttachmentOutcome(entry, original, null, part.ContentType.MimeType, 0, new PopShellException(
                    PopShellErrorKind.WriteFailed,
                    $"Attachment '{DisplayText.Escape(original)}' of message UID {entry.Uid} could not be written to '{directory}': {ex.Message}",
                    "Check free space and permissions, then run again.", ex) { Uid = entry.Uid });
            }
        }

        /// <summary>A safe file name for an attachment, keeping a short extension.</summary>
        public static string SafeName(string original)
        {
            string clean = FileNameSanitizer.CleanComponent(original);
            string extension = Path.GetExtension(clean);
            if (extension.Length > MaxExtensionLength || extension.Length < 2)
                extension = string.Empty;
            string stem = extension.Length == 0 ? clean : clean.Substring(0, clean.Length - extension.Length);
            return FileNameSanitizer.Sanitize(stem, extension, fallback: "attachment");
        }
    }
}
