BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Disconnect-Pop3' {
    BeforeEach {
        $mailbox = New-TestMailbox -Server $TestServer
        1..4 | ForEach-Object { New-TestMessageText -Subject "M$_" } | Add-TestMessage -Mailbox $mailbox
    }

    It 'closes the session and clears the default' {
        $session = Connect-TestMailbox $mailbox
        Disconnect-Pop3
        $session.IsConnected | Should -BeFalse
        { Get-Pop3Mailbox } | Should -Throw -ErrorId 'NoSession,*'
    }

    It 'is harmless on a session that is already closed' {
        $session = Connect-TestMailbox $mailbox
        Disconnect-Pop3 -Session $session
        { Disconnect-Pop3 -Session $session } | Should -Not -Throw
    }

    It 'commits deletions with QUIT' {
        $session = Connect-TestMailbox $mailbox
        $null = Get-Pop3Message -Index 1, 2 | Save-Pop3Message -Path (Join-Path $TestDrive 'commit') -Delete
        Disconnect-Pop3 6>&1 | Out-String | Should -Match 'Deleted 2 message\(s\)'
        (Get-TestServerListing -Mailbox $mailbox).Count | Should -Be 2
    }

    It 'keeps every message with -Discard' {
        $session = Connect-TestMailbox $mailbox
        $null = Get-Pop3Message | Save-Pop3Message -Path (Join-Path $TestDrive 'discard') -Delete
        Disconnect-Pop3 -Discard 6>&1 | Out-String | Should -Match 'Kept 4 message\(s\)'
        (Get-TestServerListing -Mailbox $mailbox).Count | Should -Be 4
    }
}

Describe 'Get-Pop3Session' {
    It 'lists the open sessions of this runspace and which one is current' {
        $a = New-TestMailbox -Server $TestServer
        $b = New-TestMailbox -Server $TestServer
        $before = @(Get-Pop3Session).Count
        $sessionA = Connect-TestMailbox $a
        $sessionB = Connect-TestMailbox $b
        @(Get-Pop3Session).Count | Should -Be ($before + 2)
        Get-Pop3Session -Current | Should -Be $sessionB
        Disconnect-Pop3 -Session $sessionB
        @(Get-Pop3Session) | Should -Not -Contain $sessionB
        Get-Pop3Session -Current | Should -BeNullOrEmpty
        Disconnect-Pop3 -Session $sessionA
        @(Get-Pop3Session).Count | Should -Be $before
    }
}
