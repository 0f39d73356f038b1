@echo off
REM Pulumi's dynamic-provider plugin through mailpolicy's entry (see dynamic-provider.ts).
node "%~dp0..\..\dist\providers\plugin\dynamic-provider.js" %*
