using System;
using System.Collections.Generic;

namespace PopShell.Engine.Messages
{
    /// <summary>A message's listing entry with the fields read from its header (TOP n 0).</summary>
    public sealed record MessageSummary
    {
        /// <summary>Number, UID and size.</summary>
        public MessageEntry Entry { get; init; } = new MessageEntry(0, null, 0);

        /// <summary>The Date header, or <see langword="null"/> when it is missing or unreadable.</summary>
        public DateTimeOffset? Date { get; init; }

        /// <summary>Sender(s) from the From header, decoded ("Name &lt;address&gt;").</summary>
        public IReadOnlyList<MailAddress> From { get; init; } = Array.Empty<MailAddress>();

        /// <summary>Recipients from the To header, decoded.</summary>
        public IReadOnlyList<MailAddress> To { get; init; } = Array.Empty<MailAddress>();

        /// <summary>Recipients from the Cc header, decoded.</summary>
        public IReadOnlyList<MailAddress> Cc { get; init; } = Array.Empty<MailAddress>();

        /// <summary>The decoded Subject, or <see langword="null"/> when there is none.</summary>
        public string? Subject { get; init; }

        /// <summary>The Message-ID without angle brackets, or <see langword="null"/>.</summary>
        public string? MessageId { get; init; }

        /// <summary>Why the header could not be read (the fields are then empty), or null.</summary>
        public string? HeaderError { get; init; }

        /// <summary>Body and attachments, when the scan was asked to include them; otherwise <see langword="null"/>.</summary>
        public MessageContent? Content { get; init; }

        /// <summary>Every header field in order, names as sent, values unfolded and decoded.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = Array.Empty<KeyValuePair<string, string>>();
    }
}
