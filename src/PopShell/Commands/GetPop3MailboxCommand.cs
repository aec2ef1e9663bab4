namespace PopShell.Commands
{
    /// <summary>Get-Pop3Mailbox: its help is written once, in help/en-US/Get-Pop3Mailbox.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommon.Get, "Pop3Mailbox", HelpUri = HelpLinks.Base + "Get-Pop3Mailbox.md")]
    [OutputType(typeof(Pop3MailboxInfo))]
    public sealed class GetPop3MailboxCommand : Pop3Cmdlet
    {
        /// <summary>The session to ask; default: the current session.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [SessionTransformation]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public Pop3Session? Session { get; set; }

        /// <summary>Writes the mailbox information.</summary>
        protected override void ProcessRecord()
        {
            var session = ResolveSession(Session);
            try
            {
                WriteObject(new Pop3MailboxInfo(session, session.Connection.GetMailboxInfo()));
            }
            catch (PopShell.Engine.Errors.PopShellException ex)
            {
                Report(ex, session);
            }
        }
    }
}
