using PopShell.Engine.Text;

namespace PopShell.Engine.Tests.Text;

public class DisplayTextTests
{
    [Theory]
    [InlineData("\u001b[2Jcleared", "\\u001B[2Jcleared")]
    [InlineData("line\r\nforged", "line\\u000D\\u000Aforged")]
    [InlineData("invoice\u202Efdp.exe", "invoice\\u202Efdp.exe")]
    [InlineData("bell\u0007", "bell\\u0007")]
    [InlineData("c1\u009b", "c1\\u009B")]
    public void Escapes_characters_that_could_control_a_terminal(string input, string expected)
    {
        Assert.Equal(expected, DisplayText.Escape(input));
    }

    [Fact]
    public void Leaves_ordinary_text_alone()
    {
        Assert.Equal("+OK Dovecot ready. Grüße, 你好", DisplayText.Escape("+OK Dovecot ready. Grüße, 你好"));
    }

    [Fact]
    public void Cuts_long_text()
    {
        var escaped = DisplayText.Escape(new string('x', 10_000), 100);

        Assert.Equal(101, escaped.Length);
        Assert.EndsWith("…", escaped);
    }

    [Fact]
    public void Null_becomes_empty()
    {
        Assert.Equal(string.Empty, DisplayText.Escape(null));
    }
}
