// build-push-action's attestations (its getAttestArgs, v6): provenance, sbom and attests as it reads
// them, and its default provenance: mode=max on a public repository, min and inline-only on a private one.
import { describe, expect, it } from '@jest/globals';
import {
  type AttestationInputs,
  type Attestations,
  type RunFacts,
  buildkitTakesAttestations,
  hasAttestationType,
  hasExporterType,
  readAttestations,
  runFacts
} from '../../../src/inputs/attestations.js';

const URL = 'https://github.com/acme/app/actions/runs/42/attempts/2';
const PUBLIC: RunFacts = { runUrl: URL, privateRepository: false, noDefaultAttestations: false };
const NONE: AttestationInputs = { provenance: undefined, sbom: undefined, attests: [], dockerExport: false };

describe('readAttestations', () => {
  it.each<[string, Partial<AttestationInputs>, Partial<RunFacts>, Attestations]>([
    [
      'nothing asked, a public repository: provenance mode=max',
      {},
      {},
      { given: [], defaultProvenance: `type=provenance,mode=max,builder-id=${URL}` }
    ],
    [
      'nothing asked, a private repository: buildx’s own min and inline-only',
      {},
      { privateRepository: true },
      { given: [], defaultProvenance: `type=provenance,mode=min,inline-only=true,builder-id=${URL}` }
    ],
    [
      'outside Actions: no run to name as the builder',
      {},
      { runUrl: undefined },
      { given: [], defaultProvenance: 'type=provenance,mode=max' }
    ],
    ['BUILDX_NO_DEFAULT_ATTESTATIONS: no default', {}, { noDefaultAttestations: true }, { given: [], defaultProvenance: undefined }],
    ['an export to Docker: no default', { dockerExport: true }, {}, { given: [], defaultProvenance: undefined }],
    ['provenance: true', { provenance: 'true' }, {}, { given: [`type=provenance,builder-id=${URL}`], defaultProvenance: undefined }],
    ['provenance: false', { provenance: 'false' }, {}, { given: ['type=provenance,disabled=true'], defaultProvenance: undefined }],
    [
      'provenance attributes get the builder id',
      { provenance: 'mode=max' },
      {},
      { given: [`type=provenance,mode=max,builder-id=${URL}`], defaultProvenance: undefined }
    ],
    [
      'provenance attributes naming a builder id keep it',
      { provenance: 'mode=min,builder-id=ci' },
      {},
      { given: ['type=provenance,mode=min,builder-id=ci'], defaultProvenance: undefined }
    ],
    [
      'sbom: true, beside the default provenance',
      { sbom: 'true' },
      {},
      { given: ['type=sbom,disabled=false'], defaultProvenance: `type=provenance,mode=max,builder-id=${URL}` }
    ],
    [
      'attests of another type, as given',
      { attests: ['type=sbom,generator=image', 'type=spdx,x=1'] },
      {},
      { given: ['type=sbom,generator=image', 'type=spdx,x=1'], defaultProvenance: `type=provenance,mode=max,builder-id=${URL}` }
    ],
    [
      'a provenance in attests replaces the default and gets the builder id',
      { attests: ['type=provenance,mode=min'] },
      {},
      { given: [`type=provenance,mode=min,builder-id=${URL}`], defaultProvenance: undefined }
    ],
    [
      'the provenance and sbom inputs take precedence over attests',
      { provenance: 'false', sbom: 'generator=image', attests: ['type=provenance,mode=max', 'type=sbom', 'type=other'] },
      {},
      { given: ['type=provenance,disabled=true', 'type=sbom,generator=image', 'type=other'], defaultProvenance: undefined }
    ]
  ])('%s', (_, inputs, facts, expected) => {
    expect(readAttestations({ ...NONE, ...inputs }, { ...PUBLIC, ...facts })).toEqual(expected);
  });
});

describe('runFacts', () => {
  const run = { GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' };
  it.each<[string, NodeJS.ProcessEnv, { repository?: { private?: unknown } } | undefined, RunFacts]>([
    ['a public repository', run, { repository: { private: false } }, PUBLIC],
    ['a private repository', run, { repository: { private: true } }, { ...PUBLIC, privateRepository: true }],
    ['no payload counts as public', run, undefined, PUBLIC],
    [
      'a GitHub Enterprise server',
      { ...run, GITHUB_SERVER_URL: 'https://ghe.example.com/' },
      undefined,
      { ...PUBLIC, runUrl: 'https://ghe.example.com/acme/app/actions/runs/42/attempts/2' }
    ],
    ['the first attempt when none is said', { ...run, GITHUB_RUN_ATTEMPT: '' }, undefined, { ...PUBLIC, runUrl: URL.replace(/2$/, '1') }],
    ['outside Actions', {}, undefined, { ...PUBLIC, runUrl: undefined }],
    [
      'BUILDX_NO_DEFAULT_ATTESTATIONS=1',
      { ...run, BUILDX_NO_DEFAULT_ATTESTATIONS: '1' },
      undefined,
      { ...PUBLIC, noDefaultAttestations: true }
    ],
    ['BUILDX_NO_DEFAULT_ATTESTATIONS=false', { ...run, BUILDX_NO_DEFAULT_ATTESTATIONS: 'false' }, undefined, PUBLIC]
  ])('%s', (_, env, payload, expected) => {
    expect(runFacts(env, payload)).toEqual(expected);
  });
});

describe('the types of attestations and exports', () => {
  it.each<[string, string, boolean]>([
    ['provenance', 'type=provenance,mode=max', true],
    ['provenance', ' type = provenance ', true],
    ['provenance', 'type=sbom,generator=provenance', false],
    ['sbom', 'type=sbom', true]
  ])('%s in %j: %s', (type, attest, expected) => {
    expect(hasAttestationType(type, attest)).toBe(expected);
  });

  it.each<[string, string[], boolean]>([
    ['docker', ['type=docker,dest=/tmp/img.tar'], true],
    ['docker', ['type=image,push=true'], false],
    ['docker', ['type=registry', 'type=docker'], true],
    ['local', ['/tmp/out'], true],
    ['docker', ['/tmp/out'], false],
    ['docker', [], false]
  ])('%s in %j: %s', (type, outputs, expected) => {
    expect(hasExporterType(type, outputs)).toBe(expected);
  });
});

describe('buildkitTakesAttestations', () => {
  it.each<[string[], boolean]>([
    [['v0.34.2'], true],
    [['v0.11.0'], true],
    [['v0.10.6'], false],
    [['v1.0.0'], true],
    [['v0.12.5', 'v0.10.0'], false],
    [[], false],
    [['unknown'], false]
  ])('%j: %s', (versions, expected) => {
    expect(buildkitTakesAttestations(versions)).toBe(expected);
  });
});
