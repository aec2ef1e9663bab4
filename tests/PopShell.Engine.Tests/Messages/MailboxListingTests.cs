namespace PopShell.Engine.Tests.Messages;

public class MailboxListingTests
{
    [Fact]
    public void Numbers_messages_from_one_in_listing_order()
    {
        var listing = new MailboxListing(new long[] { 100, 200, 300 }, new[] { "a", "b", "c" });

        Assert.Equal(new[] { 1, 2, 3 }, listing.Entries.Select(e => e.Number));
        Assert.Equal(new MessageEntry(2, "b", 200), listing.ByNumber(2));
        Assert.Null(listing.ByNumber(0));
        Assert.Null(listing.ByNumber(4));
    }

    [Fact]
    public void Finds_messages_by_uid_case_sensitively()
    {
        var listing = new MailboxListing(new long[] { 1, 2 }, new[] { "Abc", "abc" });

        Assert.Equal(1, Assert.Single(listing.ByUid("Abc")).Number);
        Assert.Equal(2, Assert.Single(listing.ByUid("abc")).Number);
        Assert.Empty(listing.ByUid("ABC"));
    }

    [Fact]
    public void Keeps_every_message_that_shares_a_uid()
    {
        var listing = new MailboxListing(new long[] { 1, 2, 3 }, new[] { "dup", "x", "dup" });

        Assert.Equal(new[] { 1, 3 }, listing.ByUid("dup").Select(e => e.Number));
    }

    [Fact]
    public void Refuses_a_listing_whose_uid_and_size_counts_differ()
    {
        Assert.Throws<ArgumentException>(() => new MailboxListing(new long[] { 1, 2 }, new[] { "a" }));
    }

    [Fact]
    public void Works_without_uids()
    {
        var listing = new MailboxListing(new long[] { 5, 6 }, null);

        Assert.False(listing.HasUids);
        Assert.Null(listing.ByNumber(1)!.Uid);
        Assert.Empty(listing.ByUid("anything"));
    }
}
