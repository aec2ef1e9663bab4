namespace PopShell.Engine.Tests.Messages;

public class UidResolverTests
{
    static readonly MailboxListing Listing = new(new long[] { 10, 20, 30, 40 }, new[] { "a", "b", "dup", "dup" });

    [Fact]
    public void In_the_same_session_the_index_must_still_hold_the_uid()
    {
        Assert.Equal(2, UidResolver.Resolve(Listing, "b", 2, sameSession: true, "s").Number);
        var error = Assert.Throws<PopShellException>(() => UidResolver.Resolve(Listing, "a", 2, sameSession: true, "s"));
        Assert.Equal(PopShellErrorKind.MessageNotFound, error.Kind);
    }

    [Fact]
    public void From_another_session_the_uid_decides_whatever_the_old_index()
    {
        Assert.Equal(2, UidResolver.Resolve(Listing, "b", 7, sameSession: false, "s").Number);
    }

    [Fact]
    public void A_uid_that_is_gone_is_an_error_naming_it()
    {
        var error = Assert.Throws<PopShellException>(() => UidResolver.Resolve(Listing, "gone", 1, sameSession: false, "s"));
        Assert.Equal("gone", error.Uid);
        Assert.Contains("no longer", error.Message);
    }

    [Fact]
    public void A_uid_shared_by_several_messages_is_refused_not_guessed()
    {
        var error = Assert.Throws<PopShellException>(() => UidResolver.Resolve(Listing, "dup", 3, sameSession: false, "s"));
        Assert.Contains("2 messages", error.Message);
    }

    [Fact]
    public void Without_uidl_objects_from_another_session_are_refused_and_the_reason_given()
    {
        var noUids = new MailboxListing(new long[] { 10, 20 }, null);

        var error = Assert.Throws<PopShellException>(() => UidResolver.Resolve(noUids, null, 1, sameSession: false, "s"));
        Assert.Contains("UIDL", error.Message);
        Assert.Equal(1, UidResolver.Resolve(noUids, null, 1, sameSession: true, "s").Number);
    }
}
