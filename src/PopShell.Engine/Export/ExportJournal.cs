using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// The incremental export's memory: which UIDs of one mailbox were saved to one folder. It is an
    /// append-only file (one line per saved message, synced to disk before the message may be
    /// deleted from the server), so it costs one small write per message however large the
    /// mailbox, and a crash can only cut off its last line, which is then ignored: it never claims
    /// a message that was not saved, and at worst forgets the one saved just before the crash
    /// (which is then saved again, never lost).
    /// </summary>
    /// <remarks>
    /// A line is <c>v2 TAB uid TAB list-size TAB sha256 TAB path TAB saved-at</c> (UID and path
    /// percent-escaped, saved-at in UTC as <c>yyyy-MM-ddTHH:mm:ssZ</c>), so "delete N days after the
    /// save" can be decided from the journal. Versions before it wrote <c>v1</c> lines without the time;
    /// they are still read, see <see cref="SavedAtOfLegacyLine"/>.
    /// </remarks>
    public sealed class ExportJournal : IDisposable
    {
        const string Version = "v2";
        const string LegacyVersion = "v1";
        const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

        readonly Dictionary<string, SavedMessage> saved = new Dictionary<string, SavedMessage>(StringComparer.Ordinal);
        readonly FileStream stream;

        ExportJournal(string path, FileStream stream)
        {
            Path = path;
            this.stream = stream;
        }

        /// <summary>Where the journal is.</summary>
        public string Path { get; }

        /// <summary>Opens (or creates) the journal of <paramref name="mailbox"/> in <paramref name="directory"/>.</summary>
        /// <param name="directory">The export folder.</param>
        /// <param name="mailbox">Identifies the mailbox, e.g. "user@server:port": UIDs are only unique within one.</param>
        public static ExportJournal Open(string directory, string mailbox)
        {
            string path = System.IO.Path.Combine(directory, FileNameFor(mailbox));
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var journal = new ExportJournal(path, stream);
            try
            {
                journal.Load();
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            return journal;
        }

        /// <summary>The journal's file name for a mailbox: hashed, so no server or user name lands in a path.</summary>
        public static string FileNameFor(string mailbox)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(mailbox));
            return ".popshell-saved-" + BitConverter.ToString(hash, 0, 8).Replace("-", string.Empty).ToLowerInvariant() + ".log";
        }

        /// <summary>Whether <paramref name="uid"/> was saved, and where.</summary>
        public bool TryGet(string uid, out SavedMessage message) => saved.TryGetValue(uid, out message!);

        /// <summary>
        /// Records several saved messages with one write and one flush to disk. A message without
        /// <see cref="SavedMessage.SavedAt"/> is recorded as saved now.
        /// </summary>
        public void Record(IReadOnlyCollection<SavedMessage> messages)
        {
            if (messages.Count == 0)
                return;
            // Whole seconds: the line says what the next run reads back, to the second.
            var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var stamped = new List<SavedMessage>(messages.Count);
            var text = new StringBuilder();
            foreach (var m in messages)
            {
                var message = m.SavedAt == null ? m with { SavedAt = now } : m;
                stamped.Add(message);
                text.Append(Version).Append('\t').Append(Uri.EscapeDataString(message.Uid)).Append('\t')
                    .Append(message.ListSize.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(message.Sha256).Append('\t')
                    .Append(Uri.EscapeDataString(message.Path)).Append('\t')
                    .Append(message.SavedAt!.Value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)).Append('\n');
            }
            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            stream.Seek(0, SeekOrigin.End);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
            foreach (var m in stamped)
                saved[m.Uid] = m;
        }

        // A line this version or an earlier one wrote, or null for anything else (never a claim).
        static SavedMessage? Parse(string line)
        {
            string[] fields = line.Split('\t');
            bool current = fields.Length == 6 && fields[0] == Version;
            bool legacy = fields.Length == 5 && fields[0] == LegacyVersion;
            if (!(current || legacy) || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long listSize))
                return null;
            DateTimeOffset? savedAt = null;
            if (current)
            {
                if (!DateTimeOffset.TryParseExact(fields[5], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                    return null;
                savedAt = at;
            }
            string path = Uri.UnescapeDataString(fields[4]);
            return new SavedMessage(Uri.UnescapeDataString(fields[1]), listSize, fields[3], path) { SavedAt = current ? savedAt : SavedAtOfLegacyLine(path) };
        }

        /// <summary>
        /// When a message recorded by a journal line without a time (written before this version) was
        /// saved, as far as can be known: the last write time of its saved file. That file was written
        /// once, under a temporary name, and renamed into place, so its time is the save's time; an mbox
        /// file's time is that of its last append, later than the save. Either way the time is never
        /// earlier than the save, so "N days after the save" never deletes early. Not "now": that would
        /// be now again on every run, and the message would never come due. Null when the file is gone;
        /// such a message is never deleted on the strength of its age.
        /// </summary>
        internal static DateTimeOffset? SavedAtOfLegacyLine(string path)
        {
            try
            {
                return File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : (DateTimeOffset?)null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>Closes the file.</summary>
        public void Dispose() => stream.Dispose();

        void Load()
        {
            var reader = new StreamReader(stream, new UTF8Encoding(false), false, 65536, leaveOpen: true);
            string content = reader.ReadToEnd();
            int start = 0;
            long goodLength = 0;
            while (start < content.Length)
            {
                int end = content.IndexOf('\n', start);
                if (end < 0)
                    break; // A line cut off by a crash: not a claim.
                string line = content.Substring(start, end - start);
                if (Parse(line) is { } message)
                    saved[message.Uid] = message;
                start = end + 1;
                goodLength += Encoding.UTF8.GetByteCount(line) + 1;
            }

            // Drop a cut-off tail so the next record starts on a line of its own.
            if (goodLength < stream.Length)
            {
                stream.SetLength(goodLength);
                stream.Flush(flushToDisk: true);
            }
        }
    }
}
