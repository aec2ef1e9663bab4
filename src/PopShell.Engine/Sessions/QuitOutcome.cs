namespace PopShell.Engine.Sessions
{
    /// <summary>How a session ended.</summary>
    /// <param name="Acknowledged">True only when the server answered QUIT with +OK.</param>
    /// <param name="Reply">The server's reply to QUIT, escaped, or <see langword="null"/> if none came.</param>
    /// <param name="Marked">Messages marked for deletion when QUIT was due.</param>
    /// <param name="Discarded">Messages unmarked by RSET before QUIT.</param>
    public sealed record QuitOutcome(bool Acknowledged, string? Reply, int Marked, int Discarded)
    {
        /// <summary>Messages the server confirmed deleting: the marked ones, only when QUIT was acknowledged.</summary>
        public int Deleted => Acknowledged && NotSentBecause == null ? Marked : 0;

        /// <summary>Why QUIT was deliberately not sent, or null.</summary>
        public string? NotSentBecause { get; init; }
    }
}
