; Windows installer for Venue Pass Kiosk (NSIS 3, Modern UI 2).
;
; Build the one-folder bundle on Windows first (pyinstaller packaging\kiosk.spec), then:
;   makensis /DBUNDLE_DIR=..\..\dist\venue-pass-kiosk /DVERSION=0.1.0 packaging\windows\installer.nsi
; Optional: /DOUTFILE=path\to\file.exe (default: venue-pass-kiosk-<version>-windows-x64.exe beside this
; script: makensis reads relative paths from the script's folder).
;
; It installs the bundle to Program Files, a Start-menu entry for every user, an uninstaller
; (also listed in "Apps & features"), and, if ticked, "start with Windows": the kiosk in full
; screen at every log-on. The installer speaks Korean and English.

; The file is UTF-8 with a byte-order mark, which makensis needs to read the Korean texts.
Unicode true

!ifndef BUNDLE_DIR
  !error "pass the one-folder bundle: /DBUNDLE_DIR=path\to\dist\venue-pass-kiosk"
!endif
!ifndef VERSION
  !error "pass the version: /DVERSION=0.1.0 (pyproject.toml's)"
!endif
!ifndef OUTFILE
  !define OUTFILE "venue-pass-kiosk-${VERSION}-windows-x64.exe"
!endif

!define APP_NAME "Venue Pass Kiosk"
!define APP_EXE "venue-pass-kiosk.exe"
!define APP_KEY "Software\VenuePassKiosk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\VenuePassKiosk"
!define MENU_FOLDER "$SMPROGRAMS\${APP_NAME}"

; makensis on Linux compiles this script against the Linux bundle as a stand-in (CI proves the
; script compiles); such an installer has no Windows program in it.
!if ! /FileExists "${BUNDLE_DIR}\${APP_EXE}"
  !warning "${BUNDLE_DIR} has no ${APP_EXE}: a stand-in bundle, not a working Windows installer"
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${APP_KEY}" "InstallDir"
; Program Files, the all-users Start menu and HKLM need an administrator.
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

!define MUI_ABORTWARNING
; Remember the installer's language, so the uninstaller speaks it too.
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${APP_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_PARAMETERS "run"
!define MUI_FINISHPAGE_RUN_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; the language dialog at start offers both.
!insertmacro MUI_LANGUAGE "Korean"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecAppName ${LANG_KOREAN} "출입 인증 키오스크"
LangString SecAppName ${LANG_ENGLISH} "Venue Pass Kiosk"
LangString SecAppDesc ${LANG_KOREAN} "키오스크 프로그램, 시작 메뉴 항목, 제거 프로그램."
LangString SecAppDesc ${LANG_ENGLISH} "The kiosk program, its Start-menu entry and the uninstaller."
LangString SecAutoName ${LANG_KOREAN} "Windows와 함께 시작 (전체 화면)"
LangString SecAutoName ${LANG_ENGLISH} "Start with Windows (full screen)"
LangString SecAutoDesc ${LANG_KOREAN} "로그인할 때마다 키오스크를 전체 화면 키오스크 모드로 시작합니다."
LangString SecAutoDesc ${LANG_ENGLISH} "Starts the kiosk full screen in kiosk mode at every log-on."
LangString Needs64Bit ${LANG_KOREAN} "이 프로그램은 64비트 Windows가 필요합니다."
LangString Needs64Bit ${LANG_ENGLISH} "This program needs 64-bit Windows."
LangString UninstallName ${LANG_KOREAN} "출입 인증 키오스크 제거"
LangString UninstallName ${LANG_ENGLISH} "Uninstall Venue Pass Kiosk"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(Needs64Bit)"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "!$(SecAppName)" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "${MENU_FOLDER}"
  CreateShortcut "${MENU_FOLDER}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "run"
  CreateShortcut "${MENU_FOLDER}\$(UninstallName).lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; Off by default: only the PC at the door should boot into the kiosk.
Section /o "$(SecAutoName)" SecAutostart
  CreateShortcut "$SMSTARTUP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "run --fullscreen"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "$(SecAutoDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  Delete "$SMSTARTUP\${APP_NAME}.lnk"
  ; Both languages' names: the folder holds only the installer's own shortcuts.
  Delete "${MENU_FOLDER}\*.lnk"
  RMDir "${MENU_FOLDER}"
  ; Only what the installer put there: never `RMDir /r $INSTDIR`, which could be a folder the
  ; user chose with other files in it. The kiosk's data (visits) lives in the users' profiles.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "${APP_KEY}"
SectionEnd
