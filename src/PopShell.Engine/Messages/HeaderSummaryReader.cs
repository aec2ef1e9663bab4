using System;
using System.Collections.Generic;
using System.Linq;
using MimeKit;
using MimeKit.Utils;
using PopShell.Engine.Text;

namespace PopShell.Engine.Messages
{
    /// <summary>Turns a parsed header block into the fields a listing shows. Never throws on bad
    /// headers: a malformed field is shown as missing rather than failing the listing.</summary>
    internal static class HeaderSummaryReader
    {
        static HeaderSummaryReader() => CodePages.EnsureRegistered();

        /// <summary>
        /// Parses a header block (or a whole message, whose body is ignored) and summarises it. A header
        /// block MimeKit cannot parse yields a summary with no header fields and the reason, not an
        /// exception: a malformed message must still be listed and saved as it is.
        /// </summary>
        /// <param name="entry">The message the block belongs to.</param>
        /// <param name="headerBlock">The header block, or the whole message.</param>
        /// <param name="decodeEveryField">Decode To, Cc and <see cref="MessageSummary.Headers"/> now rather than when first read.</param>
        /// <param name="cancellationToken">Stops the parse.</param>
        public static MessageSummary TryRead(MessageEntry entry, System.IO.Stream headerBlock, bool decodeEveryField = false, System.Threading.CancellationToken cancellationToken = default) =>
            TryRead(entry, headerBlock, new HeaderBlockParser(), decodeEveryField, cancellationToken);

        /// <summary>As the public overload, with a parser that the calling thread reuses for block after block.</summary>
        internal static MessageSummary TryRead(MessageEntry entry, System.IO.Stream headerBlock, HeaderBlockParser parser, bool decodeEveryField, System.Threading.CancellationToken cancellationToken) =>
            TryRead(entry, headerBlock, parser, (e, headers) => Read(e, headers, decodeEveryField), cancellationToken);

        /// <summary>
        /// Like <see cref="TryRead(MessageEntry, System.IO.Stream, bool, System.Threading.CancellationToken)"/>, but only
        /// the <paramref name="fields"/> a saved message's file name and format use: decoding every other
        /// header field and the recipient lists of each message cost an export more CPU than naming its
        /// files needs, and a name that uses only the date needs no header parser at all (<see cref="DateFieldReader"/>).
        /// </summary>
        public static MessageSummary TryReadForNaming(MessageEntry entry, System.IO.Stream message, NamingFields fields, System.Threading.CancellationToken cancellationToken = default)
        {
            if (fields == NamingFields.None)
                return new MessageSummary { Entry = entry };
            if (fields == NamingFields.Date)
                return new MessageSummary { Entry = entry, Date = DateFieldReader.Read(message) };
            return TryRead(entry, message, new HeaderBlockParser(), (e, headers) => new MessageSummary
            {
                Entry = e,
                Date = ReadDate(headers),
                From = (fields & NamingFields.From) != 0 ? ReadAddresses(headers, HeaderId.From) : Array.Empty<MailAddress>(),
                Subject = (fields & NamingFields.Subject) != 0 ? ReadSubject(headers) : null,
            }, cancellationToken);
        }

        static MessageSummary TryRead(MessageEntry entry, System.IO.Stream headerBlock, HeaderBlockParser parser, Func<MessageEntry, HeaderList, MessageSummary> summarise, System.Threading.CancellationToken cancellationToken)
        {
            try
            {
                SkipMboxFromLine(headerBlock);
                return summarise(entry, parser.Parse(headerBlock, cancellationToken));
            }
            catch (FormatException ex)
            {
                return new MessageSummary { Entry = entry, HeaderError = ex.Message };
            }
        }

        // A message stored with an mbox "From " line on top (Courier serves it as it is; Mailutils makes
        // it a header) has no header on its first line, and MimeKit fails the whole block on it. The
        // line is skipped for reading only: saved files keep every byte.
        internal static void SkipMboxFromLine(System.IO.Stream headerBlock)
        {
            if (!headerBlock.CanSeek)
                return;
            long start = headerBlock.Position;
            var prefix = new byte[5];
            int read = headerBlock.Read(prefix, 0, prefix.Length);
            if (read == 5 && prefix[0] == 'F' && prefix[1] == 'r' && prefix[2] == 'o' && prefix[3] == 'm' && prefix[4] == ' ')
            {
                int b;
                while ((b = headerBlock.ReadByte()) >= 0 && b != '\n')
                {
                }
                return;
            }
            headerBlock.Position = start;
        }

        /// <summary>
        /// Summarises an already parsed header block. Date, sender, subject and Message-ID are read now;
        /// To, Cc and the list of every field when first read, unless <paramref name="decodeEveryField"/>.
        /// </summary>
        public static MessageSummary Read(MessageEntry entry, HeaderList headers, bool decodeEveryField = false)
        {
            return new MessageSummary
            {
                Entry = entry,
                Date = ReadDate(headers),
                From = ReadAddresses(headers, HeaderId.From),
                To = new DecodedOnFirstRead<MailAddress>(() => ReadAddresses(headers, HeaderId.To), decodeEveryField),
                Cc = new DecodedOnFirstRead<MailAddress>(() => ReadAddresses(headers, HeaderId.Cc), decodeEveryField),
                Subject = ReadSubject(headers),
                MessageId = ReadMessageId(headers),
                Headers = new DecodedOnFirstRead<KeyValuePair<string, string>>(
                    () => headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value.Trim())).ToArray(), decodeEveryField),
            };
        }

        static string? ReadSubject(HeaderList headers) =>
            headers.Contains(HeaderId.Subject) ? (headers[HeaderId.Subject] ?? string.Empty).Trim() : null;

        static DateTimeOffset? ReadDate(HeaderList headers)
        {
            int i = headers.IndexOf(HeaderId.Date);
            if (i < 0)
                return null;
            var raw = headers[i].RawValue;
            return DateUtils.TryParse(raw, 0, raw.Length, out DateTimeOffset date) ? date : null;
        }

        static IReadOnlyList<MailAddress> ReadAddresses(HeaderList headers, HeaderId id)
        {
            var result = new List<MailAddress>();
            foreach (var header in headers.Where(h => h.Id == id))
            {
                var raw = header.RawValue;
                if (InternetAddressList.TryParse(ParserOptions.Default, raw, 0, raw.Length, out var list))
                {
                    result.AddRange(list.Mailboxes.Select(m => new MailAddress(m.Name ?? string.Empty, m.Address ?? string.Empty)));
                }
                else if (header.Value.Trim() is { Length: > 0 } text)
                {
                    // Unparseable but present: keep the text so the admin still sees (and can filter on) it.
                    result.Add(new MailAddress(string.Empty, text));
                }
            }
            return result;
        }

        static string? ReadMessageId(HeaderList headers)
        {
            if (!headers.Contains(HeaderId.MessageId))
                return null;
            string value = (headers[HeaderId.MessageId] ?? string.Empty).Trim();
            if (value.Length > 1 && value[0] == '<' && value[value.Length - 1] == '>')
                value = value.Substring(1, value.Length - 2);
            return value.Length == 0 ? null : value;
        }
    }
}
