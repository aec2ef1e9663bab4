namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// One change to one of the server's replies (counted from the greeting, 0): the byte-level faults
/// of hostile or broken servers. Planned from the case's seed before the session starts, so a case
/// replays exactly.
/// </summary>
internal sealed record ReplyMutation(int Reply, ReplyMutation.Kind What, int Position, int Parameter)
{
    public enum Kind
    {
        TruncateAndClose,
        FlipByte,
        InsertBytes,
        ErrStatus,
        GarbageStatus,
        OverlongLine,
        DropTerminatorAndClose,
        CrLfToLf,
        CrLfToCr,
        HugeNumber,
        Duplicate,
        NothingAndClose,
        AppendGarbageLine,
    }

    static readonly string[] Inserts =
    {
        "\0", "\r", "\n", "\r\n", ".\r\n", "\r\n.\r\n", "\n.\n", "+OK\r\n", "-ERR [SYS/TEMP] busy\r\n", "..\r\n", "\x80\xFF",
    };

    static readonly string[] ErrStatuses =
    {
        "-ERR", "-ERR [SYS/TEMP] try again later", "-ERR [SYS/PERM] mailbox corrupt", "-ERR [IN-USE] locked",
        "-ERR [LOGIN-DELAY] wait", "-ERR [AUTH] bad", "-ERR Message expunged.", "-ERR \x1B[31mred",
    };

    static readonly string[] GarbageStatuses = { "OK", "+ok", "BLAH", "", " +OK", "+OKAY", "\0\0\0", "-", "+", "* OK", "220 smtp" };

    static readonly string[] HugeNumbers = { "99999999999999999999", "-1", "2147483648", "0", "18446744073709551616" };

    /// <summary>Draws 0 to 3 mutations, most on the replies after login where the exporter works.</summary>
    public static IReadOnlyList<ReplyMutation> Plan(Random rng)
    {
        int count = rng.Next(10) switch { < 2 => 0, < 7 => 1, < 9 => 2, _ => 3 };
        var plan = new List<ReplyMutation>(count);
        for (int i = 0; i < count; i++)
        {
            int reply = rng.Next(4) == 0 ? rng.Next(0, 8) : rng.Next(5, 30);
            plan.Add(new ReplyMutation(reply, (Kind)rng.Next(Enum.GetValues<Kind>().Length), rng.Next(), rng.Next()));
        }
        return plan;
    }

    /// <summary>The mutated reply, and whether the server closes its side after sending it.</summary>
    public (byte[] Reply, bool Close) Apply(byte[] reply)
    {
        int at = reply.Length == 0 ? 0 : Position % (reply.Length + 1);
        int firstLineEnd = Array.IndexOf(reply, (byte)'\n');
        int statusEnd = firstLineEnd < 0 ? reply.Length : firstLineEnd > 0 && reply[firstLineEnd - 1] == '\r' ? firstLineEnd - 1 : firstLineEnd;
        switch (What)
        {
            case Kind.TruncateAndClose:
                return (reply[..Math.Min(at, Math.Max(0, reply.Length - 1))], true);
            case Kind.FlipByte:
            {
                if (reply.Length == 0)
                    return (reply, false);
                var copy = (byte[])reply.Clone();
                copy[Position % copy.Length] ^= (byte)(1 + Parameter % 255);
                return (copy, false);
            }
            case Kind.InsertBytes:
                return (Concat(reply[..at], Latin1(Inserts[Parameter % Inserts.Length]), reply[at..]), false);
            case Kind.ErrStatus:
                return (Concat(Latin1(ErrStatuses[Parameter % ErrStatuses.Length]), reply[statusEnd..]), false);
            case Kind.GarbageStatus:
                return (Concat(Latin1(GarbageStatuses[Parameter % GarbageStatuses.Length]), reply[statusEnd..]), false);
            case Kind.OverlongLine:
            {
                int length = (Parameter % 3) switch { 0 => 600, 1 => 20_000, _ => 300_000 };
                return (Concat(reply[..at], Enumerable.Repeat((byte)'A', length).ToArray(), reply[at..]), false);
            }
            case Kind.DropTerminatorAndClose:
                return (reply.AsSpan().EndsWith(".\r\n"u8) ? reply[..^3] : reply, true);
            case Kind.CrLfToLf:
                return (Latin1(Encoding.Latin1.GetString(reply).Replace("\r\n", "\n")), false);
            case Kind.CrLfToCr:
                return (Latin1(Encoding.Latin1.GetString(reply).Replace("\r\n", "\r")), false);
            case Kind.HugeNumber:
            {
                string status = Encoding.Latin1.GetString(reply, 0, statusEnd);
                int digit = status.IndexOfAny("0123456789".ToCharArray());
                if (digit < 0)
                    return (reply, false);
                int end = digit;
                while (end < status.Length && char.IsAsciiDigit(status[end]))
                    end++;
                string changed = status[..digit] + HugeNumbers[Parameter % HugeNumbers.Length] + status[end..];
                return (Concat(Latin1(changed), reply[statusEnd..]), false);
            }
            case Kind.Duplicate:
                return (Concat(reply, reply), false);
            case Kind.NothingAndClose:
                return (Array.Empty<byte>(), true);
            case Kind.AppendGarbageLine:
                return (Concat(reply, Latin1("garbage that answers nothing\r\n")), false);
            default:
                throw new ArgumentOutOfRangeException(nameof(What), What, null);
        }
    }

    public override string ToString() => $"reply {Reply}: {What} (position {Position}, parameter {Parameter})";

    static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
