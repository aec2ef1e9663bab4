using System.Globalization;

namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// Gives some messages of a fuzzed mailbox an attachment with a hostile name, for the cases that
/// also extract attachments. Drawn from a generator of its own, so the cases that do not were left
/// as they were. A lie about a message's size stays the same lie about its new size.
/// </summary>
internal static class FuzzAttachments
{
    const string Boundary = "fz-boundary";

    static readonly string[] Names =
    {
        "report.pdf", "../../evil.sh", @"..\..\evil.bat", "con.txt", "a/b.txt", "\u202Efdp.exe", ".hidden", "", "x.",
        new string('n', 300) + ".txt", "é-ü.bin", "C:x.txt",
    };

    public static FuzzMailbox Add(FuzzMailbox mailbox, Random rng)
    {
        var messages = mailbox.Messages.ToList();
        var listLines = mailbox.ListLines.ToList();
        for (int i = 0; i < messages.Count; i++)
        {
            if (rng.Next(3) == 0)
                continue;
            var old = messages[i];
            var (served, headers) = WithAttachment(old, rng);
            string listSize = SameLie(old.ListSize, old.Served.Length, served.Length);
            messages[i] = old with { Served = served, Headers = headers, ListSize = listSize };
            int at = listLines.IndexOf($"{i + 1} {old.ListSize}");
            if (at >= 0)
                listLines[at] = $"{i + 1} {listSize}";
        }
        return new FuzzMailbox
        {
            Messages = messages,
            Capabilities = mailbox.Capabilities,
            StatReply = mailbox.StatReply,
            ListLines = listLines,
            UidlLines = mailbox.UidlLines,
            Greeting = mailbox.Greeting,
        };
    }

    // The header block gains MIME headers; the body becomes the text part, followed by a base64 attachment.
    static (byte[] Served, byte[] Headers) WithAttachment(FuzzMessage message, Random rng)
    {
        var headerLines = message.Headers.AsSpan(0, message.Headers.Length - 2).ToArray();
        var headers = Concat(headerLines, Ascii($"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{Boundary}\"\r\n\r\n"));
        var payload = new byte[rng.Next(0, 3000)];
        rng.NextBytes(payload);
        var encoded = new StringBuilder();
        string base64 = Convert.ToBase64String(payload);
        for (int at = 0; at < base64.Length; at += 76)
            encoded.Append(base64, at, Math.Min(76, base64.Length - at)).Append("\r\n");
        string name = Names[rng.Next(Names.Length)];
        var served = Concat(
            headers,
            Ascii($"--{Boundary}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"),
            message.Served.AsSpan(message.Headers.Length).ToArray(),
            Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"),
            Ascii(encoded.ToString()),
            Ascii($"--{Boundary}--\r\n"));
        return (served, headers);
    }

    // An honest size stays honest, one off by a few bytes stays off by as many; any other lie is kept as it is.
    static string SameLie(string listSize, int oldLength, int newLength)
    {
        if (!long.TryParse(listSize, NumberStyles.None, CultureInfo.InvariantCulture, out long listed))
            return listSize;
        long delta = listed - oldLength;
        return delta is >= -2 and <= 5000 ? (newLength + delta).ToString(CultureInfo.InvariantCulture) : listSize;
    }

    static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
