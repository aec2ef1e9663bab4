namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// The safety rules of every RETR on the two paths besides the export (see <see cref="ExportScenarioTests"/>):
/// Save-Pop3Attachment and Get-Pop3Message -IncludeBody. A message cut short, longer than listed, over
/// its receive budget or followed by a smuggled reply is an error naming its UID; nothing is parsed
/// from its bytes or from anything read after them, and the session ends without QUIT.
/// </summary>
public class RetrievalScenarioTests
{
    /// <summary>Scenario, the UID the error names, and its kinds (a connection closed mid-message may read as either).</summary>
    public static TheoryData<string, string, PopShellErrorKind[]> Faults => new()
    {
        { "attachment-ends-early", "uid-report", [PopShellErrorKind.IncompleteMessage] },
        { "attachment-longer-than-listed", "uid-report", [PopShellErrorKind.IncompleteMessage] },
        { "attachment-smuggled-reply", "uid-mallory", [PopShellErrorKind.IncompleteMessage] },
        { "attachment-over-budget", "uid-report", [PopShellErrorKind.ReplyTooLarge] },
        { "attachment-cut-off", "uid-report", [PopShellErrorKind.ConnectionLost, PopShellErrorKind.ProtocolViolation] },
    };

    [Fact]
    public void Whole_messages_give_their_attachments_and_bodies()
    {
        using var run = ScenarioRun.Open("attachment-two");

        var outcomes = new AttachmentExtractor(run.Connection, run.Folder.Path, null)
            .Extract(run.Entries(), CancellationToken.None).ToList();
        var quit = run.Quit();

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(["uid-report", "uid-report-again"], outcomes.Select(o => o.Entry.Uid));
        Assert.Equal(["report (2).txt", "report.txt"], run.Folder.Files());
        Assert.All(outcomes, o => Assert.Equal("Quarterly figures: all green.\n", File.ReadAllText(o.Path!)));
        Assert.True(quit.Acknowledged);
        Assert.Empty(run.Server.Failures);
    }

    [Theory]
    [InlineData("attachment-two", 2, "The report is attached.", "report.txt", 30L)]
    // A message of no bytes is listed with an empty body, not as an error.
    [InlineData("retr-empty-message", 1, "", null, 0L)]
    public void Whole_messages_give_their_bodies_and_attachment_lists(string scenario, int count, string body, string? attachment, long attachmentSize)
    {
        using var run = ScenarioRun.Open(scenario);

        var contents = run.Connection.ReadContents(run.Entries(), CancellationToken.None);
        var quit = run.Quit();

        Assert.Equal(count, contents.Count);
        Assert.All(contents, c => Assert.Equal(body, c.Body));
        (string, long)[] attachments = attachment == null ? [] : [(attachment, attachmentSize)];
        Assert.All(contents, c => Assert.Equal(attachments, c.Attachments.Select(a => (a.FileName, a.Size))));
        Assert.True(quit.Acknowledged);
        Assert.Empty(run.Server.Failures);
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void Attachments_of_a_damaged_message_or_one_after_it_are_never_saved(string scenario, string uid, PopShellErrorKind[] kinds)
    {
        using var run = ScenarioRun.Open(scenario);
        var entries = run.Entries();

        var outcomes = new List<AttachmentOutcome>();
        var stopped = Assert.Throws<PopShellException>(() =>
        {
            foreach (var outcome in new AttachmentExtractor(run.Connection, run.Folder.Path, null).Extract(entries, CancellationToken.None))
                outcomes.Add(outcome);
        });
        var quit = run.Quit();

        // The damaged message is named either by its own outcome or, when the retrieval itself failed, by the error.
        var named = outcomes.FirstOrDefault()?.Error ?? stopped;
        Assert.Contains(named.Kind, kinds);
        Assert.Equal(uid, named.Uid);
        Assert.Contains(uid, named.Message);
        Assert.All(outcomes, o => Assert.NotNull(o.Error));
        Assert.Equal(outcomes.Count == 0 ? 0 : entries.Count, outcomes.Count);
        Assert.Empty(run.Folder.Files());
        Assert.False(run.Connection.IsConnected);
        Assert.NotNull(quit.NotSentBecause);
        run.Server.AssertNothingDeleted();
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void Bodies_of_a_damaged_message_or_one_after_it_are_never_read(string scenario, string uid, PopShellErrorKind[] kinds)
    {
        using var run = ScenarioRun.Open(scenario);
        var entries = run.Entries();

        var error = Assert.Throws<PopShellException>(() => run.Connection.ReadContents(entries, CancellationToken.None));
        var quit = run.Quit();

        Assert.Contains(error.Kind, kinds);
        Assert.False(run.Connection.IsConnected);
        AssertEndedNaming(uid, error, quit, run.Server);
    }

    [Fact]
    public void A_session_abandoned_for_a_size_says_why_when_it_is_used_again()
    {
        using var run = ScenarioRun.Open("attachment-ends-early");
        var entries = run.Entries();
        Assert.Throws<PopShellException>(() => run.Connection.ReadContents(entries, CancellationToken.None));

        var again = Assert.Throws<PopShellException>(() => run.Connection.Retrieve(entries, CancellationToken.None));

        Assert.Equal(PopShellErrorKind.SessionClosed, again.Kind);
        Assert.Contains("uid-report did not match its LIST size", again.Message);
        run.Server.AssertNothingDeleted();
    }

    [Fact]
    public void Ctrl_c_wakes_a_read_blocked_on_a_stalled_server_and_deletes_nothing()
    {
        using var server = ScriptedPop3Server.FromScenario("retr-stall");
        var options = ScenarioConnection.Options(server);
        // Far longer than the test: only the cancellation can end the read in time to report Cancelled.
        options.Timeout = TimeSpan.FromMinutes(2);
        using var connection = Pop3Connection.Open(options, CancellationToken.None);
        var entries = connection.GetListing(CancellationToken.None).Entries;
        using var stop = new CancellationTokenSource();

        // Ctrl+C comes once the second message has begun to arrive, while the read waits on the stalled server.
        var error = Assert.Throws<PopShellException>(() => connection.Retrieve(entries, RetrievalPurpose.Export, entry =>
        {
            if (entry.Number == 2)
                stop.CancelAfter(TimeSpan.FromMilliseconds(100));
            return new MemoryStream();
        }, stop.Token));
        var quit = connection.Close(discard: false, CancellationToken.None);

        Assert.Equal(PopShellErrorKind.Cancelled, error.Kind);
        Assert.False(quit.Acknowledged);
        server.AssertNothingDeleted();
    }

    [Fact]
    public void A_spool_that_cannot_be_written_is_a_write_failure_naming_the_message_and_ends_the_session()
    {
        using var run = ScenarioRun.Open("attachment-two");
        var entries = run.Entries();

        // The disk fills up while the second message arrives: the server is still sending it.
        var error = Assert.Throws<PopShellException>(() => run.Connection.Retrieve(entries, RetrievalPurpose.Export,
            entry => entry.Number == 2 ? new FullDisk() : new MemoryStream(), CancellationToken.None));
        var quit = run.Quit();

        Assert.Equal(PopShellErrorKind.WriteFailed, error.Kind);
        Assert.Contains("No space left", error.Message);
        AssertEndedNaming("uid-report-again", error, quit, run.Server);
    }

    // The error names the message, and the session ended without QUIT: the server saw neither DELE nor QUIT.
    static void AssertEndedNaming(string uid, PopShellException error, QuitOutcome quit, ScriptedPop3Server server)
    {
        Assert.Equal(uid, error.Uid);
        Assert.Contains(uid, error.Message);
        Assert.NotNull(quit.NotSentBecause);
        server.AssertNothingDeleted();
    }

    sealed class FullDisk : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }
}
