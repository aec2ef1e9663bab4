namespace PopShell.Internal
{
    /// <summary>
    /// The one place that decides, for each kind of failure, its error id (the kind's name, which
    /// scripts match on), its category, and whether it ends the command or only the input it is about.
    /// Cmdlets report failures through <c>Pop3Cmdlet.Report</c> and never decide this themselves.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <summary>The error record for <paramref name="error"/>, about <paramref name="target"/>.</summary>
        /// <param name="error">The engine's failure.</param>
        /// <param name="target">What failed: "server:port" while connecting, the session, or the message UID (or index).</param>
        public static ErrorRecord Create(PopShellException error, object? target) =>
            Create(new Pop3Exception(PublicKind(error.Kind), error.Message, error.Hint, error)
            {
                Uid = error.Uid,
                ServerReply = error.ServerReply,
            }, target);

        /// <summary>The error record for a failure the cmdlet layer itself detects (no session, for example).</summary>
        public static ErrorRecord Create(Pop3Exception error, object? target)
        {
            var record = new ErrorRecord(error, error.Kind.ToString(), CategoryOf(error.Kind), target);
            // The message once and the recommendation once: PowerShell shows RecommendedAction on a line of its own.
            if (error.RecommendedAction != null)
                record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction };
            return record;
        }

        /// <summary>
        /// Whether <paramref name="error"/> ends the command (a terminating error) or only the input it is
        /// about (a non-terminating one, so the pipeline goes on and -ErrorAction decides).
        /// </summary>
        /// <param name="error">The failure.</param>
        /// <param name="eachInputIsASession">
        /// Whether every input opens a session of its own (Connect-Pop3): a failed session then ends only
        /// its own input, as a failed computer does in New-PSSession.
        /// </param>
        public static bool EndsCommand(PopShellException error, bool eachInputIsASession)
        {
            switch (error.Kind)
            {
                // About one message: the next message can still be handled.
                case PopShellErrorKind.MessageNotFound:
                case PopShellErrorKind.IncompleteMessage:
                case PopShellErrorKind.MessageNotParsed:
                    return false;
                // A refusal, or a closed session, that names a message concerns only that message.
                case PopShellErrorKind.CommandFailed:
                case PopShellErrorKind.ServerTemporaryFailure:
                case PopShellErrorKind.ServerPermanentFailure:
                case PopShellErrorKind.SessionClosed:
                    return error.Uid == null && !eachInputIsASession;
                // The user stopped the command; the target folder or file is shared by every input.
                case PopShellErrorKind.Cancelled:
                case PopShellErrorKind.WriteFailed:
                case PopShellErrorKind.ExportNotPossible:
                    return true;
                // Everything else is a failure of the session, which no later input of it can get past.
                default:
                    return !eachInputIsASession;
            }
        }

        /// <summary>The category each kind is shown with.</summary>
        public static ErrorCategory CategoryOf(Pop3ErrorKind kind) => kind switch
        {
            Pop3ErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            Pop3ErrorKind.HostNotFound => ErrorCategory.ObjectNotFound,
            Pop3ErrorKind.ConnectionRefused => ErrorCategory.ConnectionError,
            Pop3ErrorKind.ConnectionLost => ErrorCategory.ConnectionError,
            Pop3ErrorKind.Timeout => ErrorCategory.OperationTimeout,
            Pop3ErrorKind.TlsFailed => ErrorCategory.SecurityError,
            Pop3ErrorKind.CertificateRejected => ErrorCategory.SecurityError,
            Pop3ErrorKind.UnencryptedAuthenticationRefused => ErrorCategory.SecurityError,
            Pop3ErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
            Pop3ErrorKind.MailboxInUse => ErrorCategory.ResourceBusy,
            Pop3ErrorKind.DestinationInUse => ErrorCategory.ResourceBusy,
            Pop3ErrorKind.LoginDelay => ErrorCategory.ResourceBusy,
            Pop3ErrorKind.ServerTemporaryFailure => ErrorCategory.ResourceUnavailable,
            Pop3ErrorKind.ServerPermanentFailure => ErrorCategory.ResourceUnavailable,
            Pop3ErrorKind.ProtocolViolation => ErrorCategory.ProtocolError,
            Pop3ErrorKind.ReplyTooLarge => ErrorCategory.LimitsExceeded,
            Pop3ErrorKind.InvalidListing => ErrorCategory.ProtocolError,
            Pop3ErrorKind.CommandFailed => ErrorCategory.InvalidOperation,
            Pop3ErrorKind.SessionClosed => ErrorCategory.ResourceUnavailable,
            Pop3ErrorKind.NoSession => ErrorCategory.ResourceUnavailable,
            Pop3ErrorKind.NotAuthenticated => ErrorCategory.AuthenticationError,
            Pop3ErrorKind.MessageNotFound => ErrorCategory.ObjectNotFound,
            Pop3ErrorKind.IncompleteMessage => ErrorCategory.InvalidData,
            Pop3ErrorKind.WriteFailed => ErrorCategory.WriteError,
            Pop3ErrorKind.ExportNotPossible => ErrorCategory.NotImplemented,
            Pop3ErrorKind.ExportAbandoned => ErrorCategory.OperationStopped,
            Pop3ErrorKind.MessageNotParsed => ErrorCategory.ParserError,
            Pop3ErrorKind.Cancelled => ErrorCategory.OperationStopped,
            _ => ErrorCategory.NotSpecified,
        };

        // The public kind of the same name. Module.Tests.ps1 checks that every engine kind has one, so the
        // fallback is for an engine newer than this assembly, never reached in a consistent build.
        static Pop3ErrorKind PublicKind(PopShellErrorKind kind) =>
            Enum.TryParse(kind.ToString(), out Pop3ErrorKind mapped) ? mapped : Pop3ErrorKind.UnexpectedFailure;
    }
}
