namespace PopShell.Engine.Tests.Export;

public class ExportJournalTests
{
    [Fact]
    public void Remembers_saved_uids_across_openings()
    {
        using var dir = new TempDirectory();
        using (var journal = ExportJournal.Open(dir.Path, "alice@mail:995"))
        {
            journal.Record(new[] { new SavedMessage("uid 1\twith tab", 120, "AB12", "/x/a.eml") });
            journal.Record(new[] { new SavedMessage("u2", 7, "CD34", "/x/b.eml") });
        }

        using var reopened = ExportJournal.Open(dir.Path, "alice@mail:995");
        Assert.True(reopened.TryGet("u2", out _));
        Assert.True(reopened.TryGet("uid 1\twith tab", out var saved));
        Assert.Equal(("uid 1\twith tab", 120L, "AB12", "/x/a.eml"), (saved.Uid, saved.ListSize, saved.Sha256, saved.Path));
        Assert.False(reopened.TryGet("u3", out _));
    }

    [Fact]
    public void Keeps_each_mailbox_apart()
    {
        using var dir = new TempDirectory();
        using (var a = ExportJournal.Open(dir.Path, "alice@mail:995"))
            a.Record(new[] { new SavedMessage("u1", 5, "AB", "/x/a.eml") });

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
            journal.Record(new[] { new SavedMessage("u1", 5, "AB", "/x/a.eml") });
            path = journal.Path;
        }
        File.AppendAllText(path, "v1\tu2\t7\tCD\t/x/b.e", new UTF8Encoding(false)); // the crash happened here

        using (var journal = ExportJournal.Open(dir.Path, "m"))
        {
            Assert.False(journal.TryGet("u2", out _));
            Assert.True(journal.TryGet("u1", out _));
            journal.Record(new[] { new SavedMessage("u3", 9, "EF", "/x/c.eml") });
        }

        using var reopened = ExportJournal.Open(dir.Path, "m");
        Assert.True(reopened.TryGet("u1", out _));
        Assert.True(reopened.TryGet("u3", out _));
        Assert.False(reopened.TryGet("u2", out _));
    }

    [Fact]
    public void Names_the_journal_without_revealing_the_mailbox()
    {
        string name = ExportJournal.FileNameFor("alice@mail.example.org:995");

        Assert.DoesNotContain("alice", name);
        Assert.StartsWith(".popshell-saved-", name);
    }

    [Fact]
    public void Records_when_each_message_was_saved_and_reads_it_back()
    {
        using var dir = new TempDirectory();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var backDated = new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.Zero);
        using (var journal = ExportJournal.Open(dir.Path, "m"))
        {
            journal.Record(new[] { new SavedMessage("now", 5, "AB", "/x/a.eml") });
            journal.Record(new[] { new SavedMessage("old", 6, "CD", "/x/b.eml") { SavedAt = backDated } });
        }

        using var reopened = ExportJournal.Open(dir.Path, "m");
        Assert.True(reopened.TryGet("now", out var recent));
        Assert.InRange(recent.SavedAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(reopened.TryGet("old", out var old));
        Assert.Equal(backDated, old.SavedAt);
        Assert.Contains("\t2020-05-06T07:08:09Z\n", File.ReadAllText(reopened.Path));
    }

    [Fact]
    public void Reads_lines_of_the_earlier_version_as_saved_when_their_file_was_written()
    {
        using var dir = new TempDirectory();
        string saved = System.IO.Path.Combine(dir.Path, "a.eml");
        File.WriteAllText(saved, "Subject: a\r\n\r\n");
        var written = new DateTime(2021, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(saved, written);
        string journalPath = System.IO.Path.Combine(dir.Path, ExportJournal.FileNameFor("m"));
        File.WriteAllText(journalPath, $"v1\tu1\t5\tAB\t{Uri.EscapeDataString(saved)}\nv1\tu2\t6\tCD\t%2Fgone%2Fb.eml\n", new UTF8Encoding(false));

        using var journal = ExportJournal.Open(dir.Path, "m");
        Assert.True(journal.TryGet("u1", out var kept));
        Assert.Equal(new DateTimeOffset(written), kept.SavedAt);
        Assert.True(journal.TryGet("u2", out var gone));
        Assert.Null(gone.SavedAt);
    }
}
