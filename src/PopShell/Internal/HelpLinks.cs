namespace PopShell.Internal
{
    /// <summary>Where each command's help is online, for the cmdlets' HelpUri (Get-Help -Online).</summary>
    internal static class HelpLinks
    {
        /// <summary>The folder of the help's Markdown in the project's repository; a command's page is its name plus ".md".</summary>
        public const string Base = "https://github.com/popshell/PopShell/blob/main/help/en-US/";
    }
}
