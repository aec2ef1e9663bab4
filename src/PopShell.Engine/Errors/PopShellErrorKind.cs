// One list of failure kinds for both assemblies. The engine raises them as PopShellErrorKind; the
// cmdlet assembly compiles this same file (PopShell.csproj links it, with POPSHELL_CMDLETS) as the
// public PopShell.Pop3ErrorKind that scripts catch, because PowerShell 7 hides the engine's types in
// their private load context. Each kind maps to the other by name, so they cannot drift apart.
#if POPSHELL_CMDLETS
namespace PopShell
{
    /// <summary>
    /// What went wrong, as scripts see it: <c>catch [PopShell.Pop3Exception] { if ($_.Exception.Kind -eq 'AuthenticationFailed') … }</c>.
    /// Each kind is also the error id of its error record (<c>$_.FullyQualifiedErrorId</c> starts with it).
    /// </summary>
    public enum Pop3ErrorKind
#else
namespace PopShell.Engine.Errors
{
    /// <summary>
    /// What went wrong, as a fixed list: each kind has one stable error id that scripts can match on,
    /// and the cmdlet layer maps each kind to one PowerShell error category.
    /// </summary>
    public enum PopShellErrorKind
#endif
    {
        /// <summary>The server could not be reached for another reason than HostNotFound or ConnectionRefused (network unreachable, connection reset).</summary>
        ConnectionFailed,
        /// <summary>The server's name could not be resolved (DNS): a typo, or the name does not exist.</summary>
        HostNotFound,
        /// <summary>The server's address answered, but nothing accepted a connection on the port (refused or blocked).</summary>
        ConnectionRefused,
        /// <summary>An operation took longer than the configured timeout.</summary>
        Timeout,
        /// <summary>The TLS handshake failed, or the server would not start TLS.</summary>
        TlsFailed,
        /// <summary>The server's certificate was rejected.</summary>
        CertificateRejected,
        /// <summary>Sending a password or token without encryption was refused before anything was sent.</summary>
        UnencryptedAuthenticationRefused,
        /// <summary>The server rejected the user name, password or token.</summary>
        AuthenticationFailed,
        /// <summary>The mailbox is locked by another session, or the server has too many connections.</summary>
        MailboxInUse,
        /// <summary>The server asks the client to wait longer between logins.</summary>
        LoginDelay,
        /// <summary>The server reports a temporary problem on its side.</summary>
        ServerTemporaryFailure,
        /// <summary>The server reports a permanent problem on its side.</summary>
        ServerPermanentFailure,
        /// <summary>The server sent something that is not valid POP3.</summary>
        ProtocolViolation,
        /// <summary>The server sent more than it announced (or than a reply may hold), so PopShell stopped reading.</summary>
        ReplyTooLarge,
        /// <summary>The server's LIST or UIDL listing is inconsistent (counts disagree, numbers out of order).</summary>
        InvalidListing,
        /// <summary>The server refused a command with -ERR.</summary>
        CommandFailed,
        /// <summary>The connection was lost during the session.</summary>
        ConnectionLost,
        /// <summary>The session connected without logging in, so the mailbox cannot be read.</summary>
        NotAuthenticated,
        /// <summary>The session is closed, so nothing more can be done with it.</summary>
        SessionClosed,
        /// <summary>There is no session to use: none was given and the runspace has no current one (cmdlets only).</summary>
        NoSession,
        /// <summary>A message named by index or UID is not in the mailbox.</summary>
        MessageNotFound,
        /// <summary>A message arrived with a different size than the server listed, so it may be cut short.</summary>
        IncompleteMessage,
        /// <summary>A file could not be written: disk full, access denied, path too long, or not an mbox.</summary>
        WriteFailed,
        /// <summary>The export cannot run as asked (e.g. -NewOnly on a server without UIDs).</summary>
        ExportNotPossible,
        /// <summary>An export stopped because its session had to end without QUIT; what was saved is kept.</summary>
        ExportAbandoned,
        /// <summary>A retrieved message could not be parsed as MIME, so its parts (attachments) cannot be read.</summary>
        MessageNotParsed,
        /// <summary>A failure PopShell does not recognise; the inner exception says what it was.</summary>
        UnexpectedFailure,
        /// <summary>Another run holds the export folder's lock, so this one left the folder alone.</summary>
        DestinationInUse,
        /// <summary>The operation was cancelled (Ctrl+C or StopProcessing).</summary>
        Cancelled,
    }
}
