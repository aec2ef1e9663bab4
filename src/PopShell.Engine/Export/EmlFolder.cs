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

        public EmlFolder(string directory, FileNameTemplate template, bool overwrite)
        {
            Directory.CreateDirectory(directory);
            DurableFile.RemoveStale(directory);
            this.directory = directory;
            this.template = template;
            this.overwrite = overwrite;
        }

        public string StateDirectory => directory;

        public bool WritesConcurrently => true;

        public string Save(MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken)
        {
            string name = template.Render(message, ".eml", DateTimeOffset.UtcNow);
            string target = Path.Combine(directory, name);

            // A run killed after writing a file but before journaling it finds the file here on the next
            // run: the same bytes under the same name are that message, already saved, not a collision.
            if (!overwrite && File.Exists(target) && HashOf(target) == sha256)
                return target;

            using var file = DurableFile.Create(directory);
            raw.CopyTo(file.Stream);
            cancellationToken.ThrowIfCancellationRequested();
            return file.Commit(target, overwrite, syncDirectory: false);
        }

        public void MakeDurable() => DurableFile.SyncDirectory(directory);

        public bool StillHolds(SavedMessage saved) => File.Exists(saved.Path) && HashOf(saved.Path) == saved.Sha256;

        static string HashOf(string path)
        {
            using var file = File.OpenRead(path);
            using var sha = System.Security.Cryptography.SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(file)).Replace("-", string.Empty);
        }

        public void Dispose()
        {
        }
    }
}
