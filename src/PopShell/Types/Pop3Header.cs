using System.Collections;

namespace PopShell
{
    /// <summary>One header field: its name as sent, and its unfolded, decoded value.</summary>
    public sealed class Pop3Header
    {
        internal Pop3Header(string name, string value)
        {
            Name = name;
            Value = value;
        }

        /// <summary>Field name, e.g. "Received".</summary>
        public string Name { get; }

        /// <summary>Unfolded value with RFC 2047 encoded-words decoded.</summary>
        public string Value { get; }

        /// <summary>"Name: Value".</summary>
        public override string ToString() => $"{Name}: {Value}";
    }
}
