using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// A Maildir: each message is written to <c>tmp/</c>, synced, then moved to <c>new/</c> under a
    /// unique name (time, microseconds, process, counter, random, host), as the Maildir convention
    /// says. Line ends are LF, as Maildir readers expect. No ":2," flags, so names are valid on Windows.
    /// </summary>
    internal sealed class MaildirFolder : IMessageStore
    {
        readonly string root;
        readonly string tmp;
        readonly string @new;
        readonly string host;
        readonly int processId = Process.GetCurrentProcess().Id;
        readonly Random random = new Random();
        int delivered;

        public MaildirFolder(string root)
        {
            this.root = root;
            tmp = Path.Combine(root, "tmp");
            @new = Path.Combine(root, "new");
            Directory.CreateDirectory(tmp);
            Directory.CreateDirectory(@new);
            Directory.CreateDirectory(Path.Combine(root, "cur"));
            DurableFile.RemoveStale(tmp);
            host = Environment.MachineName.Replace("/", "\\057").Replace(":", "\\072");
            if (host.Length == 0)
                host = "localhost";
        }

        // Maildir names are unique names of their own, not the message's.
        public NamingFields NamingFields => NamingFields.None;

        public string StateDirectory => root;

        public bool WritesConcurrently => true;

        public string SpoolDirectory => tmp;

        // Maildir wants LF line ends: the spool is read back (from the page cache) into a file of its own.
        public StagedMessage StageSpooled(MessageSummary message, MessageSpool spool, CancellationToken cancellationToken)
        {
            using (spool)
            {
                spool.Position = 0;
                return Stage(message, spool, spool.Sha256, cancellationToken);
            }
        }

        public StagedMessage Stage(MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken)
        {
            var file = DurableFile.Create(tmp);
            try
            {
                LfWriter.Copy(raw, file.Stream, mboxrdQuoting: false);
                cancellationToken.ThrowIfCancellationRequested();
                file.Seal();
            }
            catch
            {
                file.Dispose();
                throw;
            }
            return StagedMessage.Pending(file, staged => staged.Commit(Path.Combine(@new, UniqueName()), overwrite: false, syncDirectory: false));
        }

        public void MakeDurable() => DurableFile.SyncDirectory(@new);

        string UniqueName()
        {
            var now = DateTimeOffset.UtcNow;
            long micros = (now.Ticks / 10) % 1_000_000;
            string seconds = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            int counter = Interlocked.Increment(ref delivered);
            int noise;
            lock (random)
                noise = random.Next();
            return $"{seconds}.M{micros}P{processId}Q{counter}R{noise:x8}.{host}";
        }

        // A mail reader may have moved the file from new/ to cur/, adding ":2,<flags>" to its name.
        public bool StillHolds(SavedMessage saved)
        {
            if (File.Exists(saved.Path))
                return true;
            string cur = Path.Combine(root, "cur");
            string name = Path.GetFileName(saved.Path);
            return Directory.Exists(cur) && Directory.EnumerateFiles(cur, name + "*").GetEnumerator().MoveNext();
        }

        public void Dispose()
        {
        }
    }
}
