using System.Text;
using PopShell.Engine.Export;
using Xunit;

namespace PopShell.Engine.Tests.Export;

public class ExportJournalTests
{
    [Fact]
    public void Remembers_saved_uids_across_openings()
    {
        using var dir = new TempDirectory();
        using (var journal = ExportJournal.Open(dir.Path, "alice@mail:995"))
        {
            journal.Record("uid 1\twith tab", 120, "AB12", "/x/a.eml");
            journal.Record("u2", 7, "CD34", "/x/b.eml");
        }

        using var reopened = ExportJournal.Open(dir.Path, "alice@mail:995");
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("uid 1\twith tab", out var saved));
        Assert.Equal(new SavedMessage("uid 1\twith tab", 120, "AB12", "/x/a.eml"), saved);
        Assert.False(reopened.TryGet("u3", out _));
    }

    [Fact]
    public void Keeps_each_mailbox_apart()
    {
        using var dir = new TempDirectory();
        using (var a = ExportJournal.Open(dir.Path, "alice@mail:995"))
            a.Record("u1", 5, "AB", "/x/a.eml");

        using var b = ExportJournal.Open(dir.Path, "bob@mail:995");
        Assert.False(b.TryGet("u1", out _));
    }

    [Fact]
    public void Ignores_a_line_cut_off_by_a_crash_and_keeps_appending_cleanly()
    {
        using var dir = new TempDirectory();
        string path;
        using (var journal = ExportJournal.Open(dir.Path, "m"))
        {
            journal.Record("u1", 5, "AB", "/x/a.eml");
            path = journal.Path;
        }
        File.AppendAllText(path, "v1\tu2\t7\tCD\t/x/b.e", new UTF8Encoding(false)); // the crash happened here

        using (var journal = ExportJournal.Open(dir.Path, "m"))
        {
            Assert.False(journal.TryGet("u2", out _));
            Assert.True(journal.TryGet("u1", out _));
            journal.Record("u3", 9, "EF", "/x/c.eml");
        }

        using var reopened = ExportJournal.Open(dir.Path, "m");
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("u3", out _));
    }

    [Fact]
    public void Names_the_journal_without_revealing_the_mailbox()
    {
        string name = ExportJournal.FileNameFor("alice@mail.example.org:995");

        Assert.DoesNotContain("alice", name);
        Assert.StartsWith(".popshell-saved-", name);
    }
}
