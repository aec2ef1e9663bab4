# PopShell against a real server other than Dovecot: Courier 1.0.16, run privately by
# tests/Support/TestCourier.psm1. Courier differs from Dovecot where it matters to an admin: it
# offers UTF8 (RFC 6856) and replaces messages with raw UTF-8 headers by a placeholder for clients
# that do not enable it, it has no mailbox lock, and it offers CRAM-SHA1 and CRAM-SHA256.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $Courier = $env:POPSHELL_TEST_COURIER | ConvertFrom-Json

    # Ordinary and tricky mail, in delivery order. Messages with raw UTF-8 headers (RFC 6532) come
    # before and after others, so a client stopped by the first would miss the rest.
    $utf8Subject = 'Grüße aus Köln ✓'
    $utf8From = 'Jürgen Groß <juergen@example.de>'
    $mail = @(
        New-TestMessageText -From 'alice@example.org' -Subject 'Ordinary' -Body 'An ordinary message.'
        New-TestMessageText -From $utf8From -Subject $utf8Subject -ExtraHeaders 'Content-Transfer-Encoding: 8bit' -Body 'Grüße, é ü ß'
        "From: bob@example.org`r`nSubject: no final newline`r`n`r`nlast line without newline"
        New-TestMessageText -Subject 'dot lines' -Body ".leading dot`n..two dots`n.`nnot the end"
        "From sender@example.org Thu Jan  1 00:00:00 2026`r`n" + (New-TestMessageText -Subject 'leading From line' -Body "From the start of a line`n>From quoted")
        New-TestMessageText -Subject 'large' -Body ((('0123456789' * 10) + "`n") * 3000)
        New-TestMessageText -From 'Zoë Ångström <zoe@example.org>' -Subject 'Ünïcödé after the large one' -Body 'ü'
    )

    function New-DeliveredMailbox {
        # A Courier mailbox holding $mail that no client has opened yet.
        $mailbox = New-TestCourierMailbox -Server $Courier
        $mail | Add-TestMessage -Mailbox $mailbox
        $mailbox
    }

    function Get-CourierRawMessage {
        # The bytes Courier sends for each message to a client that enabled UTF8 (which, on Courier,
        # must come before logging in): an independent raw client, neither PopShell nor MailKit.
        param([Parameter(Mandatory)] $Mailbox, [Parameter(Mandatory)] [int] $Count)
        $login = 'UTF8', "USER $($Mailbox.UserName)", "PASS $($Mailbox.Password)"
        $replies = Invoke-TestPop3Command -Mailbox $Mailbox -NoLogin -Command ($login + (1..$Count | ForEach-Object { "RETR $_" }))
        foreach ($reply in $replies) {
            if ($reply.Status -notlike '+OK*') { throw "$($reply.Command) failed: $($reply.Status)" }
        }
        foreach ($reply in $replies | Select-Object -Skip 3) { , $reply.Data }
    }

    # What Courier serves for $mail: read from a mailbox of its own, so that in every other mailbox
    # PopShell's session is the first after delivery.
    $reference = New-DeliveredMailbox
    $expected = @(Get-CourierRawMessage -Mailbox $reference -Count $mail.Count)
    $expectedHashes = @($expected | ForEach-Object { Get-Sha256Hex $_ })
}

Describe 'The private Courier server' {
    It 'serves a placeholder instead of a message with UTF-8 headers to a client that has not sent UTF8' {
        # Why PopShell must send UTF8: without it this is what a client gets for message 2.
        $placeholder = (Invoke-TestPop3Command -Mailbox $reference -Command 'RETR 2').Text
        $placeholder | Should -Match '(?m)^Subject: Cannot display Unicode content\r$'
        $expected[1].Length | Should -BeLessThan $placeholder.Length
        [System.Text.Encoding]::UTF8.GetString($expected[1]) | Should -Match "(?m)^Subject: $utf8Subject\r$"
    }
}

Describe 'Get-Pop3Message on Courier' {
    It 'shows the real From and Subject of messages with raw UTF-8 headers or a leading mbox From line' {
        $mailbox = New-DeliveredMailbox
        $session = Connect-TestMailbox $mailbox
        $messages = @(Get-Pop3Message -Session $session -WarningVariable warnings -WarningAction SilentlyContinue)
        Disconnect-Pop3 -Session $session
        $warnings | Should -BeNullOrEmpty
        $messages | Should -HaveCount $mail.Count
        $messages[4].Subject | Should -Be 'leading From line'
        $messages[1].Subject | Should -Be $utf8Subject
        $messages[1].From | Should -Match 'Jürgen Groß'
        $messages[1].FromAddress | Should -Be 'juergen@example.de'
        $messages[6].Subject | Should -Be 'Ünïcödé after the large one'
        $messages.Subject | Should -Not -Contain 'Cannot display Unicode content'
    }
}

Describe 'Save-Pop3Message on Courier, in the first session after delivery' {
    It 'Eml: every file holds exactly the bytes Courier sends' {
        $mailbox = New-DeliveredMailbox
        $folder = Join-Path $TestDrive 'eml'
        $session = Connect-TestMailbox $mailbox
        $results = @(Save-Pop3Message -Session $session -All -Path $folder)
        Disconnect-Pop3 -Session $session
        $results | Should -HaveCount $mail.Count
        @($results | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.Path)) }) | Should -Be $expectedHashes
        $results.Sha256 | Should -Be $expectedHashes
    }

    It 'Mbox: an mboxrd reader gets back every message with LF line ends' {
        $mailbox = New-DeliveredMailbox
        $mbox = Join-Path $TestDrive 'all.mbox'
        $session = Connect-TestMailbox $mailbox
        $results = @(Save-Pop3Message -Session $session -All -Path $mbox -Format Mbox)
        Disconnect-Pop3 -Session $session
        $results | Should -HaveCount $mail.Count
        @(Read-MboxrdMessage $mbox | ForEach-Object { Get-Sha256Hex $_ }) | Should -Be @($expected | ForEach-Object { Get-Sha256Hex (ConvertTo-LfBytes $_) })
    }

    It 'Maildir: Courier serves back from the saved Maildir exactly what it sent' {
        $mailbox = New-DeliveredMailbox
        $target = New-TestCourierMailbox -Server $Courier
        $session = Connect-TestMailbox $mailbox
        $results = @(Save-Pop3Message -Session $session -All -Path $target.MaildirPath -Format Maildir)
        Disconnect-Pop3 -Session $session
        $results | Should -HaveCount $mail.Count
        $served = @(Get-CourierRawMessage -Mailbox $target -Count $mail.Count)
        # Courier numbers by file name, which PopShell chooses; compare as sets.
        @($served | ForEach-Object { Get-Sha256Hex $_ } | Sort-Object) | Should -Be @($expectedHashes | Sort-Object)
    }
}

Describe 'Incremental runs and deletion on Courier' {
    It 'a second -NewOnly run saves nothing' {
        $mailbox = New-DeliveredMailbox
        $folder = Join-Path $TestDrive 'incremental'
        $session = Connect-TestMailbox $mailbox
        $first = @(Save-Pop3Message -Session $session -All -Path $folder -NewOnly)
        Disconnect-Pop3 -Session $session
        $session = Connect-TestMailbox $mailbox
        $second = @(Save-Pop3Message -Session $session -All -Path $folder -NewOnly)
        Disconnect-Pop3 -Session $session

        $first.Skipped | Should -Not -Contain $true
        $second | Should -HaveCount $mail.Count
        $second.Skipped | Should -Not -Contain $false
        Get-ChildItem $folder -Filter *.eml | Should -HaveCount $mail.Count
    }

    It '-NewOnly -Delete, then Disconnect-Pop3, leaves the mailbox empty with every message saved exactly once' {
        $mailbox = New-DeliveredMailbox
        $folder = Join-Path $TestDrive 'move'
        $session = Connect-TestMailbox $mailbox
        $results = @(Save-Pop3Message -Session $session -All -Path $folder -NewOnly -Delete)
        Disconnect-Pop3 -Session $session
        Wait-TestCourierIdle -Server $Courier

        $results.Deleted | Should -Not -Contain $false
        Get-TestServerListing -Mailbox $mailbox | Should -BeNullOrEmpty
        $files = @(Get-ChildItem $folder -Filter *.eml)
        @($files | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.FullName)) } | Sort-Object) | Should -Be @($expectedHashes | Sort-Object)
    }

    It 'Remove-Pop3Message and Disconnect-Pop3 delete exactly the chosen messages' {
        $mailbox = New-DeliveredMailbox
        $before = @(Get-TestServerListing -Mailbox $mailbox)
        $session = Connect-TestMailbox $mailbox
        Remove-Pop3Message -Session $session -Index 2, 5 -Confirm:$false
        Remove-Pop3Message -Session $session -Uid $before[6].Uid -Confirm:$false
        Disconnect-Pop3 -Session $session
        Wait-TestCourierIdle -Server $Courier
        (Get-TestServerListing -Mailbox $mailbox).Uid | Should -Be @($before[0], $before[2], $before[3], $before[5] | ForEach-Object Uid)
    }
}

Describe 'Logging in to Courier' {
    BeforeAll {
        $mailbox = New-TestCourierMailbox -Server $Courier
        New-TestMessageText -Subject 'login' | Add-TestMessage -Mailbox $mailbox
        $capabilities = (Invoke-TestPop3Command -Mailbox $mailbox -NoLogin -Command 'CAPA').Text
        $offered = @(($capabilities -split "`r`n" | Where-Object { $_ -like 'SASL *' }) -split ' ' | Select-Object -Skip 1)
        $speaks = (Get-Command Connect-Pop3).Parameters['AuthenticationMechanism'].Attributes.ValidValues
    }

    It 'offers CRAM-MD5, CRAM-SHA1, CRAM-SHA256, LOGIN and PLAIN, all of which -AuthenticationMechanism accepts' {
        $offered | Sort-Object | Should -Be @('CRAM-MD5', 'CRAM-SHA1', 'CRAM-SHA256', 'LOGIN', 'PLAIN')
        $offered | Where-Object { $_ -notin $speaks } | Should -BeNullOrEmpty
    }

    It 'logs in with <_> over STLS' -ForEach 'PLAIN', 'LOGIN', 'CRAM-MD5', 'CRAM-SHA1', 'CRAM-SHA256', 'USER' {
        $session = Connect-TestMailbox $mailbox -Extra @{ AuthenticationMechanism = $_ }
        $session.AuthenticationMechanism | Should -Be $_
        (Get-Pop3Message -Session $session).Subject | Should -Be 'login'
        Disconnect-Pop3 -Session $session
    }

    It 'picks CRAM-SHA256, the strongest mechanism it offers, by default' {
        $session = Connect-TestMailbox $mailbox
        $session.AuthenticationMechanism | Should -Be 'CRAM-SHA256'
        Disconnect-Pop3 -Session $session
    }

    It 'has no mailbox lock: a second concurrent session logs in and sees the same mail' {
        $first = Connect-TestMailbox $mailbox
        $second = Connect-TestMailbox $mailbox
        try {
            (Get-Pop3Message -Session $second).Uid | Should -Be (Get-Pop3Message -Session $first).Uid
        }
        finally {
            Disconnect-Pop3 -Session $second
            Disconnect-Pop3 -Session $first
        }
    }
}
