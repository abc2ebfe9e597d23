// The values buildx's kubernetes driver accepts for each option (its factory's parsing, and what the
// Kubernetes API then validates), checked before anything is created. Pure: returns a problem or undefined.

const BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
/** A Kubernetes resource quantity: 500m, 2, 1.5Gi, 4G, 1e3. */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][0-9]+)?$/;
/** A Go duration as time.ParseDuration reads it: 300s, 5m, 1h30m. */
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A label or annotation key: an optional DNS-subdomain prefix and a name of at most 63 characters. */
const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export const TOLERATION_FIELDS = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const;
const OPERATORS = ['Equal', 'Exists'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

type Check = (value: string) => string | undefined;

const shape =
  (pattern: RegExp, expected: string): Check =>
  (value) =>
    pattern.test(value) ? undefined : `expected ${expected}, got '${value}'`;

/** `a=b,c=d` as buildx splits it: every item holds exactly one '='. */
const pairs =
  (what: string, valuePattern: RegExp | undefined): Check =>
  (value) => {
    for (const item of value.split(',')) {
      const parts = item.split('=');
      if (parts.length !== 2) return `expected ${what} as key=value[,key=value…] (no '=' in a value), got '${item}'`;
      const [key, val] = parts as [string, string];
      if (!KEY.test(key)) return `'${key}' is not a valid ${what} key`;
      if (valuePattern && !valuePattern.test(val))
        return `'${val}' is not a valid ${what} value (at most 63 letters, digits, '-', '_', '.')`;
    }
    return undefined;
  };

/** One toleration: `key=k,operator=Equal,value=v,effect=NoSchedule,tolerationSeconds=60`. */
export function checkToleration(toleration: string): string | undefined {
  const seen = new Map<string, string>();
  for (const item of toleration.split(',')) {
    const parts = item.split('=');
    const field = parts[0] ?? '';
    if (parts.length !== 2 || !(TOLERATION_FIELDS as readonly string[]).includes(field)) {
      return `'${item}' in toleration '${toleration}': expected one of ${TOLERATION_FIELDS.map((f) => `${f}=…`).join(', ')}`;
    }
    seen.set(field, parts[1]!);
  }
  const operator = seen.get('operator');
  if (operator !== undefined && !OPERATORS.includes(operator)) {
    return `operator '${operator}' in toleration '${toleration}': expected ${OPERATORS.join(' or ')}`;
  }
  if (operator === 'Exists' && seen.get('value')) return `toleration '${toleration}': operator Exists takes no value`;
  const effect = seen.get('effect');
  if (effect !== undefined && !EFFECTS.includes(effect)) {
    return `effect '${effect}' in toleration '${toleration}': expected ${EFFECTS.join(', ')}`;
  }
  const seconds = seen.get('tolerationSeconds');
  if (seconds !== undefined && !/^[0-9]+$/.test(seconds)) {
    return `tolerationSeconds '${seconds}' in toleration '${toleration}': expected a whole number`;
  }
  if (seconds !== undefined && effect !== 'NoExecute') {
    return `toleration '${toleration}': tolerationSeconds needs effect=NoExecute`;
  }
  return undefined;
}

const CHECKS: Readonly<Record<string, Check>> = {
  namespace: shape(DNS_LABEL, 'a namespace name (lower case letters, digits and -)'),
  replicas: shape(/^[1-9][0-9]{0,3}$/, 'a number of replicas, 1 or more'),
  'requests.cpu': shape(QUANTITY, 'a quantity such as 500m or 2'),
  'requests.memory': shape(QUANTITY, 'a quantity such as 512Mi or 2Gi'),
  'requests.ephemeral-storage': shape(QUANTITY, 'a quantity such as 10Gi'),
  'persistent-volume-claim.requests.storage': shape(QUANTITY, 'a quantity such as 10Gi'),
  'limits.cpu': shape(QUANTITY, 'a quantity such as 500m or 2'),
  'limits.memory': shape(QUANTITY, 'a quantity such as 512Mi or 2Gi'),
  'limits.ephemeral-storage': shape(QUANTITY, 'a quantity such as 10Gi'),
  'buildkit-root-volume-memory': shape(QUANTITY, 'a quantity such as 2Gi'),
  rootless: shape(BOOL, 'true or false'),
  'qemu.install': shape(BOOL, 'true or false'),
  'default-load': shape(BOOL, 'true or false'),
  loadbalance: shape(/^(sticky|random)$/, 'sticky or random'),
  timeout: shape(DURATION, 'a duration such as 120s or 5m'),
  serviceaccount: shape(DNS_SUBDOMAIN, 'a service account name'),
  nodeselector: pairs('node selector', LABEL_VALUE),
  labels: pairs('label', LABEL_VALUE),
  annotations: pairs('annotation', undefined),
  tolerations: (value) => {
    for (const t of value.split(';')) {
      const problem = checkToleration(t);
      if (problem) return problem;
    }
    return undefined;
  }
};

/** What is wrong with `value` for the kubernetes driver's option `key`, if anything. */
export function checkKubernetesValue(key: string, value: string): string | undefined {
  return CHECKS[key]?.(value);
}
