import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

/**
 * A small evaluator of IAM policy documents, written for the GitLab OIDC trust policy (deploy/gitlab-oidc.yml) and
 * faithful to AWS's documented evaluation logic for what it supports (IAM User Guide, "Policy evaluation logic"
 * and "IAM JSON policy elements: Condition operators"):
 *
 * - default deny; an Allow statement that matches allows; an explicit Deny that matches wins over any Allow;
 * - a statement matches when its Principal (here `Federated` or `Service`), Action (with `*`/`?` globbing, case-
 *   insensitive as IAM compares actions) and every condition match;
 * - conditions: every operator in the block must hold (AND); within an operator every key must hold (AND); a key
 *   with several values holds when any value matches (OR); condition key names are case-insensitive, values are
 *   case-sensitive; a key absent from the request fails the test unless the operator ends in `IfExists`;
 * - operators: StringEquals, StringNotEquals, StringLike, StringNotLike (with `*` = any run of characters, `?` =
 *   one character; StringEquals treats them literally), each with `IfExists`, and `Null`.
 *
 * - identity policies (no `Principal`) match any caller; `Resource` is matched with the same globbing (case-
 *   sensitive) when the request names a resource;
 * - a permissions boundary (`evaluateWithBoundary`): the request is allowed only when the identity policy AND
 *   the boundary allow it, and neither denies it explicitly.
 *
 * It is not a general IAM simulator: no resource policies, SCPs, policy variables, NotAction/NotResource or
 * multi-valued keys (ForAnyValue/ForAllValues). An unsupported operator throws instead of guessing.
 */

export type Decision = 'Allow' | 'ImplicitDeny' | 'ExplicitDeny';

export interface IamRequest {
  action: string;
  principal: { Federated?: string; Service?: string };
  /** The resource acted on; undefined = not checked (trust policies). */
  resource?: string;
  /** Condition context keys, e.g. `gitlab.com:sub`; undefined = absent from the request. */
  context: Record<string, string | undefined>;
}

export interface IamStatement {
  Effect: 'Allow' | 'Deny';
  Principal?: Record<string, string | string[]>;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const globToRegExp = (pattern: string, flags = '') =>
  new RegExp(
    `^${pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    flags,
  );

const lookup = (context: IamRequest['context'], key: string) =>
  Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];

const conditionHolds = (operator: string, key: string, expected: string[], actual: string | undefined) => {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (base === 'Null') return expected.some((value) => (value === 'true') === (actual === undefined));
  if (actual === undefined) return ifExists;
  switch (base) {
    case 'StringEquals':
      return expected.some((value) => value === actual);
    case 'StringNotEquals':
      return expected.every((value) => value !== actual);
    case 'StringLike':
      return expected.some((value) => globToRegExp(value).test(actual));
    case 'StringNotLike':
      return expected.every((value) => !globToRegExp(value).test(actual));
    default:
      throw new Error(`Condition operator ${operator} (on ${key}) is not supported by this evaluator`);
  }
};

const statementMatches = (statement: IamStatement, request: IamRequest) => {
  const principals = Object.entries(statement.Principal ?? {});
  const principalMatches =
    statement.Principal === undefined ||
    principals.some(([kind, values]) =>
      [values]
        .flat()
        .some((value) => request.principal[kind as keyof IamRequest['principal']] === value || value === '*'),
    );
  if (!principalMatches) return false;
  const actionMatches = [statement.Action ?? []]
    .flat()
    .some((action) => globToRegExp(action, 'i').test(request.action));
  if (!actionMatches) return false;
  const { resource } = request;
  if (
    resource !== undefined &&
    statement.Resource !== undefined &&
    ![statement.Resource].flat().some((pattern) => globToRegExp(pattern).test(resource))
  )
    return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) =>
      conditionHolds(operator, key, [values].flat(), lookup(request.context, key)),
    ),
  );
};

export const evaluate = (statements: IamStatement[], request: IamRequest): Decision => {
  const matching = statements.filter((statement) => statementMatches(statement, request));
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'ExplicitDeny';
  if (matching.some((statement) => statement.Effect === 'Allow')) return 'Allow';
  return 'ImplicitDeny';
};

/** An identity policy under a permissions boundary: allowed only where both allow and neither denies. */
export const evaluateWithBoundary = (
  identity: IamStatement[],
  boundary: IamStatement[],
  request: IamRequest,
): Decision => {
  const decisions = [evaluate(identity, request), evaluate(boundary, request)];
  if (decisions.includes('ExplicitDeny')) return 'ExplicitDeny';
  return decisions.every((decision) => decision === 'Allow') ? 'Allow' : 'ImplicitDeny';
};

/** A CloudFormation YAML template with its short-form tags (`!Sub`, `!Ref`…) read as the long form. */
export const loadCfnYaml = (file: string): Record<string, unknown> => {
  const intrinsic = (tag: string, name: string, split = false): Tags[number] => ({
    tag: `!${tag}`,
    resolve: (value: unknown) => ({ [name]: split && typeof value === 'string' ? value.split('.') : value }),
  });
  const collection = (tag: string, name: string, kind: 'seq' | 'map'): Tags[number] => ({
    tag: `!${tag}`,
    collection: kind,
    resolve: (value: { toJSON: () => unknown }) => ({ [name]: value.toJSON() }),
  });
  const customTags: Tags = [
    intrinsic('Ref', 'Ref'),
    intrinsic('Sub', 'Fn::Sub'),
    intrinsic('GetAtt', 'Fn::GetAtt', true),
    intrinsic('ImportValue', 'Fn::ImportValue'),
    ...(['Sub', 'Join', 'If', 'Not', 'Equals', 'Select', 'Split'] as const).map((name) =>
      collection(name, name === 'Sub' ? 'Fn::Sub' : `Fn::${name}`, 'seq'),
    ),
  ];
  return parse(readFileSync(file, 'utf8'), { customTags }) as Record<string, unknown>;
};

/** Resolves Ref / Fn::Sub / Fn::GetAtt with given parameter and resource values (what AWS would fill in). */
export const resolveCfn = (value: unknown, values: Record<string, string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolveCfn(item, values));
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  const known = (name: string) => {
    const resolved = values[name];
    if (resolved === undefined) throw new Error(`No value given for ${name}`);
    return resolved;
  };
  if (typeof record.Ref === 'string') return known(record.Ref);
  if (Array.isArray(record['Fn::GetAtt'])) return known((record['Fn::GetAtt'] as string[]).join('.'));
  if (typeof record['Fn::Sub'] === 'string')
    return (record['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_match, name: string) => known(name));
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, resolveCfn(item, values)]));
};
