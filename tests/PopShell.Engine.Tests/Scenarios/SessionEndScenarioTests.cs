namespace PopShell.Engine.Tests.Scenarios;

/// <summary>Disconnect-Pop3's engine: a deletion counts only when the server acknowledged QUIT.</summary>
public class SessionEndScenarioTests
{
    [Fact]
    public void A_quit_answered_with_err_is_not_acknowledged_and_deletes_nothing_for_sure()
    {
        using var run = ScenarioRun.Open("quit-refused");
        var listing = run.Connection.GetListing(CancellationToken.None);

        Assert.Empty(run.Connection.MarkForDeletion([listing.Entries[0]], CancellationToken.None));
        var quit = run.Quit();

        Assert.False(quit.Acknowledged);
        Assert.Equal("-ERR some deleted messages not removed", quit.Reply);
        Assert.Equal(1, quit.Marked);
        Assert.Equal(0, quit.Deleted);
        Assert.Null(quit.NotSentBecause);
        Assert.Equal(["DELE 1"], run.Server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void A_quit_without_a_reply_is_not_acknowledged()
    {
        using var run = ScenarioRun.Open("quit-unanswered");
        var listing = run.Connection.GetListing(CancellationToken.None);

        run.Connection.MarkForDeletion([listing.Entries[0]], CancellationToken.None);
        var quit = run.Quit();

        Assert.False(quit.Acknowledged);
        Assert.Null(quit.Reply);
        Assert.Equal(0, quit.Deleted);
        Assert.Empty(run.Server.Failures);
    }
}
