using System.Management.Automation;
using PopShell.Engine.Errors;

namespace PopShell.Internal
{
    /// <summary>
    /// The one place where engine failures become PowerShell error records: a stable error id per
    /// kind (scripts match on it), a fitting category, the message or session as target, the
    /// recommended action, and the original exception kept inside.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(PopShellException ex, object? target)
        {
            var record = new ErrorRecord(ex, ex.Kind.ToString(), CategoryOf(ex.Kind), target);
            if (ex.Hint != null)
                record.ErrorDetails = new ErrorDetails($"{ex.Message} {ex.Hint}") { RecommendedAction = ex.Hint };
            return record;
        }

        public static ErrorCategory CategoryOf(PopShellErrorKind kind) => kind switch
        {
            PopShellErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            PopShellErrorKind.ConnectionLost => ErrorCategory.ConnectionError,
            PopShellErrorKind.Timeout => ErrorCategory.OperationTimeout,
            PopShellErrorKind.TlsFailed => ErrorCategory.SecurityError,
            PopShellErrorKind.CertificateRejected => ErrorCategory.SecurityError,
            PopShellErrorKind.UnencryptedAuthenticationRefused => ErrorCategory.SecurityError,
            PopShellErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
            PopShellErrorKind.MailboxInUse => ErrorCategory.ResourceBusy,
            PopShellErrorKind.LoginDelay => ErrorCategory.ResourceBusy,
            PopShellErrorKind.ServerTemporaryFailure => ErrorCategory.ResourceUnavailable,
            PopShellErrorKind.ServerPermanentFailure => ErrorCategory.ResourceUnavailable,
            PopShellErrorKind.ProtocolViolation => ErrorCategory.ProtocolError,
            PopShellErrorKind.CommandFailed => ErrorCategory.InvalidOperation,
            PopShellErrorKind.SessionClosed => ErrorCategory.ResourceUnavailable,
            PopShellErrorKind.NotAuthenticated => ErrorCategory.AuthenticationError,
            PopShellErrorKind.MessageNotFound => ErrorCategory.ObjectNotFound,
            PopShellErrorKind.DestinationInUse => ErrorCategory.ResourceBusy,
            PopShellErrorKind.Cancelled => ErrorCategory.OperationStopped,
            _ => ErrorCategory.NotSpecified,
        };
    }
}
