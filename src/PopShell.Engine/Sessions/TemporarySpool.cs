using System;
using System.IO;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// Where a large message goes while it arrives when it is only to be read (its body, its
    /// attachments), not saved: a temporary file that the system removes when it is closed, so a
    /// message of any size costs a read buffer, not its size in memory. Small messages stay in memory.
    /// </summary>
    internal static class TemporarySpool
    {
        /// <summary>Messages up to this size (by LIST) are held in memory.</summary>
        public const long InMemoryUpTo = 1024 * 1024;

        /// <summary>A destination for a message of <paramref name="listedSize"/> bytes.</summary>
        public static Stream For(long listedSize) => listedSize <= InMemoryUpTo
            ? new MemoryStream()
            : new FileStream(
                Path.Combine(Path.GetTempPath(), ".popshell-" + Guid.NewGuid().ToString("N") + ".tmp"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
    }
}
