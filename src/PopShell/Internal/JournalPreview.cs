using System.IO;
using PopShell.Engine.Export;

namespace PopShell.Internal
{
    /// <summary>
    /// What earlier runs saved to an export target, read without writing anything there, so that
    /// <c>Save-Pop3Message -NewOnly -WhatIf</c> can say which messages it would skip. The journal is
    /// opened from a copy: opening it in place would create it, or trim a tail cut off by a crash.
    /// </summary>
    internal sealed class JournalPreview : IDisposable
    {
        readonly ExportJournal? journal;
        readonly string? copyDirectory;

        JournalPreview(ExportJournal? journal, string? copyDirectory)
        {
            this.journal = journal;
            this.copyDirectory = copyDirectory;
        }

        /// <summary>Reads the journal of <paramref name="mailbox"/> ("user@server:port") at the target of <paramref name="options"/>; empty when there is none.</summary>
        public static JournalPreview Read(ExportOptions options, string mailbox)
        {
            string name = ExportJournal.FileNameFor(mailbox);
            string source = Path.Combine(StateDirectory(options), name);
            if (!File.Exists(source))
                return new JournalPreview(null, null);
            string copy = Path.Combine(Path.GetTempPath(), "popshell-preview-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(copy);
            try
            {
                File.Copy(source, Path.Combine(copy, name));
                return new JournalPreview(ExportJournal.Open(copy, mailbox), copy);
            }
            catch
            {
                Directory.Delete(copy, recursive: true);
                throw;
            }
        }

        /// <summary>Where an earlier run saved <paramref name="uid"/>, if the journal says it saved a message of that UID and size.</summary>
        public SavedMessage? Find(string? uid, long listSize) =>
            uid != null && journal != null && journal.TryGet(uid, out var saved) && saved.ListSize == listSize ? saved : null;

        /// <summary>Closes and deletes the copy.</summary>
        public void Dispose()
        {
            journal?.Dispose();
            if (copyDirectory != null)
                Directory.Delete(copyDirectory, recursive: true);
        }

        // Where the exporter keeps the journal: the folder, or for an mbox the folder of the file
        // (-Path may name the file, or a folder that gets mailbox.mbox).
        static string StateDirectory(ExportOptions options) =>
            options.Format != MessageFormat.Mbox || Directory.Exists(options.Path)
                ? options.Path
                : Path.GetDirectoryName(options.Path) ?? options.Path;
    }
}
