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

; The file is always written new, from a copy made first (of /CONFIG=, of the file there, or of
; what the installer asked): a hard link a user planted, or the old file's own ACL, does not survive.
Function WriteMachineConfig
  InitPluginsDir
  ClearErrors
  ${If} $ConfigFile != ""
    CopyFiles /SILENT "$ConfigFile" "$PLUGINSDIR\config.toml"
  ${ElseIf} ${FileExists} "${MACHINE_CONFIG}"
    CopyFiles /SILENT "${MACHINE_CONFIG}" "$PLUGINSDIR\config.toml"
  ${Else}
    ; The account's own config.toml adds to it and wins key by key.
    FileOpen $1 "$PLUGINSDIR\config.toml" w
    FileWrite $1 "# ${APP_NAME}: settings for every account on this computer, written by the$\r$\n"
    FileWrite $1 "# installer. An account's own config.toml overrides them key by key.$\r$\n"
    ; Only what was given: a key written here is fixed for every account (the set-up wizard
    ; shows it as the installer's and does not ask), so an empty address would lock it empty.
    ${If} $Upstream != ""
      FileWrite $1 "[upstream]$\r$\n"
      FileWrite $1 'url = "$Upstream"$\r$\n'
    ${Else}
      FileWrite $1 '# [upstream]$\r$\n# url = "https://..."  (none given: each kiosk sets it in its set-up)$\r$\n'
    ${EndIf}
    FileClose $1
  ${EndIf}
  ${If} ${Errors}
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG}"
  ${EndIf}

  ; Users may create folders in ProgramData: one made before the install is taken over (owner and
  ; ACL), a link to somewhere else is refused.
  CreateDirectory "${MACHINE_CONFIG_DIR}"
  System::Call 'kernel32::GetFileAttributesW(w "${MACHINE_CONFIG_DIR}") i .r0'
  IntOp $1 $0 & 0x400  ; FILE_ATTRIBUTE_REPARSE_POINT
  ${If} $0 = -1
  ${OrIf} $1 <> 0
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG_DIR}"
  ${EndIf}
  StrCpy $0 "${MACHINE_CONFIG_DIR}"
  Call ProtectMachineConfig
  ${If} $0 <> 0
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG_DIR} ($0)"
  ${EndIf}
  Delete "${MACHINE_CONFIG}"
  CopyFiles /SILENT "$PLUGINSDIR\config.toml" "${MACHINE_CONFIG}"
  ${If} ${Errors}
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG}"
  ${EndIf}
  StrCpy $0 "${MACHINE_CONFIG}"
  Call ProtectMachineConfig
  ${If} $0 <> 0
    !insertmacro Fail ${EXIT_INTERNAL} "$(ConfigFailed) ${MACHINE_CONFIG} ($0)"
  ${EndIf}
FunctionEnd
