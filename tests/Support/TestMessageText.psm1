<#
    Test mail as text: a small, valid MIME message with the headers and body a test asks for.
#>

Set-StrictMode -Version 3.0
# Every failure inside this module is a broken test environment: stop at the first one.
$ErrorActionPreference = 'Stop'

function New-TestMessageText {
    <#
    .SYNOPSIS
        Builds a simple RFC 5322 message as a string with CRLF line endings.

    .DESCRIPTION
        Header order: Date, From, To, Cc, Subject, Message-ID, MIME-Version,
        Content-Type (text/plain; charset=utf-8), then -ExtraHeaders as given, a blank line and
        the body. Values are written verbatim: pass RFC 2047 encoded-words yourself where wanted.
        A header whose value is empty is left out (Cc by default). The body's line endings
        become CRLF and it ends with CRLF.

    .PARAMETER Date
        Default: now. Written as 'ddd, dd MMM yyyy HH:mm:ss +hhmm' in the invariant culture.

    .PARAMETER MessageId
        Default: a new unique '<guid@popshell.test>'.

    .PARAMETER ExtraHeaders
        Whole header lines, e.g. 'X-Priority: 1', written after Content-Type.

    .PARAMETER NoDate
        Leave out the Date header.

    .PARAMETER NoSubject
        Leave out the Subject header.

    .EXAMPLE
        New-TestMessageText -Subject '=?utf-8?B?w6TDtsO8?=' -Body "Line 1`nLine 2"
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string] $From = 'PopShell Sender <sender@popshell.test>',
        [string] $To = 'PopShell Recipient <recipient@popshell.test>',
        [string] $Cc,
        [string] $Subject = 'PopShell test message',
        [DateTimeOffset] $Date = [DateTimeOffset]::Now,
        [string] $MessageId,
        [AllowEmptyString()] [string] $Body = 'This is a PopShell test message.',
        [string[]] $ExtraHeaders = @(),
        [switch] $NoDate,
        [switch] $NoSubject
    )

    if (-not $MessageId) { $MessageId = "<$([guid]::NewGuid().ToString('N'))@popshell.test>" }
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    # RFC 5322 zone is +hhmm: .NET's 'zzz' gives +hh:mm, so the colon goes.
    $dateText = $Date.ToString('ddd, dd MMM yyyy HH:mm:ss ', $invariant) + $Date.ToString('zzz', $invariant).Replace(':', '')

    $headers = [System.Collections.Generic.List[string]]::new()
    if (-not $NoDate) { $headers.Add("Date: $dateText") }
    if ($From) { $headers.Add("From: $From") }
    if ($To) { $headers.Add("To: $To") }
    if ($Cc) { $headers.Add("Cc: $Cc") }
    if (-not $NoSubject) { $headers.Add("Subject: $Subject") }
    $headers.Add("Message-ID: $MessageId")
    $headers.Add('MIME-Version: 1.0')
    $headers.Add('Content-Type: text/plain; charset=utf-8')
    foreach ($header in $ExtraHeaders) { $headers.Add($header) }

    $bodyText = $Body -replace "`r?`n", "`r`n"
    if ($bodyText -and -not $bodyText.EndsWith("`r`n")) { $bodyText += "`r`n" }

    ($headers -join "`r`n") + "`r`n`r`n" + $bodyText
}

Export-ModuleMember -Function @(
    'New-TestMessageText'
)
