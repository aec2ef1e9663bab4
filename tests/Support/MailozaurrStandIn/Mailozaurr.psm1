# A stand-in for an older Mailozaurr in tests: its POP3 commands were functions with other names,
# exported under the aliases Connect-POP3, Get-POP3Message, Save-POP3Message, Remove-POP3Message and
# Disconnect-POP3. PowerShell command names ignore case, and aliases win over cmdlets, so with both
# modules imported, 'Connect-Pop3' runs this module's command. Each function only says who it is.
function Connect-POP { [pscustomobject]@{ Module = 'Mailozaurr'; Command = 'Connect-POP' } }
function Get-POPMessage { [pscustomobject]@{ Module = 'Mailozaurr'; Command = 'Get-POPMessage' } }
function Save-POPMessage { [pscustomobject]@{ Module = 'Mailozaurr'; Command = 'Save-POPMessage' } }
function Remove-POPMessage { [pscustomobject]@{ Module = 'Mailozaurr'; Command = 'Remove-POPMessage' } }
function Disconnect-POP { [pscustomobject]@{ Module = 'Mailozaurr'; Command = 'Disconnect-POP' } }

New-Alias -Name Connect-POP3 -Value Connect-POP
New-Alias -Name Get-POP3Message -Value Get-POPMessage
New-Alias -Name Save-POP3Message -Value Save-POPMessage
New-Alias -Name Remove-POP3Message -Value Remove-POPMessage
New-Alias -Name Disconnect-POP3 -Value Disconnect-POP

Export-ModuleMember -Function Connect-POP, Get-POPMessage, Save-POPMessage, Remove-POPMessage, Disconnect-POP -Alias *
