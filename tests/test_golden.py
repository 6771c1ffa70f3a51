"""Golden file of the reference case report: the resources compared by meaning (type, codes,
values, statuses, dosage, provenance spans) and then byte for byte. After an intended change run
`python scripts/update_golden.py` and review the diff of fixtures/."""
import json
import subprocess
import sys

from converter.fhir.build import to_json
from tests.conftest import REPO

GOLDEN = REPO / "fixtures" / "calcinosis_cutis.expected.json"
DERIV = "http://hl7.org/fhir/StructureDefinition/derivation-reference"


def summary(bundle: dict) -> list:
    """What a resource says, without ids: sorted, comparable, readable in a failure diff."""
    out = []
    for e in bundle["entry"]:
        r = e["resource"]
        cc = r.get("code") or r.get("medicationCodeableConcept") or {}
        spans, status_spans = (sorted(({x["url"]: x.get("valueInteger") for x in ext["extension"]}.get("offset", -1),
                                       {x["url"]: x.get("valueInteger") for x in ext["extension"]}.get("length", -1))
                                      for ext in exts if ext["url"] == DERIV)
                               for exts in (r.get("extension", []), r.get("_status", {}).get("extension", [])))
        out.append(json.dumps({
            "type": r["resourceType"], "text": cc.get("text"),
            "codes": sorted(f"{c['system']}|{c['code']}" for c in cc.get("coding", [])),
            "gender": r.get("gender"), "status": r.get("status"),
            "verification": (r.get("verificationStatus") or {}).get("coding", [{}])[0].get("code"),
            "clinical": (r.get("clinicalStatus") or {}).get("coding", [{}])[0].get("code"),
            "value": r.get("valueQuantity") or r.get("valueCodeableConcept") or r.get("valueString"),
            "interpretation": [c["code"] for i in r.get("interpretation", []) for c in i["coding"]],
            "dosage": r.get("dosage"), "onset": r.get("onsetAge"), "spans": spans,
            **({"status_spans": status_spans} if status_spans else {}),
        }, sort_keys=True, default=str))
    return sorted(out)


def test_golden_semantic(seed_bundle):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    got = json.loads(to_json(seed_bundle))
    assert summary(got) == summary(golden)


def test_golden_bytes(seed_bundle):
    assert to_json(seed_bundle, pretty=True) + "\n" == GOLDEN.read_text(encoding="utf-8")


def test_cli_output_is_byte_identical_across_runs(tmp_path):
    outs = []
    for n in range(2):
        p = tmp_path / f"{n}.json"
        subprocess.run([sys.executable, "-m", "converter.cli", "convert", str(REPO / "fixtures" / "calcinosis_cutis.pdf"),
                        "-o", str(p)], check=True, env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "0"})
        outs.append(p.read_bytes())
    assert outs[0] == outs[1] and len(outs[0]) > 10_000
