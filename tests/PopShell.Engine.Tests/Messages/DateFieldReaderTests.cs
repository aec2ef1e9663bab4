using System.Globalization;

namespace PopShell.Engine.Tests.Messages;

// The date-only reader names saved files; the listing reads the same field with MimeKit's header
// parser. Every case here checks that the two agree, so a file's name never shows another date than
// Get-Pop3Message does.
public class DateFieldReaderTests
{
    static readonly string ManyReceived = string.Concat(Enumerable.Range(1, 120).Select(i => $"Received: from relay{i}.example.net by mx.example.org; Tue, 5 Mar 2024 09:{i % 60:00}:00 +0100\r\n"));

    public static TheoryData<string, string?> HeaderBlocks => new()
    {
        { "Date: Tue, 05 Mar 2024 09:30:00 +0100\r\nSubject: s\r\n\r\nbody\r\n", "2024-03-05T09:30:00+01:00" },
        { "Subject: s\r\ndate:   Tue, 05 Mar 2024 09:30:00 -0500\r\n\r\n", "2024-03-05T09:30:00-05:00" },
        { "Subject: folded\r\n over two lines\r\nDate: Tue,\r\n 05 Mar 2024\r\n\t09:30:00 +0100\r\nFrom: a@example.org\r\n\r\n", "2024-03-05T09:30:00+01:00" },
        { "Date: Tue, 05 Mar 2024 09:30:00 +0100\r\nDate: Wed, 06 Mar 2024 10:00:00 +0000\r\n\r\n", "2024-03-05T09:30:00+01:00" },
        { "Date: Tue, 05 Mar 2024 09:30:00 +0100\nSubject: bare LF line ends\n\nbody\n", "2024-03-05T09:30:00+01:00" },
        { "Date: 5 Mar 2024 09:30 EST\r\n\r\n", "2024-03-05T09:30:00-05:00" },
        { "From bob@example.net Thu Sep  4 10:00:00 2025\r\nDate: Thu, 04 Sep 2025 10:00:00 +0000\r\n\r\n", "2025-09-04T10:00:00+00:00" },
        { ManyReceived + "Date: Tue, 05 Mar 2024 09:30:00 +0100\r\n\r\n", "2024-03-05T09:30:00+01:00" },
        { "Subject: no date here\r\n\r\nDate: Tue, 05 Mar 2024 09:30:00 +0100\r\n", null },
        { "Date: sometime last week\r\n\r\n", null },
        { "Subject: s\r\n\r\n", null },
        { "\r\nDate: Tue, 05 Mar 2024 09:30:00 +0100\r\n", null },
        { "Subject malformed header line without colon\r\nDate: Tue, 05 Mar 2024 09:30:00 +0100\r\n\r\nbody\r\n", null },
    };

    [Theory]
    [MemberData(nameof(HeaderBlocks))]
    public void Reads_the_date_the_listing_shows(string message, string? expected)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        var listed = HeaderSummaryReader.TryRead(new MessageEntry(1, "u1", bytes.Length), new MemoryStream(bytes)).Date;

        var read = DateFieldReader.Read(new MemoryStream(bytes));

        Assert.Equal(expected == null ? null : DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), read);
        Assert.Equal(listed, read);
    }

    [Fact]
    public void Stops_looking_after_the_header_block_of_a_large_message()
    {
        // No empty line for 1 MB: the reader gives up at its limit instead of reading the whole message.
        var bytes = Encoding.ASCII.GetBytes("Subject: s\r\n" + new string('x', 1024 * 1024));
        using var stream = new MemoryStream(bytes);

        Assert.Null(DateFieldReader.Read(stream));
        Assert.True(stream.Position <= 256 * 1024 + 16, $"read {stream.Position} bytes");
    }
}
