using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Sessions
{
    /// <summary>
    /// The first message of a retrieval whose bytes do not match its LIST size, and what the other
    /// messages of the round say about why. Nothing read after it is used either way (a sender can
    /// end a message early and forge the replies after it), whatever the message was retrieved for:
    /// saving, reading its body, or extracting its attachments. The diagnosis only decides what the
    /// admin is told: a server whose LIST never counts what RETR sends (every message off, the same
    /// way) needs a different remedy from one damaged message among healthy ones.
    /// </summary>
    internal sealed class SizeMismatch
    {
        readonly long received;
        readonly int othersChecked;
        readonly List<long> offBy;

        readonly RetrievalPurpose purpose;

        SizeMismatch(MessageEntry culprit, long received, int othersChecked, List<long> offBy, RetrievalPurpose purpose)
        {
            Culprit = culprit;
            this.purpose = purpose;
            this.received = received;
            this.othersChecked = othersChecked;
            this.offBy = offBy;
        }

        /// <summary>The first message whose size did not match.</summary>
        public MessageEntry Culprit { get; }

        /// <summary>
        /// Every message of the round was off, all longer or all shorter than listed: the server's
        /// sizes do not count what it sends (GNU Mailutils' X-UIDL header before UIDL, a placeholder
        /// served instead of the message), not a damaged message.
        /// </summary>
        bool ServerQuirk => othersChecked > 0 && offBy.Count == othersChecked + 1 && (offBy.All(d => d > 0) || offBy.All(d => d < 0));

        // Every other message matched: this one is damaged, badly framed by the server, or tampered with.
        bool OneDamaged => othersChecked > 0 && offBy.Count == 1;

        /// <summary>
        /// The first message of <paramref name="retrieved"/> whose size does not match its LIST size,
        /// with the evidence of the others; null when every message matched.
        /// </summary>
        public static SizeMismatch? Find(IReadOnlyList<RetrievedMessage> retrieved, RetrievalPurpose purpose)
        {
            int first = -1;
            int checkedCount = 0;
            var offBy = new List<long>();
            for (int i = 0; i < retrieved.Count; i++)
            {
                if (retrieved[i].Content is not { } content)
                    continue;
                checkedCount++;
                if (IsComplete(retrieved[i].Entry, content))
                    continue;
                offBy.Add(content.Length - retrieved[i].Entry.Size);
                if (first < 0)
                    first = i;
            }
            return first < 0 ? null : new SizeMismatch(retrieved[first].Entry, retrieved[first].Content!.Length, checkedCount - 1, offBy, purpose);
        }

        /// <summary>
        /// Bytes received must equal the LIST size. The one tolerated difference: servers such as Courier,
        /// Cyrus and Mailutils list a message without a final line break 2 octets shorter than the CRLF they add.
        /// </summary>
        public static bool IsComplete(MessageEntry entry, Stream content)
        {
            long received = content.Length;
            if (received == entry.Size)
                return true;
            if (received != entry.Size + 2)
                return false;
            var tail = new byte[2];
            content.Position = received - 2;
            int read = content.Read(tail, 0, 2);
            content.Position = 0;
            return read == 2 && tail[0] == '\r' && tail[1] == '\n';
        }

        /// <summary>Why the session was ended without QUIT, for the error that ends the export.</summary>
        public string Reason => ServerQuirk
            ? $"every message retrieved with message UID {Culprit.Uid} ({offBy.Count}) differed from its LIST size ({Amounts()}), so the server's sizes cannot tell a complete message from a cut-off one"
            : $"message UID {Culprit.Uid} did not match its LIST size, so the replies after it cannot be trusted";

        /// <summary>The bytes that arrived for <see cref="Culprit"/>.</summary>
        public long Received => received;

        /// <summary>What to do about it, for the errors of the culprit and of the operation it ended.</summary>
        public string Hint => purpose != RetrievalPurpose.Export ? OtherHint : ServerQuirk
            ? "This is a server quirk, not damaged mail: run the export once more (GNU Mailutils, for one, counts a header it adds only after a session that ended with QUIT). If every run fails the same way, the server's LIST does not count what it sends: report it to the server's administrator with the figures above (Get-Pop3Mailbox shows its Implementation)."
            : OneDamaged
            ? $"Run the export again; if it fails again on this message, the server frames it wrongly (a line with a lone '.') or it is damaged on the server: save the others without it (Get-Pop3Message | Where-Object Uid -ne '{Culprit.Uid}' | Save-Pop3Message ...) and ask the server's administrator to check it."
            : "Run the export again; if it fails again on this message, the server does not frame it correctly (dot-stuffing) and it must be fetched another way.";

        // Listing bodies and extracting attachments save nothing of the session's, so a retry is all they need.
        string OtherHint => ServerQuirk
            ? "This is a server quirk, not damaged mail: connect again and retry (GNU Mailutils, for one, counts a header it adds only after a session that ended with QUIT). If every run fails the same way, the server's LIST does not count what it sends: report it to the server's administrator (Get-Pop3Mailbox shows its Implementation)."
            : $"Connect again and retry; if it fails again on this message, the server frames it wrongly (a line with a lone '.') or it is damaged on the server: leave it out (Where-Object Uid -ne '{Culprit.Uid}') and ask the server's administrator to check it.";

        // What was not done with the culprit's bytes.
        string NotDone => purpose switch
        {
            RetrievalPurpose.Export => "it was not saved",
            RetrievalPurpose.Attachments => "none of its attachments were saved",
            _ => "nothing was read from it",
        };

        /// <summary>The error for the culprit itself.</summary>
        public PopShellException CulpritError()
        {
            string why = ServerQuirk
                ? $" So did every other message retrieved with it ({Amounts()}): the server's LIST sizes do not count what it sends, a server quirk rather than a damaged message."
                : OneDamaged
                ? $" The {othersChecked} other message(s) retrieved with it matched their sizes, so this one is damaged, framed wrongly by the server, or was tampered with on the way."
                : string.Empty;
            return new PopShellException(
                PopShellErrorKind.IncompleteMessage,
                $"Message UID {Culprit.Uid} (index {Culprit.Number}) arrived with {received} bytes, but the server listed {Culprit.Size}.{why} A message whose size does not match may be cut short or followed by forged data, so {NotDone}, the session was ended without QUIT, and nothing was deleted.",
                Hint)
            { Uid = Culprit.Uid };
        }

        /// <summary>The error for a message of the round that came after the culprit.</summary>
        public PopShellException ErrorAfter(MessageEntry entry) => new PopShellException(
            PopShellErrorKind.IncompleteMessage,
            $"Message UID {entry.Uid} was not {(purpose == RetrievalPurpose.Reading ? "read" : "saved")}: it came after message UID {Culprit.Uid}, whose size did not match, so what the server sent for it cannot be trusted. It stays on the server.",
            purpose == RetrievalPurpose.Export ? "Run the export again; the session was ended without QUIT, so nothing was deleted." : "Connect again and retry; the session was ended without QUIT, so nothing was deleted.")
        { Uid = entry.Uid };

        // "+55 bytes each" or "by +12 to +734 bytes".
        string Amounts()
        {
            string Signed(long d) => d.ToString("+#;-#;0", CultureInfo.InvariantCulture);
            long min = offBy.Min(), max = offBy.Max();
            return min == max ? $"{Signed(min)} bytes each" : $"by {Signed(min)} to {Signed(max)} bytes";
        }
    }

    /// <summary>What messages are retrieved for: it decides what a size mismatch's error says was not done.</summary>
    internal enum RetrievalPurpose
    {
        /// <summary>Saved whole (Save-Pop3Message).</summary>
        Export,
        /// <summary>Their attachments saved (Save-Pop3Attachment).</summary>
        Attachments,
        /// <summary>Their headers, body and attachment list read (Get-Pop3Message).</summary>
        Reading,
    }
}
