namespace PopShell.Engine.Tests.Messages;

public class MessageSelectionTests
{
    static readonly MailboxListing Listing = new(
        new long[] { 1000, 5000, 200, 80000, 3000 },
        new[] { "u1", "u2", "u3", "u4", "u5" });

    static int[] Numbers(MessageSelection selection) => selection.Candidates.Select(e => e.Number).ToArray();

    [Fact]
    public void Selects_every_message_by_default()
    {
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, Numbers(MessageSelection.From(Listing, new MessageQuery())));
    }

    [Fact]
    public void Keeps_the_order_of_the_indexes_asked_for_and_drops_repeats()
    {
        var selection = MessageSelection.From(Listing, new MessageQuery { Numbers = new[] { 4, 2, 4 } });

        Assert.Equal(new[] { 4, 2 }, Numbers(selection));
        Assert.Empty(selection.Missing);
    }

    [Fact]
    public void Reports_indexes_and_uids_that_are_not_in_the_mailbox()
    {
        var byIndex = MessageSelection.From(Listing, new MessageQuery { Numbers = new[] { 2, 9, 0 } });
        var byUid = MessageSelection.From(Listing, new MessageQuery { Uids = new[] { "u5", "gone" } });

        Assert.Equal(new[] { 2 }, Numbers(byIndex));
        Assert.Equal(new[] { "9", "0" }, byIndex.Missing);
        Assert.Equal(new[] { 5 }, Numbers(byUid));
        Assert.Equal(new[] { "gone" }, byUid.Missing);
    }

    [Fact]
    public void Filters_by_size_bounds_inclusively()
    {
        var selection = MessageSelection.From(Listing, new MessageQuery { MinSize = 1000, MaxSize = 5000 });

        Assert.Equal(new[] { 1, 2, 5 }, Numbers(selection));
    }

    [Fact]
    public void Applies_skip_and_first_after_the_size_filter_when_no_header_filter_is_set()
    {
        var selection = MessageSelection.From(Listing, new MessageQuery { MinSize = 1000, Skip = 1, First = 2 });

        Assert.Equal(new[] { 2, 4 }, Numbers(selection));
    }

    [Fact]
    public void Leaves_skip_and_first_to_the_scan_when_a_header_filter_decides_what_counts()
    {
        var selection = MessageSelection.From(Listing, new MessageQuery { Subject = _ => true, Skip = 1, First = 1 });

        Assert.Equal(5, selection.Candidates.Count);
    }

    [Fact]
    public void Returns_nothing_for_first_zero()
    {
        Assert.Empty(MessageSelection.From(Listing, new MessageQuery { First = 0 }).Candidates);
    }

    [Fact]
    public void Returns_nothing_when_skip_passes_the_end()
    {
        Assert.Empty(MessageSelection.From(Listing, new MessageQuery { Skip = 10 }).Candidates);
    }
}
