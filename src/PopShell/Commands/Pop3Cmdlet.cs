using System.Management.Automation;
using System.Threading;
using PopShell.Engine.Errors;
using PopShell.Internal;

namespace PopShell.Commands
{
    /// <summary>
    /// What every PopShell cmdlet shares: a cancellation token that Ctrl+C (StopProcessing) cancels,
    /// finding the session to use, and turning engine failures into error records.
    /// </summary>
    public abstract class Pop3Cmdlet : PSCmdlet, System.IDisposable
    {
        readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken => stopping.Token;

        /// <summary>Cancels whatever the engine is doing.</summary>
        protected override void StopProcessing() => stopping.Cancel();

        /// <summary>PowerShell calls this when the command is done, stopped or failed.</summary>
        public void Dispose()
        {
            Release();
            stopping.Dispose();
        }

        /// <summary>Releases what the command holds (open files); runs however the command ended.</summary>
        protected virtual void Release()
        {
        }

        /// <summary>The session given, or the runspace's default; a terminating error if there is none or it is closed.</summary>
        protected Pop3Session ResolveSession(Pop3Session? given)
        {
            var session = given ?? RunspaceSessions.Current.Default;
            if (session == null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSInvalidOperationException("There is no POP3 session. Connect first with Connect-Pop3, or pass -Session."),
                    "NoSession", ErrorCategory.ResourceUnavailable, null));
            }
            if (!session!.IsConnected)
            {
                ThrowTerminatingError(ErrorRecords.From(new PopShellException(
                    PopShellErrorKind.SessionClosed,
                    $"The session {session} is closed.",
                    "Connect again with Connect-Pop3."), session));
            }
            return session;
        }

        /// <summary>Reports a failure of the whole session (terminating) and forgets the session if it is gone.</summary>
        protected void ThrowSessionError(PopShellException ex, Pop3Session? session)
        {
            if (session != null && !session.IsConnected)
                RunspaceSessions.Current.Remove(session);
            ThrowTerminatingError(ErrorRecords.From(ex, session));
        }
    }
}
