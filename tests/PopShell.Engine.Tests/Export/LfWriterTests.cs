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

    // A source that gives at most `step` bytes a read, so every line start, CR and "From " falls
    // across reads somewhere.
    sealed class Trickle(byte[] bytes, int step) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Gives_the_same_bytes_however_the_source_splits_them(int step)
    {
        const string input = "From start\r\n>From quoted\r\n>>From twice\r\n>>>\r\nFrom\r\nFrom: h\r\nlone\rcr\r\n\r\n>\r\nFromage\r\nend\r";
        var bytes = Encoding.Latin1.GetBytes(input);
        foreach (bool quote in new[] { true, false })
        {
            using var whole = new MemoryStream();
            using var split = new MemoryStream();
            bool wholeEnded = LfWriter.Copy(new MemoryStream(bytes), whole, quote);
            bool splitEnded = LfWriter.Copy(new Trickle(bytes, step), split, quote);

            Assert.Equal(Encoding.Latin1.GetString(whole.ToArray()), Encoding.Latin1.GetString(split.ToArray()));
            Assert.Equal(wholeEnded, splitEnded);
        }
        Assert.Equal((">From start\n>>From quoted\n>>>From twice\n>>>\nFrom\nFrom: h\nlone\rcr\n\n>\nFromage\nend\r", false), Copy(input, quote: true));
    }

    [Fact]
    public void Holds_none_of_a_long_line_in_memory()
    {
        // One 8 MB line: what the copy allocates is its buffers, not the line.
        var bytes = new byte[8 * 1024 * 1024];
        bytes.AsSpan().Fill((byte)'x');
        using var source = new MemoryStream(bytes);
        using var target = new MemoryStream(bytes.Length + 16);

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool ended = LfWriter.Copy(source, target, mboxrdQuoting: true);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(ended);
        Assert.Equal(bytes.Length, target.Length);
        Assert.True(allocated < 512 * 1024, $"allocated {allocated} bytes");
    }
}
