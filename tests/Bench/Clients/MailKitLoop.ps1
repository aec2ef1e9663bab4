<#
    Benchmark client (d): the naive MailKit loop that existing PowerShell mail modules use:
    GetMessage(i) parses each message, then WriteTo(file) serializes it again.
    The user name and password come from BENCH_USER and BENCH_PASS.
#>
param(
    [Parameter(Mandatory)] [string] $DependencyPath,
    [Parameter(Mandatory)] [int] $Port,
    [Parameter(Mandatory)] [string] $Thumbprint,
    [Parameter(Mandatory)] [string] $OutDir
)
$ErrorActionPreference = 'Stop'
foreach ($name in 'BouncyCastle.Cryptography.dll', 'MimeKit.dll', 'MailKit.dll') {
    Add-Type -Path (Join-Path $DependencyPath $name)
}
$null = New-Item -ItemType Directory -Path $OutDir -Force
$client = [MailKit.Net.Pop3.Pop3Client]::new()
# Called synchronously by Connect (on this thread), so a script block works.
$client.ServerCertificateValidationCallback = {
    param($sender, $certificate, $chain, $errors)
    $certificate.GetCertHashString([System.Security.Cryptography.HashAlgorithmName]::SHA256) -eq $Thumbprint
}
$client.Connect('127.0.0.1', $Port, [MailKit.Security.SecureSocketOptions]::SslOnConnect)
try {
    $client.Authenticate($env:BENCH_USER, $env:BENCH_PASS)
    $count = $client.Count
    for ($i = 0; $i -lt $count; $i++) {
        $message = $client.GetMessage($i)
        $message.WriteTo((Join-Path $OutDir "$($i + 1).eml"))
        $message.Dispose()
    }
    "saved $count"
}
finally { $client.Disconnect($true); $client.Dispose() }
