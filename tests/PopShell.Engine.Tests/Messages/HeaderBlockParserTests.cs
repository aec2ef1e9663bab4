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

    [Fact]
    public void Headers_parsed_earlier_keep_their_values_after_the_parser_reads_on()
    {
        // Listings decode To, Cc and every field when first read, long after the worker's parser has
        // moved on to other blocks: nothing of a parsed block may live in the parser's buffers.
        var parser = new HeaderBlockParser();
        const string first = "To: =?UTF-8?B?w4lsb2lzZQ==?= <e@example.fr>\r\nX-Long: a\r\n folded line\r\n\r\n";
        var one = parser.Parse(Block(first), CancellationToken.None);
        for (int i = 0; i < 20; i++)
            parser.Parse(Block($"To: other{i}@example.org\r\nX-Long: {new string('z', 5000)}\r\n\r\n"), CancellationToken.None);

        Assert.Equal(Fields(MimeKit.HeaderList.Load(Block(first))), Fields(one));
        Assert.Equal(["To: Éloise <e@example.fr>", "X-Long: a folded line"], Fields(one));
    }
}
