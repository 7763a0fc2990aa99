#!/usr/bin/env python3
"""An outside verifier of the credentials Tohu issues: openbadgeslib[ldp] 4.6.3 (Python),
offline. Run by the integration test `badges::oracles` over a folder it writes:

    verify.py DIR

DIR holds `credentials/*.json` (each must verify), `tampered/*.json` (each must be
refused), `issuers/*.json` (the issuer profiles, as served at /issuers/{id}),
`status-lists/*.json` (as served at /status-lists/{n}) and the JSON schema `schema.json`.
With `--status-from ORIGIN=SERVER` a status list not in DIR is read over HTTP from the
running test server instead (the credential's address with ORIGIN replaced by SERVER, which
must be loopback), as a wallet would read it from the issuer. For each credential: the 1EdTech AchievementCredential schema (the VC 2.0
one, draft 2019-09, with Python's `jsonschema`, a second validator beside the Rust one);
the proof's key found in its issuer's profile (listed as an assertionMethod, controlled by
the issuer itself, never fetched); the full OB 3.0 check by `OB3LdpVerifier` with that key
(contexts from its own bundled allow-list, undefined terms refused, the validity window);
and the status: the list read from DIR, its own proof verified and its issuer bound to the
credential's. Any network access but loopback is blocked.

Prints one line per credential and a summary; exits 0 only if every credential verified
and every tampered one was refused.
"""
import ipaddress
import json
import pathlib
import sys
import urllib.request

STATUS_FROM = None


def _loopback(host):
    try:
        return host == "localhost" or ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _offline(event, args):
    if event == "socket.connect" and args and isinstance(args[1], tuple):
        if not _loopback(args[1][0]):
            raise RuntimeError("network access blocked: %r" % (args[1],))
    elif event == "socket.getaddrinfo" and args and not _loopback(args[0]):
        raise RuntimeError("network access blocked: DNS lookup of %r" % (args[0],))


sys.addaudithook(_offline)

from jsonschema import Draft201909Validator  # noqa: E402
from openbadgeslib.ob3 import OB3LdpVerifier, verify_data_integrity_proof  # noqa: E402
from openbadgeslib.ob3.did import _pem_from_vm  # noqa: E402  (a Multikey entry as PEM)


class Refused(Exception):
    pass


def as_list(v):
    return [] if v is None else v if isinstance(v, list) else [v]


def issuer_of(doc):
    issuer = doc.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer


def key_for(doc, profiles):
    """The PEM of the key the proof names, as its issuer's profile lists it."""
    proofs = [p for p in as_list(doc.get("proof")) if isinstance(p, dict)]
    if len(proofs) != 1:
        raise Refused("expected one proof, found %d" % len(proofs))
    method = proofs[0].get("verificationMethod")
    profile = profiles.get(issuer_of(doc))
    if profile is None:
        raise Refused("no profile for issuer %r" % issuer_of(doc))
    if method not in as_list(profile.get("assertionMethod")):
        raise Refused("%r is not an assertion method of its issuer" % method)
    for entry in as_list(profile.get("verificationMethod")):
        if isinstance(entry, dict) and entry.get("id") == method:
            if entry.get("controller") != profile.get("id") or entry.get("type") != "Multikey":
                raise Refused("%r is not a Multikey its issuer controls" % method)
            return _pem_from_vm(entry)
    raise Refused("%r is not in its issuer's profile" % method)


def check(path, schema, profiles, lists):
    raw = path.read_bytes()
    doc = json.loads(raw)
    errors = sorted(schema.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        raise Refused("schema: /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:160]))
    pem = key_for(doc, profiles)

    def download(url):
        status_list = lists.get(url)
        if status_list is None and STATUS_FROM:
            origin, server = STATUS_FROM
            if url.startswith(origin):
                with urllib.request.urlopen(server + url[len(origin):], timeout=10) as res:
                    status_list = json.loads(res.read(1024 * 1024))
        if status_list is None:
            raise Refused("unknown status list %s" % url)
        if issuer_of(status_list) != issuer_of(doc):
            raise Refused("the status list's issuer is not the credential's")
        verify_data_integrity_proof(status_list, key_for(status_list, profiles))
        return json.dumps(status_list).encode()

    OB3LdpVerifier(pubkey_pem=pem).verify(
        raw, check_status=True, download=download, verify_status_list=False
    )


def main(folder):
    root = pathlib.Path(folder)
    schema = Draft201909Validator(
        json.loads((root / "schema.json").read_text()),
        format_checker=Draft201909Validator.FORMAT_CHECKER,
    )
    profiles = {}
    for p in sorted((root / "issuers").glob("*.json")):
        profile = json.loads(p.read_text())
        profiles[profile["id"]] = profile
    lists = {}
    for p in sorted((root / "status-lists").glob("*.json")):
        status_list = json.loads(p.read_text())
        lists[status_list["id"]] = status_list
    wrong = 0
    counts = {"credentials": 0, "tampered": 0}
    for kind in ("credentials", "tampered"):
        for path in sorted((root / kind).glob("*.json")):
            counts[kind] += 1
            try:
                check(path, schema, profiles, lists)
                ok, why = kind == "credentials", "verified"
            except Exception as exc:  # the library's own errors, ours, malformed input
                ok, why = kind == "tampered", "refused: " + " ".join(str(exc).split())[:200]
            wrong += 0 if ok else 1
            print("%s %s/%s: %s" % ("ok  " if ok else "FAIL", kind, path.name, why))
    print(
        "openbadgeslib: %d credentials, %d tampered, %d wrong"
        % (counts["credentials"], counts["tampered"], wrong)
    )
    return 1 if wrong or not counts["credentials"] else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--status-from":
        STATUS_FROM = tuple(args[1].split("=", 1))
        args = args[2:]
    sys.exit(main(args[0]))
