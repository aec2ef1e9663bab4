using System.Collections.Concurrent;
using PopShell.Engine.Accounts;
using PopShell.Engine.Tests.Scenarios;

namespace PopShell.Engine.Tests.Accounts;

/// <summary>
/// Many accounts in one run against scripted servers: each account's outcome is its own, a failed
/// account commits nothing, and the token provider is asked at every connection.
/// </summary>
public class AccountExportRunTests
{
    // Three messages saved and kept: no DELE, then QUIT.
    const string KeepThree = "INCLUDE: mailbox-of-three\nC: RETR 1\nS: +OK 346 octets\nS-FILE: first.eml\nC: RETR 2\nS: +OK 290 octets\nS-FILE: second.eml\nC: RETR 3\nS: +OK 264 octets\nS-FILE: third.eml\nC: QUIT\nS: +OK Bye\n";

    [Fact]
    public void A_failing_account_neither_stops_nor_changes_the_others()
    {
        using var good = ScriptedPop3Server.FromText(KeepThree);
        using var dropping = ScriptedPop3Server.FromScenario("retr-cut-off");
        using var goodFolder = new TempDirectory();
        using var droppedFolder = new TempDirectory();

        var results = Run(new AccountExportSettings(), Account(good, goodFolder.Path), Account(dropping, droppedFolder.Path));

        var saved = results.Single(r => r.Account.Path == goodFolder.Path);
        Assert.True(saved.Completed);
        Assert.Equal((3, 0, 0, 3), (saved.Saved, saved.Skipped, saved.Deleted, saved.Kept));
        var failed = results.Single(r => r.Account.Path == droppedFolder.Path);
        Assert.False(failed.Completed);
        Assert.Contains(failed.Error!.Kind, new[] { PopShellErrorKind.ConnectionLost, PopShellErrorKind.ProtocolViolation });
        Assert.Empty(good.LinesAfterHangUp().Commands("DELE"));
        Assert.Single(good.LinesAfterHangUp().Commands("QUIT"));
        dropping.AssertNothingDeleted();
    }

    [Fact]
    public void An_account_with_one_message_it_cannot_save_ends_without_QUIT_so_nothing_is_deleted()
    {
        using var server = ScriptedPop3Server.FromScenario("retr-one-expunged");
        using var folder = new TempDirectory();

        var result = Run(new AccountExportSettings { Deletion = DeletionPolicy.AfterSave() }, Account(server, folder.Path)).Single();

        Assert.False(result.Completed);
        Assert.Equal((2, 1, 0), (result.Saved, result.Failed, result.Deleted));
        Assert.Equal(2, Directory.GetFiles(folder.Path, "*.eml").Length);
        Assert.Empty(server.LinesAfterHangUp().Commands("QUIT"));
    }

    [Fact]
    public void Asks_the_token_provider_at_every_connection_and_a_failing_provider_fails_its_account_only()
    {
        using var server = new ScriptedPop3Server(Scenario.Parse("INCLUDE: token-xoauth2\nC: QUIT\nS: +OK Bye\n"));
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        int asked = 0;
        var good = TokenAccount(server, a.Path, _ => "token-" + Interlocked.Increment(ref asked));
        var broken = TokenAccount(server, b.Path, _ => throw new InvalidOperationException("the client secret expired"));

        var results = Run(new AccountExportSettings(), good, broken);
        var again = Run(new AccountExportSettings(), good);

        Assert.Equal(2, asked);
        Assert.True(results.Single(r => r.Account == good).Completed);
        Assert.True(again.Single().Completed);
        var failure = results.Single(r => r.Account == broken).Error!;
        Assert.Equal(PopShellErrorKind.AuthenticationFailed, failure.Kind);
        Assert.Contains("client secret expired", failure.Message);
        Assert.Contains(broken.Name, failure.Message);
    }

    [Fact]
    public void A_destination_held_by_another_run_is_refused_at_once_and_released_when_that_run_ends()
    {
        using var folder = new TempDirectory();
        using (DestinationLock.Acquire(folder.Path))
        {
            var refused = Assert.Throws<PopShellException>(() => DestinationLock.Acquire(folder.Path));
            Assert.Equal(PopShellErrorKind.DestinationInUse, refused.Kind);
            Assert.Contains(folder.Path, refused.Message);
        }
        using var later = DestinationLock.Acquire(folder.Path);
        Assert.Equal(new[] { DestinationLock.FileName }, folder.Files());
    }

    [Fact]
    public void Days_after_save_deletes_only_what_the_journal_dates_before_the_cutoff()
    {
        var options = new ExportOptions();
        var now = new DateTimeOffset(2026, 6, 30, 0, 0, 0, TimeSpan.Zero);

        DeletionPolicy.DaysAfterSave(30).ApplyTo(options, now);
        Assert.False(options.Delete);
        Assert.Equal(now.AddDays(-30), options.DeleteSavedBefore);

        DeletionPolicy.AfterSave().ApplyTo(options, now);
        Assert.True(options.Delete);
        Assert.Null(options.DeleteSavedBefore);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeletionPolicy.DaysAfterSave(-1));
    }

    static MailboxAccount Account(ScriptedPop3Server server, string path) => new(ScenarioConnection.Options(server), path);

    static MailboxAccount TokenAccount(ScriptedPop3Server server, string path, Func<CancellationToken, string> provider)
    {
        var options = ScenarioConnection.Options(server);
        options.Credential = null;
        options.UserName = ScenarioConnection.UserName;
        return new MailboxAccount(options, path) { AccessTokenProvider = provider };
    }

    static List<AccountExportResult> Run(AccountExportSettings settings, params MailboxAccount[] accounts)
    {
        var observer = new CollectingObserver();
        using (var run = new AccountExportRun(settings, throttle: 2, observer, CancellationToken.None))
        {
            foreach (var account in accounts)
                run.Add(account);
            observer.WaitFor(accounts.Length);
        }
        return observer.Results.ToList();
    }

    sealed class CollectingObserver : IAccountExportObserver
    {
        readonly BlockingCollection<AccountExportResult> finished = new();

        public List<AccountExportResult> Results { get; } = new();

        public void WaitFor(int count)
        {
            while (Results.Count < count)
                Results.Add(finished.Take(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token));
        }

        public void Started(MailboxAccount account, int messages, long bytes) { }
        public void Advanced(MailboxAccount account, long bytesDone) { }
        public void Warning(MailboxAccount account, string text) { }
        public void Verbose(MailboxAccount account, string text) { }
        public void Finished(AccountExportResult result) => finished.Add(result);
    }
}
