namespace PopShell.Engine.Tests.Scenarios;

/// <summary>Get-Pop3Message's engine against servers that cut the listing short, garble it, never end it, or lack UIDL and TOP.</summary>
public class ListingScenarioTests
{
    [Theory]
    [InlineData("list-cut-off")]
    [InlineData("list-reset")]
    [InlineData("uidl-cut-off")]
    [InlineData("list-garbage-status")]
    [InlineData("list-overlong-status")]
    [InlineData("uidl-fewer-than-list")]
    public void A_listing_cut_off_garbled_or_inconsistent_ends_the_session_before_any_message_is_read(string scenario)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);
        using var connection = ScenarioConnection.Open(server);

        var error = Assert.Throws<PopShellException>(() => connection.GetListing(CancellationToken.None));
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.Contains(error.Kind, new[] { PopShellErrorKind.ConnectionLost, PopShellErrorKind.ProtocolViolation, PopShellErrorKind.ReplyTooLarge, PopShellErrorKind.InvalidListing });
        Assert.False(connection.IsConnected);
        Assert.False(quit.Acknowledged);
        Assert.NotNull(quit.NotSentBecause);
        Assert.Empty(server.LinesAfterHangUp().Commands("RETR"));
        server.AssertNothingDeleted();
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void An_endless_listing_is_cut_off_long_before_it_fills_memory()
    {
        using var server = ScriptedPop3Server.FromScenario("list-endless");
        using var connection = ScenarioConnection.Open(server);

        var error = Assert.Throws<PopShellException>(() => connection.GetListing(CancellationToken.None));
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.Equal(PopShellErrorKind.ReplyTooLarge, error.Kind);
        Assert.Contains("more data than it announced", error.Message);
        Assert.NotNull(quit.NotSentBecause);
        Assert.Empty(server.LinesAfterHangUp().Commands("QUIT"));
    }

    [Fact]
    public void Headers_come_from_pipelined_top()
    {
        using var server = ScriptedPop3Server.FromScenario("headers-by-top");
        using var connection = ScenarioConnection.Open(server);

        var listing = connection.GetListing(CancellationToken.None);
        var summaries = connection.ReadSummaries(listing.Entries, CancellationToken.None);
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.Equal(["uid-first", "uid-second", "uid-third"], listing.Entries.Select(e => e.Uid));
        Assert.Equal(["First message", "Second message", "Third message"], summaries.Select(s => s.Subject));
        Assert.Equal("carol@example.org", summaries[1].From.Single().Address);
        Assert.Equal(new DateTimeOffset(2025, 9, 3, 9, 15, 0, TimeSpan.FromHours(-7)), summaries[2].Date);
        Assert.True(quit.Acknowledged);
        Assert.Empty(server.LinesAfterHangUp().Commands("RETR"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void Without_uidl_and_top_the_listing_is_by_number_and_headers_come_from_retr()
    {
        using var server = ScriptedPop3Server.FromScenario("no-uidl-no-top");
        using var connection = ScenarioConnection.Open(server);

        var info = connection.GetMailboxInfo();
        var listing = connection.GetListing(CancellationToken.None);
        var summaries = connection.ReadSummaries(listing.Entries, CancellationToken.None);
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.False(info.SupportsUidl);
        Assert.False(info.SupportsTop);
        Assert.False(listing.HasUids);
        Assert.Equal([(1, 346L), (2, 290L)], listing.Entries.Select(e => (e.Number, e.Size)));
        Assert.All(listing.Entries, e => Assert.Null(e.Uid));
        Assert.Equal(["First message", "Second message"], summaries.Select(s => s.Subject));
        Assert.True(quit.Acknowledged);
        var lines = server.LinesAfterHangUp();
        Assert.Empty(lines.Commands("TOP"));
        Assert.Equal(["UIDL 1"], lines.Commands("UIDL"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void With_bodies_a_message_of_no_bytes_is_listed_with_an_empty_body_not_an_error()
    {
        using var server = ScriptedPop3Server.FromScenario("retr-empty-message");
        using var connection = ScenarioConnection.Open(server);

        var contents = connection.ReadContents(connection.GetListing(CancellationToken.None).Entries, CancellationToken.None);
        var quit = connection.Close(discard: false, CancellationToken.None);

        var content = contents.Single();
        Assert.Equal(string.Empty, content.Body);
        Assert.Empty(content.Attachments);
        Assert.True(quit.Acknowledged);
        Assert.Empty(server.Failures);
    }
}
