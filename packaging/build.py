"""Build the frozen app and every installer this platform can make, with one command.

In an environment with the app and the build tools from the locks (packaging/README.md, Building):

    python packaging/build.py [--keep GROUP,...] [--no-installers] [--no-check]

1. compiles the catalogs (``translations/catalogs.py``) and renders the icons (``icons.py``);
2. freezes the app with ``campaign-gui.spec`` into ``dist/campaign-gui/`` (work files in
   ``build/``), then runs the frozen app's ``--self-check`` in Darija and French;
3. packages it:

   - Linux: ``dist/campaign-gui-<version>-linux-<arch>.tar.xz`` (the folder, the desktop entry, the
     hicolor icons, the AppStream metadata, ``install.sh`` and ``uninstall.sh``); and where
     ``makensis`` is on the PATH, the Windows installer script compiled against the Linux folder
     as a stand-in, to check the script (``build/nsis-standin/``, never a release file);
   - Windows: ``dist/campaign-gui-<version>-setup.exe`` (NSIS), signed when
     ``WINDOWS_SIGN_COMMAND`` is set;
   - macOS: ``dist/Campaign Companion.app`` and ``dist/campaign-gui-<version>-macos-<arch>.dmg``
     (dmgbuild), signed when ``MACOS_SIGN_IDENTITY`` is set and notarised when the notary
     credentials are too (``packaging/README.md``);

4. prints the sizes, and the ten biggest contributors to the folder.

``--keep`` puts back groups of what the spec leaves out (``trim.py``), to measure or debug them.
"""

from __future__ import annotations

import argparse
import lzma
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "translations"))
import metadata  # noqa: E402 - packaging/ is this script's folder, hence on the path
import trim  # noqa: E402
from catalogs import compile_catalogs  # noqa: E402
from installer_texts import write_includes  # noqa: E402

BUILD = ROOT / "build"
DIST = ROOT / "dist"
ICONS = BUILD / "icons"
FOLDER = DIST / metadata.DIST_NAME
SPEC = HERE / "campaign-gui.spec"
WINDOWS = sys.platform == "win32"
MACOS = sys.platform == "darwin"
LINUX = sys.platform.startswith("linux")


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def warn(text: str) -> None:
    print(f"WARNING: {text}", flush=True)


def run(command: list[str], **kwargs) -> None:
    print("$ " + shlex.join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)


def architecture() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)


def source_date() -> int:
    """The time stamped on the packages' files: SOURCE_DATE_EPOCH, else the last commit's."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        )
        return int(out.stdout.strip())
    except (OSError, ValueError):
        return int(time.time())


# -- 1. catalogs and icons -------------------------------------------------------------------


def prepare() -> None:
    step("Catalogs")
    for path in compile_catalogs(ROOT):
        print(f"compiled {path.relative_to(ROOT)}")
    step("Icons")
    # In its own process: it starts a (offscreen) Qt application.
    run([sys.executable, str(HERE / "icons.py"), str(ICONS)])


# -- 2. the frozen app -----------------------------------------------------------------------


def freeze(keep: str) -> None:
    step("PyInstaller")
    env = dict(os.environ, CAMPAIGN_GUI_ICONS=str(ICONS), CAMPAIGN_GUI_KEEP=keep)
    # The spec's own SystemExit messages (a catalog missing, say) stop the build here.
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(SPEC),
        ],
        cwd=ROOT,
        env=env,
    )


def strip_python_debug_info(keep: frozenset[str]) -> None:
    """The interpreter of some Pythons (pyenv's) carries its debug information: 23 MB of
    libpython, 6 MB of the tarball. Only that library is stripped, and only of its debug
    sections: ``strip=True`` for the whole folder breaks numpy's OpenBLAS."""
    if not LINUX or "python-debug-info" in keep or shutil.which("strip") is None:
        return
    for library in sorted((FOLDER / "_internal").glob("libpython3*.so*")):
        if library.is_file() and not library.is_symlink():
            run(["strip", "--strip-debug", str(library)])


def frozen_executable() -> Path:
    if MACOS:
        return DIST / metadata.BUNDLE_NAME / "Contents" / "MacOS" / metadata.EXE_NAME
    if WINDOWS:  # the console one: the windowed one has no standard output to print to
        return FOLDER / f"{metadata.CLI_EXE_NAME}.exe"
    return FOLDER / metadata.EXE_NAME


def self_check() -> None:
    """Run the frozen app's self-check in Darija and French, on throwaway data folders."""
    step("Self-check of the frozen app")
    exe = frozen_executable()
    env = dict(os.environ)
    if LINUX and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="campaign-gui-build-") as scratch:
        for language in ("ary", "fr"):
            command = [
                str(exe),
                "--lang",
                language,
                "--data-dir",
                str(Path(scratch) / "data"),
                "--config-dir",
                str(Path(scratch) / "config"),
                "--self-check",
            ]
            result = subprocess.run(command, cwd=scratch, env=env, capture_output=True)
            sys.stdout.write(result.stdout.decode("utf-8", "replace"))
            if result.returncode != 0:
                sys.stdout.write(result.stderr.decode("utf-8", "replace"))
                raise SystemExit(f"the frozen app failed its self-check ({language})")


# -- 3. packages -----------------------------------------------------------------------------


def linux_tarball(version: str, preset: int) -> Path:
    step("Linux tarball")
    name = f"{metadata.DIST_NAME}-{version}-linux-{architecture()}"
    target = DIST / f"{name}.tar.xz"
    stamp = source_date()
    date = time.strftime("%Y-%m-%d", time.gmtime(stamp))
    with tempfile.TemporaryDirectory(prefix="campaign-gui-tar-") as scratch:
        share = Path(scratch) / "share"
        (share / "applications").mkdir(parents=True)
        shutil.copyfile(
            ROOT / "resources" / "linux" / f"{metadata.DESKTOP_ID}.desktop",
            share / "applications" / f"{metadata.DESKTOP_ID}.desktop",
        )
        (share / "metainfo").mkdir()
        template = ROOT / "resources" / "linux" / f"{metadata.APPSTREAM_ID}.metainfo.xml"
        (share / "metainfo" / template.name).write_text(
            template.read_text(encoding="utf-8")
            .replace("@VERSION@", version)
            .replace("@DATE@", date),
            encoding="utf-8",
        )
        shutil.copytree(ICONS / "hicolor", share / "icons" / "hicolor")
        readme = Path(scratch) / "README.txt"
        readme.write_text(
            f"{metadata.APP_NAME} {version}\n\n"
            "Try it:     ./campaign-gui/campaign-gui\n"
            "Install it: ./install.sh   (for you only, under ~/.local; no administrator rights)\n"
            "Remove it:  ~/.local/lib/campaign-gui/uninstall.sh\n",
            encoding="utf-8",
        )

        def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = stamp
            if info.isfile() or info.isdir():
                info.mode = 0o755 if info.isdir() or info.mode & 0o111 else 0o644
            return info

        members = [
            (FOLDER, metadata.DIST_NAME),
            (share, "share"),
            (HERE / "linux" / "install.sh", "install.sh"),
            (HERE / "linux" / "uninstall.sh", "uninstall.sh"),
            (readme, "README.txt"),
        ]
        print(f"writing {target.relative_to(ROOT)} (xz preset {preset}, extreme)", flush=True)
        with (
            lzma.open(target, "wb", preset=preset | lzma.PRESET_EXTREME) as stream,
            tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            for source, arcname in members:
                tar.add(source, arcname=f"{name}/{arcname}", filter=normalise)
    return target


def nsis(
    version: str, source: Path, outfile: Path, icons: Path = ICONS, work: Path = BUILD / "nsis"
) -> Path | None:
    """The setup program of ``source``, its texts from the catalogs (``installer_texts.py``)."""
    makensis = shutil.which("makensis")
    if not makensis:
        message = "makensis is not on the PATH: no Windows installer"
        if WINDOWS:
            raise SystemExit(message + " (install NSIS: choco install nsis)")
        warn(message + " (Debian: apt-get install nsis)")
        return None
    step("Windows installer (NSIS)" + ("" if WINDOWS else ", the Linux folder as a stand-in"))
    outfile.parent.mkdir(parents=True, exist_ok=True)
    includes = write_includes(source, work)
    command = [
        makensis,
        "-V2",
        "-INPUTCHARSET",
        "UTF8",
        f"-DVERSION={version}",
        "-DVERSION4=" + ".".join(str(n) for n in metadata.version_tuple(version)),
        f"-DSOURCE={source}",
        f"-DICONS={icons}",
        f"-DINCLUDES={includes}",
        f"-DOUTFILE={outfile}",
    ]
    sign = os.environ.get("WINDOWS_SIGN_COMMAND")
    if WINDOWS and sign:
        command.append(f"-DSIGN_COMMAND={sign}")
    elif WINDOWS:
        warn(
            "WINDOWS_SIGN_COMMAND is not set: the installer is not signed, and Windows "
            "SmartScreen will warn whoever runs it"
        )
    run([*command, str(HERE / "windows" / "installer.nsi")])
    return outfile


def sign_windows_executables() -> None:
    sign = os.environ.get("WINDOWS_SIGN_COMMAND")
    if not sign:
        return  # nsis() says so
    step("Signing the executables")
    for exe in sorted(FOLDER.glob("*.exe")):
        print(f"signing {exe.name}", flush=True)
        subprocess.run(f'{sign} "{exe}"', shell=True, check=True)


def macos_dmg(version: str) -> Path:
    step("macOS disk image")
    import dmgbuild  # macOS only: it reads platform.mac_ver() when imported

    app = DIST / metadata.BUNDLE_NAME
    target = DIST / f"{metadata.DIST_NAME}-{version}-macos-{architecture()}.dmg"
    target.unlink(missing_ok=True)
    dmgbuild.build_dmg(
        str(target),
        metadata.APP_NAME,
        settings_file=str(HERE / "macos" / "dmg_settings.py"),
        defines={"app": str(app), "icon": str(ICONS / f"{metadata.ICON_NAME}.icns")},
    )
    identity = os.environ.get("MACOS_SIGN_IDENTITY")
    if not identity:
        warn(
            "MACOS_SIGN_IDENTITY is not set: the app is signed ad hoc only, and Gatekeeper "
            "will refuse to open it on another Mac (right-click, Open, to get past it)"
        )
        return target
    run(["codesign", "--sign", identity, "--timestamp", str(target)])
    notarise(target)
    return target


def notarise(dmg: Path) -> None:
    """Send the dmg to Apple's notary service and staple the ticket, given credentials:
    MACOS_NOTARY_PROFILE (a keychain profile from `xcrun notarytool store-credentials`), or
    MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID and MACOS_NOTARY_PASSWORD (app-specific)."""
    env = os.environ
    if env.get("MACOS_NOTARY_PROFILE"):
        credentials = ["--keychain-profile", env["MACOS_NOTARY_PROFILE"]]
    elif all(env.get(f"MACOS_NOTARY_{k}") for k in ("APPLE_ID", "TEAM_ID", "PASSWORD")):
        credentials = [
            "--apple-id",
            env["MACOS_NOTARY_APPLE_ID"],
            "--team-id",
            env["MACOS_NOTARY_TEAM_ID"],
            "--password",
            env["MACOS_NOTARY_PASSWORD"],
        ]
    else:
        warn(
            "no notary credentials (MACOS_NOTARY_PROFILE, or MACOS_NOTARY_APPLE_ID, "
            "_TEAM_ID and _PASSWORD): the dmg is signed but not notarised, and Gatekeeper "
            "will warn on first opening"
        )
        return
    step("Notarisation")
    print("$ xcrun notarytool submit " + str(dmg) + " --wait (credentials hidden)", flush=True)
    subprocess.run(["xcrun", "notarytool", "submit", str(dmg), "--wait", *credentials], check=True)
    run(["xcrun", "stapler", "staple", str(dmg)])


# -- 4. sizes --------------------------------------------------------------------------------


def size_text(size: int) -> str:
    return f"{size / 1e6:6.1f} MB ({size / 2**20:5.1f} MiB)"


def report(artifacts: list[Path]) -> None:
    step("Sizes")
    files = [p for p in FOLDER.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    print(f"{FOLDER.relative_to(ROOT)}/: {size_text(total)} in {len(files)} files")
    for artifact in artifacts:
        if artifact.exists():
            size = artifact.stat().st_size if artifact.is_file() else _tree_size(artifact)
            print(f"{artifact.relative_to(ROOT)}: {size_text(size)}")
    print("\nThe ten biggest files in the folder:")
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:10]:
        size = path.stat().st_size
        print(f"  {size_text(size)} {size / total:6.1%}  {path.relative_to(FOLDER)}")
    packages: Counter[str] = Counter()
    for path in files:
        parts = path.relative_to(FOLDER).parts
        inner = parts[1:] if parts[0] == "_internal" and len(parts) > 1 else parts
        key = "/".join(inner[:3]) if inner[:2] == ("PySide6", "Qt") else inner[0]
        packages[key] += path.stat().st_size
    print("\nThe ten biggest contributors (packages; Qt by folder):")
    for key, size in packages.most_common(10):
        print(f"  {size_text(size)} {size / total:6.1%}  {key}")


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep",
        default="",
        help=f"comma-separated groups to leave in (of {', '.join(trim.GROUPS)}, or all)",
    )
    parser.add_argument("--no-installers", action="store_true", help="stop after the frozen folder")
    parser.add_argument("--no-check", action="store_true", help="skip the frozen self-check")
    parser.add_argument(
        "--xz-preset", type=int, default=9, choices=range(10), help="Linux tarball (default 9)"
    )
    args = parser.parse_args(argv)
    trim.kept_groups({"CAMPAIGN_GUI_KEEP": args.keep})  # an unknown name stops here
    metadata.check_app_agrees()
    version = metadata.version()
    print(f"{metadata.APP_NAME} {version}, {sys.platform} {architecture()}")

    prepare()
    freeze(args.keep)
    strip_python_debug_info(trim.kept_groups({"CAMPAIGN_GUI_KEEP": args.keep}))
    if not args.no_check:
        self_check()
    artifacts: list[Path] = []
    if MACOS:
        artifacts.append(DIST / metadata.BUNDLE_NAME)
    if not args.no_installers:
        if LINUX:
            artifacts.append(linux_tarball(version, args.xz_preset))
            standin = BUILD / "nsis-standin" / f"{metadata.DIST_NAME}-{version}-setup.exe"
            if nsis(version, FOLDER, standin):
                artifacts.append(standin)
        elif WINDOWS:
            sign_windows_executables()
            setup = DIST / f"{metadata.DIST_NAME}-{version}-setup.exe"
            if nsis(version, FOLDER, setup):
                artifacts.append(setup)
        elif MACOS:
            artifacts.append(macos_dmg(version))
    report(artifacts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
