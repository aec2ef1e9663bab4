using System;
using System.IO;
using System.Threading;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>One .eml file per message, holding exactly the bytes the server sent.</summary>
    internal sealed class EmlFolder : IMessageStore
    {
        readonly string directory;
        readonly FileNameTemplate template;
        readonly bool overwrite;
        // Export rounds name their messages on their own threads, and two messages can get one name (the
        // same Date and UID: a reused UID; or no Date and the same second). Naming takes turns, so the
        // second sees the first's file and takes a suffix; File.Move alone let it replace that file, and
        // the message whose file was replaced was journaled and deleted (the fuzzer's seed 5 case 1373).
        readonly object naming = new object();

        public EmlFolder(string directory, FileNameTemplate template, bool overwrite)
        {
            Directory.CreateDirectory(directory);
            DurableFile.RemoveStale(directory);
            this.directory = directory;
            this.template = template;
            this.overwrite = overwrite;
        }

        public NamingFields NamingFields => template.Fields;

        public string StateDirectory => directory;

        public bool WritesConcurrently => true;

        public string SpoolDirectory => directory;

        public StagedMessage Stage(MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken)
        {
            // CopyTo writes 80 KB blocks: the file needs no buffer of its own.
            var file = DurableFile.Create(directory, buffered: false);
            try
            {
                raw.CopyTo(file.Stream);
            }
            catch
            {
                file.Dispose();
                throw;
            }
            return Name(message, file, sha256, cancellationToken);
        }

        // The spooled file holds exactly the bytes the server sent, in this folder already: it is the .eml file.
        public StagedMessage StageSpooled(MessageSummary message, MessageSpool spool, CancellationToken cancellationToken) =>
            Name(message, spool.File, spool.Sha256, cancellationToken);

        StagedMessage Name(MessageSummary message, DurableFile file, string sha256, CancellationToken cancellationToken)
        {
            string target = Path.Combine(directory, template.Render(message, ".eml", DateTimeOffset.UtcNow));
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                file.Seal();
            }
            catch
            {
                file.Dispose();
                throw;
            }
            return StagedMessage.Pending(file, staged =>
            {
                lock (naming)
                {
                    // A run killed after writing a file but before journaling it finds the file here on the
                    // next run: the same bytes under the same name are that message, already saved, not a
                    // collision. Checked when naming, in message order, so it sees the earlier messages' names.
                    if (!overwrite && File.Exists(target) && ContentHash.OfFile(target) == sha256)
                    {
                        staged.Dispose();
                        return target;
                    }
                    return staged.Commit(target, overwrite, syncDirectory: false);
                }
            });
        }

        public void MakeDurable() => DurableFile.SyncDirectory(directory);

        public bool StillHolds(SavedMessage saved) => File.Exists(saved.Path) && ContentHash.OfFile(saved.Path) == saved.Sha256;

        public void Dispose()
        {
        }
    }
}
