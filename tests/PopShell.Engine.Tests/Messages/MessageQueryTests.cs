namespace PopShell.Engine.Tests.Messages;

public class MessageQueryTests
{
    static MessageSummary Summary(DateTimeOffset? date = null, string? subject = "Hello", MailAddress[]? from = null, MailAddress[]? to = null, MailAddress[]? cc = null) => new()
    {
        Entry = new MessageEntry(1, "u1", 100),
        Date = date,
        Subject = subject,
        From = from ?? new[] { new MailAddress("Alice", "alice@example.org") },
        To = to ?? Array.Empty<MailAddress>(),
        Cc = cc ?? Array.Empty<MailAddress>(),
    };

    static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Before_and_after_are_strict_and_compare_instants_across_offsets()
    {
        var sameInstantElsewhere = new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1));

        Assert.False(new MessageQuery { Before = Noon }.MatchesHeader(Summary(sameInstantElsewhere)));
        Assert.False(new MessageQuery { After = Noon }.MatchesHeader(Summary(sameInstantElsewhere)));
        Assert.True(new MessageQuery { Before = Noon.AddSeconds(1) }.MatchesHeader(Summary(Noon)));
        Assert.True(new MessageQuery { After = Noon.AddSeconds(-1) }.MatchesHeader(Summary(Noon)));
    }

    [Fact]
    public void A_message_without_a_date_never_passes_a_date_filter()
    {
        Assert.False(new MessageQuery { Before = DateTimeOffset.MaxValue }.MatchesHeader(Summary(date: null)));
        Assert.False(new MessageQuery { After = DateTimeOffset.MinValue }.MatchesHeader(Summary(date: null)));
        Assert.True(new MessageQuery().MatchesHeader(Summary(date: null)));
    }

    [Fact]
    public void Subject_filter_sees_a_missing_subject_as_empty_text()
    {
        var seen = new List<string>();
        new MessageQuery { Subject = s => { seen.Add(s); return true; } }.MatchesHeader(Summary(subject: null));

        Assert.Equal(new[] { string.Empty }, seen);
    }

    [Fact]
    public void From_filter_matches_the_address_the_name_or_both_together()
    {
        var summary = Summary(from: new[] { new MailAddress("Alice Martin", "alice@example.org") });

        Assert.True(new MessageQuery { From = s => s == "alice@example.org" }.MatchesHeader(summary));
        Assert.True(new MessageQuery { From = s => s == "Alice Martin" }.MatchesHeader(summary));
        Assert.True(new MessageQuery { From = s => s == "Alice Martin <alice@example.org>" }.MatchesHeader(summary));
        Assert.False(new MessageQuery { From = s => s == "bob@example.org" }.MatchesHeader(summary));
    }

    [Fact]
    public void To_filter_looks_at_cc_recipients_too()
    {
        var summary = Summary(to: new[] { new MailAddress("", "to@example.org") }, cc: new[] { new MailAddress("", "cc@example.org") });

        Assert.True(new MessageQuery { To = s => s == "cc@example.org" }.MatchesHeader(summary));
        Assert.True(new MessageQuery { To = s => s == "to@example.org" }.MatchesHeader(summary));
        Assert.False(new MessageQuery { To = s => s == "alice@example.org" }.MatchesHeader(summary));
    }

    [Fact]
    public void Every_filter_must_pass()
    {
        var query = new MessageQuery { Subject = s => s == "Hello", From = s => s == "nobody" };

        Assert.False(query.MatchesHeader(Summary()));
    }

    [Fact]
    public void Only_header_filters_need_headers()
    {
        Assert.False(new MessageQuery { MinSize = 1, Numbers = new[] { 1 }, First = 3 }.NeedsHeaders);
        Assert.True(new MessageQuery { Before = Noon }.NeedsHeaders);
        Assert.True(new MessageQuery { To = _ => true }.NeedsHeaders);
    }
}
