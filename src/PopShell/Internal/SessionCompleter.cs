using System.Collections;
using System.Globalization;
using System.Management.Automation.Language;

namespace PopShell.Internal
{
    /// <summary>
    /// Tab completion for -Session (and Get-Pop3Session -Id): the open sessions of this runspace, as an
    /// expression that finds each by its Id, instead of PowerShell's default of file names.
    /// </summary>
    public sealed class SessionCompleter : IArgumentCompleter
    {
        /// <summary>Offers the open sessions whose Id starts with what was typed.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            bool byId = parameterName == "Id";
            return RunspaceSessions.Current.Open
                .Where(s => s.Id.ToString(CultureInfo.InvariantCulture).StartsWith(wordToComplete.Trim('(', ' '), System.StringComparison.Ordinal))
                .Select(s => new CompletionResult(
                    byId ? s.Id.ToString(CultureInfo.InvariantCulture) : $"(Get-Pop3Session -Id {s.Id})",
                    $"{s.Id} {s}",
                    CompletionResultType.ParameterValue,
                    $"Session {s.Id}: {s}"))
                .ToArray();
        }
    }
}
