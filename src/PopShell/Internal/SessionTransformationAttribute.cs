namespace PopShell.Internal
{
    /// <summary>
    /// Lets -Session take a session's text ("alice@mail.example.com:995", as Pop3Message and
    /// Pop3SaveResult objects show it in a CSV file) as well as the session itself: the open session of
    /// this runspace with that user, server and port. Anything else passes through unchanged, so that
    /// a number given by position can still bind to -Index.
    /// </summary>
    public sealed class SessionTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The open session named by <paramref name="inputData"/>, or <paramref name="inputData"/> itself.</summary>
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is not string text)
                return inputData;

            var open = RunspaceSessions.Current.Open;
            var matches = open.Where(s => string.Equals(s.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length == 1)
                return matches[0];
            string known = open.Count == 0 ? "none is open" : "open: " + string.Join(", ", open.Select(s => $"{s.Id} {s}"));
            if (matches.Length == 0)
                throw new ArgumentTransformationMetadataException($"There is no open POP3 session '{text}' ({known}). Connect to that mailbox with Connect-Pop3 first.");
            throw new ArgumentTransformationMetadataException($"More than one open session is '{text}' (Ids {string.Join(", ", matches.Select(s => s.Id))}). Pass the session itself: Get-Pop3Session -Id <Id>.");
        }
    }
}
