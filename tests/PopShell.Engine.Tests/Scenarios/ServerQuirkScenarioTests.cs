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
        using var server = ScriptedPop3Server.FromScenario("uidl-before-list-sizes");
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcomes = ExportAll(connection, folder.Path);
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(
            new[] { "x-uidl-first.eml", "x-uidl-second.eml" }.Select(ScenarioResources.MessageOnWire),
            outcomes.Select(o => File.ReadAllBytes(o.Path!)));
        Assert.True(quit.Acknowledged);
        Assert.Equal(2, quit.Deleted);
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void Every_message_off_the_same_way_is_reported_as_a_server_quirk_and_nothing_is_saved_or_deleted()
    {
        using var server = ScriptedPop3Server.FromScenario("retr-every-size-off");
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcomes = ExportUntilStopped(connection, folder.Path, out var stopped);
        connection.Close(discard: false, CancellationToken.None);

        var first = outcomes[0].Error!;
        Assert.Equal(PopShellErrorKind.IncompleteMessage, first.Kind);
        Assert.Equal("uid-first", first.Uid);
        Assert.Contains("server quirk", first.Message);
        Assert.Contains("+55 bytes each", first.Message);
        Assert.Contains("GNU Mailutils", first.Hint);
        Assert.Contains("every message retrieved", stopped!.Message);
        Assert.Equal(first.Hint, stopped.Hint);
        Assert.All(outcomes, o => Assert.NotNull(o.Error));
        Assert.Empty(MessageFiles(folder));
        server.AssertNothingDeleted();
        Assert.DoesNotContain("QUIT", server.LinesAfterHangUp());
    }

    [Fact]
    public void One_message_off_among_healthy_ones_is_reported_as_that_message_damaged()
    {
        using var server = ScriptedPop3Server.FromScenario("retr-longer-than-listed");
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcomes = ExportUntilStopped(connection, folder.Path, out _);
        connection.Close(discard: false, CancellationToken.None);

        var error = outcomes[2].Error!;
        Assert.Contains("2 other message(s) retrieved with it matched", error.Message);
        Assert.DoesNotContain("server quirk", error.Message);
        Assert.Contains("Where-Object Uid -ne 'uid-third'", error.Hint);
    }

    [Fact]
    public void Utf8_is_enabled_before_login_when_offered_and_raw_utf8_headers_are_saved_and_listed_as_sent()
    {
        using var server = ScriptedPop3Server.FromScenario("utf8-enabled");
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var summary = connection.ReadSummaries(connection.GetListing(CancellationToken.None).Entries, CancellationToken.None).Single();
        var outcome = ExportAll(connection, folder.Path).Single();
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.True(connection.Utf8Enabled);
        Assert.Equal("Grüße aus Köln – 日本語の件名", summary.Subject);
        Assert.Null(outcome.Error);
        Assert.Equal(ScenarioResources.MessageOnWire("utf8-headers.eml"), File.ReadAllBytes(outcome.Path!));
        Assert.True(quit.Acknowledged);
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void A_placeholder_served_instead_of_a_utf8_message_is_never_saved_as_it()
    {
        using var server = ScriptedPop3Server.FromScenario("utf8-refused-placeholder");
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcomes = ExportUntilStopped(connection, folder.Path, out var stopped);
        connection.Close(discard: false, CancellationToken.None);

        Assert.False(connection.Utf8Enabled);
        Assert.Equal(PopShellErrorKind.IncompleteMessage, outcomes.Single().Error?.Kind);
        Assert.Contains("arrived with 536 bytes, but the server listed 325", outcomes.Single().Error!.Message);
        Assert.NotNull(stopped);
        Assert.Empty(MessageFiles(folder));
        server.AssertNothingDeleted();
        Assert.DoesNotContain("QUIT", server.LinesAfterHangUp());
    }

    [Fact]
    public void Expirenever_without_its_space_is_not_expire_zero_and_the_export_commits_as_usual()
    {
        using var server = ScriptedPop3Server.FromScenario("capa-expirenever");
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcome = ExportAll(connection, folder.Path).Single();
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.Null(connection.ExpireDays);
        Assert.Null(outcome.Error);
        Assert.True(outcome.Deleted);
        Assert.True(quit.Acknowledged);
        Assert.Equal(1, quit.Deleted);
        Assert.Empty(server.Failures);
    }
}
