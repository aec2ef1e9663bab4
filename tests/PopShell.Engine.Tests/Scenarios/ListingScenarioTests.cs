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
        using var run = ScenarioRun.Open(scenario);

        var error = Assert.Throws<PopShellException>(() => run.Connection.GetListing(CancellationToken.None));
        var quit = run.Quit();

        Assert.Contains(error.Kind, new[] { PopShellErrorKind.ConnectionLost, PopShellErrorKind.ProtocolViolation, PopShellErrorKind.ReplyTooLarge, PopShellErrorKind.InvalidListing });
        Assert.False(run.Connection.IsConnected);
        Assert.False(quit.Acknowledged);
        Assert.NotNull(quit.NotSentBecause);
        Assert.Empty(run.Server.LinesAfterHangUp().Commands("RETR"));
        run.Server.AssertNothingDeleted();
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void An_endless_listing_is_cut_off_long_before_it_fills_memory()
    {
        using var run = ScenarioRun.Open("list-endless");

        var error = Assert.Throws<PopShellException>(() => run.Connection.GetListing(CancellationToken.None));
        var quit = run.Quit();

        Assert.Equal(PopShellErrorKind.ReplyTooLarge, error.Kind);
        Assert.Contains("more data than it announced", error.Message);
        Assert.NotNull(quit.NotSentBecause);
        Assert.Empty(run.Server.LinesAfterHangUp().Commands("QUIT"));
    }

    [Fact]
    public void Headers_come_from_pipelined_top()
    {
        using var run = ScenarioRun.Open("headers-by-top");

        var listing = run.Connection.GetListing(CancellationToken.None);
        var summaries = run.Connection.ReadSummaries(listing.Entries, CancellationToken.None);
        var quit = run.Quit();

        Assert.Equal(["uid-first", "uid-second", "uid-third"], listing.Entries.Select(e => e.Uid));
        Assert.Equal(["First message", "Second message", "Third message"], summaries.Select(s => s.Subject));
        Assert.Equal("carol@example.org", summaries[1].From.Single().Address);
        Assert.Equal(new DateTimeOffset(2025, 9, 3, 9, 15, 0, TimeSpan.FromHours(-7)), summaries[2].Date);
        Assert.True(quit.Acknowledged);
        Assert.Empty(run.Server.LinesAfterHangUp().Commands("RETR"));
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void A_scan_of_many_batches_hands_them_out_whole_and_in_order()
    {
        // One message a batch: three batches, two of them parsing while the next one is read.
        using var run = ScenarioRun.Open("headers-by-top");
        var scan = new MessageScan(run.Connection, new MessageQuery()) { BatchSize = 1 };

        var batches = scan.Run(CancellationToken.None).ToList();
        var quit = run.Quit();

        Assert.Equal([1, 2, 3], batches.Select(b => b.Scanned));
        Assert.Equal(["First message", "Second message", "Third message"], batches.SelectMany(b => b.Matches).Select(s => s.Subject));
        Assert.True(quit.Acknowledged);
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void Without_uidl_and_top_the_listing_is_by_number_and_headers_come_from_retr()
    {
        using var run = ScenarioRun.Open("no-uidl-no-top");

        var info = run.Connection.GetMailboxInfo();
        var listing = run.Connection.GetListing(CancellationToken.None);
        var summaries = run.Connection.ReadSummaries(listing.Entries, CancellationToken.None);
        var quit = run.Quit();

        Assert.False(info.SupportsUidl);
        Assert.False(info.SupportsTop);
        Assert.False(listing.HasUids);
        Assert.Equal([(1, 346L), (2, 290L)], listing.Entries.Select(e => (e.Number, e.Size)));
        Assert.All(listing.Entries, e => Assert.Null(e.Uid));
        Assert.Equal(["First message", "Second message"], summaries.Select(s => s.Subject));
        Assert.True(quit.Acknowledged);
        var lines = run.Server.LinesAfterHangUp();
        Assert.Empty(lines.Commands("TOP"));
        Assert.Equal(["UIDL 1"], lines.Commands("UIDL"));
        Assert.Empty(run.Server.Failures);
    }
}
