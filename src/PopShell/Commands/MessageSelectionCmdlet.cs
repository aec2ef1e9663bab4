namespace PopShell.Commands
{
    /// <summary>
    /// What Get-, Remove- and Save-Pop3Message share: messages named by UID, with -Uid or by the Uid
    /// property of piped objects (save results, CSV rows), and the names of their parameter sets.
    /// -Index and -Session stay with each cmdlet, because their positions differ by design:
    /// Get-Pop3Message 5 lists message 5, while Remove- and Save-Pop3Message take the session first.
    /// </summary>
    public abstract class MessageSelectionCmdlet : Pop3Cmdlet
    {
        /// <summary>The parameter set of messages named by number.</summary>
        protected const string IndexSet = "ByIndex";

        /// <summary>The parameter set of messages named by UID.</summary>
        protected const string UidSet = "ByUid";

        /// <summary>Message UIDs (stable across sessions); taken from the Uid property of piped objects (save results, CSV rows).</summary>
        [Parameter(Mandatory = true, ParameterSetName = UidSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(MessageCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Uid { get; set; }
    }
}
