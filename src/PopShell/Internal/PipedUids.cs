namespace PopShell.Internal
{
    /// <summary>
    /// UIDs that arrive one object at a time (CSV rows, save results), gathered per session so that each
    /// session is asked once, at the end of the pipeline, when no upstream command is using its connection.
    /// </summary>
    internal sealed class PipedUids
    {
        readonly List<KeyValuePair<Pop3Session, List<string>>> bySession = new List<KeyValuePair<Pop3Session, List<string>>>();
        readonly HashSet<(Pop3Session, string)> seen = new HashSet<(Pop3Session, string)>();

        /// <summary>Adds UIDs for <paramref name="session"/>, each once, in the order they came.</summary>
        public void Add(Pop3Session session, IEnumerable<string> uids)
        {
            var list = bySession.FirstOrDefault(p => ReferenceEquals(p.Key, session)).Value;
            if (list == null)
            {
                list = new List<string>();
                bySession.Add(new KeyValuePair<Pop3Session, List<string>>(session, list));
            }
            list.AddRange(uids.Where(u => seen.Add((session, u))));
        }

        /// <summary>The sessions in the order they came, each with its UIDs; empties the collection.</summary>
        public IReadOnlyList<KeyValuePair<Pop3Session, List<string>>> Drain()
        {
            var all = bySession.ToArray();
            bySession.Clear();
            seen.Clear();
            return all;
        }
    }
}
