namespace PopShell.Engine.Messages
{
    /// <summary>One message as the mailbox listing names it.</summary>
    /// <param name="Number">The 1-based message number, valid in this session only.</param>
    /// <param name="Uid">The UIDL unique id, stable across sessions, or <see langword="null"/> when the server has no UIDL.</param>
    /// <param name="Size">The size from LIST, in octets.</param>
    public sealed record MessageEntry(int Number, string? Uid, long Size);
}
