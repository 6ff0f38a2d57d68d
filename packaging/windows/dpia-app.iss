; DPIA's Windows installer: a per-user install that needs no administrator rights.
;
; Compiled by packaging/build_windows.py (run by `python packaging/build.py`), which passes:
;   ISCC /Qp /DAppVersion=0.1.0 /DNumericVersion=0.1.0.0 /DSourceDir=<dist\dpia-app>
;        /DIconsDir=<packaging\icons> /DOutputDir=<dist\packages> /DPublisher=<name> [/DSign] dpia-app.iss
; SourceDir is PyInstaller's onedir folder: dpia-app.exe (the desktop app), dpia.exe (the command
; line) and _internal\ (Python, Qt, Pango and friends, the app's data).
;
; Why Inno Setup rather than WiX (MSI):
; - PrivilegesRequired=lowest gives a real per-user install (files in %LOCALAPPDATA%\Programs,
;   HKCU registry, Start menu of the user) with no UAC prompt: our users often have no admin rights.
;   A per-user MSI is possible but fiddly (ALLUSERS/MSIINSTALLPERUSER, per-user component rules,
;   ICE warnings) and MSI's component model buys us nothing for one folder of files.
; - One short declarative script, readable by the next maintainer; no GUIDs per component.
; - Silent install for IT roll-outs is built in: /SILENT, /VERYSILENT, /SUPPRESSMSGBOXES, /NORESTART,
;   /DIR=, /TASKS=, /LOG= (https://jrsoftware.org/ishelp/topic_setupcmdline.htm).
; - Free (also for commercial use), and preinstalled on GitHub's windows-2022/windows-2025 runners.
; - Upgrades in place (same AppId), closes the running app through Restart Manager, and signs Setup
;   and the uninstaller through one SignTool definition.
; What WiX would give that we do not need now: an .msi for Group Policy/Intune "line-of-business"
; deployment. Intune and SCCM deploy Inno Setup installers as Win32 apps with the silent switches.

#ifndef AppVersion
  #error Compile with /DAppVersion=... (packaging/build_windows.py does)
#endif
#ifndef NumericVersion
  #error Compile with /DNumericVersion=a.b.c.d (packaging/build_windows.py does)
#endif
#ifndef SourceDir
  #error Compile with /DSourceDir=<PyInstaller onedir folder> (packaging/build_windows.py does)
#endif
#ifndef IconsDir
  #error Compile with /DIconsDir=<packaging\icons> (packaging/build_windows.py does)
#endif
#ifndef OutputDir
  #error Compile with /DOutputDir=<dist\packages> (packaging/build_windows.py does)
#endif
#ifndef Publisher
  #define Publisher "DPIA app team"
#endif

#define AppName "DPIA"
#define AppExeName "dpia-app.exe"
#define CliExeName "dpia.exe"
#define DraftExtension ".dpia"
; The ProgID that .dpia points to: ours alone, so the uninstaller may delete its whole key.
#define DraftProgId "DPIA.Draft"

[Setup]
; Never change AppId: Setup finds an earlier install (to upgrade it in place) and the uninstaller
; its log by it. The doubled brace is Inno's escape for a literal "{".
AppId={{D52BBD9F-FE9D-4789-8547-F4BBCC37282E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
AppCopyright=Copyright (C) {#Publisher}
; The Setup file's own version resource (the app's EXEs get theirs from PyInstaller).
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription={#AppName} {#AppVersion} installer
VersionInfoCompany={#Publisher}

; Per user, never elevated: {autopf} is then {userpf} = %LOCALAPPDATA%\Programs, HKA is HKCU and
; the Start menu entry is the user's. No PrivilegesRequiredOverridesAllowed: an all-users install
; would need a machine-wide association and PATH, which this script deliberately does not write.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
; One Start menu entry named DPIA, no folder: nothing to choose.
DisableProgramGroupPage=yes
; Upgrades go where the earlier version is (the default, said for the reader).
UsePreviousAppDir=yes

; The app is 64-bit only (Python, Qt and the MSYS2 UCRT64 libraries); Arm64 Windows 11 runs it emulated.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.8+ supports Windows 10 1809 (build 17763) and later.
MinVersion=10.0.17763

; An upgrade while the app runs: Restart Manager finds dpia-app.exe/dpia.exe holding files in {app}
; and Setup offers to close it (silent installs close it without asking). No restart afterwards:
; the app does not register with RegisterApplicationRestart, and the user reopens their draft.
CloseApplications=yes
RestartApplications=no
; Explorer refreshes .dpia's icon and "Open with" now rather than at next logon.
ChangesAssociations=yes
; Terminals opened after Setup see the PATH change (only written when the task is chosen).
ChangesEnvironment=yes

UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExeName}
SetupIconFile={#IconsDir}\dpia-app.ico
WizardStyle=modern
OutputDir={#OutputDir}
OutputBaseFilename=DPIA-{#AppVersion}-windows-x64-setup
; LZMA2 over the whole bundle as one stream: the smallest download (the budget is 120 MB).
Compression=lzma2/max
SolidCompression=yes

#ifdef Sign
; "dpiasign" is defined on ISCC's command line (/Sdpiasign=...) by packaging/build_windows.py; it
; signs Setup and the uninstaller with the certificate from the environment.
SignTool=dpiasign
SignedUninstaller=yes
#endif

[Languages]
; English only: Inno Setup ships Simplified Chinese as an unofficial translation that is not
; installed with the compiler. The app itself starts in the system's language (English or Chinese).
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; For people who script `dpia check` and `dpia render`; off by default, IT can add it with /MERGETASKS="addtopath".
Name: "addtopath"; Description: "Add the ""dpia"" command line to my PATH"; GroupDescription: "Command line:"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundled Python, Qt and libraries as a whole: files an older version had
; and this one dropped would otherwise stay and could be loaded. Only inside {app}.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\{#CliExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#SourceDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
; Explorer shows .dpia files with this icon (DefaultIcon below).
Source: "{#IconsDir}\dpia-document.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "Personal-information protection impact assessment"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; The .dpia association, per user under HKCU\Software\Classes (HKA in this non-admin install).
; Our own keys (the ProgID, Applications\dpia-app.exe) go with uninsdeletekey; in the shared .dpia
; key only our values are removed, and the key itself only if nothing else is left in it.
Root: HKA; Subkey: "Software\Classes\{#DraftProgId}"; ValueType: string; ValueName: ""; ValueData: "DPIA assessment draft"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#DraftProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\dpia-document.ico,0"
Root: HKA; Subkey: "Software\Classes\{#DraftProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\{#DraftExtension}"; ValueType: string; ValueName: ""; ValueData: "{#DraftProgId}"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#DraftExtension}"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-dpia"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#DraftExtension}\OpenWithProgids"; ValueType: string; ValueName: "{#DraftProgId}"; ValueData: ""; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: "{#DraftExtension}"; ValueData: ""

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Anything left in the program folder (never the user's drafts, which are wherever they saved them,
; nor %LOCALAPPDATA%\dpia-app with settings, recent files and recovery copies: those are kept).
Type: filesandordirs; Name: "{app}\_internal"

[Code]
// The optional PATH entry lives in the user's own PATH (HKCU\Environment), written here rather
// than in [Registry] so that the existing value keeps its type (REG_EXPAND_SZ) and no stray ";"
// is added, and so that the uninstaller removes exactly our folder and nothing else.
const
  EnvironmentKey = 'Environment';

function PathHasFolder(Paths, Folder: String): Boolean;
begin
  Result := Pos(';' + Uppercase(Folder) + ';', ';' + Uppercase(Paths) + ';') > 0;
end;

procedure AddFolderToUserPath(Folder: String);
var
  Paths: String;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths) then
    Paths := '';
  if PathHasFolder(Paths, Folder) then
    Exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then
    Paths := Paths + ';';
  if not RegWriteExpandStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths + Folder) then
    Log('Could not add ' + Folder + ' to the user PATH');
end;

procedure RemoveFolderFromUserPath(Folder: String);
var
  Paths: String;
  Position: Integer;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths) then
    Exit;
  Paths := ';' + Paths + ';';
  Position := Pos(';' + Uppercase(Folder) + ';', Uppercase(Paths));
  if Position = 0 then
    Exit;
  Delete(Paths, Position, Length(Folder) + 1);
  // Drop the ";" added around the value above.
  Paths := Copy(Paths, 2, Length(Paths) - 2);
  if not RegWriteExpandStringValue(HKEY_CURRENT_USER, EnvironmentKey, 'Path', Paths) then
    Log('Could not remove ' + Folder + ' from the user PATH');
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddFolderToUserPath(ExpandConstant('{app}'));
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFolderFromUserPath(ExpandConstant('{app}'));
end;
