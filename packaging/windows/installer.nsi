; Campaign Companion's Windows installer: for the current user, no administrator rights.
;
; packaging/build.py compiles it (NSIS 3.08 or later, UTF-8 source):
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DSOURCE=dist\campaign-gui
;            -DICONS=build\icons -DOUTFILE=dist\campaign-gui-0.1.0-setup.exe
;            [-DSIGN_COMMAND="signtool sign /fd sha256 /tr http://... /td sha256 /f cert.pfx"]
;            packaging\windows\installer.nsi
;
; What it does:
; - installs the frozen folder to %LOCALAPPDATA%\Programs\Campaign Companion (changeable);
; - a Start menu shortcut, and optionally one on the desktop;
; - optionally starts the app at login, in the tray: the same HKCU Run value the app's own
;   "Start at login" writes (core/autostart.py), so either can turn it off;
; - shows its pages in Arabic, French or English, following the system's language (English
;   when it is none of them);
; - an upgrade replaces the program and keeps the user's data, which lives elsewhere
;   (%LOCALAPPDATA%\CampaignCompanion\CampaignCompanion, platformdirs' folder for the app);
; - the uninstaller removes the program, its shortcuts and its Run value, and asks before
;   deleting the user's data (a silent uninstall, /S, keeps it).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh

!ifndef VERSION | VERSION4 | SOURCE | ICONS | OUTFILE
  !error "define VERSION, VERSION4, SOURCE, ICONS and OUTFILE (packaging/build.py does)"
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
; Pages

!define MUI_ICON "${ICONS}\campaign-gui.ico"
!define MUI_UNICON "${ICONS}\campaign-gui.ico"
!define MUI_WELCOMEFINISHPAGE_BITMAP "${ICONS}\installer-welcome.bmp"
!define MUI_UNWELCOMEFINISHPAGE_BITMAP "${ICONS}\installer-welcome.bmp"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first is the fallback; the system's UI language picks among them (same language, any
; country: ar-MA finds Arabic, fr-MA French).
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "Arabic"

; The app's names are its catalogs' (translations/*/campaign_gui.po). Our own Arabic lines are in
; Darija, as the app's are, and name things as the app does (أيام الحملة, رفيق الحملة); NSIS's own
; pages and buttons stay in its Arabic. A path inside Arabic text is isolated (U+2068 … U+2069).
LangString AppName ${LANG_ENGLISH} "Campaign Companion"
LangString AppName ${LANG_FRENCH} "Compagnon de campagne"
LangString AppName ${LANG_ARABIC} "رفيق الحملة"

LangString SecAppName ${LANG_ENGLISH} "Campaign Companion (required)"
LangString SecAppName ${LANG_FRENCH} "Compagnon de campagne (requis)"
LangString SecAppName ${LANG_ARABIC} "رفيق الحملة (ضروري)"
LangString SecAppText ${LANG_ENGLISH} "The app, and its shortcut in the Start menu."
LangString SecAppText ${LANG_FRENCH} "L'application et son raccourci dans le menu Démarrer."
LangString SecAppText ${LANG_ARABIC} "التطبيق، والاختصار ديالو فقائمة ابدأ."

LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktopName ${LANG_FRENCH} "Raccourci sur le bureau"
LangString SecDesktopName ${LANG_ARABIC} "اختصار على سطح المكتب"
LangString SecDesktopText ${LANG_ENGLISH} "A shortcut to the app on your desktop."
LangString SecDesktopText ${LANG_FRENCH} "Un raccourci vers l'application sur votre bureau."
LangString SecDesktopText ${LANG_ARABIC} "اختصار ديال التطبيق على سطح المكتب ديالك."

LangString SecLoginName ${LANG_ENGLISH} "Start at login"
LangString SecLoginName ${LANG_FRENCH} "Démarrer à l'ouverture de session"
LangString SecLoginName ${LANG_ARABIC} "بدا ملي نحل البيسي"
LangString SecLoginText ${LANG_ENGLISH} "Start the app in the notification area when you log in, to be reminded of action days. The app's menu can turn this off."
LangString SecLoginText ${LANG_FRENCH} "Lancer l'application dans la zone de notification à l'ouverture de session, pour les rappels des journées d'action. Le menu de l'application peut le désactiver."
LangString SecLoginText ${LANG_ARABIC} "يتحل التطبيق فالتراي ملي تحل البيسي، باش يفكرك بأيام الحملة. تقدر تحيد هادشي من المينو ديال التطبيق."

LangString AppRunning ${LANG_ENGLISH} "Campaign Companion is running. Quit it (right-click its icon in the notification area, then Quit) and click Retry."
LangString AppRunning ${LANG_FRENCH} "Le Compagnon de campagne est ouvert. Quittez-le (clic droit sur son icône dans la zone de notification, puis Quitter) et cliquez sur Réessayer."
LangString AppRunning ${LANG_ARABIC} "رفيق الحملة باقي خدام. سدو (كليكي بالليمن على الأيقونة ديالو فالتراي، ومن بعد خروج) ومن بعد كليكي على «إعادة المحاولة»."

LangString AskRemoveData ${LANG_ENGLISH} "Also delete your data: the like counts, your action days, settings and logs in$\r$\n${DATA_DIR}?$\r$\n$\r$\nThis cannot be undone. Choose No to keep them for a later installation."
LangString AskRemoveData ${LANG_FRENCH} "Supprimer aussi vos données : les relevés de « j’aime », vos journées d'action, les réglages et les journaux, dans$\r$\n${DATA_DIR} ?$\r$\n$\r$\nC'est définitif. Choisissez Non pour les garder en vue d'une prochaine installation."
LangString AskRemoveData ${LANG_ARABIC} "واش نمسحو حتى المعطيات ديالك: أرقام اللايكات، أيام الحملة ديالك، الإعدادات والسجلات اللي ف$\r$\n⁨${DATA_DIR}⁩؟$\r$\n$\r$\nهادشي ما يمكنش يترجع. ختار «لا» باش تخليهم لشي تثبيت من بعد."

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
; A running app holds its files: ask the user to quit it (an executable that is running cannot
; be opened for writing), for the installer and the uninstaller alike.

!macro WAIT_UNTIL_CLOSED prefix
  Function ${prefix}WaitUntilClosed
    retry:
    ${If} ${FileExists} "$INSTDIR\${EXE}"
      ClearErrors
      FileOpen $0 "$INSTDIR\${EXE}" a
      ${If} ${Errors}
        MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY retry
        Abort
      ${EndIf}
      FileClose $0
    ${EndIf}
  FunctionEnd
!macroend
!insertmacro WAIT_UNTIL_CLOSED ""
!insertmacro WAIT_UNTIL_CLOSED "un."

; ---------------------------------------------------------------------------------------------
; Install

Section "!$(SecAppName)" SecApp
  SectionIn RO
  Call WaitUntilClosed
  SetOutPath "$INSTDIR"
  ; An upgrade: the old version's program goes (its libraries would otherwise linger beside the
  ; new ones); the user's data is in another folder and stays.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

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

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(SecAppText)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopText)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecLogin} "$(SecLoginText)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

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
  Call un.WaitUntilClosed
  Delete "$SMPROGRAMS\${SHORTCUT}"
  Delete "$DESKTOP\${SHORTCUT}"
  DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"

  ; Only what the installer put there: the folder may have been chosen with other files in it.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${INSTALLER_KEY}"
  DeleteRegKey /ifempty HKCU "Software\CampaignCompanion"

  ${If} ${FileExists} "${DATA_DIR}\*.*"
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(AskRemoveData)" /SD IDNO IDNO keep_data
    RMDir /r "${DATA_DIR}"
    RMDir "${DATA_PARENT}"
    keep_data:
  ${EndIf}
SectionEnd
