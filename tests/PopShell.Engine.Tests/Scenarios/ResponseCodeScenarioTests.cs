using static PopShell.Engine.Tests.Scenarios.ScenarioExport;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// RFC 3206 response codes in the middle of a session: [SYS/TEMP] and [SYS/PERM] on RETR and on
/// DELE fail that one message, with the kind the code names and the message's UID, and the others go on.
/// </summary>
public class ResponseCodeScenarioTests
{
    [Theory]
    [InlineData("retr-sys-temp", PopShellErrorKind.ServerTemporaryFailure, "[SYS/TEMP]")]
    [InlineData("retr-sys-perm", PopShellErrorKind.ServerPermanentFailure, "[SYS/PERM]")]
    public void A_response_code_on_one_retr_fails_that_message_by_uid_and_the_others_are_saved_and_deleted(string scenario, PopShellErrorKind kind, string code)
    {
        using var run = ScenarioRun.Open(scenario);

        var outcomes = run.ExportAll();
        var quit = run.Quit();

        var failed = outcomes[1].Error;
        Assert.Equal(kind, failed?.Kind);
        Assert.Equal("uid-second", failed!.Uid);
        Assert.Contains("uid-second", failed.Message);
        Assert.Contains(code, failed.ServerReply);
        Assert.Null(outcomes[1].Path);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Deleted));
        Assert.Equal(["uid-first", "uid-third"], JournalUids(run.Folder));
        Assert.Equal(2, MessageFiles(run.Folder).Length);
        Assert.True(quit.Acknowledged);
        Assert.Equal(2, quit.Deleted);
        Assert.Equal(["DELE 1", "DELE 3"], run.Server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(run.Server.Failures);
    }

    [Theory]
    [InlineData("dele-sys-temp", PopShellErrorKind.ServerTemporaryFailure, "[SYS/TEMP]")]
    [InlineData("dele-sys-perm", PopShellErrorKind.ServerPermanentFailure, "[SYS/PERM]")]
    public void A_response_code_on_one_dele_keeps_that_message_saved_and_on_the_server(string scenario, PopShellErrorKind kind, string code)
    {
        using var run = ScenarioRun.Open(scenario);

        var outcomes = run.ExportAll();
        var quit = run.Quit();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var refused = outcomes[1].DeleteError;
        Assert.Equal(kind, refused?.Kind);
        Assert.Equal("uid-second", refused!.Uid);
        Assert.Contains("uid-second", refused.Message);
        Assert.Contains(code, refused.ServerReply);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Deleted));
        AssertSavedAsSent([outcomes[1]], "second.eml");
        Assert.Equal(["uid-first", "uid-second", "uid-third"], JournalUids(run.Folder));
        Assert.True(quit.Acknowledged);
        Assert.Equal(2, quit.Deleted);
        Assert.Empty(run.Server.Failures);
    }
}
