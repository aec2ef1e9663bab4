BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $moduleDir = Split-Path $env:POPSHELL_MODULE_PATH

    function Get-AssemblyIdentity([string] $Path) {
        # Name, version and module version id (MVID, new for every compilation) from the metadata, and
        # whether the file holds ReadyToRun code; without loading it.
        $stream = [System.IO.File]::OpenRead($Path)
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            [pscustomobject]@{
                Name       = $metadata.GetAssemblyDefinition().GetAssemblyName().FullName
                Mvid       = $metadata.GetGuid($metadata.GetModuleDefinition().Mvid)
                ReadyToRun = $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0
            }
        }
        finally { $stream.Dispose() }
    }
}

Describe 'The PopShell module' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest $env:POPSHELL_MODULE_PATH -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly its cmdlets, by name' {
        (Get-Command -Module PopShell | Sort-Object Name).Name | Should -Be @(
            'Connect-Pop3', 'Disconnect-Pop3', 'Export-Pop3Mailbox', 'Get-Pop3Mailbox', 'Get-Pop3Message', 'Get-Pop3Session', 'Remove-Pop3Message', 'Save-Pop3Attachment', 'Save-Pop3Message', 'Set-Pop3Session')
        (Import-PowerShellDataFile $env:POPSHELL_MODULE_PATH).CmdletsToExport | Should -Not -Contain '*'
    }

    It 'ships the manifest and its own assembly at the root and dependencies apart, without PowerShell itself' {
        (Get-ChildItem $moduleDir -File).Name | Sort-Object | Should -Be @('PopShell.dll', 'PopShell.format.ps1xml', 'PopShell.psd1')
        (Get-ChildItem (Join-Path $moduleDir 'dependencies')).Name | Should -Contain 'MailKit.dll'
        (Get-ChildItem (Join-Path $moduleDir 'dependencies')).Name | Should -Contain 'PopShell.LoadContext.dll'
        Get-ChildItem $moduleDir -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'ships ReadyToRun images of the engine, MailKit and MimeKit for PowerShell 7.6 on Linux and Windows x64, each the same assembly as its IL twin' {
        $readyToRun = Join-Path $moduleDir 'dependencies/ReadyToRun'
        (Get-ChildItem $readyToRun -Directory).Name | Sort-Object | Should -Be @('net10.0-linux-x64', 'net10.0-win-x64')
        foreach ($platform in Get-ChildItem $readyToRun -Directory) {
            (Get-ChildItem $platform.FullName -File).Name | Sort-Object | Should -Be @('MailKit.dll', 'MimeKit.dll', 'PopShell.Engine.dll')
            foreach ($image in Get-ChildItem $platform.FullName -File) {
                $twin = Get-AssemblyIdentity (Join-Path $moduleDir "dependencies/$($image.Name)")
                $compiled = Get-AssemblyIdentity $image.FullName
                $compiled.ReadyToRun | Should -BeTrue -Because "$($platform.Name)/$($image.Name) must hold native code"
                $twin.ReadyToRun | Should -BeFalse -Because "dependencies/$($image.Name) is the IL that Windows PowerShell and other runtimes load"
                $compiled.Name | Should -Be $twin.Name
                $compiled.Mvid | Should -Be $twin.Mvid -Because "$($platform.Name)/$($image.Name) must be compiled from the very build in dependencies"
            }
        }
    }

    It 'gives every cmdlet a HelpUri, its page in the repository (issue 14, point 8)' {
        foreach ($command in Get-Command -Module PopShell) {
            $command.HelpUri | Should -Be "https://github.com/popshell/PopShell/blob/main/help/en-US/$($command.Name).md" -Because $command.Name
        }
    }

    It 'has a public error kind for every failure kind of its engine, which is private (issue 14, point 4)' {
        # The engine as the module loads it: the type of a session's (internal) connection.
        $engine = [PopShell.Pop3Session].GetProperty('Connection', [System.Reflection.BindingFlags]'Instance, NonPublic').PropertyType.Assembly
        $engine.GetName().Name | Should -Be 'PopShell.Engine'
        $engineKinds = [Enum]::GetNames($engine.GetType('PopShell.Engine.Errors.PopShellErrorKind', $true))
        $publicKinds = [Enum]::GetNames([PopShell.Pop3ErrorKind])
        $engineKinds | Where-Object { $_ -notin $publicKinds } | Should -BeNullOrEmpty
        [PopShell.Pop3Exception].Assembly.GetName().Name | Should -Be 'PopShell'
        # Scripts can name the public type; the engine's stays out of reach in its load context.
        { [PopShell.Pop3Exception] } | Should -Not -Throw
    }

    It 'declares both editions and PowerShell 5.1' {
        $manifest = Import-PowerShellDataFile $env:POPSHELL_MODULE_PATH
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
    }

    It 'names its project and license pages for the gallery' {
        $psData = (Import-PowerShellDataFile $env:POPSHELL_MODULE_PATH).PrivateData.PSData
        $psData.ProjectUri | Should -Be 'https://github.com/popshell/PopShell'
        $psData.LicenseUri | Should -Not -BeNullOrEmpty
    }

    It 'declares an output type on every cmdlet that writes objects' {
        foreach ($name in 'Connect-Pop3', 'Get-Pop3Mailbox', 'Get-Pop3Message', 'Save-Pop3Message', 'Save-Pop3Attachment') {
            (Get-Command $name).OutputType | Should -Not -BeNullOrEmpty -Because $name
        }
    }

    It 'has a default view for each type it outputs' {
        $viewed = (Get-FormatData -TypeName 'PopShell.*').TypeNames
        foreach ($type in 'Pop3Message', 'Pop3Session', 'Pop3SaveResult', 'Pop3SavedAttachment', 'Pop3MailboxInfo') {
            $viewed | Should -Contain "PopShell.$type"
        }
    }

    It 'keeps default sessions per runspace' {
        $mailbox = New-TestMailbox -Server $TestServer
        $session = Connect-TestMailbox $mailbox
        try {
            $otherRunspace = [powershell]::Create()
            $null = $otherRunspace.AddScript("Import-Module '$($env:POPSHELL_MODULE_PATH)'; try { Get-Pop3Mailbox; 'no error' } catch { `$_.FullyQualifiedErrorId }")
            $result = $otherRunspace.Invoke()
            $otherRunspace.Dispose()
            "$result" | Should -Match '^NoSession'
        }
        finally {
            Disconnect-Pop3 -Session $session
        }
    }
}
