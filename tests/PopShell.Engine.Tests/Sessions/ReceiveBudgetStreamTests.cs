using PopShell.Engine.Sessions;
using Xunit;

namespace PopShell.Engine.Tests.Sessions;

public class ReceiveBudgetStreamTests
{
    [Fact]
    public void Reads_within_the_budget_and_fails_past_it()
    {
        using var stream = new ReceiveBudgetStream(new MemoryStream(new byte[100]));
        var buffer = new byte[40];
        stream.SetBudget(50);

        Assert.Equal(40, stream.Read(buffer, 0, 40));
        var error = Assert.Throws<IOException>(() => stream.Read(buffer, 0, 40));

        Assert.Contains("50 bytes", error.Message);
        Assert.Equal(50, stream.ExceededBudget);
    }

    [Fact]
    public void Each_operation_gets_a_fresh_budget()
    {
        using var stream = new ReceiveBudgetStream(new MemoryStream(new byte[100]));
        var buffer = new byte[40];

        stream.SetBudget(40);
        Assert.Equal(40, stream.Read(buffer, 0, 40));
        stream.SetBudget(40);
        Assert.Equal(40, stream.Read(buffer, 0, 40));
        Assert.Equal(0, stream.ExceededBudget);
    }
}
