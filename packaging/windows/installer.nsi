; Windows installer for Venue Pass Kiosk (NSIS 3, Modern UI 2): a 64-bit, per-machine install.
;
; Build the one-folder bundle on Windows first (pyinstaller packaging\kiosk.spec), then:
;   makensis /DBUNDLE_DIR=..\..\dist\venue-pass-kiosk /DVERSION=0.1.0 packaging\windows\installer.nsi
; Optional: /DOUTFILE=path\to\file.exe (default: venue-pass-kiosk-<version>-windows-x64.exe beside this
; script: makensis reads relative paths from the script's folder), /DPUBLISHER=name, and
; /DSIGN=command, a command that signs the file named by its last argument in place: it signs the
; uninstaller inside the installer and then the installer (docs/install.md, "Signing").
;
; It installs the bundle to Program Files, a Start-menu entry for every user, the machine-wide
; config.toml in ProgramData (read-only to users), an uninstaller (listed in "Apps & features") and,
; only for the one account named on the "Kiosk settings" page or by /AUTOSTARTUSER=, a scheduled task
; that starts the kiosk full screen when that account logs on. An older version is removed first,
; and neither the installer nor the uninstaller runs while a kiosk does. Silent options and exit
; codes: docs/install.md. The installer speaks Korean and English.

; The file is UTF-8 with a byte-order mark, which makensis needs to read the Korean texts.
Unicode true
; A 64-bit installer: Program Files, System32 and the registry are the 64-bit ones without redirection.
Target amd64-unicode

!ifndef BUNDLE_DIR
  !error "pass the one-folder bundle: /DBUNDLE_DIR=path\to\dist\venue-pass-kiosk"
!endif
!ifndef VERSION
  !error "pass the version: /DVERSION=0.1.0 (pyproject.toml's)"
!endif
; Windows' file version has four numbers; the product's has three.
!searchparse /noerrors "${VERSION}" "" VERSION_MAJOR "." VERSION_MINOR "." VERSION_PATCH
!ifndef VERSION_PATCH
  !error "the version must be three numbers, like 0.1.0 (got ${VERSION})"
!endif
!ifndef OUTFILE
  !define OUTFILE "venue-pass-kiosk-${VERSION}-windows-x64.exe"
!endif
!ifndef PUBLISHER
  !define PUBLISHER "Venue Pass Kiosk"
!endif
!ifndef ICON
  !define ICON "venue-pass-kiosk.ico"
!endif

!define APP_NAME "Venue Pass Kiosk"
!define APP_ID "venue-pass-kiosk"
!define APP_EXE "${APP_ID}.exe"
!define APP_KEY "Software\VenuePassKiosk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\VenuePassKiosk"
!define MENU_FOLDER "$SMPROGRAMS\${APP_NAME}"
!define MENU_LINK "${MENU_FOLDER}\${APP_NAME}.lnk"
!define TASK_NAME "${APP_NAME}"
!define TASK_XML "$INSTDIR\autostart-task.xml"
; platformdirs.site_config_path("venue-pass-kiosk"): the kiosk reads this file first and the
; account's own config.toml over it, key by key. $APPDATA is ProgramData once SetShellVarContext all.
!define MACHINE_CONFIG_DIR "$APPDATA\${APP_ID}"
!define MACHINE_CONFIG "${MACHINE_CONFIG_DIR}\config.toml"
; SYSTEM and Administrators change it, Users only read it; no inherited entries, so the "Users may
; create files" entry of ProgramData itself does not reach it.
!define MACHINE_CONFIG_SDDL "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"
; Exit codes besides NSIS's own (0 done, 1 cancelled, 2 stopped by the script): 1618 is the code
; Intune (and msiexec) retry later, right for "a kiosk is running"; 70, as in the kiosk's own
; commands, for a failure of the installer itself.
!define EXIT_KIOSK_RUNNING 1618
!define EXIT_BAD_INPUT 2
!define EXIT_INTERNAL 70

; makensis on Linux compiles this script against the Linux bundle as a stand-in (CI proves the
; script compiles); such an installer has no Windows program in it.
!if ! /FileExists "${BUNDLE_DIR}\${APP_EXE}"
  !warning "${BUNDLE_DIR} has no ${APP_EXE}: a stand-in bundle, not a working Windows installer"
!endif

; The uninstaller is signed before it is packed into the installer; a failed signing fails the build.
!ifdef SIGN
  !uninstfinalize '${SIGN} "%1"' = 0
  !finalize '${SIGN} "%1"' = 0
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
; No InstallDirRegKey: NSIS reads it before .onInit could choose the registry view; .onInit reads
; the previous folder itself, from the 64-bit view.
InstallDir "$PROGRAMFILES64\${APP_NAME}"
; Program Files, the all-users Start menu, HKLM, ProgramData's ACL and scheduled tasks for another
; account need an administrator.
RequestExecutionLevel admin
SetCompressor /SOLID lzma

VIProductVersion "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"
VIFileVersion "${VERSION_MAJOR}.${VERSION_MINOR}.${VERSION_PATCH}.0"

; The script's own parts (*.nsh) are beside it, wherever makensis runs from.
!addincludedir "${__FILEDIR__}"
!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "WordFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; Remember the installer's language, so the uninstaller speaks it too.
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${APP_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
; The installer runs elevated, and a program it starts would too: the kiosk would then run as an
; administrator. Explorer, asked to open the Start-menu shortcut, starts it as the signed-in user
; instead, with the shortcut's "run" (no plug-in does this in Debian's nsis).
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION StartKioskUnelevated
!define MUI_FINISHPAGE_RUN_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom OptionsPage OptionsPageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; the language dialog at start offers both.
!insertmacro MUI_LANGUAGE "Korean"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

!define /date YEAR "%Y"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Copyright ${YEAR} ${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"

LangString UninstallName ${LANG_KOREAN} "출입 인증 키오스크 제거"
LangString UninstallName ${LANG_ENGLISH} "Uninstall Venue Pass Kiosk"
LangString OptionsTitle ${LANG_KOREAN} "키오스크 설정"
LangString OptionsTitle ${LANG_ENGLISH} "Kiosk settings"
LangString OptionsSubtitle ${LANG_KOREAN} "자동 시작 계정과 모든 계정에 적용되는 설정"
LangString OptionsSubtitle ${LANG_ENGLISH} "The autostart account and the settings for every account"
LangString AutostartLabel ${LANG_KOREAN} "이 계정이 로그인할 때 키오스크를 전체 화면으로 시작합니다 (비워 두면 자동 시작 없음). 관리자가 아닌 키오스크 전용 계정을 사용하세요:"
LangString AutostartLabel ${LANG_ENGLISH} "Start the kiosk full screen when this account logs on (empty: no autostart). Use a kiosk account without administrator rights:"
LangString UpstreamLabel ${LANG_KOREAN} "인증 서비스 주소 (https://..., 비워 두면 오프라인 전용):"
LangString UpstreamLabel ${LANG_ENGLISH} "Verification service address (https://..., empty: offline only):"
LangString ConfigKept ${LANG_KOREAN} "기존 설정 파일을 그대로 둡니다:"
LangString ConfigKept ${LANG_ENGLISH} "The existing settings file is kept:"
LangString KioskRunning ${LANG_KOREAN} "키오스크가 실행 중입니다. 키오스크 메뉴의 $\"키오스크 모드 종료$\"로 닫은 뒤 다시 시도하세요."
LangString KioskRunning ${LANG_ENGLISH} "The kiosk is running. Close it (owner menu, $\"Leave kiosk mode$\"), then retry."
LangString ConfigGiven ${LANG_KOREAN} "이 설정 파일을 모든 계정용으로 설치합니다:"
LangString ConfigGiven ${LANG_ENGLISH} "This settings file is installed for every account:"
LangString NoSuchAccount ${LANG_KOREAN} "이 컴퓨터에 없는 계정입니다:"
LangString NoSuchAccount ${LANG_ENGLISH} "No such account on this computer:"
LangString NoConfigFile ${LANG_KOREAN} "설정 파일을 읽을 수 없습니다:"
LangString NoConfigFile ${LANG_ENGLISH} "Cannot read the config file:"
LangString BadUpstream ${LANG_KOREAN} "주소는 https:// 또는 http://로 시작해야 하며 따옴표나 역슬래시를 포함할 수 없습니다:"
LangString BadUpstream ${LANG_ENGLISH} "The address must start with https:// or http:// and hold no quote or backslash:"
LangString BadFolder ${LANG_KOREAN} "설치 폴더 이름에 & < > $\" 문자를 쓸 수 없습니다:"
LangString BadFolder ${LANG_ENGLISH} "The install folder's name cannot hold & < > or $\":"
LangString OldUninstallFailed ${LANG_KOREAN} "이전 버전을 제거하지 못했습니다:"
LangString OldUninstallFailed ${LANG_ENGLISH} "The previous version could not be removed:"
LangString ConfigFailed ${LANG_KOREAN} "모든 계정용 설정 파일을 쓰지 못했습니다:"
LangString ConfigFailed ${LANG_ENGLISH} "The machine-wide config file could not be written:"
LangString AutostartFailed ${LANG_KOREAN} "자동 시작 작업을 만들지 못했습니다 (schtasks 코드 $0)."
LangString AutostartFailed ${LANG_ENGLISH} "The autostart task could not be created (schtasks code $0)."

Var AutostartUser
Var AutostartSid
Var Upstream
Var ConfigFile
Var PreviousDir
Var PreviousVersion
Var AutostartField
Var UpstreamField

!include "fail.nsh"

!include "running_kiosk.nsh"

!include "options.nsh"

Function .onInit
  ; The registry view first: everything below reads the 64-bit HKLM.
  SetRegView 64
  SetShellVarContext all
  ${IfNot} ${Silent}
    !insertmacro MUI_LANGDLL_DISPLAY
  ${EndIf}

  ReadRegStr $PreviousDir HKLM "${APP_KEY}" "InstallDir"
  ReadRegStr $PreviousVersion HKLM "${UNINSTALL_KEY}" "DisplayVersion"
  ; An upgrade goes where the previous version is, unless /D= names another folder.
  ${If} $PreviousDir != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP_NAME}"
    StrCpy $INSTDIR $PreviousDir
  ${EndIf}

  Call ReadCommandLine
  ${If} ${Silent}
    Call CheckOptions
  ${EndIf}
  Call WaitForKioskClosed
FunctionEnd

Function OptionsPage
  !insertmacro MUI_HEADER_TEXT "$(OptionsTitle)" "$(OptionsSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 24u "$(AutostartLabel)"
  Pop $0
  ${NSD_CreateText} 0 26u 60% 12u "$AutostartUser"
  Pop $AutostartField
  ${If} $ConfigFile != ""
    ${NSD_CreateLabel} 0 52u 100% 24u "$(ConfigGiven) $ConfigFile"
    Pop $0
  ${ElseIf} ${FileExists} "${MACHINE_CONFIG}"
    ${NSD_CreateLabel} 0 52u 100% 24u "$(ConfigKept) ${MACHINE_CONFIG}"
    Pop $0
  ${Else}
    ${NSD_CreateLabel} 0 52u 100% 12u "$(UpstreamLabel)"
    Pop $0
    ${NSD_CreateText} 0 66u 100% 12u "$Upstream"
    Pop $UpstreamField
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function OptionsPageLeave
  ${NSD_GetText} $AutostartField $AutostartUser
  ${If} $UpstreamField != ""
    ${NSD_GetText} $UpstreamField $Upstream
  ${EndIf}
  ; A wrong entry keeps the page open to be corrected.
  Call OptionProblem
  Pop $0
  ${If} $0 != ""
    MessageBox MB_ICONEXCLAMATION "$0"
    Abort
  ${EndIf}
FunctionEnd

Function StartKioskUnelevated
  Exec '"$WINDIR\explorer.exe" "${MENU_LINK}"'
FunctionEnd

!include "machine_config.nsh"

!include "autostart_task.nsh"

Section "-Program"
  ; The options were checked: a silent run's in .onInit, the others when the options page closed.
  ${If} $PreviousDir != ""
  ${AndIf} ${FileExists} "$PreviousDir\uninstall.exe"
    DetailPrint "Removing version $PreviousVersion from $PreviousDir"
    ; _?= runs the old uninstaller in place and waits for it; it keeps the data, like every uninstall.
    ExecWait '"$PreviousDir\uninstall.exe" /S _?=$PreviousDir' $0
    ${If} $0 != 0
      !insertmacro Fail ${EXIT_INTERNAL} "$(OldUninstallFailed) $PreviousDir ($0)"
    ${EndIf}
    Delete "$PreviousDir\uninstall.exe"
    RMDir "$PreviousDir"
  ${EndIf}

  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*"
  File "/oname=${APP_ID}.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "${MENU_FOLDER}"
  CreateShortcut "${MENU_LINK}" "$INSTDIR\${APP_EXE}" "run" "$INSTDIR\${APP_ID}.ico"
  CreateShortcut "${MENU_FOLDER}\$(UninstallName).lnk" "$INSTDIR\uninstall.exe"
  ; The first installers started every account's kiosk from the all-users Startup folder.
  Delete "$SMSTARTUP\${APP_NAME}.lnk"

  ; The uninstaller's registry keys first: a failure below leaves an install it can remove.
  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_ID}.ico"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  Call WriteMachineConfig
  ${If} $AutostartUser != ""
    Call WriteAutostartTask
  ${EndIf}
  WriteRegStr HKLM "${APP_KEY}" "AutostartUser" "$AutostartUser"
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  !insertmacro MUI_UNGETLANGUAGE
  Call un.WaitForKioskClosed
FunctionEnd

; Removes the program, its shortcuts, its registry keys and the autostart task. The kiosk's data
; (the visits, in the kiosk account's %LOCALAPPDATA%) is never touched, and the machine config
; stays unless /REMOVECONFIG is given: a reinstall finds both again.
Section "Uninstall"
  nsExec::ExecToLog '"$SYSDIR\schtasks.exe" /Delete /F /TN "${TASK_NAME}"'
  Pop $0  ; no task (no autostart) is not an error
  Delete "$SMSTARTUP\${APP_NAME}.lnk"
  ; Both languages' names: the folder holds only the installer's own shortcuts.
  Delete "${MENU_FOLDER}\*.lnk"
  RMDir "${MENU_FOLDER}"
  ; Only what the installer put there: never `RMDir /r $INSTDIR`, which could be a folder the
  ; user chose with other files in it.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${APP_ID}.ico"
  Delete "${TASK_XML}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"

  ${un.GetParameters} $R0
  ClearErrors
  ${un.GetOptions} $R0 "/REMOVECONFIG" $0
  ${IfNot} ${Errors}
    Delete "${MACHINE_CONFIG}"
    RMDir "${MACHINE_CONFIG_DIR}"
  ${EndIf}
SectionEnd
