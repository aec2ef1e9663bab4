using System.Collections;
using System.Globalization;
using System.Management.Automation.Language;

namespace PopShell.Internal
{
    /// <summary>
    /// Tab completion for -Uid and -Index from the current session's listing, when the session has
    /// already fetched it: completion must be instant, so it never goes to the server.
    /// </summary>
    public sealed class MessageCompleter : IArgumentCompleter
    {
        const int MaxResults = 200;

        /// <summary>Offers UIDs or indexes that start with what was typed.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var session = fakeBoundParameters["Session"] as Pop3Session ?? RunspaceSessions.Current.Default;
            var listing = session?.IsConnected == true ? session.Connection.CachedListing : null;
            if (listing == null)
                return Array.Empty<CompletionResult>();

            string typed = wordToComplete.Trim('\'', '"');
            bool byIndex = string.Equals(parameterName, "Index", StringComparison.OrdinalIgnoreCase);
            return listing.Entries
                .Select(e => byIndex ? e.Number.ToString(CultureInfo.InvariantCulture) : e.Uid)
                .Where(value => value != null && value.StartsWith(typed, StringComparison.Ordinal))
                .Take(MaxResults)
                .Select(value => new CompletionResult(byIndex ? value! : "'" + value!.Replace("'", "''") + "'", value!, CompletionResultType.ParameterValue, value!))
                .ToArray();
        }
    }
}
