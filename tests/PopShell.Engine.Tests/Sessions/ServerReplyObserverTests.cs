namespace PopShell.Engine.Tests.Sessions;

public class ServerReplyObserverTests
{
    static void Server(ServerReplyObserver observer, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        observer.LogServer(bytes, 0, bytes.Length);
    }

    static void Client(ServerReplyObserver observer, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        observer.LogClient(bytes, 0, bytes.Length);
    }

    [Fact]
    public void Keeps_the_greeting_even_when_it_arrives_in_pieces()
    {
        var observer = new ServerReplyObserver(null);
        Server(observer, "+OK Dove");
        Server(observer, "cot ready.\r\n");
        Client(observer, "CAPA\r\n");
        Server(observer, "+OK\r\nTOP\r\n.\r\n");

        Assert.Equal("+OK Dovecot ready.", observer.Greeting);
    }

    [Fact]
    public void Last_reply_is_the_first_line_after_the_last_command()
    {
        var observer = new ServerReplyObserver(null);
        Server(observer, "+OK ready\r\n");
        Client(observer, "USER a\r\n");
        Server(observer, "+OK\r\n");
        Client(observer, "PASS b\r\n");
        Server(observer, "-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n");

        Assert.Equal("-ERR [IN-USE] Mailbox is locked by another POP3 session.", observer.LastReply);
    }

    [Fact]
    public void Has_no_reply_until_the_server_answers()
    {
        var observer = new ServerReplyObserver(null);
        Server(observer, "+OK ready\r\n");
        Client(observer, "QUIT\r\n");

        Assert.Null(observer.LastReply);
    }

    [Fact]
    public void Keeps_a_bounded_amount_of_an_endless_line()
    {
        var observer = new ServerReplyObserver(null);
        Client(observer, "NOOP\r\n");
        for (int i = 0; i < 1000; i++)
            Server(observer, new string('A', 1000));

        Assert.Equal(8192, observer.LastReply!.Length);
    }

    [Fact]
    public void Remembers_the_last_error_even_after_later_commands()
    {
        var observer = new ServerReplyObserver(null);
        Client(observer, "AUTH PLAIN\r\n");
        Server(observer, "+OK Logged in.\r\n-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n");
        Client(observer, "CAPA\r\n");
        Server(observer, "-ERR [IN-USE] Mailbox is locked by another POP3 session.\r\n");
        Client(observer, "STAT\r\n");

        Assert.Null(observer.LastReply);
        Assert.Equal("-ERR [IN-USE] Mailbox is locked by another POP3 session.", observer.LastErrorReply);
    }
}
