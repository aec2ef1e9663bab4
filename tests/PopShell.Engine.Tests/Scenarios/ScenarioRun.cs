namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// What nearly every scenario test opens: the scripted server playing one scenario, the engine
/// connected to it as <see cref="ScenarioConnection"/> does, and a fresh folder for what the test
/// saves (made only when a test asks for it). Disposed together, the connection first, as the
/// three using declarations it replaces were.
/// </summary>
internal sealed class ScenarioRun : IDisposable
{
    readonly Lazy<TempDirectory> folder = new(() => new TempDirectory());

    ScenarioRun(ScriptedPop3Server server)
    {
        Server = server;
        try
        {
            Connection = ScenarioConnection.Open(server);
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts the server on the scenario file of this name and connects to it.</summary>
    public static ScenarioRun Open(string scenario) => new(ScriptedPop3Server.FromScenario(scenario));

    public ScriptedPop3Server Server { get; }

    public Pop3Connection Connection { get; }

    public TempDirectory Folder => folder.Value;

    /// <summary>The messages the server lists (UIDL and LIST).</summary>
    public IReadOnlyList<MessageEntry> Entries() => Connection.GetListing(CancellationToken.None).Entries;

    /// <summary>Exports every listed message into <see cref="Folder"/>, deleting each once it is saved unless told not to.</summary>
    public List<ExportOutcome> ExportAll(bool delete = true) => ScenarioExport.ExportAll(Connection, Folder.Path, delete);

    /// <inheritdoc cref="ScenarioExport.ExportUntilStopped(Pop3Connection, ExportOptions, out PopShellException?)"/>
    public List<ExportOutcome> ExportUntilStopped(out PopShellException? stopped, bool delete = true) =>
        ScenarioExport.ExportUntilStopped(Connection, Folder.Path, out stopped, delete);

    /// <summary>Ends the session as Disconnect-Pop3 does: QUIT, when nothing forbids it, commits the deletions.</summary>
    public QuitOutcome Quit() => Connection.Close(discard: false, CancellationToken.None);

    public void Dispose()
    {
        Connection.Dispose();
        if (folder.IsValueCreated)
            folder.Value.Dispose();
        Server.Dispose();
    }
}
