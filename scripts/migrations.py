#!/usr/bin/env python3
"""One migration source per service: SQLite's migrations are written from PostgreSQL's.

Each service keeps its migrations once, in `services/<name>/migrations/postgres/`. Where
SQLite spells a type or an expression differently, `services/<name>/migrations/sqlite.map`
says so, one `postgres spelling => sqlite spelling` a line (whole words; `#` starts a comment
line); under a `[<file>.sql]` line, the rules that follow apply to that migration only.
This script writes `migrations/sqlite/` from the two; `--check` fails when what is committed
differs from what it would write (CI runs it), so the backends cannot drift apart. The tests
apply every migration on both databases.

The SQLite files are committed because sqlx embeds a directory at build time, and byte for
byte because a migration's checksum is its text: an applied migration must never change.

    python3 scripts/migrations.py          # write migrations/sqlite/ of every service
    python3 scripts/migrations.py --check  # fail if any differs
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_map(path: Path) -> dict[str, list[tuple[re.Pattern, str]]]:
    """The substitutions of a sqlite.map, in order: under "" those for every migration, under
    a file name those for that one."""
    rules: dict[str, list] = {"": []}
    if not path.exists():
        return rules
    scope = ""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            scope = line[1:-1]
            rules.setdefault(scope, [])
            continue
        if "=>" not in line:
            sys.exit(f"{path}:{number}: expected `postgres => sqlite` or `[file.sql]`")
        postgres, sqlite = (part.strip() for part in line.split("=>", 1))
        # Whole words only, so BIGINT does not touch BIGINTEGER; literal otherwise.
        pattern = re.compile(r"(?<![\w])" + re.escape(postgres) + r"(?![\w])")
        rules[scope].append((pattern, sqlite))
    return rules


def sqlite_of(name: str, postgres_sql: str, rules) -> str:
    for pattern, replacement in rules[""] + rules.get(name, []):
        postgres_sql = pattern.sub(lambda _: replacement, postgres_sql)
    return postgres_sql


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for migrations in sorted(ROOT.glob("services/*/migrations")):
        rules = read_map(migrations / "sqlite.map")
        unknown = set(rules) - {""} - {f.name for f in (migrations / "postgres").glob("*.sql")}
        if unknown:
            sys.exit(f"{migrations}/sqlite.map names no migration: {', '.join(sorted(unknown))}")
        source = migrations / "postgres"
        target = migrations / "sqlite"
        wanted = {
            f.name: sqlite_of(f.name, f.read_text(), rules) for f in sorted(source.glob("*.sql"))
        }
        present = {f.name for f in target.glob("*.sql")}
        for name, text in wanted.items():
            path = target / name
            if not path.exists() or path.read_text() != text:
                stale.append(path)
                if not check:
                    target.mkdir(exist_ok=True)
                    path.write_text(text)
        for name in sorted(present - wanted.keys()):
            stale.append(target / name)
            if not check:
                (target / name).unlink()
    if check and stale:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not what scripts/migrations.py writes", file=sys.stderr)
        print("write migrations in postgres/ only, then run `make migrations`", file=sys.stderr)
        return 1
    if not check:
        for path in stale:
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
