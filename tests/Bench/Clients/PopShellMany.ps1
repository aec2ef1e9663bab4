<#
    Benchmark client for many mailboxes: exports every account of -AccountsPath (a CSV of UserName and
    Password) into -OutDir/<user>, either with one Export-Pop3Mailbox -ThrottleLimit 4 (the default),
    or with -Sequential as a script would without it: Connect-Pop3, Save-Pop3Message -All -NewOnly and
    Disconnect-Pop3 for one account after another. Says "saved N".
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [int] $Port,
    [Parameter(Mandatory)] [string] $Thumbprint,
    [Parameter(Mandatory)] [string] $AccountsPath,
    [Parameter(Mandatory)] [string] $OutDir,
    [int] $ThrottleLimit = 4,
    [switch] $Sequential
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'PopShell.psd1')
$accounts = Import-Csv $AccountsPath | ForEach-Object {
    [pscustomobject]@{
        Server = '127.0.0.1'; Port = $Port; Security = 'Tls'; CertificateThumbprint = $Thumbprint; Path = (Join-Path $OutDir $_.UserName)
        Credential = [pscredential]::new($_.UserName, (ConvertTo-SecureString $_.Password -AsPlainText -Force))
    }
}
if ($Sequential) {
    $saved = 0
    foreach ($account in $accounts) {
        $null = Connect-Pop3 $account.Server -Port $account.Port -Security Tls -Credential $account.Credential -CertificateThumbprint $Thumbprint
        try { $saved += (Save-Pop3Message -All -Path $account.Path -NewOnly | Measure-Object).Count }
        finally { Disconnect-Pop3 }
    }
    "saved $saved"
}
else {
    $results = $accounts | Export-Pop3Mailbox -ThrottleLimit $ThrottleLimit
    if ($results.Status -contains 'Failed') { exit 1 }
    "saved $(($results | Measure-Object Saved -Sum).Sum)"
}
