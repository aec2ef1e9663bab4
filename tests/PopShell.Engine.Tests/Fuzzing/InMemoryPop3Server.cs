using System.Globalization;

namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// A POP3 server that is the client's stream: each command line the client writes is answered at
/// once from a <see cref="FuzzMailbox"/>, the answer changed by the planned mutations, and queued
/// for the client to read. With nothing queued a read ends the stream, as a server that closed.
/// No sockets and no threads, so a session costs microseconds and replays exactly.
/// It records every command and every RETR reply as sent, and asks <see cref="BeforeDele"/> and
/// <see cref="BeforeQuit"/> at the moment those commands arrive, so the test can check what was on
/// disk right then.
/// </summary>
internal sealed class InMemoryPop3Server : Stream
{
    readonly FuzzMailbox mailbox;
    readonly IReadOnlyList<ReplyMutation> mutations;
    readonly Random chunks;
    readonly bool byteByByte;
    readonly MemoryStream pendingCommand = new();
    readonly Queue<byte[]> output = new();
    readonly HashSet<int> marked = new();
    byte[]? current;
    int currentOffset;
    int replies;
    bool closed;
    bool awaitingSaslResponse;

    public InMemoryPop3Server(FuzzMailbox mailbox, IReadOnlyList<ReplyMutation> mutations, int seed)
    {
        this.mailbox = mailbox;
        this.mutations = mutations;
        chunks = new Random(seed);
        // Some cases hand the client one byte per read, so every boundary (a "." split from its CRLF) is hit.
        byteByByte = chunks.Next(8) == 0;
        Reply(Encoding.UTF8.GetBytes(mailbox.Greeting + "\r\n"));
    }

    /// <summary>Every line the client sent, in order.</summary>
    public List<string> Commands { get; } = new();

    /// <summary>Each RETR reply sent with +OK: the message number, the message as the reply frames it (null if it never ends), and whether the export asked for it.</summary>
    public List<(int Number, byte[]? Content, bool Export)> Retrieved { get; } = new();

    /// <summary>Messages the server acknowledged DELE for (and not RSET since).</summary>
    public IReadOnlyCollection<int> Marked => marked;

    /// <summary>Whether a CAPA reply was mutated, so the client may not know what the server announced.</summary>
    public bool CapabilitiesTampered { get; private set; }

    /// <summary>Whether the client sent QUIT while the server was still listening.</summary>
    public bool QuitReceived { get; private set; }

    /// <summary>Set by the test when the export starts, so retrievals by the listing are told apart.</summary>
    public bool Exporting { get; set; }

    /// <summary>Asked with the message number when DELE arrives; returns what is wrong, or null.</summary>
    public Func<int, string?>? BeforeDele { get; set; }

    /// <summary>Asked when QUIT arrives; returns what is wrong, or null.</summary>
    public Func<string?>? BeforeQuit { get; set; }

    /// <summary>Invariants broken, found at the moment of the command.</summary>
    public List<string> Violations { get; } = new();

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (current == null || currentOffset == current.Length)
        {
            if (output.Count == 0)
                return 0;
            current = output.Dequeue();
            currentOffset = 0;
        }
        int n = Math.Min(count, current.Length - currentOffset);
        if (byteByByte)
            n = 1;
        else if (n > 1 && chunks.Next(4) == 0)
            n = chunks.Next(1, n + 1);
        Array.Copy(current, currentOffset, buffer, offset, n);
        currentOffset += n;
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        for (int i = offset; i < offset + count; i++)
        {
            if (buffer[i] != '\n')
            {
                pendingCommand.WriteByte(buffer[i]);
                continue;
            }
            string line = Encoding.UTF8.GetString(pendingCommand.ToArray()).TrimEnd('\r');
            pendingCommand.SetLength(0);
            Commands.Add(line);
            if (!closed)
                Answer(line);
        }
    }

    void Answer(string line)
    {
        if (awaitingSaslResponse)
        {
            awaitingSaslResponse = false;
            Reply("+OK Logged in.");
            return;
        }
        string[] words = line.Split(' ');
        string verb = words[0].ToUpperInvariant();
        int number = words.Length > 1 && int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
        var message = mailbox.ByNumber(number);
        switch (verb)
        {
            case "CAPA" when mailbox.Capabilities == null:
                Reply("-ERR Unknown command.");
                break;
            case "CAPA":
                Reply(MultiLine("+OK Capability list follows", mailbox.Capabilities.Select(Encoding.UTF8.GetBytes)), capabilities: true);
                break;
            case "USER":
            case "NOOP":
                Reply("+OK");
                break;
            case "PASS":
                Reply("+OK Logged in.");
                break;
            case "AUTH" when words.Length > 2:
                Reply("+OK Logged in.");
                break;
            case "AUTH":
                awaitingSaslResponse = true;
                Reply("+ ");
                break;
            case "STAT":
                Reply(mailbox.StatReply);
                break;
            case "LIST" when words.Length == 1:
                Reply(MultiLine("+OK", mailbox.ListLines.Select(Encoding.UTF8.GetBytes)));
                break;
            case "LIST":
                Reply(message != null ? $"+OK {number} {message.ListSize}" : "-ERR No such message.");
                break;
            case "UIDL" when mailbox.UidlLines == null:
                Reply("-ERR Unknown command.");
                break;
            case "UIDL" when words.Length == 1:
                Reply(MultiLine("+OK", mailbox.UidlLines.Select(Encoding.UTF8.GetBytes)));
                break;
            case "UIDL":
                Reply(message?.Uid != null ? $"+OK {number} {message.Uid}" : "-ERR No such message.");
                break;
            case "TOP" when message != null:
                Reply(MultiLine("+OK", Lines(message.Headers)));
                break;
            case "RETR" when message != null:
            {
                var sent = Reply(MultiLine($"+OK {message.Served.Length} octets", Lines(message.Served)));
                if (sent.AsSpan().StartsWith("+OK"u8))
                    Retrieved.Add((number, Framed(sent), Exporting));
                break;
            }
            case "DELE" when message != null && !marked.Contains(number):
                if (BeforeDele?.Invoke(number) is { } wrong)
                    Violations.Add($"DELE {number}: {wrong}");
                if (Reply("+OK Marked to be deleted.").AsSpan().StartsWith("+OK"u8))
                    marked.Add(number);
                break;
            case "DELE" when message != null:
                Reply("-ERR Message already deleted.");
                break;
            case "RSET":
                marked.Clear();
                Reply("+OK");
                break;
            case "QUIT":
                QuitReceived = true;
                if (BeforeQuit?.Invoke() is { } problem)
                    Violations.Add($"QUIT: {problem}");
                Reply("+OK Logging out.");
                closed = true;
                break;
            default:
                Reply("-ERR No such message or unknown command.");
                break;
        }
    }

    byte[] Reply(string line, bool capabilities = false) => Reply(Encoding.UTF8.GetBytes(line + "\r\n"), capabilities);

    // Applies the mutations planned for this reply; returns what was really sent.
    byte[] Reply(byte[] reply, bool capabilities = false)
    {
        int index = replies++;
        foreach (var mutation in mutations.Where(m => m.Reply == index))
        {
            var (changed, close) = mutation.Apply(reply);
            reply = changed;
            CapabilitiesTampered |= capabilities;
            if (close)
                closed = true;
        }
        output.Enqueue(reply);
        return reply;
    }

    static IEnumerable<byte[]> Lines(byte[] content)
    {
        int start = 0;
        while (start < content.Length)
        {
            int end = Array.IndexOf(content, (byte)'\n', start);
            yield return content[start..(end - 1)];
            start = end + 1;
        }
    }

    // RFC 1939 section 3: the status line, then each line dot-stuffed, then "." alone.
    static byte[] MultiLine(string status, IEnumerable<byte[]> lines)
    {
        var reply = new MemoryStream();
        reply.Write(Encoding.UTF8.GetBytes(status + "\r\n"));
        foreach (var line in lines)
        {
            if (line.Length > 0 && line[0] == '.')
                reply.WriteByte((byte)'.');
            reply.Write(line);
            reply.Write("\r\n"u8);
        }
        reply.Write(".\r\n"u8);
        return reply.ToArray();
    }

    /// <summary>
    /// The message a multi-line reply carries, read the way RFC 1939 frames it: after the status line,
    /// up to a line that is "." alone, each line's leading "." of stuffing removed. Null without an end.
    /// </summary>
    static byte[]? Framed(byte[] reply)
    {
        int start = Array.IndexOf(reply, (byte)'\n') + 1;
        if (start == 0)
            return null;
        var content = new MemoryStream();
        while (start < reply.Length)
        {
            int end = Array.IndexOf(reply, (byte)'\n', start);
            if (end < 0)
                return null;
            var line = reply.AsSpan(start, end - start);
            if (line.SequenceEqual("."u8) || line.SequenceEqual(".\r"u8))
                return content.ToArray();
            if (line.Length > 0 && line[0] == '.')
                line = line[1..];
            content.Write(line);
            content.WriteByte((byte)'\n');
            start = end + 1;
        }
        return null;
    }

    public override void Flush()
    {
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
