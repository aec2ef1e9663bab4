using System.Collections.Generic;

namespace PopShell.Engine.Messages
{
    /// <summary>One batch of a scan.</summary>
    /// <param name="Matches">Messages of this batch that passed every filter.</param>
    /// <param name="Scanned">Candidates whose headers have been read so far.</param>
    /// <param name="Total">Candidates in all.</param>
    public sealed record ScanBatch(IReadOnlyList<MessageSummary> Matches, int Scanned, int Total);
}
