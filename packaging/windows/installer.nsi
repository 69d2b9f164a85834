; Campaign Companion's Windows installer: for the current user, no administrator rights.
;
; packaging/build.py compiles it (NSIS 3.08 or later, UTF-8 source):
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DSOURCE=dist\campaign-gui
;            -DICONS=build\icons -DINCLUDES=build\nsis -DOUTFILE=dist\campaign-gui-0.1.0-setup.exe
;            [-DSIGN_COMMAND="signtool sign /fd sha256 /tr http://... /td sha256 /f cert.pfx"]
;            packaging\windows\installer.nsi
;
; What it does:
; - installs the frozen folder to %LOCALAPPDATA%\Programs\Campaign Companion (changeable);
; - a Start menu shortcut, and optionally one on the desktop;
; - optionally starts the app at login, in the tray: the same HKCU Run value the app's own
;   "Start at login" writes (core/autostart.py), so either can turn it off;
; - shows its pages in Darija, French or English, following the system's language (Arabic:
;   Darija; English when it is none of them), every word ours, from the app's catalogs
;   (INCLUDES\langstrings.nsh, written by packaging/installer_texts.py);
; - an upgrade runs the installed version's uninstaller first, then installs, and keeps the
;   user's data, which lives elsewhere (%LOCALAPPDATA%\CampaignCompanion\CampaignCompanion,
;   platformdirs' folder for the app);
; - while the app runs, waits for it to quit, then asks; a silent setup stops with exit code 2;
; - the uninstaller removes the files it installed one by one (INCLUDES\uninstall-files.nsh),
;   its shortcuts and its Run value, and asks before deleting the user's data (a silent
;   uninstall, /S, keeps it).
;
; tests/test_windows_installer.py runs it under Wine.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh

!ifndef VERSION | VERSION4 | SOURCE | ICONS | INCLUDES | OUTFILE
  !error "define VERSION, VERSION4, SOURCE, ICONS, INCLUDES and OUTFILE (packaging/build.py does)"
!endif

!define APP_NAME "Campaign Companion"
!define EXE "campaign-gui.exe"
!define CLI_EXE "campaign-gui-cli.exe"
!define SHORTCUT "${APP_NAME}.lnk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CampaignCompanion"
!define INSTALLER_KEY "Software\CampaignCompanion\Installer"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define RUN_VALUE "CampaignCompanion"
!define DATA_PARENT "$LOCALAPPDATA\CampaignCompanion"
!define DATA_DIR "${DATA_PARENT}\CampaignCompanion"

Name "$(AppName)"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "${INSTALLER_KEY}" "InstallDir"
ShowInstDetails nevershow
ShowUninstDetails nevershow

!ifdef SIGN_COMMAND
  ; NSIS signs the uninstaller it writes, then the installer itself.
  !uninstfinalize '${SIGN_COMMAND} "%1"' = 0
  !finalize '${SIGN_COMMAND} "%1"' = 0
!endif

; ---------------------------------------------------------------------------------------------
; Pages. Every text on them is ours, in the app's catalogs (context "installer"):
; packaging/installer_texts.py writes them as LangStrings into ${INCLUDES}\langstrings.nsh.

BrandingText " "
Caption "$(Caption)"
UninstallCaption "$(UninstallCaption)"
MiscButtonText "$(BackButton)" "$(NextButton)" "$(CancelButton)" "$(CloseButton)"
InstallButtonText "$(InstallButton)"
UninstallButtonText "$(UninstallButton)"
; No "space required" line: NSIS writes its sizes itself ("181.0 Ko" with a point in French,
; "كيلوبايت" in formal Arabic, which wraps under its number), and the app is about 55 MB.
SpaceTexts none
CompletedText "$(Completed)"

!define MUI_ICON "${ICONS}\campaign-gui.ico"
!define MUI_UNICON "${ICONS}\campaign-gui.ico"
!define MUI_WELCOMEFINISHPAGE_BITMAP "${ICONS}\installer-welcome.bmp"
!define MUI_UNWELCOMEFINISHPAGE_BITMAP "${ICONS}\installer-welcome.bmp"
!define MUI_ABORTWARNING
!define MUI_ABORTWARNING_TEXT "$(AbortWarning)"
!define MUI_UNABORTWARNING
!define MUI_UNABORTWARNING_TEXT "$(UnAbortWarning)"
; No description box: the page's own text says what starting at login does (a box of MUI's
; size cut the French and Darija names, or its own text).
!define MUI_COMPONENTSPAGE_NODESC


!define MUI_WELCOMEPAGE_TITLE "$(WelcomeTitle)"
!define MUI_WELCOMEPAGE_TEXT "$(WelcomeText)"
!insertmacro MUI_PAGE_WELCOME

!define MUI_PAGE_HEADER_TEXT "$(DirHeader)"
!define MUI_PAGE_HEADER_SUBTEXT "$(DirSubheader)"
!define MUI_DIRECTORYPAGE_TEXT_TOP "$(DirTop)"
!define MUI_DIRECTORYPAGE_TEXT_DESTINATION "$(DirDestination)"
!define MUI_PAGE_CUSTOMFUNCTION_SHOW DirectoryShow
!insertmacro MUI_PAGE_DIRECTORY

!define MUI_PAGE_HEADER_TEXT "$(ComponentsHeader)"
!define MUI_PAGE_HEADER_SUBTEXT "$(ComponentsSubheader)"
!define MUI_COMPONENTSPAGE_TEXT_TOP "$(ComponentsTop)"
!define MUI_COMPONENTSPAGE_TEXT_COMPLIST "$(ComponentsList)"
!insertmacro MUI_PAGE_COMPONENTS

!define MUI_PAGE_HEADER_TEXT "$(InstallingHeader)"
!define MUI_PAGE_HEADER_SUBTEXT "$(InstallingSubheader)"
!define MUI_INSTFILESPAGE_FINISHHEADER_TEXT "$(InstalledHeader)"
!define MUI_INSTFILESPAGE_FINISHHEADER_SUBTEXT "$(InstalledSubheader)"
!define MUI_INSTFILESPAGE_ABORTHEADER_TEXT "$(InstallStoppedHeader)"
!define MUI_INSTFILESPAGE_ABORTHEADER_SUBTEXT "$(InstallStoppedSubheader)"
!insertmacro MUI_PAGE_INSTFILES

!define MUI_FINISHPAGE_TITLE "$(FinishTitle)"
!define MUI_FINISHPAGE_TEXT "$(FinishText)"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(FinishRun)"
!define MUI_FINISHPAGE_BUTTON "$(FinishButton)"
!insertmacro MUI_PAGE_FINISH

!define MUI_PAGE_HEADER_TEXT "$(UnConfirmHeader)"
!define MUI_PAGE_HEADER_SUBTEXT "$(UnConfirmSubheader)"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UnConfirmTop)"
!define MUI_UNCONFIRMPAGE_TEXT_LOCATION "$(UnConfirmLocation)"
!insertmacro MUI_UNPAGE_CONFIRM

!define MUI_PAGE_HEADER_TEXT "$(UnInstallingHeader)"
!define MUI_PAGE_HEADER_SUBTEXT "$(UnInstallingSubheader)"
!define MUI_INSTFILESPAGE_FINISHHEADER_TEXT "$(UninstalledHeader)"
!define MUI_INSTFILESPAGE_FINISHHEADER_SUBTEXT "$(UninstalledSubheader)"
; MUI 2 leaves its abort header defined after a page (it unsets the others).
!undef MUI_INSTFILESPAGE_ABORTHEADER_TEXT
!undef MUI_INSTFILESPAGE_ABORTHEADER_SUBTEXT
!define MUI_INSTFILESPAGE_ABORTHEADER_TEXT "$(UninstallStoppedHeader)"
!define MUI_INSTFILESPAGE_ABORTHEADER_SUBTEXT "$(UninstallStoppedSubheader)"
!insertmacro MUI_UNPAGE_INSTFILES

!define MUI_FINISHPAGE_TITLE "$(UnFinishTitle)"
!define MUI_FINISHPAGE_TEXT "$(UnFinishText)"
!define MUI_FINISHPAGE_BUTTON "$(FinishButton)"
!insertmacro MUI_UNPAGE_FINISH

; The first is the fallback; the system's UI language picks among them (same language, any
; country: ar-MA finds Arabic, fr-MA French). NSIS's own words in these languages are all
; replaced by ours: its Arabic is formal, the app speaks Darija.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Arabic"

!include "${INCLUDES}\langstrings.nsh"

; MUI's directory page leaves the Browse button to the language file.
Function DirectoryShow
  FindWindow $0 "#32770" "" $HWNDPARENT
  GetDlgItem $1 $0 1001
  SendMessage $1 ${WM_SETTEXT} 0 "STR:$(BrowseButton)"
FunctionEnd

; ---------------------------------------------------------------------------------------------
; Version information on the installer .exe

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} ${VERSION} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "© Campaign Companion contributors, GPL-3.0-or-later"

; ---------------------------------------------------------------------------------------------
; A running app holds its files (an executable that is running cannot be opened for writing), for
; the installer and the uninstaller alike. An app that hands over to its update quits as the
; setup starts: wait for it a while, then ask the user to quit it. A silent setup (/S) cannot ask:
; it stops before it has changed anything, with exit code 2, and the installed version stays as it
; was.

!macro WAIT_UNTIL_CLOSED prefix
  Function ${prefix}IsRunning  ; $0: 1 while either of the app's executables is running
    StrCpy $0 0
    ${If} ${FileExists} "$INSTDIR\${EXE}"
      ClearErrors
      FileOpen $1 "$INSTDIR\${EXE}" a
      ${If} ${Errors}
        StrCpy $0 1
        Return
      ${EndIf}
      FileClose $1
    ${EndIf}
    ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
      ClearErrors
      FileOpen $1 "$INSTDIR\${CLI_EXE}" a
      ${If} ${Errors}
        StrCpy $0 1
        Return
      ${EndIf}
      FileClose $1
    ${EndIf}
  FunctionEnd

  Function ${prefix}WaitUntilClosed
    StrCpy $2 0
    retry:
    Call ${prefix}IsRunning
    ${If} $0 == 1
      ${If} $2 == 0
        DetailPrint "$(WaitingForApp)"
      ${EndIf}
      ${If} $2 < 50  ; ten seconds
        IntOp $2 $2 + 1
        Sleep 200
        Goto retry
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
      SetErrorLevel 2
      Abort
    ${EndIf}
  FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

; ---------------------------------------------------------------------------------------------
; Install

Section "!$(SecAppName)" SecApp
  SectionIn RO
  SetDetailsPrint textonly
  Call WaitUntilClosed
  ; An upgrade: the installed version's own uninstaller removes exactly the files it installed
  ; (its libraries would otherwise linger beside the new ones), silently, so the user's data
  ; (in another folder) stays; what this setup installs then comes back.
  ${If} ${FileExists} "$INSTDIR\uninstall.exe"
    ExecWait '"$INSTDIR\uninstall.exe" /S _?=$INSTDIR'
  ${EndIf}
  DetailPrint "$(CopyingFiles)"
  SetDetailsPrint none
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  SetDetailsPrint textonly

  CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${INSTALLER_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "$(AppName)"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$\"$INSTDIR\${EXE}$\",0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
SectionEnd

Section /o "$(SecLoginName)" SecLogin
  WriteRegStr HKCU "${RUN_KEY}" "${RUN_VALUE}" "$\"$INSTDIR\${EXE}$\" --minimized"
SectionEnd

; What was unticked on an upgrade is undone.
Section "-Unticked"
  ${IfNot} ${SectionIsSelected} ${SecDesktop}
    Delete "$DESKTOP\${SHORTCUT}"
  ${EndIf}
  ${IfNot} ${SectionIsSelected} ${SecLogin}
    DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
  ${EndIf}
SectionEnd

Function .onInit
  SetShellVarContext current
  ; On an upgrade the boxes start as the user left them: start at login as the app's own setting
  ; is now, the desktop shortcut if there is one. A first install offers the desktop shortcut
  ; and leaves starting at login to the user.
  ReadRegStr $0 HKCU "${INSTALLER_KEY}" "InstallDir"
  ${If} $0 != ""
    ${IfNot} ${FileExists} "$DESKTOP\${SHORTCUT}"
      !insertmacro UnselectSection ${SecDesktop}
    ${EndIf}
  ${EndIf}
  ReadRegStr $1 HKCU "${RUN_KEY}" "${RUN_VALUE}"
  ${If} $1 != ""
    !insertmacro SelectSection ${SecLogin}
  ${EndIf}
FunctionEnd

; ---------------------------------------------------------------------------------------------
; Uninstall

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Uninstall"
  SetDetailsPrint textonly
  Call un.WaitUntilClosed
  DetailPrint "$(RemovingFiles)"
  SetDetailsPrint none
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"

  ; Only what the installer put there, file by file (never RMDir /r: the folder may have been
  ; chosen with other files in it, or the user may have added some); a folder goes if empty.
  !include "${INCLUDES}\uninstall-files.nsh"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${INSTALLER_KEY}"
  DeleteRegKey /ifempty HKCU "Software\CampaignCompanion"
  SetDetailsPrint textonly

  ${If} ${FileExists} "${DATA_DIR}\*.*"
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(AskRemoveData)" /SD IDNO IDNO keep_data
    RMDir /r "${DATA_DIR}"
    RMDir "${DATA_PARENT}"
    keep_data:
  ${EndIf}
SectionEnd
