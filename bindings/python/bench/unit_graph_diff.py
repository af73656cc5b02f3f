"""Compares two `cargo --unit-graph` outputs: every unit of the second (the wheel's build) must
exist in the first (`cargo test --workspace`) with the same features and profile settings, so
the wheel reuses what the test build compiled. Exit 1 and a list when they differ."""

import json
import sys


def units(path):
    graph = json.load(open(path, encoding="utf-8"))
    out = {}
    for unit in graph["units"]:
        if unit["mode"] != "build":
            continue
        key = (unit["pkg_id"].split("#")[-1], unit["target"]["name"], tuple(unit["target"]["kind"]))
        # The profile's name (test/dev) is not part of an artifact's identity; its settings are.
        profile = {k: v for k, v in unit["profile"].items() if k != "name"}
        out.setdefault(key, set()).add((tuple(sorted(unit["features"])), json.dumps(profile, sort_keys=True)))
    return out


def main(test_graph, python_graph):
    tested, wheel = units(test_graph), units(python_graph)
    differ = []
    for key, variants in sorted(wheel.items()):
        if key not in tested:
            continue  # only the wheel builds it (pyo3, the extension itself)
        for variant in variants - tested[key]:
            differ.append(f"{key[0]} {key[1]}: features {list(variant[0])}, test build has {[list(v[0]) for v in tested[key]]}")
    for line in differ:
        print("differs:", line)
    print(f"python-feature-check: {len(differ)} shared units differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
