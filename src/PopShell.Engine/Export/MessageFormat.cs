namespace PopShell.Engine.Export
{
    /// <summary>How saved messages are stored.</summary>
    public enum MessageFormat
    {
        /// <summary>One .eml file per message holding exactly the bytes the server sent.</summary>
        Eml,
        /// <summary>One mbox file (mboxrd: LF line endings, "&gt;From " quoting that round-trips).</summary>
        Mbox,
        /// <summary>A Maildir (tmp/, new/, cur/), one LF-terminated file per message in new/.</summary>
        Maildir,
    }
}
