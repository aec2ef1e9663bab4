namespace PopShell.Engine.Tests.Messages;

public class HeaderBlockParserTests
{
    static MemoryStream Block(string text) => new(Encoding.UTF8.GetBytes(text));

    static string[] Fields(MimeKit.HeaderList headers) => headers.Select(h => $"{h.Field}: {h.Value.Trim()}").ToArray();

    [Fact]
    public void One_parser_reads_block_after_block_as_a_fresh_one_would_even_after_a_malformed_one()
    {
        var parser = new HeaderBlockParser();
        const string first = "Subject: one\r\nX-Long: a\r\n folded line\r\n\r\nbody one\r\n";
        const string malformed = "no colon on this line\r\nSubject: never\r\n\r\n";
        const string third = "From: c@example.org\r\nSubject: =?UTF-8?B?w4lsb2lzZQ==?=\r\n\r\n";

        var one = parser.Parse(Block(first), CancellationToken.None);
        Assert.Throws<FormatException>(() => parser.Parse(Block(malformed), CancellationToken.None));
        var three = parser.Parse(Block(third), CancellationToken.None);

        Assert.Equal(Fields(MimeKit.HeaderList.Load(Block(first))), Fields(one));
        Assert.Equal(Fields(MimeKit.HeaderList.Load(Block(third))), Fields(three));
        Assert.Equal(["From: c@example.org", "Subject: Éloise"], Fields(three));
    }
}
