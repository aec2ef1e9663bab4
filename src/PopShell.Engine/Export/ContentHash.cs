using System;
using System.IO;
using System.Security.Cryptography;

namespace PopShell.Engine.Export
{
    /// <summary>
    /// The SHA-256 of a message's bytes as upper-case hex: what results and the journal record, and
    /// what a saved copy is checked against, so the two are computed one way only.
    /// </summary>
    internal static class ContentHash
    {
        public static string Of(Stream content)
        {
            using var sha = SHA256.Create();
            return Hex(sha.ComputeHash(content));
        }

        public static string Hex(byte[] hash) => BitConverter.ToString(hash).Replace("-", string.Empty);

        public static string OfFile(string path)
        {
            using var file = File.OpenRead(path);
            return Of(file);
        }
    }
}
