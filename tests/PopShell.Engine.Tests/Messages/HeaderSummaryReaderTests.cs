namespace PopShell.Engine.Tests.Messages;

public class HeaderSummaryReaderTests
{
    static MessageSummary Read(string headerBlock)
    {
        var bytes = Encoding.UTF8.GetBytes(headerBlock.Replace("\n", "\r\n") + "\r\n");
        using var stream = new MemoryStream(bytes);
        var summary = HeaderSummaryReader.TryRead(new MessageEntry(7, "uid-7", bytes.Length), stream);
        Assert.Null(summary.HeaderError);
        return summary;
    }

    [Theory]
    [InlineData("=?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YAh?=", "Привет, мир!")]
    [InlineData("=?ISO-8859-1?Q?R=E9union_d=27=E9quipe?=", "Réunion d'équipe")]
    [InlineData("=?KOI8-R?B?8NLJ18XU?=", "Привет")]
    [InlineData("=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=", "こんにちは")]
    [InlineData("=?windows-1252?Q?Caf=E9_=80_menu?=", "Café € menu")]
    [InlineData("=?GB2312?B?xOO6ww==?=", "你好")]
    [InlineData("=?utf-8?q?Gr=C3=BC=C3=9Fe?= aus =?UTF-8?B?TcO8bmNoZW4=?=", "Grüße aus München")]
    public void Decodes_encoded_word_subjects_in_several_charsets(string encoded, string expected)
    {
        Assert.Equal(expected, Read($"Subject: {encoded}\n").Subject);
    }

    [Fact]
    public void Reads_raw_utf8_headers()
    {
        var summary = Read("From: Jürgen Groß <jurgen@example.de>\nSubject: Grüße\n");

        Assert.Equal("Grüße", summary.Subject);
        Assert.Equal(new MailAddress("Jürgen Groß", "jurgen@example.de"), Assert.Single(summary.From));
    }

    [Fact]
    public void Reads_the_headers_below_a_leading_mbox_from_line()
    {
        var bytes = Encoding.ASCII.GetBytes("From bob@example.net Thu Sep  4 10:00:00 2025\r\nFrom: Bob <bob@example.net>\r\nSubject: Kept in mbox\r\n\r\n");
        using var stream = new MemoryStream(bytes);

        var summary = HeaderSummaryReader.TryRead(new MessageEntry(1, "uid-1", bytes.Length), stream);

        Assert.Null(summary.HeaderError);
        Assert.Equal("Kept in mbox", summary.Subject);
        Assert.Equal(new MailAddress("Bob", "bob@example.net"), Assert.Single(summary.From));
    }

    [Fact]
    public void Decodes_encoded_display_names()
    {
        var summary = Read("From: =?UTF-8?B?w4lsb2lzZQ==?= <eloise@example.fr>\n");

        Assert.Equal("Éloise <eloise@example.fr>", Assert.Single(summary.From).ToString());
    }

    [Fact]
    public void Reading_for_naming_gives_the_listings_date_sender_and_subject_and_nothing_else()
    {
        const string message = "Date: Tue, 05 Mar 2024 09:30:00 +0100\nFrom: =?UTF-8?B?w4lsb2lzZQ==?= <eloise@example.fr>\n" +
            "To: a@example.org, b@example.org\nSubject: =?ISO-8859-1?Q?R=E9union?=\nMessage-ID: <m1@example.fr>\n\nBody\n";
        var bytes = Encoding.UTF8.GetBytes(message.Replace("\n", "\r\n"));
        var entry = new MessageEntry(7, "uid-7", bytes.Length);

        var listed = HeaderSummaryReader.TryRead(entry, new MemoryStream(bytes));
        var forNaming = HeaderSummaryReader.TryReadForNaming(entry, new MemoryStream(bytes), NamingFields.Date | NamingFields.From | NamingFields.Subject);

        Assert.Equal(new DateTimeOffset(2024, 3, 5, 9, 30, 0, TimeSpan.FromHours(1)), forNaming.Date);
        Assert.Equal(listed.Date, forNaming.Date);
        Assert.Equal(listed.From, forNaming.From);
        Assert.Equal("Réunion", forNaming.Subject);
        Assert.Equal(entry, forNaming.Entry);
        Assert.Empty(forNaming.To);
        Assert.Empty(forNaming.Headers);
        Assert.Null(forNaming.MessageId);
        Assert.Equal(2, listed.To.Count);
    }

    [Fact]
    public void Reading_for_naming_a_header_MimeKit_cannot_parse_gives_no_fields_and_says_why()
    {
        // A first header line without a colon: MimeKit's HeaderList.Load stops with a FormatException.
        var bytes = Encoding.ASCII.GetBytes("Subject malformed header line without colon\r\nDate: Tue, 05 Mar 2024 09:30:00 +0100\r\n\r\nbody\r\n");

        var summary = HeaderSummaryReader.TryReadForNaming(new MessageEntry(3, "u3", bytes.Length), new MemoryStream(bytes), NamingFields.Date | NamingFields.From);

        Assert.NotNull(summary.HeaderError);
        Assert.Equal(HeaderSummaryReader.TryRead(new MessageEntry(3, "u3", bytes.Length), new MemoryStream(bytes)).HeaderError, summary.HeaderError);
        Assert.Null(summary.Date);
        Assert.Empty(summary.From);
    }

    [Fact]
    public void Reading_for_naming_reads_only_the_fields_asked_for()
    {
        var bytes = Encoding.ASCII.GetBytes("Date: Tue, 05 Mar 2024 09:30:00 +0100\r\nFrom: a@example.org\r\nSubject: s\r\n\r\nbody\r\n");
        var entry = new MessageEntry(4, "u4", bytes.Length);

        var none = HeaderSummaryReader.TryReadForNaming(entry, new MemoryStream(bytes), NamingFields.None);
        var date = HeaderSummaryReader.TryReadForNaming(entry, new MemoryStream(bytes), NamingFields.Date);
        var fromOnly = HeaderSummaryReader.TryReadForNaming(entry, new MemoryStream(bytes), NamingFields.From);

        Assert.Equal(entry, none.Entry);
        Assert.Null(none.Date);
        Assert.Empty(none.From);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 9, 30, 0, TimeSpan.FromHours(1)), date.Date);
        Assert.Empty(date.From);
        Assert.Null(date.Subject);
        Assert.Equal("a@example.org", Assert.Single(fromOnly.From).Address);
        Assert.Null(fromOnly.Subject);
    }

    [Fact]
    public void A_message_without_date_or_subject_has_neither()
    {
        var summary = Read("From: a@example.org\n");

        Assert.Null(summary.Date);
        Assert.Null(summary.Subject);
        Assert.Null(summary.MessageId);
    }

    [Fact]
    public void An_unreadable_date_is_treated_as_missing()
    {
        Assert.Null(Read("Date: sometime last week\n").Date);
    }

    [Fact]
    public void Reads_the_date_with_its_offset()
    {
        var date = Read("Date: Tue, 03 Mar 2026 09:15:00 -0500\n").Date;

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 15, 0, TimeSpan.FromHours(-5)), date);
    }

    [Fact]
    public void Lists_every_recipient_of_to_and_cc_including_group_members()
    {
        var summary = Read("To: a@example.org, \"B, Bee\" <b@example.org>\nCc: Team: c@example.org, d@example.org;\n");

        Assert.Equal(new[] { "a@example.org", "b@example.org" }, summary.To.Select(a => a.Address));
        Assert.Equal("B, Bee", summary.To[1].Name);
        Assert.Equal(new[] { "c@example.org", "d@example.org" }, summary.Cc.Select(a => a.Address));
    }

    [Fact]
    public void Keeps_an_unparseable_sender_as_text_rather_than_dropping_it()
    {
        var summary = Read("From: <<<not an address\n");

        Assert.Contains("not an address", Assert.Single(summary.From).ToString());
    }

    [Fact]
    public void Strips_the_angle_brackets_of_the_message_id()
    {
        Assert.Equal("abc@example.org", Read("Message-ID: <abc@example.org>\n").MessageId);
    }

    [Fact]
    public void Fields_decoded_when_first_read_are_those_decoded_at_once()
    {
        var bytes = Encoding.UTF8.GetBytes("Subject: =?UTF-8?B?w4lsb2lzZQ==?=\r\nX-Note:  folded\r\n  value \r\nTo: a@example.org, =?UTF-8?B?w4lsb2lzZQ==?= <e@example.fr>\r\nCc: c@example.org\r\n\r\n");
        var entry = new MessageEntry(1, "u1", bytes.Length);

        var later = HeaderSummaryReader.TryRead(entry, new MemoryStream(bytes));
        var atOnce = HeaderSummaryReader.TryRead(entry, new MemoryStream(bytes), decodeEveryField: true);

        Assert.Equal(4, later.Headers.Count);
        Assert.Equal(atOnce.Headers, later.Headers);
        Assert.Equal(new KeyValuePair<string, string>("Subject", "Éloise"), later.Headers[0]);
        Assert.Equal(new KeyValuePair<string, string>("X-Note", "folded  value"), later.Headers[1]);
        Assert.Equal(atOnce.To, later.To);
        Assert.Equal(["a@example.org", "Éloise <e@example.fr>"], later.To.Select(a => a.ToString()));
        Assert.Equal("c@example.org", Assert.Single(later.Cc).Address);
    }

    [Fact]
    public void Keeps_every_header_in_order_with_repeats()
    {
        var summary = Read("Received: one\nSubject: s\nReceived: two\n");

        Assert.Equal(new[] { "Received", "Subject", "Received" }, summary.Headers.Select(h => h.Key));
        Assert.Equal(new[] { "one", "s", "two" }, summary.Headers.Select(h => h.Value));
        Assert.Equal(7, summary.Entry.Number);
        Assert.Equal("uid-7", summary.Entry.Uid);
    }
}
