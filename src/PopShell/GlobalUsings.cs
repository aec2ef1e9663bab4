// What nearly every cmdlet uses: PowerShell's API, the module's internals and the engine's errors.
global using System;
global using System.Collections.Generic;
global using System.Linq;
global using System.Management.Automation;
global using PopShell.Engine.Errors;
global using PopShell.Internal;
