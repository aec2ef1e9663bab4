using System;
using System.IO;
using System.Runtime.InteropServices;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// A file that appears at its final path only complete and on disk: it is written under a
    /// temporary name in the target folder, flushed to the device, renamed into place without
    /// replacing anything (unless asked), and the folder is synced so the rename itself survives a
    /// power cut. Disposed before <see cref="Commit"/>, it removes its temporary file.
    /// </summary>
    public sealed class DurableFile : IDisposable
    {
        /// <summary>Prefix of temporary names, so leftovers of a killed process are recognisable.</summary>
        public const string TempPrefix = ".popshell-";

        /// <summary>Suffix of temporary names.</summary>
        public const string TempSuffix = ".tmp";

        readonly FileStream stream;
        bool sealed_;
        bool committed;

        DurableFile(string tempPath, FileStream stream)
        {
            TempPath = tempPath;
            this.stream = stream;
        }

        /// <summary>Where the bytes are written until <see cref="Commit"/>.</summary>
        public string TempPath { get; }

        /// <summary>The stream to write the content to.</summary>
        public Stream Stream => stream;

        /// <summary>
        /// Creates a new temporary file in <paramref name="directory"/>. Without
        /// <paramref name="buffered"/> every write goes straight to the file: for callers that write
        /// large blocks (a stream copy), where a buffer of its own per file would only be allocated,
        /// copied through and thrown away — 80 KB for each of thousands of small messages.
        /// </summary>
        public static DurableFile Create(string directory, bool buffered = true)
        {
            string path = Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N") + TempSuffix);
            // A buffer size of 1 means none, on every runtime (0 is refused by .NET Framework).
            // Readable too: a spooled message is read back for its header and its size check.
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, buffered ? 81920 : 1, FileOptions.None);
            return new DurableFile(path, stream);
        }

        /// <summary>
        /// Flushes to disk and moves the file to <paramref name="finalPath"/>. Without
        /// <paramref name="overwrite"/>, an existing file is never replaced: a suffix " (2)", " (3)"…
        /// is added before the extension. Returns the path actually used. With
        /// <paramref name="syncDirectory"/> false the rename is durable only once the caller syncs the
        /// folder (<see cref="SyncDirectory"/>), which lets a batch of files share one folder sync.
        /// </summary>
        public string Commit(string finalPath, bool overwrite, bool syncDirectory = true)
        {
            Seal();

            string path = overwrite ? ReplaceInto(finalPath) : MoveToFreeName(finalPath);
            committed = true;
            if (syncDirectory)
                SyncDirectory(Path.GetDirectoryName(path)!);
            return path;
        }

        /// <summary>
        /// Flushes the content to the device and closes the file, so that <see cref="Commit"/> is only a
        /// rename. Several files can be sealed at once on different threads; calling it again does nothing.
        /// </summary>
        public void Seal()
        {
            if (sealed_)
                return;
            stream.Flush(flushToDisk: true);
            stream.Dispose();
            sealed_ = true;
        }

        /// <summary>Removes the temporary file unless the file was committed.</summary>
        public void Dispose()
        {
            try { stream.Dispose(); }
            catch (IOException) { } // A failed final flush (disk full) must not keep the temp file from being removed.
            if (!committed)
            {
                try { File.Delete(TempPath); }
                catch (IOException) { } // Best effort: a leftover has the recognisable temp name.
                catch (UnauthorizedAccessException) { }
            }
        }

        string ReplaceInto(string finalPath)
        {
            if (File.Exists(finalPath))
                File.Replace(TempPath, finalPath, null);
            else
                File.Move(TempPath, finalPath);
            return finalPath;
        }

        // .NET's File.Move does not replace an existing file, but on Linux it looks for the name and then
        // renames (strace: lstat, rename): a file that takes the name in between is replaced. Callers that
        // may commit two files to one name at once must take turns (EmlFolder does); another process is
        // kept out of the folder by DestinationLock.
        string MoveToFreeName(string finalPath)
        {
            string directory = Path.GetDirectoryName(finalPath)!;
            string stem = Path.GetFileNameWithoutExtension(finalPath);
            string extension = Path.GetExtension(finalPath);
            for (int attempt = 1; ; attempt++)
            {
                string candidate = attempt == 1 ? finalPath : Path.Combine(directory, $"{stem} ({attempt}){extension}");
                if (File.Exists(candidate))
                    continue;
                try
                {
                    // File.Move refuses to replace an existing file, so a name taken meanwhile is not lost.
                    File.Move(TempPath, candidate);
                    return candidate;
                }
                catch (IOException) when (File.Exists(candidate) && File.Exists(TempPath))
                {
                    // Taken between the check and the move: try the next suffix.
                }
            }
        }

        /// <summary>
        /// Removes temporary files that a killed process left in <paramref name="directory"/>. A file
        /// still being written by another export is held open exclusively, so it cannot be opened
        /// here and is left alone.
        /// </summary>
        public static int RemoveStale(string directory)
        {
            int removed = 0;
            foreach (string path in Directory.EnumerateFiles(directory, TempPrefix + "*" + TempSuffix))
            {
                try
                {
                    using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    {
                    }
                    File.Delete(path);
                    removed++;
                }
                catch (IOException)
                {
                    // In use by a running export.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            return removed;
        }

        /// <summary>Makes a rename in <paramref name="directory"/> durable (Unix; Windows has no directory handles to sync).</summary>
        public static void SyncDirectory(string directory)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return;
            int fd = NativeMethods.open(directory, 0 /* O_RDONLY */);
            if (fd < 0)
                return;
            try { NativeMethods.fsync(fd); }
            finally { NativeMethods.close(fd); }
        }

        static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

            [DllImport("libc", SetLastError = true)]
            public static extern int fsync(int fd);

            [DllImport("libc", SetLastError = true)]
            public static extern int close(int fd);
        }
    }
}
