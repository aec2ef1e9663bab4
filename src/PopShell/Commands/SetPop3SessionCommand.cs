namespace PopShell.Commands
{
    /// <summary>Set-Pop3Session: its help is written once, in help/en-US/Set-Pop3Session.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommon.Set, "Pop3Session", SupportsShouldProcess = false, HelpUri = HelpLinks.Base + "Set-Pop3Session.md")]
    [OutputType(typeof(Pop3Session))]
    public sealed class SetPop3SessionCommand : Pop3Cmdlet
    {
        /// <summary>The session to make current: from Get-Pop3Session, Connect-Pop3 or a message's Session.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SessionTransformation]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public Pop3Session Session { get; set; } = null!;

        /// <summary>Writes the session.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Makes the session current; the last one piped in wins.</summary>
        protected override void ProcessRecord()
        {
            var session = ResolveSession(Session);
            RunspaceSessions.Current.SetDefault(session);
            WriteVerbose($"Commands without -Session now use session {session.Id} ({session}).");
            if (PassThru)
                WriteObject(session);
        }
    }
}
