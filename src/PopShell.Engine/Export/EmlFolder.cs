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

        public string Save(MessageSummary message, Stream raw, CancellationToken cancellationToken)
        {
            string name = template.Render(message, ".eml", DateTimeOffset.UtcNow);
            using var file = DurableFile.Create(directory);
            raw.CopyTo(file.Stream);
            cancellationToken.ThrowIfCancellationRequested();
            return file.Commit(Path.Combine(directory, name), overwrite);
        }

        public bool StillHolds(SavedMessage saved)
        {
            if (!File.Exists(saved.Path))
                return false;
            using var file = File.OpenRead(saved.Path);
            using var sha = System.Security.Cryptography.SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(file)).Replace("-", string.Empty) == saved.Sha256;
        }

        public void Dispose()
        {
        }
    }
}
