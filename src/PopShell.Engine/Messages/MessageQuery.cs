using System;
using System.Collections.Generic;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// Which messages a listing returns. Index, UID and size are answered from the listing alone;
    /// sender, recipient, subject and date need each candidate's header, so they are applied after
    /// TOP. Skip and First count the messages that pass every filter.
    /// </summary>
    public sealed class MessageQuery
    {
        /// <summary>1-based message numbers to return, in the order given, or <see langword="null"/> for all.</summary>
        public IReadOnlyList<int>? Numbers { get; set; }

        /// <summary>UIDs to return, in the order given, or <see langword="null"/> for all.</summary>
        public IReadOnlyList<string>? Uids { get; set; }

        /// <summary>Smallest size to return, in octets.</summary>
        public long? MinSize { get; set; }

        /// <summary>Largest size to return, in octets.</summary>
        public long? MaxSize { get; set; }

        /// <summary>Only messages whose Date header is earlier than this.</summary>
        public DateTimeOffset? Before { get; set; }

        /// <summary>Only messages whose Date header is later than this.</summary>
        public DateTimeOffset? After { get; set; }

        /// <summary>Test applied to each sender's name, address and "Name &lt;address&gt;"; any match passes.</summary>
        public Func<string, bool>? From { get; set; }

        /// <summary>Test applied to each To and Cc recipient's name, address and "Name &lt;address&gt;"; any match passes.</summary>
        public Func<string, bool>? To { get; set; }

        /// <summary>Test applied to the decoded subject (an absent subject is tested as empty text).</summary>
        public Func<string, bool>? Subject { get; set; }

        /// <summary>Tests on named header fields; a message must pass every one (a message without the field passes none).</summary>
        public IReadOnlyList<HeaderTest> Headers { get; set; } = Array.Empty<HeaderTest>();

        /// <summary>Number of matching messages to pass over before returning any.</summary>
        public int Skip { get; set; }

        /// <summary>Most matching messages to return, or <see langword="null"/> for no limit.</summary>
        public int? First { get; set; }

        /// <summary>A copy of these filters that selects <paramref name="numbers"/> or <paramref name="uids"/>.</summary>
        public MessageQuery Selecting(IReadOnlyList<int>? numbers, IReadOnlyList<string>? uids)
        {
            var copy = (MessageQuery)MemberwiseClone();
            copy.Numbers = numbers;
            copy.Uids = uids;
            return copy;
        }

        /// <summary>Whether any filter needs the message header.</summary>
        public bool NeedsHeaders => From != null || To != null || Subject != null || Before != null || After != null || Headers.Count > 0;

        /// <summary>Whether the size filters let <paramref name="entry"/> through.</summary>
        public bool MatchesSize(MessageEntry entry) =>
            (MinSize is not long min || entry.Size >= min) && (MaxSize is not long max || entry.Size <= max);

        /// <summary>Whether the header filters let <paramref name="summary"/> through.</summary>
        public bool MatchesHeader(MessageSummary summary)
        {
            if (Before != null || After != null)
            {
                // A message without a readable Date cannot be shown to be before or after anything.
                if (summary.Date is not DateTimeOffset date)
                    return false;
                if (Before is DateTimeOffset before && date >= before)
                    return false;
                if (After is DateTimeOffset after && date <= after)
                    return false;
            }

            if (Subject != null && !Subject(summary.Subject ?? string.Empty))
                return false;
            if (From != null && !AnyAddressMatches(summary.From, null, From))
                return false;
            if (To != null && !AnyAddressMatches(summary.To, summary.Cc, To))
                return false;
            foreach (var header in Headers)
            {
                if (!AnyValueMatches(summary.Headers, header))
                    return false;
            }
            return true;
        }

        static bool AnyValueMatches(IReadOnlyList<KeyValuePair<string, string>> fields, HeaderTest header)
        {
            foreach (var field in fields)
            {
                if (string.Equals(field.Key, header.Name, StringComparison.OrdinalIgnoreCase) && header.Test(field.Value))
                    return true;
            }
            return false;
        }

        static bool AnyAddressMatches(IReadOnlyList<MailAddress> first, IReadOnlyList<MailAddress>? second, Func<string, bool> test)
        {
            foreach (var list in new[] { first, second })
            {
                if (list == null)
                    continue;
                foreach (var address in list)
                {
                    if (test(address.Address) || (address.Name.Length > 0 && (test(address.Name) || test(address.ToString()))))
                        return true;
                }
            }
            return false;
        }
    }
}
