; A stand-in for campaign-gui.exe in the installer's tests (tests/test_windows_installer.py): a
; real Windows program, with no window, that runs until told to quit.
;
; It writes %TEMP%\campaign-gui-standin.started once running, then quits as soon as
; %TEMP%\campaign-gui-standin.quit exists (which it deletes).

Unicode true
SilentInstall silent
RequestExecutionLevel user
OutFile "${OUTFILE}"

Section
  FileOpen $0 "$TEMP\campaign-gui-standin.started" w
  FileClose $0
  wait:
  IfFileExists "$TEMP\campaign-gui-standin.quit" done
  Sleep 100
  Goto wait
  done:
  Delete "$TEMP\campaign-gui-standin.quit"
  Delete "$TEMP\campaign-gui-standin.started"
SectionEnd
