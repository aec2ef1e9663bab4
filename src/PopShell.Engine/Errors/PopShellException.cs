using System;

namespace PopShell.Engine.Errors
{
    /// <summary>
    /// The one exception type the engine throws for failures a user must hear about. It carries what
    /// the cmdlet layer needs for a good error record: the kind, the message UID if one is concerned,
    /// the server's reply (never a secret) and what to do next.
    /// </summary>
    public sealed class PopShellException : Exception
    {
        /// <summary>Creates an exception of the given kind.</summary>
        /// <param name="kind">What went wrong.</param>
        /// <param name="message">A sentence that says what happened, naming the server or message.</param>
        /// <param name="hint">What the user can do about it, or <see langword="null"/>.</param>
        /// <param name="innerException">The underlying exception, kept for diagnosis.</param>
        public PopShellException(PopShellErrorKind kind, string message, string? hint = null, Exception? innerException = null)
            : base(message, innerException)
        {
            Kind = kind;
            Hint = hint;
        }

        /// <summary>What went wrong.</summary>
        public PopShellErrorKind Kind { get; }

        /// <summary>What the user can do about it, or <see langword="null"/> when there is nothing to add.</summary>
        public string? Hint { get; }

        /// <summary>The UID of the message concerned, when the failure is about one message.</summary>
        public string? Uid { get; init; }

        /// <summary>The server's status line that explains the failure, escaped for display.</summary>
        public string? ServerReply { get; init; }
    }
}
