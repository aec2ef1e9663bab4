BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Another module's MimeKit: same assembly name and version number, another build (4.18.0; PopShell
    # ships 4.18.2). tests/Support/TestTools.csproj restores it beside Pester, in the NuGet package folder.
    $packageFolder = Split-Path (Split-Path (Split-Path (Get-Module Pester).ModuleBase))
    $otherMimeKit = Join-Path $packageFolder 'mimekit/4.18.0/lib/netstandard2.0/MimeKit.dll'
    $dependencyFolder = Join-Path (Split-Path $env:POPSHELL_MODULE_PATH) 'dependencies'
    # Where the load context takes the engine, MailKit and MimeKit from: the ReadyToRun images for this
    # runtime and platform when the module ships them (it does for PowerShell 7.6 on Linux x64; see
    # Module.Tests.ps1), else their IL in dependencies/.
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = "$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture)".ToLowerInvariant()
    $readyToRunFolder = Join-Path $dependencyFolder "ReadyToRun/net$([Environment]::Version.Major).0-$os-$arch"
    $engineFolder = if (Test-Path $readyToRunFolder) { $readyToRunFolder } else { $dependencyFolder }
    $subjects = 'Coexist one', 'Coexist two', 'Coexist three'

    function Invoke-CoexistenceScript {
        # Runs a whole PopShell session in a fresh pwsh, with the other MimeKit loaded before PopShell
        # (-OtherFirst) or after PopShell has parsed mail with its own; returns what the process saw.
        param([Parameter(Mandatory)] $Mailbox, [switch] $OtherFirst)
        $name = if ($OtherFirst) { 'other-first' } else { 'popshell-first' }
        $folder = Join-Path $TestDrive $name
        $reportPath = Join-Path $TestDrive "$name.json"
        $loadOther = "Add-Type -Path '$otherMimeKit'"
        @"
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'
$(if ($OtherFirst) { $loadOther })
Import-Module '$($env:POPSHELL_MODULE_PATH)'
`$cred = [pscredential]::new('$($Mailbox.UserName)', (ConvertTo-SecureString '$($Mailbox.Password)' -AsPlainText -Force))
`$null = Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential `$cred -CertificateThumbprint '$($TestServer.CertificateThumbprint)'
`$listed = @(Get-Pop3Message)
$(if (-not $OtherFirst) { $loadOther })
`$saved = @(`$listed | Save-Pop3Message -Path '$folder')
Disconnect-Pop3
`$moduleBase = (Get-Module PopShell).ModuleBase
[ordered]@{
    Listed = `$listed.Subject
    Saved = @(`$saved | Select-Object Path, Sha256)
    # [MimeKit.MimeMessage] is the other module's: PowerShell resolves type names in the default context only.
    ParsedByOther = @(`$saved | ForEach-Object { [MimeKit.MimeMessage]::Load(`$_.Path).Subject })
    Assemblies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'MimeKit' -or `$_.Location.StartsWith(`$moduleBase) } | ForEach-Object {
        [ordered]@{
            Name = `$_.GetName().Name
            Location = `$_.Location
            Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name
            Version = `$_.GetCustomAttributes([System.Reflection.AssemblyInformationalVersionAttribute], `$false)[0].InformationalVersion
        }
    })
} | ConvertTo-Json -Depth 4 | Set-Content '$reportPath'
"@ | Set-Content (Join-Path $TestDrive "$name.ps1")
        $process = Start-ChildPwsh (Join-Path $TestDrive "$name.ps1") -Wait
        $process.ExitCode | Should -Be 0 -Because (Get-Content (Join-Path $TestDrive "$name.ps1.log.err") -Raw)
        Get-Content $reportPath -Raw | ConvertFrom-Json
    }

    function Get-LoadedAssembly($Report, [string] $Name) {
        @($Report.Assemblies | Where-Object Name -eq $Name)
    }
}

Describe 'PopShell beside another module''s MimeKit in one PowerShell 7 process' {
    Context 'the other MimeKit was loaded first' {
        BeforeAll {
            $mailbox = New-TestMailbox -Server $TestServer
            $subjects | ForEach-Object { New-TestMessageText -Subject $_ } | Add-TestMessage -Mailbox $mailbox
            $raw = @(Get-RawMessage -Mailbox $mailbox -Count $subjects.Count)
            $report = Invoke-CoexistenceScript -Mailbox $mailbox -OtherFirst
        }

        It 'connects, lists and saves every message byte for byte' {
            $report.Listed | Should -Be $subjects
            $report.Saved.Sha256 | Should -Be ($raw | ForEach-Object { Get-Sha256Hex $_ })
            $report.Saved | ForEach-Object { Get-Sha256Hex ([System.IO.File]::ReadAllBytes($_.Path)) } | Should -Be $report.Saved.Sha256
        }

        It 'runs its engine, MailKit and MimeKit from its own folder in its own load context' {
            foreach ($name in 'PopShell.Engine', 'MailKit', 'MimeKit') {
                $own = Get-LoadedAssembly $report $name | Where-Object Context -eq 'PopShell'
                $own | Should -HaveCount 1 -Because "$name must load once, privately"
                $own.Location | Should -Be (Join-Path $engineFolder "$name.dll")
            }
        }

        It 'puts nothing from its dependencies folder into the default context but the load context itself' {
            $shared = $report.Assemblies | Where-Object { $_.Location.StartsWith($dependencyFolder) -and $_.Context -ne 'PopShell' }
            $shared.Name | Should -Be 'PopShell.LoadContext'
        }

        It 'takes System.* assemblies from the platform, not the netstandard polyfills it ships for Windows PowerShell' {
            # PowerShell 7.6 runs on .NET 10, which has each of them in the version MailKit and MimeKit ask for.
            $polyfills = $report.Assemblies | Where-Object { $_.Location.StartsWith($dependencyFolder) -and $_.Name -like 'System.*' }
            $polyfills.Name | Should -BeNullOrEmpty
        }

        It 'leaves the other MimeKit alone in the default context, where it still parses mail' {
            $mimeKits = Get-LoadedAssembly $report 'MimeKit'
            $mimeKits | Should -HaveCount 2
            $other = $mimeKits | Where-Object Context -eq 'Default'
            $other.Location | Should -Be $otherMimeKit
            $other.Version | Should -Not -Be ($mimeKits | Where-Object Context -eq 'PopShell').Version
            $report.ParsedByOther | Should -Be $subjects
        }

        It 'keeps its cmdlet assembly, and so the types users see, in the default context' {
            $cmdlets = Get-LoadedAssembly $report 'PopShell'
            $cmdlets | Should -HaveCount 1
            $cmdlets.Context | Should -Be 'Default'
        }
    }

    Context 'PopShell had parsed mail before the other MimeKit was loaded' {
        BeforeAll {
            $mailbox = New-TestMailbox -Server $TestServer
            $subjects | ForEach-Object { New-TestMessageText -Subject $_ } | Add-TestMessage -Mailbox $mailbox
            $report = Invoke-CoexistenceScript -Mailbox $mailbox
        }

        It 'lets the other module load its MimeKit, and both go on working' {
            $report.Listed | Should -Be $subjects
            $report.Saved | Should -HaveCount $subjects.Count
            $report.ParsedByOther | Should -Be $subjects
            (Get-LoadedAssembly $report 'MimeKit').Context | Sort-Object | Should -Be @('Default', 'PopShell')
        }
    }
}

Describe 'PopShell beside a Mailozaurr that exports Connect-POP3 and friends as aliases (issue 14, point 8)' {
    BeforeAll {
        $mailbox = New-TestMailbox -Server $TestServer
        'M1', 'M2' | ForEach-Object { New-TestMessageText -Subject $_ } | Add-TestMessage -Mailbox $mailbox
        $standIn = Join-Path $PSScriptRoot '../Support/MailozaurrStandIn/Mailozaurr.psm1'
        # A runspace of its own, so the stand-in's aliases never reach the other tests.
        $shell = [powershell]::Create()
        $null = $shell.AddScript(@"
Import-Module '$($env:POPSHELL_MODULE_PATH)'
Import-Module '$standIn'
`$cred = [pscredential]::new('$($mailbox.UserName)', (ConvertTo-SecureString '$($mailbox.Password)' -AsPlainText -Force))
[ordered]@{
    Unqualified = (Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential `$cred).Module
    ResolvesTo  = (Get-Command Connect-Pop3).CommandType.ToString()
    Session     = (PopShell\Connect-Pop3 '$($TestServer.HostName)' -Port $($TestServer.PlainPort) -Credential `$cred -CertificateThumbprint '$($TestServer.CertificateThumbprint)').GetType().FullName
    Subjects    = @(PopShell\Get-Pop3Message | ForEach-Object Subject)
    Qualified   = @('Connect-Pop3', 'Get-Pop3Message', 'Save-Pop3Message', 'Remove-Pop3Message', 'Disconnect-Pop3' | ForEach-Object { (Get-Command "PopShell\`$_").CommandType.ToString() })
}
PopShell\Disconnect-Pop3 -Discard
"@)
        $report = $shell.Invoke()[0]
        $errors = @($shell.Streams.Error)
        $shell.Dispose()
    }

    It 'shows the clash: the unqualified name runs the other module''s alias' {
        $report.ResolvesTo | Should -Be 'Alias'
        $report.Unqualified | Should -Be 'Mailozaurr'
    }

    It 'runs PopShell''s cmdlets under their module-qualified names' {
        $errors | Should -BeNullOrEmpty
        $report.Session | Should -Be 'PopShell.Pop3Session'
        $report.Subjects | Should -Be @('M1', 'M2')
        $report.Qualified | Should -Be @('Cmdlet', 'Cmdlet', 'Cmdlet', 'Cmdlet', 'Cmdlet')
    }
}
