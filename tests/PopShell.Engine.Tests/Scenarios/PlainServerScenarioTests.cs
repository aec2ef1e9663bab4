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
        using var run = ScenarioRun.Open(scenario);

        var info = run.Connection.GetMailboxInfo();
        var outcomes = run.ExportAll();
        var quit = run.Quit();

        Assert.False(info.SupportsPipelining);
        AssertSavedAsSent(outcomes, "first.eml", "second.eml", "third.eml");
        Assert.All(outcomes, o => Assert.True(o.Deleted));
        Assert.True(quit.Acknowledged);
        Assert.Equal(3, quit.Deleted);
        var lines = run.Server.LinesAfterHangUp();
        Assert.Equal(["RETR 1", "RETR 2", "RETR 3"], lines.Commands("RETR"));
        Assert.Empty(run.Server.LinesSentBeforeReply);
        Assert.Empty(run.Server.Failures);
    }
}
