#!/usr/bin/env python3
"""Validates every built-in rules file (instrument, rules, rule tests) against
schema/coach-rules.schema.json with the reference `jsonschema` package (PyPI), as a second
opinion on the Swift test that does the same with its own small validator.

    pip install jsonschema pyyaml
    python3 scripts/check-schema.py [RULES_DIR]
"""
import json
import pathlib
import sys

import jsonschema
import yaml

root = pathlib.Path(__file__).resolve().parent.parent
rules = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "Rules"
schema = json.loads((root / "schema" / "coach-rules.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = 0
files = sorted(rules.rglob("*.yaml"))
for path in files:
    for error in validator.iter_errors(yaml.safe_load(path.read_text())):
        failures += 1
        where = "/".join(str(part) for part in error.absolute_path)
        print(f"{path}: {where}: {error.message}")
print(f"{len(files)} files, {failures} schema errors")
sys.exit(1 if failures else 0)
