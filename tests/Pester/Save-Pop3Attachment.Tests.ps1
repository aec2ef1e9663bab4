BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-MessageWithAttachment([string[]] $FileNames) {
        $parts = foreach ($name in $FileNames) {
            $content = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("content of $name"))
            "--b1`r`nContent-Type: application/octet-stream`r`nContent-Disposition: attachment; filename=`"$name`"`r`nContent-Transfer-Encoding: base64`r`n`r`n$content`r`n"
        }
        "From: a@example.org`r`nSubject: attachments`r`nMIME-Version: 1.0`r`nContent-Type: multipart/mixed; boundary=`"b1`"`r`n`r`n" +
            "--b1`r`nContent-Type: text/plain`r`n`r`nsee attached`r`n" + ($parts -join '') + "--b1--`r`n"
    }

    $mailbox = New-TestMailbox -Server $TestServer
    @(
        (New-MessageWithAttachment '../../evil.txt', 'C:\\Windows\\boot.ini', 'con.txt', "invoice`u{202E}fdp.exe")
        (New-MessageWithAttachment 'report.pdf', 'notes.txt')
        (New-MessageWithAttachment 'report.pdf')
        (New-TestMessageText -Subject 'no attachments')
    ) | Add-TestMessage -Mailbox $mailbox
    $session = Connect-TestMailbox $mailbox
}

AfterAll { Disconnect-Pop3 -Session $session }

Describe 'Save-Pop3Attachment' {
    It 'keeps hostile attachment names inside -Path under safe names' {
        $folder = Join-Path $TestDrive 'hostile'
        $saved = Get-Pop3Message -Index 1 | Save-Pop3Attachment -Path $folder
        $saved | Should -HaveCount 4
        foreach ($file in $saved) {
            Split-Path $file.Path | Should -Be $folder
            Test-Path $file.Path | Should -BeTrue
        }
        ($saved | ForEach-Object { Split-Path $_.Path -Leaf }) | Should -Be @('_.._evil.txt', 'C__Windows_boot.ini', '_con.txt', 'invoicefdp.exe')
        $saved[0].OriginalName | Should -Be '../../evil.txt'
        Get-Content $saved[0].Path -Raw | Should -Be 'content of ../../evil.txt'
        Test-Path (Join-Path $TestDrive '../evil.txt') | Should -BeFalse
        (Get-ChildItem $folder -Force).Name | Should -Not -Contain '.popshell-*'
    }

    It 'gives a second file of the same name a suffix instead of overwriting' {
        $folder = Join-Path $TestDrive 'collide'
        $saved = Get-Pop3Message -Index 2, 3 | Save-Pop3Attachment -Path $folder -Filter '*.pdf'
        ($saved | ForEach-Object { Split-Path $_.Path -Leaf }) | Should -Be @('report.pdf', 'report (2).pdf')
        $saved | ForEach-Object { $_.Size | Should -Be ([System.Text.Encoding]::UTF8.GetByteCount('content of report.pdf')) }
    }

    It 'filters by name and writes nothing for a message without attachments' {
        $folder = Join-Path $TestDrive 'filtered'
        $saved = Get-Pop3Message -Index 2, 4 | Save-Pop3Attachment -Path $folder -Filter '*.TXT'
        ($saved | ForEach-Object { Split-Path $_.Path -Leaf }) | Should -Be @('notes.txt')
        $saved.Uid | Should -Be (Get-Pop3Message -Index 2).Uid
    }
}

Describe 'Save-Pop3Attachment on a message that is not MIME (issue 14, point 4)' {
    It 'reports MessageNotParsed for that message only, as a parser error naming its UID, and goes on' {
        $broken = New-TestMailbox -Server $TestServer
        @(
            "not a header line`r`n`r`nbody`r`n"
            (New-MessageWithAttachment 'after.txt')
        ) | Add-TestMessage -Mailbox $broken
        $truth = Get-TestServerListing -Mailbox $broken
        $brokenSession = Connect-TestMailbox $broken
        try {
            $saved = Get-Pop3Message -Session $brokenSession -WarningAction SilentlyContinue |
                Save-Pop3Attachment -Path (Join-Path $TestDrive 'not-mime') -ErrorVariable errors -ErrorAction SilentlyContinue
        }
        finally {
            Disconnect-Pop3 -Session $brokenSession
        }
        $saved.OriginalName | Should -Be 'after.txt'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'MessageNotParsed,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ParserError'
        $errors[0].TargetObject | Should -Be $truth[0].Uid
    }
}
