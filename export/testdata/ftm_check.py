#!/usr/bin/env python3
"""Checks FtM entity files with followthemoney, the reference
implementation: every line must load with model.get_proxy(data,
cleaned=False) and pass the schema's own validation (Schema.validate),
name only properties its schema has, keep every value through
followthemoney's cleaning (a value it drops is one it finds invalid), carry
its required properties, and point only at entities of the file whose
schema is within the property's range. Prints one line per problem and
exits 1 on any; prints a summary line and exits 0 otherwise.

    python ftm_check.py FILE...
"""
import json
import sys

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.types import registry

# Document (and so Article) lists fileName as required; followthemoney's
# own Schema.validate only rejects it when present and empty, and reports
# from the press have no file. Every other required property is checked.
NOT_REQUIRED = {"fileName"}

errors = []
entities = {}
refs = []
lines = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            where = f"{path}:{no}"
            if not raw.strip():
                continue
            lines += 1
            try:
                data = json.loads(raw)
            except ValueError as e:
                errors.append(f"{where}: not JSON: {e}")
                continue
            schema = model.get(data.get("schema"))
            if schema is None:
                errors.append(f"{where}: unknown schema {data.get('schema')!r}")
                continue
            if schema.abstract:
                errors.append(f"{where}: abstract schema {schema.name}")
            try:
                proxy = model.get_proxy(data, cleaned=False)
            except Exception as e:  # noqa: BLE001 - any failure is a finding
                errors.append(f"{where}: get_proxy: {e}")
                continue
            if not proxy.id or proxy.id != data.get("id"):
                errors.append(f"{where}: id {data.get('id')!r} does not survive cleaning ({proxy.id!r})")
            elif not registry.entity.validate(proxy.id):
                errors.append(f"{where}: id {proxy.id!r} is not a valid FtM entity id")
            elif proxy.id in entities:
                errors.append(f"{where}: id {proxy.id} appears twice")
            props = data.get("properties") or {}
            try:
                schema.validate(data)
            except InvalidData as e:
                errors.append(f"{where}: {schema.name}: {e.errors}")
            for name, values in props.items():
                prop = schema.get(name)
                if prop is None:
                    errors.append(f"{where}: {schema.name} has no property {name!r}")
                    continue
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    errors.append(f"{where}: {name}: not a list of strings")
                    continue
                kept = proxy.get(prop)
                for v in values:
                    if not prop.type.validate(v):
                        errors.append(f"{where}: {name}: {v!r} is not a valid {prop.type.name}")
                    elif prop.type.name != "entity" and prop.type.clean(v, proxy=proxy) not in kept:
                        errors.append(f"{where}: {name}: {v!r} dropped by cleaning")
                    if prop.type.name == "entity":
                        refs.append((where, name, v, prop.range))
            for req in schema.required:
                if req not in NOT_REQUIRED and not props.get(req):
                    errors.append(f"{where}: {schema.name} requires {req}")
            entities[proxy.id] = schema
for where, name, value, rng in refs:
    target = entities.get(value)
    if target is None:
        errors.append(f"{where}: {name}: {value} is not an entity of the file")
    elif rng is not None and not target.is_a(rng):
        errors.append(f"{where}: {name}: {value} is a {target.name}, not a {rng.name}")
for e in errors[:200]:
    print(e)
if errors:
    print(f"ftm_check: {len(errors)} problems in {lines} entities")
    sys.exit(1)
print(f"ftm_check: {lines} entities valid ({len(refs)} references resolved)")
