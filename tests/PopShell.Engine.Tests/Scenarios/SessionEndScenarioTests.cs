namespace PopShell.Engine.Tests.Scenarios;

/// <summary>Disconnect-Pop3's engine: a deletion counts only when the server acknowledged QUIT.</summary>
public class SessionEndScenarioTests
{
    [Fact]
    public void A_quit_answered_with_err_is_not_acknowledged_and_deletes_nothing_for_sure()
    {
        using var server = ScriptedPop3Server.FromScenario("quit-refused");
        using var connection = ScenarioConnection.Open(server);
        var listing = connection.GetListing(CancellationToken.None);

        Assert.Empty(connection.MarkForDeletion([listing.Entries[0]], CancellationToken.None));
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.False(quit.Acknowledged);
        Assert.Equal("-ERR some deleted messages not removed", quit.Reply);
        Assert.Equal(1, quit.Marked);
        Assert.Equal(0, quit.Deleted);
        Assert.Null(quit.NotSentBecause);
        Assert.Equal(["DELE 1"], server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void A_quit_without_a_reply_is_not_acknowledged()
    {
        using var server = ScriptedPop3Server.FromScenario("quit-unanswered");
        using var connection = ScenarioConnection.Open(server);
        var listing = connection.GetListing(CancellationToken.None);

        connection.MarkForDeletion([listing.Entries[0]], CancellationToken.None);
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.False(quit.Acknowledged);
        Assert.Null(quit.Reply);
        Assert.Equal(0, quit.Deleted);
        Assert.Empty(server.Failures);
    }
}
