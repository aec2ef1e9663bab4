namespace PopShell.Engine.Accounts
{
    /// <summary>What a scheduled export does with every account: its deletion policy and size limit.</summary>
    public sealed class AccountExportSettings
    {
        /// <summary>When saved mail is deleted from the server; default never.</summary>
        public Export.DeletionPolicy Deletion { get; set; } = Export.DeletionPolicy.Never();

        /// <summary>Messages larger than this (by LIST size) are not downloaded, and reported; null: no limit.</summary>
        public long? MaxMessageSize { get; set; }
    }
}
