namespace PopShell.Engine.Tests.Export;

public class LfWriterTests
{
    static (string Text, bool EndedWithNewline) Copy(string input, bool quote)
    {
        using var source = new MemoryStream(Encoding.Latin1.GetBytes(input));
        using var target = new MemoryStream();
        bool ended = LfWriter.Copy(source, target, quote);
        return (Encoding.Latin1.GetString(target.ToArray()), ended);
    }

    [Fact]
    public void Turns_crlf_into_lf_and_leaves_a_lone_cr_alone()
    {
        Assert.Equal(("a\nb\rc\nd\n", true), Copy("a\r\nb\rc\r\nd\n", quote: false));
    }

    [Fact]
    public void Reports_a_last_line_without_a_line_break()
    {
        Assert.Equal(("a\nlast", false), Copy("a\r\nlast", quote: false));
    }

    [Fact]
    public void Quotes_from_lines_the_mboxrd_way()
    {
        var (text, _) = Copy("From start\r\n>From quoted\r\n>>From twice\r\nFrom: header-like\r\n From indented\r\nFromage\r\n", quote: true);

        Assert.Equal(">From start\n>>From quoted\n>>>From twice\nFrom: header-like\n From indented\nFromage\n", text);
    }

    [Fact]
    public void Does_not_quote_without_being_asked()
    {
        Assert.Equal(("From x\n", true), Copy("From x\r\n", quote: false));
    }

    [Fact]
    public void Handles_lines_longer_than_its_buffer()
    {
        string longLine = new string('x', 200_000);
        Assert.Equal((longLine + "\n" + longLine, false), Copy(longLine + "\r\n" + longLine, quote: true));
    }
}
