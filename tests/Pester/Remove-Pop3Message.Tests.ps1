BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-FilledMailbox([int] $Count, [string] $Prefix = 'R') {
        $mailbox = New-TestMailbox -Server $TestServer
        1..$Count | ForEach-Object { New-TestMessageText -From "p$($_ % 4)@example.org" -Subject "$Prefix$_" } | Add-TestMessage -Mailbox $mailbox
        $mailbox
    }

    function Get-MailboxFingerprint($Mailbox) {
        # What the server holds, byte for byte: UIDs, sizes and the hash of every message.
        $listing = Get-TestServerListing -Mailbox $Mailbox
        $raw = if ($listing) { @(Get-RawMessage -Mailbox $Mailbox -Count $listing.Count) } else { @() }
        for ($i = 0; $i -lt $listing.Count; $i++) { '{0} {1} {2}' -f $listing[$i].Uid, $listing[$i].Size, (Get-Sha256Hex $raw[$i]) }
    }

    function Assert-QuitDeletes($Mailbox, $Before, [string[]] $Uid) {
        # The session has exactly these UIDs marked; Disconnect-Pop3 (QUIT) deletes them and the
        # server keeps every other message it listed before, in order.
        (Get-Pop3Mailbox).PendingDeletions | Should -Be $Uid.Count
        Disconnect-Pop3
        (Get-TestServerListing -Mailbox $Mailbox).Uid | Should -Be ($Before | Where-Object Uid -notin $Uid).Uid
    }
}

Describe 'Remove-Pop3Message' {
    It '-WhatIf names each message by UID, sender and subject, and leaves the mailbox byte-identical' {
        $mailbox = New-FilledMailbox 6
        $before = Get-MailboxFingerprint $mailbox
        $session = Connect-TestMailbox $mailbox
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        Get-Pop3Message -Subject 'R[12]' | Remove-Pop3Message -WhatIf
        Stop-Transcript | Out-Null
        (Get-Pop3Mailbox).PendingDeletions | Should -Be 0
        Disconnect-Pop3
        $text = Get-Content $transcript -Raw
        $uid = (Get-TestServerListing -Mailbox $mailbox)[0].Uid
        $text | Should -Match "What if: .*UID $uid \(index 1\) from 'p1@example.org', subject 'R1'"
        $text | Should -Match "subject 'R2'"
        $text | Should -Not -Match "subject 'R3'"
        Get-MailboxFingerprint $mailbox | Should -Be $before
    }

    It 'marks piped messages, shows them pending, hides them from later listings, and QUIT deletes exactly them' {
        $mailbox = New-FilledMailbox 12
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $removed = Get-Pop3Message -From 'p1@*' | Remove-Pop3Message -Confirm:$false -PassThru
        ($removed | ForEach-Object Subject) | Should -Be ('R1', 'R5', 'R9')
        (Get-Pop3Message | ForEach-Object Subject) | Should -Not -Contain 'R5'
        Assert-QuitDeletes $mailbox $before $removed.Uid
    }

    It 'removes by -Index and -Uid on a session with -Confirm:$false' {
        $mailbox = New-FilledMailbox 5
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        Remove-Pop3Message -Index 2 -Confirm:$false
        Remove-Pop3Message -Session $session -Uid $before[3].Uid -Confirm:$false
        Assert-QuitDeletes $mailbox $before $before[1].Uid, $before[3].Uid
    }

    It 'keeps everything when the session ends with -Discard' {
        $mailbox = New-FilledMailbox 4
        $session = Connect-TestMailbox $mailbox
        Get-Pop3Message | Remove-Pop3Message -Confirm:$false
        Disconnect-Pop3 -Discard
        Get-TestServerListing -Mailbox $mailbox | Should -HaveCount 4
    }

    It 'resolves objects from an ended session by UID and never deletes the wrong message when another client deleted one meanwhile' {
        $mailbox = New-FilledMailbox 8
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $stale = Get-Pop3Message -Index 3, 4, 6
        Disconnect-Pop3

        # A second client deletes message 3: every message after it moves up one number.
        Invoke-TestPop3Command -Mailbox $mailbox -Command 'DELE 3' | Out-Null

        $session = Connect-TestMailbox $mailbox
        $stale | Remove-Pop3Message -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        Disconnect-Pop3

        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MessageNotFound,*'
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($before[2].Uid))
        $expected = $before | Where-Object { $_.Uid -notin $before[2].Uid, $before[3].Uid, $before[5].Uid }
        (Get-TestServerListing -Mailbox $mailbox).Uid | Should -Be $expected.Uid
    }

    It 'reports an index that is not there and removes nothing for it' {
        $mailbox = New-FilledMailbox 2
        $session = Connect-TestMailbox $mailbox
        Remove-Pop3Message -Index 9 -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        Disconnect-Pop3
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MessageNotFound,*'
        Get-TestServerListing -Mailbox $mailbox | Should -HaveCount 2
    }

    It 'deletes nothing when the process ends before QUIT' {
        $mailbox = New-FilledMailbox 3
        $scriptPath = Join-Path $TestDrive 'remove-no-quit.ps1'
        @"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$cred = [pscredential]::new('$($mailbox.UserName)', (ConvertTo-SecureString '$($mailbox.Password)' -AsPlainText -Force))
`$null = Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential `$cred -CertificateThumbprint '$($TestServer.CertificateThumbprint)'
Get-Pop3Message | Remove-Pop3Message -Confirm:`$false
if ((Get-Pop3Mailbox).PendingDeletions -ne 3) { [Environment]::Exit(2) }
[Environment]::Exit(3)
"@ | Set-Content $scriptPath
        (Start-ChildPwsh $scriptPath -Wait).ExitCode | Should -Be 3
        Get-TestServerListing -Mailbox $mailbox | Should -HaveCount 3
    }
}

Describe 'Remove-Pop3Message binds by property name (issue 14, point 2)' {
    It 'deletes what Save-Pop3Message just saved: $results | Remove-Pop3Message' {
        $mailbox = New-FilledMailbox 6
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $results = Save-Pop3Message -Index 2, 5 -Path (Join-Path $TestDrive 'saved-then-removed')
        $results | Remove-Pop3Message -Confirm:$false
        Assert-QuitDeletes $mailbox $before $results.Uid
    }

    It 'deletes the UIDs of a CSV file in a later session, found by the session text the CSV holds' {
        $mailbox = New-FilledMailbox 5
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $csv = Join-Path $TestDrive 'saved.csv'
        Save-Pop3Message -Index 1, 4 -Path (Join-Path $TestDrive 'csv-export') | Export-Csv $csv
        Disconnect-Pop3

        $session = Connect-TestMailbox $mailbox
        Import-Csv $csv | Remove-Pop3Message -Confirm:$false
        Assert-QuitDeletes $mailbox $before $before[0].Uid, $before[3].Uid
    }

    It 'takes Uid from pscustomobjects, with -WhatIf naming each message by sender and subject' {
        $mailbox = New-FilledMailbox 3
        $before = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        $transcript = Join-Path $TestDrive 'uid-whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        [pscustomobject]@{ Uid = $before[2].Uid } | Remove-Pop3Message -WhatIf
        Stop-Transcript | Out-Null
        (Get-Pop3Mailbox).PendingDeletions | Should -Be 0
        Disconnect-Pop3
        Get-Content $transcript -Raw | Should -Match "What if: .*UID $([regex]::Escape($before[2].Uid)) \(index 3\) from 'p3@example.org', subject 'R3'"
    }

    It 'a row whose session is closed and not open again is an error for that row only' {
        $mailbox = New-FilledMailbox 2
        $other = New-FilledMailbox 2 -Prefix 'O'
        $session = Connect-TestMailbox $mailbox
        $results = @(Save-Pop3Message -Index 1 -Path (Join-Path $TestDrive 'closed-session'))
        Disconnect-Pop3
        $otherSession = Connect-TestMailbox $other
        $results | Remove-Pop3Message -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        (Get-Pop3Mailbox).PendingDeletions | Should -Be 0
        Disconnect-Pop3
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'SessionClosed,*'
        $errors[0].TargetObject | Should -Be $results[0].Uid
    }
}

Describe 'Remove-Pop3Message on 10,000 messages' {
    It 'a filtered retention delete removes exactly the matching UIDs' {
        $mailbox = New-TestMailbox -Server $TestServer
        $start = [DateTimeOffset]::Now.AddDays(-200)
        1..10000 | ForEach-Object { New-TestMessageText -Subject "Bulk $_" -Date $start.AddMinutes(30 * $_) } | Add-TestMessage -Mailbox $mailbox
        $before = Get-TestServerListing -Mailbox $mailbox
        $cutoff = $start.AddMinutes(30 * 6000).AddMinutes(10)

        $session = Connect-TestMailbox $mailbox
        Get-Pop3Message -Before $cutoff.LocalDateTime | Remove-Pop3Message -Confirm:$false
        (Get-Pop3Mailbox).PendingDeletions | Should -Be 6000
        Disconnect-Pop3

        $after = Get-TestServerListing -Mailbox $mailbox
        $after | Should -HaveCount 4000
        ($after.Uid -join ',') | Should -Be (($before | Select-Object -Skip 6000).Uid -join ',')
    }
}
