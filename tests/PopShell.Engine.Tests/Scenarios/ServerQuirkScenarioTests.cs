using static PopShell.Engine.Tests.Scenarios.ScenarioExport;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// What real servers other than Dovecot do that the private ones in the Pester suite cannot be made
/// to show on demand: sizes that change once UIDL is issued (GNU Mailutils), a placeholder served
/// in place of a UTF-8 message (Courier without UTF8), EXPIRENEVER without its space (Mailutils).
/// </summary>
public class ServerQuirkScenarioTests
{
    [Fact]
    public void Uidl_goes_before_list_so_a_server_that_counts_its_added_header_only_after_uidl_lists_true_sizes()
    {
        using var run = ScenarioRun.Open("uidl-before-list-sizes");

        var outcomes = run.ExportAll();
        var quit = run.Quit();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        AssertSavedAsSent(outcomes, "x-uidl-first.eml", "x-uidl-second.eml");
        Assert.True(quit.Acknowledged);
        Assert.Equal(2, quit.Deleted);
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void Every_message_off_the_same_way_is_reported_as_a_server_quirk_and_nothing_is_saved_or_deleted()
    {
        using var run = ScenarioRun.Open("retr-every-size-off");

        var outcomes = run.ExportUntilStopped(out var stopped);
        var quit = run.Quit();

        var first = outcomes[0].Error!;
        Assert.Equal(PopShellErrorKind.IncompleteMessage, first.Kind);
        Assert.Equal("uid-first", first.Uid);
        Assert.Contains("server quirk", first.Message);
        Assert.Contains("+55 bytes each", first.Message);
        Assert.Contains("GNU Mailutils", first.Hint);
        Assert.Contains("every message retrieved", stopped!.Message);
        Assert.Equal(first.Hint, stopped.Hint);
        Assert.All(outcomes, o => Assert.NotNull(o.Error));
        AssertNothingSavedOrDeleted(run, quit);
    }

    [Fact]
    public void One_message_off_among_healthy_ones_is_reported_as_that_message_damaged()
    {
        using var run = ScenarioRun.Open("retr-longer-than-listed");

        var outcomes = run.ExportUntilStopped(out _);
        run.Quit();

        var error = outcomes[2].Error!;
        Assert.Contains("2 other message(s) retrieved with it matched", error.Message);
        Assert.DoesNotContain("server quirk", error.Message);
        Assert.Contains("Where-Object Uid -ne 'uid-third'", error.Hint);
    }

    [Fact]
    public void Utf8_is_enabled_before_login_when_offered_and_raw_utf8_headers_are_saved_and_listed_as_sent()
    {
        using var run = ScenarioRun.Open("utf8-enabled");

        var summary = run.Connection.ReadSummaries(run.Entries(), CancellationToken.None).Single();
        var outcome = run.ExportAll().Single();
        var quit = run.Quit();

        Assert.True(run.Connection.Utf8Enabled);
        Assert.Equal("Grüße aus Köln – 日本語の件名", summary.Subject);
        Assert.Null(outcome.Error);
        AssertSavedAsSent([outcome], "utf8-headers.eml");
        Assert.True(quit.Acknowledged);
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void A_placeholder_served_instead_of_a_utf8_message_is_never_saved_as_it()
    {
        using var run = ScenarioRun.Open("utf8-refused-placeholder");

        var outcomes = run.ExportUntilStopped(out var stopped);
        var quit = run.Quit();

        Assert.False(run.Connection.Utf8Enabled);
        Assert.Equal(PopShellErrorKind.IncompleteMessage, outcomes.Single().Error?.Kind);
        Assert.Contains("arrived with 536 bytes, but the server listed 325", outcomes.Single().Error!.Message);
        Assert.NotNull(stopped);
        AssertNothingSavedOrDeleted(run, quit);
    }

    [Fact]
    public void Expirenever_without_its_space_is_not_expire_zero_and_the_export_commits_as_usual()
    {
        using var run = ScenarioRun.Open("capa-expirenever");

        var outcome = run.ExportAll().Single();
        var quit = run.Quit();

        Assert.Null(run.Connection.ExpireDays);
        Assert.Null(outcome.Error);
        Assert.True(outcome.Deleted);
        Assert.True(quit.Acknowledged);
        Assert.Equal(1, quit.Deleted);
        Assert.Empty(run.Server.Failures);
    }
}
