"""The window's translations: extract, compile and check (Qt's .ts sources and .qm files).

    python scripts/i18n.py update   # sources -> kiosk/assets/i18n/{ko,en}.ts (translations kept)
    python scripts/i18n.py build    # .ts -> .qm (committed beside the .ts)
    python scripts/i18n.py check    # exit 1 if any string is missing, unfinished, empty or stale

Source text is English, written in the code through `self.tr()`,
`QCoreApplication.translate(context, text)` or `QT_TRANSLATE_NOOP(context, text)`.
Korean is translated by hand in `ko.ts` (Qt Linguist, or any editor: it is XML); `en.ts`
is filled by `update` with the source text itself, so English is complete by
construction and can still be refined by hand (a refined English text is never
overwritten; only unfinished entries are).

The compiled `.qm` files are committed: the app, a wheel and a packaged build then need
no Qt tools, and `check` proves that the committed `.qm` is exactly what `build` makes
from the committed `.ts`. `--src`/`--i18n` point the script at other folders (tests).
Exit codes: 0 ok, 1 a check failed, 2 usage error or a Qt tool missing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC_DEFAULT = REPO / "kiosk" / "ui"
I18N_DEFAULT = REPO / "kiosk" / "assets" / "i18n"
LANGUAGES = ("ko", "en")
SOURCE_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"%(?:\d+|n|L\d+|Ln)")


class ToolMissing(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    kind: str  # "" (finished), "unfinished", "obsolete" or "vanished"
    forms: tuple[str, ...]  # the translation (one entry, or one per plural form)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)

    def describe(self) -> str:
        return f"{self.context}: {self.source!r}" + (f" ({self.comment})" if self.comment else "")


def _tool(name: str) -> str:
    # The venv's bin folder is not on PATH when the script runs as .venv/bin/python scripts/i18n.py.
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise ToolMissing(f"{name} not found: install PySide6 (./dev setup) and run with its python")
    return found


def _run(args: Sequence[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise ToolMissing(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()}")


def _sources(src: Path) -> list[Path]:
    return sorted(p for p in src.rglob("*.py") if "__pycache__" not in p.parts)


def _lupdate(src: Path, ts_files: Sequence[Path], lang: str) -> None:
    # -no-obsolete: a string gone from the code leaves the file (git keeps its history), so
    # translators see only what the window shows. Relative locations point translators at
    # the code without rewriting every entry when a line moves.
    _run(
        [
            _tool("pyside6-lupdate"),
            *map(str, _sources(src)),
            "-silent",
            "-no-obsolete",
            "-locations",
            "relative",
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            lang,
            "-ts",
            *map(str, ts_files),
        ]
    )


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for msg in context.iter("message"):
            tr = msg.find("translation")
            numerus = msg.get("numerus") == "yes"
            if tr is None:
                forms: tuple[str, ...] = ("",)
                kind = "unfinished"
            else:
                kind = tr.get("type", "")
                forms = tuple(f.text or "" for f in tr.iter("numerusform")) if numerus else (tr.text or "",)
            messages.append(
                Message(name, msg.findtext("source", ""), msg.findtext("comment", ""), numerus, kind, forms)
            )
    return messages


def fill_source_language(path: Path) -> int:
    """Give every unfinished entry of the source-language file its source text; return how many."""
    tree = ET.parse(path)
    filled = 0
    for msg in tree.getroot().iter("message"):
        tr = msg.find("translation")
        if tr is None or tr.get("type") != "unfinished":
            continue
        source = msg.findtext("source", "")
        if msg.get("numerus") == "yes":
            forms = list(tr.iter("numerusform")) or [ET.SubElement(tr, "numerusform")]
            for form in forms:
                form.text = source
        else:
            tr.text = source
        del tr.attrib["type"]
        filled += 1
    if filled:
        tree.write(path, encoding="utf-8", xml_declaration=True)
    return filled


def update(src: Path, i18n: Path) -> list[str]:
    i18n.mkdir(parents=True, exist_ok=True)
    report = []
    for lang in LANGUAGES:
        ts = i18n / f"{lang}.ts"
        _lupdate(src, [ts], lang)
        if lang == SOURCE_LANGUAGE and fill_source_language(ts):
            _lupdate(src, [ts], lang)  # lupdate rewrites the file in its own layout
        todo = sum(1 for m in read_ts(ts) if m.kind == "unfinished")
        report.append(f"{ts.name}: {len(read_ts(ts))} messages, {todo} to translate")
    return report


def _lrelease(ts: Path, qm: Path) -> None:
    # -nounfinished: a guess lupdate carried over from an edited string is never shown.
    _run([_tool("pyside6-lrelease"), "-silent", "-nounfinished", str(ts), "-qm", str(qm)])


def build(i18n: Path) -> list[str]:
    report = []
    for lang in LANGUAGES:
        _lrelease(i18n / f"{lang}.ts", i18n / f"{lang}.qm")
        report.append(f"{lang}.qm")
    return report


def _used_keys(src: Path) -> dict[tuple[str, str, str], Message]:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.ts"
        _lupdate(src, [fresh], SOURCE_LANGUAGE)
        return {m.key: m for m in read_ts(fresh)}


def _problems(lang: str, ts: Path, used: dict[tuple[str, str, str], Message]) -> Iterator[str]:
    if not ts.is_file():
        yield f"{ts.name}: missing (run: python scripts/i18n.py update)"
        return
    have = {m.key: m for m in read_ts(ts)}
    for key, wanted in used.items():
        msg = have.get(key)
        where = f"{ts.name}: {wanted.describe()}"
        if msg is None:
            yield f"{where}: not in the file (run: python scripts/i18n.py update)"
        elif msg.kind in ("obsolete", "vanished"):
            yield f"{where}: marked {msg.kind} but the code uses it (run: python scripts/i18n.py update)"
        elif msg.kind == "unfinished":
            yield f"{where}: unfinished"
        elif any(not form.strip() for form in msg.forms):
            yield f"{where}: empty translation"
        elif any(
            set(_PLACEHOLDER.findall(form)) != set(_PLACEHOLDER.findall(msg.source)) for form in msg.forms
        ):
            yield f"{where}: placeholders differ from the source"


def check(src: Path, i18n: Path) -> tuple[list[str], list[str]]:
    """(problems, notes): problems fail the check; notes (strings no longer used) do not."""
    used = _used_keys(src)
    problems: list[str] = []
    notes: list[str] = []
    for lang in LANGUAGES:
        ts, qm = i18n / f"{lang}.ts", i18n / f"{lang}.qm"
        found = list(_problems(lang, ts, used))
        problems.extend(found)
        if not ts.is_file():
            continue
        stale = [m for m in read_ts(ts) if m.key not in used]
        notes.extend(f"{ts.name}: {m.describe()}: no longer used" for m in stale)
        with tempfile.TemporaryDirectory() as tmp:
            fresh_qm = Path(tmp) / qm.name
            _lrelease(ts, fresh_qm)
            if not qm.is_file() or qm.read_bytes() != fresh_qm.read_bytes():
                problems.append(f"{qm.name}: not built from {ts.name} (run: python scripts/i18n.py build)")
    return problems, notes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Extract, compile and check the window's translations.")
    parser.add_argument("command", choices=("update", "build", "check"))
    parser.add_argument("--src", type=Path, default=SRC_DEFAULT, help="folder of the window's Python code")
    parser.add_argument("--i18n", type=Path, default=I18N_DEFAULT, help="folder of the .ts and .qm files")
    args = parser.parse_args(argv)
    if not args.src.is_dir():
        parser.error(f"--src {args.src} is not a folder")
    try:
        if args.command == "update":
            print("\n".join(update(args.src, args.i18n)))
        elif args.command == "build":
            print("built " + ", ".join(build(args.i18n)))
        else:
            problems, notes = check(args.src, args.i18n)
            for line in notes:
                print(f"note: {line}")
            for line in problems:
                print(line, file=sys.stderr)
            if problems:
                print(f"i18n check: {len(problems)} problem(s)", file=sys.stderr)
                return 1
            print(f"i18n check: ok ({', '.join(LANGUAGES)} complete)")
    except ToolMissing as exc:
        print(f"i18n: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
