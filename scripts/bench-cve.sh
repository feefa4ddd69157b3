#!/usr/bin/env bash
# Benchmarks `phiguard cve-gate` on a generated 50 MB Trivy JSON report
# (SchemaVersion 2, indented as Trivy writes it: one image, OS and language
# results, ~27,000 vulnerabilities with the fields Trivy writes), timed by hyperfine: with
# --no-store (reading, judging and rendering) and with a SQLite store
# (first-seen dates of every finding recorded as well).
#
#   scripts/bench-cve.sh [SIZE_MB]     # default 50
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
command -v hyperfine >/dev/null || { echo "bench-cve: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
MB="${1:-50}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

python3 - "$TMP/trivy.json" "$MB" <<'PY'
import json, random, sys
out, mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
sev = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"]
desc = "A flaw was found in the package. " * 8
def vuln(i, pkg):
    v = {
        "VulnerabilityID": f"CVE-{2015 + i % 10}-{10000 + i}",
        "PkgID": f"{pkg}@1.{i % 50}.0",
        "PkgName": pkg,
        "PkgIdentifier": {"PURL": f"pkg:deb/debian/{pkg}@1.{i % 50}.0?arch=amd64&distro=debian-12", "UID": f"{i:016x}"},
        "InstalledVersion": f"1.{i % 50}.0",
        "Status": "fixed",
        "Layer": {"DiffID": "sha256:" + "ab" * 32},
        "SeveritySource": "nvd",
        "PrimaryURL": f"https://avd.aquasec.com/nvd/cve-{2015 + i % 10}-{10000 + i}",
        "DataSource": {"ID": "debian", "Name": "Debian Security Tracker", "URL": "https://salsa.debian.org/security-tracker-team/security-tracker"},
        "Title": f"{pkg}: a vulnerability",
        "Description": desc,
        "Severity": random.choice(sev),
        "CweIDs": ["CWE-787"],
        "VendorSeverity": {"nvd": 3, "debian": 2},
        "CVSS": {"nvd": {"V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "V3Score": 9.8}},
        "References": [f"https://security-tracker.debian.org/tracker/CVE-{2015 + i % 10}-{10000 + i}"] * 3,
        "PublishedDate": "2024-06-27T11:15:24.447Z",
        "LastModifiedDate": "2024-07-15T13:15:58.413Z",
    }
    if i % 4:
        v["FixedVersion"] = f"1.{i % 50}.1"
    return v
results, i, size = [], 0, 0
while size < mb * 1024 * 1024:
    vulns = [vuln(i + k, f"pkg{(i + k) % 3000}") for k in range(1000)]
    i += 1000
    size += len(json.dumps(vulns, indent=2)) + 200
    cls = ("os-pkgs", "debian") if len(results) % 2 == 0 else ("lang-pkgs", "npm")
    results.append({"Target": f"target-{len(results)}", "Class": cls[0], "Type": cls[1], "Vulnerabilities": vulns})
doc = {"SchemaVersion": 2, "CreatedAt": "2026-11-30T09:12:44Z", "ArtifactName": "registry.example.com/big:1.0",
       "ArtifactType": "container_image", "Metadata": {"OS": {"Family": "debian", "Name": "12.5"}}, "Results": results}
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
print(f"bench-cve: {i} vulnerabilities", file=sys.stderr)
PY
echo "bench-cve: $(du -m "$TMP/trivy.json" | cut -f1) MB report"

cargo build --release -p phiguard --no-default-features --quiet
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/phiguard"
hyperfine -N -i --warmup 1 --runs "${PHIGUARD_BENCH_RUNS:-5}" \
    -n read "$BIN cve-gate --no-store -f markdown -o /dev/null $TMP/trivy.json" \
    -n no-store "$BIN cve-gate --no-store -f json -o /dev/null $TMP/trivy.json" \
    -n sqlite "$BIN cve-gate --store $TMP/h.sqlite -f json -o /dev/null $TMP/trivy.json"
