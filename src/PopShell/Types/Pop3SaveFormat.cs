namespace PopShell
{
    /// <summary>How <c>Save-Pop3Message</c> stores messages.</summary>
    public enum Pop3SaveFormat
    {
        /// <summary>One .eml file per message holding exactly the bytes the server sent.</summary>
        Eml,
        /// <summary>One mbox file (mboxrd), LF line ends.</summary>
        Mbox,
        /// <summary>A Maildir (tmp/, new/, cur/), LF line ends.</summary>
        Maildir,
    }
}
