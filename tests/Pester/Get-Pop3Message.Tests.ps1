BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # 2,000 messages with known senders, recipients, dates, subjects and sizes.
    $start = [DateTimeOffset]::new(2026, 1, 1, 0, 0, 0, [TimeSpan]::Zero)
    $big = New-TestMailbox -Server $TestServer
    $spec = foreach ($i in 1..2000) {
        [pscustomobject]@{
            Index   = $i
            From    = "sender$($i % 7)@example.org"
            To      = "to$($i % 3)@example.net"
            Cc      = if ($i % 10 -eq 0) { 'auditor@example.com' } else { $null }
            Date    = $start.AddHours($i)
            Subject = "Message $i"
            Body    = ('x' * (($i % 50) * 100)) + "`r`n"
        }
    }
    $spec | ForEach-Object {
        $extra = if ($_.Cc) { @{ Cc = $_.Cc } } else { @{} }
        New-TestMessageText -From $_.From -To $_.To -Date $_.Date -Subject $_.Subject -Body $_.Body @extra
    } | Add-TestMessage -Mailbox $big
    $truth = Get-TestServerListing -Mailbox $big
    $bigSession = Connect-TestMailbox $big
    $all = Get-Pop3Message -Session $bigSession
}

AfterAll {
    Disconnect-Pop3 -Session $bigSession
}

Describe 'Get-Pop3Message on a mailbox of 2,000 messages' {
    It 'returns 2,000 objects with the UIDs and sizes the server lists' {
        $all | Should -HaveCount 2000
        ($all | ForEach-Object { '{0} {1} {2}' -f $_.Index, $_.Uid, $_.Size }) -join "`n" |
            Should -Be (($truth | ForEach-Object { '{0} {1} {2}' -f $_.Number, $_.Uid, $_.Size }) -join "`n")
    }

    It 'reads each message''s subject, sender, recipients and date' {
        ($all | ForEach-Object Subject) -join ',' | Should -Be (($spec | ForEach-Object Subject) -join ',')
        $all[41].From | Should -Be $spec[41].From
        $all[41].To | Should -Be @($spec[41].To)
        $all[9].Cc | Should -Be @('auditor@example.com')
        $all[41].Date | Should -Be $spec[41].Date
        $all[41].Session | Should -Be $bigSession
        $all[41].Headers['subject'] | Should -Be 'Message 42'
    }

    It 'filters by sender with case-insensitive wildcards' {
        $found = Get-Pop3Message -Session $bigSession -From 'SENDER3@*'
        ($found | ForEach-Object Index) | Should -Be ($spec | Where-Object { $_.Index % 7 -eq 3 } | ForEach-Object Index)
    }

    It 'filters by recipient in To and Cc' {
        (Get-Pop3Message -Session $bigSession -To 'to1@*' | ForEach-Object Index) | Should -Be ($spec | Where-Object { $_.Index % 3 -eq 1 } | ForEach-Object Index)
        (Get-Pop3Message -Session $bigSession -To 'auditor@example.com' | ForEach-Object Index) | Should -Be ($spec | Where-Object { $_.Index % 10 -eq 0 } | ForEach-Object Index)
    }

    It 'filters by subject with wildcards' {
        (Get-Pop3Message -Session $bigSession -Subject 'message 1?' | ForEach-Object Index) | Should -Be (10..19)
    }

    It 'filters by date with -Before and -After' {
        $before = $start.AddHours(5).AddMinutes(30).LocalDateTime
        (Get-Pop3Message -Session $bigSession -Before $before | ForEach-Object Index) | Should -Be (1..5)
        $after = $start.AddHours(1995).AddMinutes(30).LocalDateTime
        (Get-Pop3Message -Session $bigSession -After $after | ForEach-Object Index) | Should -Be (1996..2000)
    }

    It 'filters by size with -MinSize and -MaxSize, inclusive' {
        $min = ($truth | Sort-Object Size)[1000].Size
        $expected = $truth | Where-Object { $_.Size -ge $min -and $_.Size -le $min + 300 } | ForEach-Object Number
        (Get-Pop3Message -Session $bigSession -MinSize $min -MaxSize ($min + 300) | ForEach-Object Index) | Should -Be $expected
    }

    It 'returns -First and -Skip of the matching messages' {
        (Get-Pop3Message -Session $bigSession -First 5 | ForEach-Object Index) | Should -Be (1..5)
        (Get-Pop3Message -Session $bigSession -Skip 1995 | ForEach-Object Index) | Should -Be (1996..2000)
        (Get-Pop3Message -Session $bigSession -From 'sender2@*' -Skip 1 -First 3 | ForEach-Object Index) | Should -Be (9, 16, 23)
    }

    It 'selects by index in the order given' {
        (Get-Pop3Message -Session $bigSession -Index 5, 3, 2000 | ForEach-Object Subject) | Should -Be ('Message 5', 'Message 3', 'Message 2000')
    }

    It 'selects by UID' {
        $found = Get-Pop3Message -Session $bigSession -Uid $truth[99].Uid, $truth[0].Uid
        ($found | ForEach-Object Index) | Should -Be (100, 1)
    }

    It 'reports an index or UID that is not there as a non-terminating error and goes on' {
        $found = Get-Pop3Message -Session $bigSession -Index 7, 2001 -ErrorVariable errors -ErrorAction SilentlyContinue
        ($found | ForEach-Object Index) | Should -Be 7
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^MessageNotFound'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -Match '2001'

        $null = Get-Pop3Message -Session $bigSession -Uid 'no-such-uid' -ErrorVariable uidErrors -ErrorAction SilentlyContinue
        $uidErrors[0].Exception.Message | Should -Match 'no-such-uid'
    }

    It 'streams batch by batch: stopping after the first object reads far fewer headers than the mailbox holds' {
        $log = Join-Path $TestDrive 'streaming.log'
        $logged = Connect-TestMailbox $big -Extra @{ ProtocolLogPath = $log }
        try {
            $first = Get-Pop3Message -Session $logged | Select-Object -First 1
        }
        finally {
            Disconnect-Pop3 -Session $logged
        }
        $first.Index | Should -Be 1
        $tops = (Select-String -Path $log -Pattern '^C: TOP ' -AllMatches).Count
        $tops | Should -BeGreaterThan 0
        $tops | Should -BeLessThan 1000
    }
}

Describe 'Get-Pop3Message with several sessions and odd mailboxes' {
    BeforeAll {
        $a = New-TestMailbox -Server $TestServer
        $b = New-TestMailbox -Server $TestServer
        1..3 | ForEach-Object { New-TestMessageText -Subject "A$_" } | Add-TestMessage -Mailbox $a
        1..2 | ForEach-Object { New-TestMessageText -Subject "B$_" } | Add-TestMessage -Mailbox $b
        $empty = New-TestMailbox -Server $TestServer
        $sessionA = Connect-TestMailbox $a
        $sessionB = Connect-TestMailbox $b
        $sessionEmpty = Connect-TestMailbox $empty
    }

    AfterAll {
        $sessionA, $sessionB, $sessionEmpty | Disconnect-Pop3
    }

    It 'lists two sessions in one pipeline, each message carrying its own session' {
        $messages = $sessionA, $sessionB | Get-Pop3Message
        ($messages | ForEach-Object Subject) | Should -Be ('A1', 'A2', 'A3', 'B1', 'B2')
        ($messages | Where-Object Subject -like 'B*').Session | Select-Object -Unique | Should -Be $sessionB
        ($messages | Where-Object Subject -like 'A*').Session | Select-Object -Unique | Should -Be $sessionA
    }

    It 'returns nothing, and no error, for an empty mailbox' {
        $messages = Get-Pop3Message -Session $sessionEmpty -ErrorVariable errors
        @($messages) | Should -HaveCount 0
        $errors | Should -HaveCount 0
    }
}

Describe 'Get-Pop3Message header decoding' {
    BeforeAll {
        $odd = New-TestMailbox -Server $TestServer
        @(
            "From: a@example.org`r`nSubject: no date here`r`n`r`nbody`r`n"
            "From: a@example.org`r`nDate: Tue, 03 Mar 2026 09:15:00 -0500`r`n`r`nno subject`r`n"
            (New-TestMessageText -From '=?UTF-8?B?w4lsb2lzZQ==?= <eloise@example.fr>' -Subject '=?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YAh?=')
            (New-TestMessageText -Subject '=?ISO-8859-1?Q?R=E9union_d=27=E9quipe?=')
            (New-TestMessageText -Subject '=?KOI8-R?B?8NLJ18XU?=')
            (New-TestMessageText -Subject '=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=')
            (New-TestMessageText -Subject '=?windows-1252?Q?Caf=E9_=80?=')
            (New-TestMessageText -From 'Jürgen Groß <jurgen@example.de>' -Subject 'Grüße aus München')
        ) | Add-TestMessage -Mailbox $odd
        $session = Connect-TestMailbox $odd
        $messages = Get-Pop3Message -Session $session
    }

    AfterAll { Disconnect-Pop3 -Session $session }

    It 'gives a message without Date a null Date' {
        $messages[0].Date | Should -BeNullOrEmpty
        $messages[0].Subject | Should -Be 'no date here'
    }

    It 'gives a message without Subject a null Subject, and still reads its date' {
        $messages[1].Subject | Should -BeNullOrEmpty
        $messages[1].Date | Should -Be ([DateTimeOffset]::new(2026, 3, 3, 9, 15, 0, [TimeSpan]::FromHours(-5)))
    }

    It 'decodes encoded-word subjects and names in several charsets' {
        $messages[2].Subject | Should -BeExactly 'Привет, мир!'
        $messages[2].From | Should -BeExactly 'Éloise <eloise@example.fr>'
        $messages[3].Subject | Should -BeExactly "Réunion d'équipe"
        $messages[4].Subject | Should -BeExactly 'Привет'
        $messages[5].Subject | Should -BeExactly 'こんにちは'
        $messages[6].Subject | Should -BeExactly 'Café €'
    }

    It 'reads raw UTF-8 headers' {
        $messages[7].From | Should -BeExactly 'Jürgen Groß <jurgen@example.de>'
        $messages[7].Subject | Should -BeExactly 'Grüße aus München'
    }

    It 'a message without Date never matches a date filter' {
        (Get-Pop3Message -Session $session -Before ([datetime]::MaxValue.AddDays(-2)) | ForEach-Object Index) | Should -Not -Contain 1
    }
}

Describe 'Get-Pop3Message -IncludeBody' {
    BeforeAll {
        $withParts = New-TestMailbox -Server $TestServer
        $multipart = @(
            'From: a@example.org', 'Subject: with attachment', 'MIME-Version: 1.0',
            'Content-Type: multipart/mixed; boundary="b1"', '',
            '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Hello there.', '',
            '--b1', 'Content-Type: application/octet-stream', 'Content-Disposition: attachment; filename="data.bin"',
            'Content-Transfer-Encoding: base64', '', [Convert]::ToBase64String([byte[]](1..100)), '',
            '--b1--', ''
        ) -join "`r`n"
        Add-TestMessage -Mailbox $withParts -Raw $multipart
        $session = Connect-TestMailbox $withParts
    }

    AfterAll { Disconnect-Pop3 -Session $session }

    It 'fills Body and Attachments' {
        $message = Get-Pop3Message -Session $session -IncludeBody
        $message.Body.Trim() | Should -Be 'Hello there.'
        $message.Attachments | Should -HaveCount 1
        $message.Attachments[0].FileName | Should -Be 'data.bin'
        $message.Attachments[0].Size | Should -Be 100
    }

    It 'leaves them empty without the switch' {
        $message = Get-Pop3Message -Session $session
        $message.Body | Should -BeNullOrEmpty
        $message.Attachments | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion' {
    It 'completes -Uid and -Index from the current session''s listing' {
        $mailbox = New-TestMailbox -Server $TestServer
        1..3 | ForEach-Object { New-TestMessageText -Subject "C$_" } | Add-TestMessage -Mailbox $mailbox
        $truth = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        try {
            $null = Get-Pop3Message -First 1
            $line = "Get-Pop3Message -Uid $($truth[1].Uid.Substring(0, 6))"
            $uids = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText
            $uids | Should -Contain $truth[1].Uid
            $line = 'Remove-Pop3Message -Index '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText | Should -Be @('1', '2', '3')
        }
        finally {
            Disconnect-Pop3 -Session $session
        }
    }

    It 'completes -Format and -Security with their names' {
        $line = 'Save-Pop3Message -All -Path x -Format M'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText | Should -Be @('Maildir', 'Mbox')
        $line = 'Connect-Pop3 x -Security S'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText | Should -Be @('StartTls')
    }
}

Describe 'Get-Pop3Message filters that mean what they say (issue 14, point 1)' {
    BeforeAll {
        $spam = New-TestMailbox -Server $TestServer
        # Every subject holds an S, a P, an A or an M; only two hold the text '[SPAM]'.
        $subjects = '[SPAM] Cheap watches', 'Meeting at 5 PM', 'Sample pack', 'Re: [SPAM] Your invoice', 'Map of the campus',
        'Spam filter settings', 'SPAM without brackets', 'Parking'
        $headers = @{
            0 = 'X-Spam-Flag: YES', 'List-Id: Offers <offers.lists.example.com>'
            3 = 'X-Spam-Flag: YES'
            5 = 'X-Spam-Flag: NO', 'List-Id: IT news <it.lists.example.org>'
        }
        $subjects | ForEach-Object -Begin { $i = 0 } -Process {
            $extra = if ($headers.Contains($i)) { @{ ExtraHeaders = $headers[$i] } } else { @{} }
            New-TestMessageText -From "sender$i@example.org" -To "rcpt$i@example.net" -Subject $_ @extra
            $i++
        } | Add-TestMessage -Mailbox $spam
        $session = Connect-TestMailbox $spam
    }

    AfterAll { Disconnect-Pop3 -Session $session -Discard }

    It '-SubjectContains ''[SPAM]'' selects exactly the subjects that contain [SPAM]' {
        (Get-Pop3Message -SubjectContains '[SPAM]').Subject | Should -Be @('[SPAM] Cheap watches', 'Re: [SPAM] Your invoice')
    }

    It 'piped to Remove-Pop3Message -WhatIf, proposes exactly those two' {
        $transcript = Join-Path $TestDrive 'spam-whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        Get-Pop3Message -SubjectContains '[SPAM]' | Remove-Pop3Message -WhatIf
        Stop-Transcript | Out-Null
        @(Select-String -Path $transcript -Pattern '^What if:').Count | Should -Be 2
        (Get-Pop3Mailbox).PendingDeletions | Should -Be 0
    }

    It '-Subject keeps PowerShell wildcards, where brackets are a character set, and an escaped pattern is literal' {
        # What a new user typed: a wildcard character set, as the help warns.
        @(Get-Pop3Message -Subject '*[SPAM]*').Count | Should -BeGreaterThan 2
        $escaped = '*' + [WildcardPattern]::Escape('[SPAM]') + '*'
        (Get-Pop3Message -Subject $escaped).Subject | Should -Be @('[SPAM] Cheap watches', 'Re: [SPAM] Your invoice')
    }

    It 'takes several values per filter, any of which may match' {
        (Get-Pop3Message -From 'sender1@*', 'sender4@example.org').Subject | Should -Be @('Meeting at 5 PM', 'Map of the campus')
        (Get-Pop3Message -SubjectContains 'pack', 'park').Subject | Should -Be @('Sample pack', 'Parking')
        (Get-Pop3Message -ToContains 'rcpt2@', 'rcpt7@').Subject | Should -Be @('Sample pack', 'Parking')
        (Get-Pop3Message -FromContains 'sender6@').Subject | Should -Be 'SPAM without brackets'
    }

    It 'needs every filter to match when several are given' {
        (Get-Pop3Message -SubjectContains 'spam' -From 'sender3@*').Subject | Should -Be 'Re: [SPAM] Your invoice'
    }

    It '-Header selects on any header field, any value matching, every field required' {
        (Get-Pop3Message -Header @{ 'X-Spam-Flag' = 'YES' }).Subject | Should -Be @('[SPAM] Cheap watches', 'Re: [SPAM] Your invoice')
        (Get-Pop3Message -Header @{ 'x-spam-flag' = 'yes', 'no' }).Subject | Should -Be @('[SPAM] Cheap watches', 'Re: [SPAM] Your invoice', 'Spam filter settings')
        (Get-Pop3Message -Header @{ 'List-Id' = '*<it.lists.example.org>' }).Subject | Should -Be 'Spam filter settings'
        (Get-Pop3Message -Header @{ 'X-Spam-Flag' = 'YES'; 'List-Id' = '*offers*' }).Subject | Should -Be '[SPAM] Cheap watches'
        @(Get-Pop3Message -Header @{ 'X-Not-There' = '*' }) | Should -HaveCount 0
    }

    It '-HeaderMatch takes regular expressions, for what wildcards cannot say' {
        (Get-Pop3Message -HeaderMatch @{ Subject = '^\[SPAM\]' }).Subject | Should -Be '[SPAM] Cheap watches'
        (Get-Pop3Message -HeaderMatch @{ Subject = '^(Map|Parking)\b' }).Subject | Should -Be @('Map of the campus', 'Parking')
    }

    It 'an invalid regular expression is an InvalidFilter error that names it' {
        $err = { Get-Pop3Message -HeaderMatch @{ Subject = '([' } } | Should -Throw -ErrorId 'InvalidFilter,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match ([regex]::Escape("'(['"))
    }
}

Describe 'Get-Pop3Message binds by property name (issue 14, points 2 and 8)' {
    BeforeAll {
        $mailbox = New-TestMailbox -Server $TestServer
        1..6 | ForEach-Object { New-TestMessageText -Subject "P$_" } | Add-TestMessage -Mailbox $mailbox
        $truth = Get-TestServerListing -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
    }

    AfterAll { Disconnect-Pop3 -Session $session -Discard }

    It 'takes Uid from pscustomobjects and CSV rows' {
        ([pscustomobject]@{ Uid = $truth[2].Uid } | Get-Pop3Message).Subject | Should -Be 'P3'
        $csv = Join-Path $TestDrive 'uids.csv'
        $truth[4], $truth[0] | Select-Object Uid | Export-Csv $csv
        (Import-Csv $csv | Get-Pop3Message).Subject | Should -Be @('P5', 'P1')
    }

    It 'takes Uid and Session from messages, and a session''s text ("user@server:port") from a CSV row' {
        (Get-Pop3Message -Index 2 | Get-Pop3Message).Subject | Should -Be 'P2'
        $row = [pscustomobject]@{ Session = "$session"; Uid = $truth[5].Uid }
        ($row | Get-Pop3Message).Session | Should -Be $session
    }

    It 'reports a UID that is not there for that row only, and goes on' {
        $rows = [pscustomobject]@{ Uid = 'no-such-uid' }, [pscustomobject]@{ Uid = $truth[1].Uid }
        $found = $rows | Get-Pop3Message -ErrorVariable errors -ErrorAction SilentlyContinue
        $found.Subject | Should -Be 'P2'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MessageNotFound,*'
        $errors[0].TargetObject | Should -Be 'no-such-uid'
    }

    It 'binds a number given by position to -Index, not to -Session' {
        (Get-Pop3Message 4).Subject | Should -Be 'P4'
        ($session | Get-Pop3Message 5).Subject | Should -Be 'P5'
        @(Get-Pop3Message $session).Count | Should -Be 6
    }
}

Describe 'Pop3Message objects export (issue 14, point 7)' {
    It 'Export-Csv writes recipients and headers as text, not type names' {
        $mailbox = New-TestMailbox -Server $TestServer
        New-TestMessageText -To 'a@example.net, Bob <b@example.net>' -Cc 'c@example.com' -Subject 'export me' | Add-TestMessage -Mailbox $mailbox
        $session = Connect-TestMailbox $mailbox
        try {
            $message = Get-Pop3Message
            $csv = Join-Path $TestDrive 'messages.csv'
            $message | Export-Csv $csv
            $row = Import-Csv $csv
            $row.To | Should -Be 'a@example.net, Bob <b@example.net>'
            $row.Cc | Should -Be 'c@example.com'
            $row.Headers | Should -Match '(?m)^Subject: export me$'
            $row.Headers | Should -Not -Match 'PopShell\.Pop3HeaderCollection'
            # Still a list in the shell.
            $message.To | Should -HaveCount 2
            $message.To[1] | Should -Be 'Bob <b@example.net>'
            $message.To -contains 'a@example.net' | Should -BeTrue
        }
        finally {
            Disconnect-Pop3 -Session $session
        }
    }
}
