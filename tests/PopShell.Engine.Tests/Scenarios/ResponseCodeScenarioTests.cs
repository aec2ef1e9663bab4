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
        using var server = ScriptedPop3Server.FromScenario(scenario);
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcomes = ExportAll(connection, folder.Path);
        var quit = connection.Close(discard: false, CancellationToken.None);

        var failed = outcomes[1].Error;
        Assert.Equal(kind, failed?.Kind);
        Assert.Equal("uid-second", failed!.Uid);
        Assert.Contains("uid-second", failed.Message);
        Assert.Contains(code, failed.ServerReply);
        Assert.Null(outcomes[1].Path);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Deleted));
        Assert.Equal(["uid-first", "uid-third"], JournalUids(folder));
        Assert.Equal(2, MessageFiles(folder).Length);
        Assert.True(quit.Acknowledged);
        Assert.Equal(2, quit.Deleted);
        Assert.Equal(["DELE 1", "DELE 3"], server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(server.Failures);
    }

    [Theory]
    [InlineData("dele-sys-temp", PopShellErrorKind.ServerTemporaryFailure, "[SYS/TEMP]")]
    [InlineData("dele-sys-perm", PopShellErrorKind.ServerPermanentFailure, "[SYS/PERM]")]
    public void A_response_code_on_one_dele_keeps_that_message_saved_and_on_the_server(string scenario, PopShellErrorKind kind, string code)
    {
        using var server = ScriptedPop3Server.FromScenario(scenario);
        using var folder = new TempDirectory();
        using var connection = ScenarioConnection.Open(server);

        var outcomes = ExportAll(connection, folder.Path);
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var refused = outcomes[1].DeleteError;
        Assert.Equal(kind, refused?.Kind);
        Assert.Equal("uid-second", refused!.Uid);
        Assert.Contains("uid-second", refused.Message);
        Assert.Contains(code, refused.ServerReply);
        Assert.Equal([true, false, true], outcomes.Select(o => o.Deleted));
        Assert.Equal(ScenarioResources.MessageOnWire("second.eml"), File.ReadAllBytes(outcomes[1].Path!));
        Assert.Equal(["uid-first", "uid-second", "uid-third"], JournalUids(folder));
        Assert.True(quit.Acknowledged);
        Assert.Equal(2, quit.Deleted);
        Assert.Empty(server.Failures);
    }
}
