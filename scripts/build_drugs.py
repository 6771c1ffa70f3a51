"""Build mappings/drugs.tsv from the drug-named-entity-recognition package (dev-time only).

    pip install "drug-named-entity-recognition==2.0.9" wordfreq
    python scripts/build_drugs.py

Source: drug-named-entity-recognition 2.0.9 (MIT), whose dictionary merges MedlinePlus drug names,
DrugBank open-data vocabulary (CC0), MeSH and Wikipedia; we keep names, brand names, DrugBank and
MeSH ids. Canonical entries whose MeSH tree numbers are all under D27 (Chemical Actions and Uses:
pharmacological classes) are classes, not drugs: they go to drug_classes.tsv by hand, not here.
Brand/synonym variants that are common English words (wordfreq Zipf >= 3.3: "Focus", "Today")
are dropped, and so are the entries and variants mappings/drugs.excluded.tsv lists (not drugs in case-report
text: organisms, stains, protein subunits, eponyms). RxNorm codes are joined by exact normalised name from mappings/drugs_rxnorm.tsv
(see its header for its source)."""
from __future__ import annotations

import bz2
import csv
import pickle
import re
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from converter.terminology.normalize import key, slug  # noqa: E402

COMMON_ZIPF = 3.3
MESH_ONLY_KEEP = re.compile(r"insulin|heparin|immunoglobulin|interferon|saline|estradiol|vaccine|antivenin|antitoxin", re.I)
# MeSH-only entries (no DrugBank/MedlinePlus id) under these trees are substances, not drugs:
# enzymes, proteins (antibodies, receptors), biological factors, nucleic acids, macromolecules
NON_DRUG_TREES = ("D08", "D12.776", "D23", "D13", "D05", "D12.125", "D12.644.233")


def main() -> None:
    import drug_named_entity_recognition as dner
    from importlib.metadata import version
    from wordfreq import zipf_frequency
    from spacy.lang.en.stop_words import STOP_WORDS

    ver = version("drug-named-entity-recognition")
    path = resources.files(dner) / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path.open("rb")) as fh:
        d = pickle.load(fh)
    v2c = d["drug_variant_to_canonical"]
    c2d = d["drug_canonical_to_data"]
    vdata = d["drug_variant_to_variant_data"]

    rx = {}
    rxsrc = {}
    rxfile = ROOT / "mappings" / "drugs.rxnorm.tsv"
    if rxfile.exists():
        for row in csv.DictReader((l for l in rxfile.open(encoding="utf-8") if not l.startswith("#")), delimiter="\t"):
            rx.setdefault(key(row["name"]), row["rxcui"])
            rxsrc.setdefault(key(row["name"]), row["source"])
    rx_used = set()
    rx_sorted = {" ".join(sorted(k.split())): k for k in rx}

    curated: dict[str, tuple[list[str], str]] = {}
    cfile = ROOT / "mappings" / "drugs.curated.tsv"
    if cfile.exists():
        lines = [l for l in cfile.open(encoding="utf-8") if not l.startswith("#") and l.strip()]
        for row in csv.DictReader(lines, delimiter="\t"):
            curated[key(row["name"])] = ([x for x in row["synonyms"].split("|") if x], row["source"])

    excluded_entries, excluded_variants = set(), set()
    xfile = ROOT / "mappings" / "drugs.excluded.tsv"
    if xfile.exists():
        lines = [l for l in xfile.open(encoding="utf-8") if not l.startswith("#") and l.strip()]
        for row in csv.DictReader(lines, delimiter="\t"):
            (excluded_entries if row["kind"] == "entry" else excluded_variants).add(key(row["name"]))

    variants: dict[str, list[str]] = {}
    for var, canons in v2c.items():
        for c in canons:
            variants.setdefault(c, []).append(var)

    rows, dropped, classes, nondrug = [], [], [], []
    used_ids: set[str] = set()
    for canon, data in sorted(c2d.items()):
        tree = data.get("mesh_tree") or []
        if tree and all(t.startswith("D27") for t in tree):
            classes.append(canon)
            continue
        if (not data.get("drugbank_id") and not data.get("medline_plus_id") and data.get("mesh_id")
                and key(canon) not in curated and not MESH_ONLY_KEEP.search(canon)):
            # MeSH-only entries (no DrugBank/MedlinePlus id) are mostly substances and chemical groups
            # ("pyruvates", "mucin-1"): measured on the dev texts they were 36 right / 170 wrong
            nondrug.append(canon)
            continue
        name = data.get("name") or canon
        if len(name) > 80:
            continue
        if key(name) in excluded_entries:  # mappings/drugs.excluded.tsv: not a drug in case-report text
            excluded_entries.discard(key(name))
            used_ids.add("drug:" + slug(name))  # keeps the numbering of later duplicate ids stable
            continue
        if name.isalpha() and zipf_frequency(name.lower(), "en") >= 4.8:
            dropped.append(name)
            continue
        cid = "drug:" + slug(name)
        if cid in used_ids:
            cid = cid + "_" + (data.get("drugbank_id") or data.get("mesh_id") or str(len(used_ids))).lower()
        used_ids.add(cid)
        brands, syns = [], []
        for var in sorted(set(variants.get(canon, []))):
            if key(var) == key(name) or len(var) < 3 or len(var) > 80:
                continue
            if re.search(r"[=&{}<>\[\]]|,\S", var):
                continue
            is_brand = vdata.get(var, {}).get("is_brand")
            if var.isalpha() and zipf_frequency(var, "en") >= (4.0 if is_brand else COMMON_ZIPF):
                dropped.append(var)
                continue
            toks = key(var).split()
            # after normalisation ("DIDS" -> "did", "AT-10" -> "at 10") the variant is plain English
            if toks and ((len(toks) == 1 and zipf_frequency(toks[0], "en") >= (4.0 if is_brand else 3.0))
                         or (len(toks) == 2 and any(t.isdigit() for t in toks)
                             and any(t in STOP_WORDS for t in toks))):
                dropped.append(var)
                continue
            if "\t" in var or "|" in var or key(var) in excluded_variants:
                continue
            (brands if vdata.get(var, {}).get("is_brand") else syns).append(var)
        extra, extra_src = curated.pop(key(name), ([], ""))
        syns = extra + [x for x in syns if key(x) not in {key(e) for e in extra}]
        mesh = data.get("mesh_id") or ""
        if mesh and not re.match(r"^[CD]\d{6,9}$", mesh):
            mesh = ""
        db = data.get("drugbank_id") or ""
        if db and not re.match(r"^DB\d{5}$", db):
            db = ""
        rxcui, rxkey = "", ""
        for cand in [name] + syns:  # the RxNorm name may be one of the drug's other names
            for k in (key(cand), " ".join(sorted(key(cand).split()))):
                if k in rx or k in rx_sorted:
                    rxkey = k if k in rx else rx_sorted[k]
                    rxcui = rx[rxkey]
                    break
            if rxcui:
                break
        if rxcui:
            rx_used.add(rxkey)
        if not data.get("drugbank_id") and not data.get("medline_plus_id"):
            pass
        rows.append([cid, name, rxcui, db, mesh, "|".join(brands), "|".join(syns),
                     f"drug-named-entity-recognition {ver}" + (f" + RxNorm ({rxsrc[rxkey]})" if rxcui else "")
                     + (f" + drugs.curated.tsv ({extra_src})" if extra_src else "")])

    unused = sorted(set(rx) - rx_used)
    if unused:
        print("RxNorm names not matched to a drug:", unused, file=sys.stderr)
    if excluded_entries:
        raise SystemExit(f"drugs.excluded.tsv entries not in the lexicon: {sorted(excluded_entries)}")
    if curated:
        raise SystemExit(f"drugs.curated.tsv names not in the lexicon: {sorted(curated)}")
    out = ROOT / "mappings" / "drugs.tsv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# generated by scripts/build_drugs.py from drug-named-entity-recognition {ver}; do not edit by hand\n")
        fh.write("id\tdisplay\trxnorm\tdrugbank\tmesh\tbrands\tsynonyms\tsource\n")
        for r in rows:
            fh.write("\t".join(r) + "\n")
    print(f"{len(rows)} drugs, {sum(1 for r in rows if r[2])} with RxNorm, "
          f"{sum(len(r[5].split('|')) + len(r[6].split('|')) for r in rows)} variants; "
          f"{len(classes)} MeSH classes skipped; {len(nondrug)} MeSH-only non-drug substances skipped; {len(dropped)} common words dropped", file=sys.stderr)
    print("classes:", classes[:80], file=sys.stderr)
    print("dropped:", dropped[:120], file=sys.stderr)


if __name__ == "__main__":
    main()
