using System;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// The header fields a saved message's file name and format use. An export reads only these:
    /// parsing a whole header block with MimeKit loads its parser and its table of legacy charsets
    /// (about 5 MB of a process's memory) and costs CPU for every message, for fields no name shows.
    /// </summary>
    [Flags]
    internal enum NamingFields
    {
        /// <summary>No header field (Maildir names are unique names, not the message's).</summary>
        None = 0,
        /// <summary>The Date field.</summary>
        Date = 1,
        /// <summary>The From field's addresses.</summary>
        From = 2,
        /// <summary>The Subject field, decoded.</summary>
        Subject = 4,
    }
}
