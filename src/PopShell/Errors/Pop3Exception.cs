namespace PopShell
{
    /// <summary>
    /// The exception inside every PopShell error record, public so that scripts can catch it by type
    /// (<c>catch [PopShell.Pop3Exception]</c>) and branch on <see cref="Kind"/> instead of parsing text.
    /// </summary>
    public sealed class Pop3Exception : Exception
    {
        /// <summary>Creates an exception of the given kind.</summary>
        /// <param name="kind">What went wrong.</param>
        /// <param name="message">What happened, naming the server, session or message.</param>
        /// <param name="recommendedAction">What the user can do about it, or <see langword="null"/>.</param>
        /// <param name="innerException">The underlying exception, kept for diagnosis.</param>
        public Pop3Exception(Pop3ErrorKind kind, string message, string? recommendedAction = null, Exception? innerException = null)
            : base(Sentence(message), innerException)
        {
            Kind = kind;
            RecommendedAction = recommendedAction == null ? null : Sentence(recommendedAction);
        }

        /// <summary>What went wrong; also the error id of the error record.</summary>
        public Pop3ErrorKind Kind { get; }

        /// <summary>What the user can do about it, or <see langword="null"/>; the error record shows it once, as its recommended action.</summary>
        public string? RecommendedAction { get; }

        /// <summary>The UID of the message concerned, when the failure is about one message.</summary>
        public string? Uid { get; set; }

        /// <summary>The server's status line that explains the failure, escaped for display (never a secret).</summary>
        public string? ServerReply { get; set; }

        // Messages are shown as sentences: some end in a server's reply or a path, which carry no full stop.
        static string Sentence(string text)
        {
            text = text.TrimEnd();
            if (text.Length == 0)
                return text;
            char last = text[text.Length - 1];
            return last is '.' or '!' or '?' ? text : text + ".";
        }
    }
}
