using System.Linq;
using System.Management.Automation;
using PopShell.Internal;

namespace PopShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the open POP3 sessions of this runspace; -Current gives only the default one.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Pop3Session")]
    [OutputType(typeof(Pop3Session))]
    public sealed class GetPop3SessionCommand : Pop3Cmdlet
    {
        /// <summary>Only the session that commands use when no -Session is given.</summary>
        [Parameter]
        public SwitchParameter Current { get; set; }

        /// <summary>Writes the sessions.</summary>
        protected override void ProcessRecord()
        {
            var sessions = RunspaceSessions.Current;
            if (Current)
            {
                if (sessions.Default != null)
                    WriteObject(sessions.Default);
                return;
            }
            // A copy: Disconnect-Pop3 further down the pipeline removes sessions from the live list.
            foreach (var session in sessions.Open.ToArray())
                WriteObject(session);
        }
    }
}
