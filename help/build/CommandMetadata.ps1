# What the compiled cmdlet knows, joined to the prose of its Markdown: syntax, parameter types,
# sets, positions, mandatory, pipeline input, aliases, accepted values ([ValidateSet] or an enum's
# names), wildcard support ([SupportsWildcards]) and, where the code can tell, the default value.
# All of it is read from Get-Command's metadata of the built module, so the help cannot drift from
# the code; the Markdown only describes.
# Dot-sourced by help/Build-Help.ps1, after Markdown.ps1.

# PowerShell's own parameters, which Get-Help adds itself. -WhatIf and -Confirm are not among them:
# a cmdlet that declares them describes them, as platyPS's help does.
$CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters

function Get-HelpTypeName {
    # A DateTime? parameter shows as DateTime, as PowerShell's own syntax shows it.
    param([Parameter(Mandatory)] [type] $Type)
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $underlying.Name } else { $Type.Name }
}

function ConvertTo-HelpBinding {
    # How a parameter binds in one parameter set (a CommandParameterInfo), as MAML's attributes say it.
    param([Parameter(Mandatory)] $Binding)
    $ways = @(if ($Binding.ValueFromPipeline) { 'ByValue' }; if ($Binding.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
    [pscustomobject]@{
        Required      = [bool]$Binding.IsMandatory
        Position      = if ($Binding.Position -lt 0) { 'named' } else { [string]$Binding.Position }
        PipelineInput = if ($ways.Count) { "True ($($ways -join ', '))" } else { 'False' }
    }
}

function Get-CodeDefaultValue {
    <#
        What a new cmdlet object holds for the parameter. Known: the code says it plainly (a switch's
        False, an enum member, a text, a positive number), so the Markdown must not repeat it. Null,
        empty and 0 mean 'nothing given'; a negative number is a stand-in the cmdlet replaces at
        run time (-First -1: all), which the Markdown must put in words.
    #>
    param([Parameter(Mandatory)] $Instance, [Parameter(Mandatory)] $Parameter)
    if ($Parameter.SwitchParameter) { return [pscustomobject]@{ Text = 'False'; Known = $true; StandIn = $false } }
    $property = $Instance.GetType().GetProperty($Parameter.Name)
    $value = if ($property) { $property.GetValue($Instance) }
    $empty = $null -eq $value -or ($value -is [string] -and $value -eq '') -or ($value -is [System.Collections.ICollection] -and $value.Count -eq 0)
    if ($empty) { return [pscustomobject]@{ Text = $null; Known = $false; StandIn = $false } }
    $isNumber = -not ($value -is [enum]) -and [System.Type]::GetTypeCode($value.GetType()) -in 'SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Single', 'Double', 'Decimal'
    $text = [string]$value
    if (-not $isNumber) { return [pscustomobject]@{ Text = $text; Known = $true; StandIn = $false } }
    [pscustomobject]@{ Text = $text; Known = $value -gt 0; StandIn = $value -lt 0 }
}

function Resolve-DefaultValue {
    # The default Get-Help shows: the code's where it can tell, the Markdown's 'Default value:' line where it cannot.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Prose, [Parameter(Mandatory)] $Code)
    if ($Prose.DefaultValue) {
        if ($Code.Known) {
            Stop-HelpBuild $File $Prose.DefaultValue.Line "the cmdlet's default for -$($Prose.Name) is '$($Code.Text)' and the help takes it from there; remove this line"
        }
        return $Prose.DefaultValue.Text
    }
    if ($Code.StandIn) {
        Stop-HelpBuild $File $Prose.Line "-$($Prose.Name)'s default in the code is $($Code.Text), a stand-in for what the cmdlet decides; say what in a last paragraph 'Default value: ...'"
    }
    if ($null -eq $Code.Text) { 'None' } else { $Code.Text }
}

function Get-HelpParameter {
    # One parameter as the MAML writer needs it: the cmdlet's facts and the Markdown's description.
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] $Metadata, [Parameter(Mandatory)] $Prose, [Parameter(Mandatory)] $Instance)
    $type = $Metadata.ParameterType
    $valueType = if ([Nullable]::GetUnderlyingType($type)) { [Nullable]::GetUnderlyingType($type) } else { $type }
    $validateSet = @($Metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] })
    [pscustomobject]@{
        Name           = $Metadata.Name
        Description    = $Prose.Description
        TypeName       = Get-HelpTypeName $type
        IsSwitch       = [bool]$Metadata.SwitchParameter
        VariableLength = $type.IsArray
        Aliases        = @($Metadata.Aliases)
        AcceptedValues = @(if ($validateSet.Count) { $validateSet[0].ValidValues } elseif ($valueType.IsEnum) { [enum]::GetNames($valueType) })
        Globbing       = [bool]@($Metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count
        DefaultValue   = Resolve-DefaultValue -File $File -Prose $Prose -Code (Get-CodeDefaultValue -Instance $Instance -Parameter $Metadata)
        # Filled in below: how it binds in the first set that has it (the default set first).
        Binding        = $null
    }
}

function Get-SyntaxMember {
    # A set's parameters in the order PowerShell's own syntax lines use: positional ones by position,
    # then the mandatory named ones, then the rest, each group in the order the cmdlet declares them.
    param([Parameter(Mandatory)] $Set)
    $members = @($Set.Parameters | Where-Object Name -notin $CommonParameterNames)
    @($members | Where-Object Position -ge 0 | Sort-Object Position) +
    @($members | Where-Object { $_.Position -lt 0 -and $_.IsMandatory }) +
    @($members | Where-Object { $_.Position -lt 0 -and -not $_.IsMandatory })
}

function Join-CommandHelp {
    <#
        The whole help of one cmdlet: the Markdown's prose (Read-CommandProse) with the compiled
        cmdlet's facts (Get-Command). A parameter the cmdlet has and the Markdown does not describe,
        or a description of a parameter the cmdlet lacks, stops the build at the file and line.
    #>
    param([Parameter(Mandatory)] $Prose, [Parameter(Mandatory)] [System.Management.Automation.CmdletInfo] $Command)
    $file = $Prose.File
    $declared = @($Command.Parameters.Values | Where-Object Name -notin $CommonParameterNames)
    $described = @{}
    foreach ($entry in $Prose.Parameters) {
        if ($described.ContainsKey($entry.Name)) { Stop-HelpBuild $file $entry.Line "-$($entry.Name) is described twice" }
        if ($entry.Name -notin $declared.Name) {
            Stop-HelpBuild $file $entry.Line "$($Command.Name) has no parameter -$($entry.Name); remove its description or correct the name (it has: -$($declared.Name -join ', -'))"
        }
        $described[$entry.Name] = $entry
    }
    foreach ($parameter in $declared) {
        if (-not $described.ContainsKey($parameter.Name)) {
            Stop-HelpBuild $file $Prose.ParametersLine "$($Command.Name) has a parameter -$($parameter.Name) that PARAMETERS does not describe; add a '### -$($parameter.Name)' section"
        }
    }

    # A new cmdlet object holds each parameter's default; constructing one runs no command.
    $instance = [System.Activator]::CreateInstance($Command.ImplementingType)
    $parameters = [ordered]@{}
    foreach ($entry in $Prose.Parameters) {
        $parameters[$entry.Name] = Get-HelpParameter -File $file -Metadata $Command.Parameters[$entry.Name] -Prose $entry -Instance $instance
    }

    $sets = @($Command.ParameterSets | Where-Object IsDefault) + @($Command.ParameterSets | Where-Object { -not $_.IsDefault })
    $syntax = foreach ($set in $sets) {
        $members = foreach ($member in Get-SyntaxMember $set) {
            $parameter = $parameters[$member.Name]
            $binding = ConvertTo-HelpBinding $member
            if (-not $parameter.Binding) { $parameter.Binding = $binding }
            [pscustomobject]@{ Parameter = $parameter; Binding = $binding }
        }
        [pscustomobject]@{ Name = $set.Name; Members = @($members) }
    }

    [pscustomobject]@{
        Name         = $Command.Name
        Verb         = $Command.Verb
        Noun         = $Command.Noun
        HelpFile     = $Command.HelpFile
        Synopsis     = $Prose.Synopsis
        Description  = $Prose.Description
        Syntax       = @($syntax)
        Parameters   = @($parameters.Values)
        Inputs       = $Prose.Inputs
        Outputs      = $Prose.Outputs
        Notes        = $Prose.Notes
        Examples     = $Prose.Examples
        RelatedLinks = $Prose.RelatedLinks
    }
}
