namespace PopShell.Commands
{
    /// <summary>Disconnect-Pop3: its help is written once, in help/en-US/Disconnect-Pop3.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Pop3", HelpUri = HelpLinks.Base + "Disconnect-Pop3.md")]
    [OutputType(typeof(void))]
    public sealed class DisconnectPop3Command : Pop3Cmdlet
    {
        /// <summary>The session to end; default: the current session.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SessionTransformation]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public Pop3Session? Session { get; set; }

        /// <summary>Sends RSET before QUIT, so no message marked for deletion is deleted.</summary>
        [Parameter]
        public SwitchParameter Discard { get; set; }

        /// <summary>Ends the session.</summary>
        protected override void ProcessRecord()
        {
            var session = Session ?? RunspaceSessions.Current.Default;
            if (session == null)
            {
                WriteVerbose("There is no session to disconnect.");
                return;
            }

            RunspaceSessions.Current.Remove(session);
            if (!session.IsConnected)
            {
                WriteVerbose($"The session {session} was already closed.");
                return;
            }

            try
            {
                var outcome = session.Connection.Close(Discard, CancellationToken);
                if (outcome.Discarded > 0)
                    Say($"Kept {outcome.Discarded} message(s) that were marked for deletion on {session} (RSET before QUIT).");
                if (outcome.NotSentBecause != null)
                    WriteWarning($"QUIT was not sent to {session.Server} because {outcome.NotSentBecause}. The server deletes nothing: {outcome.Marked} message(s) marked for deletion stay on the server.");
                else if (outcome.Acknowledged && outcome.Deleted > 0)
                    Say($"Deleted {outcome.Deleted} message(s) from {session}: the server confirmed QUIT ({outcome.Reply}).");
                else if (outcome.Acknowledged)
                    WriteVerbose($"The server acknowledged QUIT ({outcome.Reply}); nothing was marked for deletion.");
                else if (outcome.Marked > 0)
                    WriteWarning($"The server {session.Server} did not acknowledge QUIT ({outcome.Reply ?? "no reply"}): the {outcome.Marked} message(s) marked for deletion may or may not have been deleted. Connect again and list the mailbox to see what is left.");
                else
                    WriteVerbose($"The server did not acknowledge QUIT ({outcome.Reply ?? "no reply"}); nothing was marked for deletion.");
            }
            catch (PopShellException ex)
            {
                Report(ex, session);
            }
        }

        // Deletions are what an admin needs to see without -Verbose: shown on the host like Write-Host
        // (so it never mixes into the pipeline), and capturable from the information stream (6>&1).
        void Say(string message) =>
            WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" });
    }
}
