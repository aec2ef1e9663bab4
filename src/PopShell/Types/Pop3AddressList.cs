using System.Collections;

namespace PopShell
{
    /// <summary>
    /// Recipients as a list of "Name &lt;address&gt;" strings that also reads as one line: it enumerates,
    /// indexes and counts like an array, and its text is the addresses joined by ", ", which is what
    /// Export-Csv and string expansion write instead of "System.String[]".
    /// </summary>
    public sealed class Pop3AddressList : IReadOnlyList<string>
    {
        readonly string[] addresses;

        internal Pop3AddressList(string[] addresses)
        {
            this.addresses = addresses;
        }

        /// <summary>The recipient at <paramref name="index"/>.</summary>
        public string this[int index] => addresses[index];

        /// <summary>Number of recipients.</summary>
        public int Count => addresses.Length;

        /// <inheritdoc/>
        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)addresses).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => addresses.GetEnumerator();

        /// <summary>The recipients joined by ", ".</summary>
        public override string ToString() => string.Join(", ", addresses);
    }
}
