using System;

namespace PopShell.Engine.Export
{
    /// <summary>When an unattended export deletes what it saved from the server.</summary>
    public enum DeletionTime
    {
        /// <summary>Never: the mail stays on the server.</summary>
        Never,
        /// <summary>As soon as the message is durably saved and journaled (Save-Pop3Message -Delete).</summary>
        AfterSave,
        /// <summary>A number of days after the journal says it was saved ("leave on server for N days").</summary>
        DaysAfterSave,
    }
}
