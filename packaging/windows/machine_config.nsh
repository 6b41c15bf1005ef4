; WriteMachineConfig: the config.toml in ProgramData for every account. Included by installer.nsi.

; Sets the machine config's folder or file to ${MACHINE_CONFIG_SDDL}. $0: the path; $0 after: 0 or
; the Windows error code.
Function ProtectMachineConfig
  System::Call 'advapi32::ConvertStringSecurityDescriptorToSecurityDescriptorW(w "${MACHINE_CONFIG_SDDL}", i 1, *p .r1, p 0) i .r2'
  ${If} $2 == 0
    System::Call 'kernel32::GetLastError() i .r0'
    Return
  ${EndIf}
  System::Call 'advapi32::GetSecurityDescriptorOwner(p r1, *p .r3, *i .r2)'
  System::Call 'advapi32::GetSecurityDescriptorGroup(p r1, *p .r4, *i .r2)'
  System::Call 'advapi32::GetSecurityDescriptorDacl(p r1, *i .r2, *p .r5, *i .r2)'
  ; OWNER, GROUP and DACL, with the DACL protected from inheriting ProgramData's entries.
  System::Call 'advapi32::SetNamedSecurityInfoW(w r0, i 1, i 0x80000007, p r3, p r4, p r5, p 0) i .r0'
  System::Call 'kernel32::LocalFree(p r1)'
FunctionEnd

Function WriteMachineConfig
  ClearErrors
  CreateDirectory "${MACHINE_CONFIG_DIR}"
  StrCpy $0 "${MACHINE_CONFIG_DIR}"
  Call ProtectMachineConfig
  ${If} $0 <> 0
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG_DIR} ($0)"
  ${EndIf}
  ${If} $ConfigFile != ""
    CopyFiles /SILENT "$ConfigFile" "${MACHINE_CONFIG}"
  ${ElseIfNot} ${FileExists} "${MACHINE_CONFIG}"
    ; A new file with what the installer asked; the kiosk's account adds its own settings in its
    ; own config.toml, which wins key by key.
    FileOpen $1 "${MACHINE_CONFIG}" w
    FileWrite $1 "# ${APP_NAME}: settings for every account on this computer, written by the$\r$\n"
    FileWrite $1 "# installer. An account's own config.toml overrides them key by key.$\r$\n"
    FileWrite $1 "[upstream]$\r$\n"
    FileWrite $1 'url = "$Upstream"$\r$\n'
    FileClose $1
  ${EndIf}
  ${If} ${Errors}
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG}"
  ${EndIf}
  StrCpy $0 "${MACHINE_CONFIG}"
  Call ProtectMachineConfig
  ${If} $0 <> 0
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG} ($0)"
  ${EndIf}
FunctionEnd
