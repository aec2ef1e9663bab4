using System.Globalization;

namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// Draws a mailbox from a seeded <see cref="Random"/>: mostly honest, so the engine gets deep into
/// a session, with the odd lie about sizes, UIDs, counts and capabilities that real servers tell.
/// </summary>
internal static class FuzzMailboxGenerator
{
    static readonly string[] OddUids =
    {
        "a/b", "..", "../../etc/passwd", @"a\b", @"..\..\x", "c:x", "*", "?", "%41", "con", "NUL", "x.", "é-ü", "\u202Eexe.txt",
        new string('u', 70), new string('v', 200), "\x01\x7F", "a\tb", ".popshell-saved-0000000000000000.log",
    };

    static readonly string[] BodyLines =
    {
        ".", "..", "...", ".x", ". ", "From me", ">From you", "From", "+OK", "-ERR", "\t", "=2E", "\0", "\x1B[2J",
    };

    public static FuzzMailbox Generate(Random rng)
    {
        int count = rng.Next(100) switch { < 8 => 0, < 25 => 1, < 85 => rng.Next(2, 5), _ => rng.Next(5, 9) };
        var messages = new List<FuzzMessage>(count);
        for (int i = 1; i <= count; i++)
        {
            var (served, headers, endedWithoutBreak) = Content(rng, i);
            messages.Add(new FuzzMessage(served, headers, ListSize(rng, served.Length, endedWithoutBreak), Uid(rng, i)));
        }
        // Duplicates are drawn after all UIDs exist, so any message can repeat any other's.
        for (int i = 0; i < count; i++)
        {
            if (count > 1 && rng.Next(25) == 0)
                messages[i] = messages[i] with { Uid = messages[rng.Next(count)].Uid };
        }

        bool uidl = rng.Next(10) != 0;
        return new FuzzMailbox
        {
            Messages = messages,
            Capabilities = rng.Next(7) == 0 ? null : Capabilities(rng, uidl),
            StatReply = Stat(rng, messages),
            ListLines = Listing(rng, messages.Select((m, i) => $"{i + 1} {m.ListSize}").ToList()),
            UidlLines = uidl ? Listing(rng, messages.Select((m, i) => m.Uid == null ? null : $"{i + 1} {m.Uid}").Where(l => l != null).Select(l => l!).ToList()) : null,
            Greeting = rng.Next(10) == 0 ? "+OK ready <" + rng.Next() + ".fuzz@example.org>" : "+OK fuzz server ready",
        };
    }

    /// <summary>
    /// The mailbox at the next run, when new mail has arrived: a twin of one message, with its UID and
    /// size but other bytes (a sender-controlled X-UIDL, or Dovecot's duplicate UIDs). Only its bytes tell it apart.
    /// </summary>
    public static FuzzMailbox WithNewTwin(FuzzMailbox mailbox, Random rng)
    {
        if (mailbox.Messages.Count == 0)
            return mailbox;
        var original = mailbox.Messages[rng.Next(mailbox.Messages.Count)];
        var twin = original with { Served = Twin(original.Served), Headers = Twin(original.Headers) };
        int number = mailbox.Messages.Count + 1;
        return new FuzzMailbox
        {
            Messages = mailbox.Messages.Append(twin).ToList(),
            Capabilities = mailbox.Capabilities,
            StatReply = $"+OK {number} {mailbox.Messages.Sum(m => (long)m.Served.Length) + twin.Served.Length}",
            ListLines = mailbox.ListLines.Append($"{number} {twin.ListSize}").ToList(),
            UidlLines = mailbox.UidlLines == null || twin.Uid == null ? mailbox.UidlLines : mailbox.UidlLines.Append($"{number} {twin.Uid}").ToList(),
            Greeting = mailbox.Greeting,
        };
    }

    static List<string> Capabilities(Random rng, bool uidl)
    {
        var caps = new List<string>();
        if (rng.Next(10) != 0) caps.Add("USER");
        if (uidl) caps.Add("UIDL");
        if (rng.Next(4) != 0) caps.Add("TOP");
        if (rng.Next(3) != 0) caps.Add("PIPELINING");
        if (rng.Next(2) == 0) caps.Add("RESP-CODES");
        if (rng.Next(8) == 0) caps.Add("EXPIRE 0");
        if (rng.Next(10) == 0) caps.Add("LOGIN-DELAY 300");
        if (rng.Next(8) == 0) caps.Add("SASL PLAIN");
        return caps;
    }

    // A message: a few header lines, a blank line, then body lines of every awkward kind; CRLF line ends.
    static (byte[] Served, byte[] Headers, bool EndedWithoutBreak) Content(Random rng, int number)
    {
        var lines = new List<byte[]>
        {
            Ascii($"From: Sender {number} <s{number}@example.org>"),
            Ascii($"Subject: fuzz {number} {Word(rng)}"),
        };
        if (rng.Next(2) == 0) lines.Add(Ascii($"Date: Tue, {rng.Next(1, 28)} Oct 2025 10:{rng.Next(10, 59)}:00 +0000"));
        if (rng.Next(3) == 0) lines.Add(Ascii($"Message-ID: <{rng.Next()}@fuzz>"));
        if (rng.Next(6) == 0) lines.Add(RandomBytes(rng, rng.Next(1, 80)));
        if (rng.Next(8) == 0) lines.Add(Ascii("\tfolded continuation"));
        lines.Add(Array.Empty<byte>());
        int headerLines = lines.Count;

        int bodyLines = rng.Next(100) < 5 ? rng.Next(200, 600) : rng.Next(0, 25);
        for (int i = 0; i < bodyLines; i++)
        {
            lines.Add(rng.Next(10) switch
            {
                0 or 1 => Encoding.UTF8.GetBytes(BodyLines[rng.Next(BodyLines.Length)]),
                2 => RandomBytes(rng, rng.Next(1, 120)),
                3 => Ascii(new string((char)('a' + rng.Next(26)), rng.Next(500, 3000))),
                4 => Array.Empty<byte>(),
                _ => Ascii(Word(rng) + " " + Word(rng) + " " + Word(rng)),
            });
        }

        var served = new MemoryStream();
        var headers = new MemoryStream();
        bool endedWithoutBreak = lines.Count > headerLines && lines[^1].Length > 0 && rng.Next(6) == 0;
        for (int i = 0; i < lines.Count; i++)
        {
            served.Write(lines[i]);
            // Without a final line break the server adds one before the terminating dot, as real servers do.
            served.Write("\r\n"u8);
            if (i < headerLines)
            {
                headers.Write(lines[i]);
                headers.Write("\r\n"u8);
            }
        }
        return (served.ToArray(), headers.ToArray(), endedWithoutBreak);
    }

    // Honest most of the time; otherwise the lies of sections 6.25, 6.30 and 6.31 of the reliability notes.
    static string ListSize(Random rng, int served, bool endedWithoutBreak)
    {
        if (endedWithoutBreak && rng.Next(2) == 0)
            return (served - 2).ToString(CultureInfo.InvariantCulture); // Courier, Cyrus, Mailutils
        return rng.Next(150) switch
        {
            0 => (served - 1).ToString(CultureInfo.InvariantCulture),
            1 => (served + 1).ToString(CultureInfo.InvariantCulture),
            2 => (served - 2).ToString(CultureInfo.InvariantCulture),
            3 => (served + 2).ToString(CultureInfo.InvariantCulture),
            4 => (served + rng.Next(3, 5000)).ToString(CultureInfo.InvariantCulture),
            5 => "0",
            6 => "99999999999",
            7 => "-5",
            8 => "2147483648",
            9 => "abc",
            10 => "99999999999999999999999",
            _ => served.ToString(CultureInfo.InvariantCulture),
        };
    }

    static string? Uid(Random rng, int number) => rng.Next(30) switch
    {
        0 => null,
        1 or 2 or 3 => OddUids[rng.Next(OddUids.Length)],
        _ => $"uid-{number}-{rng.Next(100000):x}",
    };

    static string Stat(Random rng, List<FuzzMessage> messages)
    {
        long total = messages.Sum(m => (long)m.Served.Length);
        return rng.Next(60) switch
        {
            0 => $"+OK {messages.Count + 1} {total}",
            1 => $"+OK {Math.Max(0, messages.Count - 1)} {total}",
            2 => "+OK",
            3 => $"+OK {messages.Count} -1",
            4 => $"+OK 99999999999 {total}",
            _ => $"+OK {messages.Count} {total}",
        };
    }

    // LIST and UIDL lines: usually as they are, sometimes one missing, repeated, extra, or out of order.
    static List<string> Listing(Random rng, List<string> lines)
    {
        if (lines.Count == 0 || rng.Next(30) != 0)
            return lines;
        var odd = new List<string>(lines);
        switch (rng.Next(5))
        {
            case 0: odd.RemoveAt(rng.Next(odd.Count)); break;
            case 1: odd.Insert(rng.Next(odd.Count), odd[rng.Next(odd.Count)]); break;
            case 2: odd.Add($"{odd.Count + 1} extra"); break;
            case 3: odd.Reverse(); break;
            default: odd[rng.Next(odd.Count)] = "garbage"; break;
        }
        return odd;
    }

    // The same bytes but for the first letter of the subject, so the size stays the same.
    static byte[] Twin(byte[] message)
    {
        var twin = (byte[])message.Clone();
        int subject = message.AsSpan().IndexOf("Subject: "u8) + "Subject: ".Length;
        twin[subject] = (byte)(twin[subject] == 'T' ? 'U' : 'T');
        return twin;
    }

    static string Word(Random rng)
    {
        var chars = new char[rng.Next(1, 10)];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = (char)('a' + rng.Next(26));
        return new string(chars);
    }

    // Any bytes but CR and LF: the line structure of an honest message stays intact.
    static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is (byte)'\r' or (byte)'\n')
                bytes[i] = (byte)'?';
        }
        return bytes;
    }

    static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);
}
