namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>One message of a fuzzed mailbox.</summary>
/// <param name="Served">The bytes an honest RETR carries, before dot-stuffing: always CRLF-terminated lines.</param>
/// <param name="Headers">The header block and the blank line after it, as TOP n 0 carries it.</param>
/// <param name="ListSize">What LIST says about its size: the honest length, a lie, or not a number at all.</param>
/// <param name="Uid">What UIDL says for it (may repeat another's, hold odd bytes or be missing).</param>
internal sealed record FuzzMessage(byte[] Served, byte[] Headers, string ListSize, string? Uid);

/// <summary>
/// The mailbox an in-memory server pretends to hold, with the oddities decided up front: the
/// replies to STAT, LIST and UIDL are kept as lines so they can lie independently of the messages.
/// </summary>
internal sealed class FuzzMailbox
{
    public required IReadOnlyList<FuzzMessage> Messages { get; init; }

    /// <summary>The CAPA reply's lines, or null for a server that answers CAPA with -ERR.</summary>
    public required IReadOnlyList<string>? Capabilities { get; init; }

    public required string StatReply { get; init; }

    public required IReadOnlyList<string> ListLines { get; init; }

    /// <summary>UIDL's lines, or null for a server without UIDL.</summary>
    public required IReadOnlyList<string>? UidlLines { get; init; }

    public required string Greeting { get; init; }

    public bool AnnouncesExpireZero => Capabilities?.Contains("EXPIRE 0") == true;

    public FuzzMessage? ByNumber(int number) => number >= 1 && number <= Messages.Count ? Messages[number - 1] : null;

    /// <summary>A short description for a failure report, so a failing case can be understood without replaying it.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("CAPA: ").Append(Capabilities == null ? "(-ERR)" : string.Join(" | ", Capabilities)).Append('\n');
        text.Append("STAT: ").Append(StatReply).Append('\n');
        text.Append("LIST: ").Append(string.Join(" | ", ListLines)).Append('\n');
        text.Append("UIDL: ").Append(UidlLines == null ? "(none)" : string.Join(" | ", UidlLines)).Append('\n');
        for (int i = 0; i < Messages.Count; i++)
            text.Append($"message {i + 1}: {Messages[i].Served.Length} bytes served, LIST {Messages[i].ListSize}, UID {Messages[i].Uid}\n");
        return text.ToString();
    }
}
