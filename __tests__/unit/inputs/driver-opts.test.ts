// Driver options: the keys each buildx driver documents are accepted, others refused before anything is
// created, and values are rendered so buildx's CSV parsing of --driver-opt gives them back unchanged.
import { describe, expect, it } from '@jest/globals';
import { type Driver, type DriverOpt, parseDriverOpt, renderDriverOpt } from '../../../src/inputs/driver-opts.js';

describe('parseDriverOpt accepts the documented keys', () => {
  it.each<[Driver, string, DriverOpt]>([
    ['kubernetes', 'image=moby/buildkit:v0.18.2-rootless', { key: 'image', value: 'moby/buildkit:v0.18.2-rootless' }],
    ['kubernetes', 'namespace=buildkit', { key: 'namespace', value: 'buildkit' }],
    ['kubernetes', 'replicas=4', { key: 'replicas', value: '4' }],
    ['kubernetes', 'requests.cpu=100m', { key: 'requests.cpu', value: '100m' }],
    ['kubernetes', 'requests.memory=500Mi', { key: 'requests.memory', value: '500Mi' }],
    ['kubernetes', 'requests.ephemeral-storage=2Gi', { key: 'requests.ephemeral-storage', value: '2Gi' }],
    ['kubernetes', 'limits.cpu=2', { key: 'limits.cpu', value: '2' }],
    ['kubernetes', 'limits.memory=4G', { key: 'limits.memory', value: '4G' }],
    ['kubernetes', 'limits.ephemeral-storage=100M', { key: 'limits.ephemeral-storage', value: '100M' }],
    ['kubernetes', 'nodeselector=kubernetes.io/arch=arm64', { key: 'nodeselector', value: 'kubernetes.io/arch=arm64' }],
    ['kubernetes', 'nodeselector=kubernetes.io/arch=arm64,disk=ssd', { key: 'nodeselector', value: 'kubernetes.io/arch=arm64,disk=ssd' }],
    ['kubernetes', 'annotations=team=build,cost=ci', { key: 'annotations', value: 'team=build,cost=ci' }],
    ['kubernetes', 'labels=app=buildkit', { key: 'labels', value: 'app=buildkit' }],
    [
      'kubernetes',
      'tolerations=key=foo,value=bar;key=foo2,operator=Exists;key=foo3,effect=NoSchedule',
      { key: 'tolerations', value: 'key=foo,value=bar;key=foo2,operator=Exists;key=foo3,effect=NoSchedule' }
    ],
    ['kubernetes', 'serviceaccount=buildkit', { key: 'serviceaccount', value: 'buildkit' }],
    ['kubernetes', 'schedulername=volcano', { key: 'schedulername', value: 'volcano' }],
    ['kubernetes', 'timeout=300s', { key: 'timeout', value: '300s' }],
    ['kubernetes', 'rootless=true', { key: 'rootless', value: 'true' }],
    ['kubernetes', 'loadbalance=random', { key: 'loadbalance', value: 'random' }],
    ['kubernetes', 'qemu.install=true', { key: 'qemu.install', value: 'true' }],
    ['kubernetes', 'qemu.image=tonistiigi/binfmt:latest', { key: 'qemu.image', value: 'tonistiigi/binfmt:latest' }],
    ['kubernetes', 'default-load=true', { key: 'default-load', value: 'true' }],
    ['kubernetes', 'env.FOO=bar', { key: 'env.FOO', value: 'bar' }],
    ['kubernetes', 'env.BUILDKIT_STEP_LOG_MAX_SIZE=10000000', { key: 'env.BUILDKIT_STEP_LOG_MAX_SIZE', value: '10000000' }],
    ['docker-container', 'image=moby/buildkit:buildx-stable-1', { key: 'image', value: 'moby/buildkit:buildx-stable-1' }],
    ['docker-container', 'network=host', { key: 'network', value: 'host' }],
    ['docker-container', 'memory=4g', { key: 'memory', value: '4g' }],
    ['docker-container', 'memory-swap=8g', { key: 'memory-swap', value: '8g' }],
    ['docker-container', 'cpu-quota=50000', { key: 'cpu-quota', value: '50000' }],
    ['docker-container', 'cpu-period=100000', { key: 'cpu-period', value: '100000' }],
    ['docker-container', 'cpu-shares=512', { key: 'cpu-shares', value: '512' }],
    ['docker-container', 'cpuset-cpus=0-3', { key: 'cpuset-cpus', value: '0-3' }],
    ['docker-container', 'cpuset-mems=0,1', { key: 'cpuset-mems', value: '0,1' }],
    ['docker-container', 'default-load=true', { key: 'default-load', value: 'true' }],
    ['docker-container', 'cgroup-parent=/docker/buildx', { key: 'cgroup-parent', value: '/docker/buildx' }],
    ['docker-container', 'restart-policy=unless-stopped', { key: 'restart-policy', value: 'unless-stopped' }],
    ['docker-container', 'env.X=1', { key: 'env.X', value: '1' }],
    ['docker-container', 'env.BUILDKIT_STEP_LOG_MAX_SPEED=-1', { key: 'env.BUILDKIT_STEP_LOG_MAX_SPEED', value: '-1' }],
    // whitespace around the key and the value goes
    ['docker-container', '  network = host ', { key: 'network', value: 'host' }]
  ])('%s: %s', (driver, line, expected) => {
    expect(parseDriverOpt(driver, line)).toEqual(expected);
  });
});

describe('parseDriverOpt accepts a line pre-quoted for buildx', () => {
  it.each<[Driver, string, DriverOpt]>([
    ['kubernetes', '"nodeselector=kubernetes.io/arch=arm64,disk=ssd"', { key: 'nodeselector', value: 'kubernetes.io/arch=arm64,disk=ssd' }],
    [
      'kubernetes',
      '"tolerations=key=foo,value=bar;key=foo2,operator=Exists"',
      { key: 'tolerations', value: 'key=foo,value=bar;key=foo2,operator=Exists' }
    ],
    ['docker-container', '"env.GREETING=say ""hi"", then go"', { key: 'env.GREETING', value: 'say "hi", then go' }],
    ['docker-container', '"image=moby/buildkit:latest"', { key: 'image', value: 'moby/buildkit:latest' }]
  ])('%s: %s', (driver, line, expected) => {
    expect(parseDriverOpt(driver, line)).toEqual(expected);
  });

  it.each<[Driver, string, string]>([
    ['kubernetes', '"nodeselector=kubernetes.io/arch=arm64,disk=ssd"', '"nodeselector=kubernetes.io/arch=arm64,disk=ssd"'],
    ['kubernetes', '"tolerations=key=foo,value=bar;key=foo2,operator=Exists"', '"tolerations=key=foo,value=bar;key=foo2,operator=Exists"'],
    ['docker-container', '"env.GREETING=say ""hi"", then go"', '"env.GREETING=say ""hi"", then go"'],
    ['docker-container', '"image=moby/buildkit:latest"', 'image=moby/buildkit:latest']
  ])('%s: %s is rendered %s (not quoted twice)', (driver, line, rendered) => {
    const opt = parseDriverOpt(driver, line);
    if (typeof opt === 'string') throw new Error(opt);
    expect(renderDriverOpt(opt)).toBe(rendered);
  });
});

describe('parseDriverOpt refuses', () => {
  it.each<[Driver, string, RegExp]>([
    [
      'docker-container',
      'namespace=x',
      /^'namespace' is not an option of the docker-container driver \(known: image, network, .*env\.\*\)$/
    ],
    ['docker-container', 'replicas=2', /'replicas' is not an option of the docker-container driver/],
    ['docker-container', 'nodeselector=a=b', /'nodeselector' is not an option of the docker-container driver/],
    ['kubernetes', 'network=host', /'network' is not an option of the kubernetes driver/],
    ['kubernetes', 'memory=4g', /'memory' is not an option of the kubernetes driver/],
    ['kubernetes', 'Namespace=x', /'Namespace' is not an option/],
    ['kubernetes', 'env.=x', /'env\.' is not an option/],
    ['docker-container', 'env=x', /'env' is not an option/],
    ['docker-container', 'envX=1', /'envX' is not an option/],
    ['docker-container', 'image', /^'image' is not key=value$/],
    ['docker-container', '=moby/buildkit', /^'=moby\/buildkit' is not key=value$/],
    ['docker-container', '', /^'' is not key=value$/],
    ['docker-container', 'image=', /^'image' has an empty value$/],
    ['docker-container', 'image=   ', /^'image' has an empty value$/],
    ['kubernetes', '"namespace="', /^'namespace' has an empty value$/],
    ['kubernetes', '"bogus=a,b"', /^'bogus' is not an option of the kubernetes driver/]
  ])('%s: %j', (driver, line, message) => {
    const result = parseDriverOpt(driver, line);
    expect(typeof result).toBe('string');
    expect(result).toMatch(message);
  });
});

describe('renderDriverOpt', () => {
  it.each<[DriverOpt, string]>([
    [{ key: 'image', value: 'moby/buildkit:v0.18.2' }, 'image=moby/buildkit:v0.18.2'],
    [{ key: 'network', value: 'host' }, 'network=host'],
    [{ key: 'nodeselector', value: 'kubernetes.io/arch=arm64' }, 'nodeselector=kubernetes.io/arch=arm64'],
    [{ key: 'nodeselector', value: 'kubernetes.io/arch=arm64,disk=ssd' }, '"nodeselector=kubernetes.io/arch=arm64,disk=ssd"'],
    [
      { key: 'tolerations', value: 'key=foo,value=bar;key=foo2,operator=Exists;key=foo3,effect=NoSchedule' },
      '"tolerations=key=foo,value=bar;key=foo2,operator=Exists;key=foo3,effect=NoSchedule"'
    ],
    // a semicolon alone is no CSV separator
    [{ key: 'tolerations', value: 'key=foo;key=bar' }, 'tolerations=key=foo;key=bar'],
    [{ key: 'env.MSG', value: 'say "hi"' }, '"env.MSG=say ""hi"""'],
    [{ key: 'nodeselector', value: '"kubernetes.io/arch=amd64"' }, '"nodeselector=""kubernetes.io/arch=amd64"""'],
    [{ key: 'env.MSG', value: 'a b' }, 'env.MSG=a b']
  ])('%j → %s', (opt, rendered) => {
    expect(renderDriverOpt(opt)).toBe(rendered);
  });

  // What buildx does with a --driver-opt value (encoding/csv, then split at the first '='): the
  // rendering gives back exactly one field holding key=value.
  it.each<[DriverOpt]>([
    [{ key: 'nodeselector', value: 'kubernetes.io/arch=arm64,disk=ssd' }],
    [{ key: 'tolerations', value: 'key=foo,value=bar;key=foo2,operator=Exists' }],
    [{ key: 'env.MSG', value: 'say "hi", then "bye"' }],
    [{ key: 'image', value: 'moby/buildkit:latest' }]
  ])('%j survives CSV parsing', (opt) => {
    expect(csvFields(renderDriverOpt(opt))).toEqual([`${opt.key}=${opt.value}`]);
  });

  it.each<[Driver, string]>([
    ['kubernetes', 'nodeselector=kubernetes.io/arch=arm64,disk=ssd'],
    ['kubernetes', '"nodeselector=kubernetes.io/arch=arm64,disk=ssd"'],
    ['docker-container', 'env.MSG=say "hi", then go'],
    ['docker-container', '"env.MSG=say ""hi"", then go"']
  ])('parse then render then CSV-split %s gives the option back', (driver, line) => {
    const opt = parseDriverOpt(driver, line);
    if (typeof opt === 'string') throw new Error(opt);
    const [field] = csvFields(renderDriverOpt(opt));
    expect(field).toBe(`${opt.key}=${opt.value}`);
  });
});

/** One CSV record's fields, as Go's encoding/csv reads them (RFC 4180 quoting, no lazy quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated quote in ${line}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i];
        i++;
      }
      if (i < line.length && line[i] !== ',') throw new Error(`extraneous quote in ${line}`);
    } else {
      while (i < line.length && line[i] !== ',') {
        if (line[i] === '"') throw new Error(`bare quote in ${line}`);
        field += line[i];
        i++;
      }
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

describe('parseDriverOpt checks the kubernetes driver values buildx and the API would refuse later', () => {
  it.each<[string, RegExp]>([
    ['replicas=two', /^'replicas': expected a number of replicas, 1 or more, got 'two'$/],
    ['replicas=0', /'replicas': expected a number of replicas/],
    ['rootless=yes', /^'rootless': expected true or false, got 'yes'$/],
    ['default-load=on', /'default-load': expected true or false/],
    ['qemu.install=1x', /'qemu.install': expected true or false/],
    ['loadbalance=round-robin', /^'loadbalance': expected sticky or random, got 'round-robin'$/],
    ['timeout=120', /^'timeout': expected a duration such as 120s or 5m, got '120'$/],
    ['requests.cpu=half', /'requests.cpu': expected a quantity/],
    ['limits.memory=2 GiB', /'limits.memory': expected a quantity/],
    ['namespace=Build_Kit', /'namespace': expected a namespace name/],
    ['serviceaccount=Builder', /'serviceaccount': expected a service account name/],
    ['nodeselector=kubernetes.io/arch', /'nodeselector': expected node selector as key=value/],
    ['nodeselector=a=b=c', /no '=' in a value/],
    ['"nodeselector=disk=ssd,zone"', /got 'zone'/],
    ['nodeselector=disk=fast ssd', /'fast ssd' is not a valid node selector value/],
    ['labels=-bad=x', /'-bad' is not a valid label key/],
    ['tolerations=key=a,operator=exists', /operator 'exists' in toleration 'key=a,operator=exists': expected Equal or Exists/],
    ['tolerations=key=a,effect=NoScheduled', /effect 'NoScheduled' .* expected NoSchedule, PreferNoSchedule, NoExecute/],
    ['tolerations=key=a,color=blue', /'color=blue' in toleration 'key=a,color=blue': expected one of key=…, operator=…/],
    ['tolerations=key=a;value', /'value' in toleration 'value'/],
    ['tolerations=key=a,effect=NoExecute,tolerationSeconds=soon', /tolerationSeconds 'soon' .* expected a whole number/],
    ['tolerations=key=a,effect=NoSchedule,tolerationSeconds=60', /tolerationSeconds needs effect=NoExecute/],
    ['tolerations=key=a,operator=Exists,value=b', /operator Exists takes no value/]
  ])('%s', (line, message) => {
    const result = parseDriverOpt('kubernetes', line);
    expect(typeof result).toBe('string');
    expect(result).toMatch(message);
  });

  it.each<[string]>([
    ['tolerations=key=dedicated,operator=Equal,value=ci,effect=NoSchedule'],
    ['tolerations=key=spot,operator=Exists;key=a,effect=NoExecute,tolerationSeconds=30'],
    ['timeout=1m30s'],
    ['requests.memory=1.5Gi'],
    ['annotations=example.com/owner=team a,note=free text']
  ])('accepts %s', (line) => {
    expect(typeof parseDriverOpt('kubernetes', line)).toBe('object');
  });

  it('leaves docker-container values to buildx', () => {
    expect(parseDriverOpt('docker-container', 'network=my net')).toEqual({ key: 'network', value: 'my net' });
  });
});
