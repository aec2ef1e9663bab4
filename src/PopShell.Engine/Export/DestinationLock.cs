using System;
using System.IO;
using PopShell.Engine.Errors;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// Holds an export destination for one run, so that two runs (a slow night and the next cron
    /// start) never work on the same folder. The lock is the operating system's own on an open file
    /// in the folder (opened with <see cref="FileShare.None"/>: an exclusive flock on Linux and macOS,
    /// a share-deny-all open on Windows), so the OS releases it when the process ends, however it
    /// ends: a killed run never leaves a stale lock. The file itself stays; only the open handle counts.
    /// </summary>
    public sealed class DestinationLock : IDisposable
    {
        /// <summary>The lock file's name in the destination folder.</summary>
        public const string FileName = ".popshell.lock";

        readonly FileStream stream;

        DestinationLock(string folder, FileStream stream)
        {
            Folder = folder;
            this.stream = stream;
        }

        /// <summary>The folder held.</summary>
        public string Folder { get; }

        /// <summary>
        /// Takes the lock of <paramref name="folder"/> (created if missing) at once, or fails at once if
        /// another run holds it; nothing in the folder is touched either way, beyond the lock file.
        /// </summary>
        /// <exception cref="PopShellException">Another run holds the folder (DestinationInUse), or the folder cannot be used (WriteFailed).</exception>
        public static DestinationLock Acquire(string folder)
        {
            string path = Path.Combine(folder, FileName);
            try
            {
                Directory.CreateDirectory(folder);
                return new DestinationLock(folder, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException ex) when (File.Exists(path) && !(ex is PathTooLongException))
            {
                throw new PopShellException(
                    PopShellErrorKind.DestinationInUse,
                    $"The folder '{folder}' is in use by another export (it holds the lock on '{path}'), so this run did not touch it.",
                    "Wait for the other run to finish; a run that was killed releases the lock by itself. If runs overlap regularly, schedule them further apart.",
                    ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new PopShellException(
                    PopShellErrorKind.WriteFailed,
                    $"The export folder '{folder}' cannot be used: {ex.Message}",
                    "Check the path and that the account running PopShell may write to it.",
                    ex);
            }
        }

        /// <summary>
        /// The folder an export to <paramref name="path"/> works in: the path itself, or for an mbox
        /// file (a path that is not an existing folder) the folder that holds it.
        /// </summary>
        public static string FolderOf(string path, MessageFormat format) =>
            format == MessageFormat.Mbox && !Directory.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path)) ?? path : path;

        /// <summary>Releases the lock.</summary>
        public void Dispose() => stream.Dispose();
    }
}
