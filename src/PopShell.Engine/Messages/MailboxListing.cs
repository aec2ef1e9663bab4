using System;
using System.Collections.Generic;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// The session's snapshot of the mailbox: every message's number, UID and size, taken once with
    /// one LIST and one UIDL. POP3 mailboxes do not change during a session, and listing again after
    /// a DELE would break MailKit's parsers (numbers get gaps), so the snapshot is the only listing.
    /// </summary>
    public sealed class MailboxListing
    {
        readonly MessageEntry[] entries;
        readonly Dictionary<string, List<MessageEntry>> byUid = new Dictionary<string, List<MessageEntry>>(StringComparer.Ordinal);

        /// <summary>Builds the listing from LIST sizes and UIDL ids (same order, same count).</summary>
        /// <param name="sizes">Sizes from LIST, message 1 first.</param>
        /// <param name="uids">UIDs from UIDL, message 1 first, or <see langword="null"/> when the server has no UIDL.</param>
        public MailboxListing(IReadOnlyList<long> sizes, IReadOnlyList<string>? uids)
        {
            if (uids != null && uids.Count != sizes.Count)
                throw new ArgumentException($"The server listed {sizes.Count} sizes but {uids.Count} UIDs.", nameof(uids));

            entries = new MessageEntry[sizes.Count];
            for (int i = 0; i < sizes.Count; i++)
            {
                var entry = new MessageEntry(i + 1, uids?[i], sizes[i]);
                entries[i] = entry;
                if (entry.Uid == null)
                    continue;
                if (!byUid.TryGetValue(entry.Uid, out var list))
                    byUid[entry.Uid] = list = new List<MessageEntry>(1);
                list.Add(entry);
            }
        }

        /// <summary>Every message, in message-number order.</summary>
        public IReadOnlyList<MessageEntry> Entries => entries;

        /// <summary>Number of messages.</summary>
        public int Count => entries.Length;

        /// <summary>Whether the server gave UIDs.</summary>
        public bool HasUids => entries.Length == 0 || entries[0].Uid != null;

        /// <summary>The message with 1-based number <paramref name="number"/>, or <see langword="null"/>.</summary>
        public MessageEntry? ByNumber(int number) =>
            number >= 1 && number <= entries.Length ? entries[number - 1] : null;

        /// <summary>All messages with this UID: usually one, none if it is gone, several if the server repeats UIDs.</summary>
        public IReadOnlyList<MessageEntry> ByUid(string uid) =>
            byUid.TryGetValue(uid, out var list) ? list : (IReadOnlyList<MessageEntry>)Array.Empty<MessageEntry>();
    }
}
