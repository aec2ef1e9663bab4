using System;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The extended response codes of RFC 2449 and RFC 3206 (<c>-ERR [IN-USE] …</c>), which
    /// decide whether a failure is the password, a lock, or the server.
    /// </summary>
    internal static class ServerResponseCode
    {
        public const string Auth = "AUTH";
        public const string InUse = "IN-USE";
        public const string LoginDelay = "LOGIN-DELAY";
        public const string SysTemp = "SYS/TEMP";
        public const string SysPerm = "SYS/PERM";

        /// <summary>The code in brackets after <c>-ERR</c>, upper-cased, or <see langword="null"/>.</summary>
        public static string? Parse(string? reply)
        {
            if (reply == null || !reply.StartsWith("-ERR [", StringComparison.OrdinalIgnoreCase))
                return null;
            int close = reply.IndexOf(']', 6);
            return close < 0 ? null : reply.Substring(6, close - 6).ToUpperInvariant();
        }
    }
}
