namespace PopShell.Engine.Tests.Export;

public class FileNameTemplateTests
{
    static readonly MessageSummary Message = new()
    {
        Entry = new MessageEntry(42, "UID/with:odd*chars", 1234),
        Date = new DateTimeOffset(2026, 3, 1, 14, 30, 5, TimeSpan.FromHours(2)),
        From = new[] { new MailAddress("Alice Martin", "alice@example.org") },
        Subject = "Re: ../../secret plans",
    };

    static readonly DateTimeOffset SavedAt = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Default_names_sort_by_utc_date_and_carry_a_uid_hash()
    {
        string name = new FileNameTemplate(null).Render(Message, ".eml", SavedAt);

        Assert.Equal($"20260301-123005_{FileNameTemplate.UidHash(Message.Entry)}.eml", name);
        Assert.Matches("^[0-9a-f]{16}$", FileNameTemplate.UidHash(Message.Entry));
    }

    [Fact]
    public void Different_uids_give_different_default_names()
    {
        var other = Message with { Entry = Message.Entry with { Uid = "another" } };
        var template = new FileNameTemplate(null);

        Assert.NotEqual(template.Render(Message, ".eml", SavedAt), template.Render(other, ".eml", SavedAt));
    }

    [Fact]
    public void Fills_every_placeholder_and_sanitises_each_value()
    {
        string name = new FileNameTemplate("{Date:yyyy-MM-dd} {Index} {From} {FromName} {Subject} {Uid}").Render(Message, ".eml", SavedAt);

        Assert.Equal("2026-03-01 42 alice@example.org Alice Martin Re_ .._.._secret plans UID_with_odd_chars.eml", name);
    }

    [Fact]
    public void Missing_fields_get_words_not_empty_gaps()
    {
        var bare = new MessageSummary { Entry = new MessageEntry(3, null, 10) };

        string name = new FileNameTemplate("{Date:yyyy}_{From}_{Subject}_{Uid}").Render(bare, ".eml", SavedAt);

        Assert.Equal("2026_unknown-sender_no subject_index3.eml", name);
    }

    [Theory]
    [InlineData(null, "Date")]
    [InlineData("{Uid}-{UidHash}-{Index}", "None")]
    [InlineData("{date:yyyy} {fromname}", "Date, From")]
    [InlineData("{From} {Subject}", "From, Subject")]
    public void Says_which_header_fields_its_names_show(string? template, string expected)
    {
        // An export reads only these fields of each message (a date-only name needs no header parser).
        Assert.Equal(expected, new FileNameTemplate(template).Fields.ToString());
    }

    [Fact]
    public void Rejects_an_unknown_placeholder_before_anything_is_saved()
    {
        var error = Assert.Throws<ArgumentException>(() => new FileNameTemplate("{Date}_{Sender}"));
        Assert.Contains("{Sender}", error.Message);
    }

    [Fact]
    public void Placeholders_are_case_insensitive()
    {
        Assert.Equal("42.eml", new FileNameTemplate("{index}").Render(Message, ".eml", SavedAt));
    }
}
