using System.Collections.Generic;
using System.Linq;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// The messages a query names, worked out from the listing alone (no server round trip), and the
    /// indexes or UIDs it named that the mailbox does not hold.
    /// </summary>
    public sealed class MessageSelection
    {
        MessageSelection(List<MessageEntry> candidates, List<string> missing)
        {
            Candidates = candidates;
            Missing = missing;
        }

        /// <summary>Messages that pass the index, UID and size filters, in the order asked for.</summary>
        public IReadOnlyList<MessageEntry> Candidates { get; }

        /// <summary>Indexes (as text) or UIDs that were asked for but are not in the mailbox.</summary>
        public IReadOnlyList<string> Missing { get; }

        /// <summary>Selects from <paramref name="listing"/> what <paramref name="query"/> asks for.</summary>
        /// <param name="listing">The session's listing.</param>
        /// <param name="query">What to select.</param>
        /// <param name="isMarkedForDeletion">Messages marked for deletion in the session are gone for it: the server refuses them.</param>
        public static MessageSelection From(MailboxListing listing, MessageQuery query, System.Func<int, bool>? isMarkedForDeletion = null)
        {
            var candidates = new List<MessageEntry>();
            var missing = new List<string>();
            var seen = new HashSet<int>();

            void Add(MessageEntry entry)
            {
                if (seen.Add(entry.Number) && query.MatchesSize(entry))
                    candidates.Add(entry);
            }

            bool Gone(MessageEntry entry) => isMarkedForDeletion != null && isMarkedForDeletion(entry.Number);

            if (query.Numbers == null && query.Uids == null)
            {
                foreach (var entry in listing.Entries)
                {
                    if (!Gone(entry))
                        Add(entry);
                }
            }

            if (query.Numbers != null)
            {
                foreach (int number in query.Numbers)
                {
                    if (listing.ByNumber(number) is MessageEntry entry && !Gone(entry))
                        Add(entry);
                    else
                        missing.Add(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            if (query.Uids != null)
            {
                foreach (string uid in query.Uids)
                {
                    var matches = listing.ByUid(uid).Where(e => !Gone(e)).ToList();
                    if (matches.Count == 0)
                        missing.Add(uid);
                    foreach (var entry in matches)
                        Add(entry);
                }
            }

            // Without header filters, Skip and First can be applied before anything is fetched.
            if (!query.NeedsHeaders && (query.Skip > 0 || query.First != null))
            {
                int skip = System.Math.Min(query.Skip, candidates.Count);
                int take = System.Math.Min(query.First ?? int.MaxValue, candidates.Count - skip);
                candidates = candidates.GetRange(skip, take);
            }

            return new MessageSelection(candidates, missing);
        }
    }
}
