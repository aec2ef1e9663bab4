using System.Threading;

namespace PopShell.Commands
{
    /// <summary>
    /// What every PopShell cmdlet shares: a cancellation token that Ctrl+C (StopProcessing) cancels,
    /// finding the session to use, and reporting engine failures as error records.
    /// </summary>
    public abstract class Pop3Cmdlet : PSCmdlet, System.IDisposable
    {
        readonly CancellationTokenSource stopping = new CancellationTokenSource();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken => stopping.Token;

        /// <summary>
        /// Whether each input of the command opens a session of its own (Connect-Pop3), so that a
        /// failed session ends only its own input.
        /// </summary>
        protected virtual bool EachInputIsASession => false;

        /// <summary>
        /// Warns, once per session and command, that the server deletes every message retrieved in the
        /// session at QUIT (EXPIRE 0, as Gmail announces): what the command retrieves leaves the server.
        /// </summary>
        /// <param name="session">The session about to retrieve messages.</param>
        /// <param name="consequence">What that means for this command, as a sentence.</param>
        protected void WarnIfRetrievedMessagesExpire(Pop3Session session, string consequence)
        {
            if (session.Connection.ExpireDays == 0 && warnedOfExpiry.Add(session))
                WriteWarning($"The server {session.Server} deletes every retrieved message when the session ends (EXPIRE 0): {consequence}");
        }

        readonly System.Collections.Generic.HashSet<Pop3Session> warnedOfExpiry = new System.Collections.Generic.HashSet<Pop3Session>();

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
                bool others = RunspaceSessions.Current.Open.Count > 0;
                ThrowTerminatingError(ErrorRecords.Create(new Pop3Exception(
                    Pop3ErrorKind.NoSession,
                    others ? "There is no current POP3 session; the sessions that are open are not the current one" : "There is no POP3 session",
                    others ? "Pass -Session, or make a session current with Set-Pop3Session (Get-Pop3Session lists them)." : "Connect first with Connect-Pop3, or pass -Session."),
                    null));
            }
            if (!session!.IsConnected)
            {
                Report(new PopShellException(
                    PopShellErrorKind.SessionClosed,
                    $"The session {session} is closed.",
                    "Connect again with Connect-Pop3."), session);
            }
            return session;
        }

        /// <summary>
        /// The session to act in for UIDs that came with a session (a save result, a CSV row): that session
        /// while it is open; once it has closed, an open session of the same mailbox (same user, server and
        /// port). Null, after a non-terminating error for these UIDs, when there is none.
        /// </summary>
        protected Pop3Session? ResolveOpenMailbox(Pop3Session? given, System.Collections.Generic.IReadOnlyList<string> uids)
        {
            if (given == null || given.IsConnected)
                return ResolveSession(given);
            var same = System.Linq.Enumerable.FirstOrDefault(RunspaceSessions.Current.Open,
                s => s.IsConnected && string.Equals(s.ToString(), given.ToString(), System.StringComparison.OrdinalIgnoreCase));
            if (same != null)
                return same;
            Report(new PopShellException(
                PopShellErrorKind.SessionClosed,
                $"The session {given} is closed, and no open session is connected to that mailbox; nothing was done for message UID {string.Join(", ", uids)}.",
                "Connect to the mailbox again with Connect-Pop3 and repeat the command.")
            { Uid = string.Join(", ", uids) }, given);
            return null;
        }

        /// <summary>
        /// The listing entry of a piped message in its own session; null, after reporting why, when its
        /// session is closed, its index no longer holds its UID, or the listing cannot be read.
        /// </summary>
        /// <param name="message">The piped message.</param>
        /// <param name="doing">What would be done to it, for the error ("saved", "extracted").</param>
        protected Engine.Messages.MessageEntry? ResolvePiped(Pop3Message message, string doing)
        {
            Engine.Messages.MessageEntry? entry;
            PopShellException? error;
            try
            {
                entry = PipedMessage.Resolve(message, doing, CancellationToken, out error);
            }
            catch (PopShellException ex)
            {
                Report(ex, message.Session);
                return null;
            }
            if (entry == null)
                Report(error!, message.Session, message.Uid);
            return entry;
        }

        /// <summary>
        /// Reports a failure as ErrorRecords decides: a terminating error when it ends the command, a
        /// non-terminating one when it is about one input. A session that the failure closed is forgotten.
        /// </summary>
        /// <param name="error">The engine's failure.</param>
        /// <param name="session">The session it happened in, if any.</param>
        /// <param name="target">What failed, when it is neither the message the error names nor the session ("server:port", a path).</param>
        protected void Report(PopShellException error, Pop3Session? session, object? target = null)
        {
            if (session != null && !session.IsConnected)
                RunspaceSessions.Current.Remove(session);
            var record = ErrorRecords.Create(error, target ?? (object?)error.Uid ?? session);
            if (ErrorRecords.EndsCommand(error, EachInputIsASession))
                ThrowTerminatingError(record);
            else
                WriteError(record);
        }
    }
}
