namespace PopShell.TestServer;

/// <summary>
/// One line of a scenario: something the server sends, expects, or does to the connection.
/// <see cref="Origin"/> names the scenario and line it came from ("name:12"), so a failure can point at it.
/// </summary>
public abstract record ScenarioStep(string Origin)
{
    /// <summary><c>S:</c>, <c>S-RAW:</c>: send these bytes as they are.</summary>
    public sealed record Send(string Origin, byte[] Bytes) : ScenarioStep(Origin);

    /// <summary>
    /// <c>S-REPEAT: n line</c>: send a line <paramref name="Count"/> times, streamed, never built whole in memory;
    /// <c>S-RAW-REPEAT: n text</c>: the same for raw text without a line end, so one line can be made endless.
    /// </summary>
    public sealed record SendRepeated(string Origin, long Count, byte[] LineBytes) : ScenarioStep(Origin);

    /// <summary>
    /// <c>S-FILE: name</c>: send a message from the resources, dot-stuffed and terminated by <c>.</c>;
    /// <c>S-HEADERS: name</c>: only its header block and the blank line after it, as TOP n 0 returns it.
    /// </summary>
    public sealed record SendMessage(string Origin, string Name, bool HeadersOnly) : ScenarioStep(Origin);

    /// <summary>
    /// <c>C: text</c>: expect one client line. <c>*</c> alone matches any line; a trailing <c>*</c>
    /// matches any line that starts with what comes before it; anything else must match exactly.
    /// </summary>
    public sealed record Expect(string Origin, string Pattern) : ScenarioStep(Origin)
    {
        /// <summary>Whether <paramref name="clientLine"/> is what this step expects.</summary>
        public bool Matches(string clientLine) =>
            Pattern.EndsWith('*')
                ? clientLine.StartsWith(Pattern[..^1], StringComparison.Ordinal)
                : clientLine == Pattern;
    }

    /// <summary><c>CLOSE</c>: end the server's side (the client reads end of stream), and keep recording what the client still sends.</summary>
    public sealed record Close(string Origin) : ScenarioStep(Origin);

    /// <summary><c>RESET</c>: abort the connection with a TCP reset (the client's next read or write fails).</summary>
    public sealed record Reset(string Origin) : ScenarioStep(Origin);

    /// <summary><c>STALL</c>: stop answering, keep recording, until the client hangs up or the server is disposed.</summary>
    public sealed record Stall(string Origin) : ScenarioStep(Origin);
}
