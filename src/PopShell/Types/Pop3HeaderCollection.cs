using System.Collections;

namespace PopShell
{
    /// <summary>
    /// A message's header fields in order. <c>$m.Headers['Subject']</c> gives the first value of a
    /// field (case-insensitive), <c>$m.Headers.GetAll('Received')</c> all of them.
    /// </summary>
    public sealed class Pop3HeaderCollection : IReadOnlyList<Pop3Header>
    {
        readonly IReadOnlyList<KeyValuePair<string, string>> fields;
        Pop3Header[]? made;

        // The fields are decoded, and their objects made, when first read: most listings never read them.
        internal Pop3HeaderCollection(IReadOnlyList<KeyValuePair<string, string>> fields)
        {
            this.fields = fields;
        }

        /// <summary>The header at <paramref name="index"/>.</summary>
        public Pop3Header this[int index] => All[index];

        /// <summary>The first value of the field <paramref name="name"/>, or <see langword="null"/>.</summary>
        public string? this[string name] => All.FirstOrDefault(h => Matches(h, name))?.Value;

        /// <summary>Number of header fields.</summary>
        public int Count => fields.Count;

        /// <summary>Every value of the field <paramref name="name"/>, in order.</summary>
        public string[] GetAll(string name) => All.Where(h => Matches(h, name)).Select(h => h.Value).ToArray();

        /// <inheritdoc/>
        public IEnumerator<Pop3Header> GetEnumerator() => ((IEnumerable<Pop3Header>)All).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => All.GetEnumerator();

        /// <summary>
        /// Every field as "Name: Value", one per line, as in the message: what Export-Csv writes for a
        /// message's Headers column, instead of the type's name.
        /// </summary>
        public override string ToString() => string.Join(Environment.NewLine, All.Select(h => h.ToString()));

        Pop3Header[] All => made ??= fields.Select(f => new Pop3Header(f.Key, f.Value)).ToArray();

        static bool Matches(Pop3Header header, string name) => string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase);
    }
}
