using System;
using System.Collections.Generic;

namespace PopShell.Engine.Messages
{
    /// <summary>One mailbox from an address header.</summary>
    /// <param name="Name">The decoded display name, or empty.</param>
    /// <param name="Address">The address (local@domain), or empty for a group with no members.</param>
    public sealed record MailAddress(string Name, string Address)
    {
        /// <summary>"Name &lt;address&gt;", or just the address when there is no name.</summary>
        public override string ToString() =>
            Name.Length == 0 ? Address : Address.Length == 0 ? Name : $"{Name} <{Address}>";
    }
}
