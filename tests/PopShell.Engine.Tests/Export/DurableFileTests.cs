namespace PopShell.Engine.Tests.Export;

public class DurableFileTests
{
    static void Write(DurableFile file, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        file.Stream.Write(bytes, 0, bytes.Length);
    }

    [Fact]
    public void Appears_at_the_final_path_only_when_committed()
    {
        using var dir = new TempDirectory();
        string final = Path.Combine(dir.Path, "m.eml");
        using (var file = DurableFile.Create(dir.Path))
        {
            Write(file, "hello");
            Assert.False(File.Exists(final));
            Assert.Equal(final, file.Commit(final, overwrite: false));
        }

        Assert.Equal("hello", File.ReadAllText(final));
        Assert.Equal(new[] { "m.eml" }, dir.Files());
    }

    [Fact]
    public void Leaves_nothing_behind_when_abandoned()
    {
        using var dir = new TempDirectory();
        using (var file = DurableFile.Create(dir.Path))
            Write(file, "partial");

        Assert.Empty(dir.Files());
    }

    [Fact]
    public void Never_overwrites_without_being_asked_and_adds_a_suffix()
    {
        using var dir = new TempDirectory();
        string final = Path.Combine(dir.Path, "m.eml");
        File.WriteAllText(final, "original");

        string second, third;
        using (var file = DurableFile.Create(dir.Path)) { Write(file, "two"); second = file.Commit(final, false); }
        using (var file = DurableFile.Create(dir.Path)) { Write(file, "three"); third = file.Commit(final, false); }

        Assert.Equal("original", File.ReadAllText(final));
        Assert.Equal(Path.Combine(dir.Path, "m (2).eml"), second);
        Assert.Equal(Path.Combine(dir.Path, "m (3).eml"), third);
        Assert.Equal("three", File.ReadAllText(third));
    }

    [Fact]
    public void Overwrites_when_asked()
    {
        using var dir = new TempDirectory();
        string final = Path.Combine(dir.Path, "m.eml");
        File.WriteAllText(final, "original");

        using (var file = DurableFile.Create(dir.Path)) { Write(file, "new"); file.Commit(final, overwrite: true); }

        Assert.Equal("new", File.ReadAllText(final));
        Assert.Equal(new[] { "m.eml" }, dir.Files());
    }
}
