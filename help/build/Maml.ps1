# Writing MAML (PopShell.dll-Help.xml), the help file Get-Help reads for a binary module's cmdlets,
# from the joined help of Join-CommandHelp (CommandMetadata.ps1).
# Dot-sourced by help/Build-Help.ps1.

$MamlNamespace = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}


function Write-MamlParagraph {
    # <maml:description> (or another container) holding one <maml:para> per paragraph.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [string] $Prefix = 'maml', [string] $Element = 'description', [AllowEmptyCollection()] [string[]] $Paragraph = @())
    $Writer.WriteStartElement($Prefix, $Element, $MamlNamespace[$Prefix])
    foreach ($text in $Paragraph) { $Writer.WriteElementString('maml', 'para', $MamlNamespace.maml, $text) }
    $Writer.WriteEndElement()
}

function Write-MamlType {
    # <dev:type>, as Get-Help reads a parameter's or an input's type.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [Parameter(Mandatory)] [string] $Name)
    $Writer.WriteStartElement('dev', 'type', $MamlNamespace.dev)
    $Writer.WriteElementString('maml', 'name', $MamlNamespace.maml, $Name)
    $Writer.WriteElementString('maml', 'uri', $MamlNamespace.maml, '')
    $Writer.WriteEndElement()
}

function Write-MamlParameter {
    <#
        One <command:parameter>: its binding in one set (in SYNTAX) or in the first set that has it (in
        PARAMETERS). In SYNTAX a switch shows no value and a parameter with accepted values shows them
        as {A | B}; in PARAMETERS every parameter shows its type.
    #>
    param(
        [Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer,
        [Parameter(Mandatory)] $Parameter,
        [Parameter(Mandatory)] $Binding,
        [switch] $InSyntax
    )
    $variableLength = $Parameter.VariableLength.ToString().ToLowerInvariant()
    $Writer.WriteStartElement('command', 'parameter', $MamlNamespace.command)
    $Writer.WriteAttributeString('required', $Binding.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $variableLength)
    $Writer.WriteAttributeString('globbing', $Parameter.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Binding.PipelineInput)
    $Writer.WriteAttributeString('position', $Binding.Position)
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $MamlNamespace.maml, $Parameter.Name)
    Write-MamlParagraph -Writer $Writer -Paragraph $Parameter.Description

    if ($InSyntax -and $Parameter.AcceptedValues.Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $MamlNamespace.command)
        foreach ($value in $Parameter.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $MamlNamespace.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $MamlNamespace.command, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    elseif (-not ($InSyntax -and $Parameter.IsSwitch)) {
        $Writer.WriteStartElement('command', 'parameterValue', $MamlNamespace.command)
        $Writer.WriteAttributeString('required', (-not $Parameter.IsSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', $variableLength)
        $Writer.WriteString($Parameter.TypeName)
        $Writer.WriteEndElement()
    }
    Write-MamlType -Writer $Writer -Name $Parameter.TypeName
    $Writer.WriteElementString('dev', 'defaultValue', $MamlNamespace.dev, $Parameter.DefaultValue)
    $Writer.WriteEndElement()
}

function Write-MamlTypeList {
    # <command:inputTypes> or <command:returnValues>: a type and what it is, per entry.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [Parameter(Mandatory)] [string] $List, [Parameter(Mandatory)] [string] $Item, [Parameter(Mandatory)] [object[]] $Types)
    $Writer.WriteStartElement('command', $List, $MamlNamespace.command)
    foreach ($type in $Types) {
        $Writer.WriteStartElement('command', $Item, $MamlNamespace.command)
        Write-MamlType -Writer $Writer -Name $type.Name
        Write-MamlParagraph -Writer $Writer -Paragraph $type.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlCommand {
    # One <command:command>, its parts in the order Get-Help and platyPS use.
    param([Parameter(Mandatory)] [System.Xml.XmlWriter] $Writer, [Parameter(Mandatory)] $Command)
    $Writer.WriteStartElement('command', 'command', $MamlNamespace.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $Writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $MamlNamespace[$prefix])
    }

    $Writer.WriteStartElement('command', 'details', $MamlNamespace.command)
    $Writer.WriteElementString('command', 'name', $MamlNamespace.command, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $MamlNamespace.command, $Command.Verb)
    $Writer.WriteElementString('command', 'noun', $MamlNamespace.command, $Command.Noun)
    Write-MamlParagraph -Writer $Writer -Paragraph $Command.Synopsis
    $Writer.WriteEndElement()

    Write-MamlParagraph -Writer $Writer -Paragraph $Command.Description

    $Writer.WriteStartElement('command', 'syntax', $MamlNamespace.command)
    foreach ($set in $Command.Syntax) {
        $Writer.WriteStartElement('command', 'syntaxItem', $MamlNamespace.command)
        $Writer.WriteElementString('maml', 'name', $MamlNamespace.maml, $Command.Name)
        foreach ($member in $set.Members) { Write-MamlParameter -Writer $Writer -Parameter $member.Parameter -Binding $member.Binding -InSyntax }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # One entry per parameter, in the Markdown's order; where its binding differs by set, the syntax
    # above shows each set exactly.
    $Writer.WriteStartElement('command', 'parameters', $MamlNamespace.command)
    foreach ($parameter in $Command.Parameters) { Write-MamlParameter -Writer $Writer -Parameter $parameter -Binding $parameter.Binding }
    $Writer.WriteEndElement()

    Write-MamlTypeList -Writer $Writer -List 'inputTypes' -Item 'inputType' -Types $Command.Inputs
    Write-MamlTypeList -Writer $Writer -List 'returnValues' -Item 'returnValue' -Types $Command.Outputs

    $Writer.WriteStartElement('maml', 'alertSet', $MamlNamespace.maml)
    Write-MamlParagraph -Writer $Writer -Element 'alert' -Paragraph $Command.Notes
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'examples', $MamlNamespace.command)
    foreach ($example in $Command.Examples) {
        $Writer.WriteStartElement('command', 'example', $MamlNamespace.command)
        # Get-Help prints the title as it is; the dashes are how every MAML example title looks.
        $Writer.WriteElementString('maml', 'title', $MamlNamespace.maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $MamlNamespace.dev, $example.Code)
        # The empty last paragraph is the blank line Get-Help otherwise leaves out before the next title.
        Write-MamlParagraph -Writer $Writer -Prefix 'dev' -Element 'remarks' -Paragraph ($example.Remarks + '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $MamlNamespace.command)
    foreach ($link in $Command.RelatedLinks) {
        $Writer.WriteStartElement('maml', 'navigationLink', $MamlNamespace.maml)
        $Writer.WriteElementString('maml', 'linkText', $MamlNamespace.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $MamlNamespace.maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement()
}

function Write-MamlHelpFile {
    <#
        Writes <helpItems schema="maml"> with the given commands. XmlWriter escapes all text and
        refuses characters XML cannot hold, so no help text can break the file.
    #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Command)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($item in $Command) { Write-MamlCommand -Writer $writer -Command $item }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}
