"""The trust-list snapshot the package carries (`./dev package` runs this before PyInstaller).

    python scripts/trust_snapshot.py OUT.json [--config RELEASE_CONFIG]

With `--config` (a config.toml naming the national upstream and this build's key) the list is
synced from that upstream. Without it, a simulator is started for the purpose: the file is
then marked `source: simulator`, and a kiosk only uses it while the simulator is its
upstream, so a release build needs the real one. Exit 0 when the file is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.cli import main as kiosk  # noqa: E402


def _make(out: Path, config: Path, data: Path) -> int:
    for argv in (["trust", "update"], ["trust", "export-bundle", str(out)]):
        code = kiosk([*argv, "--config", str(config), "--data", str(data)])
        if code != 0:
            return code
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--config", type=Path, help="a config naming the real upstream and its key")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trust-snapshot-") as tmp:
        data = Path(tmp) / "data"
        if args.config is not None:
            return _make(args.out, args.config, data)
        from kiosk.simulator.server import Simulator

        with Simulator() as sim:
            config = Path(tmp) / "config.toml"
            config.write_text(f'[upstream]\nurl = "{sim.url}"\napi_key = "demo-key"\n', encoding="utf-8")
            return _make(args.out, config, data)


if __name__ == "__main__":
    sys.exit(main())
