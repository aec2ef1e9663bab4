using static PopShell.Engine.Tests.Scenarios.ScenarioExport;

namespace PopShell.Engine.Tests.Scenarios;

/// <summary>
/// UIDL as real servers get it wrong: UIDs repeated, missing, or full of characters that mean
/// something to a file system. No message is saved under another's UID, none is deleted on the
/// strength of an ambiguous UID, and no UID steers a file out of the target folder. (A UIDL shorter
/// than LIST is refused with the listing: see <see cref="ListingScenarioTests"/>.)
/// </summary>
public class UidScenarioTests
{
    // The server's first scenario is exported and kept (the journal records it); its second is the
    // next session, exported with -NewOnly -Delete, whose outcomes are returned.
    static List<ExportOutcome> SaveKeepingThenNewOnlyDelete(ScriptedPop3Server server, TempDirectory folder)
    {
        using (var first = ScenarioConnection.Open(server))
        {
            ExportAll(first, folder.Path, delete: false);
            first.Close(discard: false, CancellationToken.None);
        }
        using var second = ScenarioConnection.Open(server);
        var outcomes = ExportAll(second, new ExportOptions { Path = folder.Path, Delete = true, NewOnly = true });
        second.Close(discard: false, CancellationToken.None);
        return outcomes;
    }

    [Fact]
    public void Two_messages_with_one_uid_are_each_saved_as_their_own_bytes_and_deleted_by_their_own_number()
    {
        using var run = ScenarioRun.Open("uidl-duplicates");

        var outcomes = run.ExportAll();
        var quit = run.Quit();

        Assert.Equal(["uid-twice", "uid-second", "uid-twice"], outcomes.Select(o => o.Entry.Uid));
        AssertSavedAsSent(outcomes, "first.eml", "second.eml", "third.eml");
        Assert.Equal(3, outcomes.Select(o => o.Path).Distinct().Count());
        Assert.True(quit.Acknowledged);
        Assert.Equal(["DELE 1", "DELE 2", "DELE 3"], run.Server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(run.Server.Failures);
    }

    [Fact]
    public void NewOnly_does_not_skip_or_delete_a_message_whose_uid_and_size_another_message_shares()
    {
        using var server = new ScriptedPop3Server([Scenario.Load("uidl-one-message"), Scenario.Load("uidl-duplicates-same-size")]);
        using var folder = new TempDirectory();
        var outcomes = SaveKeepingThenNewOnlyDelete(server, folder);

        // The second message has never been saved: if the journal's "uid-twice, 346 bytes" were taken
        // for it, it would be skipped and deleted, and lost. Both deleted messages must be in the folder.
        Assert.All(outcomes, o => Assert.Null(o.Error));
        var saved = MessageFileBytes(folder);
        Assert.Contains(saved, s => s.SequenceEqual(ScenarioResources.MessageOnWire("first.eml")));
        Assert.Contains(saved, s => s.SequenceEqual(ScenarioResources.MessageOnWire("first-same-size.eml")));
        Assert.Equal(["DELE 1", "DELE 2"], server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void NewOnly_Delete_saves_a_reused_uid_as_new_instead_of_deleting_it_on_the_journals_word()
    {
        using var server = new ScriptedPop3Server([Scenario.Load("uidl-one-message"), Scenario.Load("uidl-reused-same-size")]);
        using var folder = new TempDirectory();
        var outcome = SaveKeepingThenNewOnlyDelete(server, folder).Single();

        // Same UID, same size, other bytes: the message the server deletes must be the one now saved.
        Assert.Null(outcome.Error);
        Assert.False(outcome.Skipped);
        Assert.True(outcome.Deleted);
        AssertSavedAsSent([outcome], "first-same-size.eml");
        var saved = MessageFileBytes(folder);
        Assert.Equal(2, saved.Count);
        Assert.Contains(saved, s => s.SequenceEqual(ScenarioResources.MessageOnWire("first.eml")));
        Assert.Equal(["DELE 1"], server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void NewOnly_Delete_deletes_a_message_saved_before_once_its_bytes_match_the_journal_without_writing_it_again()
    {
        using var server = new ScriptedPop3Server([Scenario.Load("uidl-one-message"), Scenario.Load("uidl-one-message-delete")]);
        using var folder = new TempDirectory();
        var outcome = SaveKeepingThenNewOnlyDelete(server, folder).Single();

        Assert.Null(outcome.Error);
        Assert.True(outcome.Skipped);
        Assert.True(outcome.Deleted);
        Assert.Single(MessageFiles(folder));
        AssertSavedAsSent([outcome], "first.eml");
        Assert.Equal(["DELE 1"], server.LinesAfterHangUp().Commands("DELE"));
        Assert.Empty(server.Failures);
    }

    [Fact]
    public void Uids_with_path_characters_name_files_inside_the_target_and_round_trip_through_the_journal()
    {
        using var server = new ScriptedPop3Server([Scenario.Load("uidl-odd-characters"), Scenario.Load("uidl-odd-characters-again")]);
        using var folder = new TempDirectory();
        string[] uids = ["../../escape", @"..\..\escape", "C:evil*?<>|\"", "été/∕slash", new string('x', 70)];
        var options = new ExportOptions { Path = folder.Path, FileNameTemplate = "{Uid}", NewOnly = true };

        List<ExportOutcome> outcomes;
        using (var first = ScenarioConnection.Open(server))
        {
            outcomes = ExportAll(first, options);
            first.Close(discard: false, CancellationToken.None);
        }
        using var second = ScenarioConnection.Open(server);
        var again = ExportAll(second, options);
        second.Close(discard: false, CancellationToken.None);

        Assert.Equal(uids, outcomes.Select(o => o.Entry.Uid));
        string root = Path.GetFullPath(folder.Path) + Path.DirectorySeparatorChar;
        Assert.All(outcomes, o => Assert.StartsWith(root, Path.GetFullPath(o.Path!)));
        Assert.Equal(5, MessageFiles(folder).Length);
        Assert.All(MessageFiles(folder), f => Assert.DoesNotContain(Path.DirectorySeparatorChar, f));
        AssertSavedAsSent(outcomes, "first.eml", "second.eml", "third.eml", "first.eml", "second.eml");
        Assert.Equal(uids, JournalUids(folder));
        // The second run finds every UID in the journal, exactly as the server spells it: nothing is retrieved again.
        Assert.All(again, o => Assert.True(o.Skipped));
        Assert.Equal(5, server.LinesAfterHangUp().Commands("RETR").Count);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(Path.GetFullPath(folder.Path))!, "escape*"));
        Assert.Empty(server.Failures);
    }
}
