using System.Globalization;

namespace PopShell
{
    /// <summary>
    /// Sizes as the default views show them ("512 B", "4.2 KB", "12.0 MB"): the one place the format
    /// lives, called by every view in PopShell.format.ps1xml that shows a size.
    /// </summary>
    public static class ByteSize
    {
        /// <summary>The size in bytes, KB or MB (powers of 1,024), with one decimal above bytes.</summary>
        /// <param name="bytes">A size in bytes.</param>
        public static string Format(long bytes) =>
            bytes >= 1024 * 1024 ? (bytes / 1048576.0).ToString("0.0", CultureInfo.CurrentCulture) + " MB"
            : bytes >= 1024 ? (bytes / 1024.0).ToString("0.0", CultureInfo.CurrentCulture) + " KB"
            : bytes.ToString(CultureInfo.CurrentCulture) + " B";
    }
}
