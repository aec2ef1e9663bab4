using System.Collections;
using System.Collections.Generic;
using System.Linq;
using MimeKit;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// A message's header fields in order, names as sent, values unfolded and decoded, decoded when
    /// first read rather than when listed: a listing shows a few fields of each message, and decoding
    /// every field of every message (each Received line, each X- field) took a fifth of the listing's
    /// parsing time on the bench's 10,000 headers. Count needs no decoding.
    /// </summary>
    internal sealed class HeaderFieldList : IReadOnlyList<KeyValuePair<string, string>>
    {
        readonly HeaderList headers;
        KeyValuePair<string, string>[]? decoded;

        /// <param name="headers">The parsed block; not changed afterwards.</param>
        /// <param name="decodeNow">Decode at once (on the thread that parses), for a filter that reads every field.</param>
        public HeaderFieldList(HeaderList headers, bool decodeNow)
        {
            this.headers = headers;
            if (decodeNow)
                _ = Decoded;
        }

        public int Count => headers.Count;

        public KeyValuePair<string, string> this[int index] => Decoded[index];

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)Decoded).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // Read from two threads at once, both decode the same values and either array is kept: MimeKit's
        // headers are only read here, never changed.
        KeyValuePair<string, string>[] Decoded =>
            decoded ??= headers.Select(h => new KeyValuePair<string, string>(h.Field, h.Value.Trim())).ToArray();
    }
}
