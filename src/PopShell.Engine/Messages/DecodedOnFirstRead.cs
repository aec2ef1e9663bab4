using System;
using System.Collections;
using System.Collections.Generic;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// A list of values decoded from a parsed header block when the list is first read rather than
    /// when the message is listed: a listing shows the date, sender and subject of each message, and
    /// decoding every field of every message (each Received line, the To and Cc lists) was half of
    /// its parsing time on the bench's 10,000 headers, for values most listings never read.
    /// </summary>
    internal sealed class DecodedOnFirstRead<T> : IReadOnlyList<T>
    {
        readonly Func<IReadOnlyList<T>> decode;
        IReadOnlyList<T>? items;

        /// <param name="decode">Decodes the values; reads the parsed header block, never changes it.</param>
        /// <param name="decodeNow">Decode at once, on the thread that parses (for a filter that reads the values).</param>
        public DecodedOnFirstRead(Func<IReadOnlyList<T>> decode, bool decodeNow)
        {
            this.decode = decode;
            if (decodeNow)
                _ = Items;
        }

        public int Count => Items.Count;

        public T this[int index] => Items[index];

        public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        // Read from two threads at once, both decode the same values and either result is kept.
        IReadOnlyList<T> Items => items ??= decode();
    }
}
