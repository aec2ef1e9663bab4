namespace PopShell.Engine.Tests.Sessions;

public class TemporarySpoolTests
{
    [Fact]
    public void A_large_message_is_read_from_a_file_that_is_gone_once_closed()
    {
        string path;
        MessageContent content;
        using (var spool = TemporarySpool.For(TemporarySpool.InMemoryUpTo + 1))
        {
            var file = Assert.IsType<FileStream>(spool);
            path = file.Name;
            spool.Write(ScenarioResources.MessageOnWire("attachment.eml"));
            spool.Position = 0;
            content = MessageContent.Read(spool);
            Assert.True(File.Exists(path));
        }

        Assert.Equal("The report is attached.", content.Body.TrimEnd());
        Assert.Equal(("report.txt", 30L), (content.Attachments.Single().FileName, content.Attachments.Single().Size));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_small_message_stays_in_memory()
    {
        using var spool = TemporarySpool.For(TemporarySpool.InMemoryUpTo);

        Assert.IsType<MemoryStream>(spool);
    }
}
