namespace PopShell.Engine.Tests.Export;

public class MessageStoreTests
{
    static MessageSummary Summary(int number, string from = "alice@example.org") => new()
    {
        Entry = new MessageEntry(number, "u" + number, 0),
        Date = new DateTimeOffset(2026, 11, 2, 8, 5, 9, TimeSpan.Zero),
        From = new[] { new MailAddress("", from) },
    };

    static MemoryStream Raw(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Eml_keeps_the_bytes_exactly()
    {
        using var dir = new TempDirectory();
        const string raw = "Subject: x\r\n\r\n.leading dot\nbare LF\r\nFrom here\r\nno final newline";
        using var store = new EmlFolder(dir.Path, new FileNameTemplate("{Index}"), overwrite: false);

        string path = store.Save(Summary(1), Raw(raw), "not-checked", CancellationToken.None);

        Assert.Equal(Path.Combine(dir.Path, "1.eml"), path);
        Assert.Equal(Encoding.UTF8.GetBytes(raw), File.ReadAllBytes(path));
    }

    [Fact]
    public void Eml_messages_named_alike_by_two_rounds_at_once_both_keep_their_bytes()
    {
        // Two export rounds can name messages at the same moment, and two messages can get one name
        // (same Date, same UID). A move that checks for the name and then renames let the second
        // replace the first (the fuzzer's seed 5 case 1373).
        using var dir = new TempDirectory();
        using var store = new EmlFolder(dir.Path, new FileNameTemplate(null), overwrite: false);
        for (int round = 0; round < 200; round++)
        {
            var alike = Summary(1) with { Date = new DateTimeOffset(2026, 11, 2, 8, 5, 9, TimeSpan.Zero).AddMinutes(round) };
            using var first = store.Stage(alike, Raw("first"), "sha-first", CancellationToken.None);
            using var second = store.Stage(alike, Raw("second"), "sha-second", CancellationToken.None);
            using var start = new Barrier(2);
            string? firstPath = null, secondPath = null;
            var one = new Thread(() => { start.SignalAndWait(); firstPath = first.Commit(); });
            var two = new Thread(() => { start.SignalAndWait(); secondPath = second.Commit(); });
            one.Start();
            two.Start();
            one.Join();
            two.Join();

            Assert.NotEqual(firstPath, secondPath);
            Assert.Equal("first", File.ReadAllText(firstPath!));
            Assert.Equal("second", File.ReadAllText(secondPath!));
        }
    }

    [Fact]
    public void Eml_recognises_its_own_copy_left_by_a_killed_run_and_does_not_repeat_it()
    {
        using var dir = new TempDirectory();
        using var store = new EmlFolder(dir.Path, new FileNameTemplate("{Index}"), overwrite: false);
        byte[] bytes = Encoding.UTF8.GetBytes("Subject: x\r\n\r\nbody\r\n");
        string sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));

        string first = store.Save(Summary(1), new MemoryStream(bytes), sha, CancellationToken.None);
        string again = store.Save(Summary(1), new MemoryStream(bytes), sha, CancellationToken.None);
        string other = store.Save(Summary(1), Raw("Subject: different\r\n\r\n"), "AB", CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(Path.Combine(dir.Path, "1 (2).eml"), other);
        Assert.Equal(new[] { "1 (2).eml", "1.eml" }, dir.Files());
    }

    [Fact]
    public void Mbox_writes_separator_lines_lf_and_mboxrd_quoting_and_appends()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "box.mbox");
        using (var store = new MboxFile(path))
            store.Save(Summary(1), Raw("Subject: one\r\n\r\nFrom the start\r\n>From quoted\r\n"), "not-checked", CancellationToken.None);
        using (var store = new MboxFile(path))
            store.Save(Summary(2, "b o b@x"), Raw("Subject: two\r\n\r\nno newline"), "not-checked", CancellationToken.None);

        Assert.Equal(
            "From alice@example.org Mon Nov  2 08:05:09 2026\nSubject: one\n\n>From the start\n>>From quoted\n\n" +
            "From b_o_b@x Mon Nov  2 08:05:09 2026\nSubject: two\n\nno newline\n\n",
            File.ReadAllText(path));
        Assert.Equal(new[] { "box.mbox" }, dir.Files());
    }

    [Fact]
    public void Mbox_refuses_to_append_to_a_file_that_is_not_an_mbox()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "notes.txt");
        File.WriteAllText(path, "my notes");

        var error = Assert.Throws<PopShell.Engine.Errors.PopShellException>(() => new MboxFile(path));

        Assert.Contains("not an mbox", error.Message);
        Assert.Equal("my notes", File.ReadAllText(path));
    }

    [Fact]
    public void Mbox_cuts_off_an_append_that_a_crash_interrupted()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "box.mbox");
        using (var store = new MboxFile(path))
            store.Save(Summary(1), Raw("Subject: one\r\n\r\nbody\r\n"), "not-checked", CancellationToken.None);
        string complete = File.ReadAllText(path);

        // A crash mid-append leaves a partial message and the length marker of the last good state.
        File.WriteAllText(path + ".popshell-length", Encoding.UTF8.GetByteCount(complete).ToString());
        File.AppendAllText(path, "From alice@example.org Sun Nov  2 08:05:09 2026\nSubject: par");

        using (new MboxFile(path)) { }

        Assert.Equal(complete, File.ReadAllText(path));
        Assert.False(File.Exists(path + ".popshell-length"));
    }

    [Fact]
    public void Mbox_leaves_the_file_as_it_was_when_a_save_fails()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "box.mbox");
        using var store = new MboxFile(path);
        store.Save(Summary(1), Raw("Subject: one\r\n\r\nbody\r\n"), "not-checked", CancellationToken.None);
        long before = new FileInfo(path).Length;

        Assert.Throws<IOException>(() => store.Save(Summary(2), new FailingStream(Encoding.ASCII.GetBytes("Subject: two\r\n\r\nsome")), "not-checked", CancellationToken.None));

        Assert.Equal(before, new FileInfo(path).Length);
    }

    [Fact]
    public void Maildir_delivers_to_new_with_lf_and_unique_names()
    {
        using var dir = new TempDirectory();
        using var store = new MaildirFolder(dir.Path);

        string first = store.Save(Summary(1), Raw("Subject: a\r\n\r\nbody\r\n"), "not-checked", CancellationToken.None);
        string second = store.Save(Summary(2), Raw("Subject: a\r\n\r\nbody\r\n"), "not-checked", CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal(Path.Combine(dir.Path, "new"), Path.GetDirectoryName(first));
        Assert.Equal("Subject: a\n\nbody\n", File.ReadAllText(first));
        Assert.DoesNotContain(':', Path.GetFileName(first));
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "tmp")));
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "cur")));
    }

    // Delivers some bytes, then fails like a dropped connection or a full disk.
    sealed class FailingStream(byte[] head) : MemoryStream(head)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = base.Read(buffer, offset, count);
            return read > 0 ? read : throw new IOException("simulated failure");
        }
    }
}

/// <summary>Writes and names one message, as an export round does for each message in turn.</summary>
internal static class MessageStoreSave
{
    public static string Save(this IMessageStore store, MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken)
    {
        using var staged = store.Stage(message, raw, sha256, cancellationToken);
        return staged.Commit();
    }
}
