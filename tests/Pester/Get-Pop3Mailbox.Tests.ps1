BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $mailbox = New-TestMailbox -Server $TestServer
    1..5 | ForEach-Object { New-TestMessageText -Subject "M$_" -Body ('y' * 100 * $_) } | Add-TestMessage -Mailbox $mailbox
    $truth = Get-TestServerListing -Mailbox $mailbox
}

Describe 'Get-Pop3Mailbox' {
    BeforeAll { $session = Connect-TestMailbox $mailbox }
    AfterAll { Disconnect-Pop3 -Session $session }

    It 'reports the message count and total size the server lists' {
        $info = Get-Pop3Mailbox
        $info.MessageCount | Should -Be 5
        $info.Size | Should -Be ($truth | Measure-Object Size -Sum).Sum
        $info.Session | Should -Be $session
    }

    It 'reports the capabilities and the greeting' {
        $info = Get-Pop3Mailbox -Session $session
        $info.Capabilities | Should -Contain 'UIDL'
        $info.Capabilities | Should -Contain 'TOP'
        $info.Capabilities | Should -Contain 'PIPELINING'
        $info.SupportsUidl | Should -BeTrue
        $info.SupportsTop | Should -BeTrue
        $info.SupportsPipelining | Should -BeTrue
        $info.Greeting | Should -Match '^\+OK'
    }

    It 'takes the session from the pipeline' {
        ($session | Get-Pop3Mailbox).MessageCount | Should -Be 5
    }
}

Describe 'Get-Pop3Mailbox without a session' {
    It 'says to connect first' {
        $session = Connect-TestMailbox $mailbox
        Disconnect-Pop3
        $err = { Get-Pop3Mailbox } | Should -Throw -ErrorId 'NoSession,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-Pop3'
    }

    It 'says a closed session is closed' {
        $session = Connect-TestMailbox $mailbox
        Disconnect-Pop3 -Session $session
        { Get-Pop3Mailbox -Session $session } | Should -Throw -ErrorId 'SessionClosed,*'
    }
}
