#!/usr/bin/env python3
"""Writes export/ftm-schema.json, the FollowTheMoney model the FtM export
checks every property it writes against: for each schema, what it is (its
ancestors, itself included) and every property it has (inherited ones
included) with its type and, for entity references, the range.

Run with the followthemoney package installed (scripts/export-deps.sh puts
it in $HOME/.cache/scamgraph/venv):

    ~/.cache/scamgraph/venv/bin/python scripts/ftm-schema.py > export/ftm-schema.json
"""
import json
import sys

import followthemoney
from followthemoney import model

out = {"followthemoney": followthemoney.__version__, "schemata": {}}
for name, schema in sorted(model.schemata.items()):
    props = {}
    for pname, prop in sorted(schema.properties.items()):
        if prop.stub:
            continue
        p = {"type": prop.type.name}
        if prop.range is not None:
            p["range"] = prop.range.name
        props[pname] = p
    out["schemata"][name] = {
        "is": sorted(s.name for s in schema.schemata),
        "abstract": schema.abstract,
        "required": sorted(schema.required),
        "properties": props,
    }
json.dump(out, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
