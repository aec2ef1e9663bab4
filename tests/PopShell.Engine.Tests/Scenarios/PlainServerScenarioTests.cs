using static PopShell.Engine.Tests.Scenarios.ScenarioExport;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// Servers that offer less than MailKit's favourite: no PIPELINING, no CAPA at all. The client must
/// not pipeline to them (a server that does not expect it may drop the extra commands), and the
/// export must be as complete and byte-exact as with a modern server.
/// </summary>
public class PlainServerScenarioTests
{
    [Theory]
    [InlineData("export-three-sequential")]
    [InlineData("no-capa")]
    public void Without_pipelining_each_command_waits_for_its_reply_and_the_export_is_byte_exact(string scenario)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var info = connection.GetMailboxInfo();
        var outcomes = ExportAll(connection, folder.Path);
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.False(info.SupportsPipelining);
        Assert.Equal(
            new[] { "first.eml", "second.eml", "third.eml" }.Select(ScenarioResources.MessageOnWire),
            outcomes.Select(o => File.ReadAllBytes(o.Path!)));
        Assert.All(outcomes, o => Assert.True(o.Deleted));
        Assert.True(quit.Acknowledged);
        Assert.Equal(3, quit.Deleted);
        var lines = server.LinesAfterHangUp();
        Assert.Equal(["RETR 1", "RETR 2", "RETR 3"], lines.Commands("RETR"));
        Assert.Empty(server.LinesSentBeforeReply);
        Assert.Empty(server.Failures);
    }
}
