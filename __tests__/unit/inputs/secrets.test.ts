// The build secrets: build-push-action's three inputs and list syntax, Docker's own form, and no value
// of a `secrets` item in any message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeGetInput, inputErrorOf } from '../../../__fixtures__/inputs.js';
import { readConfig } from '../../../src/inputs/config.js';
import { type BuildSecret, dockerSecret, secretMasks } from '../../../src/inputs/secrets.js';

let workspace: string;

beforeAll(async () => {
  workspace = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'secrets-test-')));
  await fs.writeFile(path.join(workspace, '.npmrc'), '//registry/:_authToken=x\n');
  await fs.mkdir(path.join(workspace, 'ci'));
  await fs.writeFile(path.join(workspace, 'ci', 'netrc'), 'machine x\n');
});

afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

const secretsOf = (values: Record<string, string>): readonly BuildSecret[] =>
  readConfig(fakeGetInput(values), { GITHUB_WORKSPACE: workspace }).secrets;

describe('secrets as build-push-action reads them', () => {
  it.each<[string, Record<string, string>, BuildSecret[]]>([
    [
      'one id=value a line',
      { secrets: 'A=1\n\nB=two words\n' },
      [
        { id: 'A', value: '1' },
        { id: 'B', value: 'two words' }
      ]
    ],
    ['commas stay in the value', { secrets: 'TOKEN=a,b,c' }, [{ id: 'TOKEN', value: 'a,b,c' }]],
    ['= stays in the value', { secrets: 'URL=https://x/?a=b' }, [{ id: 'URL', value: 'https://x/?a=b' }]],
    [
      'a quoted item spans lines (a multi-line secret)',
      { secrets: '"KEY=-----BEGIN KEY-----\nabcdef\n-----END KEY-----"\nOTHER=x' },
      [
        { id: 'KEY', value: '-----BEGIN KEY-----\nabcdef\n-----END KEY-----' },
        { id: 'OTHER', value: 'x' }
      ]
    ],
    ['a quote inside an unquoted value stays', { secrets: 'PW=a"b' }, [{ id: 'PW', value: 'a"b' }]],
    ["Docker's id=…,src=… (relative to the workspace)", { secrets: 'id=npmrc,src=.npmrc' }, [{ id: 'npmrc', file: '' }]],
    ["Docker's id=…,source=…,type=file", { secrets: 'type=file,id=netrc,source=ci/netrc' }, [{ id: 'netrc', file: 'ci/netrc' }]],
    ["Docker's id=…,env=…", { secrets: 'id=gh,env=GH_TOKEN' }, [{ id: 'gh', env: 'GH_TOKEN' }]],
    [
      'secret-files: id=path',
      { 'secret-files': 'npmrc=.npmrc\nnetrc=ci/netrc' },
      [
        { id: 'npmrc', file: '' },
        { id: 'netrc', file: 'ci/netrc' }
      ]
    ],
    [
      'secret-envs: id=VARIABLE',
      { 'secret-envs': 'gh=GH_TOKEN\naws=AWS_SECRET_ACCESS_KEY' },
      [
        { id: 'gh', env: 'GH_TOKEN' },
        { id: 'aws', env: 'AWS_SECRET_ACCESS_KEY' }
      ]
    ],
    [
      'all three, in input order',
      { secrets: 'A=1', 'secret-files': 'f=.npmrc', 'secret-envs': 'e=HOME' },
      [
        { id: 'A', value: '1' },
        { id: 'f', file: '' },
        { id: 'e', env: 'HOME' }
      ]
    ]
  ])('%s', (_, values, expected) => {
    // files resolve in the workspace ('' stands for .npmrc)
    const resolved = expected.map((s) => ('file' in s ? { ...s, file: path.join(workspace, s.file || '.npmrc') } : s));
    expect(secretsOf(values)).toEqual(resolved);
  });
});

describe('a bad secrets item fails the step without showing its value', () => {
  const VALUE = 'hunter2-very-secret';
  it.each<[string, Record<string, string>, RegExp]>([
    ['no =', { secrets: VALUE }, /^input 'secrets': item 1 is not id=value \(its value is not shown\)$/],
    ['an id docker refuses', { secrets: `A=1\nmy token=${VALUE}` }, /^input 'secrets': item 2 is not id=value \(its value is not shown\)$/],
    ['an empty value', { secrets: 'TOKEN=' }, /^input 'secrets': item 1 \(id TOKEN\) is not id=value \(its value is not shown\)$/],
    [
      'an unclosed quote',
      { secrets: `"A=${VALUE}\nB=2` },
      /^input 'secrets': it is not a list of lines or quoted items \(CSV_QUOTE_NOT_CLOSED\)$/
    ],
    ['an id given twice', { secrets: `A=${VALUE}\nA=other` }, /^input 'secrets': secret A is given twice$/]
  ])('%s', (_, values, message) => {
    const error = inputErrorOf(() => secretsOf(values), JSON.stringify(values));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(VALUE);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a missing file',
      { 'secret-files': 'npmrc=missing/.npmrc' },
      /^input 'secret-files': the file of secret npmrc does not exist: .*missing\/\.npmrc$/
    ],
    [
      "Docker's form naming a missing file",
      { secrets: 'id=npmrc,src=nowhere' },
      /^input 'secrets': the file of secret npmrc does not exist/
    ],
    [
      'a variable name with a space',
      { 'secret-envs': 'gh=GH TOKEN' },
      /^input 'secret-envs': 'GH TOKEN' is not the name of an environment variable$/
    ],
    ['a path item without id', { 'secret-files': '.npmrc' }, /^input 'secret-files': item 1 is not id=path$/],
    ['the same id in two inputs', { secrets: 'A=1', 'secret-envs': 'A=HOME' }, /^input 'secrets': secret A is given twice$/]
  ])('%s', (_, values, message) => {
    expect(inputErrorOf(() => secretsOf(values), JSON.stringify(values)).message).toMatch(message);
  });
});

describe("dockerSecret: Docker's form only when every field is one of its keys", () => {
  it.each<[string, ReturnType<typeof dockerSecret>]>([
    ['id=a,src=/f', { id: 'a', file: '/f' }],
    ['id=a,env=X', { id: 'a', env: 'X' }],
    ['type=env,id=a,env=X', { id: 'a', env: 'X' }],
    // a value that happens to hold commas and =
    ['id=a,b=c', undefined],
    ['id=a,src=/f,env=X', undefined],
    ['id=a', undefined],
    ['id=a,type=file,env=X', undefined],
    ['id=a,id=b,src=/f', undefined],
    ['id=a b,src=/f', undefined]
  ])('%s → %j', (item, expected) => {
    expect(dockerSecret(item)).toEqual(expected);
  });
});

describe('secretMasks', () => {
  it('masks each value, and each long enough line of a multi-line one', () => {
    expect(
      secretMasks([
        { id: 'a', value: 'single' },
        { id: 'k', value: '-----BEGIN-----\nabcdef\n}\n-----END-----' },
        { id: 'f', file: '/f' },
        { id: 'e', env: 'X' }
      ])
    ).toEqual(['single', '-----BEGIN-----\nabcdef\n}\n-----END-----', '-----BEGIN-----', 'abcdef', '-----END-----']);
  });
});

describe('github-token: BuildKit’s Git token for the GitHub server’s host', () => {
  const secretsOf = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): readonly BuildSecret[] =>
    readConfig(fakeGetInput(inputs), { GITHUB_WORKSPACE: workspace, ...env }).secrets;

  it.each<[string, Record<string, string>, NodeJS.ProcessEnv, readonly BuildSecret[]]>([
    ['none given', {}, {}, []],
    ['github.com', { 'github-token': 'ghs_abc123' }, {}, [{ id: 'GIT_AUTH_TOKEN.github.com', value: 'ghs_abc123' }]],
    [
      'a GitHub Enterprise server',
      { 'github-token': 'ghs_abc123' },
      { GITHUB_SERVER_URL: 'https://ghe.example.com' },
      [{ id: 'GIT_AUTH_TOKEN.ghe.example.com', value: 'ghs_abc123' }]
    ],
    [
      'secrets naming a Git token for every host win',
      { 'github-token': 'ghs_abc123', secrets: 'GIT_AUTH_TOKEN=mine' },
      {},
      [{ id: 'GIT_AUTH_TOKEN', value: 'mine' }]
    ],
    [
      'secrets naming one for this host win',
      { 'github-token': 'ghs_abc123', secrets: 'GIT_AUTH_TOKEN.github.com=mine' },
      {},
      [{ id: 'GIT_AUTH_TOKEN.github.com', value: 'mine' }]
    ],
    [
      'a token for another host is kept beside it',
      { 'github-token': 'ghs_abc123', secrets: 'GIT_AUTH_TOKEN.gitlab.com=other' },
      {},
      [
        { id: 'GIT_AUTH_TOKEN.gitlab.com', value: 'other' },
        { id: 'GIT_AUTH_TOKEN.github.com', value: 'ghs_abc123' }
      ]
    ]
  ])('%s', (_, inputs, env, expected) => {
    expect(secretsOf(inputs, env)).toEqual(expected);
  });

  it('is masked as the other secret values are', () => {
    expect(secretMasks(secretsOf({ 'github-token': 'ghs_abc123' }))).toContain('ghs_abc123');
  });
});
