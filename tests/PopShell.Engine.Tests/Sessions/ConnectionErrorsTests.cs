using MailKit.Net.Pop3;

namespace PopShell.Engine.Tests.Sessions;

public class ConnectionErrorsTests
{
    const string Secret = "Tr0ub4dor&3-canary";

    static ConnectionErrors WithReply(string reply)
    {
        var observer = new ServerReplyObserver(null);
        var command = Encoding.ASCII.GetBytes("PASS ********\r\n");
        observer.LogClient(command, 0, command.Length);
        var bytes = Encoding.Latin1.GetBytes(reply + "\r\n");
        observer.LogServer(bytes, 0, bytes.Length);
        return new ConnectionErrors("mail.example.org", 995, "alice", Secret, observer, new CertificatePolicy([], false));
    }

    [Theory]
    [InlineData("-ERR [AUTH] Authentication failed.", PopShellErrorKind.AuthenticationFailed)]
    [InlineData("-ERR Authentication failed.", PopShellErrorKind.AuthenticationFailed)]
    [InlineData("-ERR [IN-USE] Mailbox is locked by another POP3 session.", PopShellErrorKind.MailboxInUse)]
    [InlineData("-ERR [LOGIN-DELAY] Wait 300 seconds.", PopShellErrorKind.LoginDelay)]
    [InlineData("-ERR [SYS/TEMP] Couldn't sync mailbox.", PopShellErrorKind.ServerTemporaryFailure)]
    [InlineData("-ERR [SYS/PERM] Mailbox is corrupt.", PopShellErrorKind.ServerPermanentFailure)]
    public void A_failed_login_is_classified_by_the_servers_response_code(string reply, PopShellErrorKind kind)
    {
        var error = WithReply(reply).WhileConnecting(new MailKit.Security.AuthenticationException());

        Assert.Equal(kind, error.Kind);
        Assert.Contains("mail.example.org:995", error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void A_server_that_echoes_the_password_does_not_get_it_into_the_error()
    {
        var error = WithReply($"-ERR [AUTH] Wrong password {Secret} for alice").WhileConnecting(new MailKit.Security.AuthenticationException());

        Assert.DoesNotContain(Secret, error.Message);
        Assert.DoesNotContain(Secret, error.ServerReply);
        Assert.DoesNotContain(Secret, error.ToString());
        Assert.Contains("********", error.Message);
    }

    [Fact]
    public void Control_characters_from_the_server_are_escaped()
    {
        var error = WithReply("-ERR \u001b[31mred\u001b[0m").WhileConnecting(new MailKit.Security.AuthenticationException());

        Assert.DoesNotContain('\u001b', error.Message);
    }

    [Theory]
    [InlineData(System.Net.Sockets.SocketError.HostNotFound, PopShellErrorKind.HostNotFound)]
    [InlineData(System.Net.Sockets.SocketError.ConnectionRefused, PopShellErrorKind.ConnectionRefused)]
    [InlineData(System.Net.Sockets.SocketError.NetworkUnreachable, PopShellErrorKind.ConnectionFailed)]
    public void An_unknown_host_and_a_refused_port_are_told_apart(System.Net.Sockets.SocketError code, PopShellErrorKind kind)
    {
        var error = WithReply("+OK").WhileConnecting(new System.Net.Sockets.SocketException((int)code));

        Assert.Equal(kind, error.Kind);
        Assert.Contains("mail.example.org:995", error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void A_failure_it_does_not_recognise_is_its_own_kind_not_a_protocol_violation()
    {
        var error = WithReply("+OK").WhileWorking(new InvalidCastException("odd"), "listing messages");

        Assert.Equal(PopShellErrorKind.UnexpectedFailure, error.Kind);
    }

    [Fact]
    public void A_refused_command_names_the_message_uid()
    {
        var error = WithReply("-ERR Message 3 expunged.").WhileWorking(new Pop3ReplyException("RETR 3", new Pop3Reply(Pop3Status.Error, "Message 3 expunged.", "-ERR Message 3 expunged.")), "retrieving a message", "uid-3");

        Assert.Equal(PopShellErrorKind.CommandFailed, error.Kind);
        Assert.Equal("uid-3", error.Uid);
        Assert.Contains("uid-3", error.Message);
        Assert.Contains("Message 3 expunged.", error.Message);
    }

    [Fact]
    public void A_lost_connection_says_nothing_was_deleted()
    {
        var error = WithReply("+OK").WhileWorking(new IOException("reset"), "listing messages");

        Assert.Equal(PopShellErrorKind.ConnectionLost, error.Kind);
        Assert.Contains("Nothing was deleted", error.Hint);
    }

    [Fact]
    public void Cancellation_is_reported_as_such()
    {
        Assert.Equal(PopShellErrorKind.Cancelled, WithReply("+OK").WhileWorking(new OperationCanceledException(), "listing messages").Kind);
    }
}
