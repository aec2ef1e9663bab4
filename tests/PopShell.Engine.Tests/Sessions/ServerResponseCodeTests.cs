namespace PopShell.Engine.Tests.Sessions;

public class ServerResponseCodeTests
{
    [Theory]
    [InlineData("-ERR [IN-USE] Mailbox is locked by another POP3 session.", "IN-USE")]
    [InlineData("-ERR [AUTH] Authentication failed.", "AUTH")]
    [InlineData("-ERR [sys/temp] try later", "SYS/TEMP")]
    [InlineData("-ERR [LOGIN-DELAY] wait 300 seconds", "LOGIN-DELAY")]
    public void Reads_the_code_in_brackets(string reply, string code)
    {
        Assert.Equal(code, ServerResponseCode.Parse(reply));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("-ERR Authentication failed.")]
    [InlineData("+OK [IN-USE] not an error")]
    [InlineData("-ERR [unterminated")]
    public void Finds_no_code_where_there_is_none(string? reply)
    {
        Assert.Null(ServerResponseCode.Parse(reply));
    }
}
