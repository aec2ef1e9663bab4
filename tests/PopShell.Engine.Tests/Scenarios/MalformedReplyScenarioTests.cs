using static PopShell.Engine.Tests.Scenarios.ScenarioExport;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// A status line that is neither +OK nor -ERR, or one that never ends, at each phase of a session
/// (for the listing, see <see cref="ListingScenarioTests"/>).
/// Either way the stream cannot be trusted any more: the session ends without QUIT, what was saved
/// stays saved and journaled, and nothing else is counted as saved or deleted.
/// </summary>
public class MalformedReplyScenarioTests
{
    [Theory]
    [InlineData("greeting-garbage", "did not answer like a POP3 server", PopShellErrorKind.ProtocolViolation)]
    [InlineData("greeting-overlong", "more data than it announced", PopShellErrorKind.ReplyTooLarge)]
    public void A_greeting_that_is_not_pop3_gets_no_command_at_all(string scenario, string said, PopShellErrorKind kind)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);

        var error = Assert.Throws<PopShellException>(() => ScenarioConnection.Open(server));

        Assert.Equal(kind, error.Kind);
        Assert.Contains(said, error.Message, StringComparison.OrdinalIgnoreCase);
        // Not even CAPA: above all, the password never goes to whatever answered.
        Assert.Empty(server.LinesAfterHangUp());
    }

    [Theory]
    [InlineData("login-garbage-reply", PopShellErrorKind.ProtocolViolation)]
    [InlineData("login-overlong-reply", PopShellErrorKind.ReplyTooLarge)]
    public void A_reply_to_pass_that_is_not_pop3_fails_the_login_and_touches_no_mailbox(string scenario, PopShellErrorKind kind)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);

        var error = Assert.Throws<PopShellException>(() => ScenarioConnection.Open(server));

        Assert.Equal(kind, error.Kind);
        Assert.DoesNotContain(ScenarioConnection.Password, error.ToString());
        var lines = server.LinesAfterHangUp();
        Assert.Empty(lines.Commands("STAT"));
        Assert.Empty(lines.Commands("QUIT"));
        Assert.Empty(server.Failures);
    }

    [Theory]
    [InlineData("retr-garbage-status", PopShellErrorKind.ProtocolViolation)]
    [InlineData("retr-overlong-status", PopShellErrorKind.ReplyTooLarge)]
    public void A_retr_reply_that_is_not_pop3_names_the_message_keeps_the_one_saved_before_and_sends_no_quit(string scenario, PopShellErrorKind kind)
    {
        using var run = ScenarioRun.Open(scenario);

        var outcomes = ExportUntilStopped(run.Connection, new ExportOptions { Path = run.Folder.Path, Delete = true, BatchCount = 1 }, out var stopped);
        var quit = run.Quit();

        Assert.Equal(kind, stopped?.Kind);
        Assert.Equal("uid-second", stopped!.Uid);
        Assert.Contains("uid-second", stopped.Message);
        AssertSavedAsSent([outcomes.Single()], "first.eml");
        Assert.Single(MessageFiles(run.Folder));
        Assert.Equal(["uid-first"], JournalUids(run.Folder));
        // Message 1 is saved and journaled but was never marked (its DELE would have followed RETR 2),
        // and there is no QUIT: the server keeps everything.
        Assert.False(outcomes.Single().Deleted);
        Assert.Equal(0, quit.Deleted);
        Assert.NotNull(quit.NotSentBecause);
        run.Server.AssertNothingDeleted();
        Assert.Empty(run.Server.Failures);
    }

    [Theory]
    [InlineData("dele-garbage-status", PopShellErrorKind.ProtocolViolation)]
    [InlineData("dele-overlong-status", PopShellErrorKind.ReplyTooLarge)]
    public void A_dele_reply_that_is_not_pop3_keeps_every_saved_file_and_sends_no_quit(string scenario, PopShellErrorKind kind)
    {
        using var run = ScenarioRun.Open(scenario);

        var error = Assert.Throws<PopShellException>(() => run.ExportAll());
        var quit = run.Quit();

        Assert.Equal(kind, error.Kind);
        Assert.Equal(
            new[] { "first.eml", "second.eml", "third.eml" }.Select(ScenarioResources.MessageOnWire).OrderBy(Convert.ToBase64String),
            MessageFileBytes(run.Folder).OrderBy(Convert.ToBase64String));
        Assert.Equal(["uid-first", "uid-second", "uid-third"], JournalUids(run.Folder));
        Assert.Equal(0, quit.Deleted);
        Assert.NotNull(quit.NotSentBecause);
        Assert.Empty(run.Server.LinesAfterHangUp().Commands("QUIT"));
        Assert.Empty(run.Server.Failures);
    }

    [Theory]
    [InlineData("quit-garbage-reply")]
    [InlineData("quit-overlong-reply")]
    public void A_quit_reply_that_is_not_a_whole_ok_line_reports_nothing_as_deleted(string scenario)
    {
        using var run = ScenarioRun.Open(scenario);

        var outcomes = run.ExportAll();
        var quit = run.Quit();

        Assert.All(outcomes, o => Assert.True(o.Deleted));
        Assert.Equal(3, MessageFiles(run.Folder).Length);
        Assert.Equal(3, quit.Marked);
        // Whether the server committed is unknown: the session must not claim the messages are gone.
        Assert.False(quit.Acknowledged);
        Assert.Equal(0, quit.Deleted);
        Assert.Single(run.Server.LinesAfterHangUp().Commands("QUIT"));
        Assert.Empty(run.Server.Failures);
    }
}
