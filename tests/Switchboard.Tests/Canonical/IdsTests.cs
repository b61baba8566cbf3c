using Switchboard.Canonical;

namespace Switchboard.Tests.Canonical;

public sealed class IdsTests
{
    [Fact]
    public void Message_and_request_ids_carry_their_prefixes()
    {
        Assert.Matches("^msg_[A-Za-z0-9]{24}$", Ids.NewMessageId());
        Assert.Matches("^req_[A-Za-z0-9]{24}$", Ids.NewRequestId());
    }
}
