using System.Text;

namespace PopShell.Engine.Text
{
    /// <summary>
    /// Makes the legacy charsets that mail still uses (windows-1252, KOI8-R, ISO-2022-JP, GB2312, …)
    /// available to MimeKit. .NET Framework has them built in; .NET (PowerShell 7) only after the
    /// code-pages provider is registered, and without it those subjects decode as Latin-1 garbage.
    /// </summary>
    internal static class CodePages
    {
        static readonly object Registration = Register();

        /// <summary>Registers the provider once per process; later calls do nothing.</summary>
        public static void EnsureRegistered() => _ = Registration;

        static object Register()
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return new object();
        }
    }
}
