namespace PopShell.Commands
{
    /// <summary>Get-Pop3Session: its help is written once, in help/en-US/Get-Pop3Session.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommon.Get, "Pop3Session", DefaultParameterSetName = AllSet, HelpUri = HelpLinks.Base + "Get-Pop3Session.md")]
    [OutputType(typeof(Pop3Session))]
    public sealed class GetPop3SessionCommand : Pop3Cmdlet
    {
        const string AllSet = "All";
        const string IdSet = "ById";
        const string CurrentSet = "Current";

        /// <summary>Only the sessions with these Ids; an Id that is not open is an error.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public int[] Id { get; set; } = System.Array.Empty<int>();

        /// <summary>Only the session that commands use when no -Session is given.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CurrentSet)]
        public SwitchParameter Current { get; set; }

        /// <summary>Writes the sessions.</summary>
        protected override void ProcessRecord()
        {
            var sessions = RunspaceSessions.Current;
            if (ParameterSetName == CurrentSet)
            {
                if (sessions.Default != null)
                    WriteObject(sessions.Default);
                return;
            }
            if (ParameterSetName == IdSet)
            {
                foreach (int id in Id)
                {
                    var session = sessions.Open.FirstOrDefault(s => s.Id == id);
                    if (session != null)
                    {
                        WriteObject(session);
                        continue;
                    }
                    WriteError(ErrorRecords.Create(new Pop3Exception(
                        Pop3ErrorKind.NoSession,
                        $"There is no open POP3 session with Id {id} in this runspace",
                        "Get-Pop3Session lists the open sessions."), id));
                }
                return;
            }
            // A copy: Disconnect-Pop3 further down the pipeline removes sessions from the live list.
            foreach (var session in sessions.Open.ToArray())
                WriteObject(session);
        }
    }
}
