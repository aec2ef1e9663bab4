namespace PopShell.Engine.Tests.Scenarios;

/// <summary>Runs the engine's export against a scripted server and reads back what it left in the folder.</summary>
internal static class ScenarioExport
{
    public static ExportOptions Options(string folder, bool delete = true) => new() { Path = folder, Delete = delete };

    public static List<ExportOutcome> ExportAll(Pop3Connection connection, string folder, bool delete = true) =>
        ExportAll(connection, Options(folder, delete));

    public static List<ExportOutcome> ExportAll(Pop3Connection connection, ExportOptions options)
    {
        using var exporter = new MessageExporter(connection, options);
        return exporter.Export(connection.GetListing(CancellationToken.None).Entries, CancellationToken.None).ToList();
    }

    public static List<ExportOutcome> ExportUntilStopped(Pop3Connection connection, string folder, out PopShellException? stopped, bool delete = true) =>
        ExportUntilStopped(connection, Options(folder, delete), out stopped);

    /// <summary>
    /// The outcomes the exporter yields before it stops the export (which it does, with a session
    /// error, when the stream can no longer be trusted), and that error.
    /// </summary>
    public static List<ExportOutcome> ExportUntilStopped(Pop3Connection connection, ExportOptions options, out PopShellException? stopped)
    {
        var outcomes = new List<ExportOutcome>();
        stopped = null;
        using var exporter = new MessageExporter(connection, options);
        try
        {
            foreach (var outcome in exporter.Export(connection.GetListing(CancellationToken.None).Entries, CancellationToken.None))
                outcomes.Add(outcome);
        }
        catch (PopShellException ex)
        {
            stopped = ex;
        }
        return outcomes;
    }

    /// <summary>Files in the folder other than the journal: saved messages and leftover temporary files.</summary>
    public static string[] MessageFiles(TempDirectory folder) =>
        folder.Files().Where(f => !(f.StartsWith(".popshell-saved-", StringComparison.Ordinal) && f.EndsWith(".log", StringComparison.Ordinal))).ToArray();

    /// <summary>The bytes of each file <see cref="MessageFiles"/> names, in the same order.</summary>
    public static List<byte[]> MessageFileBytes(TempDirectory folder) =>
        MessageFiles(folder).Select(f => File.ReadAllBytes(Path.Combine(folder.Path, f))).ToList();

    /// <summary>
    /// Checks that each outcome's file holds, byte for byte, what the server sent of the message file
    /// (under Scenarios/Messages) at the same place in the list.
    /// </summary>
    public static void AssertSavedAsSent(IEnumerable<ExportOutcome> outcomes, params string[] messageFiles) =>
        Assert.Equal(messageFiles.Select(ScenarioResources.MessageOnWire), outcomes.Select(o => File.ReadAllBytes(o.Path!)));

    /// <summary>
    /// Checks that an export that failed left nothing behind: no message file, an empty journal, no
    /// QUIT (and the session says why not), nothing deleted, and the server's script followed throughout.
    /// </summary>
    public static void AssertNothingSavedOrDeleted(ScenarioRun run, QuitOutcome quit)
    {
        Assert.Empty(MessageFiles(run.Folder));
        Assert.Empty(Journal(run.Folder));
        Assert.NotNull(quit.NotSentBecause);
        run.Server.AssertNothingDeleted();
        Assert.Empty(run.Server.Failures);
    }

    /// <summary>The journal's text: one line per message recorded as saved.</summary>
    public static string Journal(TempDirectory folder) =>
        File.ReadAllText(Directory.GetFiles(folder.Path, ".popshell-saved-*.log").Single());

    /// <summary>The UIDs the journal records, decoded.</summary>
    public static string[] JournalUids(TempDirectory folder) =>
        Journal(folder).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Uri.UnescapeDataString(l.Split('\t')[1])).ToArray();
}
