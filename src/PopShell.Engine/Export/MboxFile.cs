using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// An mbox file in the mboxrd variant: each message gets a "From " separator line, LF line ends
    /// and "&gt;From " quoting, and is followed by a blank line. The file is held exclusively while
    /// the export runs. A failed append is cut off again, and a marker file next to the mbox
    /// records the length of its last complete message, so an append interrupted by a crash is
    /// removed when the mbox is next opened: the mbox never keeps a partial message.
    /// </summary>
    internal sealed class MboxFile : IMessageStore
    {
        readonly FileStream stream;
        readonly string markerPath;

        public MboxFile(string path)
        {
            string directory = Path.GetDirectoryName(path)!;
            Directory.CreateDirectory(directory);
            // Messages are spooled next to the mbox; a killed run may have left one.
            DurableFile.RemoveStale(directory);
            StateDirectory = directory;
            markerPath = path + ".popshell-length";
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            try
            {
                RecoverInterruptedAppend();
                CheckIsMbox(path);
                stream.Seek(0, SeekOrigin.End);
                WriteMarker(stream.Length);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        // The separator line: "From <sender> <date>".
        public NamingFields NamingFields => NamingFields.From | NamingFields.Date;

        public string StateDirectory { get; }

        public bool WritesConcurrently => false;

        public string SpoolDirectory => StateDirectory;

        // The mbox wants a separator line, LF line ends and quoting: the spool is read back and appended.
        public StagedMessage StageSpooled(MessageSummary message, MessageSpool spool, CancellationToken cancellationToken)
        {
            using (spool)
            {
                spool.Position = 0;
                return Stage(message, spool, spool.Sha256, cancellationToken);
            }
        }

        // An append has no separate naming step: the message is complete in the mbox when this returns.
        public StagedMessage Stage(MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken) =>
            StagedMessage.Complete(Append(message, raw, cancellationToken));

        string Append(MessageSummary message, Stream raw, CancellationToken cancellationToken)
        {
            long start = stream.Length;
            try
            {
                var buffered = new BufferedStream(stream, 65536);
                byte[] separator = Encoding.ASCII.GetBytes(SeparatorLine(message));
                buffered.Write(separator, 0, separator.Length);
                if (!LfWriter.Copy(raw, buffered, mboxrdQuoting: true))
                    buffered.WriteByte((byte)'\n');
                buffered.WriteByte((byte)'\n');
                buffered.Flush();
                cancellationToken.ThrowIfCancellationRequested();
                stream.Flush(flushToDisk: true);
                WriteMarker(stream.Length);
                return stream.Name;
            }
            catch
            {
                // Leave the mbox exactly as it was before this message.
                stream.SetLength(start);
                stream.Flush(flushToDisk: true);
                throw;
            }
        }

        // Each append is already synced (and its length recorded) before Save returns.
        public void MakeDurable()
        {
        }

        // The mbox is held open by this export; its messages cannot be told apart cheaply, so the file's presence is the check.
        public bool StillHolds(SavedMessage saved) => string.Equals(saved.Path, stream.Name, StringComparison.Ordinal) && stream.Length > 0;

        public void Dispose()
        {
            stream.Dispose();
            try { File.Delete(markerPath); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        void RecoverInterruptedAppend()
        {
            if (!File.Exists(markerPath))
                return;
            string text = File.ReadAllText(markerPath).Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long good) && good < stream.Length)
            {
                stream.SetLength(good);
                stream.Flush(flushToDisk: true);
            }
        }

        void CheckIsMbox(string path)
        {
            if (stream.Length == 0)
                return;
            var head = new byte[5];
            stream.Seek(0, SeekOrigin.Begin);
            int read = stream.Read(head, 0, head.Length);
            if (read < 5 || Encoding.ASCII.GetString(head, 0, read) != "From ")
            {
                throw new PopShellException(
                    PopShellErrorKind.WriteFailed,
                    $"The file '{path}' exists but is not an mbox file (it does not start with \"From \"); nothing was written to it.",
                    "Give -Path a new file name or an existing mbox file.");
            }
        }

        void WriteMarker(long length)
        {
            using var marker = new FileStream(markerPath, FileMode.Create, FileAccess.Write, FileShare.None);
            byte[] bytes = Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture));
            marker.Write(bytes, 0, bytes.Length);
            marker.Flush(flushToDisk: true);
        }

        static string SeparatorLine(MessageSummary message)
        {
            string sender = message.From.Count > 0 ? message.From[0].Address : string.Empty;
            var clean = new StringBuilder(sender.Length);
            foreach (char c in sender)
                clean.Append(c > ' ' && c < 0x7F ? c : '_');
            if (clean.Length == 0)
                clean.Append("MAILER-DAEMON");

            var date = (message.Date ?? DateTimeOffset.UtcNow).UtcDateTime;
            // asctime(3) form, as mbox readers expect: "Sun Nov  2 08:05:09 2026".
            string when = date.ToString("ddd MMM ", CultureInfo.InvariantCulture)
                + date.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
                + date.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
            return $"From {clean} {when}\n";
        }
    }
}
