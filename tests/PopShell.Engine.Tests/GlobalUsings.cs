// What nearly every test file uses: the test framework, the engine's namespaces and the scripted server.
global using System.Text;
global using PopShell.Engine.Errors;
global using PopShell.Engine.Export;
global using PopShell.Engine.Messages;
global using PopShell.Engine.Sessions;
global using PopShell.Engine.Tests.Export;
global using PopShell.TestServer;
global using Xunit;
