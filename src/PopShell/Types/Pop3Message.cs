using PopShell.Engine.Messages;

namespace PopShell
{
    /// <summary>
    /// A message as <c>Get-Pop3Message</c> lists it. <see cref="Index"/> is valid only in its
    /// <see cref="Session"/>; <see cref="Uid"/> names the message across sessions.
    /// </summary>
    public sealed class Pop3Message
    {
        // To and Cc are decoded when first read (see the engine's DecodedOnFirstRead): the default
        // view, Where-Object on the subject and Save-Pop3Message never read them.
        readonly IReadOnlyList<MailAddress> to;
        readonly IReadOnlyList<MailAddress> cc;
        Pop3AddressList? toList;
        Pop3AddressList? ccList;

        internal Pop3Message(Pop3Session session, MessageSummary summary)
        {
            Session = session;
            Index = summary.Entry.Number;
            Uid = summary.Entry.Uid;
            Size = summary.Entry.Size;
            Date = summary.Date;
            From = string.Join(", ", summary.From.Select(a => a.ToString()));
            FromAddress = summary.From.FirstOrDefault()?.Address;
            to = summary.To;
            cc = summary.Cc;
            Subject = summary.Subject;
            MessageId = summary.MessageId;
            Headers = new Pop3HeaderCollection(summary.Headers);
            if (summary.Content != null)
            {
                Body = summary.Content.Body;
                Attachments = summary.Content.Attachments
                    .Select(a => new Pop3AttachmentInfo(a))
                    .ToArray();
            }
        }

        /// <summary>1-based message number in <see cref="Session"/>; another session may number it differently.</summary>
        public int Index { get; }

        /// <summary>The server's unique id (UIDL), stable across sessions; empty when the server has no UIDL.</summary>
        public string? Uid { get; }

        /// <summary>Size in octets, as the server's LIST reports it.</summary>
        public long Size { get; }

        /// <summary>The Date header, or <see langword="null"/> when missing or unreadable.</summary>
        public DateTimeOffset? Date { get; }

        /// <summary>Sender(s), decoded, as "Name &lt;address&gt;".</summary>
        public string From { get; }

        /// <summary>The first sender's bare address.</summary>
        public string? FromAddress { get; }

        /// <summary>To recipients, decoded; a list whose text (Export-Csv, "$($m.To)") is the addresses joined by ", ".</summary>
        public Pop3AddressList To => toList ??= Texts(to);

        /// <summary>Cc recipients, decoded; a list whose text is the addresses joined by ", ".</summary>
        public Pop3AddressList Cc => ccList ??= Texts(cc);

        /// <summary>The decoded subject, or <see langword="null"/> when there is none.</summary>
        public string? Subject { get; }

        /// <summary>The Message-ID without angle brackets.</summary>
        public string? MessageId { get; }

        /// <summary>Every header field, in order.</summary>
        public Pop3HeaderCollection Headers { get; }

        /// <summary>The text body (or HTML when there is no text part); only with -IncludeBody.</summary>
        public string? Body { get; }

        /// <summary>Attachment names, types and sizes; only with -IncludeBody.</summary>
        public Pop3AttachmentInfo[]? Attachments { get; }

        /// <summary>The session this message was listed in.</summary>
        public Pop3Session Session { get; }

        /// <summary>"#Index UID Subject".</summary>
        public override string ToString() => $"#{Index} {Uid} {Subject}";

        static Pop3AddressList Texts(IReadOnlyList<MailAddress> addresses) =>
            new Pop3AddressList(addresses.Select(a => a.ToString()).ToArray());
    }
}
