using PopShell.Engine.Messages;

namespace PopShell.Internal
{
    /// <summary>
    /// Collects piped messages per session into rounds of at most a byte and a count budget, so the
    /// engine can retrieve each round pipelined while memory stays bounded by the budget.
    /// </summary>
    internal sealed class MessageBatcher
    {
        readonly long maxBytes;
        readonly int maxCount;
        readonly Dictionary<Pop3Session, Round> pending = new Dictionary<Pop3Session, Round>();

        public MessageBatcher(long maxBytes, int maxCount)
        {
            this.maxBytes = maxBytes;
            this.maxCount = maxCount;
        }

        /// <summary>Adds a message; returns its session's round once the round is full, else null.</summary>
        public List<MessageEntry>? Add(Pop3Session session, MessageEntry entry)
        {
            if (!pending.TryGetValue(session, out var round))
                pending[session] = round = new Round();
            round.Entries.Add(entry);
            round.Bytes += entry.Size;
            if (round.Entries.Count < maxCount && round.Bytes < maxBytes)
                return null;
            pending.Remove(session);
            return round.Entries;
        }

        /// <summary>Takes every unfinished round.</summary>
        public List<KeyValuePair<Pop3Session, List<MessageEntry>>> Drain()
        {
            var rounds = new List<KeyValuePair<Pop3Session, List<MessageEntry>>>(pending.Count);
            foreach (var pair in pending)
                rounds.Add(new KeyValuePair<Pop3Session, List<MessageEntry>>(pair.Key, pair.Value.Entries));
            pending.Clear();
            return rounds;
        }

        sealed class Round
        {
            public List<MessageEntry> Entries { get; } = new List<MessageEntry>();
            public long Bytes { get; set; }
        }
    }
}
