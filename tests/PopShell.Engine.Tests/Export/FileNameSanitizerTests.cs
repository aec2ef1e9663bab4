namespace PopShell.Engine.Tests.Export;

public class FileNameSanitizerTests
{
    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..\\..\\Windows\\x")]
    [InlineData("C:\\Windows\\x")]
    [InlineData("\\\\server\\share\\x")]
    [InlineData("/etc/passwd")]
    [InlineData("a／b＼c")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("file.eml:stream")]
    public void Never_produces_a_path(string hostile)
    {
        string name = FileNameSanitizer.Sanitize(hostile, ".eml");

        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.DoesNotContain(':', name);
        Assert.False(name.StartsWith("."), name);
        Assert.Equal(name, Path.GetFileName(name));
        Assert.EndsWith(".eml", name);
    }

    [Theory]
    [InlineData("CON")]
    [InlineData("nul")]
    [InlineData("Com1")]
    [InlineData("LPT9")]
    [InlineData("aux.txt")]
    [InlineData("CONIN$")]
    [InlineData("nul ")]
    public void Never_produces_a_windows_device_name(string reserved)
    {
        string name = FileNameSanitizer.Sanitize(reserved, ".eml");
        string head = name.Split('.')[0].TrimEnd();

        Assert.DoesNotMatch("^(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|CONIN\\$|CONOUT\\$)$", head);
    }

    [Theory]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe.eml")]
    [InlineData("bell\u0007 and\u001b[31m red", "bell and[31m red.eml")]
    [InlineData("tabs\tand\r\nnewlines", "tabs and newlines.eml")]
    [InlineData("trailing dots...", "trailing dots.eml")]
    [InlineData("  spaced   out  ", "spaced out.eml")]
    [InlineData("what? <yes> \"no\" | *", "what_ _yes_ _no_ _ _.eml")]
    public void Cleans_hostile_and_awkward_characters(string text, string expected)
    {
        Assert.Equal(expected, FileNameSanitizer.Sanitize(text, ".eml"));
    }

    [Fact]
    public void Uses_the_fallback_when_nothing_is_left()
    {
        Assert.Equal("message.eml", FileNameSanitizer.Sanitize("\u202E...  ", ".eml"));
        Assert.Equal("message.eml", FileNameSanitizer.Sanitize(null, ".eml"));
    }

    [Fact]
    public void Cuts_long_names_between_characters_and_keeps_the_extension()
    {
        string name = FileNameSanitizer.Sanitize(string.Concat(Enumerable.Repeat("日本語😀e\u0301", 200)), ".eml");

        Assert.True(Encoding.UTF8.GetByteCount(name) <= FileNameSanitizer.MaxNameBytes);
        Assert.EndsWith(".eml", name);
        string stem = name[..^4];
        Assert.False(char.IsHighSurrogate(stem[^1]));
        Assert.NotEqual('e', stem[^1]); // the combining accent stays with its letter
    }

    [Fact]
    public void Normalises_to_composed_form_so_equal_names_are_equal()
    {
        Assert.Equal(FileNameSanitizer.Sanitize("Re\u0301sume\u0301"), FileNameSanitizer.Sanitize("Résumé"));
    }
}
