"""Validates rendered manifests: built-in kinds strictly against the Kubernetes schemas shipped by
kubernetes-validate (offline), third-party kinds against deploy/schemas/<group>-<version>-<Kind>.json.
A kind with neither fails the check.

    python scripts/deploy_validate.py K8S_VERSION RENDERED.yaml SPLIT_DIR

Writes each document to SPLIT_DIR (one file per resource) for the security scan.
"""

import json
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

SCHEMAS = Path(__file__).resolve().parents[1] / "deploy/schemas"


def main():
    version, rendered, split = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    split.mkdir(parents=True, exist_ok=True)
    failures, counts = [], {"strict": 0, "own schema": 0}
    for index, doc in enumerate(yaml.safe_load_all(rendered.read_text())):
        if not doc:
            continue
        kind, api = doc.get("kind", "?"), doc.get("apiVersion", "?")
        name = f"{kind}/{doc.get('metadata', {}).get('name', '?')}"
        (split / f"{index:03d}-{kind}-{doc['metadata']['name']}.yaml").write_text(yaml.safe_dump(doc))
        own = SCHEMAS / f"{api.replace('/', '-')}-{kind}.json"
        if own.exists():
            try:
                jsonschema.validate(doc, json.loads(own.read_text()))
                counts["own schema"] += 1
            except jsonschema.ValidationError as e:
                failures.append(f"{name}: {e.message} at {'/'.join(map(str, e.absolute_path))}")
            continue
        try:
            kubernetes_validate.validate(doc, version, strict=True)
            counts["strict"] += 1
        except kubernetes_validate.SchemaNotFoundError:
            failures.append(f"{name}: {api} is neither a Kubernetes {version} kind nor in deploy/schemas/")
        except kubernetes_validate.ValidationError as e:
            path = "/".join(map(str, e.caused_by.absolute_path))
            failures.append(f"{name}: {e.caused_by.message} at {path}")
    if failures:
        print(f"{rendered}: invalid resources:", *failures, sep="\n  ")
        sys.exit(1)
    print(
        f"{rendered.name}: {counts['strict']} resources valid (Kubernetes {version}, strict), "
        f"{counts['own schema']} third-party (CloudNativePG, cert-manager, Prometheus Operator) valid against deploy/schemas/"
    )


if __name__ == "__main__":
    main()
